"""JSON output as Elasticsearch's XContentBuilder (Jackson) writes it."""

from __future__ import annotations

import json
import re
from typing import Any

from fake_es.java_format import JavaFloat, java_double_string, java_float_string

_INDENT = "  "


_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
# Characters Python's encoder writes unlike Jackson's UTF8JsonGenerator: control
# characters without a short escape (Jackson's hex is upper case), and anything
# stored as UTF-16 surrogates in Java, whole pairs included.
_UNLIKE_JACKSON = re.compile(r"[\x00-\x07\x0b\x0e-\x1f\ud800-\udfff\U00010000-\U0010ffff]")
_JACKSON_ESCAPES = re.compile(r'["\\\x00-\x1f\ud800-\udfff\U00010000-\U0010ffff]')
_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def dump_json(value: Any, *, pretty: bool = False) -> bytes:
    """Compact JSON, or Jackson's ``DefaultPrettyPrinter`` layout with a trailing newline."""
    if pretty:
        return (_pretty(value, 0) + "\n").encode("utf-8")
    if _plain(value):
        # Python's C encoder writes the rest as Jackson does, and faster.
        return _ENCODE(value).encode("utf-8")
    return _compact(value).encode("utf-8")


def _plain(value: Any) -> bool:
    """Whether ``value`` holds no float and no string Python would write unlike Jackson."""
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain(item) for item in value)
    if isinstance(value, str):
        return _UNLIKE_JACKSON.search(value) is None
    return not isinstance(value, float)


def _string(text: str) -> str:
    """``UTF8JsonGenerator._writeStringSegment2``: every char outside the BMP is a surrogate
    pair in Java, and ``_outputMultiByteChar`` writes each surrogate as ``\\uXXXX``; other
    control characters get the generic escape, in upper-case hex (CharTypes)."""
    return '"' + _JACKSON_ESCAPES.sub(lambda match: _escape(match.group()), text) + '"'


def _escape(char: str) -> str:
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    units = char.encode("utf-16-be", "surrogatepass")
    return "".join(
        f"\\u{int.from_bytes(units[i : i + 2], 'big'):04X}" for i in range(0, len(units), 2)
    )


def _scalar(value: Any) -> str:
    if isinstance(value, JavaFloat):
        return java_float_string(value)
    if isinstance(value, float):
        # Jackson writes a double with Double.toString: 1.0E20, not 1e+20.
        return java_double_string(value)
    if isinstance(value, str):
        return _string(value)
    return json.dumps(value)


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
