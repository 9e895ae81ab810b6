"""JSON output as Elasticsearch's XContentBuilder (Jackson) writes it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from fake_es.java_format import JavaFloat, java_double_string, java_float_string

_INDENT = "  "


_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
# What Python's encoder writes unlike Jackson's UTF8JsonGenerator, seen in its output:
# anything stored as UTF-16 surrogates in Java (whole pairs included), and ``\u00XX``,
# its lower-case escape of control characters without a short one (Jackson's hex is upper
# case; a literal backslash-u in a string also matches, which only costs the slower writer).
_UNLIKE_JACKSON_OUTPUT = re.compile(r"[\ud800-\udfff\U00010000-\U0010ffff]|\\u00")
_STRING_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
# Outside strings only numbers have digits; Python writes a float with . or e, or as
# NaN or Infinity.
_FLOAT_OUTSIDE_STRINGS = re.compile(r"\d[.eE]|NaN|Infinity")
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
        return (_write(value, pretty=True) + "\n").encode("utf-8")
    encoded = _c_encoded(value)
    if encoded is not None:
        return encoded
    return _write(value, pretty=False).encode("utf-8")


# Items are written in batches of about this many bytes: one write per item would cost a
# system call each, one write for all would hold the whole answer.
_CHUNK_BYTES = 64 * 1024


def dump_json_chunks(key: str, items: Iterable[bytes], *, pretty: bool = False) -> Iterator[bytes]:
    """``dump_json({key: [...]})``, byte for byte, from its items already written each by
    ``dump_json`` (with the same ``pretty``), yielded a batch of items at a time."""
    # The envelope around an empty list, cut where the items go: ``[]`` or ``[ ]``.
    envelope = dump_json({key: []}, pretty=pretty)
    empty = b"[ ]" if pretty else b"[]"
    cut = envelope.rindex(empty)
    head, tail = envelope[: cut + 1], envelope[cut + len(empty) - 1 :]
    if pretty:
        head, tail, separator = head + b"\n", b"\n  " + tail, b",\n"
    else:
        separator = b","
    pending = [head]
    pending_bytes = 0
    first = True
    for item in items:
        if not first:
            pending.append(separator)
        first = False
        text = item
        if pretty:  # two levels deeper than at the top: inside the object, inside the list
            text = b"\n".join(b"    " + line for line in item.rstrip(b"\n").split(b"\n"))
        pending.append(text)
        pending_bytes += len(text)
        if pending_bytes >= _CHUNK_BYTES:
            yield b"".join(pending)
            pending, pending_bytes = [], 0
    if first:
        yield envelope
        return
    pending.append(tail)
    yield b"".join(pending)


def _c_encoded(value: Any) -> bytes | None:
    """Python's C encoder's output when it is what Jackson writes: no float (Java prints
    doubles its own way) and no character Python escapes or keeps unlike Jackson. Checked
    on the output, in C-speed passes, rather than by walking the value."""
    try:
        text = _ENCODE(value)
    except (RecursionError, TypeError, ValueError):
        return None  # deeper than the C stack allows, or not plain JSON
    if _UNLIKE_JACKSON_OUTPUT.search(text):
        return None
    if _FLOAT_OUTSIDE_STRINGS.search(_STRING_TOKEN.sub("", text)):
        return None
    return text.encode("utf-8")


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


def _write(value: Any, *, pretty: bool) -> str:
    """Compact JSON or ``DefaultPrettyPrinter``'s layout, with an explicit stack: Jackson
    lets JSON nest 1000 deep (StreamReadConstraints), deeper than Python frames go."""
    out: list[str] = []
    # Either text to write as it is, or a value with its depth to render.
    pending: list[str | tuple[Any, int]] = [(value, 0)]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, depth = item
        if isinstance(node, dict):
            members = [
                ((_scalar(str(key)) + (" : " if pretty else ":")), child)
                for key, child in node.items()
            ]
            pending.extend(reversed(_container("{", "}", members, depth, pretty)))
        elif isinstance(node, (list, tuple)):
            items = [("", child) for child in node]
            pending.extend(reversed(_container("[", "]", items, depth, pretty)))
        else:
            out.append(_scalar(node))
    return "".join(out)


def _container(
    opening: str, closing: str, members: list[tuple[str, Any]], depth: int, pretty: bool
) -> list[str | tuple[Any, int]]:
    """The pieces of one object or array: ``{ }`` when empty in the pretty layout."""
    if not pretty:
        parts: list[str | tuple[Any, int]] = [opening]
        for index, (prefix, child) in enumerate(members):
            parts += [("," if index else "") + prefix, (child, depth + 1)]
        return [*parts, closing]
    if not members:
        return [f"{opening} {closing}"]
    inner = _INDENT * (depth + 1)
    parts = [opening + "\n"]
    for index, (prefix, child) in enumerate(members):
        parts += [(",\n" if index else "") + inner + prefix, (child, depth + 1)]
    return [*parts, "\n" + _INDENT * depth + closing]
