"""Many clients at once: the threaded server and the state stay consistent."""

from __future__ import annotations

import http.client
import json
import random
import threading
from collections import Counter
from urllib.parse import urlsplit

import pytest
from support import SEED_BODY

# These tests pin Elasticsearch 8.11's answers (the seed release).
pytestmark = pytest.mark.fake_es(version="8.11")

THREADS = 32


def connect(url):
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)


def call(connection, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(
        method, path, body=json.dumps(body) if body is not None else None, headers=headers
    )
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"null")


def test_racing_creates_of_one_id_give_one_success(fake_es):
    barrier = threading.Barrier(THREADS)
    results = []

    def create():
        connection = connect(fake_es.url)
        barrier.wait()
        results.append(call(connection, "PUT", "/_inference/sparse_embedding/contested", SEED_BODY))

    threads = [threading.Thread(target=create) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 400: THREADS - 1}
    losers = {body["error"]["reason"] for status, body in results if status == 400}
    assert losers == {"Inference model [contested] already exists"}
    assert [m["model_id"] for m in fake_es.models.list()] == ["contested"]


def test_mixed_storm_ends_consistent_with_the_journal(fake_es):
    ids = [f"m{n}" for n in range(6)]
    operations = 40

    def storm(seed):
        rng = random.Random(seed)
        connection = connect(fake_es.url)
        for _ in range(operations):
            model_id = rng.choice(ids)
            path = f"/_inference/sparse_embedding/{model_id}"
            method = rng.choice(["PUT", "GET", "POST", "DELETE"])
            body = (
                SEED_BODY if method == "PUT" else {"input": model_id} if method == "POST" else None
            )
            call(connection, method, path, body)

    threads = [threading.Thread(target=storm, args=(seed,)) for seed in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    journal = fake_es.requests
    assert len(journal) == 16 * operations
    assert not [entry for entry in journal if entry.status is None or entry.status >= 500]
    by_id: dict[str, list] = {model_id: [] for model_id in ids}
    for entry in journal:
        by_id[entry.path.rsplit("/", 1)[1]].append(entry)
    present = {model["model_id"] for model in fake_es.models.list()}
    for model_id, entries in by_id.items():
        created = [e for e in entries if e.method == "PUT" and e.status == 200]
        stored = [
            e
            for e in entries
            if e.method == "PUT"
            and e.status in (200, 400)
            and "already exists" not in json.dumps(e.response_json)
        ]
        deleted = [e for e in entries if e.method == "DELETE"]
        # The first create succeeds; later ones find the id taken or its deployment running.
        assert len(created) <= 1
        if model_id in present:
            assert stored, model_id
        if created and not deleted:
            assert model_id in present
        if not created:
            assert model_id not in present
        for entry in entries:
            if entry.method in ("GET", "POST") and entry.status == 200:
                assert created, model_id
            if entry.method == "GET" and entry.status == 200:
                assert entry.response_json["model_id"] == model_id
    assert not fake_es.state.crashes.take()
