"""GET, DELETE and POST /_inference/{task_type}/{model_id} as Elasticsearch 8.11 answers them.

Sources: RestGetInferenceModelAction / TransportGetInferenceModelAction (a bare
object, task type not compared), TransportDeleteInferenceModelAction (a delete by
query, always acknowledged, deployment left running), InferenceAction.Request.PARSER
(an ObjectParser named cluster:monitor/xpack/inference, single-string input) and
TransportInferenceAction.
"""

from __future__ import annotations

import json

import pytest
from support import SEED_BODY, SEED_PATH, SEED_RESPONSE, error_of

INFER_PARSER = "[cluster:monitor/xpack/inference]"


@pytest.fixture
def seeded(client):
    assert client.put(SEED_PATH, SEED_BODY).status_code == 200
    return client


def post(client, path, body=None, *, raw=None):
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    headers = {"Content-Type": "application/json"} if data is not None else {}
    return client.request("POST", path, data=data, headers=headers)


def test_get_answers_the_bare_model_object(seeded):
    response = seeded.request("GET", SEED_PATH)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == SEED_RESPONSE


def test_get_does_not_compare_the_task_type(seeded):
    response = seeded.request("GET", "/_inference/text_embedding/my-elser-model")
    assert response.get_json()["task_type"] == "sparse_embedding"


@pytest.mark.parametrize("model_id", ["missing", "_all", "*"])
def test_get_missing_model_is_404(client, model_id):
    response = client.request("GET", f"/_inference/sparse_embedding/{model_id}")
    assert error_of(response) == (
        404,
        "resource_not_found_exception",
        f"Model not found [{model_id}]",
    )


def test_get_unknown_task_type(client):
    response = client.request("GET", "/_inference/bad/m")
    assert error_of(response) == (400, "status_exception", "Unknown task_type [bad]")


def test_get_with_a_body_is_refused(seeded):
    response = seeded.request(
        "GET", SEED_PATH, data="{}", headers={"Content-Type": "application/json"}
    )
    assert error_of(response) == (
        400,
        "illegal_argument_exception",
        f"request [GET {SEED_PATH}] does not support having a body",
    )


def test_delete_acknowledges_and_removes(seeded):
    response = seeded.request("DELETE", SEED_PATH)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == '{"acknowledged":true}'
    assert seeded.request("GET", SEED_PATH).status_code == 404


def test_delete_of_a_missing_model_is_acknowledged_in_8_11(client):
    response = client.request("DELETE", "/_inference/sparse_embedding/never-there")
    assert response.get_json() == {"acknowledged": True}


def test_delete_unknown_task_type(client):
    response = client.request("DELETE", "/_inference/bad/m")
    assert error_of(response) == (400, "status_exception", "Unknown task_type [bad]")


def test_recreating_a_deleted_model_fails_to_start_its_deployment(seeded):
    # 8.11's delete leaves the ELSER deployment running; the create stores the model, then
    # TransportStartTrainedModelDeploymentAction refuses a second deployment of that id.
    seeded.request("DELETE", SEED_PATH)
    response = seeded.put(SEED_PATH, SEED_BODY)
    assert error_of(response) == (
        400,
        "status_exception",
        "Could not start model deployment because an existing deployment with the same id "
        "[my-elser-model] exist",
    )
    assert seeded.request("GET", SEED_PATH).status_code == 200


def test_infer_answers_weighted_word_pieces(seeded):
    response = post(seeded, SEED_PATH, {"input": "The sky above the port"})
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["sparse_embedding"]
    tokens = body["sparse_embedding"]
    assert set(tokens) == {"the", "sky", "above", "port"}
    weights = list(tokens.values())
    assert all(weight > 0 for weight in weights)
    assert weights == sorted(weights, reverse=True)


def test_infer_is_deterministic_and_text_dependent(seeded):
    first = post(seeded, SEED_PATH, {"input": "hello world"}).get_data()
    again = post(seeded, SEED_PATH, {"input": "hello world"}).get_data()
    other = post(seeded, SEED_PATH, {"input": "hello there"}).get_data()
    assert first == again
    assert first != other


def test_infer_ignores_elser_task_settings(seeded):
    response = post(seeded, SEED_PATH, {"input": "x", "task_settings": {"anything": [1]}})
    assert response.status_code == 200


def test_infer_missing_model_is_404(client):
    response = post(client, "/_inference/sparse_embedding/nope", {"input": "x"})
    assert error_of(response) == (404, "resource_not_found_exception", "Model not found [nope]")


def test_infer_with_another_task_type_is_incompatible(seeded):
    response = post(seeded, "/_inference/text_embedding/my-elser-model", {"input": "x"})
    assert error_of(response) == (
        400,
        "status_exception",
        "Incompatible task_type, the requested type [text_embedding] does not match the model "
        "type [sparse_embedding]",
    )


INFER_ERRORS = [
    pytest.param(
        {},
        (400, "action_request_validation_exception", "Validation Failed: 1: missing input;"),
        id="missing-input-validate",
    ),
    pytest.param(
        {"foo": 1},
        (400, "x_content_parse_exception", f"[1:2] {INFER_PARSER} unknown field [foo]"),
        id="unknown-field",
    ),
    pytest.param(
        {"inputs": "x"},
        (
            400,
            "x_content_parse_exception",
            f"[1:2] {INFER_PARSER} unknown field [inputs] did you mean [input]?",
        ),
        id="unknown-field-did-you-mean",
    ),
    pytest.param(
        {"input": 123},
        (
            400,
            "x_content_parse_exception",
            f"[1:11] {INFER_PARSER} input doesn't support values of type: VALUE_NUMBER",
        ),
        id="number-input",
    ),
    pytest.param(
        {"input": ["a", "b"]},
        (
            400,
            "x_content_parse_exception",
            f"[1:11] {INFER_PARSER} input doesn't support values of type: START_ARRAY",
        ),
        id="array-input-is-8-12",
    ),
    pytest.param(
        {"input": None},
        (
            400,
            "x_content_parse_exception",
            f"[1:11] {INFER_PARSER} input doesn't support values of type: VALUE_NULL",
        ),
        id="null-input",
    ),
    pytest.param(
        {"input": True},
        (
            400,
            "x_content_parse_exception",
            f"[1:11] {INFER_PARSER} input doesn't support values of type: VALUE_BOOLEAN",
        ),
        id="boolean-input",
    ),
    pytest.param(
        {"input": "x", "task_settings": "y"},
        (
            400,
            "x_content_parse_exception",
            f"[1:33] {INFER_PARSER} task_settings doesn't support values of type: VALUE_STRING",
        ),
        id="string-task-settings",
    ),
    pytest.param(
        {"foo": 1, "input": 2},
        (400, "x_content_parse_exception", f"[1:2] {INFER_PARSER} unknown field [foo]"),
        id="fields-read-in-body-order",
    ),
]


@pytest.mark.parametrize(("body", "expected"), INFER_ERRORS)
def test_infer_body_errors(seeded, body, expected):
    # json.dumps writes ", " and ": ", so values start one column later than in compact JSON.
    assert error_of(post(seeded, SEED_PATH, body)) == expected


def test_infer_compact_body_locations(seeded):
    response = post(seeded, SEED_PATH, raw='{"input":123}')
    assert error_of(response)[2] == (
        f"[1:10] {INFER_PARSER} input doesn't support values of type: VALUE_NUMBER"
    )


def test_infer_body_must_be_an_object(seeded):
    response = post(seeded, SEED_PATH, raw="[]")
    assert error_of(response) == (
        400,
        "x_content_parse_exception",
        f"[1:1] {INFER_PARSER} Expected START_OBJECT but was: START_ARRAY",
    )


def test_infer_truncated_body_fails_to_parse_the_object(seeded):
    response = post(seeded, SEED_PATH, raw='{"input":"x"')
    status, error_type, reason = error_of(response)
    assert (status, error_type) == (400, "x_content_parse_exception")
    assert reason.endswith(f"{INFER_PARSER} failed to parse object")
    body = response.get_json()["error"]
    assert body["caused_by"]["type"] == "x_content_e_o_f_exception"
    assert body["root_cause"][0]["type"] == "x_content_parse_exception"


def test_infer_malformed_json_is_jacksons_error(seeded):
    response = post(seeded, SEED_PATH, raw='{"input": }')
    assert error_of(response)[:2] == (400, "x_content_parse_exception")
    assert "Unexpected character ('}' (code 125)): expected a value" in error_of(response)[2]


def test_infer_without_a_body(seeded):
    assert error_of(post(seeded, SEED_PATH)) == (400, "parse_exception", "request body is required")


def test_infer_body_is_read_before_the_task_type(seeded):
    response = post(seeded, "/_inference/bad/m", {"foo": 1})
    assert error_of(response)[2] == f"[1:2] {INFER_PARSER} unknown field [foo]"


def test_infer_task_type_is_checked_before_validate(seeded):
    response = post(seeded, "/_inference/bad/m", {})
    assert error_of(response) == (400, "status_exception", "Unknown task_type [bad]")


def test_infer_has_no_timeout_parameter_in_8_11(seeded):
    response = post(seeded, SEED_PATH + "?timeout=10s", {"input": "x"})
    assert error_of(response) == (
        400,
        "illegal_argument_exception",
        f"request [{SEED_PATH}] contains unrecognized parameter: [timeout]",
    )
