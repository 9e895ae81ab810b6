"""Secrets stay out of the journal, the configuration errors and the request log."""

from __future__ import annotations

import base64
import json
import logging
import re
import socket

import pytest
from support import SEED_PATH, FakeClient

from fake_es.app import create_app
from fake_es.security.realm import SecurityRealm
from fake_es.server import FakeServer

SECRET = base64.b64encode(b"app:app-pw-SECRET2").decode()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # SecondaryAuthenticator's header carries a full credential
        ("es-secondary-authorization", f"Basic {SECRET}"),
        ("ES-Secondary-Authorization", f"ApiKey {SECRET}"),
        ("X-Api-Key", SECRET),
        ("Cookie2", f"session={SECRET}"),
        # any header written in an authentication scheme
        ("X-Forwarded-Authorization", f"Bearer {SECRET}"),
    ],
)
def test_credential_bearing_headers_are_redacted_in_the_journal(name, value):
    client = FakeClient()
    client.request("GET", SEED_PATH, headers={name: value})
    journal = client.request("GET", "/_fake_es/journal")
    [entry] = json.loads(journal.get_data())["requests"]
    [shown] = [v for k, v in entry["headers"].items() if k.lower() == name.lower()]
    assert shown == "<redacted>"
    assert SECRET not in journal.get_data(as_text=True)


def test_other_headers_are_kept():
    client = FakeClient()
    client.request("GET", SEED_PATH, headers={"X-Opaque-Id": "Basically fine"})
    [entry] = client.state.journal.entries()
    assert entry.headers["X-Opaque-Id"] == "Basically fine"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"users": {"u": {"password": 987654321}}},
            'users/u/password: value not shown; the schema wants type "string"',
        ),
        (
            {
                "users": {"u": {"password": "x"}},
                "api_keys": {"k": {"key": ["TopSecret-3"], "owner": "u"}},
            },
            'api_keys/k/key: value not shown; the schema wants type "string"',
        ),
        (
            {"users": {"u": ["hunter2-SECRET"]}},
            'users/u: value not shown; the schema wants type "object"',
        ),
    ],
)
def test_bad_security_config_names_the_field_without_its_value(config, message):
    with pytest.raises(ValueError) as raised:
        SecurityRealm(config)
    assert str(raised.value) == f"invalid security configuration: {message}"


def test_request_line_is_logged_with_control_characters_escaped(caplog):
    server = FakeServer(create_app(version="8.11"))
    server.start()
    try:
        with (
            caplog.at_level(logging.INFO, logger="fake_es.requests"),
            socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock,
        ):
            sock.sendall(
                b"GET /\x1b[2J\x1b[31mFAKE\\LINE\x1b[0m HTTP/1.1\r\n"
                b"Host: x\r\nConnection: close\r\n\r\n"
            )
            while sock.recv(65536):
                pass
    finally:
        server.stop()
    [line] = [r.getMessage() for r in caplog.records if r.name == "fake_es.requests"]
    assert re.fullmatch(
        r'127\.0\.0\.1 "GET /\\x1b\[2J\\x1b\[31mFAKE\\\\LINE\\x1b\[0m HTTP/1\.1" 400 95 [0-9.]+ms',
        line,
    ), line
    assert "\x1b" not in caplog.text


SERVICE_SECRETS = {
    "openai": ("text_embedding", {"api_key": "sk-OPENAI-SECRET-1", "model_id": "m"}),
    "cohere": ("text_embedding", {"api_key": "COHERE-SECRET-2", "model_id": "embed-v4.0"}),
    "amazonbedrock": (
        "completion",
        {"access_key": "AKIA-SECRET-3", "secret_key": "BEDROCK-SECRET-4", "region": "us-east-1",
         "model": "anthropic.claude-v2", "provider": "anthropic"},
    ),
}  # fmt: skip


def test_service_secrets_appear_in_no_answer_journal_log_or_data_file(tmp_path):
    """A dev server with a data dir: the secrets of every create are nowhere in clear text."""
    import re
    import subprocess
    import sys
    import urllib.request

    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-m", "fake_es", "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = re.search(r"listening on (http://\S+)", process.stdout.readline()).group(1)
        answers = []
        for name, (task_type, settings) in SERVICE_SECRETS.items():
            body = json.dumps({"service": name, "service_settings": settings}).encode()
            request = urllib.request.Request(
                f"{url}/_inference/{task_type}/{name}-endpoint", data=body, method="PUT",
                headers={"Content-Type": "application/json"},
            )  # fmt: skip
            with urllib.request.urlopen(request, timeout=10) as response:
                answers.append(response.read())
            with urllib.request.urlopen(f"{url}/_inference/{name}-endpoint", timeout=10) as got:
                answers.append(got.read())
        with urllib.request.urlopen(f"{url}/_fake_es/journal", timeout=10) as journal:
            answers.append(journal.read())
    finally:
        process.terminate()
        _, log = process.communicate(timeout=30)
    stored = b"".join(path.read_bytes() for path in data_dir.rglob("*") if path.is_file())
    assert stored and log and answers
    for _, settings in SERVICE_SECRETS.values():
        for key in ("api_key", "access_key", "secret_key"):
            secret = settings.get(key)
            if secret is None:
                continue
            for where, text in (("answers", b"".join(answers)), ("data dir", stored),
                                ("log", log.encode())):  # fmt: skip
                assert secret.encode() not in text, f"{secret} found in the {where}"
