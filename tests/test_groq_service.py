"""The ``groq`` service (9.3+).

Sources: GroqService.parseRequestConfig (chat_completion only), GroqChatCompletionServiceSettings
(reading and toXContent order, 1000 requests per minute), GroqChatCompletionModel
(DefaultSecretSettings), GroqChatCompletionTaskSettings (OpenAiTaskSettings), the
specification's put_groq request example.
"""

from __future__ import annotations

import pytest
from service_checks import (
    assert_create_fails_at_provider,
    assert_created,
    unknown_service,
    unknown_settings,
    unsupported,
    validation_failed,
)
from support import FakeClient, error_of

RELEASES = ("9.3", "9.4", "9.5")
# The specification's PutGroqRequestExample1.
EXAMPLE = {
    "service": "groq",
    "service_settings": {"api_key": "groq-api-key", "model_id": "llama-3.3-70b-versatile"},
}
PATH = "/_inference/chat_completion/groq-chat-completion"


@pytest.mark.parametrize("version", ["9.1", "9.2"])
def test_arrived_in_9_3(version):
    assert error_of(FakeClient(version).put(PATH, EXAMPLE)) == unknown_service("groq")


@pytest.mark.parametrize("version", RELEASES)
def test_the_specification_example_creates_an_endpoint(version):
    expected = {
        "inference_id": "groq-chat-completion",
        "task_type": "chat_completion",
        "service": "groq",
        "service_settings": {
            "model_id": "llama-3.3-70b-versatile",
            "rate_limit": {"requests_per_minute": 1000},
        },
    }
    assert_created(FakeClient(version), PATH, EXAMPLE, expected, "groq-api-key")


def test_every_setting_in_output_order():
    body = {
        "service": "groq",
        "service_settings": {
            "rate_limit": {"requests_per_minute": 30},
            "organization_id": "org-1",
            "url": "https://proxy.example/openai/v1/chat/completions",
            "model_id": "openai/gpt-oss-20b",
            "api_key": "secret-groq",
        },
        "task_settings": {"headers": {"X-Team": "search"}, "user": "me"},
    }
    expected = {
        "inference_id": "g",
        "task_type": "chat_completion",
        "service": "groq",
        "service_settings": {
            "model_id": "openai/gpt-oss-20b",
            "url": "https://proxy.example/openai/v1/chat/completions",
            "organization_id": "org-1",
            "rate_limit": {"requests_per_minute": 30},
        },
        "task_settings": {"user": "me", "headers": {"X-Team": "search"}},
    }
    assert_created(FakeClient("9.3"), "/_inference/chat_completion/g", body, expected,
                   "secret-groq")  # fmt: skip


def test_settings_problems():
    es = FakeClient("9.3")
    body = {"service": "groq", "service_settings": {"url": "http://a b", "organization_id": ""}}
    assert error_of(es.put(PATH, body)) == validation_failed(
        "[service_settings] does not contain the required setting [model_id]",
        "[service_settings] Invalid value empty string. [organization_id] must be a non-empty "
        "string",
        "[service_settings] Invalid url [http://a b] received for field [url]. Error: unable to "
        "parse url [http://a b]. Reason: Illegal character in authority at index 8: http://a b",
    )
    body = {"service": "groq", "service_settings": {"model_id": "m"}}
    assert error_of(es.put(PATH, body)) == validation_failed(
        "[secret_settings] does not contain the required setting [api_key]"
    )
    body = {**EXAMPLE, "task_settings": {"temperature": 0.5}}
    assert error_of(es.put(PATH, body)) == unknown_settings("{temperature=0.5}", "groq")


@pytest.mark.parametrize("task_type", ["completion", "text_embedding", "rerank"])
def test_only_chat_completion(task_type):
    assert error_of(FakeClient("9.5").put(f"/_inference/{task_type}/g", EXAMPLE)) == unsupported(
        "groq", task_type
    )


def test_a_provider_failure_at_create():
    assert_create_fails_at_provider(FakeClient("9.3"), PATH, EXAMPLE, "groq-chat-completion")
