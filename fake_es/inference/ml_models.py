"""The trained models the built-in services deploy, and how the fake answers as them.

The fake reports the model ids a linux-x86_64 node picks (``ElserModels`` /
``ElasticsearchInternalService``: "Select platform specific version", PR #113873),
the platform most clusters run on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fake_es.inference.embeddings import dense_embedding, relevance_score, sparse_embedding
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.results import (
    InferenceInput,
    dense_results,
    rerank_results,
    sparse_results,
)
from fake_es.providers.plan import ProviderPlan
from fake_es.versions import VersionProfile

# 8.11's ELSER service deploys the first ELSER model.
ELSER_V1 = ".elser_model_1"
ELSER_V2 = ".elser_model_2"
ELSER_V2_LINUX = ".elser_model_2_linux-x86_64"
E5_SMALL = ".multilingual-e5-small"
E5_SMALL_LINUX = ".multilingual-e5-small_linux-x86_64"
RERANK_V1 = ".rerank-v1"
# The ELSER build a create without model_id deploys on this platform.
PLATFORM_ELSER = ELSER_V2_LINUX
# multilingual-e5-small's embedding size.
E5_DIMENSIONS = 384


@dataclass(frozen=True)
class BuiltInModel:
    task_type: str


BUILT_IN_MODELS = {
    ELSER_V1: BuiltInModel("sparse_embedding"),
    ELSER_V2: BuiltInModel("sparse_embedding"),
    ELSER_V2_LINUX: BuiltInModel("sparse_embedding"),
    E5_SMALL: BuiltInModel("text_embedding"),
    E5_SMALL_LINUX: BuiltInModel("text_embedding"),
    RERANK_V1: BuiltInModel("rerank"),
}


def infer_built_in(
    profile: VersionProfile,
    endpoint: InferenceEndpoint,
    request: InferenceInput,
    _providers: ProviderPlan,
) -> dict[str, Any]:
    """Deterministic answers in the shape of the endpoint's task type (no provider involved)."""
    texts = request.inputs
    if endpoint.task_type == "text_embedding":
        return dense_results([dense_embedding(text, E5_DIMENSIONS) for text in texts])
    if endpoint.task_type == "rerank":
        # The rerank model answers with the texts unless told otherwise (inferRerank).
        configured = {**endpoint.task_settings, **request.task_settings}.get("return_documents")
        asked = request.return_documents
        return_documents = asked if asked is not None else configured is not False
        scores = [relevance_score(request.query or "", text) for text in texts]
        return rerank_results(texts, scores, request.top_n, return_documents)
    return sparse_results(profile, texts, [sparse_embedding(text) for text in texts])
