"""The ``amazonbedrock`` service (8.15+).

Sources: AmazonBedrockService (parseRequestConfig, createModel, checkProviderForTask,
checkChatCompletionProviderForTopKParameter, checkTaskSettingsForTextEmbeddingModel,
updateModelWithEmbeddingDetails), AmazonBedrockServiceSettings and
AmazonBedrockEmbeddingsServiceSettings (reading order, toXContentFragmentOfExposedFields,
240 requests per minute, dimensions refused in a request), AmazonBedrockProvider,
AmazonBedrockProviderCapabilities, AwsSecretSettings, AmazonBedrockChatCompletionTaskSettings,
AmazonBedrockEmbeddingsTaskSettings (AMAZON_BEDROCK_TASK_SETTINGS_8_19); the specification's
put_amazonbedrock request examples.
"""

from __future__ import annotations

import pytest
from service_checks import (
    assert_wrapped_create_failure,
    at_least,
    post,
    secret_free,
    status_type_reason,
    unknown_service,
)
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

_SETTINGS = {
    "access_key": "AWS-access-key",
    "secret_key": "AWS-secret-key",
    "region": "us-east-1",
    "provider": "amazontitan",
}
# PutAmazonBedrockRequestExample1, 2 and 3 (chat_completion, 9.4+).
SPEC_EMBEDDINGS = {
    "service": "amazonbedrock",
    "service_settings": {**_SETTINGS, "model": "amazon.titan-embed-text-v2:0"},
}
SPEC_COMPLETION = {
    "service": "amazonbedrock",
    "service_settings": {**_SETTINGS, "model": "amazon.titan-text-premier-v1:0"},
}
SPEC_CHAT_COMPLETION = SPEC_COMPLETION


def with_settings(body, **settings):
    return {**body, "service_settings": {**body["service_settings"], **settings}}


def test_arrived_in_8_15():
    assert error_of(
        FakeClient("8.14").put("/_inference/completion/b", SPEC_COMPLETION)
    ) == unknown_service("amazonbedrock")


@pytest.mark.releases(">=8.15")
def test_the_embeddings_example(es, release):
    response = es.put("/_inference/text_embedding/amazon_bedrock_embeddings", SPEC_EMBEDDINGS)
    assert response.status_code == 200
    body = response.get_json()
    assert list(body)[:4] == ["inference_id", "task_type", "service", "service_settings"]
    assert list(body["service_settings"].items()) == [
        ("region", "us-east-1"),
        ("model", "amazon.titan-embed-text-v2:0"),
        ("provider", "AMAZONTITAN"),
        ("rate_limit", {"requests_per_minute": 240}),
        ("dimensions", 1024),
        ("similarity", "cosine"),
    ]
    assert ("chunking_settings" in body) == at_least(release, "8.16")
    secret_free(es, response, "amazon_bedrock_embeddings", "AWS-access-key", "AWS-secret-key")
    answer = post(es, "/_inference/text_embedding/amazon_bedrock_embeddings", {"input": "a"})
    assert [len(v["embedding"]) for v in answer.get_json()["text_embedding"]] == [1024]


@pytest.mark.releases(">=8.15")
def test_the_completion_example(es, release):
    response = es.put("/_inference/completion/amazon_bedrock_completion", SPEC_COMPLETION)
    expected = {
        "inference_id": "amazon_bedrock_completion",
        "task_type": "completion",
        "service": "amazonbedrock",
        "service_settings": {
            "region": "us-east-1",
            "model": "amazon.titan-text-premier-v1:0",
            "provider": "AMAZONTITAN",
            "rate_limit": {"requests_per_minute": 240},
        },
    }
    if not at_least(release, "8.17"):
        expected["task_settings"] = {}
    assert response.get_json() == expected
    assert list(response.get_json()["service_settings"]) == list(expected["service_settings"])
    answer = post(es, "/_inference/completion/amazon_bedrock_completion", {"input": "Hi"})
    assert answer.get_json() == {
        "completion": [
            {"result": "[amazonbedrock/amazon.titan-text-premier-v1:0] A simulated answer to: Hi"}
        ]
    }


@pytest.mark.releases(">=8.15")
def test_chat_completion_arrived_in_9_4(es, release):
    response = es.put("/_inference/chat_completion/amazon_bedrock_chat", SPEC_CHAT_COMPLETION)
    if at_least(release, "9.4"):
        assert response.get_json()["task_type"] == "chat_completion"
    elif not at_least(release, "8.18"):
        assert error_of(response) == (
            400,
            "status_exception",
            "Unknown task_type [chat_completion]",
        )
    else:
        assert error_of(response) == (
            400,
            "status_exception",
            "The [amazonbedrock] service does not support task type [chat_completion]",
        )


@pytest.mark.releases(">=8.15")
def test_a_cohere_embedding_defaults_to_dot_product(es):
    body = with_settings(SPEC_EMBEDDINGS, provider="Cohere", model="cohere.embed-english-v3")
    settings = es.put("/_inference/text_embedding/c", body).get_json()["service_settings"]
    assert (settings["provider"], settings["similarity"]) == ("COHERE", "dot_product")
    body = with_settings(body, similarity="l2_norm")
    settings = es.put("/_inference/text_embedding/d", body).get_json()["service_settings"]
    assert settings["similarity"] == "l2_norm"


@pytest.mark.releases(">=8.15")
def test_settings_in_reading_order(es):
    body = {
        "service": "amazonbedrock",
        "service_settings": {
            "dimensions_set_by_user": True,
            "dimensions": 0,
            "max_input_tokens": -1,
            "similarity": "manhattan",
            "rate_limit": {"requests_per_minute": "x"},
            "provider": "openai",
            "region": "",
        },
    }
    assert error_of(es.put("/_inference/text_embedding/b", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] does not contain the required setting [model];"
        "2: [service_settings] Invalid value empty string. [region] must be a non-empty string;"
        "3: [service_settings] Invalid value [openai] received. [provider] must be one of "
        "[ai21labs, amazontitan, anthropic, cohere, meta, mistral];4: field "
        "[requests_per_minute] is not of one of the expected types. The value [x] cannot be "
        "converted to one of [Integer, Long];5: [service_settings] Invalid value [manhattan] "
        "received. [similarity] must be one of [cosine, dot_product, l2_norm];6: "
        "[service_settings] Invalid value [-1]. [max_input_tokens] must be a positive integer;"
        "7: [service_settings] Invalid value [0]. [dimensions] must be a positive integer;8: "
        "[service_settings] does not allow the setting [dimensions_set_by_user];",
    )


@pytest.mark.releases(">=8.15")
def test_dimensions_come_from_the_provider(es):
    body = with_settings(SPEC_EMBEDDINGS, dimensions=256)
    assert error_of(es.put("/_inference/text_embedding/b", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] does not allow the setting [dimensions];",
    )


@pytest.mark.releases(">=8.15")
def test_both_keys_are_secret_settings(es):
    settings = dict(SPEC_COMPLETION["service_settings"])
    del settings["access_key"]
    settings["secret_key"] = ""
    body = {"service": "amazonbedrock", "service_settings": settings}
    assert error_of(es.put("/_inference/completion/b", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting "
        "[access_key];2: [secret_settings] Invalid value empty string. [secret_key] must be a "
        "non-empty string;",
    )


@pytest.mark.releases(">=8.15")
@pytest.mark.parametrize("provider", ["anthropic", "ai21labs", "meta", "mistral"])
def test_only_titan_and_cohere_embed(es, provider):
    body = with_settings(SPEC_EMBEDDINGS, provider=provider)
    assert error_of(es.put("/_inference/text_embedding/b", body)) == (
        400,
        "status_exception",
        f"The [text_embedding] task type for provider [{provider}] is not available",
    )
    assert es.put("/_inference/completion/b", with_settings(SPEC_COMPLETION, provider=provider))


@pytest.mark.releases(">=8.15")
def test_completion_task_settings(es, release):
    body = {
        **SPEC_COMPLETION,
        "task_settings": {"temperature": 1.5, "top_p": -0.25, "top_k": 1, "max_new_tokens": 0},
    }
    assert error_of(es.put("/_inference/completion/b", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [task_settings] Invalid value [1.5]. [temperature] must be a less "
        "than or equal to [1.0];2: [task_settings] Invalid value [-0.25]. [top_p] must be a "
        "greater than or equal to [0.0];3: field [top_k] is not of the expected type. The value "
        "[1] cannot be converted to a [Double];4: [task_settings] Invalid value [0]. "
        "[max_new_tokens] must be a positive integer;",
    )
    body["task_settings"] = {"temperature": 0.2, "top_k": 0.5, "max_new_tokens": 64}
    assert error_of(es.put("/_inference/completion/b", body)) == (
        400,
        "status_exception",
        "The [top_k] task parameter is not available for provider [amazontitan]",
    )
    body = with_settings(body, provider="anthropic", model="anthropic.claude-3-haiku")
    response = es.put("/_inference/completion/b", body)
    assert response.get_json()["task_settings"] == {
        "temperature": 0.2,
        "top_k": 0.5,
        "max_new_tokens": 64,
    }


@pytest.mark.releases(">=8.15")
def test_truncate_is_for_cohere_embeddings_from_8_19_and_9_1(es, release):
    body = {**SPEC_EMBEDDINGS, "task_settings": {"truncate": "END"}}
    response = es.put("/_inference/text_embedding/b", body)
    if not (release == "8.19" or at_least(release, "9.1")):
        assert error_of(response) == (
            400,
            "status_exception",
            "Model configuration contains settings [{truncate=END}] unknown to the "
            "[amazonbedrock] service",
        )
        return
    assert error_of(response) == (
        400,
        "status_exception",
        "The [text_embedding] task type for provider [amazontitan] does not allow [truncate] field",
    )
    body = with_settings(body, provider="cohere")
    assert es.put("/_inference/text_embedding/b", body).get_json()["task_settings"] == {
        "truncate": "end"
    }
    body["task_settings"] = {"truncate": "middle"}
    assert error_of(es.put("/_inference/text_embedding/c", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [task_settings] Invalid value [middle] received. [truncate] must "
        "be one of [end, none, start];",
    )


@pytest.mark.releases(">=8.15")
def test_unknown_settings_and_task_types(es):
    body = with_settings(SPEC_COMPLETION, similarity="cosine")
    assert error_of(es.put("/_inference/completion/b", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{similarity=cosine}] unknown to the "
        "[amazonbedrock] service",
    )
    assert error_of(es.put("/_inference/rerank/b", SPEC_COMPLETION)) == (
        400,
        "status_exception",
        "The [amazonbedrock] service does not support task type [rerank]",
    )


AUTH = (
    "Received an authentication error status code for request from inference entity id [b] "
    "status [401]. Error message: [bad credentials]"
)


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_create(es, release):
    es.state.providers.fail("b", ProviderFailure(401, "bad credentials"))
    response = es.put("/_inference/text_embedding/b", SPEC_EMBEDDINGS)
    if at_least(release, "8.17"):
        assert_wrapped_create_failure(response, {"type": "status_exception", "reason": AUTH})
    else:
        assert status_type_reason(response) == (401, "status_exception", AUTH)
    assert es.state.endpoints.all() == []


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_inference(es):
    es.put("/_inference/completion/b", SPEC_COMPLETION)
    es.state.providers.fail("b", ProviderFailure(500, "internal"))
    assert error_of(post(es, "/_inference/completion/b", {"input": "x"})) == (
        400,
        "status_exception",
        "Received a server error status code for request from inference entity id [b] status "
        "[500]. Error message: [internal]",
    )
