"""Every error Elasticsearch 8.11 gives that the fake reproduces, verbatim, in one place.

Each function returns the exception with the status, ``error.type`` and
``error.reason`` Elasticsearch sends. The source each text was taken from is
named beside it (paths in ``elastic/elasticsearch``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from fake_es.java_format import java_class_name
from fake_es.rest.errors import EsError, SimpleError
from fake_es.security.privileges import privileges_granting
from fake_es.versions import VersionProfile

if TYPE_CHECKING:
    from fake_es.security.realm import Subject

BAD_REQUEST = 400


def status_exception(status: int, reason: str) -> EsError:
    """``ElasticsearchStatusException``, whose type renders as ``status_exception``."""
    return EsError(status, "status_exception", reason)


# --- REST layer: server/src/main/java/org/elasticsearch/rest/RestController.java ---


def no_handler_found(uri: str, method: str) -> SimpleError:
    # handleBadRequest: a flat error string and no "status" field.
    return SimpleError(
        BAD_REQUEST, f"no handler found for uri [{uri}] and method [{method}]", include_status=False
    )


def incorrect_http_method(uri: str, method: str, allowed: Iterable[str]) -> SimpleError:
    # handleUnsupportedHttpMethod: 405 with the Allow header.
    return method_not_allowed_with(
        f"Incorrect HTTP method for uri [{uri}] and method [{method}]", allowed
    )


def method_not_allowed_with(reason: str, allowed: Iterable[str]) -> SimpleError:
    # handleUnsupportedHttpMethod with an IllegalArgumentException (a bad escape in a
    # path parameter, an unknown method): its message, then the allowed methods.
    allowed = list(allowed)
    suffix = f", allowed: [{', '.join(allowed)}]" if allowed else ""
    headers = {"Allow": ",".join(allowed)} if allowed else None
    return SimpleError(405, reason + suffix, headers=headers)


def content_type_not_read_by_fake(content_type: str) -> SimpleError:
    # Not an Elasticsearch error: SMILE bodies are valid there, but no well-kept Python
    # library reads SMILE, so the fake says so rather than answer wrongly.
    return SimpleError(
        406,
        f"Content-Type header [{content_type}] is not supported by fake-es "
        "(JSON, YAML and CBOR only)",
    )


def format_not_written_by_fake(value: str) -> SimpleError:
    # Not an Elasticsearch error: it would answer in SMILE, which the fake does not write.
    return SimpleError(
        406, f"format [{value}] is not supported by fake-es (JSON, YAML and CBOR only)"
    )


def content_type_not_supported(content_type: str) -> SimpleError:
    # sendContentTypeErrorMessage
    return SimpleError(406, f"Content-Type header [{content_type}] is not supported")


def content_type_missing() -> SimpleError:
    return SimpleError(406, "Content-Type header is missing")


def media_type_header(header_names: Iterable[str], cause: EsError) -> EsError:
    # RestRequest.MediaTypeHeaderException is a RuntimeException: it is its own root cause.
    return EsError(
        BAD_REQUEST,
        "media_type_header_exception",
        f"Invalid media-type value on headers [{', '.join(header_names)}]",
        caused_by=cause,
        elasticsearch_exception=False,
    )


def compatible_version_not_supported(
    profile: VersionProfile, header: str, version: int, value: str
) -> EsError:
    # RestCompatibleVersionHelper.getCompatibleVersion: "current or minimum supported".
    current, minimum = max(profile.compatible_versions), min(profile.compatible_versions)
    return status_exception(
        BAD_REQUEST,
        f"{header} version must be either version {current} or {minimum}, "
        f"but found {version}. {header}={value}",
    )


def compatible_versions_must_match(accept: str, content_type: str) -> EsError:
    return status_exception(
        BAD_REQUEST,
        "A compatible version is required on both Content-Type and Accept headers if either one "
        "has requested a compatible version and the compatible versions must match. "
        f"Accept={accept}, Content-Type={content_type}",
    )


def compatible_version_required_on_both(accept: str, content_type: str) -> EsError:
    return status_exception(
        BAD_REQUEST,
        "A compatible version is required on both Content-Type and Accept headers if either one "
        f"has requested a compatible version. Accept={accept}, Content-Type={content_type}",
    )


def illegal_argument(reason: str) -> EsError:
    # java.lang.IllegalArgumentException: a 400, rendered by its class name.
    return EsError(BAD_REQUEST, "illegal_argument_exception", reason, elasticsearch_exception=False)


def request_body_required() -> EsError:
    # RestRequest.requiredContent()
    return EsError(BAD_REQUEST, "parse_exception", "request body is required")


# --- Inference plugin: x-pack/plugin/inference/src/main/java/org/elasticsearch/xpack/inference ---


def unknown_task_type(raw: str) -> EsError:
    # TaskType.fromStringOrStatusException: the raw path value, untrimmed.
    return status_exception(BAD_REQUEST, f"Unknown task_type [{raw}]")


def missing_service() -> EsError:
    # action/TransportPutInferenceModelAction
    return status_exception(BAD_REQUEST, "Model configuration is missing a service")


def unknown_service(name: str) -> EsError:
    return status_exception(BAD_REQUEST, f"Unknown service [{name}]")


def missing_required_field(field: str) -> EsError:
    # services/MapParsingUtils.removeFromMapOrThrowIfNull
    return status_exception(BAD_REQUEST, f"Missing required field [{field}]")


def invalid_type(field: str, value_text: str, type_name: str) -> EsError:
    # services/MapParsingUtils.removeAsType
    return status_exception(
        BAD_REQUEST,
        f"field [{field}] is not of the expected type. "
        f"The value [{value_text}] cannot be converted to a [{type_name}]",
    )


def missing_setting(setting: str, scope: str) -> str:
    # services/MapParsingUtils.missingSettingErrorMsg: one line of a ValidationException.
    return f"[{scope}] does not contain the required setting [{setting}]"


def must_be_positive(setting: str, value_text: str) -> str:
    # services/MapParsingUtils.mustBeAPositiveNumberError
    return f"Invalid value [{value_text}]. [{setting}] must be a positive integer"


def action_request_validation(lines: Iterable[str]) -> EsError:
    # ActionRequestValidationException, from an ActionRequest's validate().
    failure = validation_failed(lines)
    return EsError(
        BAD_REQUEST,
        "action_request_validation_exception",
        failure.reason,
        elasticsearch_exception=False,
    )


def validation_failed(messages: Iterable[str]) -> EsError:
    # org.elasticsearch.common.ValidationException.getMessage(); an IllegalArgumentException.
    lines = "".join(f"{i}: {message};" for i, message in enumerate(messages, start=1))
    return EsError(
        BAD_REQUEST,
        "validation_exception",
        f"Validation Failed: {lines}",
        elasticsearch_exception=False,
    )


def unsupported_task_type(service: str, task_type: str) -> EsError:
    # TaskType.unsupportedTaskTypeErrorMsg
    return status_exception(
        BAD_REQUEST, f"The [{service}] service does not support task type [{task_type}]"
    )


def unknown_settings(settings_text: str, service: str) -> EsError:
    # services/MapParsingUtils.unknownSettingsError
    return status_exception(
        BAD_REQUEST,
        f"Model configuration contains settings [{settings_text}] "
        f"unknown to the [{service}] service",
    )


def model_already_exists(model_id: str) -> EsError:
    # registry/ModelRegistry.storeModel: a version conflict on the create.
    return EsError(
        BAD_REQUEST,
        "resource_already_exists_exception",
        f"Inference model [{model_id}] already exists",
    )


def model_not_found(model_id: str) -> EsError:
    # registry/ModelRegistry.getUnparsedModelMap
    return EsError(404, "resource_not_found_exception", f"Model not found [{model_id}]")


def incompatible_task_type(requested: str, stored: str) -> EsError:
    # action/TransportInferenceAction
    return status_exception(
        BAD_REQUEST,
        f"Incompatible task_type, the requested type [{requested}] does not match "
        f"the model type [{stored}]",
    )


def deployment_exists(deployment_id: str) -> EsError:
    # ml TransportStartTrainedModelDeploymentAction, reached by the ELSER service's start.
    return status_exception(
        BAD_REQUEST,
        "Could not start model deployment because an existing deployment with the same id "
        f"[{deployment_id}] exist",
    )


def failed_to_store_model(model_id: str, cause: EsError) -> EsError:
    # registry/ModelRegistry.storeModel wraps any failure of the bulk write.
    return EsError(
        500, "status_exception", f"Failed to store inference model [{model_id}]", caused_by=cause
    )


def document_id_too_long(document_id: str, items: int) -> EsError:
    # IndexRequest.validate, gathered by BulkRequest.validate for each item of the bulk
    # (the configuration and the secrets document share the id).
    size = len(document_id.encode("utf-8"))
    line = f"id [{document_id}] is too long, must be no longer than 512 bytes but was: {size}"
    return action_request_validation([line] * items)


def class_cast(value_class: str, target_class: str) -> EsError:
    # An unchecked Java cast in the transport action fails at run time: a 500.
    return EsError(
        500,
        "class_cast_exception",
        f"class {value_class} cannot be cast to class {target_class} "
        f"({value_class} and {target_class} are in module java.base of loader 'bootstrap')",
        elasticsearch_exception=False,
    )


# --- Security: x-pack/plugin/security (DefaultAuthenticationFailureHandler,
# AuthorizationDenialMessages) and x-pack/plugin/core ClusterPrivilegeResolver ---

# Default realm, then API keys; no Bearer, as the token service is off without TLS.
WWW_AUTHENTICATE = ('Basic realm="security" charset="UTF-8"', "ApiKey")


def _security_exception(status: int, reason: str, **metadata: str) -> EsError:
    headers = {"WWW-Authenticate": list(WWW_AUTHENTICATE)} if status == 401 else None
    return EsError(status, "security_exception", reason, headers=headers, metadata=metadata)


def missing_credentials(uri: str) -> EsError:
    return _security_exception(401, f"missing authentication credentials for REST request [{uri}]")


def unable_to_authenticate_user(username: str, uri: str) -> EsError:
    return _security_exception(
        401, f"unable to authenticate user [{username}] for REST request [{uri}]"
    )


def invalid_basic_header(reason: str, cause: EsError | None = None) -> EsError:
    # UsernamePasswordToken.extractToken; a Base64 failure is kept as the cause, and
    # DefaultAuthenticationFailureHandler passes the exception on with its own headers.
    error = _security_exception(401, reason)
    error.caused_by = cause
    return error


def api_key_not_authenticated(detail: str) -> EsError:
    # The API key authenticator fails; the chain then reports anonymous access refused.
    return _security_exception(
        401,
        "unable to authenticate with provided credentials and anonymous access is not allowed "
        "for this request",
        additional_unsuccessful_credentials=detail,
    )


def action_unauthorized(
    action: str, subject: Subject, profile: VersionProfile, missing_roles: tuple[str, ...]
) -> EsError:
    # AuthorizationDenialMessages.Default.actionDenied (unchanged in 9.x).
    granted = ",".join(privileges_granting(action, profile))
    if subject.api_key_id is not None:
        who = f"API key id [{subject.api_key_id}] of user [{subject.username}]"
    else:
        who = (
            f"user [{subject.username}] with effective roles "
            f"[{','.join(sorted(set(subject.roles) - set(missing_roles)))}]"
        )
        if missing_roles:
            who += f" (assigned roles [{','.join(sorted(missing_roles))}] were not found)"
    return _security_exception(
        403,
        f"action [{action}] is unauthorized for {who}, "
        f"this action is granted by the cluster privileges [{granted}]",
    )


def class_cast_to_map(value: object) -> EsError:
    # A settings object that is not a JSON object, cast to Map<String, Object>.
    return class_cast(java_class_name(value), "java.util.Map")


def class_cast_to_string(value: object) -> EsError:
    # A name that is not a JSON string, cast to String.
    return class_cast(java_class_name(value), "java.lang.String")


def missing_model_deployment(deployment_id: str) -> EsError:
    # ml ExceptionsHelper.missingModelDeployment
    return EsError(
        404, "resource_not_found_exception", f"No known model deployment with id [{deployment_id}]"
    )


def deployment_referenced_by_pipeline(deployment_id: str) -> EsError:
    # ml TransportStopTrainedModelDeploymentAction, without force
    return status_exception(
        409,
        f"Cannot stop deployment [{deployment_id}] as it is referenced by ingest processors; "
        "use force to stop the deployment",
    )
