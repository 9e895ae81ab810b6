"""The ``amazonbedrock`` service (8.15+): models on Amazon Bedrock, simulated offline.

The settings are its schema's; this module adds AmazonBedrockService's checks of the
provider against the task type and the task settings (AmazonBedrockProviderCapabilities),
the provider written as its enum name, and the provider's default similarity.
"""

from __future__ import annotations

from dataclasses import replace

from fake_es import messages
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.providers.plan import ProviderPlan
from fake_es.versions import VersionProfile

NAME = "amazonbedrock"
# AmazonBedrockProviderCapabilities
_EMBEDDING_PROVIDERS = ("amazontitan", "cohere")
_TOP_K_PROVIDERS = ("anthropic", "cohere", "mistral")
_DEFAULT_SIMILARITY = {"AMAZONTITAN": "cosine", "COHERE": "dot_product"}


def _check(request: CreateRequest, parsed: ParsedEndpoint) -> ParsedEndpoint:
    """AmazonBedrockService.createModel's checks once the settings are read."""
    provider = str(parsed.service_settings["provider"])
    task_type = request.task_type
    if task_type == "text_embedding" and provider not in _EMBEDDING_PROVIDERS:
        raise messages.status_exception(
            400, f"The [{task_type}] task type for provider [{provider}] is not available"
        )
    task_settings = parsed.task_settings
    if "truncate" in task_settings and provider != "cohere":
        raise messages.status_exception(
            400,
            f"The [{task_type}] task type for provider [{provider}] does not allow [truncate] "
            "field",
        )
    if "top_k" in task_settings and provider not in _TOP_K_PROVIDERS:
        raise messages.status_exception(
            400, f"The [top_k] task parameter is not available for provider [{provider}]"
        )
    # addXContentFragmentOfExposedFields writes provider.name(), the enum constant.
    settings = {**parsed.service_settings, "provider": provider.upper()}
    return replace(parsed, service_settings=settings)


_BASE = ThirdParty(NAME, check=_check)


def validate(
    profile: VersionProfile, endpoint: InferenceEndpoint, providers: ProviderPlan
) -> InferenceEndpoint:
    """The create's provider call; an embedding endpoint without a similarity takes its
    provider's (getProviderDefaultSimilarityMeasure)."""
    chosen = "similarity" in endpoint.service_settings
    validated = _BASE.validate(profile, endpoint, providers)
    settings = validated.service_settings
    if chosen or "similarity" not in settings:
        return validated
    similarity = _DEFAULT_SIMILARITY.get(str(settings["provider"]), "cosine")
    return replace(validated, service_settings={**settings, "similarity": similarity})


SERVICE = replace(_BASE.service(), validate=validate)
