"""The ``googlevertexai`` service (8.15+): Vertex AI embeddings, rerank and (8.19/9.1+)
completions, simulated offline.

The settings are its schema's; this module adds GoogleVertexAiChatCompletionServiceSettings'
check of the two modes of a completion endpoint: Vertex AI itself (location, project_id and
model_id) or, from 9.2, a Google Model Garden provider reached through its URLs.
"""

from __future__ import annotations

from dataclasses import replace

from fake_es import messages
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.versions.features import feature

NAME = "googlevertexai"
_MODEL_GARDEN = feature("google_model_garden", "9.2")
# GoogleModelGardenProvider (9.2: GOOGLE and ANTHROPIC; 9.3 adds the others).
_PROVIDERS_9_2 = ("google", "anthropic")
_PROVIDERS_9_3 = feature("google_model_garden_providers", "9.3")


def _check(request: CreateRequest, parsed: ParsedEndpoint) -> ParsedEndpoint:
    if request.task_type not in ("completion", "chat_completion"):
        return parsed
    settings = parsed.service_settings
    provider = str(settings.get("provider", "google"))
    only_9_2 = request.profile.has(_MODEL_GARDEN) and not request.profile.has(_PROVIDERS_9_3)
    if only_9_2 and provider not in _PROVIDERS_9_2:
        raise messages.validation_failed(
            [
                f"[service_settings] Invalid value [{provider}] received. [provider] must be "
                f"one of [{', '.join(sorted(_PROVIDERS_9_2))}]"
            ]
        )
    problem = _mode_problem(provider, settings)
    if problem is not None:
        raise messages.validation_failed([problem])
    if "provider" not in settings:
        return parsed
    # toXContentFragmentOfExposedFields writes provider.name(), the enum constant.
    return replace(parsed, service_settings={**settings, "provider": provider.upper()})


def _mode_problem(provider: str, settings: dict[str, object]) -> str | None:
    """GoogleVertexAiChatCompletionServiceSettings.validateServiceSettings."""
    uri, streaming_uri = settings.get("url"), settings.get("streaming_url")
    has_url = uri is not None or streaming_uri is not None
    if provider != "google":
        if not has_url:
            return (
                f"Google Model Garden provider={provider} selected. Either 'uri' or "
                "'streaming_uri' must be provided"
            )
        return None
    if has_url:
        return (
            "'provider' is either GOOGLE or null. For Google Vertex AI models 'uri' and "
            "'streaming_uri' must not be provided. Remove 'url' and 'streaming_url' fields. "
            f"Provided values: uri={_java(uri)}, streaming_uri={_java(streaming_uri)}"
        )
    fields = ("location", "project_id", "model_id")
    if any(settings.get(name) is None for name in fields):
        provided = ", ".join(f"{name}={_java(settings.get(name))}" for name in fields)
        return (
            "For Google Vertex AI models, you must provide 'location', 'project_id', and "
            f"'model_id'. Provided values: {provided}"
        )
    return None


def _java(value: object) -> str:
    """String.format's %s of a nullable value."""
    return "null" if value is None else str(value)


SERVICE = ThirdParty(NAME, check=_check).service()
