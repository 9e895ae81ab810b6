"""How each release writes stored endpoints (``ModelConfigurations.toFilteredXContent``).

Keys in Elasticsearch's order: the id (``model_id`` until 8.14, then
``inference_id``), ``task_type``, ``service``, ``service_settings``, then
``task_settings`` (left out when empty from 8.17) and ``chunking_settings``
(from 8.16, when the endpoint has them). Secrets are never written.
"""

from __future__ import annotations

from typing import Any

from fake_es.inference.registry import InferenceEndpoint, copy_json
from fake_es.versions import VersionProfile
from fake_es.versions.features import (
    CHUNKING_SETTINGS,
    ENDPOINT_NAMING,
    OMIT_EMPTY_TASK_SETTINGS,
)

ENDPOINT_SCHEMA = "inference_endpoint.schema.json"
LIST_SCHEMA = "inference_endpoints.schema.json"


def endpoint_view(endpoint: InferenceEndpoint, profile: VersionProfile) -> dict[str, Any]:
    id_key = "inference_id" if profile.has(ENDPOINT_NAMING) else "model_id"
    body: dict[str, Any] = {
        id_key: endpoint.inference_id,
        "task_type": endpoint.task_type,
        "service": endpoint.service,
        "service_settings": copy_json(endpoint.service_settings),
    }
    if endpoint.task_settings or not profile.has(OMIT_EMPTY_TASK_SETTINGS):
        body["task_settings"] = copy_json(endpoint.task_settings)
    if endpoint.chunking_settings is not None and profile.has(CHUNKING_SETTINGS):
        body["chunking_settings"] = copy_json(endpoint.chunking_settings)
    return body


def list_view(endpoints: list[InferenceEndpoint], profile: VersionProfile) -> dict[str, Any]:
    """GetInferenceModelAction.Response: ``models`` until 8.14, ``endpoints`` from 8.15."""
    key = "endpoints" if profile.has(ENDPOINT_NAMING) else "models"
    return {key: [endpoint_view(endpoint, profile) for endpoint in endpoints]}
