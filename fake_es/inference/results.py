"""Perform-inference answers per task type, in each release's shape.

8.11 answers one input with one object (``{"sparse_embedding": {token: weight}}``);
from 8.12 ``input`` may be a list and every result is a list in input order
(``SparseEmbeddingResults``, ``TextEmbeddingResults``, ``RankedDocsResults``;
x-pack/plugin/core/.../inference/results).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fake_es.inference.embeddings import (
    dense_embedding,
    is_truncated,
    relevance_score,
    sparse_embedding,
)
from fake_es.versions import VersionProfile
from fake_es.versions.features import LIST_RESPONSES

RESPONSE_SCHEMAS = {
    "sparse_embedding": "sparse_embedding_response.schema.json",
    "text_embedding": "text_embedding_response.schema.json",
    "rerank": "rerank_response.schema.json",
}


@dataclass(frozen=True)
class InferenceInput:
    """What a perform-inference request asks, after validation."""

    inputs: list[str]
    query: str | None = None
    top_n: int | None = None
    return_documents: bool | None = None
    task_settings: dict[str, Any] = field(default_factory=dict)


def sparse_results(profile: VersionProfile, request: InferenceInput) -> dict[str, Any]:
    if not profile.has(LIST_RESPONSES):
        return {"sparse_embedding": sparse_embedding(request.inputs[0])}
    return {
        "sparse_embedding": [
            {"is_truncated": is_truncated(text), "embedding": sparse_embedding(text)}
            for text in request.inputs
        ]
    }


def dense_results(request: InferenceInput, dimensions: int) -> dict[str, Any]:
    return {
        "text_embedding": [
            {"embedding": dense_embedding(text, dimensions)} for text in request.inputs
        ]
    }


def rerank_results(request: InferenceInput, return_documents: bool) -> dict[str, Any]:
    """Documents by descending score (ties by index), cut to ``top_n``."""
    query = request.query or ""
    scored = sorted(
        ((relevance_score(query, text), index, text) for index, text in enumerate(request.inputs)),
        key=lambda item: (-item[0], item[1]),
    )
    if request.top_n is not None:
        scored = scored[: request.top_n]
    ranked = []
    for score, index, text in scored:
        entry: dict[str, Any] = {"index": index, "relevance_score": score}
        if return_documents:
            entry["text"] = text
        ranked.append(entry)
    return {"rerank": ranked}
