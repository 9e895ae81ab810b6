"""The pytest plugin's name in the project's design; the plugin is ``fake_es.pytest_plugin``.

Installed fake-es registers ``fake_es.pytest_plugin`` (entry point ``fake_es``), which
no module of a user's project can shadow. This module is not in the wheel; it only
re-exports the plugin's public names for code in this repository that imports them here.
"""

from fake_es.pytest_plugin import FakeEsFactory

__all__ = ["FakeEsFactory"]
