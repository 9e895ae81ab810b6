"""The ``watsonxai`` service (8.16+; rerank 8.18/9.0; completion and chat_completion 9.1).

Sources: IbmWatsonxService (task types, chunking for text_embedding,
updateModelWithEmbeddingDetails: dot_product by default),
IbmWatsonxEmbeddingsServiceSettings, IbmWatsonxRerankServiceSettings,
IbmWatsonxChatCompletionServiceSettings (reading and toXContent order, rate_limit
120), IbmWatsonxRerankTaskSettings, DefaultSecretSettings, IbmWatsonxResponseHandler;
the specification's put_watsonx request example.
"""

from __future__ import annotations

import json

import pytest
from service_checks import assert_wrapped_create_failure, post, rejected, unknown_service
from service_checks import status_type_reason as error
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

# put_watsonx/examples/request/PutWatsonxRequestExample1.
SPEC_EMBEDDINGS = {
    "service": "watsonxai",
    "service_settings": {
        "api_key": "Watsonx-API-Key",
        "url": "Wastonx-URL",
        "model_id": "ibm/slate-30m-english-rtrvr",
        "project_id": "IBM-Cloud-ID",
        "api_version": "2024-03-14",
    },
}
RERANK = {
    "service": "watsonxai",
    "service_settings": {
        "api_key": "Watsonx-API-Key",
        "project_id": "p",
        "model_id": "cross-encoder/ms-marco-minilm-l-12-v2",
        "api_version": "2024-05-02",
        "url": "https://us-south.ml.cloud.ibm.com",
    },
}


def test_arrived_in_8_16():
    assert error_of(
        FakeClient("8.15").put("/_inference/text_embedding/w", SPEC_EMBEDDINGS)
    ) == unknown_service("watsonxai")


@pytest.mark.releases(">=8.17")
def test_the_specification_example_learns_the_size_and_hides_the_key(es):
    response = es.put("/_inference/text_embedding/watsonx-embeddings", SPEC_EMBEDDINGS)
    assert response.get_data(as_text=True) == (
        '{"inference_id":"watsonx-embeddings","task_type":"text_embedding","service":'
        '"watsonxai","service_settings":{"model_id":"ibm/slate-30m-english-rtrvr",'
        '"project_id":"IBM-Cloud-ID","url":"Wastonx-URL","api_version":"2024-03-14",'
        '"dimensions":1024,"similarity":"dot_product","rate_limit":{"requests_per_minute":120}},'
        '"chunking_settings":{"strategy":"sentence","max_chunk_size":250,"sentence_overlap":1}}'
    )
    for answer in (
        response,
        es.request("GET", "/_inference/watsonx-embeddings"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"Watsonx-API-Key" not in answer.get_data()
    vectors = post(es, "/_inference/watsonx-embeddings", {"input": ["a", "b"]}).get_json()
    assert [len(v["embedding"]) for v in vectors["text_embedding"]] == [1024, 1024]


@pytest.mark.releases(">=8.17")
def test_rerank_arrived_in_8_18_and_writes_its_own_order(es, release):
    body = json.loads(json.dumps(RERANK))
    body["task_settings"] = {"return_documents": False, "top_n": 1, "truncate_input_tokens": 100}
    response = es.put("/_inference/rerank/w", body)
    if release == "8.17":
        assert error_of(response) == (
            400,
            "status_exception",
            "The [watsonxai] service does not support task type [rerank]",
        )
        return
    assert json.dumps(response.get_json()["service_settings"]) == json.dumps(
        {
            "url": "https://us-south.ml.cloud.ibm.com",
            "api_version": "2024-05-02",
            "model_id": "cross-encoder/ms-marco-minilm-l-12-v2",
            "project_id": "p",
            "rate_limit": {"requests_per_minute": 120},
        }
    )
    answer = post(es, "/_inference/rerank/w", {"input": ["b", "a"], "query": "a"}).get_json()
    assert list(answer) == ["rerank"]
    assert [list(item) for item in answer["rerank"]] == [["index", "relevance_score"]]


@pytest.mark.releases(">=8.17")
def test_completion_arrived_in_9_1(es, release):
    response = es.put("/_inference/completion/w", RERANK)
    if release in ("8.17", "8.19", "9.0"):
        assert error_of(response) == (
            400,
            "status_exception",
            "The [watsonxai] service does not support task type [completion]",
        )
        return
    assert list(response.get_json()["service_settings"]) == [
        "url", "api_version", "model_id", "project_id", "rate_limit",
    ]  # fmt: skip
    answer = post(es, "/_inference/completion/w", {"input": "Hi"}).get_json()
    assert list(answer) == ["completion"]


@pytest.mark.releases(">=8.16")
def test_settings_problems_in_reading_order(es):
    settings = {
        "api_key": "k",
        "dimensions": 0,
        "similarity": "euclid",
        "max_input_tokens": "many",
        "api_version": "",
        "url": "https://a b",
    }
    body = {"service": "watsonxai", "service_settings": settings}
    assert error_of(es.put("/_inference/text_embedding/w", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] does not contain the required setting "
        "[model_id];2: [service_settings] does not contain the required setting [project_id];"
        "3: [service_settings] Invalid url [https://a b] received for field [url]. Error: "
        "unable to parse url [https://a b]. Reason: Illegal character in authority at index 9: "
        "https://a b;4: [service_settings] Invalid value empty string. [api_version] must be a "
        "non-empty string;5: field [max_input_tokens] is not of the expected type. The value "
        "[many] cannot be converted to a [Integer];6: [service_settings] Invalid value [euclid] "
        "received. [similarity] must be one of [cosine, dot_product, l2_norm];7: "
        "[service_settings] Invalid value [0]. [dimensions] must be a positive integer;",
    )


@pytest.mark.releases(">=8.16")
def test_the_url_and_key_are_required(es):
    settings = {k: v for k, v in SPEC_EMBEDDINGS["service_settings"].items() if k != "url"}
    body = {"service": "watsonxai", "service_settings": settings}
    assert error_of(es.put("/_inference/text_embedding/w", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] does not contain the required setting [url];",
    )
    del settings["api_key"]
    settings["url"] = "https://x"
    assert error_of(es.put("/_inference/text_embedding/w", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];",
    )


@pytest.mark.releases(">=9.0")
def test_rerank_task_settings_and_unknown_ones(es):
    body = json.loads(json.dumps(RERANK))
    body["task_settings"] = {"top_n": 0, "return_documents": "no"}
    assert error_of(es.put("/_inference/rerank/w", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: field [return_documents] is not of the expected type. The value "
        "[no] cannot be converted to a [Boolean];2: [task_settings] Invalid value [0]. [top_n] "
        "must be a positive integer;",
    )
    body = json.loads(json.dumps(SPEC_EMBEDDINGS))
    body["task_settings"] = {"top_n": 1}
    assert error_of(es.put("/_inference/text_embedding/w", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{top_n=1}] unknown to the [watsonxai] service",
    )


@pytest.mark.releases(">=8.17")
def test_a_provider_failure_at_create(es):
    es.state.providers.fail("w", ProviderFailure(403, "nope"))
    response = es.put("/_inference/text_embedding/w", SPEC_EMBEDDINGS)
    assert_wrapped_create_failure(
        response,
        {
            "type": "status_exception",
            "reason": rejected("Received a permission denied error status code", 403, "w"),
        },
    )
    assert es.state.endpoints.all() == []


@pytest.mark.releases(">=8.16")
@pytest.mark.parametrize(
    ("status", "es_status", "prefix"),
    [
        (400, 400, "Received a bad request status code"),
        (401, 401, "Received an authentication error status code"),
        (403, 403, "Received a permission denied error status code"),
        (429, 429, "Received an unsuccessful status code"),
        (500, 400, "Received a server error status code"),
        (503, 400, "Received an unsuccessful status code"),
        (308, 308, "Unhandled redirection"),
    ],
)
def test_a_provider_failure_at_inference(es, status, es_status, prefix):
    es.put("/_inference/text_embedding/w", SPEC_EMBEDDINGS)
    es.state.providers.fail("w", ProviderFailure(status, "nope"))
    response = post(es, "/_inference/text_embedding/w", {"input": "x"})
    assert error(response) == (es_status, "status_exception", rejected(prefix, status, "w"))
