"""The ``ai21`` service (9.2+).

Sources: Ai21Service.parseRequestConfig, Ai21ChatCompletionServiceSettings (reading and
toXContent order, 200 requests per minute), Ai21ChatCompletionModel (DefaultSecretSettings),
the specification's put_ai21 request examples.
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
# The specification's PutAi21RequestExample1 (completion) and 2 (chat_completion).
EXAMPLES = {
    "completion": {
        "service": "ai21",
        "service_settings": {"api_key": "ai21-api-key", "model_id": "jamba-large"},
    },
    "chat_completion": {
        "service": "ai21",
        "service_settings": {"api_key": "ai21-api-key", "model_id": "jamba-mini"},
    },
}


@pytest.mark.parametrize("version", ["8.19", "9.1"])
def test_arrived_in_9_2(version):
    es = FakeClient(version)
    assert error_of(es.put("/_inference/completion/a", EXAMPLES["completion"])) == unknown_service(
        "ai21"
    )


@pytest.mark.parametrize("version", RELEASES)
@pytest.mark.parametrize("task_type", ["completion", "chat_completion"])
def test_the_specification_examples_create_endpoints(version, task_type):
    body = EXAMPLES[task_type]
    expected = {
        "inference_id": "ai21-x",
        "task_type": task_type,
        "service": "ai21",
        "service_settings": {
            "model_id": body["service_settings"]["model_id"],
            "rate_limit": {"requests_per_minute": 200},
        },
    }
    assert_created(FakeClient(version), f"/_inference/{task_type}/ai21-x", body, expected,
                   "ai21-api-key")  # fmt: skip


def test_completion_inference():
    es = FakeClient("9.2")
    es.put("/_inference/completion/a", EXAMPLES["completion"])
    answer = post(es, "/_inference/completion/a", {"input": "Hi"}).get_json()
    assert answer == {"completion": [{"result": "[ai21/jamba-large] A simulated answer to: Hi"}]}


def test_settings_problems():
    es = FakeClient("9.5")
    settings = {"model_id": "", "rate_limit": {"requests_per_minute": 0}}
    body = {"service": "ai21", "service_settings": settings}
    assert error_of(es.put("/_inference/completion/a", body)) == validation_failed(
        "[service_settings] Invalid value empty string. [model_id] must be a non-empty string",
        "[service_settings] Invalid value [0]. [requests_per_minute] must be a positive long",
    )
    body = {"service": "ai21", "service_settings": {"api_key": "k"}}
    assert error_of(es.put("/_inference/completion/a", body)) == validation_failed(
        "[service_settings] does not contain the required setting [model_id]"
    )
    body = {"service": "ai21", "service_settings": {"model_id": 3, "api_key": "k"}}
    assert error_of(es.put("/_inference/completion/a", body)) == validation_failed(
        "field [model_id] is not of the expected type. The value [3] cannot be converted to a "
        "[String]"
    )


def test_the_api_key_is_required():
    body = {"service": "ai21", "service_settings": {"model_id": "jamba-mini"}}
    assert error_of(FakeClient("9.2").put("/_inference/completion/a", body)) == validation_failed(
        "[secret_settings] does not contain the required setting [api_key]"
    )


def test_there_are_no_task_settings():
    body = {**EXAMPLES["completion"], "task_settings": {"temperature": 1}}
    assert error_of(FakeClient("9.2").put("/_inference/completion/a", body)) == unknown_settings(
        "{temperature=1}", "ai21"
    )


@pytest.mark.parametrize("task_type", ["text_embedding", "rerank", "sparse_embedding"])
def test_unsupported_task_types(task_type):
    es = FakeClient("9.5")
    assert error_of(es.put(f"/_inference/{task_type}/a", EXAMPLES["completion"])) == unsupported(
        "ai21", task_type
    )


@pytest.mark.parametrize("task_type", ["completion", "chat_completion"])
def test_provider_failures(task_type):
    es = FakeClient("9.2")
    path = f"/_inference/{task_type}/a"
    assert_create_fails_at_provider(es, path, EXAMPLES[task_type], "a")
    if task_type == "completion":
        es.put(path, EXAMPLES[task_type])
        assert_inference_fails_at_provider(es, path, {"input": "x"}, "a")
