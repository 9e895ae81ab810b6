"""``?filter_path``: keep or drop parts of a successful response (FilterPath, Jackson filters).

Comma-separated dotted paths; ``*`` globs within a name, ``**`` spans any depth,
a leading ``-`` excludes, ``\\.`` is a literal dot. Exclusions apply first, then
inclusions. Arrays are transparent: a path reaches into each element.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

Filter = tuple[str, ...]


def _parse(path: str) -> Filter:
    return tuple(part.replace("\\.", ".") for part in re.split(r"(?<!\\)\.", path))


def apply_filter_path(body: Any, spec: str) -> Any:
    tokens = {token.strip() for token in spec.split(",") if token.strip()}
    includes = [_parse(token) for token in tokens if not token.startswith("-")]
    excludes = [_parse(token[1:]) for token in tokens if token.startswith("-") and token[1:]]
    if excludes:
        body = _exclude(body, excludes)
    if includes:
        kept = _include(body, includes)
        body = kept if kept is not None else {}
    return body


def _advance(filters: list[Filter], name: str) -> list[Filter]:
    """What is left of each filter once it has matched the field ``name``."""
    left: list[Filter] = []
    for path in filters:
        if not path:
            continue
        if path[0] == "**":
            left.append(path)  # "**" takes this name and stays
            left.extend(_advance([path[1:]], name))  # or matches no name at all
        elif fnmatch.fnmatchcase(name, path[0]):
            left.append(path[1:])
    return left


def _include(value: Any, filters: list[Filter]) -> Any:
    if isinstance(value, list):
        kept = [_include(item, filters) for item in value]
        return [item for item in kept if item is not None] or None
    if not isinstance(value, dict):
        return None
    result = {}
    for name, item in value.items():
        left = _advance(filters, name)
        if any(not path or path == ("**",) for path in left):
            result[name] = item
        elif left:
            kept = _include(item, left)
            if kept is not None:
                result[name] = kept
    return result or None


def _exclude(value: Any, filters: list[Filter]) -> Any:
    if isinstance(value, list):
        return [_exclude(item, filters) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for name, item in value.items():
        left = _advance(filters, name)
        if any(not path for path in left):
            continue
        result[name] = _exclude(item, left) if left else item
    return result
