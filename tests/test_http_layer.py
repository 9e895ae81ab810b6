"""The dev server's HTTP layer: Netty's limits and decoder errors, compression, slow clients."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import zlib
from collections.abc import Iterator

import pytest

from fake_es import create_app
from fake_es.handle import FakeEs
from fake_es.server import FakeServer

# Every socket read in these tests gives up after this long: a bound, not a measurement.
WAIT = 10.0


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(create_app(), idle_timeout=0.5, read_timeout=0.5, threads=4) as started:
        yield started


def exchange(server: FakeServer, data: bytes) -> bytes:
    """Send ``data``, then read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as sock:
        sock.sendall(data)
        received = b""
        for _ in range(10_000):
            piece = sock.recv(65536)
            if not piece:
                return received
            received += piece
    raise AssertionError("the server did not close the connection")


def split(answer: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (x.partition(":") for x in lines)}
    return status, headers, body


def error_of(answer: bytes) -> tuple[str, dict[str, object]]:
    status, headers, body = split(answer)
    assert headers["content-type"] == "application/json"
    assert headers["x-elastic-product"] == "Elasticsearch"
    return status, json.loads(body)


def envelope(error_type: str, reason: str) -> dict[str, object]:
    cause = {"type": error_type, "reason": reason}
    return {"error": {"root_cause": [cause], **cause}, "status": 400}


def test_a_request_line_over_4096_bytes_gets_too_long_http_line_exception(
    server: FakeServer,
) -> None:
    answer = exchange(server, b"GET /" + b"a" * 4100 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    status, body = error_of(answer)
    assert status == "HTTP/1.0 400 Bad Request"
    assert split(answer)[1]["connection"] == "close"
    assert body == envelope(
        "too_long_http_line_exception", "An HTTP line is larger than 4096 bytes."
    )


def test_a_request_line_of_4096_bytes_is_served(server: FakeServer) -> None:
    line = b"GET /" + b"a" * (4096 - len(b"GET / HTTP/1.1")) + b" HTTP/1.1"
    assert len(line) == 4096
    status, _ = error_of(exchange(server, line + b"\r\nConnection: close\r\n\r\n"))
    assert status.startswith("HTTP/1.1 4")  # routed: a 400/404 of the REST layer, not of Netty


def test_headers_over_16kb_get_too_long_http_header_exception(server: FakeServer) -> None:
    headers = b"".join(b"X-H%d: %s\r\n" % (n, b"v" * 1000) for n in range(17))
    status, body = error_of(exchange(server, b"GET / HTTP/1.1\r\n" + headers + b"\r\n"))
    assert status == "HTTP/1.1 400 Bad Request"
    assert body == envelope(
        "too_long_http_header_exception", "HTTP header is larger than 16384 bytes."
    )


def test_many_small_headers_within_16kb_are_served(server: FakeServer) -> None:
    headers = b"".join(b"X-H%d: v\r\n" % n for n in range(150))
    status, _, _ = split(
        exchange(server, b"GET / HTTP/1.1\r\n" + headers + b"Connection: close\r\n\r\n")
    )
    assert status == "HTTP/1.1 200 OK"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"7_7", "Content-Length value is not a number: 7_7"),
        (b"-1", "Content-Length value is not a number: -1"),
        (b"abc", "Content-Length value is not a number: abc"),
        (b"+77", "Content-Length value is not a number: +77"),
        (b"77\r\nContent-Length: 5", "Multiple Content-Length values found: [77, 5]"),
    ],
)
def test_bad_content_length_gets_netty_illegal_argument(
    server: FakeServer, value: bytes, reason: str
) -> None:
    request = b"PUT /_inference/x HTTP/1.1\r\nContent-Type: application/json\r\n"
    status, body = error_of(exchange(server, request + b"Content-Length: " + value + b"\r\n\r\n{}"))
    assert status == "HTTP/1.1 400 Bad Request"
    assert body == envelope("illegal_argument_exception", reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"GET / HTTP/1.1 extra", "invalid version format: HTTP/1.1 EXTRA"),
        (b"GET / HTTPS", "invalid version format: HTTPS"),
        (b"GET /", "text is empty (possibly HTTP/0.9)"),
    ],
)
def test_malformed_request_lines_get_netty_illegal_argument(
    server: FakeServer, line: bytes, reason: str
) -> None:
    answer = exchange(server, line + b"\r\n\r\n")
    status, body = error_of(answer)
    assert status == "HTTP/1.0 400 Bad Request"
    assert body == envelope("illegal_argument_exception", reason)


def test_an_http_version_elasticsearch_cannot_answer_closes_the_connection(
    server: FakeServer,
) -> None:
    assert exchange(server, b"GET / HTTP/2.0\r\nHost: x\r\n\r\n") == b""


def test_accept_encoding_gzip_gets_a_gzip_answer(server: FakeServer) -> None:
    answer = exchange(
        server, b"GET / HTTP/1.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"
    )
    status, headers, body = split(answer)
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(body)
    assert "vary" not in headers
    assert body[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x00"  # JdkZlibEncoder's header
    assert json.loads(gzip.decompress(body))["tagline"] == "You Know, for Search"


def test_accept_encoding_deflate_and_none(server: FakeServer) -> None:
    answer = exchange(
        server, b"GET / HTTP/1.1\r\nAccept-Encoding: deflate\r\nConnection: close\r\n\r\n"
    )
    _, headers, body = split(answer)
    assert headers["content-encoding"] == "deflate"
    assert json.loads(zlib.decompress(body))["tagline"] == "You Know, for Search"
    _, plain, _ = split(exchange(server, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"))
    assert "content-encoding" not in plain


def test_head_is_not_compressed(server: FakeServer) -> None:
    answer = exchange(
        server, b"HEAD / HTTP/1.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"
    )
    status, headers, body = split(answer)
    assert (status, body) == ("HTTP/1.1 200 OK", b"")
    assert "content-encoding" not in headers


def test_an_idle_keep_alive_connection_is_closed(server: FakeServer) -> None:
    answer = exchange(server, b"GET / HTTP/1.1\r\n\r\n")  # keep-alive: closed once idle
    assert split(answer)[0] == "HTTP/1.1 200 OK"


def test_a_head_that_never_ends_is_closed_without_an_answer(server: FakeServer) -> None:
    assert exchange(server, b"GET / HTTP/1.1\r\nX-Half: ") == b""


def test_a_body_that_never_ends_is_closed_without_an_answer(server: FakeServer) -> None:
    request = b"PUT /_inference/x HTTP/1.1\r\nContent-Type: application/json\r\n"
    assert exchange(server, request + b"Content-Length: 100\r\n\r\n{") == b""


def test_hundreds_of_idle_connections_hold_no_thread_and_stall_nothing(
    server: FakeServer,
) -> None:
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) for _ in range(300)]
    try:
        for sock in idle[::2]:
            sock.sendall(b"GET / HTTP/1.1\r\nX-Half: ")  # half a head
        answer = exchange(server, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        assert split(answer)[0] == "HTTP/1.1 200 OK"
        mine = f"fake-es-http:{server.port}_"
        serving = [t for t in threading.enumerate() if t.name.startswith(mine)]
        assert 1 <= len(serving) <= 4
    finally:
        for sock in idle:
            sock.close()


def test_pipelined_requests_are_answered_in_order(server: FakeServer) -> None:
    answer = exchange(
        server, b"GET / HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\nConnection: close\r\n\r\n"
    )
    assert answer.count(b"HTTP/1.1 200 OK") == 1
    assert answer.count(b"HTTP/1.1 400 ") == 1
    assert answer.endswith(b'{"error":"no handler found for uri [/nope] and method [GET]"}')


def test_status_lines_carry_nettys_reason_phrases(server: FakeServer) -> None:
    # Netty4HttpResponse: HttpResponseStatus.valueOf(status), "Method Not Allowed" and so on.
    for request, status_line in [
        (b"DELETE / HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 405 Method Not Allowed"),
        (b"GET /_nope HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        (b"GET /_inference/x HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 404 Not Found"),
    ]:
        assert split(exchange(server, request))[0] == status_line


def test_reason_phrases_are_nettys_whatever_the_python() -> None:
    from fake_es.server import netty_reason_phrase

    assert [netty_reason_phrase(code) for code in (200, 413, 422, 429, 499, 599)] == [
        "OK",
        "Request Entity Too Large",
        "Unprocessable Entity",
        "Too Many Requests",
        "Client Error (499)",
        "Server Error (599)",
    ]


@pytest.mark.parametrize(("status", "line"), [(204, b"204 No Content"), (304, b"304 Not Modified")])
def test_a_scripted_answer_without_a_body_ends_with_its_headers(
    server: FakeServer, status: int, line: bytes
) -> None:
    """RFC 9112 6.3: neither a length nor chunks; the keep-alive connection goes on."""
    FakeEs(server.app, server.url).respond("/", method="GET", status=status)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n\r\n")
        first = sock.recv(65536)
        sock.sendall(b"HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n")
        second = b""
        while chunk := sock.recv(65536):
            second += chunk
    assert first.startswith(b"HTTP/1.1 " + line + b"\r\n")
    assert first.endswith(b"\r\n\r\n")
    assert b"transfer-encoding" not in first.lower()
    assert b"content-length" not in first.lower()
    assert second.startswith(b"HTTP/1.1 200 OK\r\n")
