"""The ``cohere`` service (8.13+): Cohere's embed, rerank and chat models, simulated offline.

The settings are its schema's; this module adds what CohereService does besides:
the deprecated ``service_settings.model`` (CohereServiceSettings.OLD_MODEL_ID_FIELD),
the embedding types of each release (CohereEmbeddingType), the element type written
back (CohereEmbeddingsServiceSettings.toXContent) and the settings rerank drops
(CohereRerankServiceSettings.fromMap).
"""

from __future__ import annotations

from dataclasses import replace

from fake_es import messages
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty
from fake_es.versions.features import feature

NAME = "cohere"
# CohereEmbeddingType.BIT / BINARY (ML_INFERENCE_COHERE_BIT_EMBEDDINGS, 8.19/9.1).
_BIT_EMBEDDINGS = feature("cohere_bit_embeddings", "8.19", "9.1")
_BYTE_TYPES = ("byte", "float", "int8")
# DenseVectorFieldMapper.ElementType of each Cohere embedding type, as written back.
_ELEMENT_TYPES = {"int8": "byte", "binary": "bit"}
_RERANK_DROPS = ("similarity", "dimensions", "max_input_tokens")
_BASE = ThirdParty(NAME)


def parse(request: CreateRequest) -> ParsedEndpoint:
    service_settings = request.config.get("service_settings")
    if request.task_type == "text_embedding" and isinstance(service_settings, dict):
        _move_old_model_field(service_settings)
        _check_embedding_type(request, service_settings.get("embedding_type"))
    parsed = _BASE.parse(request)
    settings = dict(parsed.service_settings)
    if request.task_type == "rerank":
        for name in _RERANK_DROPS:
            settings.pop(name, None)
    if request.task_type == "text_embedding":
        chosen = str(settings.pop("embedding_type", "float"))
        settings["embedding_type"] = _ELEMENT_TYPES.get(chosen, chosen)
    task_settings = dict(parsed.task_settings)
    if "truncate" in task_settings:
        # CohereTruncation is written by its enum name.
        task_settings["truncate"] = str(task_settings["truncate"]).upper()
    return replace(parsed, service_settings=settings, task_settings=task_settings)


def _move_old_model_field(service_settings: dict[str, object]) -> None:
    """CohereServiceSettings.fromMap: ``model_id`` if given, else the deprecated ``model``."""
    model = service_settings.pop("model", None)
    if model is not None and service_settings.get("model_id") is None:
        service_settings["model_id"] = model


def _check_embedding_type(request: CreateRequest, given: object) -> None:
    """Before 8.19/9.1 CohereEmbeddingType has no bit or binary member."""
    if request.profile.has(_BIT_EMBEDDINGS) or not isinstance(given, str):
        return
    if given.lower() in ("bit", "binary"):
        raise messages.validation_failed(
            [
                f"[service_settings] Invalid value [{given}] received. [embedding_type] must be "
                f"one of [{', '.join(_BYTE_TYPES)}]"
            ]
        )


SERVICE = _BASE.service(parse=parse)
