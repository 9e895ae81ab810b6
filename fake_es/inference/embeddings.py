"""Deterministic ELSER-like sparse embeddings.

ELSER maps text to weighted BERT word pieces. The fake does the same without a
model: it lower-cases the text, strips accents (as BERT's uncased tokenizer
does), splits it into words and splits long words into word pieces (``##``
continuations). Each distinct piece gets a weight from a BLAKE2b hash of the
piece and the whole text, so the same text always gives the same tokens and
weights, in any process on any machine, and different texts give different
embeddings. Weights are positive 32-bit floats between 0.05 and 3.0, and the
tokens are listed heaviest first, as ELSER's text expansion sorts them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from fake_es.java_format import JavaFloat

# BERT's input limit: 512 positions, two of them [CLS] and [SEP].
MAX_PIECES = 510
_WORD = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")
_PIECE = 5
_MIN_WEIGHT = 0.05
_MAX_WEIGHT = 3.0


def word_pieces(text: str) -> list[str]:
    """Lower-cased, accent-free word pieces: "Inference" -> ["infer", "##enc", "##e"]."""
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    pieces: list[str] = []
    for word in _WORD.findall(plain):
        if len(word) <= _PIECE + 1:
            pieces.append(word)
            continue
        pieces.append(word[:_PIECE])
        pieces.extend(f"##{word[i : i + 3]}" for i in range(_PIECE, len(word), 3))
    return pieces[:MAX_PIECES]


def _weight(piece: str, text: str) -> JavaFloat:
    digest = hashlib.blake2b(f"{piece}\x00{text}".encode(), digest_size=8).digest()
    fraction = int.from_bytes(digest, "big") / 2**64
    return JavaFloat(_MIN_WEIGHT + fraction * (_MAX_WEIGHT - _MIN_WEIGHT))


def sparse_embedding(text: str) -> dict[str, JavaFloat]:
    """Token -> weight, heaviest first (ties by token), each token once."""
    weights = {piece: _weight(piece, text) for piece in dict.fromkeys(word_pieces(text))}
    return dict(sorted(weights.items(), key=lambda item: (-item[1], item[0])))
