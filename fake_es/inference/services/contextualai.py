"""The ``contextualai`` service (9.2+): Contextual AI's instruction-following rerankers.

Everything it does is in its schema (ContextualAiService, ContextualAiServiceSettings,
ContextualAiRerankTaskSettings).
"""

from __future__ import annotations

from fake_es.inference.services._third_party import ThirdParty

SERVICE = ThirdParty("contextualai").service()
