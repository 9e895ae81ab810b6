"""elasticsearch8 8.19 (sync and async) and elasticsearch 8.12, against the 8.11 contract.

The clients of each release against the fake of that release: test_release_clients.py.
"""

from __future__ import annotations

import asyncio

import elasticsearch
import pytest
from contract_support import SEED_CONFIG, UNKNOWN_SETTING, already_exists, seed_response
from elasticsearch8 import AsyncElasticsearch, BadRequestError, Elasticsearch

pytestmark = pytest.mark.fake_es(version="8.11")


def test_client_versions_are_the_ones_under_contract():
    assert elasticsearch.__versionstr__.startswith("8.12.")


def test_sync_client(target, model_id):
    with Elasticsearch(target, request_timeout=30) as es:
        assert es.info()["version"]["number"].startswith("8.11.")
        created = es.inference.put(
            task_type="sparse_embedding", inference_id=model_id, inference_config=SEED_CONFIG
        )
        assert created.body == seed_response(model_id)
        assert created.meta.headers["x-elastic-product"] == "Elasticsearch"
        with pytest.raises(BadRequestError) as raised:
            es.inference.put(
                task_type="sparse_embedding", inference_id=model_id, inference_config=SEED_CONFIG
            )
        assert str(raised.value) == (
            f"BadRequestError(400, 'resource_already_exists_exception', "
            f"'{already_exists(model_id)}')"
        )
        with pytest.raises(BadRequestError) as raised:
            es.inference.put(task_type="bad", inference_id=model_id, inference_config=SEED_CONFIG)
        assert str(raised.value) == (
            "BadRequestError(400, 'status_exception', 'Unknown task_type [bad]')"
        )


def test_async_client_over_aiohttp(target, model_id):
    async def scenario():
        async with AsyncElasticsearch(target, request_timeout=30) as es:
            info = await es.info()
            created = await es.inference.put(
                task_type="sparse_embedding", inference_id=model_id, inference_config=SEED_CONFIG
            )
            try:
                await es.inference.put(
                    task_type="sparse_embedding",
                    inference_id=f"{model_id}-2",
                    inference_config={**SEED_CONFIG, "foo": "bar"},
                )
            except BadRequestError as error:
                return info, created, error
            raise AssertionError("the unknown setting was accepted")

    info, created, error = asyncio.run(scenario())
    assert info.meta.headers["x-elastic-product"] == "Elasticsearch"
    assert created.body == seed_response(model_id)
    assert error.status_code == 400
    assert error.body["error"]["reason"] == UNKNOWN_SETTING


def test_elasticsearch_8_12_put_model(target, model_id):
    with elasticsearch.Elasticsearch(target, request_timeout=30) as es:
        created = es.inference.put_model(
            task_type="sparse_embedding", model_id=model_id, model_config=SEED_CONFIG
        )
        assert created.body == seed_response(model_id)
        with pytest.raises(elasticsearch.BadRequestError) as raised:
            es.inference.put_model(
                task_type="sparse_embedding", model_id=model_id, model_config=SEED_CONFIG
            )
        assert raised.value.error == "resource_already_exists_exception"
        assert raised.value.body["error"]["reason"] == already_exists(model_id)
