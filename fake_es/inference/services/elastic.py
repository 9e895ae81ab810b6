"""The ``elastic`` service (8.18/9.0+): the Elastic Inference Service (EIS), simulated offline.

It exists only where the cluster is authorised to use EIS (``create_app(eis=True)``). The
settings are its schema's; this module adds what ElasticInferenceService does besides: the
sparse settings' own output order (ElasticInferenceServiceSparseEmbeddingsServiceSettings
writes ``model_id``, ``max_input_tokens``, ``rate_limit``, while the dense settings write
the similarity and size first) and the rerank settings' refusal of a ``rate_limit``
(RateLimitSettings.declareUnsupportedRateLimitField).
"""

from __future__ import annotations

from dataclasses import replace

from fake_es import messages
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty

NAME = "elastic"
_SPARSE_ORDER = ("model_id", "max_input_tokens", "rate_limit")
_BASE = ThirdParty(NAME)


def parse(request: CreateRequest) -> ParsedEndpoint:
    service_settings = request.config.get("service_settings")
    if (
        request.task_type == "rerank"
        and isinstance(service_settings, dict)
        and "rate_limit" in service_settings
    ):
        raise messages.validation_failed(
            [
                "[service_settings] rate limit settings are not permitted for service "
                f"[{NAME}] and task type [rerank]"
            ]
        )
    parsed = _BASE.parse(request)
    if request.task_type != "sparse_embedding":
        return parsed
    settings = parsed.service_settings
    ordered = {name: settings[name] for name in _SPARSE_ORDER if name in settings}
    return replace(parsed, service_settings=ordered)


SERVICE = _BASE.service(parse=parse)
