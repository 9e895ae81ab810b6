"""The ``openshift_ai`` service (9.3+).

Sources: OpenShiftAiService (parseRequestConfig, updateModelWithEmbeddingDetails),
OpenShiftAiServiceSettings and OpenShiftAiEmbeddingsServiceSettings (reading and toXContent
order, 3000 requests per minute, ``dimensions_set_by_user``), OpenShiftAiRerankTaskSettings,
the specification's put_openshift_ai request and response examples.
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

RELEASES = ("9.3", "9.4", "9.5")
CHUNKING = {"strategy": "sentence", "max_chunk_size": 250, "sentence_overlap": 1}
RATE = {"requests_per_minute": 3000}


def body(url, key, model=None, task_settings=None):
    settings = {"url": url, "api_key": key, **({"model_id": model} if model else {})}
    request = {"service": "openshift_ai", "service_settings": settings}
    if task_settings is not None:
        request["task_settings"] = task_settings
    return request


# The specification's PutOpenShiftAiRequestExample1..5 and the service settings of their
# response examples (the simulated provider's vectors have 1024 dimensions, not 4096).
EXAMPLES = [
    ("text_embedding",
     body("openshift-ai-embeddings-url", "openshift-ai-embeddings-token", "gritlm-7b"),
     {"model_id": "gritlm-7b", "url": "openshift-ai-embeddings-url", "rate_limit": RATE,
      "dimensions": 1024, "similarity": "dot_product", "dimensions_set_by_user": False}),
    ("completion",
     body("openshift-ai-completion-url", "openshift-ai-completion-token", "llama-31-8b-instruct"),
     {"model_id": "llama-31-8b-instruct", "url": "openshift-ai-completion-url",
      "rate_limit": RATE}),
    ("chat_completion",
     body("openshift-ai-chat-completion-url", "openshift-ai-chat-completion-token",
          "llama-31-8b-instruct"),
     {"model_id": "llama-31-8b-instruct", "url": "openshift-ai-chat-completion-url",
      "rate_limit": RATE}),
    ("rerank",
     body("openshift-ai-rerank-url", "openshift-ai-rerank-token", "bge-reranker-v2-m3"),
     {"model_id": "bge-reranker-v2-m3", "url": "openshift-ai-rerank-url", "rate_limit": RATE}),
    ("rerank",
     body("openshift-ai-rerank-url", "openshift-ai-rerank-token",
          task_settings={"return_documents": True, "top_n": 2}),
     {"url": "openshift-ai-rerank-url", "rate_limit": RATE}),
]  # fmt: skip


@pytest.mark.parametrize("version", ["9.1", "9.2"])
def test_arrived_in_9_3(version):
    assert error_of(
        FakeClient(version).put("/_inference/rerank/o", EXAMPLES[3][1])
    ) == unknown_service("openshift_ai")


@pytest.mark.parametrize("version", RELEASES)
@pytest.mark.parametrize(("task_type", "request_body", "settings"), EXAMPLES)
def test_the_specification_examples(version, task_type, request_body, settings):
    expected = {
        "inference_id": "o",
        "task_type": task_type,
        "service": "openshift_ai",
        "service_settings": settings,
    }
    if "task_settings" in request_body:
        # OpenShiftAiRerankTaskSettings.toXContent writes top_n first.
        expected["task_settings"] = {"top_n": 2, "return_documents": True}
    if task_type == "text_embedding":
        expected["chunking_settings"] = CHUNKING
    key = request_body["service_settings"]["api_key"]
    assert_created(FakeClient(version), f"/_inference/{task_type}/o", request_body, expected, key)


def test_dimensions_given_are_set_by_user():
    request = body("https://ai.example/v1/embeddings", "k", "gritlm-7b")
    request["service_settings"]["dimensions"] = 256
    es = FakeClient("9.3")
    answer = es.put("/_inference/text_embedding/o", request).get_json()
    assert answer["service_settings"] == {
        "model_id": "gritlm-7b",
        "url": "https://ai.example/v1/embeddings",
        "rate_limit": RATE,
        "dimensions": 256,
        "similarity": "dot_product",
        "dimensions_set_by_user": True,
    }
    vectors = post(es, "/_inference/text_embedding/o", {"input": "a"}).get_json()
    assert len(vectors["text_embedding"][0]["embedding"]) == 256


def test_settings_problems():
    es = FakeClient("9.5")
    request = {
        "service": "openshift_ai",
        "service_settings": {"model_id": "", "dimensions": 0, "dimensions_set_by_user": True},
    }
    assert error_of(es.put("/_inference/text_embedding/o", request)) == validation_failed(
        "[service_settings] Invalid value empty string. [model_id] must be a non-empty string",
        "[service_settings] does not contain the required setting [url]",
        "[service_settings] Invalid value [0]. [dimensions] must be a positive integer",
        "[service_settings] does not allow the setting [dimensions_set_by_user]",
    )
    request = body("u", "k", task_settings={"return_documents": "yes", "top_n": 0})
    assert error_of(es.put("/_inference/rerank/o", request)) == validation_failed(
        "field [return_documents] is not of the expected type. The value [yes] cannot be "
        "converted to a [Boolean]",
        "[task_settings] Invalid value [0]. [top_n] must be a positive integer",
    )
    request = {"service": "openshift_ai", "service_settings": {"url": "u"}}
    assert error_of(es.put("/_inference/completion/o", request)) == validation_failed(
        "[secret_settings] does not contain the required setting [api_key]"
    )


def test_rerank_settings_are_unknown_to_completion():
    request = body("u", "k", task_settings={"top_n": 2})
    assert error_of(FakeClient("9.3").put("/_inference/completion/o", request)) == (
        unknown_settings("{top_n=2}", "openshift_ai")
    )


def test_sparse_embedding_is_not_supported():
    es = FakeClient("9.5")
    assert error_of(es.put("/_inference/sparse_embedding/o", EXAMPLES[0][1])) == unsupported(
        "openshift_ai", "sparse_embedding"
    )


def test_rerank_inference_honours_the_task_settings():
    es = FakeClient("9.3")
    es.put("/_inference/rerank/o", EXAMPLES[4][1])
    ranked = post(es, "/_inference/rerank/o", {"query": "q", "input": ["a", "b", "c"]}).get_json()
    assert [set(entry) for entry in ranked["rerank"]] == [{"index", "relevance_score", "text"}] * 2


@pytest.mark.parametrize(("task_type", "request_body", "_"), EXAMPLES[:4])
def test_provider_failures(task_type, request_body, _):
    es = FakeClient("9.3")
    path = f"/_inference/{task_type}/o"
    assert_create_fails_at_provider(es, path, request_body, "o")
    if task_type == "chat_completion":
        return
    es.put(path, request_body)
    request = {"input": ["a"], **({"query": "q"} if task_type == "rerank" else {})}
    assert_inference_fails_at_provider(es, path, request, "o")
