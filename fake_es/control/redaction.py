"""Keeping service secrets (``api_key``, ``secret_key``, ...) out of the journal.

A create request carries them in clear text; the journal keeps the body with
each secret setting's value replaced, whatever the body's format. Which
settings are secret is what the service schemas mark ``x-es-secret``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import cbor2

from fake_es.schemas import secret_setting_names

REDACTED = "<redacted>"


def redact_secret_settings(body: bytes) -> bytes:
    """The body with every secret setting's value replaced by ``<redacted>``."""
    names = secret_setting_names()
    if not body or not any(name.encode() in body for name in names):
        return body
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _redact_text(body, names)
    if not _contains_secret(parsed, names):
        return body
    return json.dumps(_redacted(parsed, names), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def _contains_secret(value: Any, names: frozenset[str]) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if names.intersection(item):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _redacted(value: Any, names: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {
            key: REDACTED if key in names else _redacted(item, names) for key, item in value.items()
        }
    if isinstance(value, list):
        return [_redacted(item, names) for item in value]
    return value


def _redact_text(body: bytes, names: frozenset[str]) -> bytes:
    """A body that is not JSON: CBOR is decoded and written again; otherwise (YAML, broken
    JSON) the value after each secret's name is replaced up to its quote or line end."""
    try:
        decoded = cbor2.loads(body)
    except Exception:  # cbor2 raises many kinds for bytes that are not CBOR
        decoded = None
    if isinstance(decoded, dict):
        return bytes(cbor2.dumps(_redacted(decoded, names)))
    keys = b"|".join(re.escape(name.encode()) for name in sorted(names))
    quoted = re.compile(rb'("(?:' + keys + rb')"\s*:\s*)"(?:[^"\\]|\\.)*"?')
    body = quoted.sub(lambda m: m.group(1) + b'"' + REDACTED.encode() + b'"', body)
    plain = re.compile(rb"(^[ \t-]*[\"']?(?:" + keys + rb")[\"']?[ \t]*:[ \t]*)[^\r\n]+", re.M)
    return plain.sub(lambda m: m.group(1) + REDACTED.encode(), body)
