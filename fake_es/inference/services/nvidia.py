"""The ``nvidia`` service (9.3+): models on NVIDIA's API catalog or a NIM.

Everything it does is in its schema (NvidiaService, NvidiaServiceSettings and its
embeddings, chat completion and rerank subclasses, NvidiaEmbeddingsTaskSettings).
"""

from __future__ import annotations

from fake_es.inference.services._third_party import ThirdParty

SERVICE = ThirdParty("nvidia").service()
