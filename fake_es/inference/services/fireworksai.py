"""The ``fireworksai`` service (9.4+): embeddings and chat models on Fireworks AI, simulated.

The settings are its schema's; this module adds the URL an embeddings endpoint keeps when
none is given (FireworksAiEmbeddingsServiceSettings.DEFAULT_URL, always written back) and
the provider's failures as FireworksAiResponseHandler reports them.
"""

from __future__ import annotations

from dataclasses import replace

from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.providers import errors

NAME = "fireworksai"
_DEFAULT_EMBEDDINGS_URL = "https://api.fireworks.ai/inference/v1/embeddings"


_BASE = ThirdParty(NAME, response_handler=errors.NO_CONTENT_TOO_LARGE_HANDLER)


def parse(request: CreateRequest) -> ParsedEndpoint:
    parsed = _BASE.parse(request)
    if request.task_type != "text_embedding" or "url" in parsed.service_settings:
        return parsed
    # Only the embeddings settings keep a default (the chat completion model builds its URL
    # without storing it); model_id and url lead what they write.
    leading = {"model_id": parsed.service_settings["model_id"], "url": _DEFAULT_EMBEDDINGS_URL}
    return replace(parsed, service_settings={**leading, **parsed.service_settings})


SERVICE = _BASE.service(parse=parse)
