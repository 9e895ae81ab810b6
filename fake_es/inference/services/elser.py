"""The ``elser`` service (8.11+): ELSER on the cluster's ML nodes.

8.11 and 8.12 are ``ElserMlNodeService`` (8.12 adds ``model_version``), 8.13 to 8.15
``ElserInternalService`` (``model_id``). From 8.16 the name is a deprecated alias
of the ``elasticsearch`` service, which stores the endpoint under its own name
and answers with deprecation warnings (PR #113216, backport #114052;
``ElasticsearchInternalService.parseRequestConfig``).
"""

from __future__ import annotations

from dataclasses import replace

from fake_es import messages
from fake_es.inference.ml_models import ELSER_V1, PLATFORM_ELSER, infer_built_in
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


def parse(request: CreateRequest) -> ParsedEndpoint:
    if request.profile.has(ELSER_DEPRECATED):
        parsed = elasticsearch_service.parse_as(request, alias=NAME)
        return replace(parsed, stored_service=elasticsearch_service.NAME)
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
    # ElserMlNodeService.start: the deployment of ELSER under the endpoint's id.
    deployed_model = values.get("model_id", values.get("model_version", ELSER_V1))
    return ParsedEndpoint(
        service_settings=values, deployment={**values, "model_id": deployed_model}
    )


SERVICE = Service(name=NAME, parse=parse, infer=infer_built_in, update=elasticsearch_service.update)
