"""JSON output as Elasticsearch's XContentBuilder (Jackson) writes it."""

from __future__ import annotations

import json
from typing import Any

from fake_es.java_format import JavaFloat, java_double_string, java_float_string

_INDENT = "  "


_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def dump_json(value: Any, *, pretty: bool = False) -> bytes:
    """Compact JSON, or Jackson's ``DefaultPrettyPrinter`` layout with a trailing newline."""
    if pretty:
        return (_pretty(value, 0) + "\n").encode("utf-8")
    if _without_floats(value):
        # Python's C encoder writes everything but floats as Jackson does, and faster.
        return _ENCODE(value).encode("utf-8")
    return _compact(value).encode("utf-8")


def _without_floats(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_without_floats(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return all(_without_floats(item) for item in value)
    return not isinstance(value, float)


def _scalar(value: Any) -> str:
    if isinstance(value, JavaFloat):
        return java_float_string(value)
    if isinstance(value, float):
        # Jackson writes a double with Double.toString: 1.0E20, not 1e+20.
        return java_double_string(value)
    return json.dumps(value, ensure_ascii=False)


def _compact(value: Any) -> str:
    if isinstance(value, dict):
        members = (f"{_scalar(str(key))}:{_compact(item)}" for key, item in value.items())
        return "{" + ",".join(members) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_compact(item) for item in value) + "]"
    return _scalar(value)


def _pretty(value: Any, depth: int) -> str:
    inner = _INDENT * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{ }"
        members = (
            f"{inner}{_scalar(str(key))} : {_pretty(item, depth + 1)}"
            for key, item in value.items()
        )
        return "{\n" + ",\n".join(members) + "\n" + _INDENT * depth + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[ ]"
        items = (f"{inner}{_pretty(item, depth + 1)}" for item in value)
        return "[\n" + ",\n".join(items) + "\n" + _INDENT * depth + "]"
    return _scalar(value)
