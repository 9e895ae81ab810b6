"""Decoding of URI paths and query strings as ``RestUtils`` does it."""

from __future__ import annotations

_HEX = "0123456789abcdefABCDEF"


def decode_component(text: str, *, plus_as_space: bool) -> str:
    """``RestUtils.decodeComponent``: percent-decoding to UTF-8, strict about bad escapes.

    Raises ``ValueError`` with Elasticsearch's message for a malformed escape.
    """
    if "%" not in text and not (plus_as_space and "+" in text):
        return text
    out = bytearray()
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char == "%":
            if i == size - 1:
                raise ValueError(f"unterminated escape sequence at end of string: {text}")
            if text[i + 1] == "%":
                out += b"%"
                i += 2
                continue
            if i + 1 >= size - 1:
                raise ValueError(f"partial escape sequence at end of string: {text}")
            first, second = text[i + 1], text[i + 2]
            if first not in _HEX or second not in _HEX:
                raise ValueError(
                    f"invalid escape sequence `%{first}{second}' at index {i} of: {text}"
                )
            out.append(int(first + second, 16))
            i += 3
            continue
        out += b" " if char == "+" and plus_as_space else char.encode("utf-8")
        i += 1
    # new String(bytes, UTF_8) replaces malformed sequences.
    return out.decode("utf-8", errors="replace")


def decode_query_string(query: str) -> dict[str, str]:
    """``RestUtils.decodeQueryString``: ``+`` is a space and the last of duplicates wins."""
    params: dict[str, str] = {}
    if not query:
        return params
    for pair in query.split("&"):
        if not pair:
            continue
        name, sep, value = pair.partition("=")
        params[decode_component(name, plus_as_space=True)] = (
            decode_component(value, plus_as_space=True) if sep else ""
        )
    return params


def split_raw_path(raw_path: str) -> str:
    """The path the router matches: Java's ``split("/")`` drops trailing empty segments."""
    stripped = raw_path.rstrip("/")
    return stripped or "/"
