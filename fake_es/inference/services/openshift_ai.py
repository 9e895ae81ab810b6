"""The ``openshift_ai`` service (9.3+): models deployed on Red Hat OpenShift AI.

The settings are its schema's; this module adds what OpenShiftAiEmbeddingsServiceSettings
derives: ``dimensions_set_by_user``, true when the request gave ``dimensions`` (a request may
not set it itself).
"""

from __future__ import annotations

from dataclasses import replace

from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty

_BASE = ThirdParty("openshift_ai")


def parse(request: CreateRequest) -> ParsedEndpoint:
    parsed = _BASE.parse(request)
    if request.task_type != "text_embedding":
        return parsed
    settings = {**parsed.service_settings}
    settings["dimensions_set_by_user"] = "dimensions" in settings
    return replace(parsed, service_settings=settings)


SERVICE = _BASE.service(parse=parse)
