"""Streamed inference answers, written as Elasticsearch's ServerSentEventsRestActionListener does.

Each event is the UTF-8 byte-order mark, ``event: <type>``, ``data: <payload>`` and a
blank line (``ServerSentEventResponseBodyPart``). A stream ends with ``data: [DONE]``
(``ServerSentEventDoneBodyPart``), or with an ``error`` event and nothing after it. A
failure before the stream starts is one ``error`` event, sent with the failure's status.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fake_es.inference.unified import UnifiedChatCompletionError
from fake_es.rest.errors import EsError
from fake_es.rest.routing import StreamedResponse
from fake_es.rest.xcontent import dump_json

MIME_TYPE = "text/event-stream"
BOM = "\ufeff".encode()
DONE = b"[DONE]"
# What OpenAI's chat completion chunks say they are (StreamingUnifiedChatCompletionResults).
CHUNK_OBJECT = "chat.completion.chunk"
ASSISTANT = "assistant"
STOP = "stop"


@dataclass(frozen=True)
class Streamed:
    """What a streaming inference produces: the result items, in order, and the failure
    that ends the stream after them, if any."""

    items: list[dict[str, Any]]
    failure: EsError | None = None


def event(event_type: str, data: bytes) -> bytes:
    return BOM + b"event: " + event_type.encode() + b"\ndata: " + data + b"\n\n"


def error_data(error: EsError, trace: bool) -> bytes:
    """``errorChunk``: an XContentFormattedException in its own format, any other failure
    as the REST error body with its status."""
    if isinstance(error, UnifiedChatCompletionError):
        return dump_json(error.formatted())
    return dump_json(error.body(trace=trace))


def streamed_answer(streamed: Streamed, trace: bool) -> StreamedResponse:
    """A 200 whose events are written one by one, as the publisher hands out the items."""

    def events() -> Iterator[bytes]:
        for item in streamed.items:
            yield event("message", dump_json(item))
        if streamed.failure is None:
            yield event("message", DONE)
        else:
            yield event("error", error_data(streamed.failure, trace))

    return StreamedResponse(200, MIME_TYPE, events())


def single_answer(result: dict[str, Any]) -> StreamedResponse:
    """``SingleServerSentEventBodyPart``: a provider that cannot stream answers in one event."""
    return StreamedResponse(
        200, MIME_TYPE, iter([event("message", dump_json(result)), event("message", DONE)])
    )


def failed_answer(error: EsError, trace: bool) -> StreamedResponse:
    """``onFailure``: one error event, with the failure's status."""
    return StreamedResponse(
        error.status, MIME_TYPE, iter([event("error", error_data(error, trace))])
    )


def deltas(text: str) -> list[str]:
    """A text as a provider streams it: word by word, each with the blanks before it."""
    return re.findall(r"\s*\S+|\s+$", text)


def completion_items(texts: list[str]) -> list[dict[str, Any]]:
    """StreamingChatCompletionResults: ``{"completion": [{"delta": ...}]}`` per piece."""
    return [{"completion": [{"delta": piece}]} for text in texts for piece in deltas(text)]


def chat_items(key: str, model: str | None, text: str, prompt_tokens: int) -> list[dict[str, Any]]:
    """StreamingUnifiedChatCompletionResults chunks as an OpenAI-style stream gives them: the
    role, the content piece by piece, the finish reason, then the usage (no choices).
    Fields without a value are left out, as the chunk's toXContent does."""
    chunk_id = "chatcmpl-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:29]
    pieces = deltas(text)

    def chunk(choices: list[dict[str, Any]], usage: dict[str, int] | None = None) -> dict[str, Any]:
        item: dict[str, Any] = {"id": chunk_id, "choices": choices}
        if model is not None:
            item["model"] = model
        item["object"] = CHUNK_OBJECT
        if usage is not None:
            item["usage"] = usage
        return item

    usage = {
        "completion_tokens": len(pieces),
        "prompt_tokens": prompt_tokens,
        "total_tokens": len(pieces) + prompt_tokens,
    }
    return [
        chunk([{"delta": {"role": ASSISTANT}, "index": 0}]),
        *(chunk([{"delta": {"content": piece}, "index": 0}]) for piece in pieces),
        chunk([{"delta": {}, "finish_reason": STOP, "index": 0}]),
        chunk([], usage),
    ]
