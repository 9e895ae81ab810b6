"""The ``llama`` service (9.2+).

Sources: LlamaService (parseRequestConfig, updateModelWithEmbeddingDetails),
LlamaEmbeddingsServiceSettings and LlamaChatCompletionServiceSettings (reading and toXContent
order, 3000 requests per minute), LlamaModel.retrieveSecretSettings (the optional key), the
specification's put_llama request examples.
"""

from __future__ import annotations

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

RELEASES = ("9.2", "9.3", "9.4", "9.5")
CHUNKING = {"strategy": "sentence", "max_chunk_size": 250, "sentence_overlap": 1}
# The specification's PutLlamaRequestExample1, 2 and 3.
EMBED = {
    "service": "llama",
    "service_settings": {
        "url": "http://localhost:8321/v1/inference/embeddings",
        "dimensions": 384,
        "model_id": "all-MiniLM-L6-v2",
    },
}
CHAT = {
    "service": "llama",
    "service_settings": {
        "url": "http://localhost:8321/v1/openai/v1/chat/completions",
        "model_id": "llama3.2:3b",
    },
}


@pytest.mark.parametrize("version", ["8.19", "9.1"])
def test_arrived_in_9_2(version):
    assert error_of(FakeClient(version).put("/_inference/completion/l", CHAT)) == unknown_service(
        "llama"
    )


@pytest.mark.parametrize("version", RELEASES)
def test_the_text_embedding_example(version):
    expected = {
        "inference_id": "llama-text-embedding",
        "task_type": "text_embedding",
        "service": "llama",
        "service_settings": {
            "model_id": "all-MiniLM-L6-v2",
            "url": "http://localhost:8321/v1/inference/embeddings",
            "dimensions": 384,
            "similarity": "dot_product",
            "rate_limit": {"requests_per_minute": 3000},
        },
        "chunking_settings": CHUNKING,
    }
    es = FakeClient(version)
    assert_created(es, "/_inference/text_embedding/llama-text-embedding", EMBED, expected, None)
    vectors = post(es, "/_inference/text_embedding/llama-text-embedding", {"input": ["a", "b"]})
    assert [len(v["embedding"]) for v in vectors.get_json()["text_embedding"]] == [384, 384]


@pytest.mark.parametrize("version", RELEASES)
@pytest.mark.parametrize("task_type", ["completion", "chat_completion"])
def test_the_completion_examples(version, task_type):
    expected = {
        "inference_id": "llama-c",
        "task_type": task_type,
        "service": "llama",
        "service_settings": {
            "model_id": "llama3.2:3b",
            "url": "http://localhost:8321/v1/openai/v1/chat/completions",
            "rate_limit": {"requests_per_minute": 3000},
        },
    }
    assert_created(FakeClient(version), f"/_inference/{task_type}/llama-c", CHAT, expected, None)


def test_an_api_key_is_kept_secret():
    body = {"service": "llama", "service_settings": {**CHAT["service_settings"], "api_key": "k-9"}}
    expected = {
        "inference_id": "l",
        "task_type": "completion",
        "service": "llama",
        "service_settings": {
            "model_id": "llama3.2:3b",
            "url": "http://localhost:8321/v1/openai/v1/chat/completions",
            "rate_limit": {"requests_per_minute": 3000},
        },
    }
    assert_created(FakeClient("9.2"), "/_inference/completion/l", body, expected, "k-9")


def test_a_key_is_required_once_something_else_is_left():
    es = FakeClient("9.2")
    body = {
        "service": "llama",
        "service_settings": {**CHAT["service_settings"], "organization": "o"},
    }
    assert error_of(es.put("/_inference/completion/l", body)) == validation_failed(
        "[secret_settings] does not contain the required setting [api_key]"
    )
    body["service_settings"]["api_key"] = "k"
    assert error_of(es.put("/_inference/completion/l", body)) == unknown_settings(
        "{organization=o}", "llama"
    )


def test_settings_problems():
    es = FakeClient("9.5")
    body = {
        "service": "llama",
        "service_settings": {"dimensions": 0, "similarity": "hamming", "max_input_tokens": -2},
    }
    assert error_of(es.put("/_inference/text_embedding/l", body)) == validation_failed(
        "[service_settings] does not contain the required setting [model_id]",
        "[service_settings] does not contain the required setting [url]",
        "[service_settings] Invalid value [0]. [dimensions] must be a positive integer",
        "[service_settings] Invalid value [hamming] received. [similarity] must be one of "
        "[cosine, dot_product, l2_norm]",
        "[service_settings] Invalid value [-2]. [max_input_tokens] must be a positive integer",
    )


def test_embedding_settings_are_unknown_to_completion():
    body = {"service": "llama", "service_settings": {**CHAT["service_settings"], "api_key": "k"}}
    body["service_settings"]["dimensions"] = 8
    assert error_of(FakeClient("9.2").put("/_inference/completion/l", body)) == unknown_settings(
        "{dimensions=8}", "llama"
    )


def test_there_are_no_task_settings():
    body = {**CHAT, "task_settings": {"user": "me"}}
    assert error_of(FakeClient("9.2").put("/_inference/completion/l", body)) == unknown_settings(
        "{user=me}", "llama"
    )


@pytest.mark.parametrize("task_type", ["rerank", "sparse_embedding"])
def test_unsupported_task_types(task_type):
    assert error_of(FakeClient("9.5").put(f"/_inference/{task_type}/l", CHAT)) == unsupported(
        "llama", task_type
    )


def test_provider_failures():
    es = FakeClient("9.2")
    assert_create_fails_at_provider(es, "/_inference/text_embedding/l", EMBED, "l")
    es.put("/_inference/completion/c", CHAT)
    assert_inference_fails_at_provider(es, "/_inference/completion/c", {"input": "x"}, "c")
