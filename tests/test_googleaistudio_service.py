"""The ``googleaistudio`` service (8.15+).

Sources: GoogleAiStudioService (parseRequestConfig, createModel, updateModelWithEmbeddingDetails),
GoogleAiStudioEmbeddingsServiceSettings and GoogleAiStudioCompletionServiceSettings (reading
and toXContent order, 360 requests per minute), DefaultSecretSettings; the specification's
put_googleaistudio request example.
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

# PutGoogleAiStudioRequestExample1 (the specification's only example: a completion).
SPEC_COMPLETION = {
    "service": "googleaistudio",
    "service_settings": {"api_key": "api-key", "model_id": "model-id"},
}
EMBED = {
    "service": "googleaistudio",
    "service_settings": {"api_key": "gk-secret-1", "model_id": "text-embedding-004"},
}


def test_arrived_in_8_15():
    assert error_of(
        FakeClient("8.14").put("/_inference/completion/g", SPEC_COMPLETION)
    ) == unknown_service("googleaistudio")


@pytest.mark.releases(">=8.15")
def test_the_specification_example(es, release):
    response = es.put("/_inference/completion/google_ai_studio_completion", SPEC_COMPLETION)
    assert response.status_code == 200
    expected = {
        "inference_id": "google_ai_studio_completion",
        "task_type": "completion",
        "service": "googleaistudio",
        "service_settings": {"model_id": "model-id", "rate_limit": {"requests_per_minute": 360}},
    }
    if not at_least(release, "8.17"):
        expected["task_settings"] = {}
    assert response.get_data(as_text=True).startswith('{"inference_id"')
    assert response.get_json() == expected
    assert list(response.get_json()) == list(expected)
    secret_free(es, response, "google_ai_studio_completion", "api-key")
    answer = post(es, "/_inference/completion/google_ai_studio_completion", {"input": "Hi"})
    assert answer.get_json() == {
        "completion": [{"result": "[googleaistudio/model-id] A simulated answer to: Hi"}]
    }


@pytest.mark.releases(">=8.15")
def test_a_text_embedding_create_learns_the_size(es, release):
    response = es.put("/_inference/text_embedding/g", EMBED)
    settings = response.get_json()["service_settings"]
    assert list(settings.items()) == [
        ("model_id", "text-embedding-004"),
        ("dimensions", 768),
        ("similarity", "dot_product"),
        ("rate_limit", {"requests_per_minute": 360}),
    ]
    if at_least(release, "8.16"):
        assert response.get_json()["chunking_settings"] == {
            "strategy": "sentence",
            "max_chunk_size": 250,
            "sentence_overlap": 1,
        }
    secret_free(es, response, "g", "gk-secret-1")
    vectors = post(es, "/_inference/text_embedding/g", {"input": ["a", "b"]}).get_json()
    assert [len(v["embedding"]) for v in vectors["text_embedding"]] == [768, 768]


@pytest.mark.releases(">=8.15")
def test_settings_in_reading_order(es):
    body = {
        "service": "googleaistudio",
        "service_settings": {
            "rate_limit": {"requests_per_minute": 0},
            "dimensions": 0,
            "similarity": "hamming",
            "max_input_tokens": "many",
            "model_id": 5,
        },
    }
    assert error_of(es.put("/_inference/text_embedding/g", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: field [model_id] is not of the expected type. The value [5] cannot "
        "be converted to a [String];2: field [max_input_tokens] is not of the expected type. The "
        "value [many] cannot be converted to a [Integer];3: [service_settings] Invalid value "
        "[hamming] received. [similarity] must be one of [cosine, dot_product, l2_norm];4: "
        "[service_settings] Invalid value [0]. [dimensions] must be a positive integer;5: "
        "[service_settings] Invalid value [0]. [requests_per_minute] must be a positive long;",
    )


@pytest.mark.releases(">=8.15")
def test_missing_and_empty_settings(es):
    body = {"service": "googleaistudio", "service_settings": {"model_id": ""}}
    assert error_of(es.put("/_inference/completion/g", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] Invalid value empty string. [model_id] must be "
        "a non-empty string;",
    )
    body = {"service": "googleaistudio", "service_settings": {"model_id": "m"}}
    assert error_of(es.put("/_inference/completion/g", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];",
    )


@pytest.mark.releases(">=8.15")
def test_unknown_settings_and_task_types(es):
    body = {**SPEC_COMPLETION, "task_settings": {"temperature": 0.5}}
    assert error_of(es.put("/_inference/completion/g", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{temperature=0.5}] unknown to the "
        "[googleaistudio] service",
    )
    body = {"service": "googleaistudio", "service_settings": {**EMBED["service_settings"]}}
    body["service_settings"]["dimensions"] = 8
    assert error_of(es.put("/_inference/completion/g", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{dimensions=8}] unknown to the [googleaistudio] "
        "service",
    )
    assert error_of(es.put("/_inference/rerank/g", SPEC_COMPLETION)) == (
        400,
        "status_exception",
        "The [googleaistudio] service does not support task type [rerank]",
    )


AUTH = (
    "Received an authentication error status code for request from inference entity id [g] "
    "status [401]. Error message: [API key not valid]"
)


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_create(es, release):
    es.state.providers.fail("g", ProviderFailure(401, "API key not valid"))
    response = es.put("/_inference/text_embedding/g", EMBED)
    if at_least(release, "8.16"):
        assert_wrapped_create_failure(response, {"type": "status_exception", "reason": AUTH})
    else:
        assert status_type_reason(response) == (401, "status_exception", AUTH)
    assert es.state.endpoints.all() == []


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_inference(es):
    es.put("/_inference/completion/g", SPEC_COMPLETION)
    es.state.providers.fail("g", ProviderFailure(503, "overloaded"))
    assert error_of(post(es, "/_inference/completion/g", {"input": "x"})) == (
        400,
        "status_exception",
        "Received a server error status code for request from inference entity id [g] status "
        "[503]. Error message: [overloaded]",
    )
