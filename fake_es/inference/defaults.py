"""Preconfigured endpoints every cluster lists from 8.17 (``ElasticsearchInternalService``
default configs; PR #116931 for ELSER and E5, PR #117939 for the reranker), and those of the
Elastic Inference Service where the cluster is authorised to use it.

They are not stored: every release that has them shows them, and a user cannot
create, change or delete them. The fake reports the model ids a linux-x86_64
node uses, the platform most clusters run on.
"""

from __future__ import annotations

from typing import Any

from fake_es.inference.chunking import DEFAULT_CHUNKING
from fake_es.inference.registry import InferenceEndpoint
from fake_es.versions import VersionProfile
from fake_es.versions.features import DEFAULT_ENDPOINTS, DEFAULT_RERANK_ENDPOINT, Feature, feature

ELSER_MODEL = ".elser_model_2_linux-x86_64"
E5_MODEL = ".multilingual-e5-small_linux-x86_64"
RERANK_MODEL = ".rerank-v1"
_ADAPTIVE = {"enabled": True, "min_number_of_allocations": 0, "max_number_of_allocations": 32}


def _default(inference_id: str, task_type: str, model_id: str) -> InferenceEndpoint:
    chunked = task_type != "rerank"
    return InferenceEndpoint(
        inference_id=inference_id,
        task_type=task_type,
        service="elasticsearch",
        service_settings={
            "num_threads": 1,
            "model_id": model_id,
            "adaptive_allocations": _ADAPTIVE,
        },
        task_settings={} if chunked else {"return_documents": True},
        chunking_settings=dict(DEFAULT_CHUNKING) if chunked else None,
    )


_DEFAULTS: tuple[tuple[Feature, InferenceEndpoint], ...] = (
    (DEFAULT_ENDPOINTS, _default(".elser-2-elasticsearch", "sparse_embedding", ELSER_MODEL)),
    (
        DEFAULT_ENDPOINTS,
        _default(".multilingual-e5-small-elasticsearch", "text_embedding", E5_MODEL),
    ),
    (DEFAULT_RERANK_ENDPOINT, _default(".rerank-v1-elasticsearch", "rerank", RERANK_MODEL)),
)


def _eis(inference_id: str, task_type: str, service_settings: dict[str, Any]) -> InferenceEndpoint:
    """ElasticInferenceService's default configs: no task settings (EmptyTaskSettings), the
    default chunking for the embedding task types."""
    chunked = task_type in ("sparse_embedding", "text_embedding")
    return InferenceEndpoint(
        inference_id=inference_id,
        task_type=task_type,
        service="elastic",
        service_settings=service_settings,
        task_settings={},
        chunking_settings=dict(DEFAULT_CHUNKING) if chunked else None,
    )


# The EIS defaults of each release, and the release that renamed each away (None: never).
# The rate limits are each settings class's default (720 for chat, 1000 for sparse and 10000
# for dense embeddings); the rerank settings write none. Sources: ElasticInferenceService
# (initDefaultEndpoints), PR #120847 (chat), PR #130336 (.elser-2-elastic, backported to 8.19
# and 9.1), PR #129847 and its 8.19 backport #129963 (dense embeddings), PR #129681 and its
# 8.19 backport #129985 (rerank), PRs #137175 and #137205 (9.2: the Jina embedding and the
# Elastic rerank names), PR #137364 (9.2: the embedding's similarity and dimensions) and
# PR #138498 (the Jina reranker, on main after 9.2 was branched).
EIS_CHAT = feature("eis_chat_completion", "8.18", "9.0")
EIS_EMBEDDINGS = feature("eis_embeddings_and_rerank", "8.19", "9.1")
EIS_RENAMED = feature("eis_jina_embeddings", "9.2")
EIS_JINA_RERANKER = feature("eis_jina_reranker", "9.3")
_EIS_DEFAULTS: tuple[tuple[Feature, Feature | None, InferenceEndpoint], ...] = (
    (
        EIS_CHAT,
        None,
        _eis(
            ".rainbow-sprinkles-elastic",
            "chat_completion",
            {"model_id": "rainbow-sprinkles", "rate_limit": {"requests_per_minute": 720}},
        ),
    ),
    (
        EIS_EMBEDDINGS,
        None,
        _eis(
            ".elser-2-elastic",
            "sparse_embedding",
            {"model_id": "elser_model_2", "rate_limit": {"requests_per_minute": 1000}},
        ),
    ),
    (
        EIS_EMBEDDINGS,
        EIS_RENAMED,
        _eis(
            ".multilingual-embed-v1-elastic",
            "text_embedding",
            {"model_id": "multilingual-embed-v1", "rate_limit": {"requests_per_minute": 10000}},
        ),
    ),
    (
        EIS_RENAMED,
        None,
        _eis(
            ".jina-embeddings-v3",
            "text_embedding",
            {
                "similarity": "cosine",
                "dimensions": 1024,
                "model_id": "jina-embeddings-v3",
                "rate_limit": {"requests_per_minute": 10000},
            },
        ),
    ),
    (EIS_EMBEDDINGS, EIS_RENAMED, _eis(".rerank-v1-elastic", "rerank", {"model_id": "rerank-v1"})),
    (
        EIS_RENAMED,
        EIS_JINA_RERANKER,
        _eis(".elastic-rerank-v1", "rerank", {"model_id": "elastic-rerank-v1"}),
    ),
    (
        EIS_JINA_RERANKER,
        None,
        _eis(".jina-reranker-v2", "rerank", {"model_id": "jina-reranker-v2"}),
    ),
)


def default_endpoints(
    profile: VersionProfile, eis_authorised: bool = False
) -> list[InferenceEndpoint]:
    """The preconfigured endpoints of this release; EIS's only where the cluster may use it."""
    found = [endpoint for arrived, endpoint in _DEFAULTS if profile.has(arrived)]
    if eis_authorised:
        found.extend(
            endpoint
            for arrived, renamed, endpoint in _EIS_DEFAULTS
            if profile.has(arrived) and (renamed is None or not profile.has(renamed))
        )
    return found


def default_endpoint(
    profile: VersionProfile, inference_id: str, eis_authorised: bool = False
) -> InferenceEndpoint | None:
    for endpoint in default_endpoints(profile, eis_authorised):
        if endpoint.inference_id == inference_id:
            return endpoint
    return None
