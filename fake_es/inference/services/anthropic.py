"""The ``anthropic`` service (8.15+): Claude completions, simulated offline.

The settings are its schema's; this module adds AnthropicResponseHandler's
texts for a failing provider, which differ from OpenAI's: 529 is "overloaded",
403 is "permission denied", 413 is not singled out, and a rate limit lists
Anthropic's rate-limit headers (``unknown`` when absent, as the simulation sends none).
"""

from __future__ import annotations

from fake_es.inference.services._third_party import ThirdParty
from fake_es.providers import errors

NAME = "anthropic"
OVERLOADED = "Received an Anthropic server is temporarily overloaded status code"
RATE_LIMIT = (
    f"{errors.RATE_LIMIT}. Token limit [unknown], remaining tokens [unknown], tokens reset "
    "[unknown]. Request limit [unknown], remaining requests [unknown], request reset "
    "[unknown]. Retry after [unknown]"
)


# AnthropicResponseHandler.checkForFailureStatusCode, in its order.
HANDLER = errors.ResponseHandler(
    (
        (529, OVERLOADED),
        (errors.SERVER_STATUSES, errors.SERVER_ERROR),
        (429, RATE_LIMIT),
        (403, errors.PERMISSION_DENIED),
        (401, errors.AUTHENTICATION),
        (errors.REDIRECTS, errors.REDIRECTION),
    )
)

SERVICE = ThirdParty(NAME, response_handler=HANDLER).service()
