"""A reset is a restart for the requests in flight: none that started before it changes
the state after it, and the reset does not wait for them."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest
from support import SEED_BODY, SEED_PATH
from werkzeug.test import Client

from fake_es import FakeState, create_app
from fake_es.app import STARTED_GENERATION
from fake_es.generation import StaleRequest
from fake_es.handle import FakeEs
from fake_es.server import FakeServer

BODY = json.dumps(SEED_BODY).encode()


def test_a_request_that_started_before_a_reset_changes_nothing():
    state = FakeState()
    http = Client(create_app(state, version="8.11"))
    started = state.generation.current
    state.reset()
    fault = FakeEs(http.application, "http://unused").fail("/_inference/*", status=429)
    with pytest.raises(StaleRequest) as raised:
        http.put(SEED_PATH, json=SEED_BODY, environ_overrides={STARTED_GENERATION: started})
    assert str(raised.value) == (
        "fake-es was reset while this request was in flight (it started in generation 0, "
        "the state is in generation 1)"
    )
    assert (state.endpoints.all(), state.journal.entries()) == ([], [])
    assert (state.faults.pending(), fault.matched) == ([fault], 0)
    assert state.crashes.take() == []
    # A request of the current generation goes through.
    assert http.put(SEED_PATH, json=SEED_BODY).status_code == 429


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.endpoints.delete("m"),
        lambda s: s.deployments.stop("m"),
        lambda s: s.references.add("m", pipeline="p", index=None),
        lambda s: s.journal.clear(),
        lambda s: s.faults.clear(),
        lambda s: s.providers.clear(),
    ],
)
def test_every_change_checks_the_generation(call):
    state = FakeState()
    state.reset()
    with state.generation.serving(0), pytest.raises(StaleRequest):
        call(state)


def wait_until(condition, what):
    for _ in range(1000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"never: {what}")


class SlowPut:
    """A PUT that a fault holds in flight for ``delay`` seconds, from a thread."""

    def __init__(self, fake: FakeEs, delay: float | tuple[float, float]) -> None:
        self.fault = fake.delay(delay, "/_inference/*", method="PUT")
        self.outcome: list[object] = []
        self.thread = threading.Thread(target=self._put, args=(fake.url,), daemon=True)
        self.thread.start()
        wait_until(lambda: self.fault.matched == 1, "the PUT reached the fake")

    def _put(self, url: str) -> None:
        connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=30)
        try:
            connection.request("PUT", SEED_PATH, BODY, {"Content-Type": "application/json"})
            self.outcome.append(connection.getresponse().status)
        except (ConnectionError, http.client.RemoteDisconnected) as error:
            self.outcome.append(type(error))
        finally:
            connection.close()


@pytest.fixture
def served():
    server = FakeServer(create_app(version="8.11"))
    server.start()
    yield FakeEs(server.app, server.url)
    server.stop()


def test_a_reset_over_http_keeps_a_delayed_create_out(served):
    slow = SlowPut(served, delay=1.0)
    connection = http.client.HTTPConnection(served.url.removeprefix("http://"), timeout=10)
    connection.request("POST", "/_fake_es/reset")
    assert connection.getresponse().status == 200
    connection.close()
    slow.thread.join(timeout=30)
    assert slow.outcome == [http.client.RemoteDisconnected]
    assert (served.models.list(), served.requests) == ([], [])


def test_the_handles_reset_ends_a_stragglers_delay_without_waiting_for_it(served):
    # 60 s, the longest delay: the reset wakes the PUT, whose connection then closes at
    # once (the join's 30 s would run out otherwise), and nothing waits for it.
    slow = SlowPut(served, delay=60.0)
    served.reset()
    slow.thread.join(timeout=30)
    assert not slow.thread.is_alive()
    assert slow.outcome == [http.client.RemoteDisconnected]
    assert (served.models.list(), served.requests) == ([], [])


def test_a_reset_wakes_a_delay_range_too(served):
    served.seed(1)
    slow = SlowPut(served, delay=(50.0, 60.0))
    connection = http.client.HTTPConnection(served.url.removeprefix("http://"), timeout=10)
    connection.request("POST", "/_fake_es/reset")
    assert connection.getresponse().status == 200
    connection.close()
    slow.thread.join(timeout=30)
    assert not slow.thread.is_alive()
    assert slow.outcome == [http.client.RemoteDisconnected]
    assert (served.models.list(), served.requests) == ([], [])


def test_a_create_still_uploading_its_body_at_a_reset_changes_nothing(served):
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            f"PUT {SEED_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(BODY)}\r\n\r\n".encode()
            + BODY[:10]
        )
        time.sleep(0.2)  # for the server to read the headers; the reset must come after
        served.reset()
        sock.sendall(BODY[10:])
        assert sock.recv(1024) == b""  # closed with no answer
    assert (served.models.list(), served.requests) == ([], [])
