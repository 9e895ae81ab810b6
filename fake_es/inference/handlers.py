"""Request handling for the inference API: read the request, then act on the state."""

from __future__ import annotations

from fake_es.inference.actions import create_model
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
        model = create_model(request.state, task_type, model_id, parse_json_object(content))
        return RestResponse(200, model.to_json(), MODEL_SCHEMA)

    return action
