"""The ``voyageai`` service (8.19 and 9.1+, not 9.0) and the simulated provider behind it.

Sources: VoyageAIService (parseRequestConfig, defaultSimilarity, VALID_INPUT_TYPE_VALUES),
VoyageAIServiceSettings and BaseVoyageAIEmbeddingsServiceSettings (reading and
toXContentFragmentOfExposedFields order), VoyageAIEmbeddingType, VoyageAIEmbeddingsTaskSettings,
VoyageAIRerankTaskSettings, DefaultSecretSettings, ModelValidatorBuilder; the specification's
put_voyageai examples.
"""

from __future__ import annotations

import pytest
from service_checks import post, unknown_service
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

RELEASES = ["8.19", "9.1", "9.5"]
EMBED = {
    "service": "voyageai",
    "service_settings": {"model_id": "voyage-3", "api_key": "voyage-secret-123"},
}
RERANK = {
    "service": "voyageai",
    "service_settings": {"model_id": "rerank-2", "api_key": "voyage-secret-123"},
}


@pytest.mark.parametrize("version", ["8.18", "9.0"])
def test_not_before_8_19_nor_in_9_0(version):
    assert error_of(
        FakeClient(version).put("/_inference/text_embedding/v", EMBED)
    ) == unknown_service("voyageai")


@pytest.mark.parametrize("version", RELEASES)
def test_a_text_embedding_create_learns_the_size_and_hides_the_key(version):
    es = FakeClient(version)
    body = {**EMBED, "task_settings": {"truncation": True, "input_type": "ingest"}}
    response = es.put("/_inference/text_embedding/v", body)
    assert response.get_data(as_text=True) == (
        '{"inference_id":"v","task_type":"text_embedding","service":"voyageai",'
        '"service_settings":{"model_id":"voyage-3","rate_limit":{"requests_per_minute":2000},'
        '"similarity":"dot_product","dimensions":1024,"embedding_type":"float"},'
        '"task_settings":{"input_type":"ingest","truncation":true},"chunking_settings":'
        '{"strategy":"sentence","max_chunk_size":250,"sentence_overlap":1}}'
    )
    for answer in (
        response,
        es.request("GET", "/_inference/v"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"voyage-secret-123" not in answer.get_data()
    vectors = post(es, "/_inference/text_embedding/v", {"input": ["a", "b"]}).get_json()
    assert [len(v["embedding"]) for v in vectors["text_embedding"]] == [1024, 1024]


@pytest.mark.parametrize(
    ("embedding_type", "key"),
    [
        ("int8", "text_embedding_bytes"),
        ("byte", "text_embedding_bytes"),
        ("bit", "text_embedding_bits"),
    ],
)
def test_embedding_types_answer_in_their_shape(embedding_type, key):
    es = FakeClient("9.5")
    body = {
        **EMBED,
        "service_settings": {**EMBED["service_settings"], "embedding_type": embedding_type},
    }
    settings = es.put("/_inference/text_embedding/v", body).get_json()["service_settings"]
    assert settings["embedding_type"] == embedding_type
    assert list(post(es, "/_inference/text_embedding/v", {"input": "a"}).get_json()) == [key]


@pytest.mark.parametrize("version", RELEASES)
def test_rerank_cuts_at_top_k_and_returns_documents_only_when_asked(version):
    es = FakeClient(version)
    body = {**RERANK, "task_settings": {"truncation": False, "return_documents": True, "top_k": 2}}
    response = es.put("/_inference/rerank/r", body).get_json()
    assert response["service_settings"] == {
        "model_id": "rerank-2",
        "rate_limit": {"requests_per_minute": 2000},
    }
    assert list(response["task_settings"].items()) == [
        ("top_k", 2),
        ("return_documents", True),
        ("truncation", False),
    ]
    answer = post(es, "/_inference/rerank/r", {"input": ["a", "b", "c"], "query": "q"}).get_json()
    assert [list(entry) for entry in answer["rerank"]] == [["index", "relevance_score", "text"]] * 2
    es.put("/_inference/rerank/plain", RERANK)
    answer = post(es, "/_inference/rerank/plain", {"input": ["a", "b"], "query": "q"}).get_json()
    assert [list(entry) for entry in answer["rerank"]] == [["index", "relevance_score"]] * 2


@pytest.mark.parametrize("version", RELEASES)
def test_settings_problems_in_reading_order(version):
    body = {
        "service": "voyageai",
        "service_settings": {
            "model_id": "",
            "embedding_type": "int4",
            "similarity": "euclid",
            "dimensions": 0,
        },
    }
    assert error_of(FakeClient(version).put("/_inference/text_embedding/v", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] Invalid value empty string. [model_id] must be "
        "a non-empty string;2: [service_settings] Invalid value [int4] received. [embedding_type] "
        "must be one of [float, int8, byte, bit, binary];3: [service_settings] Invalid value "
        "[euclid] received. [similarity] must be one of [cosine, dot_product, l2_norm];4: "
        "[service_settings] Invalid value [0]. [dimensions] must be a positive integer;",
    )


def test_task_settings_problems():
    es = FakeClient("9.5")
    body = {**EMBED, "task_settings": {"input_type": "classification", "truncation": 1}}
    assert error_of(es.put("/_inference/text_embedding/v", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [task_settings] Invalid value [classification] received. "
        "[input_type] must be one of [ingest, search, internal_search, internal_ingest];2: field "
        "[truncation] is not of the expected type. The value [1] cannot be converted to a "
        "[Boolean];",
    )
    body = {**RERANK, "task_settings": {"top_n": 3}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{top_n=3}] unknown to the [voyageai] service",
    )


@pytest.mark.parametrize("version", RELEASES)
def test_unsupported_task_type_and_missing_secret(version):
    es = FakeClient(version)
    assert error_of(es.put("/_inference/completion/c", RERANK)) == (
        400,
        "status_exception",
        "The [voyageai] service does not support task type [completion]",
    )
    body = {"service": "voyageai", "service_settings": {"model_id": "rerank-2"}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];",
    )


@pytest.mark.parametrize("version", RELEASES)
def test_provider_failures(version):
    es = FakeClient(version)
    es.state.providers.fail("v", ProviderFailure(429, "slow down"))
    response = es.put("/_inference/text_embedding/v", EMBED)
    assert response.get_json()["error"]["caused_by"] == {
        "type": "status_exception",
        "reason": "Received a rate limit status code for request from inference entity id [v] "
        "status [429]. Error message: [slow down]",
    }
    es.state.providers.clear()
    es.put("/_inference/text_embedding/v", EMBED)
    es.state.providers.fail("v", ProviderFailure(401, "bad key"))
    response = post(es, "/_inference/text_embedding/v", {"input": "x"})
    error = response.get_json()["error"]
    # A 401 answer carries no product header (RestResponse), which error_of expects.
    assert (response.status_code, error["type"], error["reason"]) == (
        401,
        "status_exception",
        "Received an authentication error status code for request from inference entity id [v] "
        "status [401]. Error message: [bad key]",
    )


# The specification's put_voyageai request examples (8.19 to 9.5 branches). They send no
# api_key, which VoyageAIService reads with DefaultSecretSettings as required: Elasticsearch
# refuses them as they stand, and takes them with a key.
SPEC_EXAMPLES = [
    ("text_embedding", "openai-embeddings", {"model_id": "voyage-3-large", "dimensions": 512}),
    ("rerank", "voyageai-rerank", {"model_id": "rerank-2"}),
]


@pytest.mark.parametrize(("task_type", "inference_id", "settings"), SPEC_EXAMPLES)
@pytest.mark.parametrize("version", RELEASES)
def test_the_specification_examples(version, task_type, inference_id, settings):
    es = FakeClient(version)
    body = {"service": "voyageai", "service_settings": dict(settings)}
    assert error_of(es.put(f"/_inference/{task_type}/{inference_id}", body))[2] == (
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];"
    )
    body["service_settings"]["api_key"] = "Voyage-Api-key"
    response = es.put(f"/_inference/{task_type}/{inference_id}", body)
    assert response.status_code == 200
    keys = ["inference_id", "task_type", "service", "service_settings"]
    assert list(response.get_json()) == keys + (
        ["chunking_settings"] if task_type != "rerank" else []
    )
    if task_type == "text_embedding":
        assert response.get_json()["service_settings"]["dimensions"] == 512
