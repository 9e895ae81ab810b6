"""The ``contextualai`` service (9.2+).

Sources: ContextualAiService.parseRequestConfig (rerank only), ContextualAiServiceSettings and
ContextualAiRerankServiceSettings (reading and toXContent order, 1000 requests per minute),
ContextualAiRerankTaskSettings (``top_n``, ``instruction``), the specification's put_contextualai
request example.
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
PATH = "/_inference/rerank/contextualai-rerank"
SERVICE_SETTINGS = {
    "api_key": "ContextualAI-Api-key",
    "model_id": "ctxl-rerank-v2-instruct-multilingual-mini",
}
INSTRUCTION = "Rerank the following documents based on their relevance to the query."
# The specification's PutContextualAiRequestExample1.
EXAMPLE = {
    "service": "contextualai",
    "service_settings": SERVICE_SETTINGS,
    "task_settings": {"instruction": INSTRUCTION, "top_k": 3},
}
# The same endpoint with the setting Elasticsearch reads.
BODY = {
    "service": "contextualai",
    "service_settings": SERVICE_SETTINGS,
    "task_settings": {"instruction": INSTRUCTION, "top_n": 3},
}


@pytest.mark.parametrize("version", ["8.19", "9.1"])
def test_arrived_in_9_2(version):
    assert error_of(FakeClient(version).put(PATH, BODY)) == unknown_service("contextualai")


@pytest.mark.parametrize("version", RELEASES)
def test_a_rerank_endpoint(version):
    expected = {
        "inference_id": "contextualai-rerank",
        "task_type": "rerank",
        "service": "contextualai",
        "service_settings": {
            "model_id": "ctxl-rerank-v2-instruct-multilingual-mini",
            "rate_limit": {"requests_per_minute": 1000},
        },
        "task_settings": {"top_n": 3, "instruction": INSTRUCTION},
    }
    assert_created(FakeClient(version), PATH, BODY, expected, "ContextualAI-Api-key")


def test_the_specification_example_names_a_setting_elasticsearch_does_not_read():
    # ContextualAiRerankTaskSettings reads `top_n`; the specification's `top_k` is left over.
    assert error_of(FakeClient("9.5").put(PATH, EXAMPLE)) == unknown_settings(
        "{top_k=3}", "contextualai"
    )


def test_rerank_uses_top_n():
    es = FakeClient("9.2")
    es.put(PATH, BODY)
    body = {"query": "star wars", "input": ["luke", "leia", "han", "r2d2"]}
    ranked = post(es, PATH, body).get_json()["rerank"]
    assert len(ranked) == 3
    assert [set(entry) for entry in ranked] == [{"index", "relevance_score", "text"}] * 3
    scores = [entry["relevance_score"] for entry in ranked]
    assert scores == sorted(scores, reverse=True)


def test_settings_problems():
    es = FakeClient("9.2")
    body = {
        "service": "contextualai",
        "service_settings": {"model_id": "", "rate_limit": {"requests_per_minute": "many"}},
        "task_settings": {"top_n": 0},
    }
    assert error_of(es.put(PATH, body)) == validation_failed(
        "[service_settings] Invalid value empty string. [model_id] must be a non-empty string",
        "field [requests_per_minute] is not of one of the expected types. The value [many] "
        "cannot be converted to one of [Integer, Long]",
    )
    body = {"service": "contextualai", "service_settings": SERVICE_SETTINGS,
            "task_settings": {"top_n": 0, "instruction": ""}}  # fmt: skip
    assert error_of(es.put(PATH, body)) == validation_failed(
        "[task_settings] Invalid value [0]. [top_n] must be a positive integer",
        "[task_settings] Invalid value empty string. [instruction] must be a non-empty string",
    )
    body = {"service": "contextualai", "service_settings": {"model_id": "m"}}
    assert error_of(es.put(PATH, body)) == validation_failed(
        "[secret_settings] does not contain the required setting [api_key]"
    )


@pytest.mark.parametrize("task_type", ["text_embedding", "completion", "chat_completion"])
def test_only_rerank(task_type):
    es = FakeClient("9.5")
    assert error_of(es.put(f"/_inference/{task_type}/c", BODY)) == unsupported(
        "contextualai", task_type
    )


def test_provider_failures():
    es = FakeClient("9.2")
    assert_create_fails_at_provider(es, PATH, BODY, "contextualai-rerank")
    es.put(PATH, BODY)
    body = {"query": "q", "input": ["a", "b"]}
    assert_inference_fails_at_provider(es, PATH, body, "contextualai-rerank")
