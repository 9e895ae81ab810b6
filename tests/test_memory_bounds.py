"""Memory is bounded by bytes, whatever arrives (http.max_content_length is 100 MB).

Netty's HttpContentDecompressor inflates as a stream and HttpObjectAggregator refuses
the request once the decompressed bytes pass the limit, or from the declared
Content-Length before answering ``Expect: 100-continue``.
"""

from __future__ import annotations

import gzip
import http.client
import itertools
import json
import socket
import time
import tracemalloc

import pytest
from support import SEED_BODY, SEED_PATH, FakeClient

from fake_es.app import MAX_CONTENT_LENGTH, create_app
from fake_es.control.journal import BODY_PREFIX, Journal, JournalEntry
from fake_es.rest.xcontent import dump_json
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
    # The compressed bytes (a few copies of under 5 MB) and one inflated piece.
    assert peak < 16 * MB, peak
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


def _filled_journal(server: FakeServer, entries: int, response: bytes) -> Journal:
    journal: Journal = server.app.state.journal
    journal.max_bytes = 1 << 40  # only the entry count bounds it here
    for n in range(entries):
        journal.record(
            JournalEntry.keeping_prefixes(
                method="GET",
                path=f"/{n}",
                query={},
                headers={},
                body=b"",
                status=200,
                response_body=response,
                fault=None,
            )
        )
    return journal


def test_journal_reader_that_never_reads_pins_no_copy_of_it(server, monkeypatch):
    """The journal goes out in chunks, each written as the socket takes it: 10,000 entries
    of 4 KB (40 MB as JSON) are not written for a reader who reads nothing."""
    _filled_journal(server, 10_000, b'{"text":"' + b"y" * 4000 + b'"}')
    written = []
    to_json = JournalEntry.to_json
    monkeypatch.setattr(JournalEntry, "to_json", lambda entry: written.append(1) or to_json(entry))
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", server.port))
        sock.sendall(b"GET /_fake_es/journal HTTP/1.1\r\nHost: x\r\n\r\n")
        seen = -1
        while seen != len(written):  # until the server blocks on the full socket
            seen = len(written)
            time.sleep(0.2)
        assert 0 < seen < 2_500
    monkeypatch.undo()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/_fake_es/journal")
    response = connection.getresponse()
    assert (response.status, response.getheader("Transfer-Encoding")) == (200, "chunked")
    assert response.getheader("Content-Length") is None
    requests = json.loads(response.read())["requests"]
    connection.close()
    assert [entry["path"] for entry in requests] == [f"/{n}" for n in range(10_000)]
    assert requests[-1]["response"] == {"text": "y" * 4000}


@pytest.mark.parametrize("query", ["", "?pretty"])
def test_journal_in_chunks_is_byte_for_byte_the_whole_answer(query):
    client = FakeClient()
    client.put(SEED_PATH, SEED_BODY)
    client.request("POST", SEED_PATH, json={"input": "caf\u00e9 \U0001f600 \u0001", "x": 1.5})
    client.request("GET", "/_inference/_all")
    entries = client.state.journal.entries()
    whole = {"requests": [entry.to_json() for entry in entries]}
    response = client.request("GET", "/_fake_es/journal" + query)
    assert "Content-Length" not in response.headers
    assert response.get_data() == dump_json(whole, pretty=bool(query))


def test_journal_filtered_or_in_yaml_is_written_whole():
    client = FakeClient()
    client.put(SEED_PATH, SEED_BODY)
    filtered = client.request("GET", "/_fake_es/journal?filter_path=requests.path")
    assert filtered.get_data() == b'{"requests":[{"path":"' + SEED_PATH.encode() + b'"}]}'
    assert filtered.headers["Content-Length"] == str(len(filtered.get_data()))
    yaml = client.request("GET", "/_fake_es/journal?format=yaml&filter_path=requests.status")
    assert yaml.get_data() == b"---\nrequests:\n- status: 200\n"


def test_journal_readers_at_the_same_time_share_each_entry_written_once(monkeypatch):
    journal = Journal()
    for n in range(3):
        journal.record(
            JournalEntry(method="GET", path=f"/{n}", query={}, headers={}, body=b"", status=200)
        )
    written: list[str] = []
    to_json = JournalEntry.to_json
    monkeypatch.setattr(
        JournalEntry, "to_json", lambda entry: written.append(entry.path) or to_json(entry)
    )
    kept = list(journal.kept(journal.places()))
    with journal.shared_writer() as first, journal.shared_writer() as second:
        texts = [first(entry) for entry in kept] + [second(entry) for entry in kept]
    assert written == ["/0", "/1", "/2"]
    assert (
        texts[0]
        == texts[3]
        == b'{"method":"GET","path":"/0","query":{},"headers":{},'
        + (b'"body":"","body_length":0,"status":200,"response":null,"fault":null}')
    )
    with journal.shared_writer() as later:  # the last reader done, nothing is kept
        later(kept[0])
    assert written == ["/0", "/1", "/2", "/0"]


def test_journal_reader_skips_entries_let_go_while_it_reads():
    """A reader takes 256 entries at a time; entries let go before it gets to them are
    left out, and no entry is held for it beyond its current batch."""
    journal = Journal(capacity=600)

    def record(n: int) -> None:
        journal.record(
            JournalEntry(method="GET", path=f"/{n}", query={}, headers={}, body=b"", status=200)
        )

    for n in range(600):
        record(n)
    places = journal.places()
    reading = journal.kept(places)
    assert [(place, entry.path) for place, entry in itertools.islice(reading, 1)] == [(0, "/0")]
    for n in range(600, 900):  # lets /0 to /299 go
        record(n)
    rest = [(place, entry.path) for place, entry in reading]
    assert rest == [(n, f"/{n}") for n in [*range(1, 256), *range(300, 600)]]
    journal.clear()
    assert list(journal.kept(places)) == []
    assert journal.places() == range(900, 900)


def test_a_bug_while_the_journal_streams_is_a_crash_the_test_sees(server, monkeypatch):
    """The answer's head is out when the entries are written: the connection ends mid-answer
    and the crash is recorded, for the fixture's check to fail the test."""
    server.app.state.journal.record(
        JournalEntry(method="GET", path="/", query={}, headers={}, body=b"", status=200)
    )

    def broken(entry: JournalEntry) -> dict[str, object]:
        raise RuntimeError("a bug in the fake")

    monkeypatch.setattr(JournalEntry, "to_json", broken)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/_fake_es/journal")
    response = connection.getresponse()
    assert response.status == 200
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    connection.close()
    [crash] = server.app.state.crashes.take()
    assert (crash.method, crash.uri) == ("GET", "/_fake_es/journal")
    assert "RuntimeError: a bug in the fake" in crash.formatted()
