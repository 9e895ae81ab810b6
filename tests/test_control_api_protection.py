"""The control API protected: with security on and ``protect_control_api``, ``/_fake_es/``
needs the credentials of a caller granted the ``all`` cluster privilege (a superuser)."""

from __future__ import annotations

import json

import pytest
from support import SEED_BODY
from test_security import CONFIG, api_key, basic
from werkzeug.test import Client, TestResponse

from fake_es import cli, create_app
from fake_es.security.realm import SecurityRealm
from fake_es.server import FakeServer

DENIED = (
    "action [cluster:admin/xpack/security/fake_es/control] is unauthorized for {who}, "
    "this action is granted by the cluster privileges [all]"
)


def error_of(response: TestResponse) -> tuple[int, str, str]:
    """(status, error.type, error.reason); security errors carry no product header."""
    error = response.get_json()["error"]
    return response.status_code, error["type"], error["reason"]


def protected(protect: bool = True) -> Client:
    app = create_app(
        version="8.11",
        security=SecurityRealm(CONFIG),
        check_responses=True,
        protect_control_api=protect,
    )
    return Client(app)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_fake_es/journal"),
        ("POST", "/_fake_es/reset"),
        ("GET", "/_fake_es/models"),
        ("PUT", "/_fake_es/models/sparse_embedding/seeded"),
        ("DELETE", "/_fake_es/faults"),
    ],
)
def test_no_credentials_get_elasticsearchs_401(method, path):
    response = protected().open(path, method=method, json=SEED_BODY if method == "PUT" else None)
    assert error_of(response) == (
        401,
        "security_exception",
        f"missing authentication credentials for REST request [{path}]",
    )


def test_a_superuser_may_use_it_by_password_or_api_key():
    http = protected()
    seeded = http.put(
        "/_fake_es/models/sparse_embedding/seeded",
        json=SEED_BODY,
        headers=basic("elastic", "changeme"),
    )
    assert seeded.status_code == 200
    config = dict(CONFIG)
    config["api_keys"] = {**CONFIG["api_keys"], "root": {"key": "root-key", "owner": "elastic"}}
    by_key = Client(
        create_app(version="8.11", security=SecurityRealm(config), protect_control_api=True)
    )
    response = by_key.get("/_fake_es/journal", headers=api_key("root", "root-key"))
    assert (response.status_code, response.get_json()) == (200, {"requests": []})


@pytest.mark.parametrize(
    ("headers", "who"),
    [
        (basic("admin", "admin-pw"), "user [admin] with effective roles [inference_admin]"),
        (basic("watcher", "watch-pw"), "user [watcher] with effective roles [monitoring] "
         "(assigned roles [ghost_role] were not found)"),
        (api_key("key1", "secret1"), "API key id [key1] of user [admin]"),
        # A superuser's key limited to its own roles is no superuser.
        (api_key("narrow", "secret2"), "API key id [narrow] of user [elastic]"),
    ],
)  # fmt: skip
def test_anyone_without_the_all_privilege_gets_the_403(headers, who):
    response = protected().post("/_fake_es/reset", headers=headers)
    assert error_of(response) == (403, "security_exception", DENIED.format(who=who))


def test_a_wrong_password_gets_the_401():
    response = protected().get("/_fake_es/journal", headers=basic("elastic", "wrong"))
    assert error_of(response) == (
        401,
        "security_exception",
        "unable to authenticate user [elastic] for REST request [/_fake_es/journal]",
    )


def test_off_by_default_the_control_api_needs_no_credentials():
    response = protected(protect=False).get("/_fake_es/journal")
    assert (response.status_code, response.get_json()) == (200, {"requests": []})


def test_protection_needs_security():
    with pytest.raises(ValueError) as raised:
        create_app(protect_control_api=True)
    assert str(raised.value) == "protecting the control API needs security on (a security config)"


def test_the_cli_refuses_protection_without_security(capsys):
    assert cli.main(["--protect-control-api"]) == 2
    assert capsys.readouterr().err == "fake-es: --protect-control-api needs --security-config\n"


def test_the_cli_help_documents_the_option(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert (
        "--protect-control-api, --no-protect-control-api with --security-config: the control "
        "API (/_fake_es/"
    ) in help_text


def run_cli_without_serving(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> str:
    """The dev server's start-up, with nothing bound or served; what it wrote on stderr."""

    def interrupted(_server: FakeServer) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(FakeServer, "bind", lambda _server: None)
    monkeypatch.setattr(FakeServer, "serve_bound", interrupted)
    monkeypatch.setattr(cli.signal, "signal", lambda *_args: None)
    errors: list[str] = []
    monkeypatch.setattr(cli.sys, "stderr", _Recorder(errors))
    assert cli.main(argv) == 0
    return "".join(errors)


class _Recorder:
    def __init__(self, written: list[str]) -> None:
        self._written = written

    def write(self, text: str) -> int:
        self._written.append(text)
        return len(text)

    def flush(self) -> None:
        return None


OPEN_WARNING = (
    "fake-es: warning: listening on {host}, beyond loopback, with the control API open: "
    "anyone who can reach the port can read the journal, seed models and reset (use "
    "--security-config with --protect-control-api)\n"
)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "example.test"])
def test_the_dev_server_warns_when_it_listens_beyond_loopback_with_the_api_open(monkeypatch, host):
    assert run_cli_without_serving(monkeypatch, ["--host", host, "--port", "0"]) == (
        OPEN_WARNING.format(host=host)
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_no_warning_on_loopback(monkeypatch, host):
    assert run_cli_without_serving(monkeypatch, ["--host", host, "--port", "0"]) == ""


def test_no_warning_once_protected(monkeypatch, tmp_path):
    config = tmp_path / "security.json"
    config.write_text(json.dumps(CONFIG))
    argv = ["--host", "0.0.0.0", "--port", "0", "--security-config", str(config)]
    assert run_cli_without_serving(monkeypatch, [*argv, "--protect-control-api"]) == ""
    assert run_cli_without_serving(monkeypatch, argv) == OPEN_WARNING.format(host="0.0.0.0")
