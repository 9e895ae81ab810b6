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
    parts: list[str] = []
    for part in re.split(r"(?<!\\)\.", path):
        if part != "**" or parts[-1:] != ["**"]:  # "**.**" matches what "**" matches
            parts.append(part.replace("\\.", "."))
    return tuple(parts)


def apply_filter_path(body: Any, spec: str) -> Any:
    tokens = {token.strip() for token in spec.split(",") if token.strip()}
    includes = [_parse(token) for token in tokens if not token.startswith("-")]
    excludes = [_parse(token[1:]) for token in tokens if token.startswith("-") and token[1:]]
    if excludes:
        body = _filter(body, excludes, include=False)
    if includes:
        kept = _filter(body, includes, include=True)
        body = kept if kept is not None else {}
    return body


def _advance(filters: list[Filter], name: str) -> list[Filter]:
    """What is left of each filter once it has matched the field ``name``, each once.

    Keeping each remaining filter once bounds the work per field by the number of
    filter suffixes, however many ``**`` the filters repeat (FilterPath compiles a tree).
    """
    left: dict[Filter, None] = {}
    for path in filters:
        if not path:
            continue
        if path[0] == "**":
            left[path] = None  # "**" takes this name and stays
            left.update(dict.fromkeys(_advance([path[1:]], name)))  # or matches no name
        elif fnmatch.fnmatchcase(name, path[0]):
            left[path[1:]] = None
    return list(left)


def _filter(value: Any, filters: list[Filter], *, include: bool) -> Any:
    """Keep (``include``) or drop the fields the filters reach; None if nothing is kept.

    Iterative, so that bodies nested as deep as Jackson allows (1000) are filtered too:
    containers are listed parents first, then built children first.
    """
    # (value, filters left or None for "kept whole", parent's index, field name or None)
    nodes: list[tuple[Any, list[Filter] | None, int, str | None]] = [(value, filters, -1, None)]
    index = 0
    while index < len(nodes):
        node, left, _, _ = nodes[index]
        if left is not None and isinstance(node, list):
            nodes.extend((item, left, index, None) for item in node)
        elif left is not None and isinstance(node, dict):
            for name, item in node.items():
                rest = _advance(left, name)
                if include and any(not path or path == ("**",) for path in rest):
                    nodes.append((item, None, index, name))
                elif not include and any(not path for path in rest):
                    continue
                elif rest:
                    nodes.append((item, rest, index, name))
                elif not include:
                    nodes.append((item, None, index, name))
        index += 1
    built: dict[int, list[tuple[str | None, Any]]] = {}
    result: Any = None
    for position in range(len(nodes) - 1, -1, -1):
        node, left, parent, name = nodes[position]
        children = built.pop(position, [])[::-1]
        if left is None:
            result = node
        elif isinstance(node, list):
            items = [item for _, item in children if item is not None]
            result = items or None if include else items
        elif isinstance(node, dict):
            fields = {key: item for key, item in children if item is not None}
            result = fields or None if include else fields
        else:
            result = None if include else node
        if parent >= 0:
            built.setdefault(parent, []).append((name, result))
    return result
