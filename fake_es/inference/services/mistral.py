"""The ``mistral`` service (8.15+): Mistral AI embeddings and chat, simulated offline.

The settings are its schema's; this module adds the failure texts of
AzureMistralOpenAiExternalResponseHandler, which Mistral's requests use: 503 is
"server busy", and a rate limit reports the remaining-tokens and -requests headers
(``unknown`` when absent, as the simulation sends none).
"""

from __future__ import annotations

from fake_es.inference.services._third_party import ThirdParty
from fake_es.providers import errors

NAME = "mistral"
SERVER_BUSY = "Received a server busy error status code"
RATE_LIMIT = f"{errors.RATE_LIMIT}. Remaining tokens [unknown]. Remaining requests [unknown]."


# AzureMistralOpenAiExternalResponseHandler.checkForFailureStatusCode, in its order.
HANDLER = errors.ResponseHandler(
    (
        (503, SERVER_BUSY),
        (errors.SERVER_STATUSES, errors.SERVER_ERROR),
        (429, RATE_LIMIT),
        (413, errors.CONTENT_TOO_LARGE),
        (401, errors.AUTHENTICATION),
        (errors.REDIRECTS, errors.REDIRECTION),
    )
)

SERVICE = ThirdParty(NAME, response_handler=HANDLER).service()
