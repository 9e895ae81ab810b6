"""Scripted answers (``respond``), extra headers on faults, delay ranges and garbage, on the
WSGI app and through the control API; the official client's view is in
test_faults_with_client.py."""

from __future__ import annotations

import json
import random

import pytest
from support import SEED_BODY, SEED_PATH, FakeClient, error_of

from fake_es.control.faults import MAX_PENDING_FAULTS, MAX_SCRIPTED_BYTES, Fault, GarbageSent
from fake_es.handle import FakeEs


@pytest.fixture
def client() -> FakeClient:
    return FakeClient()


@pytest.fixture
def fake(client: FakeClient) -> FakeEs:
    return FakeEs(client.app, "http://unused")


def post_fault(client: FakeClient, spec: dict[str, object]):
    return client.request(
        "POST",
        "/_fake_es/faults",
        data=json.dumps(spec),
        headers={"Content-Type": "application/json"},
    )


def test_respond_answers_exactly_the_json_given(client, fake):
    fault = fake.respond(
        "/", method="GET", status=201, json={"a": 1, "b": "é"}, headers={"X-A": "b"}
    )
    response = client.request("GET", "/")
    assert response.status_code == 201
    assert response.get_data() == '{"a":1,"b":"é"}'.encode()
    assert list(response.headers.items()) == [
        ("Content-Type", "application/json"),
        ("Content-Length", "16"),
        ("X-elastic-product", "Elasticsearch"),
        ("X-A", "b"),
    ]
    assert fault.matched == 1
    assert client.state.faults.pending() == []
    [entry] = fake.requests
    assert (entry.status, entry.fault, entry.response_json) == (
        201,
        "answer 201",
        {"a": 1, "b": "é"},
    )
    # Spent: the next request gets the fake's own answer.
    assert client.request("GET", "/").get_json()["version"]["number"] == "8.11.0"


def test_respond_with_a_proxys_html_and_no_product_header(client, fake):
    fake.respond(
        status=502, body="<html>bad gateway</html>", content_type="text/html", product_header=False
    )
    response = client.put(SEED_PATH, SEED_BODY)
    assert response.status_code == 502
    assert response.get_data() == b"<html>bad gateway</html>"
    assert list(response.headers.items()) == [
        ("Content-Type", "text/html"),
        ("Content-Length", "24"),
    ]
    assert fake.models.list() == []  # answered by the "proxy": Elasticsearch never saw it


def test_respond_bytes_default_content_type_and_empty_answers(client, fake):
    fake.respond("/a", body=b"\xff\x00raw")
    fake.respond("/b", status=204)
    first = client.request("GET", "/a")
    assert (first.status_code, first.get_data()) == (200, b"\xff\x00raw")
    assert first.headers["Content-Type"] == "text/plain; charset=UTF-8"
    second = client.request("GET", "/b")
    assert (second.status_code, second.get_data()) == (204, b"")
    assert [entry.fault for entry in fake.requests] == ["answer 200", "answer 204"]


def test_fail_with_headers_keeps_the_elasticsearch_error(client, fake):
    fake.fail(status=429, headers={"Retry-After": "2"})
    response = client.put(SEED_PATH, SEED_BODY)
    assert error_of(response) == (
        429,
        "es_rejected_execution_exception",
        "rejected execution of coordinating operation [injected by fake-es]",
    )
    assert response.headers["Retry-After"] == "2"
    assert response.headers["Content-Type"] == "application/json"


def test_headers_replace_those_of_the_same_name(client, fake):
    fake.fail(status=503, headers={"content-type": "application/problem+json"})
    response = client.request("GET", "/")
    assert response.headers.getlist("Content-Type") == ["application/problem+json"]


def test_a_delay_range_is_drawn_from_the_states_random(client, fake):
    client.state.random = random.Random(7)
    fake.delay((0.001, 0.002), "/", times=2)
    client.request("GET", "/")
    client.request("GET", "/")
    expected = random.Random(7)
    drawn = [round(expected.uniform(0.001, 0.002), 6) for _ in range(2)]
    assert [entry.fault for entry in fake.requests] == [
        f"pass through after {drawn[0]}s of 0.001-0.002s",
        f"pass through after {drawn[1]}s of 0.001-0.002s",
    ]


def test_seeding_repeats_the_draws(fake):
    fault = fake.delay((1.0, 2.0))
    fake.seed(11)
    first = [fault.pick_delay(fake.state.random) for _ in range(50)]
    fake.seed(11)
    assert [fault.pick_delay(fake.state.random) for _ in range(50)] == first
    assert all(1.0 <= delay <= 2.0 for delay in first)
    assert len(set(first)) == 50


def test_garbage_is_recorded_and_the_server_told_to_close(client, fake):
    fake.state.random.seed(5)
    fault = fake.send_garbage("/_inference/*")
    with pytest.raises(GarbageSent) as raised:
        client.put(SEED_PATH, SEED_BODY)
    assert str(raised.value) == "fake-es sent garbage and closed the connection: garbage"
    assert raised.value.data == b"\0" + random.Random(5).randbytes(256)[1:]
    assert isinstance(raised.value, ConnectionResetError)
    [entry] = fake.requests
    assert (entry.status, entry.fault) == (None, "garbage")
    assert fault.matched == 1 and fake.models.list() == []


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"json": {}, "body": ""}, "a scripted answer has json or body, not both"),
        ({"body": "x", "status": 99}, "a scripted answer's status must be 100-599, not 99"),
        (
            {"status": 200},
            "a fault's status must be an error status (4xx/5xx), not 200 "
            "(give json or body for a scripted answer)",
        ),
        ({"body": "x", "status": 204}, "a 204 answer has no body (HTTP allows none): give body=''"),
        (
            {"json": {"a": {1, 2}}},
            "json must be JSON, not {'a': {1, 2}} (Object of type set is not JSON serializable)",
        ),
        (
            {"json": {}, "content_type": "text/html"},
            "content_type goes with body: json is always application/json",
        ),
        (
            {"json": {}, "reason": "x"},
            "error_type and reason go with an Elasticsearch error body, not json or body",
        ),
        ({"body": 5}, "body must be a string or bytes, not 5"),
        ({"headers": {"Retry-After": "1"}}, "headers needs an answer: give a status"),
        ({"product_header": False}, "product_header needs an answer: give a status"),
        ({"product_header": "no", "status": 500}, "product_header must be true or false, not 'no'"),
        (
            {"status": 429, "headers": {"Retry-After": 1}},
            "headers: Retry-After's value must be a one-line string, not 1",
        ),
        (
            {"status": 429, "headers": {"X-A": "1\r\nX-B: 2"}},
            "headers: X-A's value must be a one-line string, not '1\\r\\nX-B: 2'",
        ),
        ({"status": 429, "headers": {"Bad Name": "1"}}, "headers: 'Bad Name' is not a header name"),
        (
            {"status": 429, "headers": ["Retry-After"]},
            "headers must map names to strings, not ['Retry-After']",
        ),
        (
            {"status": 503, "garbage": True},
            "a fault answers a status, drops the connection or sends garbage: one of them, "
            "not status and garbage",
        ),
        (
            {"drop_connection": True, "garbage": True},
            "a fault answers a status, drops the connection or sends garbage: one of them, "
            "not drop_connection and garbage",
        ),
        ({"garbage": 1}, "garbage must be true or false, not 1"),
        ({"delay": 60.5}, "delay must be at most 60 seconds (it holds a serving thread), not 60.5"),
        (
            {"delay": (0.0, 61)},
            "delay must be at most 60 seconds (it holds a serving thread), not 61.0",
        ),
        (
            {"delay": (0.2, 0.1)},
            "delay's low bound must not be above its high bound, not (0.2, 0.1)",
        ),
        ({"delay": (-1, 0.1)}, "delay must not be negative, not -1.0"),
        ({"delay": [0.1]}, "delay must be a number of seconds or [low, high], not [0.1]"),
        ({"delay": [0.1, "1"]}, "delay must be a number of seconds or [low, high], not [0.1, '1']"),
        ({"delay": (0, float("nan"))}, "delay must be a finite number of seconds, not nan"),
    ],
)
def test_new_fault_fields_are_checked_when_set(kwargs, problem):
    with pytest.raises(ValueError) as raised:
        Fault(**kwargs)
    assert str(raised.value) == problem


def test_respond_refuses_both_bodies(fake):
    with pytest.raises(ValueError, match=r"^a scripted answer has json or body, not both$"):
        fake.respond(json={}, body="x")
    assert fake.state.faults.pending() == []


# --- the control API ---


def test_control_api_adds_and_lists_a_scripted_answer(client):
    spec = {
        "path": "/",
        "status": 502,
        "body": "<html>bad gateway</html>",
        "content_type": "text/html",
        "product_header": False,
        "headers": {"Retry-After": "3"},
        "delay": [0, 0.001],
        "times": 2,
    }
    response = post_fault(client, spec)
    expected = {
        "method": None,
        "path": "/",
        "times": 2,
        "status": 502,
        "error_type": None,
        "reason": None,
        "delay": [0.0, 0.001],
        "drop_connection": False,
        "garbage": False,
        "json": None,
        "body": "<html>bad gateway</html>",
        "content_type": "text/html",
        "headers": {"Retry-After": "3"},
        "product_header": False,
        "matched": 0,
    }
    assert (response.status_code, response.get_json()) == (200, {"fault": expected})
    answered = client.request("GET", "/")
    assert (answered.status_code, answered.get_data()) == (502, b"<html>bad gateway</html>")
    assert list(answered.headers.items()) == [
        ("Content-Type", "text/html"),
        ("Content-Length", "24"),
        ("Retry-After", "3"),
    ]
    listed = client.request("GET", "/_fake_es/faults").get_json()
    assert listed == {"faults": [{**expected, "matched": 1}]}


def test_control_api_json_answer_defaults_to_200_and_garbage_is_listed(client):
    assert (
        post_fault(client, {"path": "/x", "json": {"ok": True}}).get_json()["fault"]["status"]
        == 200
    )
    answered = client.request("GET", "/x")
    assert (answered.status_code, answered.get_data()) == (200, b'{"ok":true}')
    assert answered.headers["X-elastic-product"] == "Elasticsearch"
    listed = post_fault(client, {"garbage": True, "times": None}).get_json()["fault"]
    assert (listed["garbage"], listed["times"], listed["status"]) == (True, None, None)
    with pytest.raises(GarbageSent):
        client.request("GET", "/")


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"json": {}, "body": "x"}, "a scripted answer has json or body, not both"),
        ({"status": 200}, "200 is less than the minimum of 400"),
        ({"status": 99, "body": ""}, "99 is less than the minimum of 100"),
        (
            {"delay": [0.5, 0.1]},
            "delay's low bound must not be above its high bound, not [0.5, 0.1]",
        ),
        ({"delay": 61}, "delay must be at most 60 seconds (it holds a serving thread), not 61"),
        (
            {"delay": 10**400},  # past a double: refused, not an OverflowError
            f"delay must be at most 60 seconds (it holds a serving thread), not {10**400}",
        ),
        ({"delay": [0, 10**400]}, "delay must be a finite number of seconds, not inf"),
        ({"delay": "1"}, "delay must be a number of seconds, not '1'"),
        (
            {"status": 429, "headers": {"Retry-After": 2}},
            "headers: Retry-After's value must be a one-line string, not 2",
        ),
        ({"garbage": "yes"}, "garbage must be true or false, not 'yes'"),
        (
            {"json": {}, "headers": {"Content-Length": "100"}},
            "headers: Content-Length frames the answer: the server sets it",
        ),
        (
            {"status": 503, "headers": {"transfer-encoding": "chunked"}},
            "headers: transfer-encoding frames the answer: the server sets it",
        ),
        ({"body": "x", "content_type": 5}, "content_type must be a string, not 5"),
        ({"headers": {"A": "b"}}, "headers needs an answer: give a status"),
    ],
)
def test_control_api_refuses_bad_new_fields_naming_them(client, spec, problem):
    response = post_fault(client, spec)
    assert error_of(response) == (400, "illegal_argument_exception", f"invalid fault: {problem}")
    assert client.state.faults.pending() == []


def test_pending_faults_and_scripted_bodies_are_bounded(client, fake):
    for n in range(MAX_PENDING_FAULTS):
        fake.fail(f"/{n}", status=503)
    with pytest.raises(ValueError) as refused:
        fake.fail("/one-more", status=503)
    assert str(refused.value) == "1000 faults are pending already: clear some, or reset"
    assert error_of(post_fault(client, {"path": "/one-more", "status": 503})) == (
        400,
        "illegal_argument_exception",
        "invalid fault: 1000 faults are pending already: clear some, or reset",
    )
    assert len(client.state.faults.pending()) == MAX_PENDING_FAULTS
    fake.clear_faults()
    too_big = "x" * (MAX_SCRIPTED_BYTES + 1)
    assert error_of(post_fault(client, {"path": "/", "body": too_big})) == (
        400,
        "illegal_argument_exception",
        "invalid fault: a scripted answer's body must be at most 10485760 bytes, not 10485761",
    )
    assert client.state.faults.pending() == []
