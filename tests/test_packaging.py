"""The wheel: schemas inside it, and a non-editable install that serves from anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

from support import SEED_BODY, SEED_PATH, SEED_RESPONSE

ROOT = Path(__file__).resolve().parent.parent


def installed(wheel: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A fresh venv with fake-es from ``wheel`` only (the dependencies come from the test
    environment): its python and its site-packages."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", str(wheel)],
        check=True,
    )  # fmt: skip
    return python, site


def test_wheel_ships_every_schema_and_the_plugin(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in (ROOT / "schemas").rglob("*.schema.json"):
        assert f"fake_es/schemas/{schema.relative_to(ROOT / 'schemas')}" in names
    # The plugin is inside the package: no top-level module a user's project could shadow.
    assert "fake_es/pytest_plugin.py" in names
    assert not [name for name in names if "/" not in name]
    assert "fake_es/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[pytest11]\nfake_es = fake_es.pytest_plugin" in text
    assert "fake-es = fake_es.cli:main" in text


def test_wheel_metadata_names_the_licence_the_version_and_the_framework(wheel):
    import fake_es

    archive = zipfile.ZipFile(wheel)
    metadata_name = next(n for n in archive.namelist() if n.endswith("METADATA"))
    metadata = archive.read(metadata_name).decode()
    assert f"Version: {fake_es.__version__}\n" in metadata
    assert "License-Expression: Apache-2.0\n" in metadata
    assert "License-File: LICENSE\n" in metadata
    assert "Classifier: Framework :: Pytest\n" in metadata
    assert any(n.endswith("licenses/LICENSE") for n in archive.namelist())


def test_installed_wheel_serves_from_outside_the_source_tree(wheel, tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHONPATH", raising=False)
    python, site = installed(wheel, tmp_path)
    venv = python.parent.parent
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    located = subprocess.run(
        [
            python,
            "-c",
            "import fake_es.schemas as s; print(s.__file__); "
            "print(s.schema_directory()); print(len(s.load_schemas()))",
        ],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert located[0].startswith(str(site))
    assert located[1] == str(site / "fake_es" / "schemas")
    assert int(located[2]) == len(list((ROOT / "schemas").rglob("*.schema.json")))

    server = subprocess.Popen(
        [venv / "bin" / "fake-es", "--es-version", "8.11", "--port", "0"],
        cwd=elsewhere,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().rsplit(" ", 1)[1].strip()
        request = urllib.request.Request(
            url + SEED_PATH,
            data=json.dumps(SEED_BODY).encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.read().decode() == SEED_RESPONSE
    finally:
        server.terminate()
        server.wait(timeout=10)


DOWNSTREAM_TEST = """
import asyncio

import fake_es
import pytest
from conftest_plugin import OWN  # the project's own module of that name


def test_own_module_and_the_fixture(fake_es):
    assert OWN == "the project's own"
    assert fake_es.models.list() == []


@pytest.mark.fake_es(version="8.19")
def test_marker_old(fake_es):
    assert fake_es.app.profile.number == "8.19.0"


@pytest.mark.fake_es(version="9.1")
def test_marker_new(fake_es):
    assert fake_es.app.profile.number == "9.1.2"  # the 9.1 row is the 9.1.2 banner


def test_serve_and_the_in_process_clients():
    with fake_es.serve("8.19") as fake:
        es = fake.client(module="elasticsearch8")
        assert es.info()["version"]["number"] == "8.19.0"

        async def cycle():
            client = fake.async_client(module="elasticsearch8")
            try:
                return (await client.info())["version"]["number"]
            finally:
                await client.close()

        assert asyncio.run(cycle()) == "8.19.0"
"""


def test_a_downstream_project_with_its_own_conftest_plugin(wheel, tmp_path, monkeypatch):
    # The acceptance run: only the installed wheel, a project module named like the
    # repository's conftest_plugin.py, the fixture, the marker with two releases, serve()
    # and the in-process clients, under pytest -n 2.
    monkeypatch.delenv("PYTHONPATH", raising=False)
    python, _ = installed(wheel, tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "conftest_plugin.py").write_text('OWN = "the project\'s own"\n')
    (project / "test_downstream.py").write_text(DOWNSTREAM_TEST)
    run = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:randomly", "-n", "2", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "bringing up nodes" in run.stdout and "4 passed" in run.stdout
