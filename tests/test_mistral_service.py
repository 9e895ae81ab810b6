"""The ``mistral`` service (8.15+; completion and chat_completion 8.19/9.1).

Sources: MistralService (task types, chunking for text_embedding,
updateModelWithEmbeddingDetails: dot_product by default),
MistralEmbeddingsServiceSettings and MistralChatCompletionServiceSettings
(reading and toXContent order, rate_limit 240), DefaultSecretSettings,
AzureMistralOpenAiExternalResponseHandler; the specification's put_mistral request example.
"""

from __future__ import annotations

import json

import pytest
from service_checks import post, rejected, unknown_service
from service_checks import status_type_reason as error
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

# put_mistral/examples/request/PutMistralRequestExample1.
SPEC_EMBEDDINGS = {
    "service": "mistral",
    "service_settings": {"api_key": "Mistral-API-Key", "model": "mistral-embed"},
}
CHAT = {"service": "mistral", "service_settings": {"api_key": "k", "model": "mistral-small"}}


def test_arrived_in_8_15():
    assert error_of(
        FakeClient("8.14").put("/_inference/text_embedding/m", SPEC_EMBEDDINGS)
    ) == unknown_service("mistral")


@pytest.mark.releases(">=8.15")
def test_the_specification_example_learns_the_size_and_hides_the_key(es, release):
    response = es.put("/_inference/text_embedding/mistral-embeddings-test", SPEC_EMBEDDINGS)
    assert response.status_code == 200
    body = response.get_json()
    assert list(body["service_settings"].items()) == [
        ("model", "mistral-embed"),
        ("dimensions", 1024),
        ("similarity", "dot_product"),
        ("rate_limit", {"requests_per_minute": 240}),
    ]
    expected_keys = ["inference_id", "task_type", "service", "service_settings"]
    if release in ("8.15",):
        expected_keys.append("task_settings")
    else:
        expected_keys.append("chunking_settings")
    assert list(body) == expected_keys
    for answer in (
        response,
        es.request("GET", "/_inference/mistral-embeddings-test"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"Mistral-API-Key" not in answer.get_data()
    vectors = post(es, "/_inference/mistral-embeddings-test", {"input": ["a", "b"]}).get_json()
    assert [len(v["embedding"]) for v in vectors["text_embedding"]] == [1024, 1024]


@pytest.mark.releases(">=8.15")
def test_embedding_settings_in_write_order(es):
    settings = {
        "api_key": "k",
        "max_input_tokens": 512,
        "similarity": "L2_NORM",
        "dimensions": 8,
        "rate_limit": {"requests_per_minute": 10},
        "model": "mistral-embed",
    }
    body = {"service": "mistral", "service_settings": settings}
    response = es.put("/_inference/text_embedding/m", body)
    assert json.dumps(response.get_json()["service_settings"]) == json.dumps(
        {
            "model": "mistral-embed",
            "dimensions": 8,
            "similarity": "l2_norm",
            "max_input_tokens": 512,
            "rate_limit": {"requests_per_minute": 10},
        }
    )


@pytest.mark.releases(">=8.15")
def test_settings_problems_in_reading_order(es):
    settings = {
        "dimensions": 0,
        "rate_limit": {"requests_per_minute": "many"},
        "max_input_tokens": -1,
        "similarity": "euclid",
        "model_id": "mistral-embed",
    }
    body = {"service": "mistral", "service_settings": settings}
    assert error_of(es.put("/_inference/text_embedding/m", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] does not contain the required setting "
        "[model];2: [service_settings] Invalid value [euclid] received. [similarity] must be "
        "one of [cosine, dot_product, l2_norm];3: [service_settings] Invalid value [-1]. "
        "[max_input_tokens] must be a positive integer;4: field [requests_per_minute] is not of "
        "one of the expected types. The value [many] cannot be converted to one of [Integer, "
        "Long];5: [service_settings] Invalid value [0]. [dimensions] must be a positive "
        "integer;",
    )


@pytest.mark.releases(">=8.15")
def test_the_api_key_is_a_secret_setting(es):
    body = {"service": "mistral", "service_settings": {"model": "mistral-embed"}}
    assert error_of(es.put("/_inference/text_embedding/m", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];",
    )


@pytest.mark.releases(">=8.15")
def test_model_id_is_not_a_mistral_setting(es):
    body = {
        "service": "mistral",
        "service_settings": {"api_key": "k", "model": "m", "model_id": "m"},
    }
    assert error_of(es.put("/_inference/text_embedding/m", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{model_id=m}] unknown to the [mistral] service",
    )


@pytest.mark.releases(">=8.15")
def test_chat_models_arrived_in_8_19_and_9_1(es, release):
    response = es.put("/_inference/completion/chat", CHAT)
    if release in ("8.15", "8.17", "9.0"):
        assert error_of(response) == (
            400,
            "status_exception",
            "The [mistral] service does not support task type [completion]",
        )
        return
    assert response.get_json()["service_settings"] == {
        "model": "mistral-small",
        "rate_limit": {"requests_per_minute": 240},
    }
    answer = post(es, "/_inference/completion/chat", {"input": "Hi"}).get_json()
    assert answer == {
        "completion": [{"result": "[mistral/mistral-small] A simulated answer to: Hi"}]
    }
    assert es.put("/_inference/chat_completion/chat2", CHAT).status_code == 200
    body = {"service": "mistral", "service_settings": {**CHAT["service_settings"], "dimensions": 8}}
    assert error_of(es.put("/_inference/completion/c", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{dimensions=8}] unknown to the [mistral] service",
    )


@pytest.mark.releases(">=8.15")
def test_rerank_is_not_supported(es):
    assert error_of(es.put("/_inference/rerank/r", SPEC_EMBEDDINGS)) == (
        400,
        "status_exception",
        "The [mistral] service does not support task type [rerank]",
    )


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_create(es, release):
    es.state.providers.fail("m", ProviderFailure(401, "nope"))
    response = es.put("/_inference/text_embedding/m", SPEC_EMBEDDINGS)
    cause = rejected("Received an authentication error status code", 401, "m")
    if release == "8.15":
        assert error(response) == (401, "status_exception", cause)
    else:
        assert error_of(response) == (
            400,
            "status_exception",
            "Could not complete inference endpoint creation as validation call to service "
            "threw an exception.",
        )
        assert response.get_json()["error"]["caused_by"] == {
            "type": "status_exception",
            "reason": cause,
        }
    assert es.state.endpoints.all() == []


@pytest.mark.releases(">=8.15")
@pytest.mark.parametrize(
    ("status", "es_status", "prefix"),
    [
        (401, 401, "Received an authentication error status code"),
        (404, 404, "Received an unsuccessful status code"),
        (413, 413, "Received a content too large status code"),
        (429, 429, "Received a rate limit status code. Remaining tokens [unknown]. Remaining "
         "requests [unknown]."),
        (500, 400, "Received a server error status code"),
        (503, 400, "Received a server busy error status code"),
        (504, 400, "Received a server error status code"),
        (307, 307, "Unhandled redirection"),
    ],
)  # fmt: skip
def test_a_provider_failure_at_inference(es, status, es_status, prefix):
    es.put("/_inference/text_embedding/m", SPEC_EMBEDDINGS)
    es.state.providers.fail("m", ProviderFailure(status, "nope"))
    response = post(es, "/_inference/text_embedding/m", {"input": "x"})
    assert error(response) == (es_status, "status_exception", rejected(prefix, status, "m"))
