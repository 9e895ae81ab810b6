"""Reset generations: a reset is a restart, for the requests in flight when it comes.

Each request takes the generation current when it starts; every change to the
state checks it, under the lock of the part it changes, and a request whose
generation is no longer current changes nothing: its connection is closed with
no answer, as a node restart closes the connections of the requests it was
serving. A reset advances the generation before it clears anything, so a change
either comes before the clear of its part (and is cleared) or after (and is
refused). Nothing waits: the next test is not held up by a slow straggler.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token


class StaleRequest(ConnectionResetError):
    """A request that started before the latest reset tried to change the state: the
    server closes its connection without answering."""


class ResetGeneration:
    """How many resets the state has seen, and which one the request being served saw."""

    def __init__(self) -> None:
        # A condition, so that a reset wakes the requests a fault's delay holds.
        self._lock = threading.Condition()
        self._current = 0
        self._started: ContextVar[int | None] = ContextVar("fake_es_generation", default=None)

    @property
    def current(self) -> int:
        return self._current

    def advance(self) -> None:
        with self._lock:
            self._current += 1
            self._lock.notify_all()

    def pause(self, seconds: float) -> None:
        """Wait ``seconds``, or less if a reset comes meanwhile and the request being
        served started before it: its delay would only hold a serving thread, as it will
        change nothing (``check`` then refuses it)."""
        started = self._started.get()
        with self._lock:
            self._lock.wait_for(
                lambda: started is not None and started != self._current, timeout=seconds
            )

    @contextmanager
    def serving(self, started: int) -> Iterator[None]:
        """Changes made inside the block are made for a request that started at ``started``."""
        token = self.enter(started)
        try:
            yield
        finally:
            self.leave(token)

    def enter(self, started: int) -> Token[int | None]:
        """``serving`` without a context manager: changes from now on are made for a request
        that started at ``started``, until ``leave`` with the token returned."""
        return self._started.set(started)

    def leave(self, token: Token[int | None]) -> None:
        self._started.reset(token)

    def check(self) -> None:
        """Refuse a change for a request that started before the latest reset.

        Called with the changed part's lock held, just before the change; changes
        made outside any request (the Python handle's) are never refused.
        """
        started = self._started.get()
        if started is not None and started != self._current:
            raise StaleRequest(
                f"fake-es was reset while this request was in flight (it started in "
                f"generation {started}, the state is in generation {self._current})"
            )
