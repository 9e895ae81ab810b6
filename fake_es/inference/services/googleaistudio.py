"""The ``googleaistudio`` service (8.15+): Gemini embeddings and completions, simulated offline.

Everything it reads is its schema's (GoogleAiStudioService has no checks beyond the
settings readers).
"""

from __future__ import annotations

from fake_es.inference.services._third_party import ThirdParty

SERVICE = ThirdParty("googleaistudio").service()
