"""The ``mistral`` service (8.15+): Mistral AI embeddings and chat, simulated offline.

The settings are its schema's; this module adds the failure texts of
AzureMistralOpenAiExternalResponseHandler, which Mistral's requests use: 503 is
"server busy", and a rate limit reports the remaining-tokens and -requests headers
(``unknown`` when absent, as the simulation sends none).
"""

from __future__ import annotations

from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.providers import errors

NAME = "mistral"
SERVER_BUSY = "Received a server busy error status code"
RATE_LIMIT = f"{errors.RATE_LIMIT}. Remaining tokens [unknown]. Remaining requests [unknown]."


def status_prefix(status: int, _endpoint: InferenceEndpoint) -> str:
    """AzureMistralOpenAiExternalResponseHandler.checkForFailureStatusCode, in its order."""
    if status == 503:
        return SERVER_BUSY
    if status >= 500:
        return errors.SERVER_ERROR
    if status == 429:
        return RATE_LIMIT
    if status == 413:
        return errors.CONTENT_TOO_LARGE
    if status == 401:
        return errors.AUTHENTICATION
    if 300 <= status < 400:
        return errors.REDIRECTION
    return errors.UNSUCCESSFUL


SERVICE = ThirdParty(NAME, status_prefix=status_prefix).service()
