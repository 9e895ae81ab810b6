"""The ``anthropic`` service (8.15+).

Sources: AnthropicService (task types; chat_completion in 9.5),
AnthropicChatCompletionServiceSettings (model_id, rate_limit 50),
AnthropicChatCompletionTaskSettings (max_tokens required; temperature/top_p
Double and top_k Integer through removeAsType), DefaultSecretSettings,
AnthropicResponseHandler; the specification's put_anthropic request examples.
"""

from __future__ import annotations

import json

import pytest
from service_checks import assert_wrapped_create_failure, post, rejected, unknown_service
from service_checks import status_type_reason as error
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

BODY = {
    "service": "anthropic",
    "service_settings": {"api_key": "sk-ant-secret", "model_id": "claude-3-5-haiku"},
    "task_settings": {"max_tokens": 1024},
}
# put_anthropic/examples/request/PutAnthropicRequestExample1 and (9.5)
# PutAnthropicChatCompletionRequestExample1.
SPEC_COMPLETION = {
    "service": "anthropic",
    "service_settings": {"api_key": "Anthropic-Api-Key", "model_id": "Model-ID"},
    "task_settings": {"max_tokens": 1024},
}
SPEC_CHAT = {
    "service": "anthropic",
    "service_settings": {"api_key": "Anthropic-Api-Key", "model_id": "claude-sonnet-4-5"},
    "task_settings": {"max_tokens": 1024},
}


def with_settings(scope, **settings):
    body = json.loads(json.dumps(BODY))
    body[scope].update(settings)
    return body


def test_arrived_in_8_15():
    assert error_of(FakeClient("8.14").put("/_inference/completion/a", BODY)) == unknown_service(
        "anthropic"
    )


@pytest.mark.releases(">=8.15")
def test_a_completion_create_answers_in_write_order_and_hides_the_key(es):
    body = with_settings("task_settings", temperature=0.5, top_p=0.9, top_k=3)
    response = es.put("/_inference/completion/claude", body)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == (
        '{"inference_id":"claude","task_type":"completion","service":"anthropic",'
        '"service_settings":{"model_id":"claude-3-5-haiku","rate_limit":'
        '{"requests_per_minute":50}},"task_settings":{"max_tokens":1024,"temperature":0.5,'
        '"top_p":0.9,"top_k":3}}'
    )
    for answer in (
        response,
        es.request("GET", "/_inference/claude"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"sk-ant-secret" not in answer.get_data()
    result = post(es, "/_inference/completion/claude", {"input": ["Hi", "Bye"]}).get_json()
    assert list(result) == ["completion"]
    assert [list(item) for item in result["completion"]] == [["result"], ["result"]]


@pytest.mark.releases(">=8.15")
def test_the_specification_examples_are_accepted(es, release):
    response = es.put("/_inference/completion/anthropic_completion", SPEC_COMPLETION)
    assert list(response.get_json()) == [
        "inference_id", "task_type", "service", "service_settings", "task_settings",
    ]  # fmt: skip
    chat = es.put("/_inference/chat_completion/anthropic_chat_completion", SPEC_CHAT)
    if release == "9.5":
        assert chat.get_json()["task_type"] == "chat_completion"
    elif release in ("8.15", "8.17"):
        assert error_of(chat) == (400, "status_exception", "Unknown task_type [chat_completion]")
    else:
        assert error_of(chat) == (
            400,
            "status_exception",
            "The [anthropic] service does not support task type [chat_completion]",
        )


@pytest.mark.releases(">=8.15")
@pytest.mark.parametrize(
    ("scope", "settings", "reason"),
    [
        (
            "service_settings",
            {"model_id": None},
            "Validation Failed: 1: [service_settings] does not contain the required setting "
            "[model_id];",
        ),
        (
            "service_settings",
            {"model_id": "", "rate_limit": {"requests_per_minute": 0}},
            "Validation Failed: 1: [service_settings] Invalid value empty string. [model_id] "
            "must be a non-empty string;2: [service_settings] Invalid value [0]. "
            "[requests_per_minute] must be a positive long;",
        ),
        (
            "service_settings",
            {"api_key": ""},
            "Validation Failed: 1: [secret_settings] Invalid value empty string. [api_key] must "
            "be a non-empty string;",
        ),
        (
            "task_settings",
            {"max_tokens": None},
            "Validation Failed: 1: [task_settings] does not contain the required setting "
            "[max_tokens];",
        ),
        (
            "task_settings",
            {"max_tokens": 0},
            "Validation Failed: 1: [task_settings] Invalid value [0]. [max_tokens] must be a "
            "positive integer;",
        ),
        (
            "task_settings",
            {"max_tokens": "many"},
            "Validation Failed: 1: field [max_tokens] is not of the expected type. The value "
            "[many] cannot be converted to a [Integer];",
        ),
    ],
)
def test_settings_problems_are_gathered(es, scope, settings, reason):
    body = with_settings(scope, **settings)
    body[scope] = {k: v for k, v in body[scope].items() if v is not None}
    assert error_of(es.put("/_inference/completion/a", body)) == (
        400,
        "validation_exception",
        reason,
    )


@pytest.mark.releases(">=8.15")
@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        # removeAsType(map, field, Double.class): a JSON 1 is an Integer, not a Double.
        ({"temperature": 1}, "field [temperature] is not of the expected type. The value [1] "
         "cannot be converted to a [Double]"),
        ({"top_p": "high"}, "field [top_p] is not of the expected type. The value [high] "
         "cannot be converted to a [Double]"),
        ({"top_k": 2.5}, "field [top_k] is not of the expected type. The value [2.5] cannot "
         "be converted to a [Integer]"),
    ],
)  # fmt: skip
def test_sampling_settings_of_the_wrong_type_fail_at_once(es, settings, reason):
    body = with_settings("task_settings", max_tokens=0, **settings)
    assert error_of(es.put("/_inference/completion/a", body)) == (400, "status_exception", reason)


@pytest.mark.releases(">=8.15")
def test_unknown_settings_and_task_types(es):
    body = with_settings("task_settings", stop=["x"])
    assert error_of(es.put("/_inference/completion/a", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{stop=[x]}] unknown to the [anthropic] service",
    )
    assert error_of(es.put("/_inference/text_embedding/a", BODY)) == (
        400,
        "status_exception",
        "The [anthropic] service does not support task type [text_embedding]",
    )


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_create(es, release):
    es.state.providers.fail("a", ProviderFailure(401, "nope"))
    response = es.put("/_inference/completion/a", BODY)
    if release in ("8.15",):
        # Before ModelValidatorBuilder reached Anthropic (PR #115020) nothing was called.
        assert response.status_code == 200
        return
    assert_wrapped_create_failure(
        response,
        {
            "type": "status_exception",
            "reason": rejected("Received an authentication error status code", 401, "a"),
        },
    )
    assert es.state.endpoints.all() == []


@pytest.mark.releases(">=8.15")
@pytest.mark.parametrize(
    ("status", "es_status", "prefix"),
    [
        (401, 401, "Received an authentication error status code"),
        (403, 403, "Received a permission denied error status code"),
        (413, 413, "Received an unsuccessful status code"),
        (429, 429, "Received a rate limit status code. Token limit [unknown], remaining tokens "
         "[unknown], tokens reset [unknown]. Request limit [unknown], remaining requests "
         "[unknown], request reset [unknown]. Retry after [unknown]"),
        (500, 400, "Received a server error status code"),
        (529, 400, "Received an Anthropic server is temporarily overloaded status code"),
        (302, 302, "Unhandled redirection"),
    ],
)  # fmt: skip
def test_a_provider_failure_at_inference(es, status, es_status, prefix):
    es.put("/_inference/completion/a", BODY)
    es.state.providers.fail("a", ProviderFailure(status, "nope"))
    response = post(es, "/_inference/completion/a", {"input": "x"})
    assert error(response) == (es_status, "status_exception", rejected(prefix, status, "a"))
