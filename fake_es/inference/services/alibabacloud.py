"""The ``alibabacloud-ai-search`` service (8.16+): AlibabaCloud AI Search models, simulated offline.

The settings are its schema's; this module adds what AlibabaCloudSearchService does
besides: AlibabaCloudSearchServiceSettings' own check of ``http_schema``, the
text_embedding create always storing ``dot_product`` (updateModelWithEmbeddingDetails
ignores a given similarity), and AlibabaCloudSearchResponseHandler's failure texts.
"""

from __future__ import annotations

from dataclasses import replace

from fake_es import messages
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.providers import errors
from fake_es.providers.plan import ProviderPlan
from fake_es.versions import VersionProfile

NAME = "alibabacloud-ai-search"
HTTP_SCHEMAS = ("https", "http")


_BASE = ThirdParty(NAME, response_handler=errors.NO_CONTENT_TOO_LARGE_HANDLER)


def parse(request: CreateRequest) -> ParsedEndpoint:
    parsed = _BASE.parse(request)
    # AlibabaCloudSearchServiceSettings.fromMap: unscoped, and not case-insensitive.
    http_schema = parsed.service_settings.get("http_schema")
    if http_schema is not None and http_schema not in HTTP_SCHEMAS:
        raise messages.validation_failed(
            ["Invalid value for [http_schema]. Must be one of [https, http]"]
        )
    return parsed


def validate(
    profile: VersionProfile, endpoint: InferenceEndpoint, providers: ProviderPlan
) -> InferenceEndpoint:
    validated = _BASE.validate(profile, endpoint, providers)
    if validated.task_type != "text_embedding":
        return validated
    return replace(
        validated, service_settings={**validated.service_settings, "similarity": "dot_product"}
    )


SERVICE = _BASE.service(parse=parse, validate=validate)
