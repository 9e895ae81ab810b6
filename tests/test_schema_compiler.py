"""The compiled validity check: which schemas it takes, and agreement on edge cases."""

from __future__ import annotations

import pytest

from fake_es.schema_compiler import compile_schema
from fake_es.schemas import load_schemas, validator_for


def test_request_schemas_compile():
    schemas = load_schemas()
    assert compile_schema(schemas["put_inference_request.schema.json"], schemas) is not None


def test_unknown_keywords_are_left_to_jsonschema():
    assert compile_schema({"type": "string", "pattern": "^a"}, {}) is None
    assert compile_schema({"$ref": "#/$defs/x"}, {}) is None


@pytest.mark.parametrize(
    "body",
    [
        {"service": "elser", "service_settings": {"num_allocations": 1.0, "num_threads": 1}},
        {"service": "elser", "service_settings": {"num_allocations": True, "num_threads": 1}},
        {"service": "elser", "service_settings": {"num_allocations": 2**31, "num_threads": 1}},
        {"service": "elser", "service_settings": {"num_allocations": 0, "num_threads": 1}},
        {"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1}},
        {
            "service": "elser",
            "service_settings": {"num_allocations": 1, "num_threads": 1},
            "task_settings": {"x": 1},
        },
        {"service": "other", "service_settings": {}},
        {"service": True, "service_settings": {}},
        [],
        None,
    ],
)
def test_agrees_with_jsonschema(body):
    schemas = load_schemas()
    compiled = compile_schema(schemas["put_inference_request.schema.json"], schemas)
    expected = validator_for("put_inference_request.schema.json").is_valid(body)
    assert compiled(body) is expected
