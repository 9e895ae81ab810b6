"""The ``alibabacloud-ai-search`` service (8.16+).

Sources: AlibabaCloudSearchService (task types, chunking for text_embedding and
sparse_embedding, updateModelWithEmbeddingDetails: always dot_product),
AlibabaCloudSearchServiceSettings (service_id, host, workspace, http_schema check,
rate_limit 1000; toXContent order), AlibabaCloudSearchEmbeddingsServiceSettings,
AlibabaCloudSearchSparseTaskSettings, AlibabaCloudSearchCompletionTaskSettings,
AlibabaCloudSearchResponseHandler; the specification's put_alibabacloud request examples.
"""

from __future__ import annotations

import json

import pytest
from service_checks import assert_wrapped_create_failure, post, rejected, unknown_service
from service_checks import status_type_reason as error
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

HOST = "default-j01.platform-cn-shanghai.opensearch.aliyuncs.com"


def spec_example(service_id):
    """put_alibabacloud/examples/request/PutAlibabaCloudRequestExample1 to 4."""
    return {
        "service": "alibabacloud-ai-search",
        "service_settings": {
            "host": HOST,
            "api_key": "AlibabaCloud-API-Key",
            "service_id": service_id,
            "workspace": "default",
        },
    }


SPEC_EXAMPLES = {
    "completion": ("alibabacloud_ai_search_completion", "ops-qwen-turbo", "completion"),
    "rerank": ("alibabacloud_ai_search_rerank", "ops-bge-reranker-larger", "rerank"),
    "sparse_embedding": (
        "alibabacloud_ai_search_sparse", "ops-text-sparse-embedding-001", "sparse_embedding",
    ),
    "text_embedding": (
        "alibabacloud_ai_search_embeddings", "ops-text-embedding-001", "text_embedding",
    ),
}  # fmt: skip
EMBED = spec_example("ops-text-embedding-001")


def test_arrived_in_8_16():
    assert error_of(
        FakeClient("8.15").put("/_inference/text_embedding/a", EMBED)
    ) == unknown_service("alibabacloud-ai-search")


@pytest.mark.releases(">=8.17")
@pytest.mark.parametrize("task_type", sorted(SPEC_EXAMPLES))
def test_the_specification_examples_are_accepted(es, task_type):
    inference_id, service_id, result_key = SPEC_EXAMPLES[task_type]
    response = es.put(f"/_inference/{task_type}/{inference_id}", spec_example(service_id))
    assert response.status_code == 200
    settings = {
        "service_id": service_id,
        "host": HOST,
        "workspace": "default",
        "rate_limit": {"requests_per_minute": 1000},
    }
    if task_type == "text_embedding":
        settings.update(similarity="dot_product", dimensions=1024)
    body = response.get_json()
    assert json.dumps(body["service_settings"]) == json.dumps(settings)
    assert ("chunking_settings" in body) == (task_type in ("text_embedding", "sparse_embedding"))
    for answer in (
        response,
        es.request("GET", f"/_inference/{inference_id}"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert b"AlibabaCloud-API-Key" not in answer.get_data()
    request = {"input": ["first text", "second text"]}
    if task_type == "rerank":
        request["query"] = "second"
    answer = post(es, f"/_inference/{task_type}/{inference_id}", request).get_json()
    assert list(answer) == [result_key]
    assert len(answer[result_key]) == 2


@pytest.mark.releases(">=8.16")
def test_a_given_similarity_is_replaced_by_dot_product(es):
    body = json.loads(json.dumps(EMBED))
    body["service_settings"].update(similarity="cosine", http_schema="http", max_input_tokens=512)
    body["task_settings"] = {"input_type": "Search"}
    response = es.put("/_inference/text_embedding/a", body).get_json()
    assert list(response["service_settings"].items())[3:] == [
        ("http_schema", "http"),
        ("rate_limit", {"requests_per_minute": 1000}),
        ("similarity", "dot_product"),
        ("dimensions", 1024),
        ("max_input_tokens", 512),
    ]
    assert response["task_settings"] == {"input_type": "search"}


@pytest.mark.releases(">=8.16")
@pytest.mark.parametrize(
    ("task_type", "service", "task", "status", "kind", "reason"),
    [
        ("text_embedding", {"service_id": None, "host": "", "workspace": None}, {}, 400,
         "validation_exception",
         "Validation Failed: 1: [service_settings] does not contain the required setting "
         "[service_id];2: [service_settings] Invalid value empty string. [host] must be a "
         "non-empty string;3: [service_settings] does not contain the required setting "
         "[workspace];"),
        ("rerank", {"http_schema": "ftp"}, {}, 400, "validation_exception",
         "Validation Failed: 1: Invalid value for [http_schema]. Must be one of [https, http];"),
        # removeAsType(map, DIMENSIONS, Integer.class): thrown at once.
        ("text_embedding", {"dimensions": "8"}, {}, 400, "status_exception",
         "field [dimensions] is not of the expected type. The value [8] cannot be converted "
         "to a [Integer]"),
        ("sparse_embedding", {}, {"input_type": "classification", "return_token": "yes"}, 400,
         "validation_exception",
         "Validation Failed: 1: [task_settings] Invalid value [classification] received. "
         "[input_type] must be one of [ingest, search];2: field [return_token] is not of the "
         "expected type. The value [yes] cannot be converted to a [Boolean];"),
        ("completion", {}, {"input_type": "ingest"}, 400, "status_exception",
         "Model configuration contains settings [{input_type=ingest}] unknown to the "
         "[alibabacloud-ai-search] service"),
        ("chat_completion", {}, {}, 400, "status_exception",
         "The [alibabacloud-ai-search] service does not support task type [chat_completion]"),
    ],
)  # fmt: skip
def test_settings_problems(es, release, task_type, service, task, status, kind, reason):
    if task_type == "chat_completion" and release == "8.17":
        return  # no chat_completion task type before 8.18
    body = json.loads(json.dumps(EMBED))
    body["service_settings"].update(service)
    body["service_settings"] = {k: v for k, v in body["service_settings"].items() if v is not None}
    body["task_settings"] = task
    assert error_of(es.put(f"/_inference/{task_type}/a", body)) == (status, kind, reason)


@pytest.mark.releases(">=8.17")
def test_a_provider_failure_at_create(es):
    es.state.providers.fail("a", ProviderFailure(401, "nope"))
    response = es.put("/_inference/rerank/a", spec_example("ops-bge-reranker-larger"))
    assert_wrapped_create_failure(
        response,
        {
            "type": "status_exception",
            "reason": rejected("Received an authentication error status code", 401, "a"),
        },
    )
    assert es.state.endpoints.all() == []


@pytest.mark.releases(">=8.16")
@pytest.mark.parametrize(
    ("status", "es_status", "prefix"),
    [
        (401, 401, "Received an authentication error status code"),
        (403, 403, "Received an unsuccessful status code"),
        (413, 413, "Received an unsuccessful status code"),
        (429, 429, "Received a rate limit status code"),
        (503, 400, "Received a server error status code"),
        (301, 301, "Unhandled redirection"),
    ],
)
def test_a_provider_failure_at_inference(es, status, es_status, prefix):
    es.put("/_inference/text_embedding/a", EMBED)
    es.state.providers.fail("a", ProviderFailure(status, "nope"))
    response = post(es, "/_inference/text_embedding/a", {"input": "x"})
    assert error(response) == (es_status, "status_exception", rejected(prefix, status, "a"))
