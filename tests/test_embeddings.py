"""The fake's ELSER-like embeddings: same text, same tokens and weights, everywhere."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys

from fake_es.inference.embeddings import sparse_embedding, word_pieces
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
