"""What the inference transport actions do to the state, shared by HTTP and Python callers.

Each function is one transport action (x-pack/plugin/inference/.../action) for the
release the profile names; the REST handlers only read requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fake_es import messages
from fake_es.inference import messages as texts
from fake_es.inference.defaults import default_endpoint, default_endpoints
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.results import InferenceInput
from fake_es.inference.services import CreateRequest, Service, find_service
from fake_es.inference.streaming import Streamed
from fake_es.inference.task_types import ANY, parse_task_type
from fake_es.inference.unified import ChatRequest
from fake_es.state import FakeState
from fake_es.versions import VersionProfile
from fake_es.versions.features import (
    DELETE_CHECKS_MAPPINGS,
    DELETE_LOOKS_UP,
    DELETE_REFERENCE_CHECKS,
    INFERENCE_ID_PATHS,
    INFERENCE_ID_VALIDATION,
    RESERVED_DEFAULT_ENDPOINTS,
)

# IndexRequest.validate: a document id is at most 512 bytes; the model's is "model_" + id.
MAX_DOCUMENT_ID_BYTES = 512
# The bulk that stores a model writes two documents under that id: configuration and secrets.
STORED_DOCUMENTS = 2
# MlStrings.isValidId, as PutInferenceModelAction.Request.validate applies it.
_VALID_ID = re.compile(r"[a-z0-9](?:[a-z0-9_\-.]*[a-z0-9])?")
ALL_IDS = frozenset({"_all", "*", ""})


@dataclass(frozen=True)
class Created:
    endpoint: InferenceEndpoint
    warnings: tuple[str, ...]


def validate_inference_id(profile: VersionProfile, inference_id: str) -> None:
    """``PutInferenceModelAction.Request.validate`` (8.13+): run before the transport action."""
    if profile.has(INFERENCE_ID_VALIDATION) and (
        inference_id == "_all" or not _VALID_ID.fullmatch(inference_id)
    ):
        raise texts.invalid_inference_id(inference_id)


def _resolve_task_type(profile: VersionProfile, url_task_type: str, config: dict[str, Any]) -> str:
    """``ServiceUtils.resolveTaskType`` (8.13+): the path's task type, or the body's."""
    if not profile.has(INFERENCE_ID_PATHS):
        return url_task_type
    body_task_type = config.pop("task_type", None)
    if body_task_type is None:
        if url_task_type == ANY:
            raise texts.missing_task_type()
        return url_task_type
    if not isinstance(body_task_type, str):
        raise messages.class_cast_to_string(body_task_type)
    parsed = parse_task_type(body_task_type, profile)
    if parsed == ANY:
        raise texts.any_task_type_in_body()
    if url_task_type not in (ANY, parsed):
        raise texts.conflicting_task_types(url_task_type, body_task_type)
    return parsed


def _service_of(state: FakeState, profile: VersionProfile, config: dict[str, Any]) -> Service:
    name = config.pop("service", None)
    if name is None:
        raise texts.missing_service(profile)
    if not isinstance(name, str):
        raise messages.class_cast_to_string(name)
    service = find_service(profile, name, state.eis_authorised)
    if service is None:
        raise messages.unknown_service(name)
    return service


def create_endpoint(
    state: FakeState, profile: VersionProfile, url_task_type: str, inference_id: str, body: Any
) -> Created:
    """TransportPutInferenceModelAction: read the configuration, store it, start the service."""
    config = dict(body)
    task_type = _resolve_task_type(profile, url_task_type, config)
    service = _service_of(state, profile, config)
    request = CreateRequest(profile, inference_id, task_type, config, len(body), state.deployments)
    parsed = service.parse(request)
    document_id = f"model_{inference_id}"
    if len(document_id.encode("utf-8")) > MAX_DOCUMENT_ID_BYTES:
        cause = messages.document_id_too_long(document_id, STORED_DOCUMENTS)
        raise texts.failed_to_store(profile, inference_id, cause)
    endpoint = InferenceEndpoint(
        inference_id=inference_id,
        task_type=task_type,
        service=parsed.stored_service or service.name,
        service_settings=parsed.service_settings,
        task_settings=parsed.task_settings,
        chunking_settings=parsed.chunking_settings,
        secrets=parsed.secrets,
    )
    endpoint = service.validate(profile, endpoint, state.providers)
    if not state.endpoints.store(endpoint):
        raise texts.already_exists(profile, inference_id)
    if parsed.deployment is not None:
        _start_deployment(state, inference_id, parsed.deployment)
    return Created(endpoint, parsed.warnings)


def _start_deployment(state: FakeState, inference_id: str, settings: dict[str, Any]) -> None:
    """The built-in services deploy their model under the endpoint's id (service.start).

    TransportPutInferenceModelAction stores the model, then starts it: a deployment that
    exists already fails the request and the stored model stays, as in Elasticsearch.
    A failure of the fake's own storage (a full disk) takes the endpoint back out, so
    that a request answered with an error stores nothing and disk and memory agree.
    """
    try:
        started = state.deployments.start(inference_id, settings)
    except OSError:
        state.endpoints.delete(inference_id)
        raise
    if not started:
        raise messages.deployment_exists(inference_id)


def find_endpoint(
    state: FakeState, profile: VersionProfile, inference_id: str
) -> InferenceEndpoint:
    """ModelRegistry.getModel: preconfigured endpoints first; 404 when there is none."""
    preconfigured = default_endpoint(profile, inference_id, state.eis_authorised)
    endpoint = preconfigured or state.endpoints.get(inference_id)
    if endpoint is None:
        raise texts.not_found(profile, inference_id)
    return endpoint


def _addressed(
    state: FakeState, profile: VersionProfile, task_type: str, inference_id: str
) -> InferenceEndpoint:
    endpoint = find_endpoint(state, profile, inference_id)
    if task_type not in (ANY, endpoint.task_type):
        raise texts.task_type_mismatch(profile, task_type, endpoint.task_type)
    return endpoint


def get_endpoint(state: FakeState, profile: VersionProfile, inference_id: str) -> InferenceEndpoint:
    """8.11's TransportGetInferenceModelAction: by id only, the task type not compared."""
    return find_endpoint(state, profile, inference_id)


def list_endpoints(
    state: FakeState, profile: VersionProfile, task_type: str, inference_id: str
) -> list[InferenceEndpoint]:
    """TransportGetInferenceModelAction (8.12+): one endpoint, or all (``_all``, ``*``, none),
    sorted by id, of the task type named (``any``: every one)."""
    if inference_id not in ALL_IDS:
        return [_addressed(state, profile, task_type, inference_id)]
    everything = [*default_endpoints(profile, state.eis_authorised), *state.endpoints.all()]
    chosen = [e for e in everything if task_type in (ANY, e.task_type)]
    return sorted(chosen, key=lambda endpoint: _java_order(endpoint.inference_id))


def _java_order(text: str) -> list[int]:
    # String.compareTo compares UTF-16 code units.
    encoded = text.encode("utf-16-be")
    return [int.from_bytes(encoded[i : i + 2], "big") for i in range(0, len(encoded), 2)]


def delete_endpoint(
    state: FakeState,
    profile: VersionProfile,
    task_type: str,
    inference_id: str,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> dict[str, Any]:
    """TransportDeleteInferenceEndpointAction, as each release answers."""
    if not profile.has(DELETE_LOOKS_UP):
        # 8.11: a delete by query, acknowledged whether or not it matched.
        state.endpoints.delete(inference_id)
        return {"acknowledged": True}
    endpoint = _addressed(state, profile, task_type, inference_id)
    preconfigured = default_endpoint(profile, inference_id, state.eis_authorised) is not None
    if preconfigured and not force and profile.has(RESERVED_DEFAULT_ENDPOINTS):
        raise texts.reserved_endpoint(inference_id)
    answer: dict[str, Any] = {"acknowledged": True}
    if profile.has(DELETE_REFERENCE_CHECKS):
        pipelines = state.references.pipelines(inference_id)
        indexes = state.references.indexes(inference_id)
        if not profile.has(DELETE_CHECKS_MAPPINGS):
            indexes = set()
        answer = _reference_answer(profile, inference_id, pipelines, indexes, dry_run, force)
        if dry_run:
            return answer
    # A preconfigured endpoint is served again from memory on its next use.
    state.endpoints.delete(endpoint.inference_id)
    state.deployments.stop(endpoint.inference_id)
    return answer


def _reference_answer(
    profile: VersionProfile,
    inference_id: str,
    pipelines: set[str],
    indexes: set[str],
    dry_run: bool,
    force: bool,
) -> dict[str, Any]:
    with_mappings = profile.has(DELETE_CHECKS_MAPPINGS)
    if dry_run:
        answer: dict[str, Any] = {"acknowledged": False, "pipelines": sorted(pipelines)}
        if with_mappings:
            answer["indexes"] = sorted(indexes)
            answer["error_message"] = texts.references_message(inference_id, pipelines, indexes)
        return answer
    if not force and (pipelines or indexes):
        if with_mappings:
            reason = texts.references_message(inference_id, pipelines, indexes)
            raise messages.status_exception(409, reason)
        raise texts.referenced_by_pipelines_8_15(inference_id)
    answer = {"acknowledged": True, "pipelines": []}
    if with_mappings:
        answer["indexes"] = []
    return answer


def infer(
    state: FakeState,
    profile: VersionProfile,
    task_type: str,
    inference_id: str,
    request: InferenceInput,
) -> tuple[str, dict[str, Any]]:
    """TransportInferenceAction: (the endpoint's task type, the results)."""
    endpoint, service = _inferring(state, profile, task_type, inference_id)
    return endpoint.task_type, service.infer(profile, endpoint, request, state.providers)


def _inferring(
    state: FakeState, profile: VersionProfile, task_type: str, inference_id: str
) -> tuple[InferenceEndpoint, Service]:
    """BaseTransportInferenceAction: the endpoint, of the task type asked for, and its service."""
    endpoint = find_endpoint(state, profile, inference_id)
    if task_type not in (ANY, endpoint.task_type):
        raise messages.incompatible_task_type(task_type, endpoint.task_type)
    service = find_service(profile, endpoint.service, state.eis_authorised)
    if service is None:
        raise messages.unknown_service(endpoint.service)
    return endpoint, service


def _check_can_stream(
    profile: VersionProfile, service: Service, task_type: str, endpoint: InferenceEndpoint
) -> None:
    """``inferOnService``: only the task types the service streams (``canStream``)."""
    supported = service.streaming_task_types(profile)
    if endpoint.task_type not in supported:
        raise texts.streaming_not_allowed(service.name, task_type, supported)


def stream_infer(
    state: FakeState,
    profile: VersionProfile,
    task_type: str,
    inference_id: str,
    request: InferenceInput,
) -> Streamed | dict[str, Any]:
    """TransportInferenceAction with ``stream``: the streamed results, or the whole answer of
    a service whose provider cannot stream."""
    endpoint, service = _inferring(state, profile, task_type, inference_id)
    _check_can_stream(profile, service, task_type, endpoint)
    if service.stream is None:
        return service.infer(profile, endpoint, request, state.providers)
    return service.stream(profile, endpoint, request, state.providers)


def chat(
    state: FakeState,
    profile: VersionProfile,
    task_type: str,
    inference_id: str,
    request: ChatRequest,
) -> Streamed:
    """TransportUnifiedCompletionInferenceAction (8.18/9.0+): a chat completion, streamed."""
    endpoint, service = _inferring(state, profile, task_type, inference_id)
    _check_can_stream(profile, service, task_type, endpoint)
    assert service.chat is not None, f"{service.name} streams chat_completion without a chat"
    return service.chat(profile, endpoint, request, state.providers)
