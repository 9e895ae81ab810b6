"""The ``openai`` service (8.12+): embeddings and completions from OpenAI, simulated offline.

The settings are its schema's; this module adds what OpenAiService does besides:
``moveModelFromTaskToServiceSettings`` (8.13+ still takes 8.12's ``task_settings.model``).
"""

from __future__ import annotations

from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.versions.features import feature

NAME = "openai"
_MODEL_IN_SERVICE_SETTINGS = feature("openai_model_id", "8.13")
_BASE = ThirdParty(NAME)


def parse(request: CreateRequest) -> ParsedEndpoint:
    if request.profile.has(_MODEL_IN_SERVICE_SETTINGS):
        service_settings = request.config.get("service_settings")
        task_settings = request.config.get("task_settings")
        if isinstance(service_settings, dict) and isinstance(task_settings, dict):
            model = task_settings.pop("model", None)
            if model is not None and "model_id" not in service_settings:
                service_settings["model_id"] = model
    return _BASE.parse(request)


SERVICE = _BASE.service(parse=parse)
