"""Injected faults as the official Python client (elasticsearch8 8.19) experiences them.

elastic-transport retries 429/502/503/504 three times by default, does not retry
500, and does not retry timeouts unless asked to.
"""

from __future__ import annotations

import random
from http.client import BadStatusLine

import pytest
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch8 import ApiError, Elasticsearch, UnsupportedProductError
from support import SEED_BODY
from urllib3.exceptions import ProtocolError

from fake_es.control.faults import GarbageSent

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


# --- scripted answers, headers, delay ranges and garbage, as the client sees them ---


def test_a_proxys_html_200_is_the_clients_unsupported_product_error(es, fake_es):
    fake_es.respond("/", body="<html>ok</html>", content_type="text/html", product_header=False)
    with pytest.raises(UnsupportedProductError) as raised:
        es.info()
    assert type(raised.value) is UnsupportedProductError
    assert raised.value.message == (
        "The client noticed that the server is not Elasticsearch "
        "and we do not support this unknown product"
    )
    assert (raised.value.meta.status, raised.value.body) == (200, "<html>ok</html>")
    assert raised.value.meta.headers.get("X-elastic-product") is None
    assert raised.value.meta.headers["Content-Type"] == "text/html"


def test_a_proxys_html_502_is_retried_then_a_plain_api_error(es, fake_es):
    # The client checks the product header on 2xx answers only: a 502 is an ApiError.
    fake_es.respond(
        status=502,
        body="<html>bad gateway</html>",
        content_type="text/html",
        product_header=False,
        times=None,
    )
    with pytest.raises(ApiError) as raised:
        put(es)
    assert type(raised.value) is ApiError
    assert (raised.value.status_code, raised.value.body) == (502, "<html>bad gateway</html>")
    assert raised.value.message == "<html>bad gateway</html>"
    assert raised.value.meta.headers.get("X-elastic-product") is None
    assert [(entry.status, entry.fault) for entry in fake_es.requests] == [(502, "answer 502")] * 4


def test_a_scripted_json_answer_is_what_the_client_returns(es, fake_es):
    answer = {"endpoints": [{"inference_id": "scripted", "task_type": "completion"}]}
    fake_es.respond("/_inference/*", method="GET", json=answer, headers={"X-Trace": "t1"})
    response = es.inference.get(inference_id="scripted")
    assert response.body == answer
    assert response.meta.status == 200
    assert response.meta.headers["X-Trace"] == "t1"
    assert response.meta.headers["Content-Type"] == "application/json"


def test_retry_after_reaches_the_client_on_a_429(es, fake_es):
    fake_es.fail(PUT_PATH, status=429, times=4, headers={"Retry-After": "1"})
    with pytest.raises(ApiError) as raised:
        put(es)
    assert (raised.value.status_code, raised.value.error) == (
        429,
        "es_rejected_execution_exception",
    )
    assert raised.value.meta.headers["Retry-After"] == "1"
    assert raised.value.meta.headers["X-elastic-product"] == "Elasticsearch"


def test_garbage_is_a_connection_error_after_the_retries(es, fake_es):
    fake_es.send_garbage(PUT_PATH, times=None)
    with pytest.raises(TransportConnectionError) as raised:
        put(es)
    assert type(raised.value) is TransportConnectionError
    # Each attempt: urllib3 could not read a status line (http.client's BadStatusLine);
    # the error raised is the last one, holding the three before it.
    # (The repr's quotes depend on the random bytes: a quote among them switches them.)
    assert raised.value.message.startswith("('Connection aborted.', BadStatusLine(")
    assert len(raised.value.errors) == 3
    for attempt in raised.value.errors:
        [cause] = attempt.errors
        assert isinstance(cause, ProtocolError)
        assert isinstance(cause.args[1], BadStatusLine)
        assert cause.args[1].args[0].startswith("\x00")  # the garbage's first byte
    assert [(entry.status, entry.fault) for entry in fake_es.requests] == [(None, "garbage")] * 4
    assert fake_es.models.list() == []


def test_one_garbage_answer_is_recovered_by_a_retry(es, fake_es):
    fake_es.send_garbage(PUT_PATH)
    assert put(es)["model_id"] == "m"
    assert [entry.status for entry in fake_es.requests] == [None, 200]


def test_garbage_in_process_is_the_clients_connection_error(fake_es):
    fake_es.send_garbage(PUT_PATH, times=None)
    client = fake_es.client(module="elasticsearch8")
    with pytest.raises(TransportConnectionError) as raised:
        put(client)
    assert type(raised.value) is TransportConnectionError
    [first, *_] = raised.value.errors
    [cause] = first.errors
    assert type(cause) is GarbageSent
    assert str(cause) == "fake-es sent garbage and closed the connection: garbage"
    assert [(entry.status, entry.fault) for entry in fake_es.requests] == [(None, "garbage")] * 4


def test_a_delay_range_records_the_delay_each_request_got(es, fake_es):
    fake_es.seed(3)
    fake_es.delay((0.01, 0.02), PUT_PATH)
    assert put(es)["model_id"] == "m"
    drawn = round(random.Random(3).uniform(0.01, 0.02), 6)
    assert 0.01 <= drawn <= 0.02
    assert fake_es.requests[0].fault == f"pass through after {drawn}s of 0.01-0.02s"
