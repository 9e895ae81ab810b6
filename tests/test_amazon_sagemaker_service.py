"""The ``amazon_sagemaker`` service (8.19/9.1+).

Sources: SageMakerService, SageMakerModelBuilder.fromRequest (the reading steps),
SageMakerServiceSettings and SageMakerTaskSettings (reading and toXContent order),
SageMakerSchemas.schemaFor (the 405 for a task type the api lacks), ElasticTextEmbeddingPayload
and OpenAiTextEmbeddingPayload (the api's service settings), SageMakerElasticTaskSettings and
SageMakerOpenAiTaskSettings, AwsSecretSettings; the specification's put_amazonsagemaker request
examples.
"""

from __future__ import annotations

from typing import Any

import pytest
from service_checks import (
    assert_create_fails_at_provider,
    assert_inference_fails_at_provider,
    post,
    secret_free,
    unknown_service,
    unknown_settings,
    validation_failed,
)
from support import FakeClient, error_of

KEYS = {"access_key": "AWS-access-key", "secret_key": "AWS-secret-key"}
COMMON = {**KEYS, "region": "us-east-1", "api": "elastic", "endpoint_name": "my-endpoint"}
# PutAmazonSageMakerRequestExample1 to 5: one per task type.
EXAMPLES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "text_embedding",
        "amazon_sagemaker_embeddings",
        {
            "service": "amazon_sagemaker",
            "service_settings": {**COMMON, "dimensions": 384, "element_type": "float"},
        },
    ),
    (
        "completion",
        "amazon_sagemaker_completion",
        {"service": "amazon_sagemaker", "service_settings": COMMON},
    ),
    (
        "chat_completion",
        "amazon_sagemaker_chat_completion",
        {"service": "amazon_sagemaker", "service_settings": COMMON},
    ),
    (
        "sparse_embedding",
        "amazon_sagemaker_sparse_embedding",
        {"service": "amazon_sagemaker", "service_settings": COMMON},
    ),
    (
        "rerank",
        "amazon_sagemaker_rerank",
        {"service": "amazon_sagemaker", "service_settings": COMMON},
    ),
]
# The releases with the service (not 9.0).
RELEASES = ["8.19", "9.1", "9.5"]
SHOWN = {"endpoint_name": "my-endpoint", "region": "us-east-1", "api": "elastic"}


def _body(api: str = "elastic", **settings: Any) -> dict[str, Any]:
    return {"service": "amazon_sagemaker", "service_settings": {**COMMON, "api": api, **settings}}


@pytest.mark.parametrize("version", ["8.18", "9.0"])
def test_arrived_in_8_19_and_9_1(version):
    assert error_of(
        FakeClient(version).put("/_inference/rerank/s", EXAMPLES[4][2])
    ) == unknown_service("amazon_sagemaker")


@pytest.mark.parametrize("version", RELEASES)
def test_the_specification_examples(version):
    es = FakeClient(version)
    for task_type, inference_id, body in EXAMPLES:
        response = es.put(f"/_inference/{task_type}/{inference_id}", body)
        assert response.status_code == 200, (task_type, response.get_data(as_text=True))
        created = response.get_json()
        assert list(created)[:4] == ["inference_id", "task_type", "service", "service_settings"]
        expected = dict(SHOWN)
        if task_type == "text_embedding":
            expected |= {"dimensions": 384, "dimensions_set_by_user": False}
            expected["element_type"] = "float"
        assert list(created["service_settings"].items()) == list(expected.items())
        secret_free(es, response, inference_id, *KEYS.values())


@pytest.mark.parametrize("version", RELEASES)
def test_inference_in_each_shape(version):
    es = FakeClient(version)
    for task_type, inference_id, body in EXAMPLES:
        if task_type == "chat_completion":
            continue
        es.put(f"/_inference/{task_type}/{inference_id}", body)
    path = "/_inference/text_embedding/amazon_sagemaker_embeddings"
    vectors = post(es, path, {"input": ["a", "b"]}).get_json()["text_embedding"]
    assert [len(v["embedding"]) for v in vectors] == [384, 384]
    path = "/_inference/sparse_embedding/amazon_sagemaker_sparse_embedding"
    sparse = post(es, path, {"input": "a b"}).get_json()["sparse_embedding"]
    assert len(sparse) == 1 and set(sparse[0]) == {"is_truncated", "embedding"}
    path = "/_inference/rerank/amazon_sagemaker_rerank"
    ranked = post(es, path, {"query": "q", "input": ["a", "b"]}).get_json()["rerank"]
    assert sorted(item["index"] for item in ranked) == [0, 1]
    path = "/_inference/completion/amazon_sagemaker_completion"
    answer = post(es, path, {"input": "Hi"}).get_json()
    assert list(answer) == ["completion"] and len(answer["completion"]) == 1


@pytest.mark.parametrize("version", RELEASES)
def test_byte_embeddings(version):
    es = FakeClient(version)
    es.put("/_inference/text_embedding/b", _body(element_type="byte", dimensions=8))
    answer = post(es, "/_inference/text_embedding/b", {"input": "a"}).get_json()
    assert list(answer) == ["text_embedding_bytes"]


@pytest.mark.parametrize("version", RELEASES)
def test_the_openai_api(version):
    es = FakeClient(version)
    body = {**_body("openai"), "task_settings": {"user": "me", "session_id": "s"}}
    response = es.put("/_inference/text_embedding/o", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    created = response.get_json()
    assert list(created["service_settings"].items()) == [
        ("endpoint_name", "my-endpoint"),
        ("region", "us-east-1"),
        ("api", "openai"),
        ("dimensions", 1024),
        ("dimensions_set_by_user", False),
    ]
    assert list(created["task_settings"].items()) == [("session_id", "s"), ("user", "me")]
    assert error_of(es.put("/_inference/rerank/o", _body("openai"))) == (
        405,
        "status_exception",
        "Task [openai] is not compatible for service [sagemaker] and api [rerank]. Supported "
        "tasks: [[text_embedding, completion, chat_completion]]",
    )


@pytest.mark.parametrize("version", RELEASES)
def test_the_reading_steps(version):
    es = FakeClient(version)
    body = {"service": "amazon_sagemaker", "service_settings": {"batch_size": 0}}
    # The keys are read, and thrown, first.
    assert error_of(es.put("/_inference/rerank/s", body)) == validation_failed(
        "[secret_settings] does not contain the required setting [access_key]",
        "[secret_settings] does not contain the required setting [secret_key]",
    )
    body = {"service": "amazon_sagemaker", "service_settings": {**KEYS, "batch_size": 0}}
    assert error_of(es.put("/_inference/rerank/s", body)) == validation_failed(
        "[service_settings] does not contain the required setting [endpoint_name]",
        "[service_settings] does not contain the required setting [region]",
        "[service_settings] does not contain the required setting [api]",
        "[service_settings] Invalid value [0]. [batch_size] must be a positive integer",
    )
    body = _body(element_type="int4", similarity="hamming")
    expected = [
        "[service_settings] Invalid value [hamming] received. [similarity] must be one of "
        "[cosine, dot_product, l2_norm]",
        "[service_settings] Invalid value [int4] received. [element_type] must be one of "
        "[bit, byte, float]",
    ]
    assert error_of(es.put("/_inference/text_embedding/s", body)) == validation_failed(*expected)


@pytest.mark.parametrize("version", RELEASES)
def test_an_elastic_embedding_needs_its_element_type(version):
    es = FakeClient(version)
    assert error_of(es.put("/_inference/text_embedding/s", _body())) == validation_failed(
        "[service_settings] does not contain the required setting [element_type]"
    )


@pytest.mark.parametrize("version", RELEASES)
def test_unknown_settings(version):
    es = FakeClient(version)
    assert error_of(es.put("/_inference/rerank/s", _body(dimensions=3))) == unknown_settings(
        "{dimensions=3}", "amazon_sagemaker"
    )
    body = {**_body("openai"), "task_settings": {"top_n": 3}}
    assert error_of(es.put("/_inference/completion/s", body)) == unknown_settings(
        "{top_n=3}", "amazon_sagemaker"
    )
    # The elastic api hands any other task setting to the model, and does not keep it.
    body = {**_body(), "task_settings": {"top_n": 3, "session_id": "s"}}
    response = es.put("/_inference/completion/e", body)
    assert response.get_json()["task_settings"] == {"session_id": "s"}


@pytest.mark.parametrize("version", RELEASES)
def test_a_provider_failure_at_create(version):
    es = FakeClient(version)
    assert_create_fails_at_provider(es, "/_inference/rerank/r", _body(), "r")


@pytest.mark.parametrize("version", RELEASES)
def test_a_provider_failure_at_inference(version):
    es = FakeClient(version)
    es.put("/_inference/completion/c", _body())
    assert_inference_fails_at_provider(es, "/_inference/completion/c", {"input": "x"}, "c")
