"""fake-es: a fast, faithful test double for the Elasticsearch inference API.

The names below are loaded on first use, so that importing a submodule (the pytest
plugin does, in every run of a suite that has fake-es installed) loads nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fake_es.app import FakeElasticsearch, create_app
    from fake_es.control.expect import Expect
    from fake_es.control.faults import Fault
    from fake_es.control.journal import JournalEntry
    from fake_es.handle import FakeEs, FakeEsCrashed
    from fake_es.pytest_plugin import FakeEsMarkerWarning
    from fake_es.rest.errors import EsError
    from fake_es.serving import serve
    from fake_es.state import FakeState, Snapshot
    from fake_es.versions import DEFAULT_VERSION, known_versions

__version__ = "0.1.0"

# Each exported name and the module that defines it.
_EXPORTS = {
    "DEFAULT_VERSION": "fake_es.versions",
    "EsError": "fake_es.rest.errors",
    "Expect": "fake_es.control.expect",
    "FakeElasticsearch": "fake_es.app",
    "FakeEs": "fake_es.handle",
    "FakeEsCrashed": "fake_es.handle",
    "FakeEsMarkerWarning": "fake_es.pytest_plugin",
    "FakeState": "fake_es.state",
    "Fault": "fake_es.control.faults",
    "JournalEntry": "fake_es.control.journal",
    "Snapshot": "fake_es.state",
    "create_app": "fake_es.app",
    "known_versions": "fake_es.versions",
    "serve": "fake_es.serving",
}

__all__ = [
    "DEFAULT_VERSION",
    "EsError",
    "Expect",
    "FakeElasticsearch",
    "FakeEs",
    "FakeEsCrashed",
    "FakeEsMarkerWarning",
    "FakeState",
    "Fault",
    "JournalEntry",
    "Snapshot",
    "__version__",
    "create_app",
    "known_versions",
    "serve",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fake_es' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
