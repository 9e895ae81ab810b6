"""The ``groq`` service (9.3+): Groq's OpenAI-compatible chat completion.

Everything it does is in its schema (GroqService, GroqChatCompletionServiceSettings,
GroqChatCompletionTaskSettings).
"""

from __future__ import annotations

from fake_es.inference.services._third_party import ThirdParty

SERVICE = ThirdParty("groq").service()
