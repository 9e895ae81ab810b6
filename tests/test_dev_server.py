"""The dev server as a user runs it: ``python -m fake_es``, over real HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
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
