"""pytest plugin for fake-es, loaded through the ``pytest11`` entry point.

Fixtures, in the pytest-httpserver manner: one server per session (per xdist
worker), cleared before every test, on a free port unless configured.

- ``fake_es``: the running fake for this test, with clean state; ``fake_es.url``.
- ``fake_es_server``: the session's server.
- ``fake_es_listen_address`` / ``fake_es_version``: override to configure.

A crash inside the fake while serving a test's requests fails that test at
teardown with the traceback, instead of passing unnoticed behind a 500.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fake_es.app import create_app
from fake_es.profiles import DEFAULT_VERSION
from fake_es.server import FakeServer


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fake-es", "fake Elasticsearch inference API")
    group.addoption("--fake-es-host", help="address the fake listens on (default 127.0.0.1)")
    group.addoption("--fake-es-port", type=int, help="port the fake listens on (default: free)")
    group.addoption("--fake-es-version", help=f"Elasticsearch version (default {DEFAULT_VERSION})")
    parser.addini("fake_es_host", "address the fake listens on", default="127.0.0.1")
    parser.addini("fake_es_port", "port the fake listens on (0: a free one)", default="0")
    parser.addini(
        "fake_es_version", "Elasticsearch version the fake answers as", default=DEFAULT_VERSION
    )


def _option(config: pytest.Config, name: str) -> str:
    value = config.getoption(f"--fake-es-{name}")
    return str(value) if value is not None else str(config.getini(f"fake_es_{name}"))


@pytest.fixture(scope="session")
def fake_es_listen_address(pytestconfig: pytest.Config) -> tuple[str, int]:
    """(host, port) for the session's server; port 0 means a free one."""
    return _option(pytestconfig, "host"), int(_option(pytestconfig, "port"))


@pytest.fixture(scope="session")
def fake_es_version(pytestconfig: pytest.Config) -> str:
    """The Elasticsearch version the fake answers as."""
    return _option(pytestconfig, "version")


@pytest.fixture(scope="session")
def fake_es_server(
    fake_es_listen_address: tuple[str, int], fake_es_version: str
) -> Iterator[FakeServer]:
    """One running fake for the whole session; every answer checked against its schema."""
    host, port = fake_es_listen_address
    app = create_app(version=fake_es_version, check_responses=True)
    with FakeServer(app, host, port) as server:
        yield server


@pytest.fixture
def fake_es(fake_es_server: FakeServer) -> Iterator[FakeServer]:
    """The session's fake, emptied for this test; fails the test if the fake crashed."""
    fake_es_server.app.state.reset()
    yield fake_es_server
    crashes = fake_es_server.app.state.crashes.take()
    if crashes:
        pytest.fail("\n".join(crash.formatted() for crash in crashes), pytrace=False)
