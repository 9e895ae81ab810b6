"""The ``jinaai`` service (8.18/9.0+): Jina AI's embeddings and rerankers, simulated offline.

Everything it reads, keeps and writes is its schema's (JinaAIService and its settings classes).
"""

from __future__ import annotations

from fake_es.inference.services._third_party import ThirdParty

SERVICE = ThirdParty("jinaai").service()
