"""Shared test helpers: the WSGI app through werkzeug's test client, the seed example."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

from werkzeug.test import Client, TestResponse

from fake_es import FakeState, create_app

SEED_BODY = {
    "service": "elser",
    "service_settings": {"num_allocations": 1, "num_threads": 1},
    "task_settings": {},
}
JSON = "application/json"
SEED_PATH = "/_inference/sparse_embedding/my-elser-model"
SEED_RESPONSE = (
    '{"model_id":"my-elser-model","task_type":"sparse_embedding","service":"elser",'
    '"service_settings":{"num_allocations":1,"num_threads":1},"task_settings":{}}'
)


class FakeClient:
    """werkzeug's test client on a fresh app whose every answer is schema-checked."""

    def __init__(self, version: str = "8.11") -> None:
        self.state = FakeState()
        self.app = create_app(self.state, version=version, check_responses=True)
        self.http = Client(self.app)

    def request(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        response = self.http.open(path, method=method, **kwargs)
        crashes = self.state.crashes.take()
        assert not crashes, "\n".join(crash.formatted() for crash in crashes)
        return response

    def put(
        self,
        path: str,
        body: Any = None,
        *,
        raw: bytes | str | None = None,
        content_type: str | None = JSON,
        **kwargs: Any,
    ) -> TestResponse:
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        headers = dict(kwargs.pop("headers", {}))
        if content_type is not None and data is not None:
            headers["Content-Type"] = content_type
        return self.request("PUT", path, data=data, headers=headers, **kwargs)


def error_of(response: TestResponse) -> tuple[int, str, str]:
    """(status, error.type, error.reason), after checking the envelope's shape."""
    body = response.get_json()
    assert response.headers["X-elastic-product"] == "Elasticsearch"
    assert body["status"] == response.status_code
    root = body["error"]["root_cause"]
    assert len(root) >= 1 and set(root[0]) >= {"type", "reason"}
    return response.status_code, body["error"]["type"], body["error"]["reason"]


# The dev server's "listening" line, its URL in group 1 and port in group 2.
LISTENING = re.compile(r"listening on (https?://127\.0\.0\.1:(\d+))\n")


def start_dev_server(
    *arguments: str, env: dict[str, str] | None = None, port: str | None = "0"
) -> tuple[subprocess.Popen[str], str]:
    """``python -m fake_es --port 0 ARGUMENTS`` once it listens, and its URL; a server that
    does not start fails with its first line and its error output. ``env``: variables
    added to this process's; ``port=None`` gives no ``--port``."""
    port_arguments = ["--port", port] if port is not None else []
    process = subprocess.Popen(
        [sys.executable, "-m", "fake_es", *port_arguments, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = LISTENING.search(line)
    if match is None:
        process.kill()
        _, err = process.communicate(timeout=10)
        raise AssertionError(f"{line!r} {err!r}")
    return process, match.group(1)
