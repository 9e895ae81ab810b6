"""The ``elasticsearch`` service (8.13+): built-in and Eland models on the ML nodes.

Reading order and texts follow ``ElasticsearchInternalService.parseRequestConfig``:
the settings maps, chunking settings (text and sparse embedding, 8.16+), leftover
top-level keys, then by model: an existing deployment (``deployment_id``, 8.16+),
the platform's ELSER, E5, the reranker, or an Eland model (which the fake never
has). Service settings follow ``ElasticsearchInternalServiceSettings.fromRequestMap``:
problems gathered into one ValidationException. From 8.16 the deprecated ``elser``
service is an alias read here too.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fake_es import messages
from fake_es.inference.chunking import CHUNKED_TASK_TYPES, read_chunking_settings
from fake_es.inference.ml_models import (
    BUILT_IN_MODELS,
    E5_SMALL,
    E5_SMALL_LINUX,
    ELSER_V2,
    PLATFORM_ELSER,
    RERANK_V1,
    infer_built_in,
)
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.services import CreateRequest, ParsedEndpoint, Service, UpdateRequest
from fake_es.inference.settings import SettingsReader, removed_map, throw_if_not_empty
from fake_es.java_format import java_class_name
from fake_es.rest.errors import EsError
from fake_es.schemas import load_schemas
from fake_es.versions.features import (
    ADAPTIVE_ALLOCATIONS,
    CHUNKING_SETTINGS,
    UPDATE_WITHOUT_TASK_TYPE,
)

NAME = "elasticsearch"
ELSER_ALIAS = "elser"
SCOPE = "service_settings"
NO_MODEL_ID_WARNING = (
    "Putting elasticsearch service inference endpoints (including elser service) without a "
    "model_id field is deprecated and will be removed in a future release. Please specify a "
    "model_id field."
)
ELSER_ALIAS_WARNING = (
    "The [elser] service is deprecated and will be removed in a future release. Use the "
    f"[elasticsearch] service instead, with [model_id] set to [{PLATFORM_ELSER}] in the "
    "[service_settings]"
)
# The inference config class each model's deployment reports (InferenceConfig.getWriteableName).
_CONFIG_NAMES = {
    "sparse_embedding": "text_expansion",
    "text_embedding": "text_embedding",
    "rerank": "text_similarity",
}


def parse(request: CreateRequest) -> ParsedEndpoint:
    return parse_as(request, alias=None)


def parse_as(request: CreateRequest, alias: str | None) -> ParsedEndpoint:
    """``parseRequestConfig``; ``alias`` is the service name the body used, if not this one."""
    profile = request.profile
    config = request.config
    service_settings = removed_map(config, "service_settings", required=True)
    assert service_settings is not None
    task_settings = removed_map(config, "task_settings", required=False) or {}
    chunking = None
    if profile.has(CHUNKING_SETTINGS) and request.task_type in CHUNKED_TASK_TYPES:
        given = removed_map(config, "chunking_settings", required=False)
        chunking = read_chunking_settings(profile, given)
    throw_if_not_empty(config, request.original_size, NAME)

    warnings: list[str] = []
    model_id = service_settings.get("model_id")
    deployment_id = (
        service_settings.get("deployment_id") if profile.has(ADAPTIVE_ALLOCATIONS) else None
    )
    if deployment_id is not None:
        settings = _from_deployment(request, model_id, deployment_id)
        return ParsedEndpoint(service_settings=settings, chunking_settings=chunking)
    if model_id is None:
        if alias != ELSER_ALIAS and profile.has(ADAPTIVE_ALLOCATIONS):
            raise messages.illegal_argument(
                "Error parsing service settings, model_id must be provided"
            )
        if alias == ELSER_ALIAS:
            warnings.append(NO_MODEL_ID_WARNING)
    size = len(service_settings)
    values = _read_service_settings(request, service_settings)
    if model_id is None and alias == ELSER_ALIAS:
        values["model_id"] = PLATFORM_ELSER
    model = BUILT_IN_MODELS.get(values.get("model_id", ""))
    if model is None:
        # An Eland model would have to be in the cluster (GetTrainedModelsAction); none is.
        raise EsError(
            404,
            "resource_not_found_exception",
            f"Could not find trained model [{values['model_id']}]",
        )
    _check_platform(values["model_id"])
    # A built-in model serves its own task type only (the source builds the model without
    # checking; the fake refuses rather than answer a task the model cannot do).
    if request.task_type not in SERVICE.task_types(profile) or request.task_type != model.task_type:
        raise messages.unsupported_task_type(NAME, request.task_type)
    if alias == ELSER_ALIAS and model.task_type == "sparse_embedding":
        warnings.append(ELSER_ALIAS_WARNING)
    throw_if_not_empty(service_settings, size, NAME)
    task_values: dict[str, Any] = {}
    if values["model_id"] == RERANK_V1:
        task_values = _rerank_task_settings(request, task_settings)
    return ParsedEndpoint(
        service_settings=values,
        task_settings=task_values,
        chunking_settings=chunking,
        warnings=tuple(warnings),
        deployment=values,
    )


def _check_platform(model_id: str) -> None:
    """elserCase / e5Case: the platform-agnostic builds run anywhere; other ids must match."""
    if model_id in (ELSER_V2, PLATFORM_ELSER, E5_SMALL, E5_SMALL_LINUX, RERANK_V1):
        return
    raise messages.illegal_argument(
        "Error parsing request config, model id does not match any models available on this "
        f"platform. Was [{model_id}]. You may need to use a platform agnostic model."
    )


def _from_deployment(request: CreateRequest, model_id: Any, deployment_id: Any) -> dict[str, Any]:
    """validateAgainstDeployment: the endpoint takes over a running deployment's settings."""
    deployment = request.deployments.get(str(deployment_id))
    if deployment is None:
        raise messages.status_exception(404, f"Cannot find deployment [{deployment_id}]")
    deployed_model = deployment["model_id"]
    if model_id is not None and model_id != deployed_model:
        raise messages.status_exception(
            400,
            f"Deployment [{deployment_id}] uses model [{deployed_model}] which does not match "
            f"the model [{model_id}] in the request.",
        )
    model = BUILT_IN_MODELS[deployed_model]
    if model.task_type != request.task_type:
        raise messages.status_exception(
            400,
            f"Deployed model [{deployed_model}] with type [{_CONFIG_NAMES[model.task_type]}] "
            f"does not match the requested task type [{request.task_type}]",
        )
    return {**deployment, "deployment_id": deployment_id}


def _read_service_settings(request: CreateRequest, settings: dict[str, Any]) -> dict[str, Any]:
    """``fromRequestMap``: every problem gathered, then one ValidationException."""
    profile = request.profile
    rules = load_schemas()[SERVICE.schema_id]["properties"]["service_settings"]["properties"]
    reader = SettingsReader(profile, SCOPE, settings)
    adaptive_on = profile.has(ADAPTIVE_ALLOCATIONS)
    values: dict[str, Any] = {}
    num_allocations = reader.read(
        "num_allocations", rules["num_allocations"], required=not adaptive_on
    )
    if num_allocations is not None:
        values["num_allocations"] = num_allocations
    num_threads = reader.read("num_threads", rules["num_threads"], required=True)
    if num_threads is not None:
        values["num_threads"] = num_threads
    adaptive = _read_adaptive(reader, rules["adaptive_allocations"]) if adaptive_on else None
    if adaptive_on and num_allocations is None and adaptive is None:
        reader.problems.append(
            f"[{SCOPE}] does not contain one of the required settings "
            "[num_allocations, adaptive_allocations]"
        )
    # 8.13 to 8.15 require the model id among the settings; later releases decide above.
    model_id = reader.read("model_id", rules["model_id"], required=not adaptive_on)
    reader.raise_problems()
    if model_id is not None:
        values["model_id"] = model_id
    if adaptive is not None:
        values["adaptive_allocations"] = adaptive
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


def _rerank_task_settings(request: CreateRequest, settings: dict[str, Any]) -> dict[str, Any]:
    """``RerankTaskSettings.fromMap``: ``return_documents`` only."""
    schema = load_schemas()[SERVICE.schema_id]["properties"]["task_settings"]
    size = len(settings)
    reader = SettingsReader(request.profile, "task_settings", settings)
    values = reader.read_all(schema)
    reader.raise_problems()
    throw_if_not_empty(settings, size, NAME)
    return values


def update(request: UpdateRequest) -> InferenceEndpoint:
    """TransportUpdateInferenceModelAction for ML-node endpoints: ``num_allocations`` (an
    Integer cast) and the rerank model's task settings change; the deployment is updated
    (UpdateTrainedModelDeploymentAction), then the endpoint is stored."""
    endpoint = request.endpoint
    settings = dict(endpoint.service_settings)
    given = request.service_settings or {}
    num_allocations = given.get("num_allocations")
    if "num_allocations" in given:
        if type(num_allocations) is not int:
            raise messages.class_cast(java_class_name(num_allocations), "java.lang.Integer")
        # ElasticsearchInternalServiceSettings writes num_allocations first.
        settings.pop("num_allocations", None)
        settings = {"num_allocations": num_allocations, **settings}
    task_settings = endpoint.task_settings
    if request.task_settings is not None and endpoint.task_type == "rerank":
        schema = load_schemas()[SERVICE.schema_id]["properties"]["task_settings"]
        reader = SettingsReader(request.profile, "task_settings", dict(request.task_settings))
        task_settings = {**task_settings, **reader.read_all(schema)}
        reader.raise_problems()
    deployment_id = _deployment_of(request)
    if not request.profile.has(UPDATE_WITHOUT_TASK_TYPE) and num_allocations is None:
        # 8.17 updated the deployment only with an Integer num_allocations.
        raise messages.status_exception(
            400, f"Failed to parse [num_allocations] of update request [{request.content}]"
        )
    deployed = request.deployments.get(deployment_id)
    if num_allocations is not None and deployed is not None:
        request.deployments.update(deployment_id, {**deployed, "num_allocations": num_allocations})
    return replace(endpoint, service_settings=settings, task_settings=task_settings)


def _deployment_of(request: UpdateRequest) -> str:
    """throwIfTrainedModelDoesntExist, and from 8.18/9.0 (PR #121231) the endpoint's own
    deployment: one another endpoint or the trained models API started cannot be updated here."""
    endpoint = request.endpoint
    inference_id = endpoint.inference_id
    deployment_id = inference_id
    if request.profile.has(UPDATE_WITHOUT_TASK_TYPE):
        deployment_id = str(endpoint.service_settings.get("deployment_id", inference_id))
    if deployment_id not in request.deployments:
        raise EsError(
            404,
            "resource_not_found_exception",
            f"Requested model ID [{inference_id}] does not have a matching trained model and "
            "thus cannot be updated.",
        )
    if deployment_id != inference_id:
        if request.endpoints.get(deployment_id) is not None:
            raise messages.status_exception(
                409,
                f"Cannot update inference endpoint [{inference_id}] for model deployment "
                f"[{deployment_id}] as it was created by another inference endpoint. The model "
                f"can only be updated using inference endpoint id [{deployment_id}].",
            )
        raise messages.status_exception(
            409,
            f"Cannot update inference endpoint [{inference_id}] using model deployment "
            f"[{deployment_id}]. The model deployment must be updated through the trained models "
            "API.",
        )
    return deployment_id


SERVICE = Service(name=NAME, parse=parse, infer=infer_built_in, update=update)
