"""The ``fireworksai`` service (9.4+).

Sources: FireworksAiService (parseRequestConfig, updateModelWithEmbeddingDetails: cosine),
FireworksAiEmbeddingsServiceSettings (reading order, DEFAULT_URL, 6000 requests per minute,
toXContentFragmentOfExposedFields), FireworksAiChatCompletionServiceSettings and
FireworksAiChatCompletionTaskSettings (OpenAiTaskSettings: user, headers),
FireworksAiChatCompletionModel; the specification's put_fireworksai request examples 1-4 and
response examples 1-2 (9.4 branch).
"""

from __future__ import annotations

import json

import pytest
from service_checks import (
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

from fake_es.providers.plan import ProviderFailure

KEY = "your-api-key"
# PutFireworksAiRequestExample1..4.
SPEC_EMBEDDINGS = {
    "service": "fireworksai",
    "service_settings": {"api_key": KEY, "model_id": "fireworks/qwen3-embedding-8b"},
}
SPEC_EMBEDDINGS_OPTIONS = {
    "service": "fireworksai",
    "service_settings": {
        "api_key": KEY,
        "model_id": "fireworks/qwen3-embedding-8b",
        "dimensions": 1024,
        "similarity": "cosine",
        "rate_limit": {"requests_per_minute": 6000},
    },
}
SPEC_CHAT = {
    "service": "fireworksai",
    "service_settings": {"api_key": KEY, "model_id": "accounts/fireworks/models/deepseek-v3p1"},
}
SPEC_COMPLETION = SPEC_CHAT
DEFAULT_URL = "https://api.fireworks.ai/inference/v1/embeddings"
CHUNKING = {"strategy": "sentence", "max_chunk_size": 250, "sentence_overlap": 1}
RATE_LIMIT = {"requests_per_minute": 6000}


def with_settings(body, **settings):
    return {**body, "service_settings": {**body["service_settings"], **settings}}


def test_arrived_in_9_4():
    assert error_of(
        FakeClient("9.3").put("/_inference/completion/a", SPEC_COMPLETION)
    ) == unknown_service("fireworksai")


@pytest.mark.parametrize("release", ["9.4", "9.5"])
@pytest.mark.parametrize("body", [SPEC_EMBEDDINGS, SPEC_EMBEDDINGS_OPTIONS])
def test_the_embeddings_examples(release, body):
    es = FakeClient(release)
    # PutFireworksAiResponseExample1's keys and order (its 4096 is the real model's size).
    expected = {
        "inference_id": "my-fireworks-embeddings",
        "task_type": "text_embedding",
        "service": "fireworksai",
        "service_settings": {
            "model_id": "fireworks/qwen3-embedding-8b",
            "url": DEFAULT_URL,
            "similarity": "cosine",
            "dimensions": 1024,
            "rate_limit": RATE_LIMIT,
        },
        "chunking_settings": CHUNKING,
    }
    path = "/_inference/text_embedding/my-fireworks-embeddings"
    assert_created(es, path, body, expected, KEY)
    answer = post(es, path, {"input": ["a", "b"]}).get_json()
    assert list(answer) == ["text_embedding"]
    assert [len(v["embedding"]) for v in answer["text_embedding"]] == [1024, 1024]


@pytest.mark.parametrize("release", ["9.4", "9.5"])
@pytest.mark.parametrize(
    ("task_type", "inference_id"),
    [("chat_completion", "my-fireworks-chat"), ("completion", "my-fireworks-completion")],
)
def test_the_completion_examples(release, task_type, inference_id):
    es = FakeClient(release)
    # PutFireworksAiResponseExample2: no URL is written when none was given.
    expected = {
        "inference_id": inference_id,
        "task_type": task_type,
        "service": "fireworksai",
        "service_settings": {
            "model_id": "accounts/fireworks/models/deepseek-v3p1",
            "rate_limit": RATE_LIMIT,
        },
    }
    assert_created(es, f"/_inference/{task_type}/{inference_id}", SPEC_CHAT, expected, KEY)


@pytest.mark.parametrize("release", ["9.4"])
def test_completion_answers_and_streams(release):
    es = FakeClient(release)
    es.put("/_inference/completion/c", SPEC_COMPLETION)
    assert post(es, "/_inference/completion/c", {"input": "Hi"}).get_json() == {
        "completion": [
            {"result": "[fireworksai/accounts/fireworks/models/deepseek-v3p1] A simulated "
             "answer to: Hi"}
        ]
    }  # fmt: skip
    streamed = post(es, "/_inference/completion/c/_stream", {"input": "Hi"})
    assert streamed.status_code == 200
    assert streamed.mimetype == "text/event-stream"
    es.put("/_inference/chat_completion/chat", SPEC_CHAT)
    chat = post(
        es,
        "/_inference/chat_completion/chat/_stream",
        {"messages": [{"role": "user", "content": "Hi"}]},
    )
    assert chat.status_code == 200
    events = [
        json.loads(line[len(b"data: ") :])
        for line in chat.get_data().splitlines()
        if line.startswith(b"data: {")
    ]
    assert events[0]["model"] == "accounts/fireworks/models/deepseek-v3p1"


@pytest.mark.parametrize("release", ["9.4"])
def test_settings_in_reading_order(release):
    es = FakeClient(release)
    body = {
        "service": "fireworksai",
        "service_settings": {
            "rate_limit": {"requests_per_minute": "many"},
            "model_id": "",
            "dimensions": 0,
            "max_input_tokens": -3,
            "similarity": "hamming",
            "url": 7,
        },
    }
    assert error_of(es.put("/_inference/text_embedding/a", body)) == validation_failed(
        "field [url] is not of the expected type. The value [7] cannot be converted to a [String]",
        "[service_settings] Invalid value [hamming] received. [similarity] must be one of "
        "[cosine, dot_product, l2_norm]",
        "[service_settings] Invalid value [-3]. [max_input_tokens] must be a positive integer",
        "[service_settings] Invalid value [0]. [dimensions] must be a positive integer",
        "[service_settings] Invalid value empty string. [model_id] must be a non-empty string",
        "field [requests_per_minute] is not of one of the expected types. The value [many] "
        "cannot be converted to one of [Integer, Long]",
    )
    body = {"service": "fireworksai", "service_settings": {"url": "a b"}}
    assert error_of(es.put("/_inference/completion/a", body)) == validation_failed(
        "[service_settings] Invalid url [a b] received for field [url]. Error: unable to parse "
        "url [a b]. Reason: Illegal character in path at index 1: a b",
        "[service_settings] does not contain the required setting [model_id]",
    )
    body = with_settings(SPEC_CHAT, api_key="")
    assert error_of(es.put("/_inference/completion/a", body)) == validation_failed(
        "[secret_settings] Invalid value empty string. [api_key] must be a non-empty string"
    )


@pytest.mark.parametrize("release", ["9.4"])
def test_a_given_url_and_dimensions(release):
    es = FakeClient(release)
    body = with_settings(
        SPEC_EMBEDDINGS, url="https://example.test/v1/embeddings", dimensions=64, max_input_tokens=8
    )
    settings = es.put("/_inference/text_embedding/a", body).get_json()["service_settings"]
    assert list(settings.items()) == [
        ("model_id", "fireworks/qwen3-embedding-8b"),
        ("url", "https://example.test/v1/embeddings"),
        ("similarity", "cosine"),
        ("dimensions", 64),
        ("max_input_tokens", 8),
        ("rate_limit", RATE_LIMIT),
    ]
    body = with_settings(SPEC_CHAT, url="https://example.test/v1/chat/completions")
    settings = es.put("/_inference/chat_completion/b", body).get_json()["service_settings"]
    assert list(settings) == ["model_id", "url", "rate_limit"]


@pytest.mark.parametrize("release", ["9.4"])
def test_task_settings_are_for_completions(release):
    es = FakeClient(release)
    body = {**SPEC_COMPLETION, "task_settings": {"user": "me", "headers": {"X-Team": "search"}}}
    created = es.put("/_inference/completion/a", body).get_json()
    assert created["task_settings"] == {"user": "me", "headers": {"X-Team": "search"}}
    body["task_settings"] = {"headers": {"X-Count": 3}}
    assert error_of(es.put("/_inference/completion/b", body)) == validation_failed(
        "Map field [headers] has an entry that is not valid, [X-Count => 3]. Value type of [3] "
        "is not one of [String]."
    )
    body = {**SPEC_EMBEDDINGS, "task_settings": {"user": "me"}}
    assert error_of(es.put("/_inference/text_embedding/c", body)) == unknown_settings(
        "{user=me}", "fireworksai"
    )
    body = with_settings(SPEC_CHAT, similarity="cosine")
    assert error_of(es.put("/_inference/chat_completion/d", body)) == unknown_settings(
        "{similarity=cosine}", "fireworksai"
    )
    body = with_settings(SPEC_EMBEDDINGS, dimensions_set_by_user=True)
    assert error_of(es.put("/_inference/text_embedding/e", body)) == unknown_settings(
        "{dimensions_set_by_user=true}", "fireworksai"
    )
    assert error_of(es.put("/_inference/rerank/f", SPEC_CHAT)) == unsupported(
        "fireworksai", "rerank"
    )


@pytest.mark.parametrize("release", ["9.4", "9.5"])
def test_a_provider_failure_at_create(release):
    es = FakeClient(release)
    assert_create_fails_at_provider(es, "/_inference/text_embedding/a", SPEC_EMBEDDINGS, "a")
    assert_create_fails_at_provider(es, "/_inference/completion/b", SPEC_COMPLETION, "b")


@pytest.mark.parametrize("release", ["9.4"])
def test_a_provider_failure_at_inference(release):
    es = FakeClient(release)
    es.put("/_inference/completion/a", SPEC_COMPLETION)
    assert_inference_fails_at_provider(es, "/_inference/completion/a", {"input": "x"}, "a")
    # FireworksAiResponseHandler has no content-too-large case.
    es.state.providers.fail("a", ProviderFailure(413, "too long"))
    assert error_of(post(es, "/_inference/completion/a", {"input": "x"})) == (
        413,
        "status_exception",
        "Received an unsuccessful status code for request from inference entity id [a] status "
        "[413]. Error message: [too long]",
    )
