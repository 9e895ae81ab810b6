"""Request handling for the inference API: read the request, then act on the state.

Each handler does what the 8.11 REST handler does before the transport action
(read the body, parse the task type) and returns the action to run.
"""

from __future__ import annotations

from fake_es.inference import actions
from fake_es.inference.infer_request import parse_inference_request
from fake_es.inference.task_types import parse_task_type
from fake_es.rest.json_body import parse_json_object
from fake_es.rest.routing import Action, RestRequest, RestResponse

MODEL_SCHEMA = "inference_model.schema.json"


def put_model(request: RestRequest) -> Action:
    """PUT /_inference/{task_type}/{model_id} (RestPutInferenceModelAction)."""
    # The body is read before the task type is parsed: both are arguments of the request.
    content = request.required_content()
    task_type = parse_task_type(request.path_param("task_type"), request.profile)
    model_id = request.path_param("model_id")

    def action() -> RestResponse:
        config = parse_json_object(content)
        model = actions.create_model(request.state, task_type, model_id, config)
        return RestResponse(200, model.to_json(), MODEL_SCHEMA)

    return Action(action)


def _addressed_model(request: RestRequest) -> str:
    """The model id of a GET or DELETE, whose task type is only checked for being one."""
    model_id = request.path_param("model_id")
    parse_task_type(request.path_param("task_type"), request.profile)
    return model_id


def get_model(request: RestRequest) -> Action:
    """GET /_inference/{task_type}/{model_id} (RestGetInferenceModelAction): a bare object."""
    model_id = _addressed_model(request)

    def action() -> RestResponse:
        model = actions.get_model(request.state, model_id)
        return RestResponse(200, model.to_json(), MODEL_SCHEMA)

    return Action(action)


def delete_model(request: RestRequest) -> Action:
    """DELETE /_inference/{task_type}/{model_id}: acknowledged, found or not."""
    model_id = _addressed_model(request)

    def action() -> RestResponse:
        actions.delete_model(request.state, model_id)
        return RestResponse(200, {"acknowledged": True}, "acknowledged.schema.json")

    return Action(action)


def infer(request: RestRequest) -> Action:
    """POST /_inference/{task_type}/{model_id} (RestInferenceAction)."""
    model_id = request.path_param("model_id")
    raw_task_type = request.path_param("task_type")
    # Request.parseRequest: the body first, then the task type; validate() comes later.
    body = parse_inference_request(request.required_content())
    task_type = parse_task_type(raw_task_type, request.profile)

    def action() -> RestResponse:
        result = actions.infer(request.state, task_type, model_id, body.text())
        return RestResponse(200, result, "sparse_embedding_response.schema.json")

    return Action(action, validate=body.validate)
