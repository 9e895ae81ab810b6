"""The official Python client (elasticsearch8 8.19) against the fake over real HTTP.

``client.inference.put(task_type=..., inference_id=..., inference_config=...)``
builds the same ``PUT /_inference/{task_type}/{id}`` path 8.11 serves.
"""

from __future__ import annotations

import pytest
from elasticsearch8 import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    BadRequestError,
    Elasticsearch,
    NotFoundError,
)
from support import SEED_BODY

# These tests pin Elasticsearch 8.11's answers (the seed release).
pytestmark = pytest.mark.fake_es(version="8.11")


@pytest.fixture
def es(fake_es):
    with Elasticsearch(fake_es.url, request_timeout=10) as client:
        yield client


def test_info_passes_the_product_check(es):
    info = es.info()
    assert info["version"]["number"] == "8.11.0"
    assert es.ping() is True


def test_put_seed_example(es, fake_es):
    response = es.inference.put(
        task_type="sparse_embedding", inference_id="my-elser-model", inference_config=SEED_BODY
    )
    assert response.body == {
        "model_id": "my-elser-model",
        "task_type": "sparse_embedding",
        "service": "elser",
        "service_settings": {"num_allocations": 1, "num_threads": 1},
        "task_settings": {},
    }
    assert response.meta.status == 200
    assert response.meta.headers["x-elastic-product"] == "Elasticsearch"
    assert fake_es.app.state.endpoints.get("my-elser-model") is not None


def test_duplicate_raises_bad_request(es):
    es.inference.put(task_type="sparse_embedding", inference_id="m", inference_config=SEED_BODY)
    with pytest.raises(BadRequestError) as raised:
        es.inference.put(task_type="sparse_embedding", inference_id="m", inference_config=SEED_BODY)
    assert raised.value.status_code == 400
    assert raised.value.error == "resource_already_exists_exception"
    assert str(raised.value) == (
        "BadRequestError(400, 'resource_already_exists_exception', "
        "'Inference model [m] already exists')"
    )


def test_unknown_task_type(es):
    with pytest.raises(BadRequestError) as raised:
        es.inference.put(task_type="bad", inference_id="m", inference_config=SEED_BODY)
    assert str(raised.value) == (
        "BadRequestError(400, 'status_exception', 'Unknown task_type [bad]')"
    )


def test_validation_failed_message(es):
    with pytest.raises(BadRequestError) as raised:
        es.inference.put(
            task_type="sparse_embedding",
            inference_id="m",
            inference_config={"service": "elser", "service_settings": {}},
        )
    assert str(raised.value) == (
        "BadRequestError(400, 'validation_exception', 'Validation Failed: 1: [service_settings] "
        "does not contain the required setting [num_allocations];2: [service_settings] does not "
        "contain the required setting [num_threads];')"
    )


def test_unknown_settings(es):
    with pytest.raises(BadRequestError) as raised:
        es.inference.put(
            task_type="sparse_embedding",
            inference_id="m",
            inference_config={**SEED_BODY, "foo": "bar"},
        )
    assert str(raised.value) == (
        "BadRequestError(400, 'status_exception', 'Model configuration contains settings "
        "[{foo=bar}] unknown to the [elser] service')"
    )


def test_wrong_type_service_is_a_500_api_error_not_retried(es, fake_es):
    with pytest.raises(ApiError) as raised:
        es.options(max_retries=0).inference.put(
            task_type="sparse_embedding",
            inference_id="m",
            inference_config={**SEED_BODY, "service": 7},
        )
    assert raised.value.status_code == 500
    assert raised.value.error == "class_cast_exception"


def test_compressed_requests(fake_es):
    with Elasticsearch(fake_es.url, http_compress=True) as client:
        response = client.inference.put(
            task_type="sparse_embedding", inference_id="gz", inference_config=SEED_BODY
        )
    assert response["model_id"] == "gz"


def full_cycle(client, model_id="cycle"):
    created = client.inference.put(
        task_type="sparse_embedding", inference_id=model_id, inference_config=SEED_BODY
    )
    fetched = client.inference.get(task_type="sparse_embedding", inference_id=model_id)
    inferred = client.inference.inference(
        task_type="sparse_embedding", inference_id=model_id, input="the sky above the port"
    )
    deleted = client.inference.delete(task_type="sparse_embedding", inference_id=model_id)
    return model_id, created.body, fetched.body, inferred.body, deleted.body


def check_cycle(model_id, created, fetched, inferred, deleted):
    expected = {
        "model_id": model_id,
        "task_type": "sparse_embedding",
        "service": "elser",
        "service_settings": {"num_allocations": 1, "num_threads": 1},
        "task_settings": {},
    }
    assert created == fetched == expected
    assert set(inferred["sparse_embedding"]) == {"the", "sky", "above", "port"}
    assert deleted == {"acknowledged": True}


def test_create_get_infer_delete(es):
    check_cycle(*full_cycle(es))
    with pytest.raises(NotFoundError) as raised:
        es.inference.get(task_type="sparse_embedding", inference_id="cycle")
    assert str(raised.value) == (
        "NotFoundError(404, 'resource_not_found_exception', 'Model not found [cycle]')"
    )


SECURITY = {
    "users": {
        "elastic": {"password": "changeme", "roles": ["superuser"]},
        "reader": {"password": "reader-pw", "roles": ["monitoring"]},
    },
    "roles": {"monitoring": {"cluster": ["monitor"]}},
    "api_keys": {"ci-key": {"key": "ci-secret", "owner": "elastic"}},
}


@pytest.fixture(scope="module")
def secured_fake(fake_es_factory):
    return fake_es_factory(version="8.11", security=SECURITY)


def test_create_get_infer_delete_with_security(secured_fake):
    with Elasticsearch(secured_fake.url, basic_auth=("elastic", "changeme")) as client:
        check_cycle(*full_cycle(client))
    # A new id: 8.11 leaves a deleted model's deployment running, so the same id would fail.
    with Elasticsearch(secured_fake.url, api_key=("ci-key", "ci-secret")) as client:
        check_cycle(*full_cycle(client, "cycle-with-api-key"))


def test_security_errors_through_the_client(secured_fake):
    anonymous = Elasticsearch(secured_fake.url)
    with pytest.raises(AuthenticationException) as raised:
        anonymous.info()
    assert str(raised.value) == (
        "AuthenticationException(401, 'security_exception', "
        "'missing authentication credentials for REST request [/]')"
    )
    reader = Elasticsearch(secured_fake.url, basic_auth=("reader", "reader-pw"))
    with pytest.raises(AuthorizationException) as raised:
        reader.inference.put(
            task_type="sparse_embedding", inference_id="x", inference_config=SEED_BODY
        )
    assert raised.value.status_code == 403
    assert "for user [reader] with effective roles [monitoring]" in str(raised.value)
