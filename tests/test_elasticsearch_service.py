"""The ``elasticsearch`` service (8.13+): built-in models, settings and their errors.

Sources: ElasticsearchInternalService.parseRequestConfig (e5Case, elserCase,
rerankerCase, validateAgainstDeployment), ElasticsearchInternalServiceSettings,
ServiceUtils; the service's task types per release from versions.md §4.1.
"""

from __future__ import annotations

import math

import pytest
from service_checks import post
from support import FakeClient, error_of

E5 = {"service": "elasticsearch", "service_settings": {
    "model_id": ".multilingual-e5-small", "num_allocations": 1, "num_threads": 1}}  # fmt: skip
RERANK = {"service": "elasticsearch", "service_settings": {
    "model_id": ".rerank-v1", "num_allocations": 1, "num_threads": 1}}  # fmt: skip


def test_the_service_arrived_in_8_13():
    response = FakeClient("8.12").put("/_inference/text_embedding/e5", E5)
    assert error_of(response) == (400, "status_exception", "Unknown service [elasticsearch]")


@pytest.mark.releases(">=8.13")
def test_e5_embeds_in_384_unit_length_dimensions(es):
    assert es.put("/_inference/text_embedding/e5", E5).status_code == 200
    body = post(es, "/_inference/text_embedding/e5", {"input": ["one text", "another"]})
    vectors = [result["embedding"] for result in body.get_json()["text_embedding"]]
    assert [len(vector) for vector in vectors] == [384, 384]
    assert all(math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-4) for v in vectors)
    again = post(es, "/_inference/text_embedding/e5", {"input": "one text"}).get_json()
    assert again["text_embedding"][0]["embedding"] == vectors[0]
    assert vectors[0] != vectors[1]


@pytest.mark.parametrize(
    ("version", "task_type"), [("8.13", "sparse_embedding"), ("8.14", "rerank")]
)
def test_task_types_arrive_release_by_release(version, task_type):
    es = FakeClient(version)
    model = ".elser_model_2" if task_type == "sparse_embedding" else ".rerank-v1"
    body = {"service": "elasticsearch", "service_settings": {
        "model_id": model, "num_allocations": 1, "num_threads": 1}}  # fmt: skip
    assert error_of(es.put(f"/_inference/{task_type}/m", body)) == (
        400,
        "status_exception",
        f"The [elasticsearch] service does not support task type [{task_type}]",
    )


@pytest.mark.releases(">=8.15")
def test_rerank_by_lexical_overlap_with_documents_by_default(es):
    assert es.put("/_inference/rerank/r", RERANK).status_code == 200
    documents = ["bananas are yellow", "the sky is blue", "blue sky today"]
    body = post(es, "/_inference/rerank/r", {"query": "blue sky", "input": documents}).get_json()
    ranked = body["rerank"]
    assert [entry["index"] for entry in ranked][2] == 0
    assert {entry["index"] for entry in ranked[:2]} == {1, 2}
    assert [list(entry) for entry in ranked] == [["index", "relevance_score", "text"]] * 3
    assert [entry["text"] for entry in ranked] == [documents[e["index"]] for e in ranked]
    scores = [entry["relevance_score"] for entry in ranked]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.releases(">=8.15")
def test_rerank_needs_a_query(es):
    es.put("/_inference/rerank/r", RERANK)
    response = post(es, "/_inference/rerank/r", {"input": ["a"]})
    assert error_of(response) == (
        400,
        "action_request_validation_exception",
        "Validation Failed: 1: Field [query] cannot be null for task type [rerank];",
    )


@pytest.mark.releases(">=8.19")
def test_top_n_and_return_documents_at_the_top_level(es, release):
    path = "/_inference/.rerank-v1-elasticsearch"
    body = {"query": "sky", "input": ["sky", "sea", "sky sea"], "top_n": 2}
    body["return_documents"] = False
    response = post(es, path, body)
    if release == "9.0":
        assert error_of(response)[1] == "x_content_parse_exception"
        return
    ranked = response.get_json()["rerank"]
    assert len(ranked) == 2 and all(list(entry) == ["index", "relevance_score"] for entry in ranked)


@pytest.mark.releases(">=8.17")
def test_the_preconfigured_e5_endpoint_answers(es):
    response = post(es, "/_inference/text_embedding/.multilingual-e5-small-elasticsearch",
                    {"input": "hi"})  # fmt: skip
    assert len(response.get_json()["text_embedding"][0]["embedding"]) == 384


@pytest.mark.releases(">=8.17")
def test_model_id_is_required(es):
    body = {
        "service": "elasticsearch",
        "service_settings": {"num_allocations": 1, "num_threads": 1},
    }
    assert error_of(es.put("/_inference/text_embedding/e5", body)) == (
        400,
        "illegal_argument_exception",
        "Error parsing service settings, model_id must be provided",
    )


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        ("8.15", "Validation Failed: 1: [service_settings] does not contain the required setting "
                 "[num_allocations];"),
        ("8.17", "Validation Failed: 1: [service_settings] does not contain one of the required "
                 "settings [num_allocations, adaptive_allocations];"),
    ],
)  # fmt: skip
def test_allocations_are_required(version, reason):
    body = {"service": "elasticsearch", "service_settings": {
        "model_id": ".multilingual-e5-small", "num_threads": 1}}  # fmt: skip
    response = FakeClient(version).put("/_inference/text_embedding/e5", body)
    assert error_of(response) == (400, "validation_exception", reason)


@pytest.mark.releases(">=8.17")
def test_settings_problems_are_gathered(es):
    # extractOptionalPositiveInteger returns null for a bad count, so the one-of check
    # (ElasticsearchInternalServiceSettings.fromRequestMap) reports it missing too.
    settings = {"model_id": ".multilingual-e5-small", "num_allocations": 0, "num_threads": "2"}
    body = {"service": "elasticsearch", "service_settings": settings}
    assert error_of(es.put("/_inference/text_embedding/e5", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] Invalid value [0]. [num_allocations] must be a "
        "positive integer;2: field [num_threads] is not of the expected type. The value [2] "
        "cannot be converted to a [Integer];3: [service_settings] does not contain one of the "
        "required settings [num_allocations, adaptive_allocations];",
    )


@pytest.mark.releases(">=8.17")
def test_adaptive_allocations_instead_of_a_count(es):
    adaptive = {"enabled": True, "min_number_of_allocations": 1, "max_number_of_allocations": 4}
    body = {"service": "elasticsearch", "service_settings": {
        "model_id": ".multilingual-e5-small", "num_threads": 1,
        "adaptive_allocations": adaptive}}  # fmt: skip
    response = es.put("/_inference/text_embedding/e5", body)
    assert response.get_json()["service_settings"] == {
        "num_threads": 1,
        "model_id": ".multilingual-e5-small",
        "adaptive_allocations": adaptive,
    }


@pytest.mark.releases(">=8.13")
def test_an_unknown_model_is_not_in_the_cluster(es):
    body = {"service": "elasticsearch", "service_settings": {
        "model_id": "my-eland-model", "num_allocations": 1, "num_threads": 1}}  # fmt: skip
    assert error_of(es.put("/_inference/text_embedding/x", body)) == (
        404,
        "resource_not_found_exception",
        "Could not find trained model [my-eland-model]",
    )


@pytest.mark.releases(">=8.17")
def test_the_first_elser_does_not_run_on_this_platform(es):
    body = {"service": "elasticsearch", "service_settings": {
        "model_id": ".elser_model_1", "num_allocations": 1, "num_threads": 1}}  # fmt: skip
    assert error_of(es.put("/_inference/sparse_embedding/x", body)) == (
        400,
        "illegal_argument_exception",
        "Error parsing request config, model id does not match any models available on this "
        "platform. Was [.elser_model_1]. You may need to use a platform agnostic model.",
    )


@pytest.mark.releases(">=8.17")
def test_an_endpoint_may_reuse_another_s_deployment(es):
    assert es.put("/_inference/text_embedding/first", E5).status_code == 200
    body = {"service": "elasticsearch", "service_settings": {"deployment_id": "first"}}
    response = es.put("/_inference/text_embedding/second", body)
    assert response.get_json()["service_settings"] == {
        "num_allocations": 1,
        "num_threads": 1,
        "model_id": ".multilingual-e5-small",
        "deployment_id": "first",
    }
    missing = {"service": "elasticsearch", "service_settings": {"deployment_id": "nope"}}
    assert error_of(es.put("/_inference/text_embedding/third", missing)) == (
        404,
        "status_exception",
        "Cannot find deployment [nope]",
    )
    other = {"service": "elasticsearch",
             "service_settings": {"deployment_id": "first", "model_id": ".rerank-v1"}}  # fmt: skip
    assert error_of(es.put("/_inference/rerank/fourth", other)) == (
        400,
        "status_exception",
        "Deployment [first] uses model [.multilingual-e5-small] which does not match the model "
        "[.rerank-v1] in the request.",
    )
    wrong_task = {"service": "elasticsearch", "service_settings": {"deployment_id": "first"}}
    assert error_of(es.put("/_inference/sparse_embedding/fifth", wrong_task)) == (
        400,
        "status_exception",
        "Deployed model [.multilingual-e5-small] with type [text_embedding] does not match the "
        "requested task type [sparse_embedding]",
    )


@pytest.mark.releases(">=8.17")
def test_chunking_settings_only_for_embeddings(es):
    body = {**RERANK, "chunking_settings": {"strategy": "sentence"}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{chunking_settings={strategy=sentence}}] "
        "unknown to the [elasticsearch] service",
    )
