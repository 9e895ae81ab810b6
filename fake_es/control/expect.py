"""What a test expects of a journaled request, and how a request differs from it.

The handle's journal assertions (``assert_request_made``, ``requests_matching``,
``assert_requests_in_order``) all match through ``Expect``, so that they read the
same arguments and explain a failure the same way.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from fake_es.control.journal import JournalEntry
from fake_es.rest.xcontent import dump_json


class _Unset:
    """No expectation on the body (``None`` is a body one can expect: no JSON)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final[Any] = _Unset()
# At most this many key paths are listed for one request; the diff shows the rest.
MAX_DIFFERENCES = 10
_MISSING = object()  # a key the request lacks
_EXTRA = object()  # a key an exact body does not have
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")

# Values in a difference line are cut short: a whole nested body there helps nobody.
_short = reprlib.Repr()
_short.maxlevel = 2
_short.maxstring = 60
_short.maxother = 60
_short.maxdict = 4
_short.maxlist = 4


@dataclass(frozen=True)
class Expect:
    """A request a test expects: its method (None: any), a path glob, and optionally its
    exact JSON body (``json``), a subset of it (``json_contains``: every key given matches,
    recursively; lists element by element, of the same length), query parameters and
    headers (each given one present with that value; header names in any case)."""

    method: str | None = None
    path: str = "*"
    json: Any = UNSET
    json_contains: Any = UNSET
    query: Mapping[str, str] | None = None
    headers: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        if self.json is not UNSET and self.json_contains is not UNSET:
            # Both would say the same thing twice, or contradict each other: refuse early.
            raise TypeError("pass json= (the exact body) or json_contains= (a part), not both")
        if self.method is not None:
            object.__setattr__(self, "method", self.method.upper())

    @classmethod
    def parse(cls, rule: str) -> Expect:
        """``"METHOD /glob"``, or ``"/glob"`` for any method."""
        method, _, path = rule.strip().rpartition(" ")
        return cls(method or None, path)

    def matches(self, entry: JournalEntry) -> bool:
        if self.method is not None and entry.method != self.method:
            return False
        if not fnmatch.fnmatchcase(entry.path, self.path):
            return False
        return not self._request_differences(entry) and not self._body_differences(entry, 1)

    def describe(self) -> str:
        """``PUT /_inference/* with JSON body containing {...}``."""
        text = f"{self.method or '*'} {self.path}"
        if self.json is not UNSET:
            text += f" with JSON body {_one_line(self.json)}"
        if self.json_contains is not UNSET:
            text += f" with JSON body containing {_one_line(self.json_contains)}"
        if self.query is not None:
            text += f" with query {_one_line(dict(self.query))}"
        if self.headers is not None:
            text += f" with headers {_one_line(dict(self.headers))}"
        return text

    def explain(self, entry: JournalEntry) -> list[str]:
        """How ``entry`` differs from this expectation, one line per difference, then a
        unified diff of the body; empty if it matches."""
        lines = []
        if self.method is not None and entry.method != self.method:
            lines.append(f"method: {entry.method} != {self.method}")
        if not fnmatch.fnmatchcase(entry.path, self.path):
            lines.append(f"path: {entry.path} does not match {self.path}")
        lines += self._request_differences(entry)
        body = self._body_differences(entry, MAX_DIFFERENCES + 1)
        lines += body[:MAX_DIFFERENCES]
        if len(body) > MAX_DIFFERENCES:
            lines.append(f"... and more (the first {MAX_DIFFERENCES} are listed)")
        if body and entry.json is not None:
            lines += self._body_diff(entry.json)
        return lines

    def distance(self, entry: JournalEntry) -> float:
        """Lower is closer: for picking the request a failure message shows."""
        same_method = self.method is None or entry.method == self.method
        ratio = difflib.SequenceMatcher(None, entry.path, self.path).ratio()
        found = len(self._request_differences(entry))
        found += len(self._body_differences(entry, MAX_DIFFERENCES + 1))
        return -(ratio + (1.0 if same_method else 0.0)) + found / (MAX_DIFFERENCES + 2)

    # --- the parts of a request ---

    def _request_differences(self, entry: JournalEntry) -> list[str]:
        found: list[str] = []
        if self.query is not None:
            found += _mapping_differences("query parameter", entry.query, self.query, fold=False)
        if self.headers is not None:
            found += _mapping_differences("header", entry.headers, self.headers, fold=True)
        return found

    def _body_differences(self, entry: JournalEntry, limit: int) -> list[str]:
        partial = self.json is UNSET
        wanted = self.json_contains if partial else self.json
        if wanted is UNSET:
            return []
        made = entry.json
        if made is None and wanted is not None:
            return [f"body: expected JSON, got {_no_json(entry)}"]
        return json_differences(made, wanted, partial=partial, limit=limit)

    def _body_diff(self, made: Any) -> list[str]:
        if self.json is not UNSET:
            title, made_shown, wanted = "JSON body (- made, + wanted):", made, self.json
        else:
            wanted = self.json_contains
            title = "JSON body, the keys wanted (- made, + wanted):"
            made_shown = _projected(made, wanted)
        try:
            made_lines = json.dumps(made_shown, indent=2, sort_keys=True).splitlines()
            wanted_lines = json.dumps(wanted, indent=2, sort_keys=True).splitlines()
        except RecursionError:  # json's indenting writer recurses; bodies may nest 1000 deep
            return [f"{title.removesuffix(':')} not shown: nested too deep to indent"]
        return [title, *list(difflib.unified_diff(made_lines, wanted_lines, lineterm="", n=1))[2:]]


def json_differences(made: Any, wanted: Any, *, partial: bool, limit: int) -> list[str]:
    """Where ``made`` differs from ``wanted``, as key paths (``service_settings.model_id:
    expected 'a', got 'b'``), at most ``limit`` of them. ``partial``: keys ``made`` has
    beyond ``wanted``'s are fine. Lists match element by element and must be as long:
    a request with an input more is not the request expected. Without recursion: a
    journaled body may nest 1000 deep."""
    found: list[str] = []
    pending: list[tuple[str, Any, Any]] = [("", made, wanted)]
    while pending and len(found) < limit:
        path, left, right = pending.pop()
        name = path or "body"
        if left is _MISSING:
            found.append(f"{name}: missing (expected {_short.repr(right)})")
        elif right is _EXTRA:
            found.append(f"{name}: not expected, got {_short.repr(left)}")
        elif isinstance(left, dict) and isinstance(right, dict):
            children = [(_child(path, key), left.get(key, _MISSING), right[key]) for key in right]
            if not partial:
                extra = [key for key in left if key not in right]
                children += [(_child(path, key), left[key], _EXTRA) for key in extra]
            pending.extend(reversed(children))  # popped in the expected body's order
        elif isinstance(left, list) and isinstance(right, list):
            if len(left) != len(right):
                found.append(
                    f"{name}: expected a list of {len(right)}, got a list of {len(left)}: "
                    f"{_short.repr(left)}"
                )
                continue
            pairs = zip(left, right, strict=True)
            pending.extend(reversed([(f"{path}[{i}]", *pair) for i, pair in enumerate(pairs)]))
        elif isinstance(left, (dict, list)) or isinstance(right, (dict, list)) or left != right:
            found.append(f"{name}: expected {_short.repr(right)}, got {_short.repr(left)}")
    return found


def _one_line(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True)
    except RecursionError:  # json's writer recurses: the fake's own does not
        return dump_json(value).decode("utf-8")


def _child(path: str, key: str) -> str:
    """``a.b``, or ``a["b.c"]`` for a key a dot would make ambiguous."""
    if not _SIMPLE_KEY.match(key):
        return f"{path}[{json.dumps(key)}]"
    return f"{path}.{key}" if path else key


def _mapping_differences(
    kind: str, made: Mapping[str, str], wanted: Mapping[str, str], *, fold: bool
) -> list[str]:
    """Each wanted name present with that value; with ``fold``, names in any case (HTTP
    header names are case-insensitive, and servers and clients spell them differently)."""
    have = {name.lower(): value for name, value in made.items()} if fold else made
    found = []
    for name, value in wanted.items():
        got = have.get(name.lower() if fold else name)
        if got is None:
            found.append(f"{kind} {name}: missing (expected {value!r})")
        elif got != value:
            found.append(f"{kind} {name}: expected {value!r}, got {got!r}")
    return found


def _no_json(entry: JournalEntry) -> str:
    if entry.truncated:
        return f"a body of {entry.body_length} bytes, cut to its first {len(entry.body)}"
    if not entry.body:
        return "no body"
    return f"a body of {entry.body_length} bytes that is not JSON"


def _projected(made: Any, wanted: Any) -> Any:
    """``made`` with only the keys ``wanted`` has, so that a partial body's diff shows the
    keys that matter, not every key the request had beside them."""
    root: list[Any] = [None]
    pending: list[tuple[Any, Any, Any, Any]] = [(made, wanted, root, 0)]
    while pending:
        left, right, parent, slot = pending.pop()
        if isinstance(left, dict) and isinstance(right, dict):
            parent[slot] = kept = {key: None for key in right if key in left}
            pending.extend((left[key], right[key], kept, key) for key in kept)
        elif isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
            parent[slot] = items = [None] * len(left)
            pairs = enumerate(zip(left, right, strict=True))
            pending.extend((lv, rv, items, i) for i, (lv, rv) in pairs)
        else:
            parent[slot] = left
    return root[0]
