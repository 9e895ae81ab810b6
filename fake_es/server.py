"""The app on a real socket: werkzeug's threaded server, in the foreground or a thread.

``FakeServer`` is a pytest-httpserver ``HTTPServerBase``: the same start/stop,
port-0 and context-manager behaviour, with the fake's app behind ``dispatch``.
"""

from __future__ import annotations

import io
import logging
import socket
import threading
from typing import Any

from pytest_httpserver.httpserver import HTTPServerBase
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from fake_es.app import MAX_CONTENT_LENGTH, STARTED_GENERATION, TOO_LARGE, FakeElasticsearch

access_log = logging.getLogger("fake_es.access")


# C0 and C1 control characters and the backslash, escaped as CPython's own
# BaseHTTPRequestHandler.log_message does, so that a request cannot drive the terminal.
_CONTROLS = str.maketrans(
    {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]} | {0x5C: "\\\\"}
)


def escape_controls(text: str) -> str:
    """``text`` with control characters as ``\\xNN`` and backslashes doubled."""
    return text.translate(_CONTROLS)


_CHUNK = 64 * 1024


def _read_capped_body(environ: dict[str, Any]) -> tuple[bytes, int | None]:
    """The request body (chunked or by Content-Length) and None, or b"" and the bytes
    seen once it passes ``http.max_content_length``: never more than that is held."""
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        parts: list[bytes] = []
        received = 0
        while chunk := stream.read(_CHUNK):
            received += len(chunk)
            if received <= MAX_CONTENT_LENGTH:
                parts.append(chunk)
            elif parts:
                parts = []  # past the limit: the rest is read and dropped, as Netty does
        if received > MAX_CONTENT_LENGTH:
            return b"", received
        return b"".join(parts), None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length < 0:
        raise ValueError(length)
    body: bytes = stream.read(length) if length else b""
    return body, None


def _declared_length(headers: Any) -> int | None:
    text = headers.get("Content-Length")
    if text is None or "chunked" in headers.get("Transfer-Encoding", "").lower():
        return None
    return int(text)


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's request handler with Elasticsearch's connection manners.

    werkzeug answers ``Connection: close`` every time, because an app may leave
    part of a body unread. Elasticsearch keeps HTTP/1.1 connections open, so this
    handler reads the whole body before the app runs and, the connection then
    being clean, keeps it for the client's next request (unless the client asked
    to close it, or a fault dropped it). It sends no ``Server`` or ``Date``
    header, as Elasticsearch does not, and logs one plain line per request.
    """

    def setup(self) -> None:
        super().setup()
        # http.tcp.no_delay: answers are not held back waiting for the client's ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def run_wsgi(self) -> None:
        # The headers are in: a reset from now on counts for this request, body or not.
        app = self.server.app
        assert isinstance(app, FakeElasticsearch)
        started = app.state.generation.current
        expects_continue = self.headers.get("Expect", "").lower().strip() == "100-continue"
        try:
            declared = _declared_length(self.headers)
        except ValueError:
            self.close_connection = True
            self.send_error(400, "Bad Content-Length")
            return
        too_large: int | None = None
        if declared is not None and declared > MAX_CONTENT_LENGTH:
            # HttpObjectAggregator: 413 from the declared length, before any 100 Continue;
            # without Expect, a keep-alive connection stays and the body is skipped.
            too_large = declared
            if not (expects_continue or self.close_connection):
                self._skip(declared)
            self.close_connection = self.close_connection or expects_continue
        elif expects_continue:
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        environ = self.make_environ()
        environ[STARTED_GENERATION] = started
        if too_large is None:
            try:
                body, too_large = _read_capped_body(environ)
            except ValueError:
                self.close_connection = True
                self.send_error(400, "Bad Content-Length")
                return
        else:
            body = b""
        if too_large is not None:
            environ[TOO_LARGE] = too_large
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        answer: list[Any] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            answer[:] = [status, headers]
            return lambda data: None

        try:
            chunks = self.server.app(environ, start_response)
            status, headers = answer
            if not any(name.lower() == "content-length" for name, _ in headers):
                self._send_chunked(status, headers, chunks)
                return
            payload = b"".join(chunks)
        except ConnectionError:
            self.close_connection = True  # a fault dropped it, or the client went away
            return
        self._send_head(status, headers)
        if environ["REQUEST_METHOD"] != "HEAD":
            self.wfile.write(payload)

    def _send_head(self, status: str, headers: list[tuple[str, str]]) -> None:
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def _send_chunked(self, status: str, headers: list[tuple[str, str]], chunks: Any) -> None:
        """An answer of unknown length (Elasticsearch's chunked responses, the event streams):
        ``Transfer-Encoding: chunked``, each piece written and flushed as the app yields it."""
        try:
            self._send_head(status, [*headers, ("Transfer-Encoding", "chunked")])
            for chunk in chunks:
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    def handle_expect_100(self) -> bool:
        # run_wsgi answers Expect itself, once it knows whether the body is too large.
        return True

    def _skip(self, length: int) -> None:
        """Read and drop ``length`` body bytes, a piece at a time."""
        while length > 0:
            piece = self.rfile.read(min(length, _CHUNK))
            if not piece:
                self.close_connection = True
                return
            length -= len(piece)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() in ("server", "date"):
            return
        super().send_header(keyword, value)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        status = getattr(code, "value", code)
        line = escape_controls(self.requestline)
        access_log.info('%s "%s" %s %s', self.address_string(), line, status, size)

    def log_message(self, format: str, *args: Any) -> None:
        # http.server's own messages (errors on bad requests) quote the request too.
        access_log.info("%s %s", self.address_string(), escape_controls(format % args))

    def log_error(self, format: str, *args: Any) -> None:
        self.log_message(format, *args)


class FakeServer(HTTPServerBase):
    """Serves one fake app over HTTP; port 0 picks a free port, read back from ``port``."""

    def __init__(self, app: FakeElasticsearch, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port, threaded=True)
        self.app = app

    @property
    def url(self) -> str:
        return self.url_for("/").rstrip("/")

    def start(self) -> None:
        """Bind, then serve from a daemon thread; a busy port raises ``OSError``."""
        self.bind()
        assert self.server is not None
        self.server_thread = threading.Thread(
            target=self.thread_target, name=f"fake-es:{self.port}", daemon=True
        )
        self.server_thread.start()

    def bind(self) -> None:
        # werkzeug would print and exit on a busy port; binding first raises instead.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.create_server((self.host, self.port), family=family) as listener:
            self.server = make_server(
                self.host,
                self.port,
                self.app,
                threaded=True,
                request_handler=_RequestHandler,
                fd=listener.fileno(),
            )
        self.port = self.server.socket.getsockname()[1]

    def serve_bound(self) -> None:
        """Serve in the calling thread, after ``bind``, until interrupted (the dev server)."""
        assert self.server is not None, "bind() first"
        try:
            self.server.serve_forever()
        finally:
            self.server.server_close()
            self.server = None

    def stop(self) -> None:
        if self.server is not None and self.server_thread is not None:
            self.server.shutdown()
            self.server_thread.join()
            self.server.server_close()
        self.server = None
        self.server_thread = None

    def dispatch(self, request: Request) -> Response:
        # The server calls the app directly; this serves HTTPServerBase.application callers.
        return self.app.respond_to(request)
