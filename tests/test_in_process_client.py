"""``fake_es.client()`` / ``async_client()``: the official clients with no socket.

Requests still go through the journal, faults, security and crash reporting.
"""

from __future__ import annotations

import asyncio

import elastic_transport
import pytest
from elasticsearch8 import ElasticsearchWarning

from fake_es import create_app
from fake_es.handle import FakeEs

CONFIG = {"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1}}


def fake(version: str = "9.5") -> FakeEs:
    return FakeEs(create_app(version=version, check_responses=True), "http://unused")


@pytest.mark.parametrize("module", ["elasticsearch8", "elasticsearch"])
def test_a_full_cycle_without_a_socket(module):
    handle = fake("8.19" if module == "elasticsearch8" else "8.12")
    es = handle.client(module=module)
    if module == "elasticsearch":  # the 8.12 client
        es.inference.put_model(task_type="sparse_embedding", model_id="m", body=CONFIG)
        assert es.inference.get_model(task_type="sparse_embedding", model_id="m")["models"]
        return
    # The elser service's deprecation reaches the client as its own warning.
    with pytest.warns(ElasticsearchWarning, match=r"^The \[elser\] service is deprecated"):
        created = es.inference.put(task_type="sparse_embedding", inference_id="m", body=CONFIG)
    assert created["inference_id"] == "m"
    answer = es.inference.sparse_embedding(inference_id="m", input="hello world")
    assert set(answer["sparse_embedding"][0]["embedding"]) == {"hello", "world"}
    assert es.inference.delete(inference_id="m")["acknowledged"] is True
    assert [entry.describe() for entry in handle.requests] == [
        "PUT /_inference/sparse_embedding/m -> 200",
        "POST /_inference/sparse_embedding/m -> 200",
        "DELETE /_inference/m -> 200",
    ]


def test_errors_are_the_clients_own():
    from elasticsearch8 import NotFoundError

    es = fake().client(module="elasticsearch8")
    with pytest.raises(NotFoundError) as raised:
        es.inference.get(inference_id="missing")
    assert raised.value.meta.status == 404
    assert raised.value.body["error"]["reason"] == "Inference endpoint not found [missing]"


def test_a_dropped_connection_is_the_clients_connection_error():
    handle = fake()
    handle.drop_connection("/_inference/*", times=None)
    es = handle.client(module="elasticsearch8", max_retries=0)
    with pytest.raises(elastic_transport.ConnectionError):
        es.inference.get(inference_id="x")


def test_the_async_client():
    from elasticsearch8 import AsyncElasticsearch

    handle = fake()

    async def cycle() -> dict:
        es = handle.async_client(module="elasticsearch8")
        assert isinstance(es, AsyncElasticsearch)
        with pytest.warns(ElasticsearchWarning, match=r"^The \[elser\] service is deprecated"):
            await es.inference.put(task_type="sparse_embedding", inference_id="m", body=CONFIG)
        answer = await es.inference.get(inference_id="m")
        await es.close()
        return dict(answer)

    assert asyncio.run(cycle())["endpoints"][0]["inference_id"] == "m"


def test_no_client_installed_is_a_clear_error():
    with pytest.raises(ImportError) as raised:
        fake().client(module="elasticsearch_not_installed")
    assert str(raised.value) == (
        "no official Elasticsearch client is installed: install elasticsearch (8.x or 9.x), "
        "elasticsearch8 or elasticsearch9"
    )
