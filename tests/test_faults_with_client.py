"""Injected faults as the official Python client (elasticsearch8 8.19) experiences them.

elastic-transport retries 429/502/503/504 three times by default, does not retry
500, and does not retry timeouts unless asked to.
"""

from __future__ import annotations

import pytest
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch8 import ApiError, Elasticsearch
from support import SEED_BODY

# These tests pin Elasticsearch 8.11's answers (the seed release).
pytestmark = pytest.mark.fake_es(version="8.11")

PUT_PATH = "/_inference/sparse_embedding/m"


@pytest.fixture
def es(fake_es):
    with Elasticsearch(fake_es.url, request_timeout=5) as client:
        yield client


def put(es):
    return es.inference.put(
        task_type="sparse_embedding", inference_id="m", inference_config=SEED_BODY
    )


def test_three_503s_then_success_ends_in_success(es, fake_es):
    fake_es.fail(PUT_PATH, method="PUT", status=503, times=3)
    assert put(es)["model_id"] == "m"
    statuses = [entry.status for entry in fake_es.requests]
    assert statuses == [503, 503, 503, 200]
    assert fake_es.requests[0].response_json == {
        "error": {
            "root_cause": [
                {
                    "type": "cluster_block_exception",
                    "reason": "blocked by: [SERVICE_UNAVAILABLE/2/no master];",
                }
            ],
            "type": "cluster_block_exception",
            "reason": "blocked by: [SERVICE_UNAVAILABLE/2/no master];",
        },
        "status": 503,
    }


def test_four_429s_exhaust_the_retries(es, fake_es):
    fake_es.fail(PUT_PATH, status=429, times=4)
    with pytest.raises(ApiError) as raised:
        put(es)
    assert raised.value.status_code == 429
    assert raised.value.error == "es_rejected_execution_exception"
    assert len(fake_es.requests) == 4
    assert fake_es.models.list() == []


def test_a_500_is_not_retried(es, fake_es):
    fake_es.fail(PUT_PATH, status=500, error_type="null_pointer_exception", reason="boom")
    with pytest.raises(ApiError) as raised:
        put(es)
    assert str(raised.value) == "ApiError(500, 'null_pointer_exception', 'boom')"
    assert len(fake_es.requests) == 1


def test_a_delay_past_request_timeout_is_a_timeout_not_retried(es, fake_es):
    fake_es.delay(1.0, PUT_PATH)
    with pytest.raises(ConnectionTimeout):
        es.options(request_timeout=0.2).inference.put(
            task_type="sparse_embedding", inference_id="m", inference_config=SEED_BODY
        )
    assert len(fake_es.requests_matching("PUT", PUT_PATH)) <= 1


def test_a_short_delay_is_just_slow(es, fake_es):
    fake_es.delay(0.05, PUT_PATH)
    assert put(es)["model_id"] == "m"
    assert fake_es.requests[0].fault == "pass through after 0.05s"


def test_dropped_connections_are_retried_then_raise(es, fake_es):
    fake_es.drop_connection(PUT_PATH, times=None)
    with pytest.raises(TransportConnectionError):
        put(es)
    assert [entry.status for entry in fake_es.requests] == [None] * 4
    assert fake_es.models.list() == []


def test_one_dropped_connection_is_recovered_by_a_retry(es, fake_es):
    fake_es.drop_connection(PUT_PATH)
    assert put(es)["model_id"] == "m"
    assert [entry.status for entry in fake_es.requests] == [None, 200]


def test_faults_match_method_and_path(es, fake_es):
    fake_es.fail("/_inference/*/other", status=503, times=None)
    fake_es.fail(PUT_PATH, method="GET", status=503, times=None)
    assert put(es)["model_id"] == "m"
    assert len(fake_es.state.faults.pending()) == 2
