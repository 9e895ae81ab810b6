"""The Python face of a running fake: seed models, read the journal, inject faults.

``FakeEs`` is what the pytest fixtures hand to a test. Everything it does goes
through the same state and validation as the HTTP API, without HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from fake_es.app import FakeElasticsearch
from fake_es.control.expect import UNSET, Expect
from fake_es.control.faults import Delay, Fault
from fake_es.control.journal import JournalEntry
from fake_es.inference.actions import create_endpoint, delete_endpoint, validate_inference_id
from fake_es.inference.ml_deployments import stop_deployment
from fake_es.inference.task_types import ANY, parse_task_type
from fake_es.inference.views import endpoint_view
from fake_es.providers.plan import Answer, ProviderFailure
from fake_es.rest.json_body import parse_json_object
from fake_es.rest.xcontent import dump_json
from fake_es.state import FakeState, Snapshot

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

# What the "Create inference API" page's example sends: one ELSER allocation, one thread.
DEFAULT_ELSER_CONFIG: dict[str, Any] = {
    "service": "elser",
    "service_settings": {"num_allocations": 1, "num_threads": 1},
    "task_settings": {},
}


class FakeEsCrashed(AssertionError):
    """The fake raised an exception of its own while serving requests."""


class Models:
    """Inference endpoints of one fake, managed without HTTP, shown as its release shows them."""

    def __init__(self, app: FakeElasticsearch) -> None:
        self._app = app

    def create(
        self, task_type: str, model_id: str, config: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Create as ``PUT /_inference/{task_type}/{id}`` would, or raise its ``EsError``."""
        profile = self._app.profile
        parsed = parse_task_type(task_type, profile)
        validate_inference_id(profile, model_id)
        # A copy, through the fake's iterative writer and parser: configs may nest 1000 deep.
        body = parse_json_object(dump_json(DEFAULT_ELSER_CONFIG if config is None else config))
        created = create_endpoint(self._app.state, profile, parsed, model_id, body)
        return endpoint_view(created.endpoint, profile)

    def get(self, model_id: str) -> dict[str, Any] | None:
        endpoint = self._app.state.endpoints.get(model_id)
        return endpoint_view(endpoint, self._app.profile) if endpoint is not None else None

    def list(self) -> list[dict[str, Any]]:
        """The endpoints created so far, oldest first (not the preconfigured ones)."""
        return [endpoint_view(e, self._app.profile) for e in self._app.state.endpoints.all()]

    def delete(self, model_id: str) -> bool:
        """Delete as ``DELETE ...?force=true`` would; False if there was no such endpoint."""
        if self._app.state.endpoints.get(model_id) is None:
            return False
        delete_endpoint(self._app.state, self._app.profile, ANY, model_id, force=True)
        return True

    def deployments(self) -> dict[str, dict[str, Any]]:
        """The running trained model deployments (the built-in services start them): each
        one's settings, by deployment id (the inference id that started it)."""
        return self._app.state.deployments.all()

    def stop_deployment(self, deployment_id: str, *, force: bool = False) -> bool:
        """Stop a deployment as ``POST _ml/trained_models/{id}/deployment/_stop`` would, in any
        release: needed in 8.11, where deleting an endpoint leaves its deployment running.
        False if there was none; raises its ``EsError`` (409) if an ingest pipeline declared
        with ``use_in_pipeline`` uses it, unless ``force``."""
        if deployment_id not in self._app.state.deployments:
            return False
        stop_deployment(self._app.state, deployment_id, force=force)
        return True

    def use_in_pipeline(self, model_id: str, pipeline: str) -> None:
        """Declare that ingest pipeline ``pipeline`` uses the endpoint (DELETE refuses, 8.15+)."""
        self._app.state.references.add(model_id, pipeline=pipeline, index=None)

    def use_in_index(self, model_id: str, index: str) -> None:
        """Declare that a semantic_text field of ``index`` uses the endpoint (8.16+)."""
        self._app.state.references.add(model_id, pipeline=None, index=index)


class Providers:
    """The simulated third-party providers (OpenAI, Cohere, ...) behind one fake's endpoints.

    A target is an inference id, ``"service:<name>"`` (every endpoint of a service) or
    ``"*"``; the most specific one applies.
    """

    def __init__(self, app: FakeElasticsearch) -> None:
        self._plan = app.state.providers

    def fail(
        self,
        target: str = "*",
        *,
        status: int | None = None,
        message: str | None = None,
        network: bool = False,
        delay: float = 0.0,
        times: int | None = None,
        mid_stream: bool = False,
    ) -> ProviderFailure:
        """The provider answers ``status`` (with ``message`` as its error), or the connection
        fails (``network=True``), after ``delay`` seconds; for ``times`` calls (None: all).
        With ``mid_stream``, a streaming answer starts and the error follows its first piece."""
        failure = ProviderFailure(status, message, network, delay, times, mid_stream=mid_stream)
        return self._plan.fail(target, failure)

    def answer(self, target: str, answer: Answer) -> None:
        """What the provider answers: a completion text, an embedding (a list of floats), a
        rerank score, a token map, a list of those (one per input), or a function of
        ``(task_type, inputs, query)`` returning one."""
        self._plan.answer(target, answer)

    def clear(self) -> None:
        self._plan.clear()


class FakeEs:
    """A running fake, as a test sees it."""

    def __init__(self, app: FakeElasticsearch, url: str) -> None:
        self.app = app
        self.url = url.rstrip("/")
        self.models = Models(app)
        self.providers = Providers(app)

    def client(self, *, module: str | None = None, **kwargs: Any) -> Any:
        """An official ``Elasticsearch`` client that reaches this fake with no socket.

        ``module`` picks the package (``elasticsearch``, ``elasticsearch9`` or
        ``elasticsearch8``; default: the first installed); ``kwargs`` go to the client.
        """
        from fake_es.in_process import in_process_client  # needs an official client installed

        return in_process_client(self.app, asynchronous=False, module=module, **kwargs)

    def async_client(self, *, module: str | None = None, **kwargs: Any) -> Any:
        """An official ``AsyncElasticsearch`` client that reaches this fake with no socket."""
        from fake_es.in_process import in_process_client

        return in_process_client(self.app, asynchronous=True, module=module, **kwargs)

    def __repr__(self) -> str:
        return f"<FakeEs {self.url} Elasticsearch {self.app.profile.number}>"

    @property
    def state(self) -> FakeState:
        return self.app.state

    def reset(self) -> None:
        """Forget models, journal, faults and crashes.

        Requests still being served (say, one a fault delays past the client's
        timeout) cannot land in the next test's clean state: whatever they try to
        change after the reset is refused and their connection closed. Nothing
        waits for them.
        """
        self.app.state.reset()

    def snapshot(self) -> Snapshot:
        """The set-up state now: endpoints, deployments, declared references and the
        providers' plan (not the journal, faults or region policy), as stored, the same
        for every release. For module-scoped set-up: seed once, then ``restore`` per test."""
        return self.app.state.snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        """``reset``, then put back what ``snapshot()`` took (journal and faults empty)."""
        self.app.state.restore(snapshot)

    # --- journal ---

    @property
    def requests(self) -> list[JournalEntry]:
        """Every request served so far, oldest first."""
        return self.app.state.journal.entries()

    def requests_matching(
        self,
        method: str | None = None,
        path: str = "*",
        *,
        json: Any = UNSET,
        json_contains: Any = UNSET,
        query: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> list[JournalEntry]:
        """Requests with this method, a path matching the glob, and (if given) this JSON
        body, a body containing this part, these query parameters and these headers."""
        expect = Expect(method, path, json, json_contains, query, headers)
        return [entry for entry in self.requests if expect.matches(entry)]

    def assert_request_made(
        self,
        method: str | None = None,
        path: str = "*",
        *,
        json: Any = UNSET,
        json_contains: Any = UNSET,
        query: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        count: int | None = None,
    ) -> None:
        """At least one matching request (exactly ``count``, if given) was made."""
        __tracebackhide__ = True  # pytest shows the test's own line, not this one
        expect = Expect(method, path, json, json_contains, query, headers)
        entries = self.requests
        found = sum(1 for entry in entries if expect.matches(entry))
        if (count is None and found > 0) or found == count:
            return
        expected = "at least 1" if count is None else str(count)
        lines = [f"expected {expected} request(s) {expect.describe()}, found {found}"]
        lines += _journal_lines(entries)
        lines += _closest(entries, expect)
        raise AssertionError("\n".join(lines))

    def assert_requests_in_order(self, *expectations: Expect | str) -> None:
        """Requests matching each expectation (an ``Expect``, or ``"METHOD /glob"``) were
        made in this order, each after the one matching the expectation before; other
        requests may come before, between and after them."""
        __tracebackhide__ = True  # pytest shows the test's own line, not this one
        wanted = [_expectation(e) for e in expectations]
        entries = self.requests
        matched: list[int] = []  # the place in the journal (from 0) each one matched
        for number, expect in enumerate(wanted, 1):
            start = matched[-1] + 1 if matched else 0
            # The earliest match leaves the most room for those still to come.
            place = next(
                (i for i in range(start, len(entries)) if expect.matches(entries[i])), None
            )
            if place is not None:
                matched.append(place)
                continue
            where = f" after request {start}" if start else ""
            lines = [f"expectation {number} of {len(wanted)} not found{where}: {expect.describe()}"]
            if matched:
                lines.append("matched in order:")
                lines += [
                    f"  {n}. {wanted[n - 1].describe()} -> request {i + 1}"
                    for n, i in enumerate(matched, 1)
                ]
            earlier = [str(i + 1) for i in range(start) if expect.matches(entries[i])]
            if earlier:
                lines.append(f"it matches only earlier request(s): {', '.join(earlier)}")
            lines += _journal_lines(entries)
            if start and start == len(entries):
                lines.append(f"no requests after request {start}")
            lines += _closest(entries[start:], expect)
            raise AssertionError("\n".join(lines))

    def assert_no_requests_except(self, *allowed: str) -> None:
        """Every request matched one of ``"METHOD /glob"`` (or ``"/glob"`` for any method)."""
        __tracebackhide__ = True  # pytest shows the test's own line, not this one
        rules = [Expect.parse(rule) for rule in allowed]
        unexpected = [
            entry for entry in self.requests if not any(rule.matches(entry) for rule in rules)
        ]
        if unexpected:
            lines = [f"{len(unexpected)} request(s) outside {list(allowed)}:"]
            lines += [f"  {entry.describe()}" for entry in unexpected]
            raise AssertionError("\n".join(lines))

    def assert_no_requests(self) -> None:
        __tracebackhide__ = True
        self.assert_no_requests_except()

    # --- faults ---

    def fail(
        self,
        path: str = "*",
        *,
        method: str | None = None,
        status: int = 503,
        times: int | None = 1,
        error_type: str | None = None,
        reason: str | None = None,
        delay: Delay = 0.0,
        headers: dict[str, str] | None = None,
    ) -> Fault:
        """The next ``times`` matching requests get ``status`` and an Elasticsearch error body,
        with ``headers`` on top (``{"Retry-After": "2"}``), after ``delay`` seconds (or
        ``(low, high)``: a uniform draw per request)."""
        fault = Fault(path, method, times, status, error_type, reason, delay, headers=headers)
        return self.app.state.faults.add(fault)

    def respond(
        self,
        path: str = "*",
        *,
        method: str | None = None,
        status: int = 200,
        json: Any = None,
        body: str | bytes | None = None,
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
        product_header: bool = True,
        times: int | None = 1,
        delay: Delay = 0.0,
    ) -> Fault:
        """The next ``times`` matching requests get exactly this answer instead of the fake's:
        ``status`` (100-599) with ``json`` (compact, ``application/json``) or ``body``
        (bytes, or a str as UTF-8, with ``content_type``, default
        ``text/plain; charset=UTF-8``; neither: an empty body), ``headers`` on top, and
        ``X-elastic-product: Elasticsearch`` unless ``product_header`` is false (a proxy's
        answer, which the official clients refuse with ``UnsupportedProductError``)."""
        if json is None and body is None:
            body = b""
        fault = Fault(
            path,
            method,
            times,
            status,
            delay=delay,
            json=json,
            body=body,
            headers=headers,
            content_type=content_type,
            product_header=product_header,
        )
        return self.app.state.faults.add(fault)

    def delay(
        self, seconds: Delay, path: str = "*", *, method: str | None = None, times: int | None = 1
    ) -> Fault:
        """The next ``times`` matching requests are answered ``seconds`` late (a number, or
        ``(low, high)``: a uniform draw per request from the state's ``random``)."""
        return self.app.state.faults.add(Fault(path, method, times, delay=seconds))

    def drop_connection(
        self, path: str = "*", *, method: str | None = None, times: int | None = 1
    ) -> Fault:
        """The next ``times`` matching requests get no answer: the connection is closed."""
        return self.app.state.faults.add(Fault(path, method, times, drop_connection=True))

    def send_garbage(
        self, path: str = "*", *, method: str | None = None, times: int | None = 1
    ) -> Fault:
        """The next ``times`` matching requests get 256 random bytes that are not HTTP, then
        the connection is closed (the client sees a protocol error: its ``ConnectionError``)."""
        return self.app.state.faults.add(Fault(path, method, times, garbage=True))

    def seed(self, value: int) -> None:
        """Seed the random draws of delay ranges and garbage, for a repeatable run."""
        self.app.state.random.seed(value)

    def clear_faults(self) -> None:
        self.app.state.faults.clear()

    def assert_faults_matched(self) -> None:
        """Every fault added (and not cleared) matched at least one request: a fault whose
        path or method has a typo otherwise passes unnoticed. Strict mode checks this at
        each test's teardown."""
        unmatched = [fault for fault in self.app.state.faults.pending() if fault.matched == 0]
        if unmatched:
            lines = [f"{len(unmatched)} fault(s) never matched a request:"]
            lines += [
                f"  {fault.method or '*'} {fault.path}: {fault.describe()}" for fault in unmatched
            ]
            lines += _journal_lines(self.requests)
            raise AssertionError("\n".join(lines))

    # --- crashes ---

    def check(self) -> None:
        """Raise ``FakeEsCrashed`` if the fake crashed since the last check."""
        crashes = self.app.state.crashes.take()
        if crashes:
            raise FakeEsCrashed("\n".join(crash.formatted() for crash in crashes))

    # --- pytest-httpserver ---

    def mount(self, httpserver: HTTPServer) -> None:
        """Serve the inference API from ``httpserver``, beside its other expectations, with
        the root banner (``GET /``, ``HEAD /``) that clients ping and read at start-up."""
        pattern = re.compile(r"^/_inference(/.*)?$")
        for method in ("GET", "PUT", "POST", "DELETE", "HEAD"):
            httpserver.expect_request(pattern, method=method).respond_with_handler(
                self.app.respond_to
            )
        for method in ("GET", "HEAD"):
            httpserver.expect_request("/", method=method).respond_with_handler(self.app.respond_to)


def _expectation(given: Expect | str) -> Expect:
    if isinstance(given, str):
        return Expect.parse(given)
    if isinstance(given, Expect):
        return given
    raise TypeError(f"expected an Expect or a 'METHOD /glob' string, not {given!r}")


def _journal_lines(entries: Iterable[JournalEntry]) -> list[str]:
    entries = list(entries)
    if not entries:
        return ["no requests were made"]
    return [f"requests made ({len(entries)}):"] + [
        f"  {i}. {entry.describe()}" for i, entry in enumerate(entries, 1)
    ]


def _closest(entries: list[JournalEntry], expect: Expect) -> list[str]:
    """How the most similar request differs from the one expected (nothing if none do)."""
    if not entries:
        return []
    best = min(entries, key=expect.distance)
    lines = expect.explain(best)
    if not lines:
        return []
    return ["closest request differs:", f"  {best.describe()}:"] + [f"    {line}" for line in lines]
