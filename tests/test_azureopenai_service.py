"""The ``azureopenai`` service (8.14+) and the simulated provider behind it.

Sources: AzureOpenAiService.parseRequestConfig, AzureOpenAiEmbeddingsServiceSettings and
AzureOpenAiCompletionServiceSettings (reading and toXContent order, default rate limits),
AzureOpenAiSecretSettings, AzureOpenAi*TaskSettings, BaseResponseHandler; the
specification's put_azureopenai request and response examples.
"""

from __future__ import annotations

import json

import pytest
from service_checks import at_least, post, unknown_service
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

SETTINGS = {
    "api_key": "Api-Key",
    "resource_name": "Resource-name",
    "deployment_id": "Deployment-id",
    "api_version": "2024-02-01",
}
# The specification's PutAzureOpenAiRequestExample1..3 (examples 1 and 2 in 8.18+ branches,
# 3 from 9.3); example 4 (OAuth client credentials, 9.4+) is not emulated.
EXAMPLE = {"service": "azureopenai", "service_settings": SETTINGS}


def test_arrived_in_8_14():
    assert error_of(
        FakeClient("8.13").put("/_inference/text_embedding/a", EXAMPLE)
    ) == unknown_service("azureopenai")


@pytest.mark.releases(">=8.15")
def test_the_text_embedding_example(es, release):
    response = es.put("/_inference/text_embedding/azure_openai_embeddings", EXAMPLE)
    body = response.get_json()
    # The specification's response example has these keys (its order and 1140 are the docs');
    # AzureOpenAiEmbeddingsServiceSettings writes the size and similarity before the limit.
    assert json.dumps(body["service_settings"]) == json.dumps(
        {
            "resource_name": "Resource-name",
            "deployment_id": "Deployment-id",
            "api_version": "2024-02-01",
            "dimensions": 1024,
            "similarity": "dot_product",
            "rate_limit": {"requests_per_minute": 1440},
        }
    )
    if at_least(release, "8.17"):
        assert set(body) == {
            "inference_id", "task_type", "service", "service_settings", "chunking_settings"
        }  # fmt: skip
    for answer in (
        response,
        es.request("GET", "/_inference/azure_openai_embeddings"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"Api-Key" not in answer.get_data()
    vectors = post(es, "/_inference/azure_openai_embeddings", {"input": ["a"]}).get_json()
    assert len(vectors["text_embedding"][0]["embedding"]) == 1024


@pytest.mark.releases(">=8.15")
def test_the_completion_and_chat_completion_examples(es, release):
    body = es.put("/_inference/completion/azure_openai_completion", EXAMPLE).get_json()
    assert set(body) >= {"inference_id", "task_type", "service", "service_settings"}
    assert body["service_settings"] == {
        "resource_name": "Resource-name",
        "deployment_id": "Deployment-id",
        "api_version": "2024-02-01",
        "rate_limit": {"requests_per_minute": 120},
    }
    response = es.put("/_inference/chat_completion/azure_openai_chat_completion", EXAMPLE)
    if at_least(release, "9.3"):
        assert response.get_json()["service_settings"] == body["service_settings"]
    elif at_least(release, "8.18"):
        assert error_of(response) == (
            400,
            "status_exception",
            "The [azureopenai] service does not support task type [chat_completion]",
        )


def test_8_14_entra_id_and_user():
    es = FakeClient("8.14")
    settings = {**SETTINGS, "entra_id": "token"}
    del settings["api_key"]
    body = {**EXAMPLE, "service_settings": settings, "task_settings": {"user": "me"}}
    response = es.put("/_inference/text_embedding/a", body)
    assert response.get_data(as_text=True) == (
        '{"model_id":"a","task_type":"text_embedding","service":"azureopenai",'
        '"service_settings":{"resource_name":"Resource-name","deployment_id":"Deployment-id",'
        '"api_version":"2024-02-01","dimensions":1024,"similarity":"dot_product"},'
        '"task_settings":{"user":"me"}}'
    )


@pytest.mark.releases(">=8.15")
def test_exactly_one_secret(es):
    both = {**EXAMPLE, "service_settings": {**SETTINGS, "entra_id": "t"}}
    assert error_of(es.put("/_inference/completion/a", both)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] must have only one of the [api_key] or the "
        "[entra_id] key set;",
    )
    neither = {**EXAMPLE, "service_settings": {**SETTINGS}}
    del neither["service_settings"]["api_key"]
    assert error_of(es.put("/_inference/completion/a", neither)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] must have either the [api_key] or the "
        "[entra_id] key set;",
    )


@pytest.mark.releases(">=8.15")
def test_settings_problems(es):
    body = {"service": "azureopenai", "service_settings": {
        "api_key": "k", "resource_name": "", "dimensions": -1, "similarity": "x"}}  # fmt: skip
    assert error_of(es.put("/_inference/text_embedding/a", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] Invalid value empty string. [resource_name] "
        "must be a non-empty string;2: [service_settings] does not contain the required setting "
        "[deployment_id];3: [service_settings] does not contain the required setting "
        "[api_version];4: [service_settings] Invalid value [-1]. [dimensions] must be a positive "
        "integer;5: [service_settings] Invalid value [x] received. [similarity] must be one of "
        "[cosine, dot_product, l2_norm];",
    )
    body = {**EXAMPLE, "service_settings": {**SETTINGS, "dimensions_set_by_user": True}}
    assert error_of(es.put("/_inference/text_embedding/a", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] does not allow the setting "
        "[dimensions_set_by_user];",
    )
    body = {**EXAMPLE, "service_settings": {**SETTINGS, "dimensions": 8}}
    assert error_of(es.put("/_inference/completion/a", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{dimensions=8}] unknown to the [azureopenai] "
        "service",
    )
    assert error_of(es.put("/_inference/rerank/a", EXAMPLE)) == (
        400,
        "status_exception",
        "The [azureopenai] service does not support task type [rerank]",
    )


@pytest.mark.releases(">=8.17")
def test_a_provider_failure_at_create(es):
    es.state.providers.fail("a", ProviderFailure(401, "Access denied due to invalid key"))
    response = es.put("/_inference/completion/a", EXAMPLE)
    assert error_of(response)[:2] == (400, "status_exception")
    assert response.get_json()["error"]["caused_by"]["reason"] == (
        "Received an authentication error status code for request from inference entity id [a] "
        "status [401]. Error message: [Access denied due to invalid key]"
    )
    assert es.state.endpoints.all() == []


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_inference(es):
    es.put("/_inference/completion/a", EXAMPLE)
    es.state.providers.fail("a", ProviderFailure(413, "too long"))
    assert error_of(post(es, "/_inference/completion/a", {"input": "x"})) == (
        413,
        "status_exception",
        "Received a content too large status code for request from inference entity id [a] "
        "status [413]. Error message: [too long]",
    )


@pytest.mark.parametrize("release", ["8.16", "8.17", "9.0", "9.3"])
def test_completion_streams_from_8_17_and_chat_from_9_3(release):
    # AzureOpenAiService.supportedStreamingTasks is COMPLETION_ONLY from PR #114464 (8.17);
    # chat_completion, which only streams, arrived with the task type (9.3).
    es = FakeClient(release)
    es.put("/_inference/completion/c", EXAMPLE)
    streamed = post(es, "/_inference/completion/c/_stream", {"input": "Hi"})
    if release == "8.16":
        assert streamed.status_code == 405
        assert b'"reason":"Streaming is not allowed for service [azureopenai]."' in (
            streamed.get_data()
        )
        return
    assert (streamed.status_code, streamed.mimetype) == (200, "text/event-stream")
    assert b'data: {"completion":[{"delta":" simulated"}]}' in streamed.get_data()
    if release == "9.3":
        es.put("/_inference/chat_completion/chat", EXAMPLE)
        chat = post(
            es,
            "/_inference/chat_completion/chat/_stream",
            {"messages": [{"role": "user", "content": "Hi"}]},
        )
        assert (chat.status_code, chat.mimetype) == (200, "text/event-stream")
        assert b'"object":"chat.completion.chunk"' in chat.get_data()
        assert chat.get_data().endswith(b"data: [DONE]\n\n")
