"""Hostile but valid input never makes the fake answer a 500 of its own.

Jackson lets JSON nest 1000 deep (StreamReadConstraints.DEFAULT_MAX_DEPTH), which is
deeper than Python's default recursion limit; non-finite numbers and wrong types
in the control API are refused or written so that any JSON parser reads them.
"""

from __future__ import annotations

import json
import math

import pytest
from support import SEED_BODY, SEED_PATH, FakeClient, error_of

from fake_es.control.faults import Fault
from fake_es.handle import FakeEs

ELSER = '{"service":"elser","service_settings":{"num_allocations":1,"num_threads":1}'


def nested_arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_objects(depth: int, leaf: str = "1") -> str:
    return '{"a":' * depth + leaf + "}" * depth


@pytest.mark.parametrize(
    ("body", "expected_type"),
    [
        # an unknown key, a deep task_settings and a deep setting value, each 999 deep
        # (the root object is depth 1, so the deepest container is at depth 1000)
        (ELSER + ',"foo":' + nested_arrays(999) + "}", "status_exception"),
        (ELSER + ',"task_settings":' + nested_objects(998) + "}", "status_exception"),
        (
            '{"service":"elser","service_settings":{"num_allocations":'
            + nested_arrays(998)
            + ',"num_threads":1}}',
            "status_exception",
        ),
    ],
    ids=["unknown-key", "task-settings", "setting-value"],
)
def test_put_nested_to_the_limit_gets_the_usual_400(client, body, expected_type):
    response = client.put("/_inference/sparse_embedding/deep", raw=body)
    status, error_type, _reason = error_of(response)
    assert (status, error_type) == (400, expected_type)


def test_put_one_level_past_the_limit_gets_jacksons_depth_error(client):
    response = client.put(
        "/_inference/sparse_embedding/deep", raw=ELSER + ',"foo":' + nested_arrays(1000) + "}"
    )
    assert error_of(response) == (
        500,
        "stream_constraints_exception",
        "Depth (1001) exceeds the maximum allowed nesting depth (1000)",
    )


def test_unknown_key_nested_999_deep_is_named_in_java_map_text(client):
    response = client.put(
        "/_inference/sparse_embedding/deep", raw=ELSER + ',"foo":' + nested_arrays(999) + "}"
    )
    assert error_of(response) == (
        400,
        "status_exception",
        "Model configuration contains settings [{foo="
        + nested_arrays(999).replace("][", "], [")
        + "}] unknown to the [elser] service",
    )


def test_journal_and_filter_path_read_a_body_nested_to_the_limit(client):
    assert client.put(SEED_PATH, SEED_BODY).status_code == 200
    body = '{"input":"x","task_settings":' + nested_objects(998) + "}"
    response = client.request(
        "POST", SEED_PATH, data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200
    journal = client.request("GET", "/_fake_es/journal")
    assert journal.status_code == 200
    assert '"body":{"input":"x","task_settings":' + nested_objects(998) + "}" in (
        journal.get_data(as_text=True)
    )
    pretty = client.request("GET", "/_fake_es/journal?pretty")
    assert pretty.status_code == 200
    assert ("\n" + "  " * 1002 + '"a" : 1\n') in pretty.get_data(as_text=True)
    filtered = client.request("GET", "/_fake_es/journal?filter_path=**.**.**.**.**.**.zz")
    assert (filtered.status_code, filtered.get_data()) == (200, b"{}")
    kept = client.request("GET", "/_fake_es/journal?filter_path=requests.**.a.a.a.a.a.a")
    assert kept.status_code == 200


def _refuse(name: str) -> None:
    raise AssertionError(f"non-standard JSON constant {name}")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ('{"input": NaN}', '{"input": NaN}'),
        ('{"input":"x","task_settings":{"a":1e400}}', '{"input":"x","task_settings":{"a":1e400}}'),
        ('{"input":"x","task_settings":{"a":-Infinity}}', None),
    ],
)
def test_journal_shows_non_finite_numbers_as_text_any_parser_reads(client, raw, shown):
    assert client.put(SEED_PATH, SEED_BODY).status_code == 200
    client.request("POST", SEED_PATH, data=raw, headers={"Content-Type": "application/json"})
    journal = client.request("GET", "/_fake_es/journal")
    assert journal.status_code == 200
    entries = json.loads(journal.get_data(), parse_constant=_refuse)["requests"]
    assert entries[1]["body"] == (raw if shown is None else shown)


def test_plugin_handle_copes_with_configs_and_bodies_nested_to_the_limit():
    client = FakeClient()
    fake = FakeEs(client.app, "http://unused")
    deep: dict[str, object] = {"a": 1}
    for _ in range(997):
        deep = {"a": deep}
    config = {**SEED_BODY, "task_settings": deep}
    with pytest.raises(Exception) as raised:
        fake.models.create("sparse_embedding", "deep", config)
    assert type(raised.value).__name__ == "EsError"
    client.request(
        "POST",
        SEED_PATH,
        data='{"input":"x","deep":' + nested_objects(998) + "}",
        headers={"Content-Type": "application/json"},
    )
    assert fake.requests_matching("POST", json={"input": "x", "deep": deep}) != []


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"status": 503.0, "path": "/x1"}, "status must be a whole number (an integer), not 503.0"),
        ({"times": 2.0}, "times must be a whole number (an integer), not 2.0"),
        ({"times": 1e20}, "times must be a whole number (an integer), not 1e+20"),
    ],
)
def test_fault_with_a_float_where_an_integer_belongs_is_refused_when_set(client, spec, problem):
    response = client.request(
        "POST",
        "/_fake_es/faults",
        data=json.dumps(spec),
        headers={"Content-Type": "application/json"},
    )
    assert error_of(response) == (400, "illegal_argument_exception", f"invalid fault: {problem}")
    assert client.state.faults.pending() == []
    assert client.request("POST", "/x1").status_code == 400  # no handler found, not a 500


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"status": True}, "status must be a whole number (an integer), not True"),
        ({"delay": math.inf}, "delay must be a finite number of seconds, not inf"),
        ({"delay": "1"}, "delay must be a number of seconds, not '1'"),
        ({"reason": 5}, "reason must be a string, not 5"),
        ({"drop_connection": 1}, "drop_connection must be true or false, not 1"),
    ],
)
def test_fault_types_are_checked_from_python_too(kwargs, problem):
    with pytest.raises(ValueError) as raised:
        Fault(**kwargs)
    assert str(raised.value) == problem
