"""Making the fake fail the way Elasticsearch fails, for the next N matching requests."""

from __future__ import annotations

import fnmatch
import json as json_module
import math
import random
import re
import threading
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from werkzeug.wrappers import Response

from fake_es.generation import ResetGeneration
from fake_es.rest.errors import EsError

# A realistic exception for each status, used when the caller names none.
_DEFAULT_ERRORS: dict[int, tuple[str, str]] = {
    400: ("illegal_argument_exception", "injected by fake-es"),
    404: ("resource_not_found_exception", "injected by fake-es"),
    408: ("elasticsearch_timeout_exception", "injected by fake-es: request timed out"),
    409: ("version_conflict_engine_exception", "injected by fake-es: version conflict"),
    429: (
        "es_rejected_execution_exception",
        "rejected execution of coordinating operation [injected by fake-es]",
    ),
    500: ("exception", "injected by fake-es"),
    502: ("status_exception", "injected by fake-es: bad gateway"),
    503: (
        "cluster_block_exception",
        "blocked by: [SERVICE_UNAVAILABLE/2/no master];",
    ),
    504: ("status_exception", "injected by fake-es: gateway timeout"),
}


# A fault's delay holds a serving thread (there are SERVING_THREADS of them): bounded.
MAX_DELAY = 60.0
# Faults live until spent, cleared or reset, each holding its scripted body: both bounded.
MAX_PENDING_FAULTS = 1000
MAX_SCRIPTED_BYTES = 10 * 1024 * 1024
# How many random bytes a ``garbage`` fault writes before it closes the connection.
GARBAGE_BYTES = 256
# What Elasticsearch adds to every answer (the official clients check it): scripted
# answers carry it too, unless a test asks for an answer from something else (a proxy).
# The controller's own constant, repeated: importing it here would be circular.
PRODUCT_HEADER = ("X-elastic-product", "Elasticsearch")
# A header name is an RFC 9110 token.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

Delay = float | tuple[float, float]


class ConnectionDropped(ConnectionResetError):
    """Raised to make the server close the connection without answering."""


class GarbageSent(ConnectionDropped):
    """Raised to make the server write ``data`` (not HTTP) and close the connection."""

    def __init__(self, message: str, data: bytes) -> None:
        super().__init__(message)
        self.data = data


@dataclass
class Fault:
    """What to do to requests matching ``method`` and the glob ``path``.

    ``times`` is how many matching requests it affects (None: all of them).
    A fault waits ``delay`` seconds (a number, or ``(low, high)``: uniformly drawn from
    the state's ``random`` for each request, at most ``MAX_DELAY``), then does one of:

    - answers ``status`` (4xx/5xx) with an Elasticsearch error body (``error_type``,
      ``reason``);
    - answers exactly what it is given (a scripted answer: ``json`` or ``body``; any
      status 100-599): ``json`` as compact JSON (``application/json``), ``body`` as its
      bytes (a str as UTF-8) with ``content_type`` (default ``text/plain; charset=UTF-8``);
    - drops the connection (``drop_connection``);
    - writes ``GARBAGE_BYTES`` random bytes, not HTTP, then closes the connection
      (``garbage``, WireMock's RANDOM_DATA_THEN_CLOSE);
    - lets the request through (none of those).

    An answer (either kind) carries ``X-elastic-product: Elasticsearch`` unless
    ``product_header`` is false, and ``headers`` on top (replacing any of the same name).
    """

    path: str = "*"
    method: str | None = None
    times: int | None = 1
    status: int | None = None
    error_type: str | None = None
    reason: str | None = None
    delay: Delay = 0.0
    drop_connection: bool = False
    matched: int = 0
    _: KW_ONLY
    json: Any = None
    body: str | bytes | None = None
    content_type: str | None = None
    headers: dict[str, str] | None = None
    product_header: bool = True
    garbage: bool = False
    _payload: bytes | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        self._check_types()
        scripted = self.json is not None or self.body is not None
        if self.json is not None and self.body is not None:
            raise ValueError("a scripted answer has json or body, not both")
        if scripted and self.status is None:
            self.status = 200
        if self.status is not None:
            low = 100 if scripted else 400
            if not low <= self.status <= 599:
                raise ValueError(
                    f"a scripted answer's status must be 100-599, not {self.status}"
                    if scripted
                    else f"a fault's status must be an error status (4xx/5xx), not "
                    f"{self.status} (give json or body for a scripted answer)"
                )
        outcomes = [
            name
            for name, chosen in (
                ("status", self.status is not None),
                ("drop_connection", self.drop_connection),
                ("garbage", self.garbage),
            )
            if chosen
        ]
        if len(outcomes) > 1:
            raise ValueError(
                "a fault answers a status, drops the connection or sends garbage: "
                f"one of them, not {' and '.join(outcomes)}"
            )
        if self.status is None:
            for name, given in (
                ("headers", self.headers is not None),
                ("content_type", self.content_type is not None),
                ("product_header", not self.product_header),
            ):
                if given:
                    raise ValueError(f"{name} needs an answer: give a status")
        if scripted and (self.error_type is not None or self.reason is not None):
            raise ValueError(
                "error_type and reason go with an Elasticsearch error body, not json or body"
            )
        if self.content_type is not None and self.json is not None:
            raise ValueError("content_type goes with body: json is always application/json")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1 (or None for always), not {self.times}")
        if self.json is not None:
            try:
                text = json_module.dumps(
                    self.json, separators=(",", ":"), ensure_ascii=False, allow_nan=False
                )
            except (TypeError, ValueError) as error:
                raise ValueError(f"json must be JSON, not {self.json!r} ({error})") from None
            self._payload = text.encode()
        elif self.body is not None:
            self._payload = self.body.encode() if isinstance(self.body, str) else self.body
        if self._payload is not None and len(self._payload) > MAX_SCRIPTED_BYTES:
            raise ValueError(
                f"a scripted answer's body must be at most {MAX_SCRIPTED_BYTES} bytes, "
                f"not {len(self._payload)}"
            )
        if self._payload and self.status is not None and bodiless(self.status):
            raise ValueError(f"a {self.status} answer has no body (HTTP allows none): give body=''")

    def _check_types(self) -> None:
        """Refuse wrong types now, not when a request matches (JSON's 503.0 is a float)."""
        for name in ("times", "status"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{name} must be a whole number (an integer), not {value!r}")
        for name in ("method", "error_type", "reason", "content_type"):
            if not isinstance(getattr(self, name), (str, type(None))):
                raise ValueError(f"{name} must be a string, not {getattr(self, name)!r}")
        if not isinstance(self.path, str):
            raise ValueError(f"path must be a string, not {self.path!r}")
        for name in ("drop_connection", "product_header", "garbage"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false, not {getattr(self, name)!r}")
        if not isinstance(self.body, (str, bytes, type(None))):
            raise ValueError(f"body must be a string or bytes, not {self.body!r}")
        self._check_headers()
        self.delay = _checked_delay(self.delay)

    def _check_headers(self) -> None:
        # Values go out as they are: a CR or LF would split the answer's header block.
        if self.content_type is not None and _unsafe(self.content_type):
            raise ValueError(f"content_type must be one line, not {self.content_type!r}")
        if self.headers is None:
            return
        if not isinstance(self.headers, dict):
            raise ValueError(f"headers must map names to strings, not {self.headers!r}")
        self.headers = dict(self.headers)  # the fault's own: the caller's may change later
        for name, value in self.headers.items():
            if not isinstance(name, str) or not _TOKEN.fullmatch(name):
                raise ValueError(f"headers: {name!r} is not a header name")
            if name.lower() in _FRAMING_HEADERS:
                raise ValueError(f"headers: {name} frames the answer: the server sets it")
            if not isinstance(value, str) or _unsafe(value):
                raise ValueError(
                    f"headers: {name}'s value must be a one-line string, not {value!r}"
                )

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return fnmatch.fnmatchcase(path, self.path)

    def pick_delay(self, rng: random.Random) -> float:
        """The delay for one request: the fixed one, or one drawn from ``(low, high)``."""
        if isinstance(self.delay, tuple):
            return rng.uniform(*self.delay)
        return self.delay

    def error(self) -> EsError | None:
        if self.status is None or self._payload is not None:
            return None
        default_type, default_reason = _DEFAULT_ERRORS.get(
            self.status, ("status_exception", "injected by fake-es")
        )
        return EsError(self.status, self.error_type or default_type, self.reason or default_reason)

    def scripted(self) -> Response | None:
        """The scripted answer (``json`` or ``body``), before ``finish``; None if none."""
        if self._payload is None:
            return None
        response = Response(self._payload, status=self.status)
        if self.json is not None:
            response.headers["Content-Type"] = "application/json"
        else:
            response.headers["Content-Type"] = self.content_type or "text/plain; charset=UTF-8"
        response.headers.add(*PRODUCT_HEADER)
        return response

    def finish(self, response: Response) -> Response:
        """The answer with the product header as asked and the extra ``headers`` on top."""
        if not self.product_header:
            response.headers.remove(PRODUCT_HEADER[0])
        for name, value in (self.headers or {}).items():
            response.headers[name] = value
        return response

    def garbage_bytes(self, rng: random.Random) -> bytes:
        data = rng.randbytes(GARBAGE_BYTES)
        # Never a status line by chance: a client must not read this as HTTP.
        return b"\0" + data[1:]

    def describe(self, delay: float | None = None) -> str:
        """What the fault does; with ``delay``, the delay one request got."""
        if self.garbage:
            what = "garbage"
        elif self.drop_connection:
            what = "drop connection"
        elif self._payload is not None:
            what = f"answer {self.status}"
        elif self.status is not None:
            what = f"{self.status}"
        else:
            what = "pass through"
        if isinstance(self.delay, tuple):
            low, high = self.delay
            drawn = f"{round(delay, 6)}s of " if delay is not None else ""
            return f"{what} after {drawn}{low}-{high}s"
        return f"{what} after {self.delay}s" if self.delay else what

    def to_json(self) -> dict[str, object]:
        body = self.body.decode("utf-8", "replace") if isinstance(self.body, bytes) else self.body
        return {
            "method": self.method,
            "path": self.path,
            "times": self.times,
            "status": self.status,
            "error_type": self.error_type,
            "reason": self.reason,
            "delay": list(self.delay) if isinstance(self.delay, tuple) else self.delay,
            "drop_connection": self.drop_connection,
            "garbage": self.garbage,
            "json": self.json,
            "body": body,
            "content_type": self.content_type,
            "headers": self.headers,
            "product_header": self.product_header,
            "matched": self.matched,
        }


# What delimits an answer on its connection: a scripted value would break the framing.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})


def bodiless(status: int) -> bool:
    """1xx, 204 and 304 answers end with their headers (RFC 9112 6.3)."""
    return status < 200 or status in (204, 304)


def _unsafe(value: str) -> bool:
    return any(char in value for char in "\r\n\0")


def _checked_delay(delay: object) -> Delay:
    """A fixed delay or a ``(low, high)`` range (a JSON list too), within 0..MAX_DELAY."""
    if isinstance(delay, (tuple, list)):
        if len(delay) != 2 or not all(_is_number(bound) for bound in delay):
            raise ValueError(f"delay must be a number of seconds or [low, high], not {delay!r}")
        low, high = (_seconds(bound) for bound in delay)
        for bound in (low, high):
            _check_seconds(bound)
        if low > high:
            raise ValueError(f"delay's low bound must not be above its high bound, not {delay!r}")
        return (low, high)
    if not _is_number(delay):
        raise ValueError(f"delay must be a number of seconds, not {delay!r}")
    assert isinstance(delay, (int, float))
    _check_seconds(delay)
    return delay


def _seconds(value: float) -> float:
    """``float(value)``, with an int too large for a double as an infinity (refused after)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float))


def _check_seconds(seconds: float) -> None:
    # Compared before any float(): an int too large for a double is refused, not overflowed.
    if isinstance(seconds, float) and not math.isfinite(seconds):
        raise ValueError(f"delay must be a finite number of seconds, not {seconds!r}")
    if seconds < 0:
        raise ValueError(f"delay must not be negative, not {seconds}")
    if seconds > MAX_DELAY:
        raise ValueError(
            f"delay must be at most {MAX_DELAY:g} seconds (it holds a serving thread), "
            f"not {seconds}"
        )


@dataclass
class FaultPlan:
    """Faults in the order they were added; the first live match takes a request."""

    _faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    generation: ResetGeneration = field(default_factory=ResetGeneration)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.generation.check()
            if len(self._faults) >= MAX_PENDING_FAULTS:
                raise ValueError(
                    f"{MAX_PENDING_FAULTS} faults are pending already: clear some, or reset"
                )
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The fault for this request, counted; spent faults are forgotten."""
        with self._lock:
            self.generation.check()
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.matched += 1
                    if fault.times is not None and fault.matched >= fault.times:
                        self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self.generation.check()
            self._faults.clear()
