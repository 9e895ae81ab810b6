"""The ``voyageai`` service (8.19/9.1+): Voyage AI's embeddings and rerankers, simulated offline.

The settings are its schema's; this module adds how a rerank answer is cut and filled:
VoyageAIRerankTaskSettings names the cut ``top_k``, and Voyage returns the documents only
when ``return_documents`` is true (VoyageAIRerankRequestEntity sends it only when set).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.results import InferenceInput
from fake_es.inference.services._third_party import ThirdParty
from fake_es.providers.plan import ProviderPlan
from fake_es.versions import VersionProfile

NAME = "voyageai"
_BASE = ThirdParty(NAME)


def _as_top_n(settings: dict[str, Any]) -> dict[str, Any]:
    renamed = {key: value for key, value in settings.items() if key != "top_k"}
    if "top_k" in settings:
        renamed["top_n"] = settings["top_k"]
    return renamed


def infer(
    profile: VersionProfile,
    endpoint: InferenceEndpoint,
    request: InferenceInput,
    providers: ProviderPlan,
) -> dict[str, Any]:
    if endpoint.task_type == "rerank":
        stored = {"return_documents": False, **_as_top_n(endpoint.task_settings)}
        endpoint = replace(endpoint, task_settings=stored)
        request = replace(request, task_settings=_as_top_n(request.task_settings))
    return _BASE.infer(profile, endpoint, request, providers)


SERVICE = _BASE.service(infer=infer)
