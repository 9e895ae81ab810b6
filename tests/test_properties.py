"""Generated and hostile input: every answer Elasticsearch-shaped, no crash, no state change.

Bodies are generated from the request schemas in schemas/, then mutated; plus
random JSON, random bytes, invalid UTF-8, huge numbers, deep nesting, duplicate
keys and odd paths. The test client checks every answer
against its response schema and fails on any crash inside the fake.
`pytest --hypothesis-profile=long` runs far more examples.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import FakeClient

from fake_es.schemas import load_schemas, validator_for

PATH = "/_inference/sparse_embedding/prop"
KNOWN_ERRORS = {
    "status_exception",
    "validation_exception",
    "class_cast_exception",
    "x_content_parse_exception",
    "x_content_e_o_f_exception",
    "json_parse_exception",
    "json_e_o_f_exception",
    "not_x_content_exception",
    "parse_exception",
    "resource_already_exists_exception",
    "stream_constraints_exception",
    "illegal_state_exception",
    "action_request_validation_exception",
}


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid for the subset of JSON Schema the request schemas use."""
    if "const" in schema:
        return st.just(schema["const"])
    if schema.get("type") == "integer":
        high = 2**31 - 1 if schema.get("format") == "int32" else None
        return st.integers(min_value=schema.get("minimum"), max_value=high)
    assert schema.get("type") == "object", schema
    properties = schema.get("properties", {})
    required = {name: from_schema(properties[name]) for name in schema.get("required", [])}
    optional = {
        name: from_schema(rule) for name, rule in properties.items() if name not in required
    }
    return st.fixed_dictionaries(required, optional=optional)


def valid_body_schema() -> dict[str, Any]:
    """The PUT body schema with the service's own schema in place, as the `then` applies it."""
    common = copy.deepcopy(load_schemas()["put_inference_request.schema.json"])
    elser = copy.deepcopy(load_schemas()["services/elser.schema.json"])
    common["properties"]["service"] = {"const": "elser"}
    for name in ("task_type", "chunking_settings"):
        del common["properties"][name]  # not read by 8.11
    for name in ("service_settings", "task_settings"):
        common["properties"][name] = elser["properties"][name]
    settings = common["properties"]["service_settings"]
    settings["properties"] = {
        name: rule for name, rule in settings["properties"].items() if "x-es-since" not in rule
    }
    settings["required"] = ["num_allocations", "num_threads"]
    return common


VALID_BODIES = from_schema(valid_body_schema())
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=12,
)


def check_answer(client: FakeClient, response, before: list) -> None:
    """An Elasticsearch-shaped answer; a refused request left the models as they were."""
    assert response.headers["X-elastic-product"] == "Elasticsearch"
    body = response.get_json()
    if response.status_code == 200:
        return
    assert body["status"] == response.status_code
    assert body["error"]["type"] in KNOWN_ERRORS, body
    assert body["error"]["root_cause"]
    assert client.state.endpoints.all() == before


@given(VALID_BODIES)
def test_valid_bodies_are_created_as_sent(body):
    client = FakeClient()
    response = client.put(PATH, body)
    assert response.status_code == 200, response.get_json()
    created = response.get_json()
    assert created["service_settings"] == body["service_settings"]
    assert created["task_settings"] == body.get("task_settings", {})
    assert client.state.endpoints.get("prop").service_settings == created["service_settings"]


def mutations(body: dict[str, Any]):
    """One change to a valid body: a key removed, added, or a value of another type."""
    paths = [(), ("service_settings",)]
    if "task_settings" in body:
        paths.append(("task_settings",))

    def target(path):
        node = body
        for key in path:
            node = node[key]
        return node

    return st.tuples(
        st.sampled_from(paths),
        st.sampled_from(["drop", "add", "retype"]),
        st.text(max_size=8),
        JSON_VALUES,
    ).map(lambda change: _apply(copy.deepcopy(body), target, *change))


def _apply(body, target, path, how, key, value):
    node = body
    for step in path:
        node = node[step]
    keys = sorted(node)
    if how == "drop" and keys:
        node.pop(keys[len(key) % len(keys)])
    elif how == "add":
        node[key] = value
    elif keys:
        node[keys[len(key) % len(keys)]] = value
    return body


@given(VALID_BODIES.flatmap(mutations))
def test_mutated_bodies_get_elasticsearch_errors_and_change_nothing(body):
    client = FakeClient()
    check_answer(client, client.put(PATH, body), [])


@given(JSON_VALUES)
def test_any_json_value_as_a_body(value):
    client = FakeClient()
    check_answer(client, client.put(PATH, value), [])
    check_answer(client, client.request("POST", PATH, json=value), [])


@given(st.binary(min_size=1, max_size=300))
def test_random_bytes_as_a_body(data):
    client = FakeClient()
    check_answer(client, client.put(PATH, raw=data), [])
    check_answer(client, client.put(PATH, raw=b"{" + data), [])


@given(st.binary(min_size=1, max_size=40))
def test_invalid_utf8_inside_strings(data):
    client = FakeClient()
    raw = b'{"service": "' + data + b'", "service_settings": {}}'
    check_answer(client, client.put(PATH, raw=raw), [])


@given(st.integers(min_value=-(10**40), max_value=10**40) | st.floats())
def test_huge_and_odd_numbers(number):
    client = FakeClient()
    text = json.dumps(number)  # NaN and Infinity are not JSON: Jackson refuses them
    raw = '{"service": "elser", "service_settings": {"num_allocations": %s, "num_threads": 1}}'
    check_answer(client, client.put(PATH, raw=raw % text), [])


@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["[", '{"a":']))
def test_deep_nesting(depth, opener):
    client = FakeClient()
    raw = '{"service": "elser", "x": ' + opener * depth + "1"
    check_answer(client, client.put(PATH, raw=raw), [])


@given(st.sampled_from(["service", "service_settings", "task_settings", "num_threads"]))
def test_duplicate_keys_are_refused(key):
    client = FakeClient()
    settings = '{"num_allocations": 1, "num_threads": 1}'
    raw = (
        f'{{"service": "elser", "service_settings": {settings}, "task_settings": {{}}, '
        f'"{key}": 1, "{key}": 2}}'
    )
    response = client.put(PATH, raw=raw)
    check_answer(client, response, [])
    assert response.status_code == 400
    assert f"Duplicate field '{key}'" in response.get_json()["error"]["reason"]


@given(st.text(min_size=1, max_size=30), st.text(max_size=30))
def test_odd_paths_and_percent_encoded_ids(task_type, model_id):
    client = FakeClient()
    encoded = "".join(f"%{byte:02X}" for byte in model_id.encode())
    raw_path = f"/_inference/{task_type}/{model_id}".replace("?", "%3F").replace("#", "%23")
    for path in (raw_path, f"/_inference/sparse_embedding/{encoded}"):
        for method in ("PUT", "GET", "POST", "DELETE"):
            response = client.request(
                method, path, data=b"{}", headers={"Content-Type": "application/json"}
            )
            assert response.headers.get("X-elastic-product") == "Elasticsearch"
            assert response.status_code in (200, 400, 404, 405)
    assert client.state.endpoints.all() == []


@given(VALID_BODIES.flatmap(mutations) | VALID_BODIES)
def test_the_settings_interpreter_and_the_schema_accept_the_same_bodies(body):
    """8.11 accepts exactly what its PUT schema (with ELSER's part) allows."""
    client = FakeClient()
    valid = validator_for("put_inference_request.schema.json").is_valid(body) and (
        body.get("service") == "elser"
    )
    accepted = client.put(PATH, body).status_code == 200
    assert accepted == valid, body


SURROGATE_ESCAPES = st.lists(
    st.sampled_from(["\\ud800", "\\udfff", "\\ud83d\\ude00", "\\udc00\\ud800", "x", "é"]),
    min_size=1,
    max_size=6,
).map("".join)


@given(SURROGATE_ESCAPES, st.sampled_from(["8.11", "9.5"]))
def test_lone_surrogates_anywhere_in_a_body(text, version):
    """Jackson accepts lone surrogate escapes: in names, values, ids, inputs; never a crash."""
    client = FakeClient(version)
    put = (
        '{"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1},'
        f' "task_settings": {{}}, "{text}": "{text}"}}'
    )
    check_answer(client, client.put(PATH, raw=put), [])
    check_answer(client, client.put(PATH, raw=f'{{"service": "{text}"}}'), [])
    assert client.put(PATH, raw=put.replace(f', "{text}": "{text}"', "")).status_code == 200
    before = client.state.endpoints.all()
    for raw in (f'{{"input": "{text}"}}', f'{{"{text}": "x"}}'):
        response = client.request(
            "POST", PATH, data=raw.encode(), headers={"Content-Type": "application/json"}
        )
        check_answer(client, response, before)
    assert client.request("GET", "/_fake_es/journal").status_code == 200


@given(
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400"]),
    st.sampled_from(["8.11", "8.17", "9.5"]),
)
def test_non_finite_numbers_in_a_body(token, version):
    """Jackson refuses NaN and Infinity (no ALLOW_NON_NUMERIC_NUMBERS); 1e400 is a double that
    overflows: Elasticsearch's answer, and a journal any JSON parser reads."""
    import json as json_module

    client = FakeClient(version)
    raw = (
        '{"service": "elser", "service_settings": '
        f'{{"num_allocations": {token}, "num_threads": 1}}}}'
    )
    check_answer(client, client.put(PATH, raw=raw), [])
    journal = client.request("GET", "/_fake_es/journal").get_data()
    json_module.loads(journal, parse_constant=lambda name: pytest.fail(f"{name} in the journal"))
