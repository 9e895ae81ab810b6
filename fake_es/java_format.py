"""Render parsed JSON values the way Java's ``toString`` does inside Elasticsearch.

Elasticsearch puts request values into error reasons with Java's string
conversion: a JSON object becomes a ``java.util.HashMap`` (``{a=1, b=x}``, in
hash-bucket order, not insertion order), an array an ``ArrayList``
(``[1, 2]``), a float a ``Double`` (``1.0``, ``1.0E10``). To give the same
reason text, the fake reproduces those rules here.
"""

from __future__ import annotations

import struct
from decimal import Decimal
from typing import Any

_INT_MIN = -(2**31)
_INT_MAX = 2**31 - 1
_LONG_MIN = -(2**63)
_LONG_MAX = 2**63 - 1


def java_class_name(value: Any) -> str:
    """The Java class Elasticsearch's JSON parser produces for a parsed value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        if _INT_MIN <= value <= _INT_MAX:
            return "java.lang.Integer"
        if _LONG_MIN <= value <= _LONG_MAX:
            return "java.lang.Long"
        return "java.math.BigInteger"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, dict):
        return "java.util.HashMap"
    if isinstance(value, list):
        return "java.util.ArrayList"
    raise TypeError(f"not a parsed JSON value: {type(value).__name__}")


def is_java_integer(value: Any) -> bool:
    """True when the parsed value is a ``java.lang.Integer`` (32-bit, not a bool)."""
    return java_class_name(value) == "java.lang.Integer"


def java_string(value: Any) -> str:
    """``String.valueOf(value)`` for a value parsed from JSON by Elasticsearch."""
    original_size = len(value) if isinstance(value, dict) else 0
    return _java_text(value, original_size)


def _java_text(value: Any, original_size: int) -> str:
    """``toString`` of ``value`` (a map that once held ``original_size`` keys, if a map).

    Written with an explicit stack: Jackson lets JSON nest 1000 deep, which Python
    frames would not survive, while Java's ``toString`` recursion does.
    """
    out: list[str] = []
    # Either text to write as it is, or a value (with its map's original size) to render.
    pending: list[str | tuple[Any, int]] = [(value, original_size)]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, size = item
        if isinstance(node, dict):
            parts: list[str | tuple[Any, int]] = ["{"]
            for index, (key, child) in enumerate(_hash_map_order(node, size)):
                parts += [", " if index else "", f"{key}=", _child(child)]
            parts.append("}")
            pending.extend(reversed(parts))
        elif isinstance(node, list):
            parts = ["["]
            for index, child in enumerate(node):
                parts += [", " if index else "", _child(child)]
            parts.append("]")
            pending.extend(reversed(parts))
        else:
            out.append(_java_scalar(node))
    return "".join(out)


def _child(value: Any) -> tuple[Any, int]:
    return value, len(value) if isinstance(value, dict) else 0


def _java_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, JavaFloat):
        return java_float_string(value)
    if isinstance(value, float):
        return java_double_string(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"not a parsed JSON value: {type(value).__name__}")


class JavaFloat(float):
    """A value Elasticsearch holds as a 32-bit ``float`` (and so prints with fewer digits)."""

    def __new__(cls, value: float) -> JavaFloat:
        return super().__new__(cls, struct.unpack("<f", struct.pack("<f", value))[0])


def java_float_string(value: JavaFloat) -> str:
    """``Float.toString``: the shortest digits that give back the same 32-bit float."""
    if value != value or value in (float("inf"), float("-inf"), 0.0):
        return java_double_string(value)
    for precision in range(1, 10):
        candidate = float(f"{value:.{precision - 1}e}")
        if JavaFloat(candidate) == value:
            return java_double_string(candidate)
    return java_double_string(value)


def java_double_string(value: float) -> str:
    """``Double.toString``: shortest digits (JDK 19+), plain between 1e-3 and 1e7, else ``E``."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if str(value).startswith("-") else "0.0"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    digits, exponent = _shortest_digits(magnitude)
    if 1e-3 <= magnitude < 1e7:
        point = exponent + 1
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        if point >= len(digits):
            return f"{sign}{digits}{'0' * (point - len(digits))}.0"
        return f"{sign}{digits[:point]}.{digits[point:]}"
    fraction = digits[1:] or "0"
    return f"{sign}{digits[0]}.{fraction}E{exponent}"


def _shortest_digits(magnitude: float) -> tuple[str, int]:
    """The shortest round-tripping significant digits and the decimal exponent of the first."""
    # repr() gives the shortest round-trip form, as Java's Double.toString does since JDK 19.
    _, digit_tuple, exponent = Decimal(repr(magnitude)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    assert isinstance(exponent, int)
    return digits, len(digits) + exponent - 1


def java_string_hash(text: str) -> int:
    """``String.hashCode()``: over UTF-16 code units, wrapping at 32 bits."""
    # A lone surrogate is a code unit like any other in a Java String.
    encoded = text.encode("utf-16-be", "surrogatepass")
    h = 0
    for i in range(0, len(encoded), 2):
        h = (31 * h + int.from_bytes(encoded[i : i + 2], "big")) & 0xFFFFFFFF
    return h


def java_map_string(mapping: dict[str, Any], *, original_size: int) -> str:
    """``HashMap.toString()`` of a map that once held ``original_size`` keys and now ``mapping``.

    The parser fills a default HashMap (16 buckets, load factor 0.75) key by key,
    so its table has grown to fit every key the JSON object had; removing keys
    later never shrinks it, and the table size decides the iteration order.
    """
    return _java_text(mapping, original_size)


def java_set_string(items: set[str]) -> str:
    """``HashSet.toString()`` of strings: ``[a, b]`` in the backing HashMap's bucket order."""
    return "[" + ", ".join(java_key_order(sorted(items), len(items))) + "]"


def java_key_order(keys: list[str], original_size: int) -> list[str]:
    """The order a HashMap that once held ``original_size`` keys iterates ``keys`` in."""
    return [key for key, _ in _hash_map_order(dict.fromkeys(keys), original_size)]


def _hash_map_order(mapping: dict[str, Any], original_size: int) -> list[tuple[str, Any]]:
    buckets = _table_size(original_size)

    def bucket(key: str) -> int:
        h = java_string_hash(key)
        return (h ^ (h >> 16)) & (buckets - 1)

    # Keys that share a bucket keep insertion order (a resize splits buckets stably).
    return sorted(mapping.items(), key=lambda item: bucket(item[0]))


def _table_size(entries: int) -> int:
    size = 16
    while entries > size * 3 // 4:
        size *= 2
    return size
