"""What the simulated providers will do: failures and scripted answers, per endpoint or service.

A target is an inference id, or ``service:<name>`` for every endpoint of a service,
or ``*`` for every provider. The most specific target wins.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fake_es.generation import ResetGeneration
from fake_es.inference.registry import InferenceEndpoint

# A scripted answer: a value, or a function of (task type, inputs, query) returning one.
Answer = Any | Callable[[str, list[str], str | None], Any]


@dataclass
class ProviderFailure:
    """The provider answers ``status`` with ``message``, or the connection fails (``network``)."""

    status: int | None = None
    message: str | None = None
    network: bool = False
    delay: float = 0.0
    # How many calls it affects; None: every call until cleared.
    times: int | None = None
    calls: int = 0
    # The provider starts streaming, then sends its error as an event after the first piece;
    # only streaming calls meet such a failure.
    mid_stream: bool = False

    def __post_init__(self) -> None:
        if self.status is None and not self.network and not self.delay:
            raise ValueError("a provider failure needs a status, network=True or a delay")
        if self.status is not None and not (type(self.status) is int and 300 <= self.status <= 599):
            raise ValueError(f"a provider failure's status must be 3xx to 5xx, not {self.status!r}")
        if self.status is not None and self.network:
            raise ValueError("a provider failure either answers a status or fails the connection")
        if self.times is not None and (not isinstance(self.times, int) or self.times < 1):
            raise ValueError(f"times must be a positive integer or None, not {self.times!r}")
        if not isinstance(self.delay, (int, float)) or not 0 <= self.delay <= 600:
            raise ValueError(f"delay must be between 0 and 600 seconds, not {self.delay!r}")
        if self.mid_stream and self.status is None:
            raise ValueError("a mid-stream failure needs the status of the provider's error")

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "network": self.network,
            "delay": self.delay,
            "times": self.times,
            "calls": self.calls,
            "mid_stream": self.mid_stream,
        }


@dataclass
class ProviderPlan:
    """Failures and answers the providers follow; shared by every thread of one fake."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _failures: dict[str, ProviderFailure] = field(default_factory=dict)
    _answers: dict[str, Answer] = field(default_factory=dict)
    generation: ResetGeneration = field(default_factory=ResetGeneration)

    def fail(self, target: str, failure: ProviderFailure) -> ProviderFailure:
        with self._lock:
            self.generation.check()
            self._failures[target] = failure
        return failure

    def answer(self, target: str, answer: Answer) -> None:
        with self._lock:
            self.generation.check()
            self._answers[target] = answer

    def clear(self) -> None:
        with self._lock:
            self.generation.check()
            self._failures.clear()
            self._answers.clear()

    def failures(self) -> dict[str, ProviderFailure]:
        with self._lock:
            return dict(self._failures)

    def answers(self) -> dict[str, Answer]:
        with self._lock:
            return dict(self._answers)

    def take_failure(
        self, endpoint: InferenceEndpoint, *, streaming: bool = False
    ) -> ProviderFailure | None:
        """The failure this call meets, counted; None when the provider answers."""
        with self._lock:
            self.generation.check()
            for target in _targets(endpoint):
                failure = self._failures.get(target)
                if failure is None or (failure.mid_stream and not streaming):
                    continue
                failure.calls += 1
                if failure.times is not None and failure.calls >= failure.times:
                    del self._failures[target]
                return failure
        return None

    def scripted(self, endpoint: InferenceEndpoint) -> Answer | None:
        with self._lock:
            for target in _targets(endpoint):
                if target in self._answers:
                    return self._answers[target]
        return None


def _targets(endpoint: InferenceEndpoint) -> tuple[str, ...]:
    return (endpoint.inference_id, f"service:{endpoint.service}", "*")
