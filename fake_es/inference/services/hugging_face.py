"""The ``hugging_face`` service (8.12+): models on Hugging Face endpoints, simulated offline.

The settings are its schema's; this module adds the one derived setting the schema
cannot say: a sparse (ELSER) endpoint reports ELSER's token limit
(HuggingFaceElserServiceSettings.ELSER_TOKEN_LIMIT) as ``max_input_tokens``.
"""

from __future__ import annotations

from dataclasses import replace

from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty

NAME = "hugging_face"
ELSER_TOKEN_LIMIT = 512
_BASE = ThirdParty(NAME)


def parse(request: CreateRequest) -> ParsedEndpoint:
    parsed = _BASE.parse(request)
    if request.task_type != "sparse_embedding":
        return parsed
    # HuggingFaceElserServiceSettings.toXContentFragmentOfExposedFields: url, the limit, rate_limit.
    settings = {"url": parsed.service_settings["url"], "max_input_tokens": ELSER_TOKEN_LIMIT}
    settings.update(parsed.service_settings)
    return replace(parsed, service_settings=settings)


SERVICE = _BASE.service(parse=parse)
