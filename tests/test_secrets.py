"""Secrets stay out of the journal, the configuration errors and the request log."""

from __future__ import annotations

import base64
import json
import logging
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
            caplog.at_level(logging.INFO, logger="fake_es.access"),
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
    [line] = [r.getMessage() for r in caplog.records if r.name == "fake_es.access"]
    assert line == ('127.0.0.1 "GET /\\x1b[2J\\x1b[31mFAKE\\\\LINE\\x1b[0m HTTP/1.1" 400 -')
    assert "\x1b" not in caplog.text
