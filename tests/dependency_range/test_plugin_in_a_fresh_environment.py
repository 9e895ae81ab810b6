"""The suite tests/test_dependency_range.py runs in a fresh environment, once with the lowest
and once with the newest versions of the dependencies that pyproject.toml allows.

Each test leans on what a dependency's bound is about: werkzeug's request handler and server
(keep-alive, a dropped connection), cbor2's decoder and its errors, jsonschema (every answer
is checked against its schema), pytest-httpserver's ``httpserver``, PyYAML, pytest's markers.
"""

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request

import cbor2
import pytest

ELSER = {"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1}}


def put(url, path, data, content_type):
    request = urllib.request.Request(
        url + path,
        data=data,
        method="PUT",
        headers={"Content-Type": content_type, "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_json_yaml_and_cbor_bodies(fake_es):
    assert (
        put(
            fake_es.url,
            "/_inference/sparse_embedding/a",
            json.dumps(ELSER).encode(),
            "application/json",
        )["inference_id"]
        == "a"
    )
    yaml = b"---\nservice: elser\nservice_settings:\n  num_allocations: 1\n  num_threads: 1\n"
    assert (
        put(fake_es.url, "/_inference/sparse_embedding/b", yaml, "application/yaml")["inference_id"]
        == "b"
    )
    assert (
        put(fake_es.url, "/_inference/sparse_embedding/c", cbor2.dumps(ELSER), "application/cbor")[
            "inference_id"
        ]
        == "c"
    )
    fake_es.assert_request_made("PUT", "/_inference/sparse_embedding/a", json=ELSER)


def test_a_truncated_cbor_body_is_a_parse_error_with_cbor2s_message(fake_es):
    with pytest.raises(urllib.error.HTTPError) as raised:
        put(
            fake_es.url,
            "/_inference/sparse_embedding/d",
            cbor2.dumps(ELSER)[:-3],
            "application/cbor",
        )
    assert raised.value.code == 400
    error = json.loads(raised.value.read())["error"]
    message = "premature end of stream (expected to read at least 2 bytes, got 0 instead)"
    assert (error["type"], error["reason"]) == ("x_content_parse_exception", message)
    assert (error["caused_by"]["type"], error["caused_by"]["reason"]) == (
        "json_e_o_f_exception",
        message,
    )
    assert fake_es.models.list() == []


@pytest.mark.fake_es(version="8.11")
def test_marker_and_factory(fake_es, make_fake_es):
    assert fake_es.app.profile.number == "8.11.0"
    assert make_fake_es(version="8.19").app.profile.number == "8.19.0"


@pytest.mark.fake_es(version="8.12")
def test_keep_alive_then_a_dropped_connection(fake_es):
    address = urllib.parse.urlsplit(fake_es.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        answers = []
        for _ in range(2):
            connection.request("GET", "/_inference/_all")
            response = connection.getresponse()
            answers.append((response.status, response.getheader("Connection"), response.read()))
            if len(answers) == 1:
                first_socket = connection.sock
        assert answers == [(200, None, b'{"models":[]}')] * 2
        assert connection.sock is first_socket  # one connection for both requests
        fake_es.drop_connection("/_inference/_all")
        connection.request("GET", "/_inference/_all")
        with pytest.raises(http.client.RemoteDisconnected):
            connection.getresponse()
    finally:
        connection.close()
    assert [entry.status for entry in fake_es.requests] == [200, 200, None]


def test_the_inference_routes_beside_the_tests_own_expectations(fake_es_httpserver, httpserver):
    httpserver.expect_request("/elsewhere", method="GET").respond_with_json({"own": True})
    path = "/_inference/sparse_embedding/e"
    url = fake_es_httpserver.url.rstrip("/")
    assert put(url, path, json.dumps(ELSER).encode(), "application/json")["inference_id"] == "e"
    with urllib.request.urlopen(httpserver.url_for("/elsewhere"), timeout=10) as response:
        assert json.loads(response.read()) == {"own": True}
    assert [model["inference_id"] for model in fake_es_httpserver.models.list()] == ["e"]
    fake_es_httpserver.assert_request_made("PUT", path, json=ELSER)
