"""Preconfigured endpoints every cluster lists from 8.17 (``ElasticsearchInternalService``
default configs; PR #116931 for ELSER and E5, PR #117939 for the reranker).

They are not stored: every release that has them shows them, and a user cannot
create, change or delete them. The fake reports the model ids a linux-x86_64
node uses, the platform most clusters run on.
"""

from __future__ import annotations

from fake_es.inference.chunking import DEFAULT_CHUNKING
from fake_es.inference.registry import InferenceEndpoint
from fake_es.versions import VersionProfile
from fake_es.versions.features import DEFAULT_ENDPOINTS, DEFAULT_RERANK_ENDPOINT, Feature

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


def default_endpoints(profile: VersionProfile) -> list[InferenceEndpoint]:
    return [endpoint for arrived, endpoint in _DEFAULTS if profile.has(arrived)]


def default_endpoint(profile: VersionProfile, inference_id: str) -> InferenceEndpoint | None:
    for endpoint in default_endpoints(profile):
        if endpoint.inference_id == inference_id:
            return endpoint
    return None
