"""The ``nvidia`` service (9.3+).

Sources: NvidiaService (parseRequestConfig, updateModelWithEmbeddingDetails,
VALID_INPUT_TYPE_VALUES), NvidiaServiceSettings and NvidiaEmbeddingsServiceSettings (reading
and toXContent order, 3000 requests per minute), NvidiaEmbeddingsTaskSettings, the
specification's put_nvidia request and response examples.
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

from fake_es.providers.plan import ProviderFailure

RELEASES = ("9.3", "9.4", "9.5")
CHUNKING = {"strategy": "sentence", "max_chunk_size": 250, "sentence_overlap": 1}
RATE = {"requests_per_minute": 3000}
EMBED_MODEL = "nvidia/llama-3.2-nv-embedqa-1b-v2"
CHAT_MODEL = "microsoft/phi-3-mini-128k-instruct"
RERANK_MODEL = "nv-rerank-qa-mistral-4b:1"


def example(key, model, url=None, task_settings=None):
    service_settings = {"api_key": key, "model_id": model}
    if url is not None:
        service_settings = {"url": url, **service_settings}
    body = {"service": "nvidia", "service_settings": service_settings}
    if task_settings is not None:
        body["task_settings"] = task_settings
    return body


def answer(task_type, model, url=None, embedding=False, task_settings=None):
    """The specification's response example for the matching request example."""
    settings = {"model_id": model, **({"url": url} if url else {}), "rate_limit": RATE}
    if embedding:
        settings.update(dimensions=1024, similarity="dot_product")
    body = {
        "inference_id": "nv",
        "task_type": task_type,
        "service": "nvidia",
        "service_settings": settings,
    }
    if task_settings is not None:
        body["task_settings"] = task_settings
    if embedding:
        body["chunking_settings"] = CHUNKING
    return body


# The specification's PutNvidiaRequestExample1..8, with their response examples (the
# simulated provider's vectors have 1024 dimensions where the examples show 2048).
INGEST = {"input_type": "ingest", "truncate": "start"}
EXAMPLES = [
    ("text_embedding", example("nvidia-embeddings-token", EMBED_MODEL, "nvidia-embeddings-url"),
     answer("text_embedding", EMBED_MODEL, "nvidia-embeddings-url", embedding=True)),
    ("text_embedding", example("nvidia-text-embeddings-token", EMBED_MODEL, task_settings=INGEST),
     answer("text_embedding", EMBED_MODEL, embedding=True, task_settings=INGEST)),
    ("completion", example("nvidia-completion-token", CHAT_MODEL, "nvidia-completion-url"),
     answer("completion", CHAT_MODEL, "nvidia-completion-url")),
    ("completion", example("nvidia-completion-token", CHAT_MODEL),
     answer("completion", CHAT_MODEL)),
    ("chat_completion",
     example("nvidia-chat-completion-token", CHAT_MODEL, "nvidia-chat-completion-url"),
     answer("chat_completion", CHAT_MODEL, "nvidia-chat-completion-url")),
    ("chat_completion", example("nvidia-chat-completion-token", CHAT_MODEL),
     answer("chat_completion", CHAT_MODEL)),
    ("rerank", example("nvidia-rerank-token", RERANK_MODEL, "nvidia-rerank-url"),
     answer("rerank", RERANK_MODEL, "nvidia-rerank-url")),
    ("rerank", example("nvidia-rerank-token", RERANK_MODEL), answer("rerank", RERANK_MODEL)),
]  # fmt: skip


@pytest.mark.parametrize("version", ["9.1", "9.2"])
def test_arrived_in_9_3(version):
    assert error_of(
        FakeClient(version).put("/_inference/rerank/nv", EXAMPLES[7][1])
    ) == unknown_service("nvidia")


@pytest.mark.parametrize("version", RELEASES)
@pytest.mark.parametrize(("task_type", "body", "expected"), EXAMPLES)
def test_the_specification_examples(version, task_type, body, expected):
    key = body["service_settings"]["api_key"]
    assert_created(FakeClient(version), f"/_inference/{task_type}/nv", body, expected, key)


def test_inference_in_each_shape():
    es = FakeClient("9.3")
    for task_type, body, _ in EXAMPLES[1::2]:
        assert es.put(f"/_inference/{task_type}/{task_type}", body).status_code == 200
    vectors = post(es, "/_inference/text_embedding/text_embedding", {"input": ["a", "b"]})
    assert [len(v["embedding"]) for v in vectors.get_json()["text_embedding"]] == [1024, 1024]
    ranked = post(es, "/_inference/rerank/rerank", {"query": "q", "input": ["a", "b"]}).get_json()
    assert [set(entry) for entry in ranked["rerank"]] == [{"index", "relevance_score", "text"}] * 2
    completion = post(es, "/_inference/completion/completion", {"input": "hi"}).get_json()
    assert completion == {
        "completion": [{"result": f"[nvidia/{CHAT_MODEL}] A simulated answer to: hi"}]
    }


def test_dimensions_are_learnt_not_given():
    body = example("k", EMBED_MODEL)
    body["service_settings"]["dimensions"] = 2048
    assert error_of(FakeClient("9.3").put("/_inference/text_embedding/nv", body)) == (
        unknown_settings("{dimensions=2048}", "nvidia")
    )


def test_settings_problems():
    es = FakeClient("9.5")
    body = {
        "service": "nvidia",
        "service_settings": {
            "url": "http://a b",
            "rate_limit": {"requests_per_minute": 0},
            "similarity": "hamming",
            "max_input_tokens": 0,
        },
    }
    assert error_of(es.put("/_inference/text_embedding/nv", body)) == validation_failed(
        "[service_settings] does not contain the required setting [model_id]",
        "[service_settings] Invalid url [http://a b] received for field [url]. Error: unable to "
        "parse url [http://a b]. Reason: Illegal character in authority at index 8: http://a b",
        "[service_settings] Invalid value [0]. [requests_per_minute] must be a positive long",
        "[service_settings] Invalid value [hamming] received. [similarity] must be one of "
        "[cosine, dot_product, l2_norm]",
        "[service_settings] Invalid value [0]. [max_input_tokens] must be a positive integer",
    )
    body = example("k", EMBED_MODEL, task_settings={"input_type": "query", "truncate": "middle"})
    assert error_of(es.put("/_inference/text_embedding/nv", body)) == validation_failed(
        "[task_settings] Invalid value [query] received. [input_type] must be one of "
        "[ingest, internal_ingest, internal_search, search]",
        "[task_settings] Invalid value [middle] received. [truncate] must be one of "
        "[end, none, start]",
    )
    body = {"service": "nvidia", "service_settings": {"model_id": CHAT_MODEL}}
    assert error_of(es.put("/_inference/completion/nv", body)) == validation_failed(
        "[secret_settings] does not contain the required setting [api_key]"
    )


def test_only_text_embedding_has_task_settings():
    body = example("k", RERANK_MODEL, task_settings={"truncate": "end"})
    assert error_of(FakeClient("9.3").put("/_inference/rerank/nv", body)) == unknown_settings(
        "{truncate=end}", "nvidia"
    )


def test_sparse_embedding_is_not_supported():
    es = FakeClient("9.5")
    assert error_of(es.put("/_inference/sparse_embedding/nv", EXAMPLES[0][1])) == unsupported(
        "nvidia", "sparse_embedding"
    )


@pytest.mark.parametrize(("task_type", "body", "_"), EXAMPLES[1::2])
def test_provider_failures(task_type, body, _):
    es = FakeClient("9.3")
    path = f"/_inference/{task_type}/nv"
    assert_create_fails_at_provider(es, path, body, "nv")
    if task_type == "chat_completion":
        return
    es.put(path, body)
    request = {"input": ["a"], **({"query": "q"} if task_type == "rerank" else {})}
    assert_inference_fails_at_provider(es, path, request, "nv")


def test_an_unreachable_provider_at_create():
    es = FakeClient("9.3")
    es.state.providers.fail("nv", ProviderFailure(network=True))
    response = es.put("/_inference/completion/nv", EXAMPLES[3][1])
    assert response.get_json()["error"]["caused_by"]["reason"] == (
        "Http client failed to send request from inference entity id [nv]"
    )
