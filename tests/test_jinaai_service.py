"""The ``jinaai`` service (8.18/9.0+) and the simulated provider behind it.

Sources: JinaAIService (parseRequestConfig, defaultSimilarity, VALID_INPUT_TYPE_VALUES),
JinaAICommonServiceSettings, BaseJinaAIEmbeddingsServiceSettings and
JinaAIEmbeddingServiceSettings (reading and toXContentFragmentOfExposedFields order),
JinaAIEmbeddingsTaskSettings, JinaAIRerankTaskSettings, DefaultSecretSettings,
ModelValidatorBuilder; the specification's put_jinaai examples.
"""

from __future__ import annotations

import json

import pytest
from service_checks import at_least, post, unknown_service
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

EMBED = {
    "service": "jinaai",
    "service_settings": {"model_id": "jina-embeddings-v3", "api_key": "jina-secret-123"},
}
RERANK = {
    "service": "jinaai",
    "service_settings": {"api_key": "jina-secret-123", "model_id": "jina-reranker-v2"},
    "task_settings": {"top_n": 10, "return_documents": True},
}
CHUNKING = {"strategy": "sentence", "max_chunk_size": 250, "sentence_overlap": 1}


# The releases with embedding_type (8.19 and 9.1+, not 9.0).
EMBEDDING_TYPE_RELEASES = ["8.19", "9.1", "9.5"]


def test_arrived_in_8_18_and_9_0():
    assert error_of(
        FakeClient("8.17").put("/_inference/text_embedding/j", EMBED)
    ) == unknown_service("jinaai")
    assert FakeClient("9.0").put("/_inference/text_embedding/j", EMBED).status_code == 200


@pytest.mark.parametrize("version", EMBEDDING_TYPE_RELEASES)
def test_a_text_embedding_create_learns_the_size_and_hides_the_key(version):
    es = FakeClient(version)
    response = es.put("/_inference/text_embedding/j", EMBED)
    assert response.get_data(as_text=True) == (
        '{"inference_id":"j","task_type":"text_embedding","service":"jinaai",'
        '"service_settings":{"model_id":"jina-embeddings-v3","rate_limit":'
        '{"requests_per_minute":2000},"dimensions":1024,"embedding_type":"float",'
        '"similarity":"dot_product"},"chunking_settings":'
        + json.dumps(CHUNKING, separators=(",", ":"))
        + "}"
    )
    for answer in (
        response,
        es.request("GET", "/_inference/j"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"jina-secret-123" not in answer.get_data()


def test_embedding_type_arrived_in_8_19_and_9_1():
    body = {**EMBED, "service_settings": {**EMBED["service_settings"], "embedding_type": "bit"}}
    for version in ("8.18", "9.0"):
        assert error_of(FakeClient(version).put("/_inference/text_embedding/j", body)) == (
            400,
            "status_exception",
            "Model configuration contains settings [{embedding_type=bit}] unknown to the "
            "[jinaai] service",
        )
    settings = FakeClient("9.1").put("/_inference/text_embedding/j", body).get_json()
    assert settings["service_settings"]["embedding_type"] == "bit"
    # JinaAIService.defaultSimilarity: bit embeddings compare by l2_norm.
    assert settings["service_settings"]["similarity"] == "l2_norm"


@pytest.mark.parametrize("version", EMBEDDING_TYPE_RELEASES)
def test_bit_embeddings_answer_in_the_bits_shape(version):
    es = FakeClient(version)
    body = {**EMBED, "service_settings": {**EMBED["service_settings"], "embedding_type": "binary"}}
    es.put("/_inference/text_embedding/j", body)
    answer = post(es, "/_inference/text_embedding/j", {"input": ["a", "b"]}).get_json()
    assert list(answer) == ["text_embedding_bits"]
    assert len(answer["text_embedding_bits"]) == 2
    assert all(-128 <= x <= 127 for x in answer["text_embedding_bits"][0]["embedding"])


@pytest.mark.releases(">=8.19")
def test_rerank_keeps_its_task_settings_in_their_written_order(es):
    body = {**RERANK, "task_settings": {"return_documents": True, "top_n": 1}}
    response = es.put("/_inference/rerank/r", body).get_json()
    assert response["service_settings"] == {
        "model_id": "jina-reranker-v2",
        "rate_limit": {"requests_per_minute": 2000},
    }
    assert list(response["task_settings"].items()) == [("top_n", 1), ("return_documents", True)]
    answer = post(es, "/_inference/rerank/r", {"input": ["a", "b", "c"], "query": "q"}).get_json()
    assert len(answer["rerank"]) == 1
    assert list(answer["rerank"][0]) == ["index", "relevance_score", "text"]


@pytest.mark.parametrize("version", EMBEDDING_TYPE_RELEASES)
def test_settings_problems_in_reading_order(version):
    es = FakeClient(version)
    body = {
        "service": "jinaai",
        "service_settings": {
            "rate_limit": {"requests_per_minute": 0},
            "model_id": "",
            "similarity": "euclid",
            "dimensions": -3,
            "embedding_type": "int4",
        },
        "task_settings": {"input_type": "foo"},
    }
    assert error_of(es.put("/_inference/text_embedding/j", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] Invalid value [0]. [requests_per_minute] must "
        "be a positive long;2: [service_settings] Invalid value empty string. [model_id] must be "
        "a non-empty string;3: [service_settings] Invalid value [euclid] received. [similarity] "
        "must be one of [cosine, dot_product, l2_norm];4: [service_settings] Invalid value [-3]. "
        "[dimensions] must be a positive integer;5: [service_settings] Invalid value [int4] "
        "received. [embedding_type] must be one of [float, bit, binary];",
    )


@pytest.mark.releases(">=8.19")
def test_task_settings_problems(es):
    body = {**EMBED, "task_settings": {"input_type": "foo"}}
    assert error_of(es.put("/_inference/text_embedding/j", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [task_settings] Invalid value [foo] received. [input_type] must be "
        "one of [ingest, search, classification, clustering, internal_search, internal_ingest];",
    )
    body = {**RERANK, "task_settings": {"return_documents": "yes", "top_n": 0}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: field [return_documents] is not of the expected type. The value "
        "[yes] cannot be converted to a [Boolean];2: [task_settings] Invalid value [0]. [top_n] "
        "must be a positive integer;",
    )


@pytest.mark.releases(">=8.19")
def test_missing_settings_and_the_secret(es):
    body = {"service": "jinaai", "service_settings": {"model_id": "m"}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];",
    )
    body = {"service": "jinaai", "service_settings": {"api_key": "k"}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] does not contain the required setting "
        "[model_id];",
    )
    body = {"service": "jinaai", "service_settings": {"api_key": "k", "model_id": 5}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: field [model_id] is not of the expected type. The value [5] cannot "
        "be converted to a [String];",
    )


@pytest.mark.releases(">=8.19")
def test_settings_of_another_task_type_are_unknown(es):
    body = {**RERANK, "service_settings": {**RERANK["service_settings"], "dimensions": 8}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{dimensions=8}] unknown to the [jinaai] service",
    )


@pytest.mark.releases(">=8.19")
def test_unsupported_task_types(es):
    assert error_of(es.put("/_inference/completion/c", EMBED)) == (
        400,
        "status_exception",
        "The [jinaai] service does not support task type [completion]",
    )


def test_the_embedding_task_type_arrived_in_9_4():
    body = {"service": "jinaai", "service_settings": {"model_id": "m", "api_key": "k"}}
    es = FakeClient("9.4")
    assert es.put("/_inference/embedding/e", body).get_json()["service_settings"] == {
        "model_id": "m",
        "rate_limit": {"requests_per_minute": 2000},
        "dimensions": 1024,
        "embedding_type": "float",
        "similarity": "dot_product",
        "multimodal_model": True,
    }
    answer = post(es, "/_inference/embedding/e", {"input": ["a"]}).get_json()
    assert list(answer) == ["embeddings"]
    assert len(answer["embeddings"][0]["embedding"]) == 1024


AUTH = (
    "Received an authentication error status code for request from inference entity id [j] "
    "status [401]. Error message: [Invalid API key]"
)


@pytest.mark.releases(">=8.19")
def test_a_provider_failure_at_create(es):
    es.state.providers.fail("j", ProviderFailure(401, "Invalid API key"))
    response = es.put("/_inference/rerank/j", RERANK)
    assert error_of(response) == (
        400,
        "status_exception",
        "Could not complete inference endpoint creation as validation call to service threw an "
        "exception.",
    )
    assert response.get_json()["error"]["caused_by"] == {"type": "status_exception", "reason": AUTH}
    assert es.state.endpoints.all() == []


@pytest.mark.releases(">=8.19")
def test_a_provider_failure_at_inference(es):
    es.put("/_inference/text_embedding/j", EMBED)
    es.state.providers.fail("j", ProviderFailure(503, "overloaded"))
    assert error_of(post(es, "/_inference/text_embedding/j", {"input": "x"})) == (
        400,
        "status_exception",
        "Received a server error status code for request from inference entity id [j] status "
        "[503]. Error message: [overloaded]",
    )


# The specification's put_jinaai request examples (9.5 branch) and their responses' keys.
SPEC_EXAMPLES = [
    (
        "text_embedding",
        "jinaai-embeddings",
        {"model_id": "jina-embeddings-v3", "api_key": "JinaAi-Api-key"},
        None,
        ["inference_id", "task_type", "service", "service_settings", "chunking_settings"],
    ),
    (
        "rerank",
        "jinaai-rerank",
        {"api_key": "JinaAI-Api-key", "model_id": "jina-reranker-v2-base-multilingual"},
        {"top_n": 10, "return_documents": True},
        ["inference_id", "task_type", "service", "service_settings", "task_settings"],
    ),
    (
        "embedding",
        "jinaai-embeddings-multimodal",
        {"model_id": "jina-embeddings-v4", "api_key": "JinaAi-Api-key"},
        None,
        ["inference_id", "task_type", "service", "service_settings", "chunking_settings"],
    ),
    (
        "embedding",
        "jinaai-embeddings-text-only",
        {"model_id": "jina-embeddings-v3", "api_key": "JinaAi-Api-key", "multimodal_model": False},
        None,
        ["inference_id", "task_type", "service", "service_settings", "chunking_settings"],
    ),
]


@pytest.mark.parametrize(("task_type", "inference_id", "settings", "task", "keys"), SPEC_EXAMPLES)
@pytest.mark.parametrize("version", ["8.18", "8.19", "9.0", "9.1", "9.4", "9.5"])
def test_the_specification_examples(version, task_type, inference_id, settings, task, keys):
    if task_type == "embedding" and not at_least(version, "9.4"):
        return
    body = {"service": "jinaai", "service_settings": dict(settings)}
    if task is not None:
        body["task_settings"] = dict(task)
    response = FakeClient(version).put(f"/_inference/{task_type}/{inference_id}", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert list(response.get_json()) == keys
    if at_least(version, "9.4") and task_type != "rerank":
        expected = ["model_id", "rate_limit", "dimensions", "embedding_type", "similarity"]
        if task_type == "embedding":
            expected.append("multimodal_model")
        assert list(response.get_json()["service_settings"]) == expected
