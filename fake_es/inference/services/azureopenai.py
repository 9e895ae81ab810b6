"""The ``azureopenai`` service (8.14+): OpenAI deployments on Azure, simulated offline.

The settings are its schema's; this module adds AzureOpenAiSecretSettings.fromMap's
rule that exactly one of ``api_key`` and ``entra_id`` is given, and
AzureOpenAiEmbeddingsServiceSettings' refusal of ``dimensions_set_by_user`` in a request.
"""

from __future__ import annotations

from fake_es import messages
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty

NAME = "azureopenai"
DIMENSIONS_SET_BY_USER = "dimensions_set_by_user"
_BASE = ThirdParty(NAME)


def parse(request: CreateRequest) -> ParsedEndpoint:
    service_settings = request.config.get("service_settings")
    if (
        request.task_type == "text_embedding"
        and isinstance(service_settings, dict)
        and service_settings.get(DIMENSIONS_SET_BY_USER) is not None
    ):
        # ServiceUtils.invalidSettingError: the flag is derived, never taken from a request.
        raise messages.validation_failed(
            [f"[service_settings] does not allow the setting [{DIMENSIONS_SET_BY_USER}]"]
        )
    parsed = _BASE.parse(request)
    given = [name for name in ("api_key", "entra_id") if name in parsed.secrets]
    if len(given) != 1:
        rule = "either the" if not given else "only one of the"
        raise messages.validation_failed(
            [f"[secret_settings] must have {rule} [api_key] or the [entra_id] key set"]
        )
    return parsed


SERVICE = _BASE.service(parse=parse)
