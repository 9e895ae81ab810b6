"""HTTPS: the dev server with --tls-cert/--tls-key, FakeServer and serve() with an SSLContext.

Certificates come from a throwaway CA (trustme), so nothing here needs the openssl command.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from support import SEED_BODY, SEED_PATH, SEED_RESPONSE, start_dev_server

import fake_es
from fake_es import create_app
from fake_es.server import FakeServer

# Every socket read gives up after this long: a bound, not a measurement.
WAIT = 10.0
# 8.11 answers GET /_inference/sparse_embedding/my-elser-model with the model itself.
SEED_GET = json.loads(SEED_RESPONSE)


@dataclass
class Tls:
    ca: trustme.CA
    cert: Path  # the server's certificate chain, PEM
    key: Path  # its private key, PEM
    ca_cert: Path  # the CA's certificate, PEM, for clients to trust

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    cert, key, ca_cert = folder / "server.pem", folder / "server.key", folder / "ca.pem"
    cert.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
    issued.private_key_pem.write_to_path(str(key))
    ca.cert_pem.write_to_path(str(ca_cert))
    return Tls(ca, cert, key, ca_cert)


@pytest.fixture
def https_cli(tls: Tls) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, url = start_dev_server(
        "--es-version", "8.11", "--tls-cert", str(tls.cert), "--tls-key", str(tls.key)
    )
    yield process, url
    if process.poll() is None:
        process.kill()
        process.communicate(timeout=WAIT)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_the_listening_line_shows_https(tls: Tls) -> None:
    process, url = start_dev_server("--tls-cert", str(tls.cert), "--tls-key", str(tls.key))
    try:
        assert url == f"https://127.0.0.1:{port_of(url)}"
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=WAIT)
    assert (process.returncode, out) == (0, "fake-es stopped\n")


def test_the_official_client_over_https_trusting_the_ca(https_cli, tls: Tls) -> None:
    from elasticsearch8 import Elasticsearch

    _, url = https_cli
    with Elasticsearch(url, ca_certs=str(tls.ca_cert), request_timeout=WAIT) as es:
        created = es.inference.put(
            task_type="sparse_embedding", inference_id="my-elser-model", inference_config=SEED_BODY
        )
        fetched = es.inference.get(task_type="sparse_embedding", inference_id="my-elser-model")
        info = es.info()
    assert created.meta.status == 200
    assert created.body == SEED_GET
    assert fetched.body == SEED_GET
    assert info["version"]["number"] == "8.11.0"


def test_the_8_12_client_with_an_ssl_context(https_cli, tls: Tls) -> None:
    from elasticsearch import Elasticsearch

    _, url = https_cli
    with Elasticsearch(url, ssl_context=tls.client_context(), request_timeout=WAIT) as es:
        created = es.inference.put_model(
            task_type="sparse_embedding", model_id="my-elser-model", body=SEED_BODY
        )
        fetched = es.inference.get_model(task_type="sparse_embedding", model_id="my-elser-model")
    assert (created.meta.status, created.body) == (200, SEED_GET)
    assert fetched.body == SEED_GET


def test_https_connection_keeps_one_tls_connection_for_several_requests(
    https_cli, tls: Tls
) -> None:
    _, url = https_cli
    connection = http.client.HTTPSConnection(
        "127.0.0.1", port_of(url), context=tls.client_context(), timeout=WAIT
    )
    connection.request(
        "PUT", SEED_PATH, body=json.dumps(SEED_BODY), headers={"Content-Type": "application/json"}
    )
    first = connection.getresponse()
    assert (first.status, first.read().decode()) == (200, SEED_RESPONSE)
    sock = connection.sock
    connection.request("GET", SEED_PATH)
    second = connection.getresponse()
    assert (second.status, json.loads(second.read())) == (200, SEED_GET)
    assert connection.sock is sock  # the same TLS connection served both
    assert isinstance(sock, ssl.SSLSocket)
    assert sock.version() in ("TLSv1.2", "TLSv1.3")
    connection.close()


def test_answers_over_tls_are_not_compressed(https_cli, tls: Tls) -> None:
    """SecurityHttpSettings.overrideSettings: http.compression defaults to false with TLS."""
    _, url = https_cli
    connection = http.client.HTTPSConnection(
        "127.0.0.1", port_of(url), context=tls.client_context(), timeout=WAIT
    )
    connection.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    assert (answer.status, answer.getheader("Content-Encoding")) == (200, None)
    assert json.loads(body)["tagline"] == "You Know, for Search"


# OpenSSL knows GET's request line by name; DELETE's it only finds no TLS record in.
@pytest.mark.parametrize("request_line", [b"GET / HTTP/1.1", b"DELETE /_inference/x HTTP/1.1"])
def test_plain_http_to_the_tls_port_is_closed_and_the_server_goes_on(
    https_cli, tls: Tls, request_line: bytes
) -> None:
    process, url = https_cli
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=WAIT) as plain:
        plain.sendall(request_line + b"\r\nHost: localhost\r\n\r\n")
        assert plain.recv(65536) == b""  # closed without an answer, as Elasticsearch does
    connection = http.client.HTTPSConnection(
        "127.0.0.1", port_of(url), context=tls.client_context(), timeout=WAIT
    )
    connection.request("GET", "/")
    answer = connection.getresponse()
    assert (answer.status, json.loads(answer.read())["version"]["number"]) == (200, "8.11.0")
    connection.close()
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=WAIT)
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert re.fullmatch(
        r"\S+ 127\.0\.0\.1 received plaintext http traffic on an https channel, closing "
        "connection",
        lines[0],
    )
    assert re.fullmatch(r'\S+ 127\.0\.0\.1 "GET / HTTP/1\.1" 200 \d+ \S+ms', lines[1])


@pytest.mark.parametrize(
    ("given", "missing"), [("--tls-cert", "--tls-key"), ("--tls-key", "--tls-cert")]
)
def test_half_a_pair_is_a_one_line_error(tls: Tls, given: str, missing: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fake_es", "--port", "0", given, str(tls.cert)],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"fake-es: error: {given} needs {missing}: give both or neither (see fake-es --help)\n"
    )


def test_unusable_certificates_are_one_line_errors(tls: Tls, tmp_path: Path) -> None:
    other = trustme.CA().issue_cert("127.0.0.1").private_key_pem
    other_key = tmp_path / "other.key"
    other.write_to_path(str(other_key))
    missing = tmp_path / "missing.key"
    expected = {
        str(other_key): (
            f"fake-es: cannot use --tls-cert {tls.cert} with --tls-key {other_key}: they must "
            "be a PEM certificate and its private key (key values mismatch)\n"
        ),
        str(missing): f"fake-es: cannot read --tls-key {missing}: No such file or directory\n",
    }
    for key, error in expected.items():
        result = subprocess.run(
            [sys.executable, "-m", "fake_es", "--port", "0", "--tls-cert", str(tls.cert),
             "--tls-key", key],
            capture_output=True, text=True, timeout=20,
        )  # fmt: skip
        assert (result.returncode, result.stdout, result.stderr) == (2, "", error)


@pytest.fixture
def https_server(tls: Tls) -> Iterator[FakeServer]:
    """One serving thread: what holds it, and what does not, shows at once."""
    app = create_app(version="8.11")
    with FakeServer(
        app, ssl_context=tls.server_context(), threads=1, idle_timeout=0.5, read_timeout=0.5
    ) as started:
        yield started


def get_root(server: FakeServer, tls: Tls) -> tuple[int, str]:
    connection = http.client.HTTPSConnection(
        "127.0.0.1", server.port, context=tls.client_context(), timeout=WAIT
    )
    try:
        connection.request("GET", "/")
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())["version"]["number"]
    finally:
        connection.close()


def test_fake_server_url_is_https(https_server: FakeServer) -> None:
    assert https_server.url == f"https://127.0.0.1:{https_server.port}"


def test_clients_that_never_shake_hands_hold_no_thread_and_stall_nothing(
    https_server: FakeServer, tls: Tls
) -> None:
    silent = [
        socket.create_connection(("127.0.0.1", https_server.port), timeout=WAIT) for _ in range(50)
    ]
    try:
        started = time.monotonic()
        assert get_root(https_server, tls) == (200, "8.11.0")
        # Had each silent client held the one serving thread for its 0.5 s read timeout, the
        # answer would have waited 25 s.
        assert time.monotonic() - started < 5
        mine = f"fake-es-http:{https_server.port}_"
        assert len([t for t in threading.enumerate() if t.name.startswith(mine)]) == 1
        for sock in silent[:3]:  # closed at idle_timeout, without a byte
            assert sock.recv(1) == b""
    finally:
        for sock in silent:
            sock.close()


def test_a_handshake_stalled_halfway_is_closed_at_the_read_timeout(
    https_server: FakeServer, tls: Tls
) -> None:
    with socket.create_connection(("127.0.0.1", https_server.port), timeout=WAIT) as stalled:
        stalled.sendall(b"\x16\x03\x01\x02\x00")  # a TLS record header, then nothing
        assert get_root(https_server, tls) == (200, "8.11.0")  # once the thread is free
        assert stalled.recv(1) == b""  # closed, without an answer, long before WAIT


def test_pipelined_requests_over_tls_are_answered_in_order(
    https_server: FakeServer, tls: Tls
) -> None:
    raw = socket.create_connection(("127.0.0.1", https_server.port), timeout=WAIT)
    with tls.client_context().wrap_socket(raw, server_hostname="127.0.0.1") as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while piece := sock.recv(65536):
            answer += piece
    assert answer.count(b"HTTP/1.1 200 OK") == 1
    assert answer.endswith(b'{"error":"no handler found for uri [/nope] and method [GET]"}')


def test_serve_takes_an_ssl_context(tls: Tls) -> None:
    with fake_es.serve("8.19", ssl_context=tls.server_context()) as fake:
        assert fake.url.startswith("https://127.0.0.1:")
        request = urllib.request.Request(fake.url + "/")
        with urllib.request.urlopen(request, context=tls.client_context(), timeout=WAIT) as r:
            assert json.load(r)["version"]["number"] == "8.19.0"
        assert [entry.describe() for entry in fake.requests] == ["GET / -> 200"]
