"""The ``azureaistudio`` service (8.15+): models deployed on Azure AI Studio, simulated offline.

The settings are its schema's; this module adds AzureAiStudioService's checks of the
provider and the endpoint type against the task type (AzureAiStudioProviderCapabilities)
the default ``max_new_tokens`` a completion endpoint takes once created
(updateModelWithChatCompletionDetails), and the provider's failures as
AzureMistralOpenAiExternalResponseHandler reports them (as for ``mistral``).
"""

from __future__ import annotations

from dataclasses import replace

from fake_es import messages
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.inference.services.mistral import HANDLER
from fake_es.providers.plan import ProviderPlan
from fake_es.versions import VersionProfile

NAME = "azureaistudio"
# AzureAiStudioProviderCapabilities: who serves each task type, and on which endpoint type.
_PROVIDERS = {
    "text_embedding": ("openai", "cohere"),
    "completion": ("openai", "mistral", "meta", "microsoft_phi", "cohere", "databricks"),
    "rerank": ("cohere",),
}
_BY_ENDPOINT_TYPE = {
    ("text_embedding", "token"): ("openai", "cohere"),
    ("text_embedding", "realtime"): (),
    ("completion", "token"): ("openai", "meta", "cohere"),
    ("completion", "realtime"): ("mistral", "meta", "microsoft_phi", "databricks"),
    ("rerank", "token"): ("cohere",),
    ("rerank", "realtime"): (),
}
# AzureAiStudioChatCompletionTaskSettings.DEFAULT_MAX_NEW_TOKENS
_DEFAULT_MAX_NEW_TOKENS = 64


def _check(request: CreateRequest, parsed: ParsedEndpoint) -> ParsedEndpoint:
    """AzureAiStudioService.checkProviderAndEndpointTypeForTask, once the model is built."""
    task_type = request.task_type
    provider = str(parsed.service_settings["provider"])
    endpoint_type = str(parsed.service_settings["endpoint_type"])
    if provider not in _PROVIDERS[task_type]:
        raise messages.status_exception(
            400, f"The [{task_type}] task type for provider [{provider}] is not available"
        )
    if provider not in _BY_ENDPOINT_TYPE[(task_type, endpoint_type)]:
        raise messages.status_exception(
            400,
            f"The [{endpoint_type}] endpoint type with [{task_type}] task type for provider "
            f"[{provider}] is not available",
        )
    return parsed


_BASE = ThirdParty(NAME, check=_check, response_handler=HANDLER)


def validate(
    profile: VersionProfile, endpoint: InferenceEndpoint, providers: ProviderPlan
) -> InferenceEndpoint:
    """The create's provider call; a completion endpoint then keeps ``max_new_tokens``."""
    validated = _BASE.validate(profile, endpoint, providers)
    if validated.task_type != "completion" or "max_new_tokens" in validated.task_settings:
        return validated
    task_settings = {**validated.task_settings, "max_new_tokens": _DEFAULT_MAX_NEW_TOKENS}
    return replace(validated, task_settings=task_settings)


SERVICE = _BASE.service(validate=validate)
