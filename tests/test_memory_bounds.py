"""Memory is bounded by bytes, whatever arrives (http.max_content_length is 100 MB).

Netty's HttpContentDecompressor inflates as a stream and HttpObjectAggregator refuses
the request once the decompressed bytes pass the limit, or from the declared
Content-Length before answering ``Expect: 100-continue``.
"""

from __future__ import annotations

import gzip
import socket
import tracemalloc

import pytest
from support import SEED_BODY, SEED_PATH, FakeClient

from fake_es.app import MAX_CONTENT_LENGTH, create_app
from fake_es.control.journal import BODY_PREFIX, Journal, JournalEntry
from fake_es.server import FakeServer

MB = 1024 * 1024


def gzip_bomb(members: int) -> bytes:
    """``members`` gzip members of 16 MB of spaces each (gzip.decompress reads them all),
    after one holding an opening brace."""
    member = gzip.compress(b" " * (16 * MB), 1)
    return gzip.compress(b"{") + member * members


def test_gzip_bomb_gets_413_without_being_inflated_in_memory():
    client = FakeClient()
    bomb = gzip_bomb(64)  # 1 GB inflated
    assert len(bomb) < 5 * MB
    tracemalloc.start()
    try:
        response = client.request(
            "POST",
            SEED_PATH,
            data=bomb,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (response.status_code, response.get_data()) == (413, b"")
    assert peak < 2 * MAX_CONTENT_LENGTH + 40 * MB
    [entry] = client.state.journal.entries()
    assert (entry.status, entry.body, entry.body_length) == (413, b"", MAX_CONTENT_LENGTH + 1)


def test_gzip_body_inflating_to_the_limit_is_read():
    client = FakeClient()
    client.put(SEED_PATH, SEED_BODY)
    body = b'{"input":"x"}' + b" " * (MAX_CONTENT_LENGTH - 13)
    response = client.request(
        "POST",
        SEED_PATH,
        data=gzip.compress(body, 1),
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert response.status_code == 200


def test_journal_keeps_a_prefix_of_each_body_and_its_full_length():
    client = FakeClient()
    client.put(SEED_PATH, SEED_BODY)
    text = "word " * (BODY_PREFIX // 2)
    body = ('{"input":"' + text + '"}').encode()
    client.request("POST", SEED_PATH, data=body, headers={"Content-Type": "application/json"})
    entry = client.state.journal.entries()[-1]
    assert (entry.body, entry.body_length) == (body[:BODY_PREFIX], len(body))
    assert entry.json is None
    shown = client.request("GET", "/_fake_es/journal").get_json()["requests"][-1]
    assert shown["body"] == body[:BODY_PREFIX].decode()
    assert shown["body_length"] == len(body)


def test_journal_is_bounded_in_bytes_as_well_as_entries():
    journal = Journal(capacity=1000, max_bytes=5 * BODY_PREFIX)

    def entry(n: int) -> JournalEntry:
        return JournalEntry.keeping_prefixes(
            method="POST",
            path=f"/{n}",
            query={},
            headers={},
            body=b"x" * MB,
            status=200,
            response_body=b"",
            fault=None,
        )

    for n in range(20):
        journal.record(entry(n))
    kept = journal.entries()
    assert [e.path for e in kept] == ["/16", "/17", "/18", "/19"]
    assert all(e.body_length == MB and len(e.body) == BODY_PREFIX for e in kept)


@pytest.fixture
def server():
    fake = FakeServer(create_app(version="8.11"))
    fake.start()
    yield fake
    fake.stop()


def exchange(server, head: bytes, body: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + body)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def test_oversize_declared_length_with_expect_gets_413_and_no_100_continue(server):
    answer = exchange(
        server,
        f"POST {SEED_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {200 * MB}\r\nExpect: 100-continue\r\n\r\n".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")
    assert b"100 Continue" not in answer
    assert answer.endswith(b"\r\ncontent-length: 0\r\n\r\n")


def test_oversize_declared_length_on_a_closing_connection_is_not_read(server):
    answer = exchange(
        server,
        f"POST {SEED_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {200 * MB}\r\nConnection: close\r\n\r\n".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_chunked_body_past_the_limit_gets_413(server):
    piece = b" " * (4 * MB)
    chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    count = MAX_CONTENT_LENGTH // len(piece) + 1
    answer = exchange(
        server,
        f"POST {SEED_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n".encode(),
        b"1\r\n{\r\n" + chunk * count + b"0\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 413 ")
    [entry] = server.app.state.journal.entries()
    assert entry.body_length > MAX_CONTENT_LENGTH
