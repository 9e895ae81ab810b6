"""The declared minimum of each runtime dependency is a version fake-es works with.

A fresh environment gets exactly the lowest versions pyproject.toml allows (their own
dependencies as pip resolves them) and fake-es from its wheel, then runs a small suite
that uses the plugin and every body format.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUITE = Path(__file__).resolve().parent / "lowest" / "test_with_the_lowest_versions.py"
# Bounds on waiting for pip and the small suite: not speed checks.
INSTALL_TIMEOUT = 600
RUN_TIMEOUT = 180


def lowest_pins() -> dict[str, str]:
    """Each runtime dependency and its declared minimum (every one is `name>=version`)."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {}
    for requirement in declared:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement)
        assert match, f"{requirement}: a dependency needs a lower bound and nothing else"
        pins[match.group(1).lower()] = match.group(2)
    return pins


@pytest.fixture(scope="module")
def lowest_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("lowest")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(work / "dist"), str(ROOT)],
        check=True, timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    python = work / "venv" / "bin" / "python"
    pins = [f"{name}=={version}" for name, version in lowest_pins().items()]
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins],
        check=True, timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    wheel = next((work / "dist").glob("fake_es-*.whl"))
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-deps", str(wheel)],
        check=True, timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    return python


def test_the_environment_has_exactly_the_lowest_versions(lowest_env):
    listed = subprocess.run(
        [lowest_env, "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
        check=True, capture_output=True, text=True, timeout=RUN_TIMEOUT,
    ).stdout  # fmt: skip
    installed = {
        package["name"].lower().replace("_", "-"): package["version"]
        for package in json.loads(listed)
    }
    for name, version in lowest_pins().items():
        assert re.fullmatch(rf"{re.escape(version)}(\.0)*", installed[name]), (name, installed)


def test_the_plugin_works_with_the_lowest_versions(lowest_env, tmp_path):
    shutil.copy(SUITE, tmp_path / SUITE.name)
    result = subprocess.run(
        [lowest_env, "-m", "pytest", "-q", "-p", "no:cacheprovider", SUITE.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 passed")
