"""The ``deepseek`` service (8.19 and 9.1+) and the simulated provider behind it.

Sources: DeepSeekService (parseRequestConfig, supported task types, ModelValidatorBuilder),
DeepSeekChatCompletionModel.createFromNewInput and its DeepSeekServiceSettings (reading order,
toXContent), ServiceUtils.createOptionalUri; the specification's put_deepseek examples.
"""

from __future__ import annotations

import pytest
from service_checks import post, unknown_service
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

RELEASES = ["8.19", "9.1", "9.5"]
CHAT = {
    "service": "deepseek",
    "service_settings": {"api_key": "deepseek-secret-123", "model_id": "deepseek-chat"},
}


@pytest.mark.parametrize("version", ["8.18", "9.0"])
def test_not_before_8_19_nor_in_9_0(version):
    assert error_of(FakeClient(version).put("/_inference/completion/d", CHAT)) == unknown_service(
        "deepseek"
    )


@pytest.mark.parametrize("version", RELEASES)
def test_a_create_shows_the_model_and_url_only(version):
    es = FakeClient(version)
    body = {**CHAT, "service_settings": {**CHAT["service_settings"], "url": "http://ds.local/v1"}}
    response = es.put("/_inference/completion/d", body)
    assert response.get_data(as_text=True) == (
        '{"inference_id":"d","task_type":"completion","service":"deepseek","service_settings":'
        '{"model_id":"deepseek-chat","url":"http://ds.local/v1"}}'
    )
    for answer in (
        response,
        es.request("GET", "/_inference/d"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"deepseek-secret-123" not in answer.get_data()
    assert post(es, "/_inference/completion/d", {"input": ["hi", "yo"]}).get_json() == {
        "completion": [
            {"result": "[deepseek/deepseek-chat] A simulated answer to: hi"},
            {"result": "[deepseek/deepseek-chat] A simulated answer to: yo"},
        ]
    }


def test_what_else_the_body_holds_is_not_read():
    body = {**CHAT, "task_settings": {"user": "me"}, "chunking_settings": {"x": 1}, "extra": 2}
    response = FakeClient("9.5").put("/_inference/chat_completion/d", body)
    assert response.get_json() == {
        "inference_id": "d",
        "task_type": "chat_completion",
        "service": "deepseek",
        "service_settings": {"model_id": "deepseek-chat"},
    }


@pytest.mark.parametrize("version", RELEASES)
def test_problems_are_gathered_with_the_key_in_the_service_settings_scope(version):
    body = {"service": "deepseek", "service_settings": {"model_id": "", "url": 7}}
    assert error_of(FakeClient(version).put("/_inference/completion/d", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] Invalid value empty string. [model_id] must be "
        "a non-empty string;2: field [url] is not of the expected type. The value [7] cannot be "
        "converted to a [String];3: [service_settings] does not contain the required setting "
        "[api_key];",
    )


def test_unknown_settings_win_over_other_problems():
    body = {"service": "deepseek", "service_settings": {"model_id": "", "temperature": 1}}
    assert error_of(FakeClient("9.5").put("/_inference/completion/d", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{temperature=1}] unknown to the [deepseek] service",
    )


def test_a_bad_url_fails_before_the_key_is_read():
    # createOptionalUri throws; the finally block then finds the unread api_key.
    body = {
        "service": "deepseek",
        "service_settings": {"model_id": "m", "url": "http://a b", "api_key": "k"},
    }
    assert error_of(FakeClient("9.5").put("/_inference/completion/d", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{api_key=k}] unknown to the [deepseek] service",
    )
    body = {"service": "deepseek", "service_settings": {"model_id": "m", "url": "http://a b"}}
    assert error_of(FakeClient("9.5").put("/_inference/completion/d", body)) == (
        400,
        "illegal_argument_exception",
        "unable to parse url [http://a b]. Reason: Illegal character in authority at index 8: "
        "http://a b",
    )


def test_unsupported_task_type():
    assert error_of(FakeClient("9.5").put("/_inference/text_embedding/d", CHAT)) == (
        400,
        "status_exception",
        "The [deepseek] service does not support task type [text_embedding]",
    )


@pytest.mark.parametrize("version", RELEASES)
def test_provider_failures(version):
    es = FakeClient(version)
    es.state.providers.fail("d", ProviderFailure(network=True))
    response = es.put("/_inference/chat_completion/d", CHAT)
    assert error_of(response)[:2] == (400, "status_exception")
    assert response.get_json()["error"]["caused_by"]["reason"] == (
        "Http client failed to send request from inference entity id [d]"
    )
    es.state.providers.clear()
    es.put("/_inference/completion/d", CHAT)
    es.state.providers.fail("d", ProviderFailure(500, "busy"))
    assert error_of(post(es, "/_inference/completion/d", {"input": "x"})) == (
        400,
        "status_exception",
        "Received a server error status code for request from inference entity id [d] status "
        "[500]. Error message: [busy]",
    )


@pytest.mark.parametrize(
    ("task_type", "inference_id"),
    [("completion", "deepseek-completion"), ("chat_completion", "deepseek-chat-completion")],
)
@pytest.mark.parametrize("version", RELEASES)
def test_the_specification_examples(version, task_type, inference_id):
    body = {
        "service": "deepseek",
        "service_settings": {"api_key": "DeepSeek-Api-key", "model_id": "deepseek-chat"},
    }
    response = FakeClient(version).put(f"/_inference/{task_type}/{inference_id}", body)
    assert response.status_code == 200
    assert list(response.get_json()) == ["inference_id", "task_type", "service", "service_settings"]
