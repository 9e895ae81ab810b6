"""The ``azureaistudio`` service (8.15+).

Sources: AzureAiStudioService (parseRequestConfig, createModel,
checkProviderAndEndpointTypeForTask, updateModelWithEmbeddingDetails,
updateModelWithChatCompletionDetails), AzureAiStudioServiceSettings (reading order,
addExposedXContentFields, 240 requests per minute), AzureAiStudioEmbeddingsServiceSettings,
AzureAiStudioRerankServiceSettings, AzureAiStudioProvider, AzureAiStudioProviderCapabilities,
AzureAiStudioEmbeddingsTaskSettings, AzureAiStudioChatCompletionTaskSettings
(AzureAiStudioConstants: 0.0 to 2.0, 64 new tokens), AzureAiStudioRerankTaskSettings; the
specification's put_azureaistudio request examples (1 and 2 from the 8.18 branch, 3 from 9.2).
"""

from __future__ import annotations

import pytest
from service_checks import (
    assert_create_fails_at_provider,
    assert_created,
    at_least,
    post,
    status_type_reason,
    unknown_service,
    unknown_settings,
    unsupported,
    validation_failed,
)
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

KEY = "Azure-AI-Studio-API-key"
# PutAzureAiStudioRequestExample1, 2 and 3.
SPEC_EMBEDDINGS = {
    "service": "azureaistudio",
    "service_settings": {
        "api_key": KEY,
        "target": "Target-Uri",
        "provider": "openai",
        "endpoint_type": "token",
    },
}
SPEC_COMPLETION = {
    "service": "azureaistudio",
    "service_settings": {
        "api_key": KEY,
        "target": "Target-URI",
        "provider": "databricks",
        "endpoint_type": "realtime",
    },
}
SPEC_RERANK = {
    "service": "azureaistudio",
    "service_settings": {
        "api_key": KEY,
        "target": "Target-URI",
        "provider": "cohere",
        "endpoint_type": "token",
    },
}
RATE_LIMIT = {"requests_per_minute": 240}


def with_settings(body, **settings):
    return {**body, "service_settings": {**body["service_settings"], **settings}}


def test_arrived_in_8_15():
    assert error_of(
        FakeClient("8.14").put("/_inference/completion/a", SPEC_COMPLETION)
    ) == unknown_service("azureaistudio")


@pytest.mark.releases(">=8.15")
def test_the_embeddings_example(es, release):
    expected = {
        "inference_id": "azure_ai_studio_embeddings",
        "task_type": "text_embedding",
        "service": "azureaistudio",
        "service_settings": {
            "target": "Target-Uri",
            "provider": "openai",
            "endpoint_type": "token",
            "rate_limit": RATE_LIMIT,
            "dimensions": 1024,
            "similarity": "dot_product",
        },
    }
    if at_least(release, "8.17"):
        expected["chunking_settings"] = {
            "strategy": "sentence",
            "max_chunk_size": 250,
            "sentence_overlap": 1,
        }
    else:
        expected["task_settings"] = {}
    path = "/_inference/text_embedding/azure_ai_studio_embeddings"
    assert_created(es, path, SPEC_EMBEDDINGS, expected, KEY)
    answer = post(es, path, {"input": ["a", "b"]}).get_json()
    assert list(answer) == ["text_embedding"]
    assert [len(v["embedding"]) for v in answer["text_embedding"]] == [1024, 1024]


@pytest.mark.releases(">=8.15")
def test_the_completion_example(es):
    expected = {
        "inference_id": "azure_ai_studio_completion",
        "task_type": "completion",
        "service": "azureaistudio",
        "service_settings": {
            "target": "Target-URI",
            "provider": "databricks",
            "endpoint_type": "realtime",
            "rate_limit": RATE_LIMIT,
        },
        # updateModelWithChatCompletionDetails: the default once the create succeeded.
        "task_settings": {"max_new_tokens": 64},
    }
    path = "/_inference/completion/azure_ai_studio_completion"
    assert_created(es, path, SPEC_COMPLETION, expected, KEY)
    assert post(es, path, {"input": "Hi"}).get_json() == {
        "completion": [{"result": "[azureaistudio] A simulated answer to: Hi"}]
    }


@pytest.mark.releases(">=8.17")
def test_completion_streams(es):
    es.put("/_inference/completion/c", SPEC_COMPLETION)
    streamed = post(es, "/_inference/completion/c/_stream", {"input": "Hi"})
    assert (streamed.status_code, streamed.mimetype) == (200, "text/event-stream")
    assert b'{"completion":[{"delta":" simulated"}]}' in streamed.get_data()
    es.put("/_inference/text_embedding/e", SPEC_EMBEDDINGS)
    refused = post(es, "/_inference/text_embedding/e/_stream", {"input": "Hi"})
    assert b"Streaming is not allowed for service [azureaistudio]" in refused.get_data()


@pytest.mark.parametrize("release", ["9.1", "9.2", "9.5"])
def test_the_rerank_example_from_9_2(release):
    es = FakeClient(release)
    path = "/_inference/rerank/azure_ai_studio_rerank"
    if not at_least(release, "9.2"):
        assert error_of(es.put(path, SPEC_RERANK)) == unsupported("azureaistudio", "rerank")
        return
    expected = {
        "inference_id": "azure_ai_studio_rerank",
        "task_type": "rerank",
        "service": "azureaistudio",
        "service_settings": {
            "target": "Target-URI",
            "provider": "cohere",
            "endpoint_type": "token",
            "rate_limit": RATE_LIMIT,
        },
    }
    assert_created(es, path, SPEC_RERANK, expected, KEY)
    ranked = post(es, path, {"query": "star", "input": ["luke", "leia", "r2"]}).get_json()
    assert list(ranked) == ["rerank"]
    assert len(ranked["rerank"]) == 3
    assert set(ranked["rerank"][0]) == {"index", "relevance_score", "text"}
    body = {**SPEC_RERANK, "task_settings": {"return_documents": "yes", "top_n": 0}}
    assert error_of(es.put("/_inference/rerank/r", body)) == validation_failed(
        "field [return_documents] is not of the expected type. The value [yes] cannot be "
        "converted to a [Boolean]",
        "[task_settings] Invalid value [0]. [top_n] must be a positive integer",
    )
    body["task_settings"] = {"return_documents": False, "top_n": 2}
    created = es.put("/_inference/rerank/r", body).get_json()
    assert created["task_settings"] == {"return_documents": False, "top_n": 2}
    ranked = post(es, "/_inference/rerank/r", {"query": "q", "input": ["a", "b", "c"]})
    assert [set(hit) for hit in ranked.get_json()["rerank"]] == [{"index", "relevance_score"}] * 2


@pytest.mark.releases(">=8.15")
def test_settings_in_reading_order(es):
    body = {
        "service": "azureaistudio",
        "service_settings": {
            "dimensions_set_by_user": False,
            "max_input_tokens": 0,
            "dimensions": -1,
            "similarity": "manhattan",
            "provider": "azure",
            "endpoint_type": "batch",
            "rate_limit": {"requests_per_minute": 0},
            "target": "",
        },
    }
    assert error_of(es.put("/_inference/text_embedding/a", body)) == validation_failed(
        "[service_settings] Invalid value empty string. [target] must be a non-empty string",
        "[service_settings] Invalid value [0]. [requests_per_minute] must be a positive long",
        "[service_settings] Invalid value [batch] received. [endpoint_type] must be one of "
        "[realtime, token]",
        "[service_settings] Invalid value [azure] received. [provider] must be one of [cohere, "
        "databricks, meta, microsoft_phi, mistral, openai]",
        "[service_settings] Invalid value [manhattan] received. [similarity] must be one of "
        "[cosine, dot_product, l2_norm]",
        "[service_settings] Invalid value [-1]. [dimensions] must be a positive integer",
        "[service_settings] Invalid value [0]. [max_input_tokens] must be a positive integer",
        "[service_settings] does not allow the setting [dimensions_set_by_user]",
    )


@pytest.mark.releases(">=8.15")
def test_missing_settings_and_the_secret(es):
    body = {"service": "azureaistudio", "service_settings": {"target": 3}}
    assert error_of(es.put("/_inference/completion/a", body)) == validation_failed(
        "field [target] is not of the expected type. The value [3] cannot be converted to a "
        "[String]",
        "[service_settings] does not contain the required setting [endpoint_type]",
        "[service_settings] does not contain the required setting [provider]",
    )
    settings = dict(SPEC_COMPLETION["service_settings"])
    del settings["api_key"]
    body = {"service": "azureaistudio", "service_settings": settings}
    assert error_of(es.put("/_inference/completion/a", body)) == validation_failed(
        "[secret_settings] does not contain the required setting [api_key]"
    )


@pytest.mark.releases(">=8.15")
def test_dimensions_asked_for_must_match_the_answer(es):
    body = with_settings(SPEC_EMBEDDINGS, dimensions=256, similarity="cosine", max_input_tokens=512)
    settings = es.put("/_inference/text_embedding/a", body).get_json()["service_settings"]
    assert list(settings.items()) == [
        ("target", "Target-Uri"),
        ("provider", "openai"),
        ("endpoint_type", "token"),
        ("rate_limit", RATE_LIMIT),
        ("dimensions", 256),
        ("max_input_tokens", 512),
        ("similarity", "cosine"),
    ]


@pytest.mark.releases(">=8.15")
@pytest.mark.parametrize(
    ("task_type", "provider", "endpoint_type", "reason"),
    [
        ("text_embedding", "mistral", "token", "The [text_embedding] task type for provider "
         "[mistral] is not available"),
        ("text_embedding", "cohere", "realtime", "The [realtime] endpoint type with "
         "[text_embedding] task type for provider [cohere] is not available"),
        ("completion", "databricks", "token", "The [token] endpoint type with [completion] "
         "task type for provider [databricks] is not available"),
        ("completion", "openai", "realtime", "The [realtime] endpoint type with [completion] "
         "task type for provider [openai] is not available"),
    ],
)  # fmt: skip
def test_provider_and_endpoint_type_per_task_type(es, task_type, provider, endpoint_type, reason):
    body = with_settings(SPEC_EMBEDDINGS, provider=provider.upper(), endpoint_type=endpoint_type)
    assert error_of(es.put(f"/_inference/{task_type}/a", body)) == (
        400,
        "status_exception",
        reason,
    )
    assert es.state.endpoints.all() == []


@pytest.mark.parametrize("release", ["9.2", "9.5"])
def test_only_cohere_reranks(release):
    es = FakeClient(release)
    body = with_settings(SPEC_RERANK, provider="openai")
    assert error_of(es.put("/_inference/rerank/a", body)) == (
        400,
        "status_exception",
        "The [rerank] task type for provider [openai] is not available",
    )


@pytest.mark.releases(">=8.15")
def test_completion_task_settings(es):
    body = {
        **SPEC_COMPLETION,
        "task_settings": {"temperature": 2.5, "top_p": -0.5, "do_sample": 1, "max_new_tokens": 0},
    }
    assert error_of(es.put("/_inference/completion/a", body)) == validation_failed(
        "[task_settings] Invalid value [2.5]. [temperature] must be a less than or equal to [2.0]",
        "[task_settings] Invalid value [-0.5]. [top_p] must be a greater than or equal to [0.0]",
        "field [do_sample] is not of the expected type. The value [1] cannot be converted to a "
        "[Boolean]",
        "[task_settings] Invalid value [0]. [max_new_tokens] must be a positive integer",
    )
    body["task_settings"] = {"max_new_tokens": 8, "do_sample": True, "top_p": 1.5}
    created = es.put("/_inference/completion/a", body).get_json()
    assert list(created["task_settings"].items()) == [
        ("top_p", 1.5),
        ("do_sample", True),
        ("max_new_tokens", 8),
    ]


@pytest.mark.releases(">=8.15")
def test_unknown_settings_and_task_types(es, release):
    body = {**SPEC_COMPLETION, "task_settings": {"user": "me"}}
    assert error_of(es.put("/_inference/completion/a", body)) == unknown_settings(
        "{user=me}", "azureaistudio"
    )
    body = {**SPEC_EMBEDDINGS, "task_settings": {"user": "me"}}
    created = es.put("/_inference/text_embedding/a", body).get_json()
    assert created["task_settings"] == {"user": "me"}
    assert error_of(es.put("/_inference/sparse_embedding/b", SPEC_EMBEDDINGS)) == unsupported(
        "azureaistudio", "sparse_embedding"
    )


AUTH = (
    "Received an authentication error status code for request from inference entity id [a] "
    "status [401]. Error message: [Invalid API key]"
)


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_create(es, release):
    if at_least(release, "8.17"):
        assert_create_fails_at_provider(es, "/_inference/completion/a", SPEC_COMPLETION, "a")
        return
    # Before 8.17 only an embedding endpoint calls the provider, and its failure is not wrapped.
    assert es.put("/_inference/completion/c", SPEC_COMPLETION).status_code == 200
    es.state.providers.fail("a", ProviderFailure(401, "Invalid API key"))
    response = es.put("/_inference/text_embedding/a", SPEC_EMBEDDINGS)
    assert status_type_reason(response) == (401, "status_exception", AUTH)


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_inference(es):
    es.put("/_inference/text_embedding/a", SPEC_EMBEDDINGS)
    # AzureMistralOpenAiExternalResponseHandler: a 503 is the provider being busy.
    for status, prefix in ((500, "a server error"), (503, "a server busy error")):
        es.state.providers.fail("a", ProviderFailure(status, "overloaded"))
        assert error_of(post(es, "/_inference/text_embedding/a", {"input": "x"})) == (
            400,
            "status_exception",
            f"Received {prefix} status code for request from inference entity id [a] status "
            f"[{status}]. Error message: [overloaded]",
        )
