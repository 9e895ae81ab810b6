"""The inference API's routes per release, and the transport actions security checks.

Each row names the release it arrived in; ``inference_routes(profile)`` keeps
those the release has. Path parameters keep Elasticsearch's names, which
appear in "did you mean" suggestions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fake_es.inference import handlers
from fake_es.inference.ml_deployments import STOP_ACTION, stop_deployment_handler
from fake_es.rest.routing import Endpoint, Handler, Route
from fake_es.versions import VersionProfile
from fake_es.versions.features import (
    DELETE_LOOKS_UP,
    GET_IS_MONITOR_ACTION,
    GET_WITHOUT_ID,
    INFERENCE_ACTION_PROXY,
    INFERENCE_ID_PATHS,
    LIST_RESPONSES,
    REGION_POLICY,
    SERVICES_API,
    STREAM_INFERENCE,
    UPDATE_API,
    Feature,
    feature,
)

PUT_ACTION = "cluster:admin/xpack/inference/put"
DELETE_ACTION = "cluster:admin/xpack/inference/delete"
INFER_ACTION = "cluster:monitor/xpack/inference"
INFER_PROXY_ACTION = "cluster:monitor/xpack/inference/post"
# UpdateInferenceModelAction.NAME
UPDATE_ACTION = "cluster:admin/xpack/inference/update"
# GetInferenceServicesAction.NAME
SERVICES_ACTION = "cluster:monitor/xpack/inference/services/get"
# Put/Get/DeleteRegionPolicyAction.NAME
REGION_POLICY_ACTIONS = {
    "PUT": "cluster:admin/xpack/inference/region_policy/put",
    "GET": "cluster:monitor/xpack/inference/region_policy/get",
    "DELETE": "cluster:admin/xpack/inference/region_policy/delete",
}
_ALWAYS = feature("inference_api", "8.11")


@dataclass(frozen=True)
class RouteSpec:
    path: str
    methods: tuple[str, ...]
    arrived: Feature
    # The release whose routes replaced this one, if any.
    replaced_by: Feature | None = None
    # A REST handler of its own (method -> handler, transport action); None: the CRUD
    # handlers of the endpoint paths, by method.
    own: Mapping[str, tuple[Handler, str]] | None = None
    # RestStreamInferenceAction: POST answers with server-sent events.
    stream: bool = False


_HANDLERS: dict[str, Handler] = {
    "GET": handlers.get_endpoints,
    "PUT": handlers.put_endpoint,
    "POST": handlers.infer,
    "DELETE": handlers.delete_endpoint,
}
_STREAM_HANDLERS: dict[str, Handler] = {"POST": handlers.stream_infer}
_ALL_METHODS = ("GET", "POST", "PUT", "DELETE")

ROUTES = (
    # RestGet/Put/Delete/InferenceAction of 8.11 and 8.12.
    RouteSpec(
        "/_inference/<segment:task_type>/<segment:model_id>",
        _ALL_METHODS,
        _ALWAYS,
        replaced_by=INFERENCE_ID_PATHS,
    ),
    # 8.12: RestGetInferenceModelAction's `_inference/_all`.
    RouteSpec("/_inference/_all", ("GET",), LIST_RESPONSES, replaced_by=INFERENCE_ID_PATHS),
    # 8.13: Paths.INFERENCE_ID_PATH and TASK_TYPE_INFERENCE_ID_PATH.
    RouteSpec("/_inference/<segment:task_type_or_id>", _ALL_METHODS, INFERENCE_ID_PATHS),
    RouteSpec(
        "/_inference/<segment:task_type_or_id>/<segment:inference_id>",
        _ALL_METHODS,
        INFERENCE_ID_PATHS,
    ),
    # 8.14: `GET _inference`.
    RouteSpec("/_inference", ("GET",), GET_WITHOUT_ID),
    # 8.17: RestUpdateInferenceModelAction (PUT only; a POST gets 405).
    RouteSpec(
        "/_inference/<segment:task_type_or_id>/_update",
        ("PUT",),
        UPDATE_API,
        own={"PUT": (handlers.update_endpoint, UPDATE_ACTION)},
    ),
    RouteSpec(
        "/_inference/<segment:task_type_or_id>/<segment:inference_id>/_update",
        ("PUT",),
        UPDATE_API,
        own={"PUT": (handlers.update_endpoint, UPDATE_ACTION)},
    ),
    # 8.18/9.0: RestGetInferenceServicesAction.
    RouteSpec(
        "/_inference/_services",
        ("GET",),
        SERVICES_API,
        own={"GET": (handlers.get_services, SERVICES_ACTION)},
    ),
    RouteSpec(
        "/_inference/_services/<segment:task_type>",
        ("GET",),
        SERVICES_API,
        own={"GET": (handlers.get_services, SERVICES_ACTION)},
    ),
    # 9.5: RestPut/Get/DeleteRegionPolicyAction.
    RouteSpec(
        "/_inference/_region_policy",
        ("GET", "PUT", "DELETE"),
        REGION_POLICY,
        own={
            "PUT": (handlers.put_region_policy, REGION_POLICY_ACTIONS["PUT"]),
            "GET": (handlers.get_region_policy, REGION_POLICY_ACTIONS["GET"]),
            "DELETE": (handlers.delete_region_policy, REGION_POLICY_ACTIONS["DELETE"]),
        },
    ),
    # ml RestStopTrainedModelDeploymentAction: served while DELETE leaves the ELSER
    # deployment running (8.11); from 8.12 the delete stops it (DELETE_LOOKS_UP).
    RouteSpec(
        "/_ml/trained_models/<segment:model_id>/deployment/_stop",
        ("POST",),
        _ALWAYS,
        replaced_by=DELETE_LOOKS_UP,
        own={"POST": (stop_deployment_handler, STOP_ACTION)},
    ),
    # 8.16: Paths.STREAM_INFERENCE_ID_PATH and STREAM_TASK_TYPE_INFERENCE_ID_PATH.
    RouteSpec(
        "/_inference/<segment:task_type_or_id>/_stream", ("POST",), STREAM_INFERENCE, stream=True
    ),
    RouteSpec(
        "/_inference/<segment:task_type_or_id>/<segment:inference_id>/_stream",
        ("POST",),
        STREAM_INFERENCE,
        stream=True,
    ),
)


def _action_name(method: str, profile: VersionProfile) -> str:
    if method == "GET":
        if profile.has(GET_IS_MONITOR_ACTION):
            return "cluster:monitor/xpack/inference/get"
        return "cluster:admin/xpack/inference/get"
    if method == "POST":
        return INFER_PROXY_ACTION if profile.has(INFERENCE_ACTION_PROXY) else INFER_ACTION
    return {"PUT": PUT_ACTION, "DELETE": DELETE_ACTION}[method]


def inference_routes(profile: VersionProfile) -> list[Route]:
    routes = []
    for spec in ROUTES:
        if not profile.has(spec.arrived):
            continue
        if spec.replaced_by is not None and profile.has(spec.replaced_by):
            continue
        if spec.own is not None:
            endpoints = {
                method: Endpoint(handler, action) for method, (handler, action) in spec.own.items()
            }
        else:
            table = _STREAM_HANDLERS if spec.stream else _HANDLERS
            endpoints = {
                method: Endpoint(table[method], _action_name(method, profile))
                for method in spec.methods
            }
        routes.append(Route(spec.path, endpoints))
    return routes
