"""The ``googlevertexai`` service (8.15+; completions 8.19/9.1+, Model Garden 9.2+).

Sources: GoogleVertexAiService (parseRequestConfig, createModel, updateModelWithEmbeddingDetails),
GoogleVertexAiEmbeddingsServiceSettings, GoogleVertexAiRerankServiceSettings and
GoogleVertexAiChatCompletionServiceSettings (reading order, validateServiceSettings' texts,
toXContent order, rate limits 30000 / 300 / 1000), GoogleModelGardenProvider,
GoogleVertexAiSecretSettings; the specification's put_googlevertexai request examples.
"""

from __future__ import annotations

from typing import Any

import pytest
from service_checks import (
    assert_create_fails_at_provider,
    assert_inference_fails_at_provider,
    at_least,
    post,
    secret_free,
    unknown_service,
    unknown_settings,
    unsupported,
    validation_failed,
)
from support import FakeClient, error_of

SECRET = "service-account-json"
_RAW = "https://%LOCATION_ID%-aiplatform.googleapis.com/v1/projects/%PROJECT_ID%/locations/%LOCATION_ID%"
_FAST = (
    "https://%ENDPOINT_ID%.%LOCATION_ID%-fasttryout.prediction.vertexai.goog/v1/projects/"
    "%PROJECT_ID%/locations/%LOCATION_ID%/endpoints/%ENDPOINT_ID%/chat/completions"
)
_DEDICATED = (
    "https://%ENDPOINT_ID%.%LOCATION_ID%-%PROJECT_ID%.prediction.vertexai.goog/v1/projects/"
    "%PROJECT_ID%/locations/%LOCATION_ID%/endpoints/%ENDPOINT_ID%/chat/completions"
)
_SHARED = f"{_RAW}/endpoints/%ENDPOINT_ID%/chat/completions"


def _garden(provider: str, *, model_id: str | None = None, **urls: str) -> dict[str, Any]:
    settings: dict[str, Any] = {"provider": provider}
    if model_id is not None:
        settings["model_id"] = model_id
    settings["service_account_json"] = SECRET
    settings.update(urls)
    return {"service": "googlevertexai", "service_settings": settings}


def _publisher(name: str) -> dict[str, str]:
    base = f"{_RAW}/publishers/{name}/models/%MODEL_ID%"
    return {"url": f"{base}:rawPredict", "streaming_url": f"{base}:streamRawPredict"}


ANTHROPIC = _publisher("anthropic")
MISTRAL = _publisher("mistralai")
AI21 = _publisher("ai21")
META_MAAS = f"{_RAW}/endpoints/openapi/chat/completions"

# PutGoogleVertexAiRequestExample1, 2 and 23 (the Vertex AI form).
EMBEDDINGS = {
    "service": "googlevertexai",
    "service_settings": {
        "service_account_json": SECRET,
        "model_id": "model-id",
        "location": "location",
        "project_id": "project-id",
    },
}
RERANK = {
    "service": "googlevertexai",
    "service_settings": {"service_account_json": SECRET, "project_id": "project-id"},
}
GLOBAL_EMBEDDINGS = {
    "service": "googlevertexai",
    "service_settings": {
        "service_account_json": SECRET,
        "model_id": "model-id",
        "project_id": "project-id",
    },
}
# Examples 3 and 4: Anthropic on Model Garden (9.2+).
ANTHROPIC_EXAMPLES = [
    (
        "completion",
        {**_garden("anthropic", **ANTHROPIC), "task_settings": {"max_tokens": 128}},
    ),
    (
        "chat_completion",
        {
            **_garden("anthropic", streaming_url=ANTHROPIC["streaming_url"]),
            "task_settings": {"max_tokens": 128},
        },
    ),
]
# Examples 5 to 22: the providers 9.3 added.
LLAMA = "meta/llama-3.3-70b-instruct-maas"
GARDEN_EXAMPLES = [
    ("completion", _garden("meta", model_id=LLAMA, url=META_MAAS)),
    ("chat_completion", _garden("meta", model_id=LLAMA, streaming_url=META_MAAS)),
    ("completion", _garden("meta", url=_FAST)),
    ("chat_completion", _garden("meta", streaming_url=_FAST)),
    ("completion", _garden("meta", url=_SHARED)),
    ("chat_completion", _garden("meta", streaming_url=_SHARED)),
    ("completion", _garden("hugging_face", url=_DEDICATED)),
    ("chat_completion", _garden("hugging_face", streaming_url=_DEDICATED)),
    ("completion", _garden("hugging_face", url=_SHARED)),
    ("chat_completion", _garden("hugging_face", streaming_url=_SHARED)),
    ("completion", _garden("mistral", model_id="mistral-small-2503", **MISTRAL)),
    (
        "chat_completion",
        _garden("mistral", model_id="mistral-small-2503", streaming_url=MISTRAL["streaming_url"]),
    ),
    ("completion", _garden("mistral", url=_DEDICATED)),
    ("chat_completion", _garden("mistral", streaming_url=_DEDICATED)),
    ("completion", _garden("mistral", url=_SHARED)),
    ("chat_completion", _garden("mistral", streaming_url=_SHARED)),
    ("completion", _garden("ai21", **AI21)),
    ("chat_completion", _garden("ai21", streaming_url=AI21["streaming_url"])),
]
VERTEX_COMPLETION = {
    "service": "googlevertexai",
    "service_settings": {
        "service_account_json": SECRET,
        "project_id": "p",
        "location": "us-central1",
        "model_id": "gemini-2.5-flash",
    },
}


def test_arrived_in_8_15():
    assert error_of(
        FakeClient("8.14").put("/_inference/text_embedding/g", EMBEDDINGS)
    ) == unknown_service("googlevertexai")


@pytest.mark.releases(">=8.15")
def test_the_embeddings_example(es, release):
    response = es.put("/_inference/text_embedding/google_vertex_ai_embeddingss", EMBEDDINGS)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert list(body["service_settings"].items()) == [
        ("location", "location"),
        ("project_id", "project-id"),
        ("model_id", "model-id"),
        ("dimensions", 1024),
        ("similarity", "dot_product"),
        ("rate_limit", {"requests_per_minute": 30000}),
    ]
    assert body["task_type"] == "text_embedding"
    secret_free(es, response, "google_vertex_ai_embeddingss", SECRET)
    answer = post(es, "/_inference/text_embedding/google_vertex_ai_embeddingss", {"input": "a"})
    assert [len(v["embedding"]) for v in answer.get_json()["text_embedding"]] == [1024]


@pytest.mark.releases(">=8.15")
def test_the_rerank_example(es):
    response = es.put("/_inference/rerank/google_vertex_ai_rerank", RERANK)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert list(response.get_json()["service_settings"].items()) == [
        ("project_id", "project-id"),
        ("rate_limit", {"requests_per_minute": 300}),
    ]
    secret_free(es, response, "google_vertex_ai_rerank", SECRET)
    body = {"query": "q", "input": ["a", "b"]}
    ranked = post(es, "/_inference/rerank/google_vertex_ai_rerank", body).get_json()
    assert sorted(item["index"] for item in ranked["rerank"]) == [0, 1]


@pytest.mark.releases(">=9.5")
def test_the_global_endpoint_example(es):
    response = es.put("/_inference/text_embedding/g", GLOBAL_EMBEDDINGS)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "location" not in response.get_json()["service_settings"]


@pytest.mark.releases(">=8.15", "<9.5")
def test_location_is_required_for_embeddings_before_9_5(es):
    assert error_of(es.put("/_inference/text_embedding/g", GLOBAL_EMBEDDINGS)) == (
        validation_failed("[service_settings] does not contain the required setting [location]")
    )


@pytest.mark.parametrize("version", ["9.2", "9.5"])
def test_the_anthropic_examples(version):
    es = FakeClient(version)
    for task_type, body in ANTHROPIC_EXAMPLES:
        response = es.put(f"/_inference/{task_type}/a", body)
        assert response.status_code == 200, response.get_data(as_text=True)
        settings = response.get_json()["service_settings"]
        assert settings["provider"] == "ANTHROPIC"
        assert list(settings)[-1] == "rate_limit"
        assert response.get_json()["task_settings"] == {"max_tokens": 128}
        secret_free(es, response, "a", SECRET)
        es.request("DELETE", f"/_inference/{task_type}/a")


@pytest.mark.parametrize("version", ["9.3", "9.5"])
def test_the_model_garden_examples(version):
    es = FakeClient(version)
    for number, (task_type, body) in enumerate(GARDEN_EXAMPLES, start=5):
        response = es.put(f"/_inference/{task_type}/m{number}", body)
        assert response.status_code == 200, (number, response.get_data(as_text=True))
        provider = body["service_settings"]["provider"]
        assert response.get_json()["service_settings"]["provider"] == provider.upper()


def test_9_2_knows_only_google_and_anthropic():
    es = FakeClient("9.2")
    _, body = GARDEN_EXAMPLES[0]
    assert error_of(es.put("/_inference/completion/m", body)) == validation_failed(
        "[service_settings] Invalid value [meta] received. [provider] must be one of "
        "[anthropic, google]"
    )


@pytest.mark.parametrize("release", ["8.19", "9.1", "9.2", "9.5"])
def test_a_vertex_ai_completion(release):
    es = FakeClient(release)
    response = es.put("/_inference/completion/c", VERTEX_COMPLETION)
    assert response.status_code == 200, response.get_data(as_text=True)
    expected = [
        ("project_id", "p"),
        ("location", "us-central1"),
        ("model_id", "gemini-2.5-flash"),
        ("rate_limit", {"requests_per_minute": 1000}),
    ]
    if at_least(release, "9.2"):
        expected.insert(3, ("provider", "GOOGLE"))
    settings = response.get_json()["service_settings"]
    assert sorted(settings.items(), key=str) == sorted(expected, key=str)
    answer = post(es, "/_inference/completion/c", {"input": "Hi"}).get_json()
    assert list(answer) == ["completion"] and len(answer["completion"]) == 1


@pytest.mark.parametrize("version", ["8.19", "9.1", "9.5"])
def test_a_vertex_ai_completion_needs_its_three_settings(version):
    es = FakeClient(version)
    body = {"service": "googlevertexai", "service_settings": {"service_account_json": SECRET}}
    assert error_of(es.put("/_inference/completion/c", body)) == validation_failed(
        "For Google Vertex AI models, you must provide 'location', 'project_id', and "
        "'model_id'. Provided values: location=null, project_id=null, model_id=null"
    )


@pytest.mark.parametrize("version", ["9.2", "9.5"])
def test_the_model_garden_modes(version):
    es = FakeClient(version)
    body = _garden("anthropic")
    assert error_of(es.put("/_inference/completion/c", body)) == validation_failed(
        "Google Model Garden provider=anthropic selected. Either 'uri' or 'streaming_uri' "
        "must be provided"
    )
    body = {**VERTEX_COMPLETION, "service_settings": {**VERTEX_COMPLETION["service_settings"]}}
    body["service_settings"]["url"] = "https://example.com/x"
    assert error_of(es.put("/_inference/completion/c", body)) == validation_failed(
        "'provider' is either GOOGLE or null. For Google Vertex AI models 'uri' and "
        "'streaming_uri' must not be provided. Remove 'url' and 'streaming_url' fields. "
        "Provided values: uri=https://example.com/x, streaming_uri=null"
    )


@pytest.mark.parametrize("version", ["8.15", "8.18", "9.0"])
def test_no_completions_before_8_19_and_in_9_0(version):
    es = FakeClient(version)
    assert error_of(es.put("/_inference/completion/c", VERTEX_COMPLETION)) == unsupported(
        "googlevertexai", "completion"
    )


@pytest.mark.releases(">=8.15")
def test_settings_errors(es):
    body = {"service": "googlevertexai", "service_settings": {"location": "l"}}
    assert error_of(es.put("/_inference/text_embedding/g", body)) == validation_failed(
        "[service_settings] does not contain the required setting [project_id]",
        "[service_settings] does not contain the required setting [model_id]",
    )
    settings = {
        **EMBEDDINGS["service_settings"],
        "similarity": "hamming",
        "dimensions": 0,
        "dimensions_set_by_user": True,
    }
    assert error_of(
        es.put("/_inference/text_embedding/g", {**EMBEDDINGS, "service_settings": settings})
    ) == validation_failed(
        "[service_settings] Invalid value [hamming] received. [similarity] must be one of "
        "[cosine, dot_product, l2_norm]",
        "[service_settings] Invalid value [0]. [dimensions] must be a positive integer",
        "[service_settings] does not allow the setting [dimensions_set_by_user]",
    )
    settings = {**RERANK["service_settings"], "service_account_json": ""}
    assert error_of(
        es.put("/_inference/rerank/r", {**RERANK, "service_settings": settings})
    ) == validation_failed(
        "[secret_settings] Invalid value empty string. [service_account_json] must be a "
        "non-empty string"
    )
    settings = {"project_id": "p"}
    assert error_of(
        es.put("/_inference/rerank/r", {**RERANK, "service_settings": settings})
    ) == validation_failed(
        "[secret_settings] does not contain the required setting [service_account_json]"
    )


@pytest.mark.releases(">=8.17")
def test_embedding_task_settings(es):
    body = {**EMBEDDINGS, "task_settings": {"auto_truncate": True, "input_type": "SEARCH"}}
    response = es.put("/_inference/text_embedding/g", body)
    assert list(response.get_json()["task_settings"].items()) == [
        ("input_type", "search"),
        ("auto_truncate", True),
    ]
    body = {**EMBEDDINGS, "task_settings": {"input_type": "query"}}
    assert error_of(es.put("/_inference/text_embedding/h", body)) == validation_failed(
        "[task_settings] Invalid value [query] received. [input_type] must be one of "
        "[classification, clustering, ingest, internal_ingest, internal_search, search]"
    )


@pytest.mark.releases(">=8.15")
def test_unknown_settings_and_task_types(es):
    body = {**RERANK, "service_settings": {**RERANK["service_settings"], "location": "l"}}
    assert error_of(es.put("/_inference/rerank/r", body)) == unknown_settings(
        "{location=l}", "googlevertexai"
    )
    body = {**EMBEDDINGS, "task_settings": {"top_n": 3}}
    assert error_of(es.put("/_inference/text_embedding/g", body)) == unknown_settings(
        "{top_n=3}", "googlevertexai"
    )
    assert error_of(es.put("/_inference/sparse_embedding/g", EMBEDDINGS)) == unsupported(
        "googlevertexai", "sparse_embedding"
    )


@pytest.mark.releases(">=8.17")
def test_a_provider_failure_at_create(es):
    assert_create_fails_at_provider(es, "/_inference/rerank/r", RERANK, "r")


@pytest.mark.releases(">=8.15")
def test_a_provider_failure_at_inference(es):
    es.put("/_inference/text_embedding/g", EMBEDDINGS)
    assert_inference_fails_at_provider(es, "/_inference/text_embedding/g", {"input": "x"}, "g")
