"""The fake's own controls: request journal, fault injection and the ``/_fake_es`` API."""
