"""fake-es: a fast, faithful test double for the Elasticsearch inference API."""

from fake_es.app import FakeElasticsearch, create_app
from fake_es.control.journal import JournalEntry
from fake_es.handle import FakeEs, FakeEsCrashed
from fake_es.rest.errors import EsError
from fake_es.serving import serve
from fake_es.state import FakeState
from fake_es.versions import DEFAULT_VERSION, known_versions

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_VERSION",
    "EsError",
    "FakeElasticsearch",
    "FakeEs",
    "FakeEsCrashed",
    "FakeState",
    "JournalEntry",
    "__version__",
    "create_app",
    "known_versions",
    "serve",
]
