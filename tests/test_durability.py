"""``--data-dir``: models kept across restarts, atomically, even through SIGKILL."""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support import SEED_BODY, SEED_PATH, error_of
from werkzeug.test import Client

from fake_es import create_app
from fake_es.handle import FakeEs
from fake_es.inference.views import endpoint_view
from fake_es.persistence import Collection, DataDirInUse
from fake_es.state import FakeState

RECORD_SHAPE = "expected an object with an integer seq, a string key and an object value"
ENDPOINT = {
    "inference_id": "m",
    "task_type": "sparse_embedding",
    "service": "elser",
    "service_settings": {"num_allocations": 1, "num_threads": 1},
    "task_settings": {},
    "chunking_settings": None,
    "secrets": {},
}


def endpoint_record(**changes: object) -> str:
    return json.dumps({"seq": 1, "key": "m", "value": {**ENDPOINT, **changes}})


LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


def test_models_and_deployments_survive_a_new_state(tmp_path):
    first = FakeEs(create_app(FakeState(data_dir=tmp_path), version="8.11"), "http://unused")
    for name in ("b", "a", "c"):
        first.models.create("sparse_embedding", name)
    first.models.delete("c")
    first.state.close()
    again = FakeState(data_dir=tmp_path)
    assert [model.inference_id for model in again.endpoints.all()] == ["b", "a"]
    assert "c" in again.deployments  # 8.11 leaves the deployment of a deleted model running
    assert endpoint_view(again.endpoints.get("a"), first.app.profile) == first.models.get("a")


def test_ids_of_any_shape_are_safe_file_names(tmp_path):
    handle = FakeEs(create_app(FakeState(data_dir=tmp_path), version="8.11"), "http://unused")
    odd = ["../../etc/passwd", "a/b", "ünïcode", "x" * 500]
    for name in odd:
        handle.models.create("sparse_embedding", name)
    handle.state.close()
    assert sorted(m.inference_id for m in FakeState(data_dir=tmp_path).endpoints.all()) == sorted(
        odd
    )
    assert all(path.parent.name == "models" for path in (tmp_path / "models").iterdir())


def test_reset_clears_the_directory(tmp_path):
    state = FakeState(data_dir=tmp_path)
    FakeEs(create_app(state, version="8.11"), "http://unused").models.create(
        "sparse_embedding", "m"
    )
    state.reset()
    state.close()
    assert FakeState(data_dir=tmp_path).endpoints.all() == []
    assert list((tmp_path / "models").iterdir()) == []


def test_leftovers_of_interrupted_writes_are_ignored_and_removed(tmp_path):
    FakeEs(create_app(FakeState(data_dir=tmp_path), version="8.11"), "http://unused").models.create(
        "sparse_embedding", "m"
    )
    stray = tmp_path / "models" / "0123.json.99.tmp"
    stray.write_text('{"seq": 1, "key": "half')
    assert [m.inference_id for m in FakeState(data_dir=tmp_path).endpoints.all()] == ["m"]
    assert not stray.exists()


def start_server(data_dir):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fake_es",
            "--es-version",
            "8.11",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    match = LISTENING.search(line)
    assert match, line
    return process, int(match.group(1))


def create_storm(port, worker, acknowledged, stop):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    number = 0
    while not stop.is_set():
        model_id = f"w{worker}-{number}"
        number += 1
        try:
            connection.request(
                "PUT",
                f"/_inference/sparse_embedding/{model_id}",
                body=json.dumps(SEED_BODY),
                headers={"Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            return
        if response.status == 200:
            acknowledged.append(model_id)


def test_sigkill_during_a_create_storm_loses_no_acknowledged_model(tmp_path):
    process, port = start_server(tmp_path)
    acknowledged: list[str] = []
    stop = threading.Event()
    workers = [
        threading.Thread(target=create_storm, args=(port, n, acknowledged, stop)) for n in range(8)
    ]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 10
    while len(acknowledged) < 200 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    stop.set()
    for worker in workers:
        worker.join(timeout=10)
    assert len(acknowledged) >= 200

    for path in (tmp_path / "models").glob("*.json"):
        json.loads(path.read_text())  # whole, or not there at all

    process, port = start_server(tmp_path)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/_fake_es/models")
        stored = {m["model_id"] for m in json.loads(connection.getresponse().read())["models"]}
        assert set(acknowledged) <= stored
        for model_id in acknowledged[:: max(1, len(acknowledged) // 20)]:
            connection.request("GET", f"/_inference/sparse_embedding/{model_id}")
            response = connection.getresponse()
            assert (response.status, json.loads(response.read())["model_id"]) == (200, model_id)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert not list((tmp_path / "models").glob("*.tmp"))


def test_a_second_state_on_the_same_data_dir_is_refused_until_the_first_closes(tmp_path):
    first = FakeState(data_dir=tmp_path)
    with pytest.raises(DataDirInUse) as raised:
        FakeState(data_dir=tmp_path)
    assert str(raised.value) == (
        f"failed to obtain the lock on {tmp_path}: another fake-es server is using this "
        "data directory (one data directory, one server)"
    )
    first.close()
    FakeState(data_dir=tmp_path).close()


def test_a_second_dev_server_on_the_same_data_dir_refuses_to_start(tmp_path):
    process, _port = start_server(tmp_path)
    try:
        second = subprocess.run(
            [sys.executable, "-m", "fake_es", "--port", "0", "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=20,
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    assert (second.returncode, second.stdout) == (2, "")
    assert second.stderr == (
        f"fake-es: cannot use data directory {tmp_path}: failed to obtain the lock on "
        f"{tmp_path}: another fake-es server is using this data directory "
        "(one data directory, one server)\n"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "unreadable record {path}: Expecting value: line 1 column 1 (char 0)"),
        ("garbage", "unreadable record {path}: Expecting value: line 1 column 1 (char 0)"),
        ("{}", "not a fake-es record {path}: " + RECORD_SHAPE),
        ("[1, 2]", "not a fake-es record {path}: " + RECORD_SHAPE),
        ('{"seq": "1", "key": "m", "value": {}}', "not a fake-es record {path}: " + RECORD_SHAPE),
        (endpoint_record(extra=1), "invalid record {path}: unknown fields [extra]"),
        (
            endpoint_record(service_settings="x"),
            "invalid record {path}: field [service_settings] must be an object, not a string",
        ),
        (
            endpoint_record(chunking_settings=[1]),
            "invalid record {path}: field [chunking_settings] must be an object or null, "
            "not an array",
        ),
        (
            endpoint_record(task_type=7),
            "invalid record {path}: field [task_type] must be a string, not a number",
        ),
        (
            endpoint_record(inference_id="other"),
            "invalid record {path}: field [inference_id] is not the record's key [m]",
        ),
        (
            endpoint_record(task_type="poetry"),
            "invalid record {path}: unknown task type [poetry]",
        ),
        (
            endpoint_record(secrets={"api_key": 1}),
            "invalid record {path}: field [secrets] must map each setting to a string",
        ),
        (
            json.dumps({"seq": 1, "key": "m", "value": {"inference_id": "m"}}),
            "invalid record {path}: missing fields [task_type, service]",
        ),
    ],
)
def test_a_corrupt_record_stops_start_up_naming_the_file(tmp_path, content, problem):
    models = tmp_path / "models"
    models.mkdir()
    path = models / "0123.json"
    path.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "fake_es", "--port", "0", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"fake-es: cannot use data directory {tmp_path}: {problem.format(path=path)}\n"
    )


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    state = FakeState(data_dir=tmp_path)
    handle = FakeEs(create_app(state, version="8.11"), "http://unused")

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("fake_es.persistence.os.fsync", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        handle.models.create("sparse_embedding", "m")
    monkeypatch.undo()
    assert [p.name for p in (tmp_path / "models").iterdir()] == []
    state.close()


def test_a_record_written_by_this_version_loads_back(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "0123.json").write_text(endpoint_record())
    state = FakeState(data_dir=tmp_path)
    assert [endpoint.record() for endpoint in state.endpoints.all()] == [ENDPOINT]
    state.close()


def disk_full_for(directory: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every record write into ``DIR/<directory>`` fail as a full disk does."""
    put = Collection.put

    def failing_put(self: Collection, key: str, value: dict[str, object]) -> None:
        if self._directory.name == directory:
            raise OSError(28, "No space left on device")
        put(self, key, value)

    monkeypatch.setattr(Collection, "put", failing_put)


def test_a_create_whose_deployment_write_fails_stores_nothing(tmp_path, monkeypatch):
    state = FakeState(data_dir=tmp_path)
    http = Client(create_app(state, version="8.11"))
    disk_full_for("deployments", monkeypatch)
    response = http.put(SEED_PATH, json=SEED_BODY)
    assert error_of(response) == (
        500,
        "fake_es_internal_error",
        "fake-es crashed: OSError: [Errno 28] No space left on device",
    )
    assert [crash.error.errno for crash in state.crashes.take()] == [28]
    assert (state.endpoints.all(), list((tmp_path / "models").iterdir())) == ([], [])
    assert "my-elser-model" not in state.deployments
    monkeypatch.undo()
    assert http.put(SEED_PATH, json=SEED_BODY).status_code == 200
    state.close()


def test_a_create_whose_endpoint_write_fails_stores_nothing(tmp_path, monkeypatch):
    state = FakeState(data_dir=tmp_path)
    http = Client(create_app(state, version="8.11"))
    disk_full_for("models", monkeypatch)
    response = http.put(SEED_PATH, json=SEED_BODY)
    assert error_of(response) == (
        500,
        "fake_es_internal_error",
        "fake-es crashed: OSError: [Errno 28] No space left on device",
    )
    state.crashes.take()
    assert (state.endpoints.all(), list((tmp_path / "deployments").iterdir())) == ([], [])
    state.close()


def served_and_stored(state: FakeState, data_dir: Path) -> tuple[list[str], list[str]]:
    """What a state serves and what a new state on its directory would, side by side."""
    served = [endpoint.inference_id for endpoint in state.endpoints.all()]
    served_deployments = sorted(d for d in ("a", "b", "c") if d in state.deployments)
    state.close()
    again = FakeState(data_dir=data_dir)
    stored = [endpoint.inference_id for endpoint in again.endpoints.all()]
    stored_deployments = sorted(d for d in ("a", "b", "c") if d in again.deployments)
    again.close()
    return served + served_deployments, stored + stored_deployments


def test_a_reset_that_fails_part_way_leaves_disk_and_memory_agreeing(tmp_path, monkeypatch):
    state = FakeState(data_dir=tmp_path)
    app = create_app(state, version="8.11")
    for name in ("a", "b", "c"):
        FakeEs(app, "http://unused").models.create("sparse_embedding", name)
    unlink = Path.unlink
    calls = []

    def failing_unlink(self: Path, missing_ok: bool = False) -> None:
        calls.append(self)
        if len(calls) == 2:
            raise PermissionError(13, "Permission denied")
        unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", failing_unlink)
    response = Client(app).post("/_fake_es/reset")
    assert error_of(response) == (
        500,
        "fake_es_internal_error",
        "fake-es crashed: PermissionError: [Errno 13] Permission denied",
    )
    monkeypatch.undo()
    served, stored = served_and_stored(state, tmp_path)
    assert served == stored == ["b", "c", "a", "b", "c"]


def test_a_stray_directory_in_the_data_dir_does_not_stop_a_reset(tmp_path):
    state = FakeState(data_dir=tmp_path)
    FakeEs(create_app(state, version="8.11"), "http://unused").models.create(
        "sparse_embedding", "a"
    )
    (tmp_path / "models" / "sub").mkdir()
    state.reset()
    assert served_and_stored(state, tmp_path) == ([], [])
