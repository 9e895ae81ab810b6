"""Making the fake fail the way Elasticsearch fails, for the next N matching requests."""

from __future__ import annotations

import fnmatch
import math
import threading
from dataclasses import dataclass, field

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


class ConnectionDropped(ConnectionResetError):
    """Raised to make the server close the connection without answering."""


@dataclass
class Fault:
    """What to do to requests matching ``method`` and the glob ``path``.

    ``times`` is how many matching requests it affects (None: all of them).
    A fault delays (``delay`` seconds), then either answers ``status`` with an
    Elasticsearch error body, drops the connection, or lets the request through.
    """

    path: str = "*"
    method: str | None = None
    times: int | None = 1
    status: int | None = None
    error_type: str | None = None
    reason: str | None = None
    delay: float = 0.0
    drop_connection: bool = False
    matched: int = 0

    def __post_init__(self) -> None:
        self._check_types()
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError(
                f"a fault's status must be an error status (4xx/5xx), not {self.status}"
            )
        if self.status is not None and self.drop_connection:
            raise ValueError("a fault either answers a status or drops the connection, not both")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1 (or None for always), not {self.times}")
        if self.delay < 0:
            raise ValueError(f"delay must not be negative, not {self.delay}")

    def _check_types(self) -> None:
        """Refuse wrong types now, not when a request matches (JSON's 503.0 is a float)."""
        for name in ("times", "status"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{name} must be a whole number (an integer), not {value!r}")
        for name in ("method", "error_type", "reason"):
            if not isinstance(getattr(self, name), (str, type(None))):
                raise ValueError(f"{name} must be a string, not {getattr(self, name)!r}")
        if not isinstance(self.path, str):
            raise ValueError(f"path must be a string, not {self.path!r}")
        if not isinstance(self.drop_connection, bool):
            raise ValueError(f"drop_connection must be true or false, not {self.drop_connection!r}")
        if isinstance(self.delay, bool) or not isinstance(self.delay, (int, float)):
            raise ValueError(f"delay must be a number of seconds, not {self.delay!r}")
        if not math.isfinite(self.delay):
            raise ValueError(f"delay must be a finite number of seconds, not {self.delay!r}")

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return fnmatch.fnmatchcase(path, self.path)

    def error(self) -> EsError | None:
        if self.status is None:
            return None
        default_type, default_reason = _DEFAULT_ERRORS.get(
            self.status, ("status_exception", "injected by fake-es")
        )
        return EsError(self.status, self.error_type or default_type, self.reason or default_reason)

    def describe(self) -> str:
        if self.drop_connection:
            what = "drop connection"
        elif self.status is not None:
            what = f"{self.status}"
        else:
            what = "pass through"
        delay = f" after {self.delay}s" if self.delay else ""
        return f"{what}{delay}"

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "path": self.path,
            "times": self.times,
            "status": self.status,
            "error_type": self.error_type,
            "reason": self.reason,
            "delay": self.delay,
            "drop_connection": self.drop_connection,
            "matched": self.matched,
        }


@dataclass
class FaultPlan:
    """Faults in the order they were added; the first live match takes a request."""

    _faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    generation: ResetGeneration = field(default_factory=ResetGeneration)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.generation.check()
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
