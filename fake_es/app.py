"""The WSGI application: faults, journal and crash reporting around Elasticsearch's REST layer.

One ``FakeElasticsearch`` serves one ``FakeState``. Tests, the dev server and
the pytest plugin all build it with ``create_app``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from fake_es.access_log import log_answer, log_dropped, started
from fake_es.cluster import info_routes
from fake_es.control.faults import ConnectionDropped, Fault, GarbageSent
from fake_es.control.journal import JournalEntry, redact_headers
from fake_es.control.redaction import redact_secret_settings
from fake_es.control.routes import CONTROL_PREFIX, control_routes
from fake_es.generation import StaleRequest
from fake_es.inference.routes import inference_routes
from fake_es.rest.controller import RestController, render_plain_error
from fake_es.rest.errors import EsError
from fake_es.rest.response_check import ResponseChecker
from fake_es.rest.routing import Route
from fake_es.rest.wsgi import Incoming, Reply, as_response
from fake_es.security.realm import SecurityRealm
from fake_es.state import Crash, FakeState
from fake_es.versions import DEFAULT_VERSION, VersionProfile, get_profile

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger("fake_es")

# http.max_content_length's default; Netty refuses more before Elasticsearch sees it.
MAX_CONTENT_LENGTH = 100 * 1024 * 1024


class FakeElasticsearch:
    """A WSGI app that answers like an Elasticsearch node of one version."""

    def __init__(
        self,
        state: FakeState | None = None,
        *,
        version: str = DEFAULT_VERSION,
        security: SecurityRealm | None = None,
        check_responses: bool = False,
        protect_control_api: bool = False,
        eis: bool = False,
    ) -> None:
        if protect_control_api and security is None:
            raise ValueError("protecting the control API needs security on (a security config)")
        self.protect_control_api = protect_control_api
        self.state = state if state is not None else FakeState()
        if eis:
            self.state.eis_authorised = True
        self.profile: VersionProfile = get_profile(version)
        self.security = security
        self.routes: list[Route] = [
            *info_routes(),
            *inference_routes(self.profile),
            *control_routes(),
        ]
        checker = ResponseChecker() if check_responses else None
        self._controller = RestController(self.routes, self.state, self.profile, security, checker)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        generation = self.state.generation
        since = started()
        try:
            token = generation.enter(environ.get(STARTED_GENERATION, generation.current))
            try:
                return self._serve(environ, start_response, since)
            finally:
                generation.leave(token)
        except StaleRequest:
            # A reset came while this request was in flight: as a restart, no answer.
            if since is not None:
                log_dropped(environ, since, "a reset came while it was served")
            _close_connection(environ)
            raise
        except ConnectionDropped as dropped:
            if since is not None:
                log_dropped(environ, since, str(dropped))
            raise

    def _serve(
        self, environ: WSGIEnvironment, start_response: StartResponse, since: float | None
    ) -> Iterable[bytes]:
        request = Incoming(environ)
        uri = environ.get("REQUEST_URI") or request.full_path.rstrip("?")
        # The fake's own routes are neither journaled nor faulted, nor secured unless protected.
        elasticsearch_route = not request.path.startswith(CONTROL_PREFIX)
        secured = elasticsearch_route or self.protect_control_api
        fault = (
            self.state.faults.take(request.method, request.path) if elasticsearch_route else None
        )
        # Drawn once per request, so that the journal shows the delay this one got.
        delay = fault.pick_delay(self.state.random) if fault is not None else 0.0
        noted = fault.describe(delay) if fault is not None else None
        content = b""
        length: int | None = None
        try:
            content, length = _read_body(request)
            response = self._respond(fault, delay, request, uri, content, length, secured)
        except StaleRequest:
            raise
        except ConnectionDropped as dropped:
            if elasticsearch_route:
                self._journal(request, content, length, None, noted)
            if isinstance(dropped, GarbageSent):
                _send_raw(environ, dropped.data)
            _close_connection(environ)
            raise
        except Exception as error:  # a bug in the fake: make it loud
            response = self._crash(request, uri, error)
        if request.method == "HEAD":
            # DefaultRestChannel: no body, but the length of the body a GET would have.
            response = as_response(response)
            length = len(response.get_data())
            response.set_data(b"")
            response.headers["content-length"] = str(length)
        if since is not None:
            log_answer(environ, since, as_response(response))
        if isinstance(response, Response) and response.is_streamed:
            sent = self._crash_loudly(request, uri, response(environ, start_response))
            if not elasticsearch_route:
                return sent
            return self._journal_when_sent(request, content, response, noted, sent)
        if elasticsearch_route:
            self._journal(request, content, length, response, noted)
        return response(environ, start_response)

    def _crash_loudly(
        self, request: Incoming, uri: str, chunks: Iterable[bytes]
    ) -> Iterator[bytes]:
        """A streamed answer's chunks. A bug raised while they are made, after the head went
        out, is recorded as a crash (so the test fails at its check) before the connection
        ends mid-answer."""
        try:
            yield from chunks
        except ConnectionError:
            raise  # the client went away, or a fault dropped it
        except Exception as error:
            self._record_crash(request, uri, error)
            raise
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    def _journal_when_sent(
        self,
        request: Incoming,
        content: bytes,
        response: Response,
        fault: str | None,
        chunks: Iterable[bytes],
    ) -> Iterator[bytes]:
        """A chunked answer, passed on chunk by chunk and journaled with what was sent once
        it ends (or the client goes away)."""
        sent: list[bytes] = []
        try:
            for chunk in chunks:
                sent.append(chunk)
                yield chunk
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # the WSGI iterable's close(), which the server now calls on this one
            self._journal(request, content, None, response, fault, b"".join(sent))

    def respond_to(self, request: Request) -> Response:
        """Answer a werkzeug request that another server (pytest-httpserver) already read."""
        data = request.get_data()
        environ = {**request.environ, "wsgi.input": io.BytesIO(data)}
        environ["CONTENT_LENGTH"] = str(len(data))
        return Response.from_app(self, environ, buffered=True)

    def _respond(
        self,
        fault: Fault | None,
        delay: float,
        request: Incoming,
        uri: str,
        content: bytes,
        too_large: int | None,
        secured: bool,
    ) -> Reply:
        if fault is not None:
            if delay:
                generation = self.state.generation
                generation.pause(delay)
                generation.check()  # a reset came meanwhile: no answer, at once
            if fault.drop_connection:
                raise ConnectionDropped(f"fake-es dropped the connection: {fault.describe(delay)}")
            if fault.garbage:
                raise GarbageSent(
                    f"fake-es sent garbage and closed the connection: {fault.describe(delay)}",
                    fault.garbage_bytes(self.state.random),
                )
            scripted = fault.scripted()
            if scripted is not None:
                return fault.finish(scripted)
            error = fault.error()
            if error is not None:
                return fault.finish(render_plain_error(error))
        if too_large is not None:
            # HttpObjectAggregator's TOO_LARGE: 413, empty, before Elasticsearch sees it.
            too_large_response = Response(b"", status="413 Request Entity Too Large")
            too_large_response.headers.remove("Content-Type")
            too_large_response.headers["content-length"] = "0"
            return too_large_response
        return self._controller.handle(request, uri, content, secured=secured)

    def _journal(
        self,
        request: Incoming,
        content: bytes,
        too_large: int | None,
        response: Reply | None,
        fault: str | None,
        streamed_body: bytes | None = None,
    ) -> None:
        if streamed_body is not None:
            response_body = streamed_body
        else:
            response_body = response.get_data() if response is not None else b""
        self.state.journal.record(
            JournalEntry.keeping_prefixes(
                method=request.method,
                path=request.path,
                query=request.first_args(),
                headers=redact_headers(dict(request.header_items())),
                body=redact_secret_settings(content),
                body_length=len(content) if too_large is None else too_large,
                status=response.status_code if response is not None else None,
                response_body=response_body,
                fault=fault,
            )
        )

    def _crash(self, request: Incoming, uri: str, error: Exception) -> Response:
        self._record_crash(request, uri, error)
        failure = EsError(
            500,
            "fake_es_internal_error",
            f"fake-es crashed: {type(error).__name__}: {error}",
            elasticsearch_exception=False,
        )
        return render_plain_error(failure)

    def _record_crash(self, request: Incoming, uri: str, error: Exception) -> None:
        crash = Crash(request.method, uri, error)
        self.state.crashes.record(crash)
        log.error("%s", crash.formatted())


def create_app(
    state: FakeState | None = None,
    *,
    version: str = DEFAULT_VERSION,
    security: SecurityRealm | None = None,
    check_responses: bool = False,
    protect_control_api: bool = False,
    eis: bool = False,
) -> FakeElasticsearch:
    """The fake as a WSGI app; pass a ``FakeState`` to share state with other apps.

    ``protect_control_api`` (with ``security``): the ``/_fake_es/`` routes need the
    credentials of a caller granted the ``all`` cluster privilege, as a superuser is.
    ``eis``: the cluster (the state) is authorised to use the Elastic Inference Service,
    as on Elastic Cloud: the ``elastic`` service and its preconfigured endpoints exist.
    """
    return FakeElasticsearch(
        state,
        version=version,
        security=security,
        check_responses=check_responses,
        protect_control_api=protect_control_api,
        eis=eis,
    )


# What a server sets when a request's headers arrive, before its body: the reset
# generation then current, so that a reset during a slow upload also counts.
STARTED_GENERATION = "fake_es.started_generation"
# What the dev server sets when it refused to read a body past MAX_CONTENT_LENGTH: the
# body's length as far as it is known (the declared length, or the bytes received).
TOO_LARGE = "fake_es.body_too_large"


def _read_body(request: Incoming) -> tuple[bytes, int | None]:
    """The body as Netty's HttpContentDecompressor passes it on, and None; or b"" and the
    length seen when it is over ``http.max_content_length`` (decompressed, if compressed).

    HttpObjectAggregator counts the bytes after the decompressor, so a small compressed
    body that inflates past the limit is refused. A compressed body is inflated twice:
    first only counted, a piece at a time, so that a bomb is refused having held one
    piece; then kept, once its size is known to be within the limit.
    """
    too_large = request.environ.get(TOO_LARGE)
    if too_large is not None:
        return b"", int(too_large)
    raw = request.read(MAX_CONTENT_LENGTH + 1)
    if len(raw) > MAX_CONTENT_LENGTH:
        return b"", len(raw)
    encoding = (request.header("Content-Encoding") or "").strip().lower()
    window = _WINDOWS.get(encoding)
    if window is None:
        return raw, None
    try:
        _, size = _inflate(raw, window, keep=False)
        if size > MAX_CONTENT_LENGTH:
            return b"", size
        pieces, _ = _inflate(raw, window, keep=True)
    except (EOFError, zlib.error) as error:
        # A decoder failure reaches Netty's exceptionCaught, which closes the channel.
        raise ConnectionDropped(f"undecodable {encoding} body: {error}") from error
    return b"".join(pieces), None


# Content-Encoding values HttpContentDecompressor inflates, and their zlib windows.
_WINDOWS = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
    "x-deflate": zlib.MAX_WBITS,
}
# Bodies are read and inflated this much at a time, and compressed input is fed to the
# decompressor in slices of _INPUT_SLICE, so that what it leaves unread is never copied whole.
_INFLATED_PIECE = 1024 * 1024
_INPUT_SLICE = 64 * 1024


def _inflate(raw: bytes, window: int, *, keep: bool) -> tuple[list[bytes], int]:
    """Decompress ``raw`` (one or more gzip members, or one zlib stream) a piece at a
    time: the pieces (if ``keep``) and the size, stopping one byte past
    MAX_CONTENT_LENGTH."""
    view = memoryview(raw)
    slices = deque(view[start : start + _INPUT_SLICE] for start in range(0, len(raw), _INPUT_SLICE))
    pieces: list[bytes] = []
    size = 0
    decompressor = zlib.decompressobj(window)
    while slices:
        data: bytes | memoryview = slices.popleft()
        while data:
            piece = decompressor.decompress(
                data, min(_INFLATED_PIECE, MAX_CONTENT_LENGTH + 1 - size)
            )
            data = decompressor.unconsumed_tail
            size += len(piece)
            if size > MAX_CONTENT_LENGTH:
                return [], size
            if keep and piece:
                pieces.append(piece)
            if decompressor.eof:
                # Gzip members are read one after another (HttpContentDecompressor's
                # JdkZlibDecoder decompresses concatenated members); trailing zero bytes are
                # ignored here, where Netty refuses ten or more bytes that start no member. A
                # zlib stream ends with its first.
                data = decompressor.unused_data
                if window == zlib.MAX_WBITS or not any(
                    bytes(rest).strip(b"\0") for rest in (data, *slices)
                ):
                    return pieces, size
                decompressor = zlib.decompressobj(window)
            elif not piece and not data:
                break  # the slice is all in: the next one
    raise EOFError("compressed data ended before the end-of-stream marker")


def _send_raw(environ: WSGIEnvironment, data: bytes) -> None:
    """Write ``data`` to the client's socket, bypassing HTTP (nothing was sent yet)."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.sendall(data)


def _close_connection(environ: WSGIEnvironment) -> None:
    """Shut the client's socket so that it sees the connection end with no answer."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
