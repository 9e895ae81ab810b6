"""The ``ai21`` service (9.2+): AI21's Jamba models for completion and chat completion.

Everything it does is in its schema (Ai21Service, Ai21ChatCompletionServiceSettings).
"""

from __future__ import annotations

from fake_es.inference.services._third_party import ThirdParty

SERVICE = ThirdParty("ai21").service()
