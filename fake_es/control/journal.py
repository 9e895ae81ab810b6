"""Every request the fake answered, in order, with its answer."""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fake_es.generation import ResetGeneration
from fake_es.rest.errors import EsError
from fake_es.rest.json_body import parse_json_object
from fake_es.rest.xcontent import dump_json

# Credentials never reach the journal, whatever the request carried: the headers that
# carry them (es-secondary-authorization is SecondaryAuthenticator's header), and any
# header whose value is written in one of the authentication schemes.
_SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "es-secondary-authorization",
        "x-api-key",
        "api-key",
        "cookie",
        "cookie2",
    }
)
_SECRET_SCHEMES = ("basic ", "bearer ", "apikey ", "digest ", "negotiate ")
DEFAULT_CAPACITY = 10_000
# Each entry keeps at most this much of a request or response body (with its full
# length), and all entries together at most DEFAULT_BYTES: oldest entries go first.
BODY_PREFIX = 64 * 1024
DEFAULT_BYTES = 32 * 1024 * 1024


def _json_or_none(data: bytes) -> Any:
    """The body as JSON any parser reads back, or None (then it is shown as text).

    ``NaN``, ``Infinity`` and numbers that overflow a double (``1e400``) have no
    standard JSON form, so such a body stays text; nesting too deep for Python's
    recursive parser goes to the fake's own iterative one, which takes Jackson's 1000.
    """
    if not data:
        return None
    try:
        return json.loads(data, parse_constant=_not_finite, parse_float=_finite_float)
    except RecursionError:
        pass
    except (ValueError, UnicodeDecodeError):
        return None
    try:
        value = parse_json_object(data)
    except EsError:
        return None
    return value if _all_finite(value) else None


def _not_finite(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} overflows a double")
    return value


def _all_finite(value: Any) -> bool:
    pending = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, float) and not math.isfinite(node):
            return False
    return True


@dataclass(frozen=True)
class JournalEntry:
    """One request and the answer it got (``status`` None: the connection was dropped).

    ``body`` and ``response_body`` are the first ``BODY_PREFIX`` bytes of each;
    ``body_length`` and ``response_length`` are the full lengths.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int | None
    response_body: bytes = b""
    fault: str | None = None
    body_length: int = -1
    response_length: int = -1

    @classmethod
    def keeping_prefixes(
        cls,
        *,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        status: int | None,
        response_body: bytes,
        fault: str | None,
        body_length: int | None = None,
    ) -> JournalEntry:
        """An entry holding at most ``BODY_PREFIX`` bytes of each body."""
        return cls(
            method,
            path,
            query,
            headers,
            body[:BODY_PREFIX],
            status,
            response_body[:BODY_PREFIX],
            fault,
            len(body) if body_length is None else body_length,
            len(response_body),
        )

    def __post_init__(self) -> None:
        if self.body_length < 0:
            object.__setattr__(self, "body_length", len(self.body))
        if self.response_length < 0:
            object.__setattr__(self, "response_length", len(self.response_body))

    @property
    def truncated(self) -> bool:
        """Whether only a prefix of the request body was kept."""
        return len(self.body) < self.body_length

    @property
    def json(self) -> Any:
        """The request body parsed as JSON, or None (also when only a prefix was kept)."""
        return None if self.truncated else _json_or_none(self.body)

    @property
    def response_json(self) -> Any:
        if len(self.response_body) < self.response_length:
            return None
        return _json_or_none(self.response_body)

    @property
    def size(self) -> int:
        """Roughly the bytes this entry holds, for the journal's byte bound."""
        fields = [*self.headers.items(), *self.query.items()]
        named = sum(len(name) + len(value) for name, value in fields)
        return len(self.body) + len(self.response_body) + len(self.path) + named + 512

    def describe(self) -> str:
        outcome = "dropped" if self.status is None else str(self.status)
        suffix = f" [fault: {self.fault}]" if self.fault else ""
        query = "?" + "&".join(f"{k}={v}" for k, v in self.query.items()) if self.query else ""
        return f"{self.method} {self.path}{query} -> {outcome}{suffix}"

    def to_json(self) -> dict[str, Any]:
        body_json = self.json
        response_json = self.response_json
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": body_json
            if body_json is not None
            else self.body.decode("utf-8", errors="replace"),
            "body_length": self.body_length,
            "status": self.status,
            "response": response_json
            if response_json is not None or not self.response_body
            else self.response_body.decode("utf-8", errors="replace"),
            "fault": self.fault,
        }


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {
        name: ("<redacted>" if _is_secret(name, value) else value)
        for name, value in headers.items()
    }


def _is_secret(name: str, value: str) -> bool:
    return name.lower() in _SECRET_HEADERS or value.lstrip().lower().startswith(_SECRET_SCHEMES)


# An entry with its place in the journal: the number of entries recorded before it.
KeptEntry = tuple[int, JournalEntry]
# Entries a reader takes from the journal at once, under its lock.
_READ_BATCH = 256


def kept_entry_json(kept: KeptEntry) -> dict[str, Any]:
    return kept[1].to_json()


@dataclass
class Journal:
    """A thread-safe log bounded by entries and by bytes; the oldest entries go first."""

    capacity: int = DEFAULT_CAPACITY
    max_bytes: int = DEFAULT_BYTES
    _entries: deque[JournalEntry] = field(init=False)
    _bytes: int = field(init=False, default=0)
    _first: int = field(init=False, default=0)  # the place of _entries[0]
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    generation: ResetGeneration = field(default_factory=ResetGeneration)
    _shared: dict[int, bytes] | None = field(init=False, default=None)
    _readers: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._entries = deque()

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            self.generation.check()
            self._entries.append(entry)
            self._bytes += entry.size
            while self._entries and (
                len(self._entries) > self.capacity or self._bytes > self.max_bytes
            ):
                self._bytes -= self._entries.popleft().size
                self._first += 1

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    def places(self) -> range:
        """The places of the entries kept now."""
        with self._lock:
            return range(self._first, self._first + len(self._entries))

    def kept(self, places: range) -> Iterator[KeptEntry]:
        """The entries at ``places`` that are still kept, taken a batch at a time as the
        caller goes on: a slow reader holds no entry the journal has let go."""
        place = places.start
        while True:
            with self._lock:
                place = max(place, self._first)
                offset = place - self._first
                count = min(_READ_BATCH, places.stop - place)
                batch = list(itertools.islice(self._entries, offset, offset + max(count, 0)))
            if not batch:
                return
            yield from enumerate(batch, place)
            place += len(batch)

    @contextlib.contextmanager
    def shared_writer(self) -> Iterator[Callable[[KeptEntry], bytes]]:
        """Entries as compact JSON for a reader of the journal: readers at the same time
        share what is written, so that each entry is written once however many read it,
        and it is all let go when the last of them is done."""
        with self._lock:
            if self._shared is None:
                self._shared = {}
            shared = self._shared
            self._readers += 1

        def compact(kept: KeptEntry) -> bytes:
            place, entry = kept
            text = shared.get(place)
            if text is None:
                text = shared[place] = dump_json(entry.to_json())
                # The texts of entries let go since: as many as the journal keeps, and a batch.
                if len(shared) > len(self._entries) + _READ_BATCH:
                    for gone in [p for p in list(shared) if p < self._first]:
                        shared.pop(gone, None)
            return text

        try:
            yield compact
        finally:
            with self._lock:
                self._readers -= 1
                if not self._readers:
                    self._shared = None

    def clear(self) -> None:
        with self._lock:
            self.generation.check()
            self._first += len(self._entries)
            self._entries.clear()
            self._bytes = 0
