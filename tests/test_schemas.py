"""The schemas in schemas/ are the contract: valid, and saying what Elasticsearch says."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from support import SEED_BODY, SEED_RESPONSE

from fake_es.schemas import load_schemas, validator_for


def errors(schema_id, instance):
    return sorted(error.message for error in validator_for(schema_id).iter_errors(instance))


@pytest.mark.parametrize("schema_id", sorted(load_schemas()))
def test_every_schema_is_valid_json_schema(schema_id):
    Draft202012Validator.check_schema(load_schemas()[schema_id])
    assert load_schemas()[schema_id]["title"]


def test_seed_request_and_response_are_valid():
    assert errors("put_inference_request.schema.json", SEED_BODY) == []
    assert errors("inference_endpoint.schema.json", json.loads(SEED_RESPONSE)) == []


@pytest.mark.parametrize(
    ("value", "valid"),
    [(1, True), (2147483647, True), (2147483648, False), (1.0, False), (0, False)],
)
def test_elser_settings_are_java_ints_of_at_least_one(value, valid):
    body = {"service": "elser", "service_settings": {"num_allocations": value, "num_threads": 1}}
    assert (errors("put_inference_request.schema.json", body) == []) is valid


def test_service_settings_schema_comes_from_the_chosen_service():
    body = {
        "service": "elser",
        "service_settings": {"num_allocations": 1, "num_threads": 1, "model": "x"},
    }
    assert errors("put_inference_request.schema.json", body) == [
        "Additional properties are not allowed ('model' was unexpected)"
    ]


def test_every_service_schema_says_when_the_service_and_its_task_types_arrived():
    from fake_es.inference.services import all_services

    services = {k: v for k, v in load_schemas().items() if k.startswith("services/")}
    # One module and one schema per service, and nothing else.
    assert sorted(services) == sorted(s.schema_id for s in all_services().values())
    for schema in services.values():
        assert schema["x-es-service"]["since"]
        assert schema["x-es-service"]["task_types"]


@pytest.mark.parametrize(
    "body",
    [
        {
            "error": {"root_cause": [{"type": "t", "reason": "r"}], "type": "t", "reason": "r"},
            "status": 400,
        },
        {"error": "no handler found for uri [/x] and method [GET]"},
        {"error": "Content-Type header is missing", "status": 406},
    ],
)
def test_error_envelopes_elasticsearch_sends(body):
    assert errors("error_response.schema.json", body) == []


@pytest.mark.parametrize(
    "body",
    [
        {"error": {"root_cause": [], "type": "t", "reason": "r"}, "status": 400},
        {"error": {"type": "t", "reason": "r"}, "status": 400},
        {
            "error": {"root_cause": [{"type": "t", "reason": "r"}], "type": "t", "reason": "r"},
            "status": 200,
        },
    ],
)
def test_error_envelopes_clients_cannot_read_are_refused(body):
    assert errors("error_response.schema.json", body) != []
