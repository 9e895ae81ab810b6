"""Strings in answers are written as Jackson's UTF8JsonGenerator writes them, and a lone
surrogate (which Jackson reads from a ``\\uD800`` escape) is safe everywhere it can go."""

from __future__ import annotations

import pytest
from support import JSON, SEED_BODY, SEED_PATH, error_of

from fake_es.persistence import Collection
from fake_es.rest.xcontent import dump_json

INFER_PATH = SEED_PATH


@pytest.mark.parametrize("pretty", [False, True])
def test_characters_outside_the_bmp_are_escaped_surrogate_pairs(pretty):
    """_outputMultiByteChar writes each UTF-16 surrogate as \\uXXXX, upper-case hex."""
    written = dump_json({"k\U0001f600": "a\U0001f600b"}, pretty=pretty)
    expected = '"k\\uD83D\\uDE00"' + (" : " if pretty else ":") + '"a\\uD83D\\uDE00b"'
    assert expected.encode() in written


def test_control_characters_use_upper_case_generic_escapes_and_short_ones_stay():
    written = dump_json({"k": '\x00\x01\x1f\x7f"\\\b\t\n\f\r/é'})
    assert written == ('{"k":"\\u0000\\u0001\\u001F\x7f\\"\\\\\\b\\t\\n\\f\\r/é"}').encode()


def test_lone_surrogates_are_escaped_not_a_crash():
    assert dump_json({"\udc00": "x\ud800"}) == b'{"\\uDC00":"x\\uD800"}'


def test_plain_text_keeps_the_fast_encoder_and_raw_utf8():
    assert dump_json({"k": "é日本", "n": [1, None, True]}) == (
        '{"k":"é日本","n":[1,null,true]}'.encode()
    )


def test_a_lone_surrogate_key_in_task_settings_is_reported_not_a_crash(client):
    raw = (
        '{"service":"elser","service_settings":{"num_allocations":1,"num_threads":1},'
        '"task_settings":{"\\ud800":"\\udfff"}}'
    )
    response = client.put(SEED_PATH, raw=raw)
    assert error_of(response) == (
        400,
        "status_exception",
        "Model configuration contains settings [{\ud800=\udfff}] unknown to the [elser] service",
    )
    assert b"[{\\uD800=\\uDFFF}]" in response.get_data()


def test_a_lone_surrogate_service_name_is_echoed_escaped(client):
    response = client.put(SEED_PATH, raw='{"service":"\\ud800","service_settings":{}}')
    assert error_of(response) == (400, "status_exception", "Unknown service [\ud800]")
    assert b'"Unknown service [\\uD800]"' in response.get_data()


def test_a_lone_surrogate_unknown_field_in_an_inference_request(client):
    client.put(SEED_PATH, SEED_BODY)
    response = client.request(
        "POST", INFER_PATH, data='{"input":"x","\\ud800":1}', content_type=JSON
    )
    assert error_of(response) == (
        400,
        "x_content_parse_exception",
        "[1:14] [cluster:monitor/xpack/inference] unknown field [\ud800]",
    )


def test_a_lone_surrogate_inference_input_is_answered(client):
    client.put(SEED_PATH, SEED_BODY)
    response = client.request("POST", INFER_PATH, data='{"input":"\\ud800"}', content_type=JSON)
    assert response.status_code == 200
    assert list(response.get_json()["sparse_embedding"]) == ["\ud800"]


def test_the_journal_serves_a_lone_surrogate_body(client):
    client.put(SEED_PATH, raw='{"service":"\\ud800","service_settings":{}}')
    response = client.request("GET", "/_fake_es/journal")
    assert response.status_code == 200
    assert b'"service":"\\uD800"' in response.get_data()
    (entry,) = [e for e in client.state.journal.entries() if e.method == "PUT"]
    assert entry.json == {"service": "\ud800", "service_settings": {}}
    assert entry.describe() == "PUT /_inference/sparse_embedding/my-elser-model -> 400"


def test_a_data_dir_record_keeps_a_lone_surrogate(tmp_path):
    records = Collection(tmp_path)
    records.put("m", {"task_settings": {"\ud800": "x\udfff"}})
    loaded = Collection(tmp_path).load(lambda _key, value: value)
    assert loaded == [("m", {"task_settings": {"\ud800": "x\udfff"}})]
    (path,) = tmp_path.iterdir()
    assert "\\ud800" in path.read_text(encoding="utf-8")
