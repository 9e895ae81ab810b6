"""The JSON schemas in ``schemas/``: where they are, and validators built from them.

The schemas are the contract. They ship inside the wheel (as ``fake_es/schemas``);
in a source checkout they are read from the repository's top-level ``schemas/``.
jsonschema is imported on first use: valid requests rarely need it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import FormatChecker
    from jsonschema.protocols import Validator
    from referencing import Registry

_INT32 = (-(2**31), 2**31 - 1)


def _is_int32(instance: object) -> bool:
    """A java.lang.Integer: JSON Schema takes 1.0 as an integer, Elasticsearch reads a Double."""
    if isinstance(instance, float):
        return False
    if isinstance(instance, int) and not isinstance(instance, bool):
        return _INT32[0] <= instance <= _INT32[1]
    return True  # other types are the "type" keyword's business


def schema_directory() -> Traversable:
    """``fake_es/schemas`` in an installed wheel, else the checkout's ``schemas/``."""
    packaged = resources.files("fake_es") / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"


@cache
def load_schemas() -> dict[str, dict[str, Any]]:
    """Every ``*.schema.json`` (``services/`` included), by its ``$id``."""
    found: dict[str, dict[str, Any]] = {}
    folders = [schema_directory()]
    while folders:
        for entry in folders.pop().iterdir():
            if entry.is_dir():
                folders.append(entry)
            elif entry.name.endswith(".schema.json"):
                schema = json.loads(entry.read_text(encoding="utf-8"))
                found[schema["$id"]] = schema
    return found


@cache
def _format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker()
    checker.checks("int32")(_is_int32)
    return checker


@cache
def _registry() -> Registry[Any]:
    from referencing import Registry, Resource

    resources_by_id = [
        (schema_id, Resource.from_contents(schema)) for schema_id, schema in load_schemas().items()
    ]
    return Registry().with_resources(resources_by_id)


@cache
def validator_for(reference: str) -> Validator:
    """A validator for ``reference``: a schema's ``$id``, or ``$id#/pointer`` into one."""
    from jsonschema import Draft202012Validator

    schema_id = reference.split("#", 1)[0]
    if schema_id not in load_schemas():
        raise KeyError(f"no schema with $id {schema_id!r} in {schema_directory()}")
    validator: Validator = Draft202012Validator(
        {"$ref": reference}, registry=_registry(), format_checker=_format_checker()
    )
    return validator


@cache
def secret_setting_names() -> frozenset[str]:
    """Every setting a service schema marks ``x-es-secret`` (api_key, secret_key, ...)."""
    names: set[str] = set()
    for schema_id, schema in load_schemas().items():
        if not schema_id.startswith("services/"):
            continue
        for scope in schema.get("properties", {}).values():
            for name, rule in scope.get("properties", {}).items():
                if rule.get("x-es-secret"):
                    names.add(name)
    return frozenset(names)
