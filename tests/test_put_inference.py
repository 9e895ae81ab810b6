"""PUT /_inference/{task_type}/{model_id}, through the WSGI app.

Error texts and their order follow x-pack/plugin/inference of Elasticsearch 8.11:
TransportPutInferenceModelAction, ElserMlNodeService.parseConfigStrict,
ElserMlNodeServiceSettings.fromMap, MapParsingUtils, TaskType, ModelRegistry.
"""

from __future__ import annotations

import copy
import json

import pytest
from service_checks import unknown_service
from support import SEED_BODY, SEED_PATH, SEED_RESPONSE, error_of

from fake_es.inference.views import endpoint_view

CCE = "({0} and {1} are in module java.base of loader 'bootstrap')"


def with_changes(**changes):
    body = copy.deepcopy(SEED_BODY)
    for key, value in changes.items():
        if value is ...:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def settings(**changes):
    values = {"num_allocations": 1, "num_threads": 1}
    for key, value in changes.items():
        if value is ...:
            values.pop(key)
        else:
            values[key] = value
    return values


def test_seed_example_gives_the_documented_response_byte_for_byte(client):
    response = client.put(SEED_PATH, SEED_BODY)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == SEED_RESPONSE
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-elastic-product"] == "Elasticsearch"
    stored = client.state.endpoints.get("my-elser-model")
    assert endpoint_view(stored, client.app.profile) == json.loads(SEED_RESPONSE)


def test_task_settings_may_be_left_out(client):
    response = client.put(SEED_PATH, with_changes(task_settings=...))
    assert response.status_code == 200
    assert response.get_json()["task_settings"] == {}


@pytest.mark.parametrize("raw", ["SPARSE_EMBEDDING", " sparse_embedding ", "Sparse_Embedding"])
def test_task_type_is_trimmed_and_case_insensitive_answered_lowercase(client, raw):
    # TaskType.fromStringOrStatusException: valueOf(name.trim().toUpperCase(Locale.ROOT))
    response = client.put(f"/_inference/{raw.replace(' ', '%20')}/m", SEED_BODY)
    assert response.status_code == 200
    assert response.get_json()["task_type"] == "sparse_embedding"


def test_settings_written_in_elasticsearch_key_order(client):
    body = {
        "task_settings": {},
        "service_settings": {"num_threads": 2, "num_allocations": 4},
        "service": "elser",
    }
    response = client.put(SEED_PATH, body)
    assert response.get_data(as_text=True) == (
        '{"model_id":"my-elser-model","task_type":"sparse_embedding","service":"elser",'
        '"service_settings":{"num_allocations":4,"num_threads":2},"task_settings":{}}'
    )


def test_model_id_is_percent_decoded_and_not_validated(client):
    # 8.11 has no model id validation (PutInferenceModelAction.Request.validate returns null).
    response = client.put("/_inference/sparse_embedding/My%20Model+%C3%A9", SEED_BODY)
    assert response.status_code == 200
    assert response.get_json()["model_id"] == "My Model+é"


def test_largest_java_int_is_accepted(client):
    body = with_changes(service_settings=settings(num_allocations=2147483647))
    assert client.put(SEED_PATH, body).status_code == 200


ERRORS = [
    pytest.param(
        "/_inference/bad/m",
        SEED_BODY,
        (400, "status_exception", "Unknown task_type [bad]"),
        id="unknown-task-type-TaskType",
    ),
    pytest.param(
        "/_inference/%20bad%20/m",
        SEED_BODY,
        (400, "status_exception", "Unknown task_type [ bad ]"),
        id="unknown-task-type-raw-untrimmed",
    ),
    pytest.param(
        SEED_PATH,
        {},
        (400, "status_exception", "Model configuration is missing a service"),
        id="empty-object-missing-service",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service=...),
        (400, "status_exception", "Model configuration is missing a service"),
        id="no-service",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service=None),
        (400, "status_exception", "Model configuration is missing a service"),
        id="null-service",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service="foo"),
        (400, "status_exception", "Unknown service [foo]"),
        id="unknown-service",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service=""),
        (400, "status_exception", "Unknown service []"),
        id="empty-service",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service=1),
        (
            500,
            "class_cast_exception",
            "class java.lang.Integer cannot be cast to class "
            "java.lang.String " + CCE.format("java.lang.Integer", "java.lang.String"),
        ),
        id="service-number-unchecked-cast",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service=["elser"]),
        (
            500,
            "class_cast_exception",
            "class java.util.ArrayList cannot be cast to class "
            "java.lang.String " + CCE.format("java.util.ArrayList", "java.lang.String"),
        ),
        id="service-array-unchecked-cast",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=...),
        (400, "status_exception", "Missing required field [service_settings]"),
        id="no-service-settings-MapParsingUtils",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=None),
        (400, "status_exception", "Missing required field [service_settings]"),
        id="null-service-settings",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings="x"),
        (
            500,
            "class_cast_exception",
            "class java.lang.String cannot be cast to class "
            "java.util.Map " + CCE.format("java.lang.String", "java.util.Map"),
        ),
        id="service-settings-string-unchecked-cast",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings={}),
        (
            400,
            "validation_exception",
            "Validation Failed: 1: [service_settings] does not contain the required setting "
            "[num_allocations];2: [service_settings] does not contain the required setting "
            "[num_threads];",
        ),
        id="both-settings-missing-accumulated",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_threads=...)),
        (
            400,
            "validation_exception",
            "Validation Failed: 1: [service_settings] does not contain the required setting "
            "[num_threads];",
        ),
        id="num-threads-missing",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_allocations=None)),
        (
            400,
            "validation_exception",
            "Validation Failed: 1: [service_settings] does not contain the required setting "
            "[num_allocations];",
        ),
        id="null-setting-counts-as-missing",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_allocations=0, num_threads=-2)),
        (
            400,
            "validation_exception",
            "Validation Failed: 1: Invalid value [0]. [num_allocations] must be a positive integer;"
            "2: Invalid value [-2]. [num_threads] must be a positive integer;",
        ),
        id="non-positive-accumulated",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_allocations=..., num_threads=0)),
        (
            400,
            "validation_exception",
            "Validation Failed: 1: [service_settings] does not contain the required setting "
            "[num_allocations];2: Invalid value [0]. [num_threads] must be a positive integer;",
        ),
        id="missing-and-non-positive-accumulated",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_allocations="abc")),
        (
            400,
            "status_exception",
            "field [num_allocations] is not of the expected type. "
            "The value [abc] cannot be converted to a [Integer]",
        ),
        id="string-setting-removeAsType",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_allocations=1.0)),
        (
            400,
            "status_exception",
            "field [num_allocations] is not of the expected type. "
            "The value [1.0] cannot be converted to a [Integer]",
        ),
        id="double-setting-is-not-an-Integer",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_threads=3000000000)),
        (
            400,
            "status_exception",
            "field [num_threads] is not of the expected type. "
            "The value [3000000000] cannot be converted to a [Integer]",
        ),
        id="long-setting-is-not-an-Integer",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_threads=True)),
        (
            400,
            "status_exception",
            "field [num_threads] is not of the expected type. "
            "The value [true] cannot be converted to a [Integer]",
        ),
        id="boolean-setting",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_threads=[1, "a"])),
        (
            400,
            "status_exception",
            "field [num_threads] is not of the expected type. "
            "The value [[1, a]] cannot be converted to a [Integer]",
        ),
        id="array-setting-java-toString",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_allocations=..., num_threads="x")),
        (
            400,
            "status_exception",
            "field [num_threads] is not of the expected type. "
            "The value [x] cannot be converted to a [Integer]",
        ),
        id="type-fault-thrown-before-gathered-faults",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(num_allocations="a", num_threads="b")),
        (
            400,
            "status_exception",
            "field [num_allocations] is not of the expected type. "
            "The value [a] cannot be converted to a [Integer]",
        ),
        id="num-allocations-read-first",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(task_settings=None),
        (400, "status_exception", "Missing required field [task_settings]"),
        id="explicit-null-task-settings",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(task_settings=[]),
        (
            500,
            "class_cast_exception",
            "class java.util.ArrayList cannot be cast to class "
            "java.util.Map " + CCE.format("java.util.ArrayList", "java.util.Map"),
        ),
        id="task-settings-array-unchecked-cast",
    ),
    pytest.param(
        "/_inference/text_embedding/m",
        SEED_BODY,
        (
            400,
            "status_exception",
            "The [elser] service does not support task type [text_embedding]",
        ),
        id="elser-with-text-embedding",
    ),
    pytest.param(
        "/_inference/text_embedding/m",
        with_changes(service_settings={}),
        (
            400,
            "validation_exception",
            "Validation Failed: 1: [service_settings] does not contain the required setting "
            "[num_allocations];2: [service_settings] does not contain the required setting "
            "[num_threads];",
        ),
        id="settings-faults-win-over-task-type",
    ),
    pytest.param(
        "/_inference/text_embedding/m",
        with_changes(foo="bar"),
        (
            400,
            "status_exception",
            "The [elser] service does not support task type [text_embedding]",
        ),
        id="task-type-wins-over-unknown-keys",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(foo="bar"),
        (
            400,
            "status_exception",
            "Model configuration contains settings [{foo=bar}] unknown to the [elser] service",
        ),
        id="unknown-top-level-key",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(service_settings=settings(foo="bar")),
        (
            400,
            "status_exception",
            "Model configuration contains settings [{foo=bar}] unknown to the [elser] service",
        ),
        id="unknown-service-setting",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(task_settings={"foo": {"a": [1, None, 2.5]}}),
        (
            400,
            "status_exception",
            "Model configuration contains settings [{foo={a=[1, null, 2.5]}}] unknown to the "
            "[elser] service",
        ),
        id="unknown-task-setting-nested-java-toString",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(task_settings={"z": 1}, service_settings=settings(y=2), x=3),
        (
            400,
            "status_exception",
            "Model configuration contains settings [{x=3}] unknown to the [elser] service",
        ),
        id="unknown-keys-top-level-first",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(task_settings={"z": 1}, service_settings=settings(y=2)),
        (
            400,
            "status_exception",
            "Model configuration contains settings [{y=2}] unknown to the [elser] service",
        ),
        id="unknown-keys-service-settings-before-task-settings",
    ),
    pytest.param(
        SEED_PATH,
        with_changes(foo="bar", baz=1, a=True),
        (
            400,
            "status_exception",
            "Model configuration contains settings [{a=true, foo=bar, baz=1}] unknown to the "
            "[elser] service",
        ),
        id="unknown-keys-in-java-HashMap-order",
    ),
]


@pytest.mark.parametrize(("path", "body", "expected"), ERRORS)
def test_put_error(client, path, body, expected):
    response = client.put(path, body)
    assert error_of(response) == expected
    assert len(client.state.endpoints) == 0


def test_two_faults_report_the_one_elasticsearch_checks_first(client):
    # Unknown service is found before service_settings is read.
    body = {"service": "nope", "foo": 1}
    assert error_of(client.put(SEED_PATH, body)) == unknown_service("nope")


def test_no_body_is_reported_before_a_bad_task_type(client):
    # RestPut: requiredContent() is an argument evaluated before TaskType parsing.
    response = client.put("/_inference/bad/m", None)
    assert error_of(response) == (400, "parse_exception", "request body is required")


def test_a_taken_id_is_refused_after_the_task_type_check(client):
    assert client.put(SEED_PATH, SEED_BODY).status_code == 200
    again = client.put("/_inference/text_embedding/my-elser-model", SEED_BODY)
    assert error_of(again) == (
        400,
        "status_exception",
        "The [elser] service does not support task type [text_embedding]",
    )
    duplicate = client.put(SEED_PATH, SEED_BODY)
    assert error_of(duplicate) == (
        400,
        "resource_already_exists_exception",
        "Inference model [my-elser-model] already exists",
    )
    assert [m.inference_id for m in client.state.endpoints.all()] == ["my-elser-model"]


def test_already_exists_keeps_the_first_model(client):
    client.put(SEED_PATH, with_changes(service_settings=settings(num_allocations=2)))
    client.put(SEED_PATH, SEED_BODY)
    assert client.state.endpoints.get("my-elser-model").service_settings["num_allocations"] == 2


def test_document_id_over_512_bytes_fails_to_store(client):
    # IndexRequest.validate via the bulk of ModelRegistry.storeModel: two documents, two lines.
    model_id = "x" * 507
    response = client.put(f"/_inference/sparse_embedding/{model_id}", SEED_BODY)
    body = response.get_json()
    line = f"id [model_{model_id}] is too long, must be no longer than 512 bytes but was: 513"
    assert error_of(response) == (
        500,
        "status_exception",
        f"Failed to store inference model [{model_id}]",
    )
    assert body["error"]["caused_by"] == {
        "type": "action_request_validation_exception",
        "reason": f"Validation Failed: 1: {line};2: {line};",
    }
    assert body["error"]["root_cause"] == [
        {"type": "status_exception", "reason": f"Failed to store inference model [{model_id}]"}
    ]
    assert client.put(f"/_inference/sparse_embedding/{'x' * 506}", SEED_BODY).status_code == 200


def test_class_cast_error_is_its_own_root_cause(client):
    body = client.put(SEED_PATH, with_changes(service=True)).get_json()
    assert body["error"]["root_cause"] == [
        {"type": "class_cast_exception", "reason": body["error"]["reason"]}
    ]
