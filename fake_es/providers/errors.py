"""How Elasticsearch reports a provider's failure (x-pack/plugin/inference/.../external/http).

``BaseResponseHandler``: ``<prefix> for request from inference entity id [<id>]
status [<code>]``, with ``. Error message: [<provider message>]`` when the
provider's error body could be read; the status is the provider's below 500 and
400 otherwise (``toRestStatus``). ``RetryingHttpSender``: a connection that fails
is ``Http client failed to send request from inference entity id [<id>]``.
``ModelValidator`` (8.16+) wraps what goes wrong at create in a 400.
"""

from __future__ import annotations

from fake_es.rest.errors import EsError

SERVER_ERROR = "Received a server error status code"
RATE_LIMIT = "Received a rate limit status code"
AUTHENTICATION = "Received an authentication error status code"
REDIRECTION = "Unhandled redirection"
CONTENT_TOO_LARGE = "Received a content too large status code"
UNSUCCESSFUL = "Received an unsuccessful status code"
PERMISSION_DENIED = "Received a permission denied error status code"
BAD_REQUEST = "Received a bad request status code"
# An error the provider sends as an event of a stream it had started.
SERVER_ERROR_OBJECT = "Received an error response"


def _prefix(status: int) -> str:
    # The OpenAI-style handler's order of checks, which the other providers' follow.
    if status >= 500:
        return SERVER_ERROR
    if status == 429:
        return RATE_LIMIT
    if status == 413:
        return CONTENT_TOO_LARGE
    if status == 401:
        return AUTHENTICATION
    if 300 <= status < 400:
        return REDIRECTION
    return UNSUCCESSFUL


def provider_status_error(
    inference_id: str, status: int, message: str | None, prefix: str | None = None
) -> EsError:
    """``buildError``; ``prefix`` is the service's own handler's text, if it has one."""
    prefix = prefix or _prefix(status)
    text = f"{prefix} for request from inference entity id [{inference_id}] status [{status}]"
    if message:
        text += f". Error message: [{message}]"
    return EsError(status if status < 500 else 400, "status_exception", text)


def provider_unreachable(inference_id: str) -> EsError:
    cause = EsError(500, "connect_exception", "Connection refused", elasticsearch_exception=False)
    return EsError(
        500,
        "exception",
        f"Http client failed to send request from inference entity id [{inference_id}]",
        caused_by=cause,
    )


def validation_failed(cause: EsError) -> EsError:
    """ModelValidator.wrapListenerForValidation: the create answers 400, the cause inside."""
    return EsError(
        400,
        "status_exception",
        "Could not complete inference endpoint creation as validation call to service threw an "
        "exception.",
        caused_by=cause,
    )
