"""Deprecation warnings as Elasticsearch sends them: ``Warning`` response headers.

``HeaderWarning.formatWarning``: ``299 Elasticsearch-<version>-<build hash> "<text>"``,
with backslashes and quotes escaped in the text.
"""

from __future__ import annotations

import re
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


# Characters HeaderWarning.escapeAndEncode percent-encodes: outside RFC 7230's qdtext
# (HTAB, SP, "!", %x23-5B, %x5D-7E and obs-text), and "%" itself.
_ENCODED = re.compile(r'[^\t !#-$&-\[\]-~\x80-\xff"\\]')


def _escape(text: str) -> str:
    """``HeaderWarning.escapeAndEncode``: quote and backslash escaped, the rest percent-encoded."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return _ENCODED.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), escaped)
