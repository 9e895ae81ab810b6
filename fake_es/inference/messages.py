"""Inference-API error texts whose wording changed between releases.

8.15 renamed "model" to "inference endpoint" in the API and its messages
(PR #107704, migration note PR #111633); each function picks the release's
wording from the profile. Sources: ``ModelRegistry``, ``TransportPutInferenceModelAction``,
``TransportGetInferenceModelAction``, ``TransportDeleteInferenceEndpointAction``
(x-pack/plugin/inference).
"""

from __future__ import annotations

from fake_es.java_format import java_set_string
from fake_es.messages import BAD_REQUEST, action_request_validation, status_exception
from fake_es.rest.errors import EsError
from fake_es.versions import VersionProfile
from fake_es.versions.features import ENDPOINT_NAMING


def _entity(profile: VersionProfile) -> str:
    return "inference endpoint" if profile.has(ENDPOINT_NAMING) else "model"


def not_found(profile: VersionProfile, inference_id: str) -> EsError:
    # ModelRegistry.getModel / inferenceNotFoundException
    what = "Inference endpoint" if profile.has(ENDPOINT_NAMING) else "Model"
    return EsError(404, "resource_not_found_exception", f"{what} not found [{inference_id}]")


def already_exists(profile: VersionProfile, inference_id: str) -> EsError:
    # ModelRegistry.storeModel: a version conflict on the create.
    what = "Inference endpoint" if profile.has(ENDPOINT_NAMING) else "Inference model"
    return EsError(
        BAD_REQUEST, "resource_already_exists_exception", f"{what} [{inference_id}] already exists"
    )


def missing_service(profile: VersionProfile) -> EsError:
    # TransportPutInferenceModelAction
    if profile.has(ENDPOINT_NAMING):
        return status_exception(
            BAD_REQUEST, "Inference endpoint configuration is missing the [service] setting"
        )
    return status_exception(BAD_REQUEST, "Model configuration is missing a service")


def failed_to_store(profile: VersionProfile, inference_id: str, cause: EsError) -> EsError:
    # ModelRegistry.storeModel wraps any failure of the bulk write.
    return EsError(
        500,
        "status_exception",
        f"Failed to store inference {'endpoint' if profile.has(ENDPOINT_NAMING) else 'model'} "
        f"[{inference_id}]",
        caused_by=cause,
    )


def task_type_mismatch(profile: VersionProfile, requested: str, stored: str) -> EsError:
    # TransportGetInferenceModelAction / TransportDeleteInferenceEndpointAction
    # (InferenceExceptions.mismatchedTaskTypeException in later code).
    return status_exception(
        BAD_REQUEST,
        f"Requested task type [{requested}] does not match the {_entity(profile)}'s "
        f"task type [{stored}]",
    )


def invalid_inference_id(inference_id: str) -> EsError:
    # PutInferenceModelAction.Request.validate, with MlStrings' wording for ids.
    return action_request_validation(
        [
            f"Invalid inference_id; '{inference_id}' can contain lowercase alphanumeric "
            "(a-z and 0-9), hyphens or underscores; must start and end with alphanumeric"
        ]
    )


def missing_task_type() -> EsError:
    # ServiceUtils.resolveTaskType: neither the path nor the body names one.
    return status_exception(BAD_REQUEST, "model is missing required setting [task_type]")


def any_task_type_in_body() -> EsError:
    return status_exception(BAD_REQUEST, "task_type [any] is not valid type for inference")


def conflicting_task_types(url_task_type: str, body_task_type: str) -> EsError:
    return status_exception(
        BAD_REQUEST,
        "Cannot resolve conflicting task_type parameter in the request URL "
        f"[{url_task_type}] and the request body [{body_task_type}]",
    )


def referenced_by_pipelines_8_15(inference_id: str) -> EsError:
    # TransportDeleteInferenceEndpointAction, 8.15 generation.
    return status_exception(
        409,
        f"Inference endpoint {inference_id} is referenced by pipelines and cannot be deleted. "
        "Use `force` to delete it anyway, or use `dry_run` to list the pipelines that "
        "reference it.",
    )


def references_message(inference_id: str, pipelines: set[str], indexes: set[str]) -> str:
    """TransportDeleteInferenceEndpointAction (8.16+): the pipelines part, then the indexes part."""
    text = ""
    if pipelines:
        text += (
            f"Inference endpoint {inference_id} is referenced by pipelines: "
            f"{java_set_string(pipelines)}. Ensure that no pipelines are using this inference "
            "endpoint, or use force to ignore this warning and delete the inference endpoint."
        )
    if indexes:
        text += (
            f" Inference endpoint {inference_id} is being used in the mapping for indexes: "
            f"{java_set_string(indexes)}. Ensure that no index mappings are using this inference "
            "endpoint, or use force to ignore this warning and delete the inference endpoint."
        )
    return text


def reserved_endpoint(inference_id: str) -> EsError:
    # TransportDeleteInferenceEndpointAction (8.18/9.0+, PR #124781).
    return status_exception(
        BAD_REQUEST,
        f"[{inference_id}] is a reserved inference endpoint. "
        "Use the force=true query parameter to delete the inference endpoint.",
    )


def streaming_not_allowed(service: str, task_type: str, supported: list[str]) -> EsError:
    """BaseTransportInferenceAction.unsupportedStreamingTaskException: 405, naming the task
    type the request asked for."""
    if not supported:
        return status_exception(405, f"Streaming is not allowed for service [{service}].")
    return status_exception(
        405,
        f"Streaming is not allowed for service [{service}] and task [{task_type}]. "
        f"Supported tasks: [{','.join(supported)}]",
    )
