"""``PUT _inference/[{task_type}/]{id}/_update`` (8.17+): UpdateInferenceModelAction.

The body is read as ``UpdateInferenceModelAction.Request.getContentAsSettings`` reads it
(``task_type``, ``service_settings``, ``task_settings``, nothing else), then
TransportUpdateInferenceModelAction finds the endpoint, lets its service merge the new
settings (``Service.update``), stores and answers the endpoint as GET would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fake_es import messages
from fake_es.inference import messages as texts
from fake_es.inference.actions import validate_inference_id
from fake_es.inference.defaults import default_endpoint
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.services import UpdateRequest, find_service
from fake_es.inference.task_types import ANY, parse_task_type
from fake_es.java_format import java_map_string
from fake_es.rest.errors import EsError
from fake_es.state import FakeState
from fake_es.versions import VersionProfile
from fake_es.versions.features import UPDATE_DEFAULT_ENDPOINT_ERROR


@dataclass(frozen=True)
class UpdateBody:
    """``UpdateInferenceModelAction.Settings``: empty maps count as absent."""

    service_settings: dict[str, Any] | None
    task_settings: dict[str, Any] | None
    task_type: str | None


def read_update_body(body: dict[str, Any], profile: VersionProfile) -> UpdateBody:
    """``Request.getContentAsSettings``: what remains of the body is printed as a HashMap."""
    remaining = dict(body)
    size = len(body)
    if not remaining:
        raise messages.status_exception(400, "Request body is empty")
    task_type = None
    if "task_type" in remaining:
        raw = remaining["task_type"]
        if not isinstance(raw, str):
            raise messages.status_exception(
                500,
                "Failed to parse [task_type] in update request "
                f"[{java_map_string(remaining, original_size=size)}]",
            )
        task_type = parse_task_type(raw, profile)
        del remaining["task_type"]
    maps: dict[str, dict[str, Any] | None] = {}
    for name, label in (("service_settings", "service"), ("task_settings", "task")):
        value = remaining.get(name)
        if name in remaining and not isinstance(value, dict):
            raise messages.status_exception(
                400,
                f"Unable to parse {label} settings in the request "
                f"[{java_map_string(remaining, original_size=size)}]",
            )
        remaining.pop(name, None)
        maps[name] = value or None
    if remaining:
        raise messages.status_exception(
            400,
            "Request contained fields which cannot be updated, remove these fields and try again "
            f"[{java_map_string(remaining, original_size=size)}]",
        )
    return UpdateBody(maps["service_settings"], maps["task_settings"], task_type)


def validate_update(profile: VersionProfile, inference_id: str) -> None:
    """``UpdateInferenceModelAction.Request.validate``: the create's id check, until 9.5
    (PR #150368 removed it, so a preconfigured id reaches the transport action)."""
    if not profile.has(UPDATE_DEFAULT_ENDPOINT_ERROR):
        validate_inference_id(profile, inference_id)


def _resolve_task_type(url_task_type: str, body_task_type: str | None) -> str:
    """``ServiceUtils.resolveTaskType``."""
    if body_task_type is None:
        if url_task_type == ANY:
            raise texts.missing_task_type()
        return url_task_type
    if body_task_type == ANY:
        raise texts.any_task_type_in_body()
    if url_task_type not in (ANY, body_task_type):
        raise texts.conflicting_task_types(url_task_type, body_task_type)
    return body_task_type


def update_endpoint(
    state: FakeState,
    profile: VersionProfile,
    url_task_type: str,
    inference_id: str,
    body: dict[str, Any],
    content: str,
) -> InferenceEndpoint:
    """TransportUpdateInferenceModelAction.masterOperation."""
    settings = read_update_body(body, profile)
    task_type = _resolve_task_type(url_task_type, settings.task_type)
    preconfigured = default_endpoint(profile, inference_id, state.eis_authorised)
    endpoint = preconfigured or state.endpoints.get(inference_id)
    if endpoint is None:
        # checkEndpointExists: ModelRegistry's not-found becomes a more specific one.
        raise EsError(
            404,
            "resource_not_found_exception",
            f"The inference endpoint [{inference_id}] does not exist and cannot be updated",
        )
    service = find_service(profile, endpoint.service, state.eis_authorised)
    if service is None:
        raise messages.status_exception(500, f"Service [{endpoint.service}] not found")
    if inference_id.startswith("."):
        # validateEndpointIsNotDefault (9.5; earlier releases refused the id before).
        raise messages.status_exception(400, f"Default endpoint [{inference_id}] cannot be updated")
    if endpoint.task_type != task_type:
        raise messages.status_exception(
            400, "Task type must match the task type of the existing endpoint"
        )
    updated = service.update(
        UpdateRequest(
            profile,
            endpoint,
            settings.service_settings,
            settings.task_settings,
            content,
            state.deployments,
            state.endpoints,
            state.providers,
        )
    )
    state.endpoints.replace(updated)
    return updated
