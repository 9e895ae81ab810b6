"""Perform-inference answers per task type, in each release's shape.

8.11 answers one input with one object (``{"sparse_embedding": {token: weight}}``);
from 8.12 ``input`` may be a list and every result is a list in input order
(``SparseEmbeddingResults``, ``TextEmbeddingFloatResults`` / ``…ByteResults`` /
``…BitResults``, ``RankedDocsResults``, ``ChatCompletionResults``;
x-pack/plugin/core/.../inference/results). Results are built from raw answers,
one per input: a model's or a simulated provider's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fake_es.inference.embeddings import is_truncated
from fake_es.java_format import JavaFloat
from fake_es.versions import VersionProfile
from fake_es.versions.features import LIST_RESPONSES

RESPONSE_SCHEMAS = {
    "sparse_embedding": "sparse_embedding_response.schema.json",
    "text_embedding": "text_embedding_response.schema.json",
    "rerank": "rerank_response.schema.json",
    "completion": "completion_response.schema.json",
    "embedding": "embedding_response.schema.json",
}
# The result key of each embedding type (DenseEmbedding*Results.*_EMBEDDING).
EMBEDDING_KEYS = {
    "float": "text_embedding",
    "byte": "text_embedding_bytes",
    "int8": "text_embedding_bytes",
    "bit": "text_embedding_bits",
    "binary": "text_embedding_bits",
}


@dataclass(frozen=True)
class InferenceInput:
    """What a perform-inference request asks, after validation."""

    inputs: list[str]
    query: str | None = None
    top_n: int | None = None
    return_documents: bool | None = None
    input_type: str | None = None
    task_settings: dict[str, Any] = field(default_factory=dict)


def sparse_results(
    profile: VersionProfile, inputs: list[str], answers: list[dict[str, Any]]
) -> dict[str, Any]:
    if not profile.has(LIST_RESPONSES):
        return {"sparse_embedding": answers[0]}
    return {
        "sparse_embedding": [
            {"is_truncated": is_truncated(text), "embedding": tokens}
            for text, tokens in zip(inputs, answers, strict=True)
        ]
    }


def dense_results(
    vectors: Sequence[Sequence[float]], embedding_type: str = "float", key: str | None = None
) -> dict[str, Any]:
    """``{"text_embedding": [{"embedding": [...]}]}``; bytes and bits as signed 8-bit ints."""
    values: list[list[Any]]
    if embedding_type in ("byte", "int8"):
        values = [[max(-128, min(127, round(x * 127))) for x in v] for v in vectors]
    elif embedding_type in ("bit", "binary"):
        values = [_packed_bits(v) for v in vectors]
    else:
        values = [[JavaFloat(x) for x in v] for v in vectors]
    return {key or EMBEDDING_KEYS[embedding_type]: [{"embedding": v} for v in values]}


def _packed_bits(vector: Sequence[float]) -> list[int]:
    """Eight signs per byte, as signed bytes (the bit embedding type)."""
    packed = []
    for start in range(0, len(vector), 8):
        byte = 0
        for bit, value in enumerate(vector[start : start + 8]):
            if value > 0:
                byte |= 0x80 >> bit
        packed.append(byte - 256 if byte > 127 else byte)
    return packed


def rerank_results(
    inputs: list[str], scores: Sequence[float], top_n: int | None, return_documents: bool
) -> dict[str, Any]:
    """Documents by descending score (ties by index), cut to ``top_n``."""
    scored = sorted(
        ((JavaFloat(score), index) for index, score in enumerate(scores)),
        key=lambda item: (-item[0], item[1]),
    )
    if top_n is not None:
        scored = scored[:top_n]
    ranked = []
    for score, index in scored:
        entry: dict[str, Any] = {"index": index, "relevance_score": score}
        if return_documents:
            entry["text"] = inputs[index]
        ranked.append(entry)
    return {"rerank": ranked}


def completion_results(texts: list[str]) -> dict[str, Any]:
    return {"completion": [{"result": text} for text in texts]}
