"""The ``hugging_face`` service (8.12+) and the simulated provider behind it.

Sources: HuggingFaceBaseService.parseRequestConfig, HuggingFaceService.createModel and
updateModelWithEmbeddingDetails, HuggingFaceServiceSettings, HuggingFaceElserServiceSettings,
HuggingFaceChatCompletionServiceSettings, HuggingFaceRerankServiceSettings,
HuggingFaceRerankTaskSettings, DefaultSecretSettings, BaseResponseHandler; the
specification's put_hugging_face request examples.
"""

from __future__ import annotations

import json

import pytest
from service_checks import post
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

# The specification's PutHuggingFaceRequestExample1 and 2 (8.18+ branches).
EXAMPLE_EMBEDDINGS = {
    "service": "hugging_face",
    "service_settings": {"api_key": "hugging-face-access-token", "url": "url-endpoint"},
}
EXAMPLE_RERANK = {
    "service": "hugging_face",
    "service_settings": {"api_key": "hugging-face-access-token", "url": "url-endpoint"},
    "task_settings": {"return_documents": True, "top_n": 3},
}


def has_rerank(release):
    """Rerank, chat completion and task settings arrived in 8.19 and 9.1, not 9.0."""
    major, minor = map(int, release.split("."))
    return (major, minor) >= (8, 19) and release != "9.0"


def test_8_12_embeddings_and_elser():
    es = FakeClient("8.12")
    response = es.put("/_inference/text_embedding/hf", EXAMPLE_EMBEDDINGS)
    assert response.get_data(as_text=True) == (
        '{"model_id":"hf","task_type":"text_embedding","service":"hugging_face",'
        '"service_settings":{"url":"url-endpoint","similarity":"cosine","dimensions":1024},'
        '"task_settings":{}}'
    )
    assert b"hugging-face-access-token" not in es.request("GET", "/_fake_es/journal").get_data()
    response = es.put("/_inference/sparse_embedding/elser", EXAMPLE_EMBEDDINGS)
    assert response.get_json()["service_settings"] == {
        "url": "url-endpoint",
        "max_input_tokens": 512,
    }


@pytest.mark.releases(">=8.15")
def test_the_embeddings_example(es):
    response = es.put("/_inference/text_embedding/hugging-face-embeddings", EXAMPLE_EMBEDDINGS)
    assert json.dumps(response.get_json()["service_settings"]) == json.dumps(
        {
            "url": "url-endpoint",
            "similarity": "cosine",
            "dimensions": 1024,
            "rate_limit": {"requests_per_minute": 3000},
        }
    )
    for answer in (response, es.request("GET", "/_inference/hugging-face-embeddings")):
        assert b"hugging-face-access-token" not in answer.get_data()
    vectors = post(es, "/_inference/hugging-face-embeddings", {"input": ["a", "b"]}).get_json()
    assert [len(v["embedding"]) for v in vectors["text_embedding"]] == [1024, 1024]


@pytest.mark.releases(">=8.15")
def test_sparse_embeddings(es):
    es.put("/_inference/sparse_embedding/elser", EXAMPLE_EMBEDDINGS)
    answer = post(es, "/_inference/sparse_embedding/elser", {"input": ["a b"]}).get_json()
    assert list(answer["sparse_embedding"][0]) == ["is_truncated", "embedding"]


@pytest.mark.releases(">=8.15")
def test_the_rerank_example(es, release):
    response = es.put("/_inference/rerank/hugging-face-rerank", EXAMPLE_RERANK)
    if not has_rerank(release):
        assert error_of(response) == (
            400,
            "status_exception",
            "The [hugging_face] service does not support task type [rerank]",
        )
        return
    body = response.get_json()
    assert body["service_settings"] == {
        "url": "url-endpoint",
        "rate_limit": {"requests_per_minute": 3000},
    }
    assert json.dumps(body["task_settings"]) == '{"top_n": 3, "return_documents": true}'
    ranked = post(
        es, "/_inference/rerank/hugging-face-rerank", {"query": "q", "input": ["a", "b", "c", "d"]}
    ).get_json()["rerank"]
    assert len(ranked) == 3 and list(ranked[0]) == ["index", "relevance_score", "text"]


@pytest.mark.releases(">=8.15")
def test_task_settings_are_unknown_before_rerank(es, release):
    body = {**EXAMPLE_EMBEDDINGS, "task_settings": {"top_n": 1}}
    expected = "{top_n=1}" if has_rerank(release) else "{task_settings={top_n=1}}"
    assert error_of(es.put("/_inference/text_embedding/hf", body)) == (
        400,
        "status_exception",
        f"Model configuration contains settings [{expected}] unknown to the [hugging_face] service",
    )


@pytest.mark.releases(">=8.19")
def test_chat_completion_names_its_model(es, release):
    if not has_rerank(release):
        return
    body = {"service": "hugging_face", "service_settings": {
        "api_key": "k", "url": "https://x.endpoints.huggingface.cloud/v1/chat/completions",
        "model_id": "llama"}}  # fmt: skip
    response = es.put("/_inference/completion/chat", body)
    assert json.dumps(response.get_json()["service_settings"]) == json.dumps(
        {
            "model_id": "llama",
            "url": "https://x.endpoints.huggingface.cloud/v1/chat/completions",
            "rate_limit": {"requests_per_minute": 3000},
        }
    )
    answer = post(es, "/_inference/completion/chat", {"input": "hi"}).get_json()
    assert answer == {"completion": [{"result": "[hugging_face/llama] A simulated answer to: hi"}]}


@pytest.mark.releases(">=8.15")
def test_settings_problems(es):
    body = {"service": "hugging_face", "service_settings": {
        "similarity": "euclid", "dimensions": 0, "max_input_tokens": "x"}}  # fmt: skip
    assert error_of(es.put("/_inference/text_embedding/hf", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] does not contain the required setting [url];2: "
        "[service_settings] Invalid value [euclid] received. [similarity] must be one of "
        "[cosine, dot_product, l2_norm];3: [service_settings] Invalid value [0]. [dimensions] "
        "must be a positive integer;4: field [max_input_tokens] is not of the expected type. The "
        "value [x] cannot be converted to a [Integer];",
    )
    body = {"service": "hugging_face", "service_settings": {"url": ""}}
    assert error_of(es.put("/_inference/sparse_embedding/hf", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] Invalid value empty string. [url] must be a "
        "non-empty string;",
    )
    body = {"service": "hugging_face", "service_settings": {"url": "u"}}
    assert error_of(es.put("/_inference/sparse_embedding/hf", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];",
    )
    body = {"service": "hugging_face", "service_settings": {"url": "u", "api_key": "k", "x": 1}}
    assert error_of(es.put("/_inference/sparse_embedding/hf", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{x=1}] unknown to the [hugging_face] service",
    )


def test_unsupported_task_type():
    es = FakeClient("9.5")
    response = es.put("/_inference/embedding/hf", EXAMPLE_EMBEDDINGS)
    assert error_of(response) == (
        400,
        "status_exception",
        "The [hugging_face] service does not support task type [embedding]",
    )


@pytest.mark.releases(">=8.17")
def test_a_provider_failure_at_create(es):
    es.state.providers.fail("service:hugging_face", ProviderFailure(500, "model loading"))
    response = es.put("/_inference/sparse_embedding/hf", EXAMPLE_EMBEDDINGS)
    assert error_of(response)[2] == (
        "Could not complete inference endpoint creation as validation call to service threw an "
        "exception."
    )
    assert response.get_json()["error"]["caused_by"] == {
        "type": "status_exception",
        "reason": "Received a server error status code for request from inference entity id "
        "[hf] status [500]. Error message: [model loading]",
    }


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_inference(es):
    es.put("/_inference/sparse_embedding/hf", EXAMPLE_EMBEDDINGS)
    es.state.providers.fail("hf", ProviderFailure(429, "too many"))
    assert error_of(post(es, "/_inference/sparse_embedding/hf", {"input": "x"})) == (
        429,
        "status_exception",
        "Received a rate limit status code for request from inference entity id [hf] status "
        "[429]. Error message: [too many]",
    )
