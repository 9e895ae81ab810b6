"""The fake's ELSER-like embeddings: same text, same tokens and weights, everywhere."""

from __future__ import annotations

import hashlib
import os
import re
import struct
import subprocess
import sys
import unicodedata

import pytest

from fake_es.inference import embeddings
from fake_es.inference.embeddings import MAX_PIECES, sparse_embedding, word_pieces
from fake_es.rest.xcontent import dump_json

TEXT = "Elasticsearch's inference API turns text into weighted tokens, ÉLSER-style."
PRINT = (
    "from fake_es.inference.embeddings import sparse_embedding;"
    "from fake_es.rest.xcontent import dump_json;"
    f"print(dump_json(sparse_embedding({TEXT!r})).decode())"
)


def embedding_in_a_new_process(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", PRINT], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_identical_across_processes_with_different_hash_seeds():
    here = dump_json(sparse_embedding(TEXT)).decode()
    assert embedding_in_a_new_process("1") == here
    assert embedding_in_a_new_process("2") == here


def test_word_pieces_are_lowercase_and_accent_free():
    assert word_pieces("ÉLSER Inference") == ["elser", "infer", "##enc", "##e"]


def test_weights_are_positive_32_bit_floats_heaviest_first():
    embedding = sparse_embedding(TEXT)
    weights = list(embedding.values())
    assert weights == sorted(weights, reverse=True)
    assert all(0.05 <= weight <= 3.0 for weight in weights)
    text = dump_json(embedding).decode()
    # Float.toString: the fewest digits (at most 9) that give back the same 32-bit float.
    for printed, weight in zip(re.findall(r":([0-9.E-]+)", text), weights, strict=True):
        assert len(printed.replace(".", "").lstrip("0")) <= 9
        assert struct.unpack("<f", struct.pack("<f", float(printed)))[0] == weight
    assert "e+" not in text


def test_different_texts_differ_and_empty_text_has_no_tokens():
    assert sparse_embedding("a b c") != sparse_embedding("a b d")
    assert sparse_embedding("") == {}


def test_the_text_is_hashed_once_whatever_its_number_of_pieces(monkeypatch):
    text = " ".join(f"w{i}" for i in range(2 * MAX_PIECES))
    hashed: list[int] = []
    blake2b = hashlib.blake2b

    def counting_blake2b(data: bytes, **options: object) -> hashlib.blake2b:
        hashed.append(len(data))
        return blake2b(data, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(embeddings.hashlib, "blake2b", counting_blake2b)
    embedding = sparse_embedding(text)
    assert len(embedding) == MAX_PIECES
    # The whole text once, then each distinct piece on its own.
    assert sum(hashed) == len(text) + sum(len(piece) for piece in embedding)


def whole_text_pieces(text: str) -> list[str]:
    """The word pieces of the whole text folded at once, as the definition reads."""
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    pieces: list[str] = []
    for word in re.findall(r"[a-z0-9]+|[^\sa-z0-9]", plain):
        if len(word) <= 6:
            pieces.append(word)
        else:
            pieces.append(word[:5])
            pieces.extend(f"##{word[i : i + 3]}" for i in range(5, len(word), 3))
    return pieces


@pytest.mark.parametrize(
    "text",
    [
        "ΟΔΟΣ Σ ΣΑΣ " * 900,  # Final_Sigma depends on the letters around it
        "Éle\u0301ve\u0301\u0327 naïve 東京 " * 700,  # combining marks and ideographs
        "x" * 5000 + " " + "Inference\u00a0ÉLSER\u3000" * 600,  # compatibility spaces
        "supercalifragilistic " * 600,  # long words in ##pieces past the limit
        "one\n\ttwo\r\nthree" * 1500,
    ],
)
def test_pieces_read_a_stretch_at_a_time_are_those_of_the_whole_text(text):
    assert len(text) > 8192
    whole = whole_text_pieces(text)
    assert word_pieces(text, len(whole) + 1) == whole
    assert word_pieces(text) == whole[:MAX_PIECES]
