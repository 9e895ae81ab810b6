"""The contract suite: official clients over real HTTP, against the fake or a real cluster.

By default every test here runs against the fake (the plugin's ``fake_es``).
Set ``FAKE_ES_CONTRACT_URL`` (for example ``http://elastic:secret@localhost:9200``)
to run the very same tests against a real Elasticsearch 8.11 with the ML
features it needs, and see whether the fake and the cluster agree. That covers the
8.11 modules (test_python_clients.py, test_other_clients.py); the release-by-release
cycles (test_release_clients.py) always run against fakes of each release.
"""

from __future__ import annotations

import contextlib
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from contract_support import REAL_CLUSTER_URL


@pytest.fixture
def target(request: pytest.FixtureRequest) -> str:
    """The base URL the clients talk to."""
    if REAL_CLUSTER_URL:
        return REAL_CLUSTER_URL.rstrip("/")
    fake = request.getfixturevalue("fake_es")
    return str(fake.url)


@pytest.fixture
def model_id(target: str) -> Iterator[str]:
    """A model id no other test uses; deleted afterwards on a real cluster."""
    name = f"contract-{uuid.uuid4().hex[:12]}"
    yield name
    if REAL_CLUSTER_URL:
        for suffix in ("", "-2"):
            request = urllib.request.Request(
                f"{target}/_inference/sparse_embedding/{name}{suffix}", method="DELETE"
            )
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=30).close()
