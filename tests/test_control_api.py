"""The /_fake_es control namespace over HTTP: reset, journal, faults, models."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request

import pytest
from support import SEED_BODY, SEED_PATH

# These tests pin Elasticsearch 8.11's answers (the seed release).
pytestmark = pytest.mark.fake_es(version="8.11")


def call(url, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_journal_lists_requests_without_credentials_and_not_itself(fake_es):
    call(fake_es.url + SEED_PATH, "PUT", SEED_BODY, headers={"Authorization": "Basic c2VjcmV0"})
    status, body = call(fake_es.url + "/_fake_es/journal")
    assert status == 200
    [entry] = body["requests"]
    assert entry["method"] == "PUT"
    assert entry["path"] == SEED_PATH
    assert entry["body"] == SEED_BODY
    assert entry["status"] == 200
    assert entry["response"]["model_id"] == "my-elser-model"
    assert entry["headers"]["Authorization"] == "<redacted>"
    assert "c2VjcmV0" not in json.dumps(body)
    assert call(fake_es.url + "/_fake_es/journal", "DELETE") == (200, {"acknowledged": True})
    assert call(fake_es.url + "/_fake_es/journal")[1] == {"requests": []}


def test_faults_added_listed_applied_and_cleared(fake_es):
    spec = {"method": "PUT", "path": "/_inference/*", "status": 429, "times": 1}
    status, body = call(fake_es.url + "/_fake_es/faults", "POST", spec)
    assert status == 200
    assert body["fault"]["status"] == 429 and body["fault"]["matched"] == 0
    assert len(call(fake_es.url + "/_fake_es/faults")[1]["faults"]) == 1
    status, body = call(fake_es.url + SEED_PATH, "PUT", SEED_BODY)
    assert status == 429 and body["error"]["type"] == "es_rejected_execution_exception"
    assert call(fake_es.url + "/_fake_es/faults")[1] == {"faults": []}
    assert call(fake_es.url + SEED_PATH, "PUT", SEED_BODY)[0] == 200
    call(fake_es.url + "/_fake_es/faults", "POST", {"path": "*", "status": 503, "times": None})
    assert call(fake_es.url + "/_fake_es/faults", "DELETE") == (200, {"acknowledged": True})
    assert call(fake_es.url + "/")[0] == 200


def test_invalid_fault_is_refused_with_the_reason(fake_es):
    status, body = call(fake_es.url + "/_fake_es/faults", "POST", {"status": 200, "foo": 1})
    assert status == 400
    assert body["error"]["type"] == "illegal_argument_exception"
    assert body["error"]["reason"] == (
        "invalid fault: 200 is less than the minimum of 400; "
        "Additional properties are not allowed ('foo' was unexpected)"
    )


def test_seed_and_list_models_then_reset(fake_es):
    status, body = call(fake_es.url + "/_fake_es/models/sparse_embedding/seeded", "PUT", SEED_BODY)
    assert status == 200 and body["model_id"] == "seeded"
    assert fake_es.requests == []
    status, body = call(
        fake_es.url + "/_fake_es/models/sparse_embedding/x", "PUT", {"service": "nope"}
    )
    assert (status, body["error"]["reason"]) == (400, "Unknown service [nope]")
    assert [m["model_id"] for m in call(fake_es.url + "/_fake_es/models")[1]["models"]] == [
        "seeded"
    ]
    assert call(fake_es.url + "/_fake_es/reset", "POST") == (200, {"acknowledged": True})
    assert call(fake_es.url + "/_fake_es/models")[1] == {"models": []}


def test_control_requests_are_never_faulted(fake_es):
    fake_es.fail("*", status=503, times=None)
    assert call(fake_es.url + "/_fake_es/journal")[0] == 200
    assert call(fake_es.url + "/")[0] == 503


def test_scripted_answers_delay_ranges_and_garbage_over_http(fake_es):
    spec = {
        "method": "GET",
        "path": "/",
        "status": 503,
        "body": "<html>down</html>",
        "content_type": "text/html",
        "headers": {"Retry-After": "7"},
        "product_header": False,
        "delay": [0, 0.001],
    }
    status, body = call(fake_es.url + "/_fake_es/faults", "POST", spec)
    assert status == 200
    assert body["fault"] == {
        **spec,
        "times": 1,
        "error_type": None,
        "reason": None,
        "delay": [0.0, 0.001],
        "drop_connection": False,
        "garbage": False,
        "json": None,
        "matched": 0,
    }
    assert call(fake_es.url + "/_fake_es/faults")[1] == {"faults": [body["fault"]]}
    connection = http.client.HTTPConnection(fake_es.url.removeprefix("http://"), timeout=10)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert (response.status, response.reason, response.read()) == (
        503,
        "Service Unavailable",
        b"<html>down</html>",
    )
    assert response.getheaders() == [
        ("Content-Type", "text/html"),
        ("Content-Length", "17"),
        ("Retry-After", "7"),
    ]
    connection.close()
    call(fake_es.url + "/_fake_es/faults", "POST", {"path": "/", "garbage": True})
    connection = http.client.HTTPConnection(fake_es.url.removeprefix("http://"), timeout=10)
    connection.request("GET", "/")
    with pytest.raises(http.client.BadStatusLine):
        connection.getresponse()
    connection.close()
    answered, garbled = fake_es.requests
    assert (answered.status, answered.fault.rsplit(" ", 2)[1:]) == (503, ["of", "0.0-0.001s"])
    assert answered.fault.startswith("answer 503 after ")
    assert (garbled.status, garbled.fault) == (None, "garbage")
