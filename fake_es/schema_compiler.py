"""A fast yes/no check compiled from a schema, for the hot path of valid requests.

jsonschema explains *why* a body is invalid, but walking a schema through it
costs more than everything else a create request does. Most requests a test
suite sends are valid, so the fake first asks this compiled predicate, built
from the same schema file, and calls jsonschema only for a body it refuses.
The predicate covers the keywords the request schemas use; a schema with any
other keyword is not compiled (``compile_schema`` returns None) and jsonschema
is always asked. Tests check that both always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

# Keywords that only describe; they never change validity.
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$comment", "examples"})
_INT32 = (-(2**31), 2**31 - 1)


class _Unsupported(Exception):
    pass


def _type_check(name: str) -> Check:
    # jsonschema's draft 2020-12 types: a bool is not a number; 1.0 is an integer.
    checks: dict[str, Check] = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "integer": lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, float) and v.is_integer())
        ),
    }
    return checks[name]


def _same(a: Any, b: Any) -> bool:
    # jsonschema's equality: True is not 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _int32(value: Any) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, int) and not isinstance(value, bool):
        return _INT32[0] <= value <= _INT32[1]
    return True


def compile_schema(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> Check | None:
    """The validity predicate of ``schema`` (``$ref`` looked up in ``schemas``), or None."""
    try:
        return _compile(schema, schemas)
    except _Unsupported:
        return None


def _compile(schema: Any, schemas: Mapping[str, Any]) -> Check:
    if schema is True:
        return lambda value: True
    if schema is False:
        return lambda value: False
    checks: list[Check] = []
    for keyword, argument in schema.items():
        if keyword in _ANNOTATIONS or keyword.startswith("x-"):
            continue
        checks.append(_keyword(keyword, argument, schema, schemas))
    return lambda value: all(check(value) for check in checks)


def _keyword(keyword: str, argument: Any, schema: Any, schemas: Mapping[str, Any]) -> Check:
    if keyword == "type":
        names = [argument] if isinstance(argument, str) else list(argument)
        type_checks = [_type_check(name) for name in names]
        return lambda value: any(check(value) for check in type_checks)
    if keyword == "$ref":
        if "#" in argument or argument not in schemas:
            raise _Unsupported(argument)
        return _compile(schemas[argument], schemas)
    if keyword == "enum":
        return lambda value: any(_same(value, option) for option in argument)
    if keyword == "const":
        return lambda value: _same(value, argument)
    if keyword == "format":
        if argument != "int32":
            raise _Unsupported(argument)
        return _int32
    if keyword == "minimum":
        number = _type_check("number")
        return lambda value: not number(value) or value >= argument
    if keyword == "required":
        return lambda value: not isinstance(value, dict) or all(name in value for name in argument)
    if keyword == "properties":
        compiled = {name: _compile(rule, schemas) for name, rule in argument.items()}
        return lambda value: (
            not isinstance(value, dict)
            or all(compiled[name](item) for name, item in value.items() if name in compiled)
        )
    if keyword == "additionalProperties":
        if argument is not False or "patternProperties" in schema:
            raise _Unsupported(keyword)
        known = frozenset(schema.get("properties", ()))
        return lambda value: not isinstance(value, dict) or known.issuperset(value)
    if keyword == "allOf":
        parts = [_compile(part, schemas) for part in argument]
        return lambda value: all(part(value) for part in parts)
    if keyword == "if":
        condition = _compile(argument, schemas)
        then = _compile(schema.get("then", True), schemas)
        otherwise = _compile(schema.get("else", True), schemas)
        return lambda value: then(value) if condition(value) else otherwise(value)
    if keyword in ("then", "else"):
        return lambda value: True  # applied by "if"
    raise _Unsupported(keyword)
