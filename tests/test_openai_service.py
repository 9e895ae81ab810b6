"""The ``openai`` service (8.12+) and the simulated provider behind it.

Sources: OpenAiService.parseRequestConfig, OpenAiEmbeddingsServiceSettings and
OpenAiChatCompletionServiceSettings (reading and toXContent order),
DefaultSecretSettings, RateLimitSettings, ServiceUtils, BaseResponseHandler,
ModelValidatorBuilder.
"""

from __future__ import annotations

import json

import pytest
from service_checks import at_least, post, unknown_service
from service_checks import status_type_reason as error
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

EMBED = {
    "service": "openai",
    "service_settings": {"api_key": "sk-secret-123", "model_id": "text-embedding-3-small"},
}
CHAT = {"service": "openai", "service_settings": {"api_key": "sk-secret-123", "model_id": "gpt-4o"}}


def test_arrived_in_8_12():
    assert error_of(
        FakeClient("8.11").put("/_inference/text_embedding/oa", EMBED)
    ) == unknown_service("openai")


@pytest.mark.releases(">=8.13")
def test_a_text_embedding_create_learns_the_size_and_hides_the_key(es, release):
    response = es.put("/_inference/text_embedding/oa", EMBED)
    assert response.status_code == 200
    settings = {
        "model_id": "text-embedding-3-small",
        "similarity": "dot_product",
        "dimensions": 1536,
    }
    if at_least(release, "8.15"):
        settings["rate_limit"] = {"requests_per_minute": 3000}
    assert response.get_json()["service_settings"] == settings
    assert list(response.get_json()["service_settings"]) == list(settings)
    for answer in (
        response,
        es.request("GET", "/_inference/oa"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"sk-secret-123" not in answer.get_data()
    vectors = post(es, "/_inference/text_embedding/oa", {"input": ["a", "b"]}).get_json()
    assert [len(v["embedding"]) for v in vectors["text_embedding"]] == [1536, 1536]


def test_8_12_takes_the_model_in_the_task_settings():
    es = FakeClient("8.12")
    body = {
        "service": "openai",
        "service_settings": {"api_key": "k"},
        "task_settings": {"model": "text-embedding-ada-002", "user": "me"},
    }
    response = es.put("/_inference/text_embedding/oa", body)
    assert response.get_data(as_text=True) == (
        '{"model_id":"oa","task_type":"text_embedding","service":"openai","service_settings":'
        '{"similarity":"dot_product","dimensions":1536},"task_settings":'
        '{"model":"text-embedding-ada-002","user":"me"}}'
    )
    del body["task_settings"]["model"]
    assert error_of(es.put("/_inference/text_embedding/oa2", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [task_settings] does not contain the required setting [model];",
    )


@pytest.mark.releases(">=8.15")
def test_completion_has_its_own_settings_and_rate_limit(es, release):
    response = es.put("/_inference/completion/chat", CHAT)
    body = response.get_json()
    assert body["service_settings"] == {
        "model_id": "gpt-4o",
        "rate_limit": {"requests_per_minute": 500},
    }
    answer = post(es, "/_inference/completion/chat", {"input": "What is Elastic?"}).get_json()
    assert answer == {
        "completion": [{"result": "[openai/gpt-4o] A simulated answer to: What is Elastic?"}]
    }


@pytest.mark.releases(">=8.15")
def test_settings_problems_in_reading_order(es):
    body = {
        "service": "openai",
        "service_settings": {
            "url": "http://a b",
            "similarity": "euclid",
            "dimensions": 0,
            "model_id": "",
            "rate_limit": {"requests_per_minute": -1},
        },
    }
    assert error_of(es.put("/_inference/text_embedding/oa", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] Invalid url [http://a b] received for field "
        "[url]. Error: unable to parse url [http://a b]. Reason: Illegal character in authority "
        "at index 8: http://a b;2: [service_settings] Invalid value [euclid] received. "
        "[similarity] must be one of [cosine, dot_product, l2_norm];3: [service_settings] "
        "Invalid value [0]. [dimensions] must be a positive integer;4: [service_settings] "
        "Invalid value empty string. [model_id] must be a non-empty string;5: "
        "[service_settings] Invalid value [-1]. [requests_per_minute] must be a positive long;",
    )


@pytest.mark.releases(">=8.13")
def test_the_api_key_is_a_secret_setting(es):
    body = {"service": "openai", "service_settings": {"model_id": "m"}}
    assert error_of(es.put("/_inference/text_embedding/oa", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];",
    )


@pytest.mark.releases(">=8.15")
def test_settings_of_another_task_type_are_unknown(es):
    body = {"service": "openai", "service_settings": {**CHAT["service_settings"], "dimensions": 8}}
    assert error_of(es.put("/_inference/completion/c", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{dimensions=8}] unknown to the [openai] service",
    )


@pytest.mark.releases(">=8.15")
def test_unsupported_task_type(es):
    assert error_of(es.put("/_inference/rerank/r", CHAT)) == (
        400,
        "status_exception",
        "The [openai] service does not support task type [rerank]",
    )


AUTH = (
    "Received an authentication error status code for request from inference entity id [oa] "
    "status [401]. Error message: [Incorrect API key provided]"
)


def test_a_provider_failure_at_create(es, release):
    if release == "8.11":
        return
    es.state.providers.fail("oa", ProviderFailure(401, "Incorrect API key provided"))
    body = EMBED if at_least(release, "8.13") else {
        "service": "openai", "service_settings": {"api_key": "k"},
        "task_settings": {"model": "text-embedding-3-small"},
    }  # fmt: skip
    response = es.put("/_inference/text_embedding/oa", body)
    if at_least(release, "8.16"):
        assert error_of(response) == (
            400,
            "status_exception",
            "Could not complete inference endpoint creation as validation call to service threw "
            "an exception.",
        )
        assert response.get_json()["error"]["caused_by"] == {
            "type": "status_exception",
            "reason": AUTH,
        }
        assert response.get_json()["error"]["root_cause"] == [
            {"type": "status_exception", "reason": AUTH}
        ]
    else:
        assert error(response) == (401, "status_exception", AUTH)
    assert es.state.endpoints.all() == []


@pytest.mark.releases(">=8.17")
def test_every_task_type_is_validated_at_create_from_8_16(es):
    es.state.providers.fail("service:openai", ProviderFailure(network=True))
    response = es.put("/_inference/completion/chat", CHAT)
    assert response.get_json()["error"]["caused_by"] == {
        "type": "exception",
        "reason": "Http client failed to send request from inference entity id [chat]",
        "caused_by": {"type": "connect_exception", "reason": "Connection refused"},
    }


@pytest.mark.releases("==8.15")
def test_a_completion_create_does_not_call_the_provider_before_8_16(es):
    es.state.providers.fail("*", ProviderFailure(500))
    assert es.put("/_inference/completion/chat", CHAT).status_code == 200


@pytest.mark.releases(">=8.15")
@pytest.mark.parametrize(
    ("status", "es_status", "prefix"),
    [
        (401, 401, "Received an authentication error status code"),
        (404, 404, "Received an unsuccessful status code"),
        (413, 413, "Received a content too large status code"),
        (429, 429, "Received a rate limit status code"),
        (500, 400, "Received a server error status code"),
        (503, 400, "Received a server error status code"),
        (302, 302, "Unhandled redirection"),
    ],
)
def test_a_provider_failure_at_inference(es, status, es_status, prefix):
    es.put("/_inference/completion/chat", CHAT)
    es.state.providers.fail("chat", ProviderFailure(status, "boom"))
    response = post(es, "/_inference/completion/chat", {"input": "x"})
    assert error(response) == (
        es_status,
        "status_exception",
        f"{prefix} for request from inference entity id [chat] status [{status}]. "
        "Error message: [boom]",
    )


@pytest.mark.releases(">=8.15")
def test_a_rate_limit_is_retried_as_elasticsearch_retries_it(es):
    es.put("/_inference/completion/chat", CHAT)
    es.state.providers.fail("chat", ProviderFailure(429, "slow down", times=3))
    assert post(es, "/_inference/completion/chat", {"input": "x"}).status_code == 200


@pytest.mark.releases(">=8.15")
def test_scripted_answers(es):
    es.put("/_inference/completion/chat", CHAT)
    es.state.providers.answer("chat", lambda task, inputs, query: inputs[0].upper())
    answer = post(es, "/_inference/completion/chat", {"input": ["hi", "yo"]}).get_json()
    assert answer == {"completion": [{"result": "HI"}, {"result": "HI"}]}
    es.state.providers.answer("service:openai", ["one", "two"])
    es.state.providers.clear()
    es.state.providers.answer("service:openai", ["one", "two"])
    answer = post(es, "/_inference/completion/chat", {"input": ["hi", "yo"]}).get_json()
    assert answer == {"completion": [{"result": "one"}, {"result": "two"}]}


def test_failures_and_answers_through_the_control_api():
    es = FakeClient("9.5")
    es.put("/_inference/completion/chat", CHAT)
    control = {"Content-Type": "application/json"}
    spec = {"target": "chat", "status": 429, "message": "quota", "times": 8}
    response = es.request(
        "POST", "/_fake_es/providers/failures", data=json.dumps(spec), headers=control
    )
    assert response.get_json() == {"acknowledged": True}
    assert error_of(post(es, "/_inference/completion/chat", {"input": "x"}))[0] == 429
    response = es.request(
        "POST", "/_fake_es/providers/answers",
        data=json.dumps({"target": "chat", "answer": "scripted"}), headers=control,
    )  # fmt: skip
    assert post(es, "/_inference/completion/chat", {"input": "x"}).get_json() == {
        "completion": [{"result": "scripted"}]
    }
    bad = es.request(
        "POST", "/_fake_es/providers/failures",
        data=json.dumps({"status": 200.5}), headers=control,
    )  # fmt: skip
    assert error_of(bad)[:2] == (400, "illegal_argument_exception")
    assert es.request("DELETE", "/_fake_es/providers").get_json() == {"acknowledged": True}
