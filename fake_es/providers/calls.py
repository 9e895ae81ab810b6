"""One call to a simulated provider: a failure the test planned, a scripted answer, or the default.

Answers are raw provider results, one per input: a vector (list of floats) for
embeddings, a token map for sparse embeddings, a text for completions and a score
for rerank; the service turns them into Elasticsearch's result shapes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from fake_es.inference.embeddings import dense_embedding, relevance_score, sparse_embedding
from fake_es.inference.registry import InferenceEndpoint
from fake_es.providers.errors import (
    OPENAI_HANDLER,
    ResponseHandler,
    provider_status_error,
    provider_unreachable,
)
from fake_es.providers.plan import ProviderFailure, ProviderPlan

# RetryingHttpSender retries a rate-limited call within its 30 s budget (1 s initial delay,
# doubling up to 5 s): about eight attempts, which the fake makes at once.
RATE_LIMIT_ATTEMPTS = 8
# A simulated provider never holds a request longer than this, whatever a test asked.
MAX_DELAY = 60.0

# A service's own ResponseHandler text for a failure status (checkForFailureStatusCode).


@dataclass(frozen=True)
class ProviderCall:
    task_type: str
    inputs: list[str]
    query: str | None = None
    # The embedding size the endpoint is configured for, if any.
    dimensions: int | None = None


@dataclass(frozen=True)
class ProviderStream:
    """A streamed answer: the texts, one per input, and the failure that cuts the stream
    after its first piece, if a test planned one (``mid_stream``)."""

    answers: list[Any]
    cut: ProviderFailure | None = None


def call_provider(
    plan: ProviderPlan,
    endpoint: InferenceEndpoint,
    call: ProviderCall,
    handler: ResponseHandler = OPENAI_HANDLER,
) -> list[Any]:
    """The provider's answers, one per input, or the Elasticsearch error its failure becomes."""
    return _call(plan, endpoint, call, handler, streaming=False).answers


def stream_provider(
    plan: ProviderPlan,
    endpoint: InferenceEndpoint,
    call: ProviderCall,
    handler: ResponseHandler = OPENAI_HANDLER,
) -> ProviderStream:
    """A streaming call: failures before the stream starts raise, as ``call_provider``'s."""
    return _call(plan, endpoint, call, handler, streaming=True)


def _call(
    plan: ProviderPlan,
    endpoint: InferenceEndpoint,
    call: ProviderCall,
    handler: ResponseHandler,
    *,
    streaming: bool,
) -> ProviderStream:
    for attempt in range(1, RATE_LIMIT_ATTEMPTS + 1):
        failure = plan.take_failure(endpoint, streaming=streaming)
        if failure is None:
            break
        if failure.delay:
            time.sleep(min(failure.delay, MAX_DELAY))
        if failure.network:
            raise provider_unreachable(endpoint.inference_id)
        if failure.status is None:
            break
        if failure.mid_stream:
            return ProviderStream(_answers(plan, endpoint, call), failure)
        if failure.status != 429 or attempt == RATE_LIMIT_ATTEMPTS:
            raise provider_status_error(endpoint, failure.status, failure.message, handler)
    return ProviderStream(_answers(plan, endpoint, call))


def _answers(plan: ProviderPlan, endpoint: InferenceEndpoint, call: ProviderCall) -> list[Any]:
    scripted = plan.scripted(endpoint)
    if scripted is not None:
        return _scripted_answers(scripted, call)
    return [_default_answer(endpoint, call, text) for text in call.inputs]


def _scripted_answers(scripted: Any, call: ProviderCall) -> list[Any]:
    answer = scripted(call.task_type, call.inputs, call.query) if callable(scripted) else scripted
    if isinstance(answer, list) and len(answer) == len(call.inputs) and _per_input(answer, call):
        return answer
    return [answer] * len(call.inputs)


def _per_input(answer: list[Any], call: ProviderCall) -> bool:
    """A list of answers (one per input) rather than one answer that is itself a list."""
    if call.task_type in ("text_embedding", "embedding"):
        return all(isinstance(item, list) for item in answer)
    return True


def _default_answer(endpoint: InferenceEndpoint, call: ProviderCall, text: str) -> Any:
    if call.task_type in ("text_embedding", "embedding"):
        return dense_embedding(text, call.dimensions or default_dimensions(endpoint))
    if call.task_type == "sparse_embedding":
        return sparse_embedding(text)
    if call.task_type == "rerank":
        return relevance_score(call.query or "", text)
    model = endpoint.service_settings.get("model_id") or endpoint.service_settings.get("model")
    return f"[{endpoint.service}{'/' + str(model) if model else ''}] {_reply(text)}"


def _reply(text: str) -> str:
    words = text.split()
    return f"A simulated answer to: {' '.join(words[:40])}" if words else "A simulated answer."


# Embedding sizes of well-known models, as their providers answer; others get 1024.
KNOWN_DIMENSIONS = {
    "text-embedding-ada-002": 1536,
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "embed-english-v3.0": 1024,
    "embed-multilingual-v3.0": 1024,
    "embed-english-light-v3.0": 384,
    "embed-english-v2.0": 4096,
    "mistral-embed": 1024,
    "text-embedding-004": 768,
    "jina-embeddings-v3": 1024,
    "jina-embeddings-v4": 2048,
    "voyage-3": 1024,
}
DEFAULT_DIMENSIONS = 1024


def default_dimensions(endpoint: InferenceEndpoint) -> int:
    settings = endpoint.service_settings
    configured = settings.get("dimensions")
    if isinstance(configured, int):
        return configured
    # 8.12's OpenAI service names the model in the task settings.
    model = settings.get("model_id") or settings.get("model") or endpoint.task_settings.get("model")
    return KNOWN_DIMENSIONS.get(str(model), DEFAULT_DIMENSIONS)
