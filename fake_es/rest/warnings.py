"""Deprecation warnings as Elasticsearch sends them: ``Warning`` response headers.

``HeaderWarning.formatWarning``: ``299 Elasticsearch-<version>-<build hash> "<text>"``,
with backslashes and quotes escaped in the text.
"""

from __future__ import annotations

from collections.abc import Iterable

from fake_es.versions import VersionProfile

WARNING = "Warning"


def warning_headers(profile: VersionProfile, texts: Iterable[str]) -> dict[str, list[str]]:
    release = profile.release
    lines = [
        f'299 Elasticsearch-{release.number}-{release.build_hash} "{_escape(text)}"'
        for text in texts
    ]
    return {WARNING: lines} if lines else {}


def _is_qdtext(code: int) -> bool:
    # RFC 7230 qdtext: HTAB, SP, "!", %x23-5B, %x5D-7E and obs-text; "%" is always encoded.
    return code in (0x09, 0x20, 0x21) or (0x23 <= code <= 0x7E and code != 0x25) or code >= 0x80


def _escape(text: str) -> str:
    """``HeaderWarning.escapeAndEncode``: quote and backslash escaped, the rest percent-encoded."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    out = []
    for char in escaped:
        code = ord(char)
        if code < 0x80 and not _is_qdtext(code) and char not in '\\"':
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)
