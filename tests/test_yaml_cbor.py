"""YAML and CBOR: bodies read with their own parsers, answers written as Jackson writes them."""

from __future__ import annotations

import json
import urllib.request

import cbor2
import pytest
from support import SEED_PATH, FakeClient

from fake_es.java_format import JavaFloat
from fake_es.rest.cbor_xcontent import dump_cbor
from fake_es.rest.yaml_xcontent import dump_yaml, parse_yaml_object

YAML = "application/yaml"
CBOR = "application/cbor"
SEED_YAML = (
    b"---\nservice: elser\nservice_settings:\n  num_allocations: 1\n  num_threads: 1\n"
    b"task_settings: {}\n"
)
SEED_ANSWER_YAML = (
    b'---\nmodel_id: "my-elser-model"\ntask_type: "sparse_embedding"\nservice: "elser"\n'
    b"service_settings:\n  num_allocations: 1\n  num_threads: 1\ntask_settings: {}\n"
)
SEED_CONFIG = {
    "service": "elser",
    "service_settings": {"num_allocations": 1, "num_threads": 1},
    "task_settings": {},
}


@pytest.fixture
def client():
    return FakeClient()


def test_a_yaml_body_creates_the_endpoint_and_gets_a_yaml_answer(client):
    response = client.put(SEED_PATH, raw=SEED_YAML, content_type=YAML)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == YAML
    assert response.data == SEED_ANSWER_YAML


@pytest.mark.parametrize(
    "query", ["?format=yaml", "?format=yaml&pretty", "?format=YAML&pretty=true"]
)
def test_format_yaml_answers_in_yaml_and_pretty_changes_nothing(client, query):
    client.put(SEED_PATH, SEED_CONFIG)
    response = client.request("GET", SEED_PATH + query)
    assert (response.status_code, response.headers["Content-Type"]) == (200, YAML)
    assert response.data == SEED_ANSWER_YAML


def test_format_wins_over_accept_and_accept_over_the_body_type(client):
    client.put(SEED_PATH, SEED_CONFIG)
    by_format = client.request("GET", SEED_PATH + "?format=json", headers={"Accept": YAML})
    assert by_format.headers["Content-Type"] == "application/json"
    assert by_format.get_json()["service"] == "elser"
    body = cbor2.dumps(SEED_CONFIG)
    by_accept = client.put(SEED_PATH + "x", raw=body, content_type=CBOR, headers={"Accept": YAML})
    assert by_accept.headers["Content-Type"] == YAML
    assert by_accept.data.startswith(b'---\nmodel_id: "my-elser-modelx"\n')


def test_the_vendor_yaml_type_is_echoed_with_its_version(client):
    vendor = "application/vnd.elasticsearch+yaml; compatible-with=8"
    response = client.request("GET", "/_inference/nope", headers={"Accept": vendor})
    assert (
        response.headers["Content-Type"] == "application/vnd.elasticsearch+yaml;compatible-with=8"
    )
    assert response.data == (
        b'---\nerror: "no handler found for uri [/_inference/nope] and method [GET]"\n'
    )


def test_a_cbor_body_without_accept_gets_a_cbor_answer(client):
    response = client.put(SEED_PATH, raw=cbor2.dumps(SEED_CONFIG), content_type=CBOR)
    assert (response.status_code, response.headers["Content-Type"]) == (200, CBOR)
    assert response.data == dump_cbor(
        {
            "model_id": "my-elser-model",
            "task_type": "sparse_embedding",
            "service": "elser",
            "service_settings": {"num_allocations": 1, "num_threads": 1},
            "task_settings": {},
        }
    )
    assert response.data.startswith(b"\xbfhmodel_idnmy-elser-model")
    assert response.data.endswith(b"mtask_settings\xbf\xff\xff")


def test_yaml_and_cbor_bodies_are_read_by_the_inference_request_parser():
    client = FakeClient(version="9.5")
    client.put("/_inference/sparse_embedding/e", SEED_CONFIG)
    yaml_answer = client.request(
        "POST",
        "/_inference/sparse_embedding/e",
        data=b"---\ninput:\n- hello world\n",
        headers={"Content-Type": YAML, "Accept": "application/json"},
    )
    json_answer = client.request(
        "POST", "/_inference/sparse_embedding/e", json={"input": ["hello world"]}
    )
    cbor_answer = client.request(
        "POST",
        "/_inference/sparse_embedding/e",
        data=cbor2.dumps({"input": ["hello world"]}),
        headers={"Content-Type": CBOR, "Accept": "application/json"},
    )
    assert yaml_answer.status_code == cbor_answer.status_code == 200
    assert yaml_answer.data == json_answer.data == cbor_answer.data


def test_an_unknown_field_is_located_by_yaml_line_and_column():
    client = FakeClient(version="9.5")
    response = client.request(
        "POST",
        "/_inference/sparse_embedding/e",
        data=b"---\ninput: hello\nfoo: 1\n",
        headers={"Content-Type": YAML},
    )
    assert (response.status_code, response.headers["Content-Type"]) == (400, YAML)
    assert response.data == (
        b"---\nerror:\n  root_cause:\n"
        b'  - type: "x_content_parse_exception"\n'
        b'    reason: "[3:1] [cluster:internal/xpack/inference] unknown field [foo]"\n'
        b'  type: "x_content_parse_exception"\n'
        b'  reason: "[3:1] [cluster:internal/xpack/inference] unknown field [foo]"\n'
        b"status: 400\n"
    )


def test_cbor_has_no_lines_so_locations_are_minus_one():
    client = FakeClient(version="9.5")
    response = client.request(
        "POST",
        "/_inference/sparse_embedding/e",
        data=cbor2.dumps({"inputs": "x"}),
        headers={"Content-Type": CBOR},
    )
    assert response.status_code == 400
    assert cbor2.loads(response.data)["error"]["reason"] == (
        "[-1:-1] [cluster:internal/xpack/inference] unknown field [inputs] did you mean [input]?"
    )


def test_malformed_yaml_is_a_parse_exception_with_snakeyaml_text(client):
    response = client.put(SEED_PATH, raw=b"---\nservice: elser\n  bad: [\n", content_type=YAML)
    message = (
        "mapping values are not allowed here\n in 'reader', line 3, column 6:\n"
        "      bad: [\n         ^\n\n"
        ' at [Source: (byte[])"---\nservice: elser\n  bad: [\n"; line: 3, column: 6]'
    )
    assert response.status_code == 400
    error = parse_yaml_object(response.data)["error"]
    assert (error["type"], error["reason"]) == ("x_content_parse_exception", "[3:6] " + message)
    assert error["caused_by"] == {"type": "marked_y_a_m_l_exception", "reason": message}


def test_a_repeated_yaml_name_is_refused(client):
    response = client.put(SEED_PATH, raw=b"---\nservice: a\nservice: b\n", content_type=YAML)
    error = parse_yaml_object(response.data)["error"]
    assert (response.status_code, error["type"], error["caused_by"]["type"]) == (
        400,
        "x_content_parse_exception",
        "json_parse_exception",
    )
    assert error["reason"] == (
        "[3:8] Duplicate field 'service'\n"
        ' at [Source: (byte[])"---\nservice: a\nservice: b\n"; line: 3, column: 8]'
    )


def test_a_yaml_body_without_document_start_fails_content_detection(client):
    # CompressorFactory.compressor detects the content before the YAML parser reads it.
    response = client.put(SEED_PATH, raw=b"service: elser\n", content_type=YAML)
    assert response.status_code == 500
    error = parse_yaml_object(response.data)["error"]
    assert (error["type"], error["reason"]) == (
        "not_x_content_exception",
        "Compressor detection can only be called on some xcontent bytes or compressed xcontent"
        " bytes",
    )


def test_truncated_cbor_is_an_end_of_input_error(client):
    response = client.put(SEED_PATH, raw=b"\xa1\x67service", content_type=CBOR)
    assert response.status_code == 500
    error = cbor2.loads(response.data)["error"]
    assert error["type"] == "x_content_e_o_f_exception"
    assert error["caused_by"]["type"] == "json_e_o_f_exception"


def test_smile_bodies_stay_refused_by_the_fake(client):
    response = client.put(SEED_PATH, raw=b":)\n\x05", content_type="application/smile")
    assert response.status_code == 406
    assert response.get_json()["error"] == (
        "Content-Type header [application/smile] is not supported by fake-es "
        "(JSON, YAML and CBOR only)"
    )


def test_yaml_scalars_are_typed_as_jackson_types_them():
    body = (
        b"---\na: yes\nb: 'yes'\nc: ~\nd: 0x1F\ne: 1_000\nf: 1.5\ng: .5\nh: 0755\ni: 1:30\n"
        b"j:\nk: !!str 12\nl: 2001-01-01\nm: y\nn: &x a\no: *x\np: ''\nq: -0b11\n"
    )
    assert parse_yaml_object(body) == {
        "a": True,
        "b": "yes",
        "c": None,
        "d": 31,
        "e": 1000,
        "f": 1.5,
        "g": 0.5,
        "h": 493,
        "i": "1:30",
        "j": None,
        "k": "12",
        "l": "2001-01-01",
        "m": "y",
        "n": "a",
        "o": "x",
        "p": "",
        "q": -3,
    }


def test_yaml_output_quotes_and_escapes_as_jackson_and_snakeyaml():
    value = {
        "s": "\u00e9\x01\x1f\ufeff\U0001f600\ud800\x85\u2028",
        "true": 1,
        "1a": 2,
        "a: b": 3,
        "": 5,
        "e": {},
        "l": [],
        "f": 1e20,
        "g": JavaFloat(0.1),
        "n": None,
        "b": [True, {"x": [1, 2]}],
    }
    assert (
        dump_yaml(value)
        == (
            '---\ns: "\u00e9\\x01\\x1f\ufeff\U0001f600\\ud800\\N\\L"\n"true": 1\n"1a": 2\n'
            '\'a: b\': 3\n? ""\n: 5\ne: {}\nl: []\nf: 1.0E20\ng: 0.1\n"n": null\n'
            "b:\n- true\n- x:\n  - 1\n  - 2\n"
        ).encode()
    )


def test_long_yaml_strings_are_folded_at_80_columns():
    text = " ".join(["word"] * 20)
    assert dump_yaml({"k": text}) == (
        b'---\nk: "word word word word word word word word word word word word word word word'
        b' word\\\n  \\ word word word word"\n'
    )


def test_cbor_output_follows_jacksons_generator():
    assert dump_cbor({"a": [1, -1, 1.5, JavaFloat(0.5), True, None, "", 70000]}) == bytes.fromhex(
        "bf61619f0120fb3ff8000000000000fa3f000000f5f6601a00011170ffff"
    )
    assert dump_cbor("x" * 23) == b"\x77" + b"x" * 23
    assert dump_cbor("\u00e9" * 20) == b"\x78\x28" + "\u00e9".encode() * 20
    assert dump_cbor("x" * 256) == b"\x79\x01\x00" + b"x" * 256
    assert dump_cbor("x" * 4000) == (b"\x7f\x79\x0f\x9c" + b"x" * 3996 + b"\x64xxxx" + b"\xff")


def test_the_journal_keeps_yaml_and_cbor_bodies_without_failing(client):
    client.put(SEED_PATH, raw=SEED_YAML, content_type=YAML)
    client.put(SEED_PATH + "2", raw=cbor2.dumps(SEED_CONFIG), content_type=CBOR)
    entries = [entry.to_json() for entry in client.state.journal.entries()]
    assert entries[0]["body"] == SEED_YAML.decode()
    assert entries[0]["response"].startswith('---\nmodel_id: "my-elser-model"\n')
    assert entries[1]["body"] == cbor2.dumps(SEED_CONFIG).decode("utf-8", errors="replace")
    response = client.request("GET", "/_fake_es/journal")
    assert response.status_code == 200
    assert len(response.get_json()["requests"]) == 2


@pytest.mark.fake_es(version="8.11")
def test_yaml_over_http(fake_es):
    request = urllib.request.Request(
        fake_es.url + SEED_PATH + "?format=yaml",
        data=json.dumps(SEED_CONFIG).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"] == YAML
        assert response.read() == SEED_ANSWER_YAML
