"""The ``watsonxai`` service (8.16+): IBM watsonx.ai models, simulated offline.

The settings are its schema's; this module adds what IbmWatsonxService does
besides: rerank and completion settings are written in another order than the
embeddings' (IbmWatsonxRerankServiceSettings / IbmWatsonxChatCompletionServiceSettings
toXContent), and IbmWatsonxResponseHandler's failure texts (no rate-limit or
content-too-large texts of its own; 400 and 404 have theirs).
"""

from __future__ import annotations

from dataclasses import replace

from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.providers import errors

NAME = "watsonxai"
# The write order of every task type but text_embedding.
OTHER_OUTPUT_ORDER = ("url", "api_version", "model_id", "project_id", "rate_limit")


def _not_found(endpoint: InferenceEndpoint) -> str:
    # The handler names the request's URI; the configured url stands in for it.
    return f"Resource not found at [{endpoint.service_settings.get('url')}]"


# IbmWatsonxResponseHandler.checkForFailureStatusCode, in its order.
HANDLER = errors.ResponseHandler(
    (
        (500, errors.SERVER_ERROR),
        (404, _not_found),
        (403, errors.PERMISSION_DENIED),
        (401, errors.AUTHENTICATION),
        (400, errors.BAD_REQUEST),
        (errors.REDIRECTS, errors.REDIRECTION),
    )
)

_BASE = ThirdParty(NAME, response_handler=HANDLER)


def parse(request: CreateRequest) -> ParsedEndpoint:
    parsed = _BASE.parse(request)
    if request.task_type == "text_embedding":
        return parsed
    settings = parsed.service_settings
    ordered = {name: settings[name] for name in OTHER_OUTPUT_ORDER if name in settings}
    return replace(parsed, service_settings=ordered)


SERVICE = _BASE.service(parse=parse)
