"""How Elasticsearch reports a provider's failure (x-pack/plugin/inference/.../external/http).

``BaseResponseHandler``: ``<prefix> for request from inference entity id [<id>]
status [<code>]``, with ``. Error message: [<provider message>]`` when the
provider's error body could be read; the status is the provider's below 500 and
400 otherwise (``toRestStatus``). ``RetryingHttpSender``: a connection that fails
is ``Http client failed to send request from inference entity id [<id>]``.
``ModelValidator`` (8.16+) wraps what goes wrong at create in a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fake_es.rest.errors import EsError

if TYPE_CHECKING:
    from fake_es.inference.registry import InferenceEndpoint

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


SERVER_STATUSES = range(500, 600)
REDIRECTS = range(300, 400)
# A prefix, or a function of the endpoint giving one (a text that names the request's URL).
Prefix = str | Callable[["InferenceEndpoint"], str]


@dataclass(frozen=True)
class ResponseHandler:
    """A provider's ``checkForFailureStatusCode`` as data: its checks in order, the first
    status (or range of statuses) that matches gives the text; any other is unsuccessful."""

    checks: tuple[tuple[int | range, Prefix], ...]

    def prefix(self, status: int, endpoint: InferenceEndpoint) -> str:
        for matches, prefix in self.checks:
            if status == matches if isinstance(matches, int) else status in matches:
                return prefix if isinstance(prefix, str) else prefix(endpoint)
        return UNSUCCESSFUL


# OpenAiResponseHandler's order of checks, which most providers' handlers follow.
OPENAI_HANDLER = ResponseHandler(
    (
        (SERVER_STATUSES, SERVER_ERROR),
        (429, RATE_LIMIT),
        (413, CONTENT_TOO_LARGE),
        (401, AUTHENTICATION),
        (REDIRECTS, REDIRECTION),
    )
)


# Handlers without a content-too-large case, where a 413 is merely unsuccessful
# (AlibabaCloudSearchResponseHandler, FireworksAiResponseHandler).
NO_CONTENT_TOO_LARGE_HANDLER = ResponseHandler(
    (
        (SERVER_STATUSES, SERVER_ERROR),
        (429, RATE_LIMIT),
        (401, AUTHENTICATION),
        (REDIRECTS, REDIRECTION),
    )
)


def provider_status_error(
    endpoint: InferenceEndpoint, status: int, message: str | None, handler: ResponseHandler
) -> EsError:
    """``buildError``, with the text the service's response handler gives the status."""
    inference_id = endpoint.inference_id
    prefix = handler.prefix(status, endpoint)
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
