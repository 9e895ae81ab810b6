"""The ``elastic`` service (EIS), which exists only where the cluster is authorised.

Sources: ElasticInferenceService (parseRequestConfig, the task types, initDefaultEndpoints,
createConfiguration, defaultDenseTextEmbeddingsSimilarity), the settings classes
ElasticInferenceServiceCompletionServiceSettings (720 requests per minute),
ElasticInferenceServiceSparseEmbeddingsServiceSettings (1000),
ElasticInferenceServiceDenseTextEmbeddingsServiceSettings (10000) and
ElasticInferenceServiceRerankServiceSettings (no rate limit),
ElasticInferenceServiceAuthorizationHandler (nothing is authorised without EIS); the releases
from PRs #120847, #129847/#129963, #129681/#129985, #130336, #137175, #137205, #137364 and #138498.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from service_checks import (
    AUTH,
    assert_create_fails_at_provider,
    assert_created,
    assert_inference_fails_at_provider,
    post,
    unknown_service,
    unknown_settings,
    unsupported,
    validation_failed,
)
from support import FakeClient, error_of
from werkzeug.test import Client

from fake_es import FakeState, create_app
from fake_es.providers.plan import ProviderFailure

CHUNKING = {"strategy": "sentence", "max_chunk_size": 250, "sentence_overlap": 1}
CHAT = {
    "inference_id": ".rainbow-sprinkles-elastic",
    "task_type": "chat_completion",
    "service": "elastic",
    "service_settings": {
        "model_id": "rainbow-sprinkles",
        "rate_limit": {"requests_per_minute": 720},
    },
}
ELSER = {
    "inference_id": ".elser-2-elastic",
    "task_type": "sparse_embedding",
    "service": "elastic",
    "service_settings": {"model_id": "elser_model_2", "rate_limit": {"requests_per_minute": 1000}},
    "chunking_settings": CHUNKING,
}
EMBED_V1 = {
    "inference_id": ".multilingual-embed-v1-elastic",
    "task_type": "text_embedding",
    "service": "elastic",
    "service_settings": {
        "model_id": "multilingual-embed-v1",
        "rate_limit": {"requests_per_minute": 10000},
    },
    "chunking_settings": CHUNKING,
}
JINA_EMBEDDINGS = {
    "inference_id": ".jina-embeddings-v3",
    "task_type": "text_embedding",
    "service": "elastic",
    "service_settings": {
        "similarity": "cosine",
        "dimensions": 1024,
        "model_id": "jina-embeddings-v3",
        "rate_limit": {"requests_per_minute": 10000},
    },
    "chunking_settings": CHUNKING,
}


def _rerank(inference_id: str, model_id: str) -> dict[str, Any]:
    return {
        "inference_id": inference_id,
        "task_type": "rerank",
        "service": "elastic",
        "service_settings": {"model_id": model_id},
    }


# The EIS endpoints GET lists, per release, in id order.
EIS_DEFAULTS = {
    "8.17": [],
    "8.18": [CHAT],
    "9.0": [CHAT],
    "8.19": [ELSER, EMBED_V1, CHAT, _rerank(".rerank-v1-elastic", "rerank-v1")],
    "9.1": [ELSER, EMBED_V1, CHAT, _rerank(".rerank-v1-elastic", "rerank-v1")],
    "9.2": [_rerank(".elastic-rerank-v1", "elastic-rerank-v1"), ELSER, JINA_EMBEDDINGS, CHAT],
    "9.3": [ELSER, JINA_EMBEDDINGS, _rerank(".jina-reranker-v2", "jina-reranker-v2"), CHAT],
    "9.5": [ELSER, JINA_EMBEDDINGS, _rerank(".jina-reranker-v2", "jina-reranker-v2"), CHAT],
}


class EisClient(FakeClient):
    """A fresh app whose cluster is authorised to use EIS (``create_app(eis=True)``)."""

    def __init__(self, version: str) -> None:
        super().__init__(version)
        self.app = create_app(self.state, version=version, check_responses=True, eis=True)
        self.http = Client(self.app)


def eis_endpoints(es: FakeClient) -> list[dict[str, Any]]:
    listed = es.request("GET", "/_inference/_all").get_json()
    key = "endpoints" if "endpoints" in listed else "models"
    return [e for e in listed[key] if e["service"] == "elastic"]


# --- without EIS ---


def test_off_unless_asked_for():
    assert FakeState().eis_authorised is False
    assert create_app(version="9.5").state.eis_authorised is False
    state = FakeState()
    create_app(state, version="9.5", eis=True)
    assert state.eis_authorised is True
    state.reset()
    assert state.eis_authorised is True


@pytest.mark.releases(">=8.13")
def test_without_eis_the_service_is_unknown(es):
    body = {"service": "elastic", "service_settings": {"model_id": "elser_model_2"}}
    assert error_of(es.put("/_inference/sparse_embedding/c", body)) == unknown_service("elastic")
    assert eis_endpoints(es) == []
    response = es.request("GET", "/_inference/.rainbow-sprinkles-elastic")
    assert response.status_code == 404


@pytest.mark.releases(">=8.19")
def test_without_eis_services_does_not_list_it(es):
    listed = es.request("GET", "/_inference/_services").get_json()
    assert "elastic" not in [entry["service"] for entry in listed]


# --- the preconfigured endpoints ---


@pytest.mark.parametrize("version", sorted(EIS_DEFAULTS))
def test_the_preconfigured_endpoints_of_each_release(version):
    es = EisClient(version)
    assert eis_endpoints(es) == EIS_DEFAULTS[version]
    for endpoint in EIS_DEFAULTS[version]:
        response = es.request("GET", f"/_inference/{endpoint['inference_id']}")
        assert response.get_data(as_text=True) == json.dumps(
            {"endpoints": [endpoint]}, separators=(",", ":")
        )


@pytest.mark.parametrize("version", ["9.0", "9.2"])
def test_a_preconfigured_endpoint_is_reserved(version):
    inference_id = EIS_DEFAULTS[version][-1]["inference_id"]
    assert error_of(EisClient(version).request("DELETE", f"/_inference/{inference_id}")) == (
        400,
        "status_exception",
        f"[{inference_id}] is a reserved inference endpoint. Use the force=true query "
        "parameter to delete the inference endpoint.",
    )


@pytest.mark.parametrize("version", ["9.1", "9.5"])
def test_inference_on_the_preconfigured_endpoints(version):
    es = EisClient(version)
    [sparse, dense, rerank] = [
        e["inference_id"]
        for e in EIS_DEFAULTS[version]
        if e["task_type"] in ("sparse_embedding", "text_embedding", "rerank")
    ]
    answer = post(es, f"/_inference/sparse_embedding/{sparse}", {"input": ["blue sky", "sea"]})
    assert [list(r) for r in answer.get_json()["sparse_embedding"]] == [
        ["is_truncated", "embedding"],
        ["is_truncated", "embedding"],
    ]
    answer = post(es, f"/_inference/text_embedding/{dense}", {"input": "A blue sky"})
    [vector] = answer.get_json()["text_embedding"]
    assert list(vector) == ["embedding"] and len(vector["embedding"]) == 1024
    body = {"query": "sky", "input": ["a blue sky", "the sea", "grass"]}
    ranked = post(es, f"/_inference/rerank/{rerank}", body).get_json()["rerank"]
    assert sorted(r["index"] for r in ranked) == [0, 1, 2]
    assert all(list(r) == ["index", "relevance_score", "text"] for r in ranked)


@pytest.mark.parametrize("version", ["8.18", "9.0", "9.5"])
def test_the_preconfigured_chat_streams(version):
    es = EisClient(version)
    path = "/_inference/chat_completion/.rainbow-sprinkles-elastic/_stream"
    response = post(es, path, {"messages": [{"role": "user", "content": "Say hello"}]})
    assert response.status_code == 200
    events = [e for e in response.get_data(as_text=True).split("\n\n") if e.strip()]
    assert events[-1].endswith("data: [DONE]")
    first = json.loads(events[0].split("data: ", 1)[1])
    assert first["model"] == "rainbow-sprinkles"
    assert first["choices"] == [{"delta": {"role": "assistant"}, "index": 0}]
    assert first["object"] == "chat.completion.chunk"


# --- creating endpoints ---

CREATES = [
    (
        "chat_completion",
        {"model_id": "rainbow-sprinkles"},
        {"model_id": "rainbow-sprinkles", "rate_limit": {"requests_per_minute": 720}},
    ),
    (
        "sparse_embedding",
        {
            "rate_limit": {"requests_per_minute": 50},
            "max_input_tokens": 512,
            "model_id": "elser_model_2",
        },
        {
            "model_id": "elser_model_2",
            "max_input_tokens": 512,
            "rate_limit": {"requests_per_minute": 50},
        },
    ),
    (
        "text_embedding",
        {"model_id": "jina-embeddings-v3", "max_input_tokens": 100, "similarity": "dot_product"},
        {
            "similarity": "dot_product",
            "dimensions": 1024,
            "max_input_tokens": 100,
            "model_id": "jina-embeddings-v3",
            "rate_limit": {"requests_per_minute": 10000},
        },
    ),
    ("rerank", {"model_id": "jina-reranker-v2"}, {"model_id": "jina-reranker-v2"}),
]


@pytest.mark.parametrize("version", ["8.19", "9.1", "9.2", "9.5"])
@pytest.mark.parametrize(("task_type", "given", "written"), CREATES)
def test_a_create_per_task_type(version, task_type, given, written):
    expected: dict[str, Any] = {
        "inference_id": "mine",
        "task_type": task_type,
        "service": "elastic",
        "service_settings": written,
    }
    if task_type in ("sparse_embedding", "text_embedding"):
        expected["chunking_settings"] = CHUNKING
    body = {"service": "elastic", "service_settings": given}
    assert_created(EisClient(version), f"/_inference/{task_type}/mine", body, expected, None)


def test_the_dense_similarity_defaults_to_cosine():
    es = EisClient("9.1")
    body = {"service": "elastic", "service_settings": {"model_id": "multilingual-embed-v1"}}
    response = es.put("/_inference/text_embedding/e", body)
    assert response.get_json()["service_settings"] == {
        "similarity": "cosine",
        "dimensions": 1024,
        "model_id": "multilingual-embed-v1",
        "rate_limit": {"requests_per_minute": 10000},
    }


@pytest.mark.parametrize("version", ["8.18", "9.0"])
@pytest.mark.parametrize("task_type", ["sparse_embedding", "text_embedding", "rerank"])
def test_before_8_19_and_9_1_only_chat_completion(version, task_type):
    body = {"service": "elastic", "service_settings": {"model_id": "m"}}
    assert error_of(EisClient(version).put(f"/_inference/{task_type}/x", body)) == unsupported(
        "elastic", task_type
    )


@pytest.mark.parametrize("task_type", ["completion", "embedding"])
def test_unsupported_task_types(task_type):
    body = {"service": "elastic", "service_settings": {"model_id": "m"}}
    assert error_of(EisClient("9.5").put(f"/_inference/{task_type}/x", body)) == unsupported(
        "elastic", task_type
    )


def test_settings_problems():
    es = EisClient("9.5")
    path = "/_inference/sparse_embedding/x"
    body: dict[str, Any] = {"service": "elastic", "service_settings": {"max_input_tokens": 0}}
    assert error_of(es.put(path, body)) == validation_failed(
        "[service_settings] does not contain the required setting [model_id]",
        "[service_settings] Invalid value [0]. [max_input_tokens] must be a positive integer",
    )
    body = {"service": "elastic", "service_settings": {"model_id": ""}}
    assert error_of(es.put(path, body)) == validation_failed(
        "[service_settings] Invalid value empty string. [model_id] must be a non-empty string"
    )
    body = {"service": "elastic", "service_settings": {"model_id": "m", "api_key": "k"}}
    assert error_of(es.put(path, body)) == unknown_settings("{api_key=k}", "elastic")
    body = {"service": "elastic", "service_settings": {"model_id": "m"}, "task_settings": {"a": 1}}
    assert error_of(es.put(path, body)) == unknown_settings("{a=1}", "elastic")
    body = {"service": "elastic", "service_settings": {"model_id": "m", "similarity": "x"}}
    assert error_of(es.put("/_inference/text_embedding/x", body)) == validation_failed(
        "[service_settings] Invalid value [x] received. [similarity] must be one of "
        "[cosine, dot_product, l2_norm]"
    )


def test_rerank_refuses_a_rate_limit():
    body = {
        "service": "elastic",
        "service_settings": {"model_id": "m", "rate_limit": {"requests_per_minute": 5}},
    }
    assert error_of(EisClient("9.5").put("/_inference/rerank/x", body)) == validation_failed(
        "[service_settings] rate limit settings are not permitted for service [elastic] and "
        "task type [rerank]"
    )


def test_only_chat_completion_streams():
    es = EisClient("9.5")
    response = post(es, "/_inference/sparse_embedding/.elser-2-elastic/_stream", {"input": "x"})
    reason = (
        "Streaming is not allowed for service [elastic] and task [sparse_embedding]. "
        "Supported tasks: [chat_completion]"
    )
    assert response.status_code == 405
    event = response.get_data(as_text=True).removeprefix("\ufeff")
    assert event.startswith("event: error\ndata: ")
    assert json.loads(event.split("data: ", 1)[1]) == {
        "error": {
            "root_cause": [{"type": "status_exception", "reason": reason}],
            "type": "status_exception",
            "reason": reason,
        },
        "status": 405,
    }


# --- _services ---


@pytest.mark.parametrize(
    ("version", "task_types"),
    [
        ("9.0", ["chat_completion"]),
        ("9.5", ["text_embedding", "sparse_embedding", "rerank", "chat_completion"]),
    ],
)
def test_services_lists_it_with_eis(version, task_types):
    listed = EisClient(version).request("GET", "/_inference/_services").get_json()
    [entry] = [e for e in listed if e["service"] == "elastic"]
    model_id = {
        "description": "The name of the model to use for the inference task.",
        "label": "Model ID",
        "required": True,
        "sensitive": False,
        "updatable": False,
        "type": "str",
        "supported_task_types": task_types,
    }
    embeddings = [t for t in task_types if t in ("text_embedding", "sparse_embedding")]
    configurations: dict[str, Any] = {"model_id": model_id}
    if embeddings:
        configurations["max_input_tokens"] = {
            "description": "Allows you to specify the maximum number of tokens per input.",
            "label": "Maximum Input Tokens",
            "required": False,
            "sensitive": False,
            "updatable": False,
            "type": "int",
            "supported_task_types": embeddings,
        }
    assert entry == {
        "service": "elastic",
        "name": "Elastic",
        "task_types": task_types,
        "configurations": configurations,
    }


# --- the provider ---


def test_a_provider_failure_at_create():
    body = {"service": "elastic", "service_settings": {"model_id": "elser_model_2"}}
    assert_create_fails_at_provider(
        EisClient("9.1"), "/_inference/sparse_embedding/eis-sparse", body, "eis-sparse"
    )


def test_a_provider_failure_at_inference():
    es = EisClient("9.5")
    assert_inference_fails_at_provider(
        es, "/_inference/sparse_embedding/.elser-2-elastic", {"input": "x"}, ".elser-2-elastic"
    )


def test_a_provider_failure_on_the_preconfigured_chat():
    es = EisClient("9.5")
    inference_id = ".rainbow-sprinkles-elastic"
    es.state.providers.fail(inference_id, ProviderFailure(401, "Invalid API key"))
    path = f"/_inference/chat_completion/{inference_id}/_stream"
    response = post(es, path, {"messages": [{"role": "user", "content": "hi"}]})
    assert response.status_code == 401
    [event] = [e for e in response.get_data(as_text=True).split("\n\n") if e.strip()]
    assert json.loads(event.split("data: ", 1)[1]) == {
        "error": {"message": AUTH.format(id=inference_id), "type": "invalid_request_error"}
    }
