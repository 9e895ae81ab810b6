"""The dev server as a user runs it: ``python -m fake_es``, over real HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from http.client import RemoteDisconnected

import pytest
from support import LISTENING, SEED_BODY, SEED_PATH, SEED_RESPONSE, start_dev_server


@pytest.fixture
def dev_server() -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, url = start_dev_server("--es-version", "8.11")
    yield process, url
    if process.poll() is None:
        process.kill()
        process.wait()


def http(url: str, method: str = "GET", body: object = None) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_seed_curl_example_over_http(dev_server):
    _, url = dev_server
    status, headers, body = http(url + SEED_PATH, "PUT", SEED_BODY)
    assert status == 200
    assert body.decode() == SEED_RESPONSE
    assert headers["X-elastic-product"] == "Elasticsearch"


def test_errors_over_http_keep_status_and_header(dev_server):
    _, url = dev_server
    status, headers, body = http(url + "/_inference/bad/x", "PUT", SEED_BODY)
    assert status == 400
    assert json.loads(body)["error"]["reason"] == "Unknown task_type [bad]"
    assert headers["X-elastic-product"] == "Elasticsearch"


STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}"
DURATION = r"\d+\.\dms"


def test_logs_a_line_per_request_and_stops_on_sigterm(dev_server):
    process, url = dev_server
    _, _, root = http(url + "/")
    _, _, refused = http(url + "/_inference/bad/x", "PUT", SEED_BODY)
    http(url + "/_fake_es/faults", "POST", {"path": "/nope", "drop_connection": True})
    with pytest.raises(RemoteDisconnected):
        http(url + "/nope")
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "fake-es stopped" in out
    lines = err.splitlines()
    assert len(lines) == 4, err
    patterns = [
        rf'{STAMP} 127\.0\.0\.1 "GET / HTTP/1\.1" 200 {len(root)} {DURATION}',
        rf'{STAMP} 127\.0\.0\.1 "PUT /_inference/bad/x HTTP/1\.1" 400 {len(refused)} {DURATION} '
        "status_exception",
        rf'{STAMP} 127\.0\.0\.1 "POST /_fake_es/faults HTTP/1\.1" 200 \d+ {DURATION}',
        rf'{STAMP} 127\.0\.0\.1 "GET /nope HTTP/1\.1" dropped - {DURATION} '
        r"\(fake-es dropped the connection: drop connection\)",
    ]
    for line, pattern in zip(lines, patterns, strict=True):
        assert re.fullmatch(pattern, line), line


SERVE = [sys.executable, "-m", "fake_es", "--port", "0"]
# What a non-interactive shell does to a job it starts in the background (`cmd &`): the
# job starts with SIGINT ignored, which exec keeps.
IN_THE_BACKGROUND = ["sh", "-c", 'trap "" INT; exec "$0" "$@"', *SERVE]


@pytest.mark.parametrize("command", [SERVE, IN_THE_BACKGROUND], ids=["terminal", "background"])
def test_stops_on_ctrl_c(command):
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        # Printed once SIGINT and SIGTERM stop the server: a signal now is not lost.
        assert LISTENING.search(process.stdout.readline())
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)  # a bound on waiting, not a speed check
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert out == "fake-es stopped\n"


@pytest.mark.parametrize("port", ["abc", "70000", "-1", "9200.5"])
def test_a_bad_port_is_a_one_line_error(port):
    result = subprocess.run(
        [sys.executable, "-m", "fake_es", "--port", port],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"fake-es: error: argument --port: [{port}] is not a port: give a number from 0 to "
        "65535 (see fake-es --help)\n"
    )


def test_busy_port_is_reported(dev_server):
    _, url = dev_server
    port = url.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "fake_es", "--es-version", "8.11", "--port", port],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ},
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"fake-es: cannot listen on 127.0.0.1:{port}: Address already in use "
        "(--port 0 picks a free port)\n"
    )


def test_security_config_turns_security_on(tmp_path):
    config = tmp_path / "security.json"
    config.write_text(
        json.dumps({"users": {"elastic": {"password": "s3cret", "roles": ["superuser"]}}})
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fake_es",
            "--es-version",
            "8.11",
            "--port",
            "0",
            "--security-config",
            str(config),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "security on" in line
        url = LISTENING.search(line).group(1)
        status, headers, _ = http(url + "/")
        assert status == 401
        assert "X-elastic-product" not in headers
        request = urllib.request.Request(
            url + "/", headers={"Authorization": "Basic ZWxhc3RpYzpzM2NyZXQ="}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "s3cret" not in err and "ZWxhc3RpYzpzM2NyZXQ=" not in err


def test_invalid_security_config_is_refused(tmp_path):
    config = tmp_path / "security.json"
    config.write_text('{"users": {"u": {}}}')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "fake_es",
            "--es-version",
            "8.11",
            "--port",
            "0",
            "--security-config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "fake-es: invalid security configuration: users/u: 'password' is a required property"
    )


def connect(url):
    import http.client

    host, port = url.removeprefix("http://").rsplit(":", 1)
    return http.client.HTTPConnection(host, int(port), timeout=10)


def test_connections_stay_open_and_headers_are_elasticsearchs(dev_server):
    _, url = dev_server
    connection = connect(url)
    connection.request(
        "PUT", SEED_PATH, body=json.dumps(SEED_BODY), headers={"Content-Type": "application/json"}
    )
    first = connection.getresponse()
    assert first.read().decode() == SEED_RESPONSE
    sock = connection.sock
    connection.request("GET", SEED_PATH)
    second = connection.getresponse()
    assert (second.status, second.read().decode()) == (200, SEED_RESPONSE)
    assert connection.sock is sock  # one connection served both
    # Elasticsearch sends no Server, Date or Connection header.
    assert {name.lower() for name, _ in second.getheaders()} == {
        "content-type",
        "content-length",
        "x-elastic-product",
    }
    connection.close()


def test_chunked_request_bodies_are_read(dev_server):
    _, url = dev_server
    connection = connect(url)
    chunks = iter([json.dumps(SEED_BODY)[:20].encode(), json.dumps(SEED_BODY)[20:].encode()])
    connection.request(
        "PUT",
        SEED_PATH,
        body=chunks,
        encode_chunked=True,
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
    )
    response = connection.getresponse()
    assert (response.status, response.read().decode()) == (200, SEED_RESPONSE)
    connection.request("GET", "/")
    assert connection.getresponse().status == 200


def test_eis_option_authorises_the_elastic_service():
    process = subprocess.Popen(
        [sys.executable, "-m", "fake_es", "--eis", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        match = LISTENING.search(process.stdout.readline())
        assert match
        status, _, body = http(match.group(1) + "/_inference/chat_completion/_all")
        assert status == 200
        endpoints = json.loads(body)["endpoints"]
        assert [(e["inference_id"], e["service"]) for e in endpoints] == [
            (".rainbow-sprinkles-elastic", "elastic")
        ]
    finally:
        process.kill()
        process.wait()


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.communicate(timeout=10)


def test_environment_variables_set_the_options(tmp_path):
    config = tmp_path / "security.json"
    config.write_text(
        json.dumps({"users": {"elastic": {"password": "s3cret", "roles": ["superuser"]}}})
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process, url = start_dev_server(
        port=None,
        env={
            "FAKE_ES_HOST": "127.0.0.1",
            "FAKE_ES_PORT": str(port),
            "FAKE_ES_VERSION": "8.15",
            "FAKE_ES_SECURITY_CONFIG": str(config),
            "FAKE_ES_DATA_DIR": str(tmp_path / "data"),
        },
    )
    try:
        assert url == f"http://127.0.0.1:{port}"
        assert http(url + "/")[0] == 401
        request = urllib.request.Request(
            url + "/", headers={"Authorization": "Basic ZWxhc3RpYzpzM2NyZXQ="}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["version"]["number"] == "8.15.0"
    finally:
        stop(process)
    assert (tmp_path / "data").is_dir()


def test_the_dev_server_reads_its_release_from_fake_es_version():
    process, url = start_dev_server(env={"FAKE_ES_VERSION": "8.15"})
    try:
        status, _, body = http(url + "/")
        assert (status, json.loads(body)["version"]["number"]) == (200, "8.15.0")
    finally:
        stop(process)


def elastic_endpoints(url: str) -> list[str]:
    status, _, body = http(url + "/_inference/chat_completion/_all")
    assert status == 200
    return [endpoint["inference_id"] for endpoint in json.loads(body)["endpoints"]]


def test_fake_es_eis_authorises_the_elastic_service():
    process, url = start_dev_server(env={"FAKE_ES_EIS": "yes"})
    try:
        assert elastic_endpoints(url) == [".rainbow-sprinkles-elastic"]
    finally:
        stop(process)


def test_a_flag_overrides_its_environment_variable():
    process, url = start_dev_server(
        "--es-version", "9.1", "--no-eis", env={"FAKE_ES_VERSION": "8.15", "FAKE_ES_EIS": "1"}
    )
    try:
        status, _, body = http(url + "/")
        assert (status, json.loads(body)["version"]["number"]) == (200, "9.1.2")
        assert elastic_endpoints(url) == []
    finally:
        stop(process)


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("FAKE_ES_PORT", "abc", "[abc] is not a port: give a number from 0 to 65535"),
        ("FAKE_ES_PORT", "70000", "[70000] is not a port: give a number from 0 to 65535"),
        (
            "FAKE_ES_VERSION",
            "7.17",
            "fake-es has no profile for Elasticsearch '7.17'; known releases: 8.11, 8.12, 8.13, "
            "8.14, 8.15, 8.16, 8.17, 8.18, 8.19, 9.0, 9.1, 9.2, 9.3, 9.4, 9.5 (X.Y or X.Y.Z)",
        ),
        (
            "FAKE_ES_EIS",
            "maybe",
            "[maybe] is not a boolean: give 1, true, yes, on, 0, false, no or off",
        ),
    ],
)
def test_a_bad_environment_variable_is_a_one_line_error_naming_it(variable, value, reason):
    result = subprocess.run(
        [sys.executable, "-m", "fake_es"],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, variable: value},
    )
    assert result.returncode == 2
    assert result.stderr == f"fake-es: error: {variable}: {reason} (see fake-es --help)\n"
    assert result.stdout == ""


def test_help_names_each_options_environment_variable():
    result = subprocess.run(
        [sys.executable, "-m", "fake_es", "--help"],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "COLUMNS": "1000", "FAKE_ES_PORT": "9300"},
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    named = [line.split("$")[1].rstrip(")") for line in lines if "($" in line or "; $" in line]
    assert named == [
        "FAKE_ES_HOST",
        "FAKE_ES_PORT",
        "FAKE_ES_VERSION",
        "FAKE_ES_SECURITY_CONFIG",
        "FAKE_ES_EIS",
        "FAKE_ES_PROTECT_CONTROL_API",
        "FAKE_ES_DATA_DIR",
        "FAKE_ES_TLS_CERT",
        "FAKE_ES_TLS_KEY",
    ]
    # The variable's value is the default shown.
    port_help = "port; 0 picks a free one (default: 9300; $FAKE_ES_PORT)"
    assert f"  --port PORT           {port_help}" in lines
