"""Request handling for the inference API: read the request, then act on the state.

Each handler does what the release's REST handler does before the transport
action (path parameters, the body, query parameters) and returns the action to
run. Routes are ``{task_type}/{model_id}`` in 8.11 and 8.12, and
``{task_type_or_id}[/{inference_id}]`` from 8.13 (``Paths.java``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fake_es import messages
from fake_es.inference import actions, region_policy, update
from fake_es.inference.infer_request import InferenceBody, parse_inference_request
from fake_es.inference.results import RESPONSE_SCHEMAS
from fake_es.inference.service_configs import service_configurations
from fake_es.inference.streaming import Streamed, failed_answer, single_answer, streamed_answer
from fake_es.inference.task_types import ANY, parse_task_type
from fake_es.inference.unified import (
    CHAT_COMPLETION,
    UnifiedChatCompletionError,
    only_streaming,
    parse_chat_request,
)
from fake_es.inference.views import ENDPOINT_SCHEMA, LIST_SCHEMA, endpoint_view, list_view
from fake_es.rest.body import content_tokens, parse_object
from fake_es.rest.errors import EsError
from fake_es.rest.params import param_as_boolean
from fake_es.rest.parse_errors import as_released
from fake_es.rest.routing import Action, RestRequest, RestResponse, StreamedResponse
from fake_es.rest.warnings import warning_headers
from fake_es.versions.features import (
    CHAT_REASONING,
    DELETE_REFERENCE_CHECKS,
    INFERENCE_ACTION_PROXY,
    INFERENCE_ID_PATHS,
    INFERENCE_QUERY_AND_TIMEOUT,
    LIST_RESPONSES,
    PUT_TIMEOUT,
    UPDATE_TIMEOUT,
    UPDATE_WITHOUT_TASK_TYPE,
)

DELETE_SCHEMA = "delete_inference_response.schema.json"
SERVICES_SCHEMA = "inference_services_response.schema.json"
REGION_POLICY_SCHEMA = "region_policy_response.schema.json"


@dataclass(frozen=True)
class _Address:
    task_type: str
    inference_id: str


def _address(request: RestRequest) -> _Address:
    """The task type and id a path names; one segment is an id of any task type (8.13+)."""
    if "model_id" in request.params:
        return _Address(
            parse_task_type(request.path_param("task_type"), request.profile),
            request.path_param("model_id"),
        )
    if "inference_id" in request.params:
        return _Address(
            parse_task_type(request.path_param("task_type_or_id"), request.profile),
            request.path_param("inference_id"),
        )
    if "task_type_or_id" in request.params:
        return _Address(ANY, request.path_param("task_type_or_id"))
    return _Address(ANY, "_all")  # GET _inference, GET _inference/_all (8.12)


def _read_timeout(request: RestRequest) -> None:
    # The fake answers at once; the parameter is read so that it is not "unrecognized".
    request.param("timeout")


def put_endpoint(request: RestRequest) -> Action:
    """PUT /_inference/{task_type}/{id} and, from 8.13, PUT /_inference/{id}."""
    if request.profile.has(INFERENCE_ID_PATHS):
        address = _address(request)
        content = request.required_content()
    else:
        # 8.11/8.12: the body is read first; the task type is parsed by the request's constructor.
        content = request.required_content()
        address = _address(request)
    if request.profile.has(PUT_TIMEOUT):
        _read_timeout(request)

    def validate() -> None:
        actions.validate_inference_id(request.profile, address.inference_id)

    def action() -> RestResponse:
        config = parse_object(content, request.xcontent)
        created = actions.create_endpoint(
            request.state, request.profile, address.task_type, address.inference_id, config
        )
        body = endpoint_view(created.endpoint, request.profile)
        headers = warning_headers(request.profile, created.warnings)
        return RestResponse(200, body, ENDPOINT_SCHEMA, headers=headers)

    return Action(action, validate=validate)


def get_endpoints(request: RestRequest) -> Action:
    """GET: a bare object in 8.11; ``{"models"|"endpoints": [...]}`` from 8.12."""
    address = _address(request)
    profile = request.profile

    def action() -> RestResponse:
        if not profile.has(LIST_RESPONSES):
            endpoint = actions.get_endpoint(request.state, profile, address.inference_id)
            return RestResponse(200, endpoint_view(endpoint, profile), ENDPOINT_SCHEMA)
        found = actions.list_endpoints(
            request.state, profile, address.task_type, address.inference_id
        )
        return RestResponse(200, list_view(found, profile), LIST_SCHEMA)

    return Action(action)


def delete_endpoint(request: RestRequest) -> Action:
    """DELETE, with ``dry_run`` and ``force`` from 8.15."""
    address = _address(request)
    dry_run = force = False
    if request.profile.has(DELETE_REFERENCE_CHECKS):
        dry_run = request.param_as_boolean("dry_run")
        force = request.param_as_boolean("force")

    def action() -> RestResponse:
        answer = actions.delete_endpoint(
            request.state,
            request.profile,
            address.task_type,
            address.inference_id,
            dry_run=dry_run,
            force=force,
        )
        return RestResponse(200, answer, DELETE_SCHEMA)

    return Action(action)


def infer(request: RestRequest) -> Action:
    """POST /_inference/{task_type}/{id} (RestInferenceAction)."""
    profile = request.profile
    if profile.has(INFERENCE_ACTION_PROXY):
        # BaseInferenceAction: the body goes on unread; TransportInferenceActionProxy reads it.
        address = _address(request)
        content = request.required_content()
        _read_timeout(request)

        def proxied() -> RestResponse:
            if _is_chat(request, address):
                raise only_streaming()
            body = _body(request, content, address.task_type)
            body.validate()
            return _answer(request, address, body)

        return Action(proxied)
    if profile.has(INFERENCE_ID_PATHS):
        address = _address(request)
        body = parse_inference_request(request.content_parser(), profile, address.task_type)
    else:
        # Request.parseRequest: the body first, then the task type; validate() comes later.
        model_id = request.path_param("model_id")
        raw_task_type = request.path_param("task_type")
        body = parse_inference_request(request.content_parser(), profile, ANY)
        address = _Address(parse_task_type(raw_task_type, profile), model_id)
        body = replace(body, task_type=address.task_type)
    if profile.has(INFERENCE_QUERY_AND_TIMEOUT):
        _read_timeout(request)
    return Action(lambda: _answer(request, address, body), validate=body.validate)


def _answer(request: RestRequest, address: _Address, body: InferenceBody) -> RestResponse:
    task_type, result = actions.infer(
        request.state, request.profile, address.task_type, address.inference_id, body.request()
    )
    return RestResponse(200, result, RESPONSE_SCHEMAS[task_type])


def _body(request: RestRequest, content: bytes, task_type: str) -> InferenceBody:
    """InferenceAction.Request.parseRequest, as the proxy action calls it."""
    return parse_inference_request(
        content_tokens(content, request.xcontent), request.profile, task_type
    )


def _is_chat(request: RestRequest, address: _Address) -> bool:
    """TransportInferenceActionProxy: a chat completion by the path's task type or, with none,
    by the stored endpoint's."""
    if address.task_type == ANY:
        endpoint = actions.find_endpoint(request.state, request.profile, address.inference_id)
        return endpoint.task_type == CHAT_COMPLETION
    return address.task_type == CHAT_COMPLETION


def stream_infer(request: RestRequest) -> Action:
    """POST /_inference/[{task_type}/]{id}/_stream (RestStreamInferenceAction, 8.16+).

    What the transport actions answer, failures included, goes through
    ServerSentEventsRestActionListener: events, or one ``error`` event with the failure's
    status. What the REST layer refuses before (the path's task type, a missing body and,
    before the proxy action of 8.18/9.0, the body's syntax) is the usual JSON error.
    """
    profile = request.profile
    trace = param_as_boolean(request.params, "error_trace")
    address = _address(request)
    if profile.has(INFERENCE_ACTION_PROXY):
        content = request.required_content()
        _read_timeout(request)

        def proxied() -> StreamedResponse:
            if _is_chat(request, address):
                return _chat(request, address, content, trace)
            body = _body(request, content, address.task_type)
            body.validate()
            return _streamed(request, address, body, trace)

        return Action(proxied, on_failure=failed_answer)
    body = parse_inference_request(request.content_parser(), profile, address.task_type)
    _read_timeout(request)
    return Action(
        lambda: _streamed(request, address, body, trace),
        validate=body.validate,
        on_failure=failed_answer,
    )


def _streamed(
    request: RestRequest, address: _Address, body: InferenceBody, trace: bool
) -> StreamedResponse:
    result = actions.stream_infer(
        request.state, request.profile, address.task_type, address.inference_id, body.request()
    )
    if isinstance(result, Streamed):
        return streamed_answer(result, trace)
    return single_answer(result)


def _chat(request: RestRequest, address: _Address, content: bytes, trace: bool) -> StreamedResponse:
    """TransportInferenceActionProxy.sendUnifiedCompletionRequest: every failure, from the body
    to the provider, becomes a UnifiedChatCompletionException."""
    try:
        chat_request = parse_chat_request(
            content_tokens(content, request.xcontent), request.profile.has(CHAT_REASONING)
        )
        chat_request.validate()
        streamed = actions.chat(
            request.state, request.profile, address.task_type, address.inference_id, chat_request
        )
    except EsError as error:
        raise UnifiedChatCompletionError.from_error(as_released(request.profile, error)) from None
    return streamed_answer(streamed, trace)


def update_endpoint(request: RestRequest) -> Action:
    """PUT /_inference/{task_type}/{id}/_update (RestUpdateInferenceModelAction, 8.17+)."""
    profile = request.profile
    if "inference_id" in request.params:
        address = _address(request)
    elif profile.has(UPDATE_WITHOUT_TASK_TYPE):
        address = _Address(ANY, request.path_param("task_type_or_id"))
    else:
        raise messages.status_exception(400, "Inference ID must be provided in the path")
    content = request.required_content()
    # RestUtils.getMasterNodeTimeout; `timeout` from 9.5.
    request.param("master_timeout")
    if profile.has(UPDATE_TIMEOUT):
        _read_timeout(request)

    def validate() -> None:
        update.validate_update(profile, address.inference_id)

    def action() -> RestResponse:
        body = parse_object(content, request.xcontent)
        updated = update.update_endpoint(
            request.state,
            profile,
            address.task_type,
            address.inference_id,
            body,
            content.decode("utf-8", "replace"),
        )
        return RestResponse(200, endpoint_view(updated, profile), ENDPOINT_SCHEMA)

    return Action(action, validate=validate)


def get_services(request: RestRequest) -> Action:
    """GET /_inference/_services[/{task_type}] (RestGetInferenceServicesAction, 8.18/9.0+)."""
    task_type = None
    if "task_type" in request.params:
        task_type = parse_task_type(request.path_param("task_type"), request.profile)

    def action() -> RestResponse:
        return RestResponse(
            200,
            service_configurations(request.profile, task_type, request.state.eis_authorised),
            SERVICES_SCHEMA,
        )

    return Action(action)


def put_region_policy(request: RestRequest) -> Action:
    """PUT /_inference/_region_policy (RestPutRegionPolicyAction, 9.5)."""
    if not request.content:
        raise region_policy.body_required()
    # `force` applies the policy even to endpoints in use; the fake has no EIS endpoints.
    request.param_as_boolean("force")
    policy = region_policy.parse_put_request(request.content_parser())

    def action() -> RestResponse:
        return RestResponse(200, request.state.region_policy.put(policy), REGION_POLICY_SCHEMA)

    return Action(action, validate=lambda: region_policy.validate_policy(policy))


def get_region_policy(request: RestRequest) -> Action:
    """GET /_inference/_region_policy (TransportGetRegionPolicyAction, 9.5)."""
    return Action(
        lambda: RestResponse(200, request.state.region_policy.get(), REGION_POLICY_SCHEMA)
    )


def delete_region_policy(request: RestRequest) -> Action:
    """DELETE /_inference/_region_policy (RestDeleteRegionPolicyAction, 9.5)."""

    def action() -> RestResponse:
        request.state.region_policy.delete()
        return RestResponse(200, {"acknowledged": True}, DELETE_SCHEMA)

    return Action(action)
