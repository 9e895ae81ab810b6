"""fake-es: a fast, faithful test double for the Elasticsearch inference API."""

from fake_es.app import FakeElasticsearch, create_app
from fake_es.state import FakeState

__version__ = "0.1.0"

__all__ = ["FakeElasticsearch", "FakeState", "__version__", "create_app"]
