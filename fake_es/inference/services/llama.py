"""The ``llama`` service (9.2+): a Llama Stack server's embeddings and chat completions.

Everything it does is in its schema (LlamaService, LlamaEmbeddingsServiceSettings,
LlamaChatCompletionServiceSettings), including its optional key
(``secrets_only_if_settings_left``, LlamaModel.retrieveSecretSettings).
"""

from __future__ import annotations

from fake_es.inference.services._third_party import ThirdParty

SERVICE = ThirdParty("llama").service()
