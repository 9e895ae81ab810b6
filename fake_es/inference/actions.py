"""What the inference transport actions do to the state, shared by HTTP and Python callers."""

from __future__ import annotations

from typing import Any

from fake_es import messages
from fake_es.inference.embeddings import sparse_embedding
from fake_es.inference.put_validation import check_create_request
from fake_es.inference.registry import InferenceModel
from fake_es.state import FakeState

# IndexRequest.validate: a document id is at most 512 bytes; the model's is "model_" + id.
MAX_DOCUMENT_ID_BYTES = 512
# The bulk that stores a model writes two documents under that id: configuration and secrets.
STORED_DOCUMENTS = 2


def create_model(state: FakeState, task_type: str, model_id: str, config: Any) -> InferenceModel:
    """TransportPutInferenceModelAction: check the configuration, then store the model."""
    valid = check_create_request(task_type, config)
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
    state.models.store(model)
    # ElserMlNodeService.start: deploy .elser_model_1 under the model's id.
    state.deployments.start(model_id)
    return model


def get_model(state: FakeState, model_id: str) -> InferenceModel:
    """TransportGetInferenceModelAction: by id only; the path's task type is not compared."""
    model = state.models.get(model_id)
    if model is None:
        raise messages.model_not_found(model_id)
    return model


def delete_model(state: FakeState, model_id: str) -> None:
    """TransportDeleteInferenceModelAction: a delete by query, acknowledged even for no match."""
    state.models.delete(model_id)


def infer(state: FakeState, task_type: str, model_id: str, text: str) -> dict[str, Any]:
    """TransportInferenceAction, then the ELSER service's inference."""
    model = get_model(state, model_id)
    if task_type != model.task_type:
        raise messages.incompatible_task_type(task_type, model.task_type)
    return {"sparse_embedding": sparse_embedding(text)}
