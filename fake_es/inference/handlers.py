"""Request handling for the inference API: read the request, then act on the state."""

from __future__ import annotations

from fake_es import messages
from fake_es.inference.put_validation import check_create_request
from fake_es.inference.registry import InferenceModel
from fake_es.inference.task_types import parse_task_type
from fake_es.rest.json_body import parse_json_object
from fake_es.rest.routing import Action, RestRequest, RestResponse

MODEL_SCHEMA = "inference_model.schema.json"
# IndexRequest.validate: a document id is at most 512 bytes; the model's is "model_" + id.
MAX_DOCUMENT_ID_BYTES = 512
# The bulk that stores a model writes two documents under that id: configuration and secrets.
STORED_DOCUMENTS = 2


def put_model(request: RestRequest) -> Action:
    """PUT /_inference/{task_type}/{model_id} (RestPutInferenceModelAction)."""
    # The body is read before the task type is parsed: both are arguments of the request.
    content = request.required_content()
    task_type = parse_task_type(request.path_param("task_type"), request.profile)
    model_id = request.path_param("model_id")

    def action() -> RestResponse:
        # TransportPutInferenceModelAction: parse, check, then store.
        valid = check_create_request(task_type, parse_json_object(content))
        document_id = f"model_{model_id}"
        if len(document_id.encode("utf-8")) > MAX_DOCUMENT_ID_BYTES:
            cause = messages.document_id_too_long(document_id, STORED_DOCUMENTS)
            raise messages.failed_to_store_model(model_id, cause)
        model = InferenceModel(
            model_id=model_id,
            task_type=task_type,
            service=valid.service,
            service_settings=valid.service_settings,
            task_settings=valid.task_settings,
        )
        request.state.models.store(model)
        return RestResponse(200, model.to_json(), MODEL_SCHEMA)

    return action
