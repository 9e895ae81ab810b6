"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest
from support import FakeClient


@pytest.fixture
def client() -> FakeClient:
    """A fresh app (own state) behind werkzeug's test client."""
    return FakeClient()
