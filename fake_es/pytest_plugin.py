"""pytest plugin for fake-es, loaded through the ``pytest11`` entry point ``fake_es``.

It lives inside the package so that no module of a user's project (say, their own
``conftest_plugin.py``) can shadow it. Importing it imports nothing of fake-es but
this module: suites that never ask for a fake pay for none of it.

Fixtures, in the pytest-httpserver manner: one server per session (so one per
xdist worker), cleared before every test, on a free port unless configured.

- ``fake_es``: the running fake for this test, with clean state (a ``FakeEs``).
- ``make_fake_es``: start more fakes for this test only (``make_fake_es(version=...)``);
  they stop at its end, and a crash in one or (strict mode) an unmatched fault fails it.
- ``fake_es_factory``: start more fakes for the whole session; never cleared.
- ``fake_es_session``: the session's fake, not cleared (for module-scoped set-up).
- ``fake_es_httpserver``: the fake's inference routes mounted into pytest-httpserver's
  ``httpserver``, beside the test's own expectations.
- ``fake_es_client`` / ``fake_es_async_client``: an official ``Elasticsearch`` /
  ``AsyncElasticsearch`` of the fake's release line, over HTTP to ``fake_es.url`` (with the
  security config's first superuser's credentials), closed when the test ends;
  ``fake_es_client_kwargs`` (session, default ``{}``) gives them more arguments.
- ``fake_es_listen_address`` / ``fake_es_version`` / ``fake_es_security`` /
  ``fake_es_ssl_context``: override to configure the session's fake (the last returns a
  server-side ``ssl.SSLContext`` to serve HTTPS with, as pytest-httpserver's
  ``httpserver_ssl_context`` does; None, the default, serves HTTP). These are session
  fixtures: an override in a ``conftest.py`` configures the one session fake for every
  test of the run, whichever test asks first. For one test or module, use the ``fake_es`` marker.
- ``--fake-es-protect-control-api`` (ini ``fake_es_protect_control_api``): with security
  on, the fakes' ``/_fake_es/`` routes need a superuser's credentials (default: open).
- ``--fake-es-eis`` (ini ``fake_es_eis``): the fakes' cluster is authorised to use the
  Elastic Inference Service, as on Elastic Cloud: the ``elastic`` service and its
  preconfigured endpoints (default: off, as self-managed).
- ``--fake-es-strict-faults`` (ini ``fake_es_strict_faults``): a test fails at teardown if
  a fault it added (``fail``, ``delay``, ``drop_connection``) never matched a request.
- ``--fake-es-env`` (ini ``fake_es_env``): environment variable names (space-separated)
  set to ``fake_es.url`` while each test that uses ``fake_es`` runs (default: none).
- marker ``@pytest.mark.fake_es(version="8.19", security=None, eis=None)``: this test (or module, or
  class) talks to a fake of that release and security; such fakes are started on first
  use, kept for the session and cleared before each test, so no setting leaks elsewhere.
- marker ``@pytest.mark.fake_es_model(task_type, model_id, config=None)``: seed a model.
  The ``fake_es`` and ``fake_es_httpserver`` fixtures create it; a marked test that uses
  neither gets a ``FakeEsMarkerWarning``, and a model Elasticsearch would refuse fails the
  test's setup with Elasticsearch's status, error type and reason.

A crash inside the fake while serving a test's requests fails that test at
teardown with the traceback, instead of passing unnoticed behind a 500.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import pytest

if TYPE_CHECKING:
    import ssl

    from fake_es.handle import FakeEs
    from fake_es.server import FakeServer


class FakeEsMarkerWarning(pytest.PytestWarning):
    """A fake-es marker on a test had no effect (``fake_es_model`` without ``fake_es``).

    Exported as ``fake_es.FakeEsMarkerWarning``: ``-W error::fake_es.FakeEsMarkerWarning``
    (or ``filterwarnings``) makes it an error.
    """


# Set on a test once a fixture has created its fake_es_model markers' models.
_SEEDED = pytest.StashKey[bool]()
# Set on a test once its body has started.
_RAN = pytest.StashKey[bool]()


class FakeEsFactory(Protocol):
    """What ``fake_es_factory`` and ``make_fake_es`` are: start a fake, get its handle.

    ``version``: None for the newest release; ``security``: None (off), a config dict
    or a JSON file's path; ``protect_control_api`` and ``eis``: None follows the session's
    option; ``ssl_context``: a server-side ``ssl.SSLContext`` to serve HTTPS with (None: HTTP).
    """

    def __call__(
        self,
        version: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        security: dict[str, Any] | str | Path | None = None,
        protect_control_api: bool | None = None,
        eis: bool | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> FakeEs: ...


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fake-es", "fake Elasticsearch inference API")
    group.addoption("--fake-es-host", help="address the fake listens on (default 127.0.0.1)")
    group.addoption(
        "--fake-es-port",
        type=int,
        help="port the fake listens on (default: a free one); under pytest-xdist, worker gwN "
        "listens on PORT+N",
    )
    group.addoption(
        "--fake-es-version",
        help="Elasticsearch release it answers as, X.Y or X.Y.Z (default: the newest)",
    )
    group.addoption(
        "--fake-es-security-config",
        help="JSON file of users, roles and API keys: turns the fake's security on",
    )
    group.addoption(
        "--fake-es-protect-control-api",
        action="store_true",
        default=None,
        help="with security on, the fake's /_fake_es/ routes need a superuser's credentials "
        "(a user or API key granted the 'all' cluster privilege)",
    )
    group.addoption(
        "--fake-es-eis",
        action="store_true",
        default=None,
        help="the fakes' cluster is authorised to use the Elastic Inference Service, as on "
        "Elastic Cloud: the elastic service and its preconfigured endpoints (default: off)",
    )
    group.addoption(
        "--fake-es-strict-faults",
        action="store_true",
        default=None,
        help="fail a test at teardown when a fault it added never matched a request",
    )
    group.addoption(
        "--fake-es-env",
        metavar="NAMES",
        help="environment variables (space-separated names) set to the fake's URL while each "
        "test that uses fake_es runs, e.g. 'ELASTICSEARCH_URL ES_URL' (default: none)",
    )
    parser.addini("fake_es_host", "address the fake listens on", default="127.0.0.1")
    parser.addini(
        "fake_es_port",
        "port the fake listens on (0: a free one; under xdist, worker gwN: PORT+N)",
        default="0",
    )
    parser.addini(
        "fake_es_version", "Elasticsearch version the fake answers as (default: the newest)"
    )
    parser.addini(
        "fake_es_security_config",
        "JSON file of users, roles and API keys (security on)",
        default="",
    )
    parser.addini(
        "fake_es_protect_control_api",
        "with security on, /_fake_es/ needs a superuser's credentials",
        type="bool",
        default=False,
    )
    parser.addini(
        "fake_es_eis",
        "the fakes' cluster is authorised to use the Elastic Inference Service",
        type="bool",
        default=False,
    )
    parser.addini(
        "fake_es_strict_faults",
        "fail a test at teardown when a fault it added never matched a request",
        type="bool",
        default=False,
    )
    parser.addini(
        "fake_es_env",
        "environment variables set to the fake's URL while each test that uses fake_es runs",
        type="args",
        default=[],
    )


def pytest_configure(config: pytest.Config) -> None:
    version = _option(config, "version")
    if version:
        # A release the fake does not know is a usage error, said once, not a failed test each.
        from fake_es.versions import get_profile

        try:
            get_profile(version)
        except ValueError as error:
            raise pytest.UsageError(str(error)) from None
    config.addinivalue_line(
        "markers",
        "fake_es(version=None, security=None, eis=None): serve this test from a fake of that "
        "Elasticsearch release (X.Y or X.Y.Z), security config and EIS authorisation, "
        "instead of the session's",
    )
    config.addinivalue_line(
        "markers",
        "fake_es_model(task_type, model_id, config=None): create this inference model in the "
        "fake before the test (config defaults to one ELSER allocation and thread)",
    )


def _option(config: pytest.Config, name: str) -> str:
    value = config.getoption(f"--fake-es-{name.replace('_', '-')}")
    return str(value) if value is not None else str(config.getini(f"fake_es_{name}"))


def _flag(config: pytest.Config, name: str) -> bool:
    return bool(config.getoption(f"--fake-es-{name.replace('_', '-')}")) or bool(
        config.getini(f"fake_es_{name}")
    )


@pytest.fixture(scope="session")
def fake_es_listen_address(pytestconfig: pytest.Config) -> tuple[str, int]:
    """(host, port) for the session's server; port 0 means a free one.

    Each pytest-xdist worker is a session of its own: worker gwN of a fixed port
    listens on PORT+N, so that the workers do not fight over one port.
    """
    port = int(_option(pytestconfig, "port"))
    worker = getattr(pytestconfig, "workerinput", {}).get("workerid")
    if port and worker is not None:
        port += int(worker.removeprefix("gw"))
    return _option(pytestconfig, "host"), port


@pytest.fixture(scope="session")
def fake_es_version(pytestconfig: pytest.Config) -> str:
    """The Elasticsearch version the session's fake answers as (session-wide)."""
    from fake_es.versions import DEFAULT_VERSION

    return _option(pytestconfig, "version") or DEFAULT_VERSION


@pytest.fixture(scope="session")
def fake_es_security(pytestconfig: pytest.Config) -> dict[str, Any] | str | None:
    """Security for the session's fake: None (off), a config dict, or a JSON file's path.

    A relative path from the ini file is read from the ini file's folder, wherever pytest
    runs; one on the command line, from the current folder.
    """
    given = pytestconfig.getoption("--fake-es-security-config")
    if given is not None:
        return str(given)
    configured = str(pytestconfig.getini("fake_es_security_config"))
    if not configured:
        return None
    folder = pytestconfig.inipath.parent if pytestconfig.inipath else pytestconfig.rootpath
    return str(folder / configured)


@pytest.fixture(scope="session")
def fake_es_ssl_context() -> ssl.SSLContext | None:
    """A server-side ``ssl.SSLContext`` for the session's fake, or None (the default) for
    plain HTTP. Override it in a ``conftest.py`` to serve HTTPS: ``fake_es.url`` is then
    ``https://...``, for code configured as for Elasticsearch 8 with security on. The fakes
    of ``@pytest.mark.fake_es`` serve with it too."""
    return None


@pytest.fixture(scope="session")
def fake_es_protect_control_api(pytestconfig: pytest.Config) -> bool:
    """Whether the session's fakes, with security on, keep /_fake_es/ to superusers."""
    return _flag(pytestconfig, "protect_control_api")


@pytest.fixture(scope="session")
def fake_es_eis(pytestconfig: pytest.Config) -> bool:
    """Whether the session's fakes are authorised to use the Elastic Inference Service."""
    return _flag(pytestconfig, "eis")


@pytest.fixture(scope="session")
def fake_es_strict_faults(pytestconfig: pytest.Config) -> bool:
    """Whether a test fails when a fault it added never matched a request."""
    return _flag(pytestconfig, "strict_faults")


def _starter(
    protect_by_default: bool, eis_by_default: bool, servers: list[FakeServer]
) -> FakeEsFactory:
    """A factory whose fakes are appended to ``servers``, for the caller to stop."""

    def start(
        version: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        security: dict[str, Any] | str | Path | None = None,
        protect_control_api: bool | None = None,
        eis: bool | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> FakeEs:
        from fake_es.app import create_app
        from fake_es.handle import FakeEs
        from fake_es.server import FakeServer
        from fake_es.serving import security_realm
        from fake_es.versions import DEFAULT_VERSION

        realm = security_realm(security)
        if protect_control_api is None:
            protect_control_api = protect_by_default and realm is not None
        app = create_app(
            version=version or DEFAULT_VERSION,
            security=realm,
            check_responses=True,
            protect_control_api=protect_control_api,
            eis=eis_by_default if eis is None else eis,
        )
        server = FakeServer(app, host, port, ssl_context=ssl_context)
        server.start()
        servers.append(server)
        return FakeEs(server.app, server.url)

    return start


@pytest.fixture(scope="session")
def fake_es_factory(
    fake_es_protect_control_api: bool, fake_es_eis: bool
) -> Iterator[FakeEsFactory]:
    """Start fakes (own state, own port) for the whole session: they are never cleared and
    all stop at its end. For fakes that live one test, use ``make_fake_es``.

    Fakes with security keep ``/_fake_es/`` to superusers when the session says so
    (``--fake-es-protect-control-api``); ``protect_control_api=`` decides for one fake.
    """
    servers: list[FakeServer] = []
    yield _starter(fake_es_protect_control_api, fake_es_eis, servers)
    for server in servers:
        server.stop()


@pytest.fixture
def make_fake_es(
    fake_es_protect_control_api: bool, fake_es_eis: bool, fake_es_strict_faults: bool
) -> Iterator[FakeEsFactory]:
    """Start fakes for this test, as ``fake_es_factory`` does; they stop when it ends.

    At teardown, a crash inside one (or, in strict mode, a fault none of its requests
    matched) fails the test, as with ``fake_es``.
    """
    servers: list[FakeServer] = []
    yield _starter(fake_es_protect_control_api, fake_es_eis, servers)
    try:
        for server in servers:
            _check(_handle(server), fake_es_strict_faults)
    finally:
        for server in servers:
            server.stop()


def _handle(server: FakeServer) -> FakeEs:
    from fake_es.handle import FakeEs

    return FakeEs(server.app, server.url)


def _check(fake: FakeEs, strict_faults: bool) -> None:
    fake.check()
    if strict_faults:
        fake.assert_faults_matched()


@pytest.fixture(scope="session")
def fake_es_session(
    fake_es_factory: FakeEsFactory,
    fake_es_listen_address: tuple[str, int],
    fake_es_version: str,
    fake_es_security: dict[str, Any] | str | None,
    fake_es_ssl_context: ssl.SSLContext | None,
) -> FakeEs:
    """The session's fake, not cleared: tests use ``fake_es``, which clears it first.

    A module-scoped fixture may seed it and take ``snapshot()``; each test then gets it
    back with ``fake_es.restore(snapshot)``.
    """
    host, port = fake_es_listen_address
    return fake_es_factory(
        version=fake_es_version,
        host=host,
        port=port,
        security=fake_es_security,
        ssl_context=fake_es_ssl_context,
    )


@pytest.fixture(scope="session")
def _fake_es_by_marker(
    fake_es_factory: FakeEsFactory, fake_es_ssl_context: ssl.SSLContext | None
) -> Callable[..., FakeEs]:
    """Fakes for ``@pytest.mark.fake_es(...)``, one per configuration, started on first use."""
    started: dict[str, FakeEs] = {}

    def get(version: str, security: dict[str, Any] | str | None, eis: bool | None) -> FakeEs:
        from fake_es.versions import get_profile

        number = get_profile(version).number
        key = json.dumps([number, security, eis], sort_keys=True, default=str)
        if key not in started:
            started[key] = fake_es_factory(
                version=version, security=security, eis=eis, ssl_context=fake_es_ssl_context
            )
        return started[key]

    return get


_MODEL_USAGE = "usage: @pytest.mark.fake_es_model(task_type, model_id, config=None)"


def _model_signature(task_type: str, model_id: str, config: dict[str, Any] | None = None) -> None:
    """The marker's arguments, for ``inspect.signature(...).bind`` to check."""


def _written(marker: pytest.Mark) -> str:
    """The marker as the test wrote it, to name it in a failure or warning."""
    arguments = [repr(value) for value in marker.args]
    arguments += [f"{name}={value!r}" for name, value in marker.kwargs.items()]
    return f"{marker.name}({', '.join(arguments)})"


def _marker_failure(marker: pytest.Mark, reason: str) -> NoReturn:
    # pytrace=False: the marker's reason is the whole story, the plugin's frames are noise.
    # Callers raise it outside their ``except`` blocks, so no "During handling" chain shows.
    pytest.fail(f"{_written(marker)}: {reason}", pytrace=False)


def _model_arguments(marker: pytest.Mark) -> tuple[str, str, dict[str, Any] | None]:
    """The marker's arguments, or a failure of the test naming what is wrong with them."""
    try:
        arguments = inspect.signature(_model_signature).bind(*marker.args, **marker.kwargs)
    except TypeError as error:
        wrong = str(error)
    else:
        task_type, model_id = arguments.arguments["task_type"], arguments.arguments["model_id"]
        config = arguments.arguments.get("config")
        if not isinstance(task_type, str):
            wrong = f"task_type must be a str, not {type(task_type).__name__}"
        elif not isinstance(model_id, str):
            wrong = f"model_id must be a str, not {type(model_id).__name__}"
        elif config is not None and not isinstance(config, dict):
            wrong = f"config must be a dict or None, not {type(config).__name__}"
        else:
            return task_type, model_id, config
    _marker_failure(marker, f"{wrong}\n{_MODEL_USAGE}")


def _create(fake: FakeEs, task_type: str, model_id: str, config: dict[str, Any] | None) -> str:
    """Create a marker's model: "" when done, else why Elasticsearch would refuse it."""
    from fake_es.rest.errors import EsError
    from fake_es.rest.xcontent import dump_json

    try:
        fake.models.create(task_type, model_id, config)
    except EsError as error:
        # What a PUT of this model would have answered, not the fake's traceback.
        return f"{error.status} {error.error_type}: {error.reason}"
    except (TypeError, ValueError):
        # A config value JSON has no form for; any other such error is the fake's own bug.
        try:
            dump_json(config)
        except (TypeError, ValueError) as not_json:
            return f"config is not JSON: {not_json}"
        raise
    return ""


def _seed_from_markers(request: pytest.FixtureRequest, fake: FakeEs) -> None:
    request.node.stash[_SEEDED] = True
    for marker in reversed(list(request.node.iter_markers("fake_es_model"))):
        refused = _create(fake, *_model_arguments(marker))
        if refused:
            _marker_failure(marker, refused)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    # The test's body runs: a test whose set-up failed is not warned about its markers.
    item.stash[_RAN] = True


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Warn when a test ran but no fixture applied its fake_es_model markers.

    Checked once the test ran rather than on ``item.fixturenames`` at collection: a test
    may ask for ``fake_es`` while running (``request.getfixturevalue``), and a ``fake_es``
    fixture of the project's own may not be this plugin's. In teardown, after the fixtures'
    own, so that ``-W error`` makes it an error at teardown without skipping theirs.
    """
    __tracebackhide__ = True  # under -W error, the warning is the story, not this hook
    if not item.stash.get(_RAN, False) or item.stash.get(_SEEDED, False):
        return
    markers = list(item.iter_markers("fake_es_model"))
    if markers:
        written = ", ".join(_written(marker) for marker in reversed(markers))
        item.warn(
            FakeEsMarkerWarning(
                f"{written} was not applied: the test does not use the fake_es fixture "
                "(directly or through another fixture), which creates the marker's models"
            )
        )


def _env_names(config: pytest.Config) -> list[str]:
    given = config.getoption("--fake-es-env")
    return (
        str(given).split() if given is not None else [str(n) for n in config.getini("fake_es_env")]
    )


@pytest.fixture
def fake_es(request: pytest.FixtureRequest, fake_es_strict_faults: bool) -> Iterator[FakeEs]:
    """The running fake, emptied for this test; fails the test if the fake crashed.

    The session's fake, unless a ``fake_es`` marker asks for another release or security.
    The variables ``fake_es_env`` names hold its URL while the test runs.
    """
    marker = request.node.get_closest_marker("fake_es")
    if marker is None:
        fake: FakeEs = request.getfixturevalue("fake_es_session")
    else:
        version = marker.kwargs.get("version") or request.getfixturevalue("fake_es_version")
        fake = request.getfixturevalue("_fake_es_by_marker")(
            version, marker.kwargs.get("security"), marker.kwargs.get("eis")
        )
    fake.reset()
    _seed_from_markers(request, fake)
    # Set here rather than by a fixture of its own, so that every test of the fake gets
    # them, and restored after, so that none leaks into a test without the fake.
    with pytest.MonkeyPatch.context() as patch:
        for name in _env_names(request.config):
            patch.setenv(name, fake.url)
        yield fake
    _check(fake, fake_es_strict_faults)


@pytest.fixture(scope="session")
def fake_es_client_kwargs() -> dict[str, Any]:
    """More keyword arguments for the ``fake_es_client`` / ``fake_es_async_client`` clients
    (``basic_auth``, ``api_key``, ``headers``, ``request_timeout``, ``ssl_context``, ...);
    override it in a ``conftest.py``. Credentials given here replace the superuser's."""
    return {}


@pytest.fixture
def fake_es_client(fake_es: FakeEs, fake_es_client_kwargs: dict[str, Any]) -> Iterator[Any]:
    """An official ``Elasticsearch`` client for this test's fake, closed when it ends.

    Over HTTP to ``fake_es.url`` rather than in-process (``fake_es.client()``): slower by a
    socket, but the same wire, headers and connection handling as the code under test.
    From the package of the fake's release line (``elasticsearch8`` for 8.x; for 9.x,
    ``elasticsearch9``, else an 8.x client); with security on, as the config's first
    superuser.
    """
    from fake_es.clients import http_client

    client = http_client(fake_es, dict(fake_es_client_kwargs))
    yield client
    client.close()


@pytest.fixture
def fake_es_async_client(fake_es: FakeEs, fake_es_client_kwargs: dict[str, Any]) -> Iterator[Any]:
    """An official ``AsyncElasticsearch`` for this test's fake, as ``fake_es_client`` is.

    A plain fixture, needing no async plugin: the test awaits it in its own event loop
    (``asyncio.run``, pytest-asyncio's, anyio's). Its connections close as that loop
    shuts down, or at teardown in that loop if the loop is still open.
    """
    from fake_es.clients import async_http_client, close_async_client

    client = async_http_client(fake_es, dict(fake_es_client_kwargs))
    yield client
    close_async_client(client)


@pytest.fixture
def fake_es_httpserver(
    httpserver: Any,
    request: pytest.FixtureRequest,
    fake_es_version: str,
    fake_es_eis: bool,
    fake_es_strict_faults: bool,
) -> Iterator[FakeEs]:
    """A fresh fake whose inference routes ``httpserver`` serves, with its other handlers."""
    from fake_es.app import create_app
    from fake_es.handle import FakeEs

    app = create_app(version=fake_es_version, check_responses=True, eis=fake_es_eis)
    fake = FakeEs(app, httpserver.url_for("/"))
    fake.mount(httpserver)
    _seed_from_markers(request, fake)
    yield fake
    _check(fake, fake_es_strict_faults)
