"""The ``anthropic`` service (8.15+): Claude completions, simulated offline.

The settings are its schema's; this module adds AnthropicResponseHandler's
texts for a failing provider, which differ from OpenAI's: 529 is "overloaded",
403 is "permission denied", 413 is not singled out, and a rate limit lists
Anthropic's rate-limit headers (``unknown`` when absent, as the simulation sends none).
"""

from __future__ import annotations

from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.providers import errors

NAME = "anthropic"
OVERLOADED = "Received an Anthropic server is temporarily overloaded status code"
RATE_LIMIT = (
    f"{errors.RATE_LIMIT}. Token limit [unknown], remaining tokens [unknown], tokens reset "
    "[unknown]. Request limit [unknown], remaining requests [unknown], request reset "
    "[unknown]. Retry after [unknown]"
)


def status_prefix(status: int, _endpoint: InferenceEndpoint) -> str:
    """AnthropicResponseHandler.checkForFailureStatusCode, in its order."""
    if status == 529:
        return OVERLOADED
    if status >= 500:
        return errors.SERVER_ERROR
    if status == 429:
        return RATE_LIMIT
    if status == 403:
        return errors.PERMISSION_DENIED
    if status == 401:
        return errors.AUTHENTICATION
    if 300 <= status < 400:
        return errors.REDIRECTION
    return errors.UNSUCCESSFUL


SERVICE = ThirdParty(NAME, status_prefix=status_prefix).service()
