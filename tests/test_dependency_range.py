"""Both ends of each runtime dependency's declared range are versions fake-es works with.

For each end, a fresh environment gets fake-es from its wheel and, for every runtime
dependency in pyproject.toml, either exactly its lowest allowed version or the newest
release its bounds allow (their own dependencies as pip resolves them); then it runs the
small suite in tests/dependency_range, which uses the plugin, every body format and the
HTTP server.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
SUITE = Path(__file__).resolve().parent / "dependency_range"
SUITE_TESTS = 5
# Bounds on waiting for pip and the small suite: not speed checks.
INSTALL_TIMEOUT = 600
RUN_TIMEOUT = 180
PIP = ("-m", "pip", "--disable-pip-version-check")


def declared() -> dict[str, SpecifierSet]:
    """Each runtime dependency and its range: a lower bound (`>=`), and optionally an upper
    bound (`<`), nothing else."""
    ranges = {}
    for text in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        requirement = Requirement(text)
        operators = sorted(specifier.operator for specifier in requirement.specifier)
        assert operators in (["<", ">="], [">="]), f"{text}: needs `>=` and at most a `<`"
        assert not requirement.extras and requirement.marker is None, text
        ranges[canonicalize_name(requirement.name)] = requirement.specifier
    return ranges


def lowest() -> dict[str, Version]:
    return {
        name: Version(next(s.version for s in specifier if s.operator == ">="))
        for name, specifier in declared().items()
    }


def newest(python: Path) -> dict[str, Version]:
    """The newest release each declared range allows, each dependency resolved on its own:
    another dependency's needs cannot hold it back here, as they could in the install."""
    report = subprocess.run(
        [python, *PIP, "install", "--quiet", "--dry-run", "--ignore-installed", "--no-deps",
         "--report", "-", *(f"{name}{specifier}" for name, specifier in declared().items())],
        check=True, capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
    ).stdout  # fmt: skip
    return {
        canonicalize_name(item["metadata"]["name"]): Version(item["metadata"]["version"])
        for item in json.loads(report)["install"]
    }


def installed(python: Path) -> dict[str, Version]:
    listed = subprocess.run(
        [python, *PIP, "list", "--format", "json"],
        check=True, capture_output=True, text=True, timeout=RUN_TIMEOUT,
    ).stdout  # fmt: skip
    return {
        canonicalize_name(item["name"]): Version(item["version"]) for item in json.loads(listed)
    }


@pytest.mark.parametrize("end", ["lowest", "newest"])
def test_the_plugin_works_at_each_end_of_the_dependency_range(end, wheel, tmp_path):
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
    python = tmp_path / "venv" / "bin" / "python"
    ranges = declared()
    if end == "lowest":
        wanted = lowest()
        requirements = [f"{name}=={version}" for name, version in wanted.items()]
    else:
        wanted = newest(python)
        requirements = [f"{name}{specifier}" for name, specifier in ranges.items()]
    assert sorted(wanted) == sorted(ranges)
    # With the wheel, whose own requirements are pyproject.toml's: a pin must fit them.
    subprocess.run(
        [python, *PIP, "install", "--quiet", str(wheel), *requirements],
        check=True, timeout=INSTALL_TIMEOUT,
    )  # fmt: skip

    versions = installed(python)
    assert {name: versions[name] for name in wanted} == wanted
    assert [name for name, version in wanted.items() if version not in ranges[name]] == []

    shutil.copytree(SUITE, tmp_path / "suite", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "."],
        cwd=tmp_path / "suite", capture_output=True, text=True, timeout=RUN_TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith(f"{SUITE_TESTS} passed"), result.stdout
