"""The ``elasticsearch`` service (8.13+): built-in and Eland models on the ML nodes.

Reading order and texts follow ``ElasticsearchInternalService.parseRequestConfig``
and ``ElasticsearchInternalServiceSettings.fromRequestMap``: the settings maps,
chunking settings (embedding task types, 8.16+), leftover top-level keys, the
model id, the service settings (problems gathered), then leftover settings.
"""

from __future__ import annotations

from typing import Any

from fake_es import messages
from fake_es.inference.chunking import CHUNKED_TASK_TYPES, read_chunking_settings
from fake_es.inference.ml_models import BUILT_IN_MODELS, infer_built_in
from fake_es.inference.services import CreateRequest, ParsedEndpoint, Service
from fake_es.inference.settings import SettingsReader, removed_map, throw_if_not_empty
from fake_es.rest.errors import EsError
from fake_es.schemas import load_schemas
from fake_es.versions.features import ADAPTIVE_ALLOCATIONS, CHUNKING_SETTINGS

NAME = "elasticsearch"
SCOPE = "service_settings"


def parse(request: CreateRequest) -> ParsedEndpoint:
    profile = request.profile
    config = request.config
    properties = load_schemas()[SERVICE.schema_id]["properties"]
    service_settings = removed_map(config, "service_settings", required=True)
    assert service_settings is not None
    settings_size = len(service_settings)
    task_settings = removed_map(config, "task_settings", required=False) or {}
    chunking = None
    if profile.has(CHUNKING_SETTINGS) and request.task_type in CHUNKED_TASK_TYPES:
        given = removed_map(config, "chunking_settings", required=False)
        chunking = read_chunking_settings(profile, given)
    throw_if_not_empty(config, request.original_size, NAME)

    model_id = service_settings.get("model_id")
    if profile.has(ADAPTIVE_ALLOCATIONS) and model_id is None:
        raise messages.illegal_argument("Error parsing service settings, model_id must be provided")
    values = _read_service_settings(request, service_settings, properties["service_settings"])
    model = BUILT_IN_MODELS.get(values["model_id"])
    if model is None:
        # An Eland model would have to be in the cluster; the fake has none.
        raise EsError(
            404,
            "resource_not_found_exception",
            f"Could not find trained model [{values['model_id']}]",
        )
    if request.task_type not in SERVICE.task_types(profile) or request.task_type != model.task_type:
        raise messages.unsupported_task_type(NAME, request.task_type)
    throw_if_not_empty(service_settings, settings_size, NAME)

    task_values: dict[str, Any] = {}
    if request.task_type == "rerank":
        reader = SettingsReader(profile, "task_settings", task_settings)
        task_values = reader.read_all(properties["task_settings"])
        reader.raise_problems()
    throw_if_not_empty(task_settings, len(task_settings), NAME)
    return ParsedEndpoint(
        service_settings=values,
        task_settings=task_values,
        chunking_settings=chunking,
        deploys_model=True,
    )


def _read_service_settings(
    request: CreateRequest, settings: dict[str, Any], schema: dict[str, Any]
) -> dict[str, Any]:
    profile = request.profile
    reader = SettingsReader(profile, SCOPE, settings)
    rules = schema["properties"]
    values: dict[str, Any] = {}
    adaptive_on = profile.has(ADAPTIVE_ALLOCATIONS)
    num_allocations = reader.read(
        "num_allocations", rules["num_allocations"], required=not adaptive_on
    )
    if num_allocations is not None:
        values["num_allocations"] = num_allocations
    num_threads = reader.read("num_threads", rules["num_threads"], required=True)
    if num_threads is not None:
        values["num_threads"] = num_threads
    adaptive = None
    if adaptive_on:
        adaptive = _read_adaptive(reader, rules["adaptive_allocations"])
        if num_allocations is None and adaptive is None:
            reader.problems.append(
                f"[{SCOPE}] does not contain one of the required settings "
                "[num_allocations, adaptive_allocations]"
            )
    model_id = reader.read("model_id", rules["model_id"], required=True)
    deployment_id = reader.read("deployment_id", rules["deployment_id"]) if adaptive_on else None
    reader.raise_problems()
    values["model_id"] = model_id
    if adaptive is not None:
        values["adaptive_allocations"] = adaptive
    if deployment_id is not None:
        values["deployment_id"] = deployment_id
    return values


def _read_adaptive(reader: SettingsReader, schema: dict[str, Any]) -> dict[str, Any] | None:
    """``ServiceUtils.removeAsAdaptiveAllocationsSettings``."""
    raw = reader.remove_as_type("adaptive_allocations", "object")
    if raw is None:
        return None
    nested = SettingsReader(reader.profile, "adaptive_allocations", dict(raw))
    values = nested.read_all(schema)
    reader.problems.extend(nested.problems)
    for key in nested.remaining:
        reader.problems.append(f"[{SCOPE}] does not allow the setting [{key}]")
    return values


SERVICE = Service(name=NAME, parse=parse, infer=infer_built_in)
