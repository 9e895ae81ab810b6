"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest
from hypothesis import settings
from support import FakeClient


@pytest.fixture
def client() -> FakeClient:
    """A fresh app (own state) behind werkzeug's test client."""
    return FakeClient()


def pytest_configure(config: pytest.Config) -> None:
    """Property tests stay bounded in `make test`; `--hypothesis-profile=long` explores more."""
    settings.register_profile("bounded", max_examples=60, deadline=None)
    settings.register_profile("long", max_examples=5000, deadline=None)
    settings.load_profile(config.getoption("hypothesis_profile", None) or "bounded")
