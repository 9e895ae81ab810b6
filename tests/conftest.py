"""Fixtures shared by the unit tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import trustme  # noqa: F401 -- see below
from hypothesis import settings
from support import FakeClient

# Imported here, before any pytester run: an in-process pytester run forgets the modules
# first imported inside it, and cryptography (under trustme) cannot be imported a second
# time in one process ("curve must be an EllipticCurve instance"), so the second run on a
# worker whose conftest uses trustme would fail.

# The suite tests/test_dependency_range.py runs in environments of their own, not here.
collect_ignore = ["dependency_range"]

# The releases behaviour tests run against, fakeredis-style: the seed, the first of each
# shape change (8.12 lists, 8.13 ids in paths, 8.15 endpoints, 8.17 defaults), the last 8.x,
# the first 9.x and the newest.
REPRESENTATIVE_RELEASES = ("8.11", "8.12", "8.13", "8.15", "8.17", "8.19", "9.0", "9.5")


def release_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def _satisfies(version: str, condition: str) -> bool:
    operator = condition.rstrip("0123456789.")
    bound = release_key(condition[len(operator) :])
    here = release_key(version)
    return {
        ">=": here >= bound,
        "<": here < bound,
        "==": here[:2] == bound,
    }[operator]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``release`` runs a test once per representative release its ``releases`` marker allows."""
    if "release" not in metafunc.fixturenames:
        return
    for parametrized in metafunc.definition.iter_markers("parametrize"):
        names = parametrized.args[0]
        if "release" in (names.replace(" ", "").split(",") if isinstance(names, str) else names):
            return  # the test names its own releases
    marker = metafunc.definition.get_closest_marker("releases")
    conditions = marker.args if marker is not None else ()
    chosen = [
        version
        for version in REPRESENTATIVE_RELEASES
        if all(_satisfies(version, condition) for condition in conditions)
    ]
    metafunc.parametrize("release", chosen)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fake-es's wheel, built from this checkout."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(dist), str(Path(__file__).resolve().parent.parent)],
        check=True,
    )  # fmt: skip
    return next(dist.glob("fake_es-*.whl"))


@pytest.fixture
def client() -> FakeClient:
    """A fresh 8.11 app (own state) behind werkzeug's test client: the seed release."""
    return FakeClient()


@pytest.fixture
def es(release: str) -> FakeClient:
    """A fresh app answering as ``release`` (see ``REPRESENTATIVE_RELEASES``)."""
    return FakeClient(release)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "releases(*conditions): run with the representative releases that satisfy every "
        "condition, such as '>=8.15' or '<9.0'",
    )
    """Property tests stay bounded in `make test`; `--hypothesis-profile=long` explores more."""
    settings.register_profile("bounded", max_examples=60, deadline=None)
    settings.register_profile("long", max_examples=5000, deadline=None)
    settings.load_profile(config.getoption("hypothesis_profile", None) or "bounded")
