"""The ``cohere`` service (8.13+) and the simulated provider behind it.

Sources: CohereService.parseRequestConfig, CohereServiceSettings,
CohereEmbeddingsServiceSettings, CohereRerankServiceSettings,
CohereCompletionServiceSettings, CohereEmbeddingsTaskSettings, CohereRerankTaskSettings
(reading and toXContent order), DefaultSecretSettings, BaseResponseHandler,
ModelValidatorBuilder; the specification's put_cohere request examples.
"""

from __future__ import annotations

import json

import pytest
from service_checks import at_least, post, unknown_service
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

# The specification's PutCohereRequestExample1..3 (8.17/8.18+ branches).
EXAMPLE_EMBEDDINGS = {
    "service": "cohere",
    "service_settings": {
        "api_key": "Cohere-Api-key",
        "model_id": "embed-english-light-v3.0",
        "embedding_type": "byte",
    },
}
EXAMPLE_RERANK = {
    "service": "cohere",
    "service_settings": {"api_key": "Cohere-API-key", "model_id": "rerank-english-v3.0"},
    "task_settings": {"top_n": 10, "return_documents": True},
}
EXAMPLE_COMPLETION = {
    "service": "cohere",
    "service_settings": {"api_key": "Cohere-API-key", "model_id": "command-a-03-2025"},
}


def in_8_19_or_9_1(release):
    """Changes made in 8.19 and 9.1, which 9.0 (released before 8.19) lacks."""
    return at_least(release, "8.19") and release != "9.0"


def test_arrived_in_8_13():
    assert error_of(
        FakeClient("8.12").put("/_inference/text_embedding/c", EXAMPLE_EMBEDDINGS)
    ) == unknown_service("cohere")


@pytest.mark.releases(">=8.15")
def test_the_embeddings_example(es, release):
    response = es.put("/_inference/text_embedding/cohere-embeddings", EXAMPLE_EMBEDDINGS)
    body = response.get_json()
    assert list(body)[:4] == ["inference_id", "task_type", "service", "service_settings"]
    assert json.dumps(body["service_settings"]) == json.dumps(
        {
            "similarity": "dot_product",
            "dimensions": 384,
            "model_id": "embed-english-light-v3.0",
            "rate_limit": {"requests_per_minute": 10000},
            "embedding_type": "byte",
        }
    )
    for answer in (
        response,
        es.request("GET", "/_inference/cohere-embeddings"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"Cohere-Api-key" not in answer.get_data()
    result = post(es, "/_inference/text_embedding/cohere-embeddings", {"input": ["a", "b"]})
    vectors = result.get_json()["text_embedding_bytes"]
    assert [len(v["embedding"]) for v in vectors] == [384, 384]
    assert all(-128 <= x <= 127 and isinstance(x, int) for x in vectors[0]["embedding"])


def test_8_13_writes_model_id_and_the_old_model_field_still_works():
    es = FakeClient("8.13")
    body = {
        "service": "cohere",
        "service_settings": {"api_key": "k", "model": "embed-english-v3.0"},
        "task_settings": {"input_type": "Search", "truncate": "end"},
    }
    response = es.put("/_inference/text_embedding/c", body)
    assert response.get_data(as_text=True) == (
        '{"model_id":"c","task_type":"text_embedding","service":"cohere","service_settings":'
        '{"similarity":"dot_product","dimensions":1024,"model_id":"embed-english-v3.0",'
        '"embedding_type":"float"},"task_settings":{"input_type":"search","truncate":"END"}}'
    )


@pytest.mark.releases(">=8.15")
def test_the_rerank_example(es, release):
    response = es.put("/_inference/rerank/cohere-rerank", EXAMPLE_RERANK)
    body = response.get_json()
    assert body["service_settings"] == {
        "model_id": "rerank-english-v3.0",
        "rate_limit": {"requests_per_minute": 10000},
    }
    assert list(body["task_settings"]) == ["top_n", "return_documents"]
    ranked = post(
        es, "/_inference/rerank/cohere-rerank", {"query": "star", "input": ["luke", "leia", "r2"]}
    ).get_json()["rerank"]
    assert len(ranked) == 3
    assert list(ranked[0]) == ["index", "relevance_score", "text"]


@pytest.mark.releases(">=8.15")
def test_the_completion_example(es):
    response = es.put("/_inference/completion/cohere-completion", EXAMPLE_COMPLETION)
    assert response.get_json()["service_settings"] == {
        "model_id": "command-a-03-2025",
        "rate_limit": {"requests_per_minute": 10000},
    }
    answer = post(es, "/_inference/completion/cohere-completion", {"input": "hi"}).get_json()
    assert answer == {
        "completion": [{"result": "[cohere/command-a-03-2025] A simulated answer to: hi"}]
    }


@pytest.mark.releases(">=8.15")
def test_the_v2_api_needs_a_model_id(es, release):
    body = {"service": "cohere", "service_settings": {"api_key": "k"}}
    response = es.put("/_inference/completion/c", body)
    if not in_8_19_or_9_1(release):
        assert response.get_json()["service_settings"] == {
            "rate_limit": {"requests_per_minute": 10000}
        }
        return
    assert error_of(response) == (
        400,
        "validation_exception",
        "Validation Failed: 1: The [service_settings.model_id] field is required for the Cohere "
        "V2 API.;",
    )


@pytest.mark.releases(">=8.15")
def test_bit_embeddings_from_8_19(es, release):
    body = {"service": "cohere", "service_settings": {"api_key": "k", "model_id": "m",
            "embedding_type": "binary", "dimensions": 16}}  # fmt: skip
    response = es.put("/_inference/text_embedding/c", body)
    if not in_8_19_or_9_1(release):
        assert error_of(response) == (
            400,
            "validation_exception",
            "Validation Failed: 1: [service_settings] Invalid value [binary] received. "
            "[embedding_type] must be one of [byte, float, int8];",
        )
        return
    assert response.get_json()["service_settings"]["embedding_type"] == "bit"
    vectors = post(es, "/_inference/text_embedding/c", {"input": "x"}).get_json()
    assert len(vectors["text_embedding_bits"][0]["embedding"]) == 2


@pytest.mark.releases(">=8.15")
def test_settings_problems(es):
    body = {
        "service": "cohere",
        "service_settings": {
            "api_key": "k",
            "model_id": "",
            "similarity": "euclid",
            "url": "http://a b",
            "embedding_type": "half",
        },
        "task_settings": {"input_type": "nope"},
    }
    assert error_of(es.put("/_inference/text_embedding/c", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] Invalid value [euclid] received. [similarity] "
        "must be one of [cosine, dot_product, l2_norm];2: [service_settings] Invalid url "
        "[http://a b] received for field [url]. Error: unable to parse url [http://a b]. Reason: "
        "Illegal character in authority at index 8: http://a b;3: [service_settings] Invalid "
        "value empty string. [model_id] must be a non-empty string;4: [service_settings] Invalid "
        "value [half] received. [embedding_type] must be one of [binary, bit, byte, float, int8];",
    )
    body["service_settings"] = {"api_key": "k", "model_id": "m"}
    assert error_of(es.put("/_inference/text_embedding/c", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [task_settings] Invalid value [nope] received. [input_type] must "
        "be one of [classification, clustering, ingest, search];",
    )
    body = {"service": "cohere", "service_settings": {"model_id": "m"}}
    assert error_of(es.put("/_inference/text_embedding/c", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];",
    )


@pytest.mark.releases(">=8.15")
def test_dimensions_of_the_wrong_type_fail_at_once(es):
    body = {"service": "cohere", "service_settings": {"api_key": "k", "model_id": "m",
            "similarity": "bad", "dimensions": "8"}}  # fmt: skip
    assert error_of(es.put("/_inference/text_embedding/c", body)) == (
        400,
        "status_exception",
        "field [dimensions] is not of the expected type. The value [8] cannot be converted to a "
        "[Integer]",
    )


@pytest.mark.releases(">=8.15")
def test_rerank_task_settings_and_unknown_keys(es):
    body = {**EXAMPLE_RERANK, "task_settings": {"top_n": 0, "return_documents": "yes"}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: field [return_documents] is not of the expected type. The value "
        "[yes] cannot be converted to a [Boolean];2: [task_settings] Invalid value [0]. [top_n] "
        "must be a positive integer;",
    )
    body = {**EXAMPLE_COMPLETION, "task_settings": {"top_n": 3}}
    assert error_of(es.put("/_inference/completion/c", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{top_n=3}] unknown to the [cohere] service",
    )


@pytest.mark.releases(">=8.15")
def test_unsupported_task_type(es):
    assert error_of(es.put("/_inference/sparse_embedding/s", EXAMPLE_COMPLETION)) == (
        400,
        "status_exception",
        "The [cohere] service does not support task type [sparse_embedding]",
    )


AUTH = (
    "Received an authentication error status code for request from inference entity id [c] "
    "status [401]. Error message: [invalid api token]"
)


@pytest.mark.releases(">=8.17")
def test_a_provider_failure_at_create(es):
    es.state.providers.fail("c", ProviderFailure(401, "invalid api token"))
    response = es.put("/_inference/rerank/c", EXAMPLE_RERANK)
    assert error_of(response) == (
        400,
        "status_exception",
        "Could not complete inference endpoint creation as validation call to service threw an "
        "exception.",
    )
    assert response.get_json()["error"]["caused_by"] == {"type": "status_exception", "reason": AUTH}
    assert es.state.endpoints.all() == []


@pytest.mark.releases("==8.15")
def test_only_embeddings_call_the_provider_at_create_before_8_17(es):
    es.state.providers.fail("*", ProviderFailure(401, "invalid api token"))
    assert es.put("/_inference/rerank/c", EXAMPLE_RERANK).status_code == 200
    response = es.put("/_inference/text_embedding/c", EXAMPLE_EMBEDDINGS)
    error = response.get_json()["error"]
    assert (response.status_code, error["type"], error["reason"]) == (
        401,
        "status_exception",
        AUTH,
    )


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_inference(es):
    es.put("/_inference/completion/c", EXAMPLE_COMPLETION)
    es.state.providers.fail("c", ProviderFailure(503, "overloaded"))
    assert error_of(post(es, "/_inference/completion/c", {"input": "x"})) == (
        400,
        "status_exception",
        "Received a server error status code for request from inference entity id [c] status "
        "[503]. Error message: [overloaded]",
    )
