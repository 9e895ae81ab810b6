"""The ``elser`` service (8.11+): ELSER on the cluster's ML nodes.

8.11 and 8.12 are ``ElserMlNodeService`` (8.12 adds ``model_version``), 8.13 to 8.15
``ElserInternalService`` (``model_id``). From 8.16 the name is a deprecated alias
of the ``elasticsearch`` service, which stores the endpoint under its own name
and answers with deprecation warnings (PR #113216, backport #114052;
``ElasticsearchInternalService.parseRequestConfig``).
"""

from __future__ import annotations

from fake_es import messages
from fake_es.inference.ml_models import PLATFORM_ELSER, infer_built_in
from fake_es.inference.services import CreateRequest, ParsedEndpoint, Service
from fake_es.inference.services import elasticsearch as elasticsearch_service
from fake_es.inference.settings import (
    SettingsReader,
    in_release,
    removed_map,
    throw_if_not_empty,
)
from fake_es.schemas import load_schemas
from fake_es.versions.features import ELSER_DEPRECATED

NAME = "elser"
NO_MODEL_ID_WARNING = (
    "Putting elasticsearch service inference endpoints (including elser service) without a "
    "model_id field is deprecated and will be removed in a future release. Please specify a "
    "model_id field."
)
DEPRECATION_WARNING = (
    "The [elser] service is deprecated and will be removed in a future release. Use the "
    f"[elasticsearch] service instead, with [model_id] set to [{PLATFORM_ELSER}] in the "
    "[service_settings]"
)


def parse(request: CreateRequest) -> ParsedEndpoint:
    if request.profile.has(ELSER_DEPRECATED):
        return _as_elasticsearch(request)
    config = request.config
    schema = load_schemas()[SERVICE.schema_id]["properties"]
    service_settings = removed_map(config, "service_settings", required=True)
    assert service_settings is not None
    settings_size = len(service_settings)
    reader = SettingsReader(request.profile, "service_settings", service_settings)
    values = reader.read_all(schema["service_settings"])
    reader.raise_problems()
    task_settings = removed_map(config, "task_settings", required=False) or {}
    if request.task_type not in SERVICE.task_types(request.profile):
        raise messages.unsupported_task_type(NAME, request.task_type)
    throw_if_not_empty(config, request.original_size, NAME)
    throw_if_not_empty(service_settings, settings_size, NAME)
    throw_if_not_empty(task_settings, len(task_settings), NAME)
    properties = schema["service_settings"]["properties"]
    for model_key in ("model_version", "model_id"):
        # The platform's ELSER build when none is named (8.12+).
        if in_release(model_key, properties[model_key], request.profile):
            values.setdefault(model_key, PLATFORM_ELSER)
    return ParsedEndpoint(service_settings=values, deploys_model=True)


def _as_elasticsearch(request: CreateRequest) -> ParsedEndpoint:
    """8.16+: the elasticsearch service reads it, defaulting the ELSER model, and warns."""
    settings = request.config.get("service_settings")
    warnings = [DEPRECATION_WARNING]
    if isinstance(settings, dict) and settings.get("model_id") is None:
        warnings.insert(0, NO_MODEL_ID_WARNING)
        settings["model_id"] = PLATFORM_ELSER
    parsed = elasticsearch_service.parse(request)
    return ParsedEndpoint(
        service_settings=parsed.service_settings,
        task_settings=parsed.task_settings,
        chunking_settings=parsed.chunking_settings,
        stored_service=elasticsearch_service.NAME,
        warnings=tuple(warnings),
        deploys_model=parsed.deploys_model,
    )


SERVICE = Service(name=NAME, parse=parse, infer=infer_built_in)
