"""Deterministic ELSER-like sparse embeddings.

ELSER maps text to weighted BERT word pieces. The fake does the same without a
model: it lower-cases the text, strips accents (as BERT's uncased tokenizer
does), splits it into words and splits long words into word pieces (``##``
continuations). Each distinct piece gets a weight from a BLAKE2b hash of the
piece keyed by a digest of the whole text (hashed once, so the cost is linear in
the text), so the same text always gives the same tokens and weights, in any
process on any machine, and different texts give different embeddings. Weights
are positive 32-bit floats between 0.05 and 3.0, and the tokens are listed
heaviest first, as ELSER's text expansion sorts them.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata

from fake_es.java_format import JavaFloat

# BERT's input limit: 512 positions, two of them [CLS] and [SEP].
MAX_PIECES = 510
_WORD = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")
_SPACE = re.compile(r"\s")
_STRETCH = 4096
_PIECE = 5
_MIN_WEIGHT = 0.05
_MAX_WEIGHT = 3.0


def word_pieces(text: str, limit: int = MAX_PIECES) -> list[str]:
    """Lower-cased, accent-free word pieces: "Inference" -> ["infer", "##enc", "##e"].

    The text is read a stretch at a time, up to the ``limit``-th piece, so that a
    long input costs no more than its first ``limit`` pieces.
    """
    pieces: list[str] = []
    for stretch in _stretches(text):
        for word in _WORD.findall(_fold(stretch)):
            if len(word) <= _PIECE + 1:
                pieces.append(word)
            else:
                pieces.append(word[:_PIECE])
                end = min(len(word), _PIECE + 3 * (limit - len(pieces)))
                pieces.extend(f"##{word[i : i + 3]}" for i in range(_PIECE, end, 3))
            if len(pieces) >= limit:
                return pieces[:limit]
    return pieces


def _stretches(text: str) -> list[str]:
    """The text cut after white space, about every ``_STRETCH`` characters.

    White space ends every word, every run of combining marks and every context of
    Final_Sigma, so lower-casing and folding each stretch is folding the whole text.
    """
    cuts = [0]
    while cuts[-1] < len(text):
        space = _SPACE.search(text, cuts[-1] + _STRETCH)
        cuts.append(space.end() if space is not None else len(text))
    return [text[start:end] for start, end in itertools.pairwise(cuts)]


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    if folded.isascii():
        return folded
    return "".join(char for char in folded if not unicodedata.combining(char))


def is_truncated(text: str) -> bool:
    """Whether the text has more word pieces than the model reads (is_truncated)."""
    return len(word_pieces(text, MAX_PIECES + 1)) > MAX_PIECES


def _weight(piece: str, text_digest: bytes) -> JavaFloat:
    # surrogatepass: Jackson accepts a lone surrogate escape, so an input may hold one.
    piece_bytes = piece.encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(piece_bytes, digest_size=8, key=text_digest).digest()
    fraction = int.from_bytes(digest, "big") / 2**64
    return JavaFloat(_MIN_WEIGHT + fraction * (_MAX_WEIGHT - _MIN_WEIGHT))


def sparse_embedding(text: str) -> dict[str, JavaFloat]:
    """Token -> weight, heaviest first (ties by token), each token once."""
    text_digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=32).digest()
    pieces = dict.fromkeys(word_pieces(text))
    weights = {piece: _weight(piece, text_digest) for piece in pieces}
    return dict(sorted(weights.items(), key=lambda item: (-item[1], item[0])))


def dense_embedding(text: str, dimensions: int) -> list[JavaFloat]:
    """A unit-length vector of ``dimensions`` floats, as E5 models return, from the text's hash.

    Texts that share words get closer vectors: each word piece adds its own
    hashed direction, so the fake's similarities behave plausibly in tests.
    """
    vector = [0.0] * dimensions
    for piece in word_pieces(text) or [""]:
        seed = hashlib.blake2b(piece.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        stream = hashlib.shake_256(seed).digest(dimensions * 2)
        for i in range(dimensions):
            vector[i] += int.from_bytes(stream[2 * i : 2 * i + 2], "big") / 32768.0 - 1.0
    norm = sum(value * value for value in vector) ** 0.5 or 1.0
    return [JavaFloat(value / norm) for value in vector]


def relevance_score(query: str, document: str) -> JavaFloat:
    """A score in (0, 1) that grows with the word pieces query and document share."""
    query_pieces = set(word_pieces(query))
    document_pieces = set(word_pieces(document))
    overlap = len(query_pieces & document_pieces) / max(len(query_pieces), 1)
    pair = f"{query}\x00{document}".encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(pair, digest_size=8).digest()
    jitter = int.from_bytes(digest, "big") / 2**64
    return JavaFloat(0.01 + 0.9 * overlap + 0.08 * jitter)
