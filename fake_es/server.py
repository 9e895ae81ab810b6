"""The app on a real socket: werkzeug's threaded server, in the foreground or a thread.

``FakeServer`` starts and stops as pytest-httpserver's ``HTTPServerBase`` does (port 0,
a daemon thread, a context manager) without importing it, so serving needs no test tools.
"""

from __future__ import annotations

import contextlib
import email.parser
import gc
import http.client
import io
import re
import selectors
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

from fake_es.access_log import escape_controls, requests_log
from fake_es.allocator import trim_memory
from fake_es.app import MAX_CONTENT_LENGTH, STARTED_GENERATION, TOO_LARGE, FakeElasticsearch
from fake_es.control.faults import bodiless as bodiless_status
from fake_es.rest.controller import render_plain_error
from fake_es.rest.errors import EsError

# Netty's HttpResponseStatus.valueOf names the status line (Netty4HttpResponse), not
# werkzeug's upper-case phrases; these four are the names newer Pythons changed.
_NETTY_PHRASES = {
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    416: "Requested Range Not Satisfiable",
    422: "Unprocessable Entity",
}


def netty_reason_phrase(code: int) -> str:
    """The reason phrase Elasticsearch's status line carries for ``code``."""
    if code in _NETTY_PHRASES:
        return _NETTY_PHRASES[code]
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        # new HttpResponseStatus(code): its class's default phrase and the code.
        kinds = {1: "Informational", 2: "Success", 3: "Redirection", 4: "Client Error"}
        kind = kinds.get(code // 100, "Server Error" if code // 100 == 5 else "Unknown Status")
        return f"{kind} ({code})"


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
    body: bytes = stream.read(length) if length else b""
    return body, None


def _declared_length(headers: Message, version: str) -> int | None:
    """The body length the headers declare, as Netty's HttpObjectDecoder.readHeaders takes
    it (HttpUtil.normalizeAndGetContentLength): None when there is none or the body is
    chunked; an IllegalArgumentException (400) for several values or one not a number."""
    values = [value.strip() for value in headers.get_all("Content-Length", [])]
    if not values:
        return None
    if (len(values) > 1 or "," in values[0]) and version != "HTTP/1.0":
        listed = ", ".join(values)
        raise _illegal_argument(f"Multiple Content-Length values found: [{listed}]")
    first = values[0]
    if not _DIGITS.fullmatch(first) or int(first) > _LONG_MAX:
        raise _illegal_argument(f"Content-Length value is not a number: {first}")
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        return None  # HttpObjectDecoder drops Content-Length beside chunked (RFC 7230 3.3.3)
    return int(first)


# HttpTransportSettings: http.max_initial_line_length (4kb) and http.max_header_size
# (16kb in 8.x and 9.x; 8kb was 7.x's default). Netty counts neither CR nor LF.
MAX_INITIAL_LINE_LENGTH = 4096
MAX_HEADER_SIZE = 16 * 1024
# Enough bytes for the head of any request within those limits (each line's CRLF too).
_HEAD_BUFFER = 64 * 1024
_DIGITS = re.compile("[0-9]+")
_LONG_MAX = 2**63 - 1
# io.netty.handler.codec.http.HttpVersion's VERSION_PATTERN, with Java's ASCII classes.
_VERSION = re.compile(r"(\S+)/([0-9]+)\.([0-9]+)", re.ASCII)
# Threads that serve requests; more requests wait in the waiting room, then the backlog.
SERVING_THREADS = 64
# Seconds a connection may take to send a request's head (on keep-alive: from the last
# answer), and a body or an answer may stall, before it is closed. Elasticsearch needs
# neither (http.read_timeout is off by default): its idle connections cost no thread.
IDLE_TIMEOUT = 60.0
READ_TIMEOUT = 60.0
# Blank lines Netty's decoder skips before a request line (SKIP_CONTROL_CHARS), bounded here.
_BLANK_LINES = 16
# How often the waiting room closes connections past their deadline, and at most how
# often it gives freed memory back to the system once no request is being served.
_SWEEP_INTERVAL = 0.25
# Netty's SslHandler: handshakeTimeoutMillis defaults to 10,000.
_HANDSHAKE_TIMEOUT = 10.0
_TRIM_INTERVAL = 1.0


def _illegal_argument(reason: str) -> EsError:
    return EsError(400, "illegal_argument_exception", reason, elasticsearch_exception=False)


class _DecoderFailure(Exception):
    """HttpObjectDecoder's DecoderResult.failure: the cause Elasticsearch answers with, and
    the version of the request it was set on (HTTP/1.0 for the decoder's stand-in request
    when the request line itself failed)."""

    def __init__(self, error: EsError, version: str) -> None:
        super().__init__(error.reason)
        self.error = error
        self.version = version


def _http_version(text: str) -> str:
    """io.netty.handler.codec.http.HttpVersion.valueOf, normalized (``HTTP/1.1``)."""
    if not text:
        raise _illegal_argument("text is empty (possibly HTTP/0.9)")
    text = text.upper()
    match = _VERSION.fullmatch(text)
    if match is None:
        raise _illegal_argument(f"invalid version format: {text}")
    return f"{match[1]}/{int(match[2])}.{int(match[3])}"


class _SocketReader(io.RawIOBase):
    """A connection's bytes: those the waiting room read ahead, then the socket's. Once
    ``released``, it ends after what was read ahead (the rest is the next request's)."""

    def __init__(self, sock: socket.socket, ahead: bytes) -> None:
        super().__init__()
        self._sock = sock
        self._ahead = ahead
        self.released = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._ahead:
            count = min(len(buffer), len(self._ahead))
            memoryview(buffer).cast("B")[:count] = self._ahead[:count]
            self._ahead = self._ahead[count:]
            return count
        if self.released:
            return 0
        return self._sock.recv_into(buffer)


@dataclass
class _Connection:
    """An accepted connection between requests: its socket and the bytes read ahead."""

    sock: socket.socket
    address: Any
    ahead: bytes = b""
    deadline: float = 0.0
    # TLS: accepted, its handshake still to do (in a serving thread, once bytes arrive).
    handshake: bool = False


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's request handler with Elasticsearch's connection manners.

    werkzeug answers ``Connection: close`` every time, because an app may leave
    part of a body unread. Elasticsearch keeps HTTP/1.1 connections open, so this
    handler reads the whole body before the app runs and, the connection then
    being clean, keeps it for the client's next request (unless the client asked
    to close it, or a fault dropped it). It sends no ``Server`` or ``Date``
    header, as Elasticsearch does not, and logs one plain line per request.
    """

    server: _PooledServer
    leftover = b""
    _declared: int | None = None
    requestline = "-"  # logged when the request line itself was refused

    def setup(self) -> None:
        connection: _Connection = self.request
        self.connection = connection.sock
        # http.read_timeout (ReadTimeoutHandler): a body or an answer that stalls this long
        # closes the connection. Elasticsearch's default is none; a thread here is not free.
        self.connection.settimeout(self.server.read_timeout)
        # http.tcp.no_delay: answers are not held back waiting for the client's ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._reader = _SocketReader(connection.sock, connection.ahead)
        self.rfile = io.BufferedReader(self._reader, _CHUNK)
        self.wfile = self.connection.makefile("wb")

    def handle(self) -> None:
        # One request: between requests the connection waits in the server's waiting room,
        # which costs no thread (Netty's event loop), not in this one.
        self.close_connection = True
        try:
            self.handle_one_request()
        except (ConnectionError, TimeoutError, ssl.SSLError):
            # ssl.SSLError: a TLS client that broke the protocol or went away mid-record.
            self.close_connection = True

    def finish(self) -> None:
        if not self.close_connection:
            self._reader.released = True
            self.leftover = self.rfile.read()  # a pipelined request's first bytes
        try:
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        self.wfile.close()
        self.rfile.close()

    def handle_one_request(self) -> None:
        try:
            if not self._read_head():
                return
        except _DecoderFailure as failure:
            self._bad_request(failure)
            return
        self.close_connection = self.headers.get("Connection", "").lower() == "close" or (
            self.request_version == "HTTP/1.0"
            and self.headers.get("Connection", "").lower() != "keep-alive"
        )
        self.run_wsgi()
        self.wfile.flush()

    def _read_line(self, room: int, error: Callable[[], EsError], version: str) -> bytes | None:
        """One line without its CRLF, as Netty's LineParser and HeaderParser read it: more
        than ``room`` bytes before the LF is a failure; None if the connection ended."""
        raw = self.rfile.readline(room + 3)
        if not raw.endswith(b"\n"):
            if len(raw) > room:
                raise _DecoderFailure(error(), version)
            return None
        line = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        if len(line) > room:
            raise _DecoderFailure(error(), version)
        return line

    def _read_head(self) -> bool:
        """Read the request line and headers with HttpObjectDecoder's limits and checks;
        False if the connection ended first."""
        line: bytes | None = b""
        for _ in range(_BLANK_LINES):
            line = self._read_line(MAX_INITIAL_LINE_LENGTH, _line_too_long, "HTTP/1.0")
            if line is None:
                return False
            if line.strip():
                break
        if line is None or not line.strip():
            return False
        self.raw_requestline = line
        self.requestline = line.decode("iso-8859-1")
        parts = self.requestline.split(None, 2)
        self.command = parts[0]
        self.path = parts[1] if len(parts) > 1 else ""
        try:
            self.request_version = _http_version(parts[2].strip() if len(parts) > 2 else "")
        except EsError as error:
            raise _DecoderFailure(error, "HTTP/1.0") from None
        lines: list[bytes] = []
        size = 0
        while True:  # bounded: each line takes at least one byte of MAX_HEADER_SIZE or ends
            header = self._read_line(MAX_HEADER_SIZE - size, _header_too_long, self.request_version)
            if header is None:
                return False
            if not header:
                break
            size += len(header)
            lines.append(header)
        self.headers = email.parser.Parser(_class=http.client.HTTPMessage).parsestr(
            b"\r\n".join([*lines, b"", b""]).decode("iso-8859-1")
        )
        if self.request_version not in ("HTTP/1.0", "HTTP/1.1"):
            # Netty takes any HTTP/x.y, but Netty4HttpRequest.protocolVersion throws
            # IllegalArgumentException when Elasticsearch answers: the channel is closed.
            return False
        try:
            self._declared = _declared_length(self.headers, self.request_version)
        except EsError as error:
            raise _DecoderFailure(error, self.request_version) from None
        return True

    def _bad_request(self, failure: _DecoderFailure) -> None:
        """RestController.dispatchBadRequest: 400 with the decoder's exception as the error.
        The decoder discards the rest of the connection's bytes, so it is closed after."""
        self.close_connection = True
        self.request_version = failure.version
        response = render_plain_error(failure.error)
        headers = list(response.headers.items())
        if failure.version == "HTTP/1.0":
            headers.append(("connection", "close"))  # DefaultRestChannel.isCloseConnection
        self.protocol_version = failure.version
        self._send_head("400", headers)
        self.wfile.write(response.get_data())

    def run_wsgi(self) -> None:
        # The headers are in: a reset from now on counts for this request, body or not.
        app = self.server.app
        assert isinstance(app, FakeElasticsearch)
        started = app.state.generation.current
        expects_continue = self.headers.get("Expect", "").lower().strip() == "100-continue"
        declared = self._declared
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
            body, too_large = _read_capped_body(environ)
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
            # A scripted answer may be 1xx, 204 or 304: no length and no chunks then.
            bodiless = bodiless_status(int(status.partition(" ")[0]))
            if not bodiless and not any(name.lower() == "content-length" for name, _ in headers):
                self._send_chunked(status, headers, chunks)
                return
            payload = b"".join(chunks)
        except ConnectionError:
            self.close_connection = True  # a fault dropped it, or the client went away
            return
        if bodiless:
            self._send_head(status, headers)
            return
        # SecurityHttpSettings.overrideSettings: with TLS on, http.compression defaults to false.
        if environ["REQUEST_METHOD"] != "HEAD" and self.server.ssl_context is None:
            headers, payload = _compressed(
                self.headers.get("Accept-Encoding"), status, headers, payload
            )
        self._send_head(status, headers)
        if environ["REQUEST_METHOD"] != "HEAD":
            self.wfile.write(payload)

    def _send_head(self, status: str, headers: list[tuple[str, str]]) -> None:
        code = int(status.partition(" ")[0])
        self.send_response(code, netty_reason_phrase(code))
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
        """Nothing: the app logs each request it answers (``fake_es.access_log``)."""

    def log_message(self, format: str, *args: Any) -> None:
        # http.server's own messages (errors on bad requests) quote the request too.
        requests_log.info("%s %s", self.address_string(), escape_controls(format % args))

    def log_error(self, format: str, *args: Any) -> None:
        self.log_message(format, *args)


def _line_too_long() -> EsError:
    return EsError(
        400,
        "too_long_http_line_exception",
        f"An HTTP line is larger than {MAX_INITIAL_LINE_LENGTH} bytes.",
        elasticsearch_exception=False,
    )


def _header_too_long() -> EsError:
    return EsError(
        400,
        "too_long_http_header_exception",
        f"HTTP header is larger than {MAX_HEADER_SIZE} bytes.",
        elasticsearch_exception=False,
    )


# HttpContentCompressor as Netty4HttpServerTransport installs it: http.compression is true
# by default and http.compression_level 3; JdkZlibEncoder writes this fixed gzip header.
_COMPRESSION_LEVEL = 3
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x00"


def _encoding(accept: str) -> str | None:
    """HttpContentCompressor.determineWrapper: gzip or deflate by their q values, or None."""
    star = gzip = deflate = -1.0
    for item in accept.split(","):
        weight = 1.0
        if "=" in item:
            try:
                weight = float(item.split("=", 1)[1])
            except ValueError:
                weight = 0.0
        if "*" in item:
            star = weight
        elif "gzip" in item and weight > gzip:
            gzip = weight
        elif "deflate" in item and weight > deflate:
            deflate = weight
    if gzip > 0 or deflate > 0:
        return "gzip" if gzip >= deflate else "deflate"
    if star > 0:
        if gzip == -1:
            return "gzip"
        if deflate == -1:
            return "deflate"
    return None


def _compressed(
    accept: str | None, status: str, headers: list[tuple[str, str]], payload: bytes
) -> tuple[list[tuple[str, str]], bytes]:
    """A full answer as HttpContentEncoder sends it: compressed when the client accepts gzip
    or deflate, unless it is empty, informational, 204 or 304, or already encoded; then
    ``content-encoding`` is set and ``content-length`` is the compressed length."""
    code = int(status.split(" ", 1)[0])
    encoding = _encoding(accept) if accept else None
    if (
        encoding is None
        or not payload
        or code < 200
        or code in (204, 304)
        or any(name.lower() == "content-encoding" for name, _ in headers)
    ):
        return headers, payload
    if encoding == "gzip":
        deflater = zlib.compressobj(_COMPRESSION_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        trailer = zlib.crc32(payload).to_bytes(4, "little")
        trailer += (len(payload) & 0xFFFFFFFF).to_bytes(4, "little")
        header = _GZIP_HEADER
    else:
        deflater = zlib.compressobj(_COMPRESSION_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS)
        header = trailer = b""
    # JdkZlibEncoder: the content with SYNC_FLUSH, then the end of the stream.
    body = header + deflater.compress(payload) + deflater.flush(zlib.Z_SYNC_FLUSH)
    body += deflater.flush() + trailer
    kept = [(name, value) for name, value in headers if name.lower() != "content-length"]
    return [*kept, ("content-encoding", encoding), ("content-length", str(len(body)))], body


def _head_complete(data: bytes) -> bool:
    """Whether ``data`` holds a request line and all its headers (leading blank lines aside)."""
    data = data.lstrip(b"\r\n")
    return b"\n\r\n" in data or b"\n\n" in data


class _PooledServer(BaseWSGIServer):
    """werkzeug's server with Netty's connection manners, so that slow or idle clients
    cannot stall it. A connection between requests (new, idle on keep-alive, or still
    sending its head) waits in one selector thread, as on Netty's event loop it costs no
    thread; once its head is in, a bounded pool of threads serves the request. A head
    not complete within ``idle_timeout`` seconds closes the connection without an answer
    (ReadTimeoutHandler); so does a body or an answer stalled for ``read_timeout``.

    With ``ssl_context``, connections speak TLS. Accepting does no handshake (a client that
    never sends a ClientHello cannot stall the accept loop): a new connection waits in the
    waiting room like an idle one, and once its first bytes are in, a serving thread does
    the handshake, bounded by ``read_timeout``, before it waits for its first request.
    """

    multithread = True

    def __init__(
        self,
        host: str,
        port: int,
        app: FakeElasticsearch,
        *,
        fd: int,
        threads: int,
        idle_timeout: float,
        read_timeout: float,
        ssl_context: ssl.SSLContext | None = None,
        give_back_memory: bool = False,
    ) -> None:
        self._room: threading.Thread | None = None
        self.give_back_memory = give_back_memory
        # Not werkzeug's ssl_context argument: it wraps the listening socket, so that accept()
        # does each handshake in the one thread that accepts.
        super().__init__(host, port, app, handler=_RequestHandler, fd=fd)
        self.ssl_context = ssl_context  # werkzeug's handler reads it: wsgi.url_scheme https
        self.idle_timeout = idle_timeout
        self.read_timeout = read_timeout
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix=f"fake-es-http:{self.port}")
        self._lock = threading.Lock()
        self._arrivals: list[_Connection] = []
        self._active: set[socket.socket] = set()
        self._served = False  # whether a request was served since memory was last trimmed
        self._closed = False
        self._selector = selectors.DefaultSelector()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._selector.register(self._wake_reader, selectors.EVENT_READ)
        self._room = threading.Thread(
            target=self._waiting_room, name=f"fake-es-room:{self.port}", daemon=True
        )
        self._room.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        self._wait(_Connection(request, client_address, handshake=self.ssl_context is not None))

    def _wait(self, connection: _Connection) -> None:
        if _head_complete(connection.ahead):  # pipelined: the next request is already in
            self._submit(connection)
            return
        connection.deadline = time.monotonic() + self.idle_timeout
        with self._lock:
            self._arrivals.append(connection)
        self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # closed, or already full of wake-ups
            self._wake_writer.send(b"\0")

    def _submit(self, connection: _Connection) -> None:
        try:
            self._pool.submit(self._serve, connection)
        except RuntimeError:  # shut down
            self.shutdown_request(connection.sock)

    def _serve(self, connection: _Connection) -> None:
        if connection.handshake:
            self._shake_hands(connection)
            return
        connection.sock.setblocking(True)
        with self._lock:
            self._active.add(connection.sock)
        try:
            handler = _RequestHandler(connection, connection.address, self)  # type: ignore[arg-type]
            keep = not (handler.close_connection or self._closed)
        except Exception:
            self.handle_error(connection.sock, connection.address)
            keep = False
        finally:
            with self._lock:
                self._active.discard(connection.sock)
                self._served = True
        if keep:
            leftover = _decrypted_ahead(connection.sock, handler.leftover, len(handler.leftover))
            self._wait(_Connection(connection.sock, connection.address, leftover))
        else:
            self.shutdown_request(connection.sock)

    def _shake_hands(self, connection: _Connection) -> None:
        """The TLS handshake of a new connection whose first bytes are in; then it waits for
        its first request. One that fails (plain HTTP, say) is closed without an answer."""
        assert self.ssl_context is not None
        raw = connection.sock
        # A handshake stalled halfway holds this thread: at most SslHandler's default 10 s.
        raw.settimeout(min(self.read_timeout, _HANDSHAKE_TIMEOUT))
        try:
            sock = self.ssl_context.wrap_socket(
                raw, server_side=True, do_handshake_on_connect=False
            )
        except OSError:
            self.shutdown_request(raw)
            return
        with self._lock:
            self._active.add(sock)
        try:
            sock.do_handshake()
            ahead = _decrypted_ahead(sock, b"", 0)
        except OSError as error:
            _log_failed_handshake(connection.address, error)
            self.shutdown_request(sock)
            return
        finally:
            with self._lock:
                self._active.discard(sock)
        if self._closed:
            self.shutdown_request(sock)
            return
        self._wait(_Connection(sock, connection.address, ahead))

    def _waiting_room(self) -> None:
        selector = self._selector
        next_sweep = next_trim = 0.0
        while not self._closed:
            for key, _ in selector.select(timeout=0.5):
                if key.data is None:
                    self._wake_reader.recv(4096)
                elif key.data.handshake:  # a ClientHello (or not): a serving thread reads it
                    selector.unregister(key.fileobj)
                    self._submit(key.data)
                else:
                    self._receive(key.data)
            with self._lock:
                arrivals, self._arrivals = self._arrivals, []
            for connection in arrivals:
                connection.sock.setblocking(False)
                selector.register(connection.sock, selectors.EVENT_READ, connection)
            now = time.monotonic()
            if self.give_back_memory and self._served and not self._active and now >= next_trim:
                # Quiet again after a burst: what the burst freed goes back to the system.
                self._served = False
                next_trim = now + _TRIM_INTERVAL
                gc.collect()  # cycles the burst left (tracebacks of dropped connections)
                trim_memory()
            if now >= next_sweep:
                # Swept a few times a second, not per wake-up: with thousands of idle
                # connections waiting, a sweep per request would cost every request.
                next_sweep = now + _SWEEP_INTERVAL
                for key in list(selector.get_map().values()):
                    if key.data is not None and key.data.deadline <= now:
                        selector.unregister(key.fileobj)
                        self.shutdown_request(key.data.sock)
        for key in list(selector.get_map().values()):
            if key.data is not None:
                self.shutdown_request(key.data.sock)
        selector.close()
        self._wake_reader.close()
        self._wake_writer.close()

    def _receive(self, connection: _Connection) -> None:
        try:
            piece = connection.sock.recv(_HEAD_BUFFER - len(connection.ahead))
            # TLS: what the record holds beyond that stays decrypted in the SSL object, where
            # select() cannot see it.
            piece = _decrypted_ahead(connection.sock, piece, len(connection.ahead))
        except (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return  # TLS: a record still incomplete
        except OSError:
            piece = b""
        if not piece:
            self._selector.unregister(connection.sock)
            self.shutdown_request(connection.sock)
            return
        connection.ahead += piece
        if len(connection.ahead) >= _HEAD_BUFFER or _head_complete(connection.ahead):
            self._selector.unregister(connection.sock)
            self._submit(connection)

    def server_close(self) -> None:
        super().server_close()
        if self._room is None or self._closed:
            return
        self._closed = True
        self._wake()
        self._room.join()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            active = list(self._active)
        for sock in active:  # a stalled request ends now, not at its read timeout
            with contextlib.suppress(OSError):
                # socket.socket's own: SSLSocket.shutdown would drop its TLS state under the
                # thread still using it.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _decrypted_ahead(sock: socket.socket, data: bytes, held: int) -> bytes:
    """``data`` and, on a TLS connection, the bytes its SSL object has already decrypted
    (up to ``_HEAD_BUFFER`` with the ``held`` ones): select() cannot see those."""
    if not isinstance(sock, ssl.SSLSocket):
        return data
    while (pending := sock.pending()) and held + len(data) < _HEAD_BUFFER:
        data += sock.recv(min(pending, _HEAD_BUFFER - held - len(data)))
    return data


_PLAIN_TEXT = ("HTTP_REQUEST", "HTTPS_PROXY_REQUEST", "WRONG_VERSION_NUMBER")


def _log_failed_handshake(address: Any, error: OSError) -> None:
    """A failed handshake. Bytes that are no TLS record get SecurityHttpExceptionHandler's
    text for Netty's NotSslRecordException (the line's format is the fake's own); a client
    that left before it (a port probe, say) is not worth a line. OpenSSL names a request
    line it knows HTTP_REQUEST, and any other plain text WRONG_VERSION_NUMBER."""
    if isinstance(error, ssl.SSLEOFError | ssl.SSLZeroReturnError | ConnectionError):
        return
    host = address[0] if isinstance(address, tuple) else str(address)
    if isinstance(error, ssl.SSLError) and error.reason in _PLAIN_TEXT:
        why = "received plaintext http traffic on an https channel"
    elif isinstance(error, TimeoutError):
        why = "TLS handshake timed out"
    else:
        why = f"TLS handshake failed ({escape_controls(str(error))})"
    requests_log.info("%s %s, closing connection", host, why)


class FakeServer:
    """Serves one fake app over HTTP, or HTTPS with ``ssl_context``; port 0 picks a free
    port, read back from ``port``."""

    def __init__(
        self,
        app: FakeElasticsearch,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        threads: int = SERVING_THREADS,
        idle_timeout: float = IDLE_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        give_back_memory: bool = False,
    ) -> None:
        # give_back_memory: collect and trim freed memory whenever the server goes quiet.
        # For a process of the server's own (the dev server), never a test run's, where a
        # full collection a second would cost the tests around it.
        self.give_back_memory = give_back_memory
        self.app = app
        self.host = host
        self.port = port
        self.server: _PooledServer | None = None
        self.server_thread: threading.Thread | None = None
        self.threads = threads
        self.idle_timeout = idle_timeout
        self.read_timeout = read_timeout
        self.ssl_context = ssl_context

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        scheme = "http" if self.ssl_context is None else "https"
        return f"{scheme}://{host}:{self.port}"

    def __enter__(self) -> Self:
        if self.server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Bind, then serve from a daemon thread; a busy port raises ``OSError``."""
        self.bind()
        assert self.server is not None
        self.server_thread = threading.Thread(
            target=self.server.serve_forever, name=f"fake-es:{self.port}", daemon=True
        )
        self.server_thread.start()

    def bind(self) -> None:
        # werkzeug would print and exit on a busy port; binding first raises instead.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.create_server((self.host, self.port), family=family) as listener:
            self.server = _PooledServer(
                self.host,
                self.port,
                self.app,
                fd=listener.fileno(),
                threads=self.threads,
                idle_timeout=self.idle_timeout,
                read_timeout=self.read_timeout,
                ssl_context=self.ssl_context,
                give_back_memory=self.give_back_memory,
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
