"""Reasoning in chat completion requests (9.5): the top-level `reasoning` object and the
assistant message's `reasoning` and `reasoning_details`, read by UnifiedCompletionRequest.PARSER
from 9.5 (the specification's chat_completion_unified examples 4 and 5) and refused before."""

from __future__ import annotations

from typing import Any

import pytest
from support import FakeClient
from test_streaming import (
    chat_events,
    check_stream,
    error_event,
    first_id,
    openai_endpoint,
    openai_error,
    post,
)

PATH = "/_inference/chat_completion/reasoning-chat-completion/_stream"
REASONING_TEXT = "If the barber shaves himself, he should not; if he does not, he should."


def example(reasoning: dict[str, Any]) -> dict[str, Any]:
    """PostChatCompletionRequestExample4 (`effort`) and Example5 (`enabled`)."""
    return {
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "text",
                        "text": "Barber shaves all those, who do not shave themselves. "
                        "Who shaves the barber?",
                    }
                ],
            },
            {
                "role": "assistant",
                "content": [
                    {
                        "type": "text",
                        "text": "This is the barber paradox. Such a barber cannot logically exist.",
                    }
                ],
                "reasoning": REASONING_TEXT,
                "reasoning_details": [
                    {"type": "reasoning.encrypted", "data": "[REDACTED]"},
                    {
                        "type": "reasoning.summary",
                        "summary": "Barber shaving himself creates contradiction",
                    },
                    {"type": "reasoning.text", "text": REASONING_TEXT, "signature": "sig_123"},
                ],
            },
            {"role": "user", "content": [{"type": "text", "text": "What if there are 2 barbers?"}]},
        ],
        "reasoning": reasoning,
    }


EXAMPLE_4 = example({"effort": "high", "summary": "detailed", "exclude": False})
EXAMPLE_5 = example({"enabled": True, "summary": "detailed", "exclude": False})


def chat_endpoint(version: str) -> FakeClient:
    es = FakeClient(version)
    openai_endpoint(es, "chat_completion", "reasoning-chat-completion")
    return es


@pytest.mark.parametrize("body", [EXAMPLE_4, EXAMPLE_5], ids=["effort", "enabled"])
def test_the_reasoning_examples_stream_an_answer_in_9_5(body: dict[str, Any]) -> None:
    es = chat_endpoint("9.5")
    response = post(es, PATH, body)
    check_stream(
        response,
        200,
        chat_events("gpt-4o", ["Hello", " there,", " friend."], 30, first_id(response)),
    )


@pytest.mark.parametrize("body", [EXAMPLE_4, EXAMPLE_5], ids=["effort", "enabled"])
def test_the_reasoning_examples_are_refused_in_9_4(body: dict[str, Any]) -> None:
    # The assistant message's `reasoning` is the first field Message's 9.4 parser does not know.
    es = chat_endpoint("9.4")
    check_stream(
        post(es, PATH, body),
        400,
        error_event(
            openai_error(
                "bad_request",
                "[1:282] [UnifiedCompletionRequest] failed to parse field [messages]",
                "x_content_parse_exception",
            )
        ),
    )


def test_a_top_level_reasoning_object_is_an_unknown_field_in_9_4() -> None:
    es = chat_endpoint("9.4")
    body = {"messages": [{"role": "user", "content": "x"}], "reasoning": {"enabled": True}}
    check_stream(
        post(es, PATH, body),
        400,
        error_event(
            openai_error(
                "bad_request",
                "[1:50] [UnifiedCompletionRequest] unknown field [reasoning]",
                "x_content_parse_exception",
            )
        ),
    )


def test_the_reasoning_object_still_refuses_unknown_fields_in_9_5() -> None:
    es = chat_endpoint("9.5")
    body = {"messages": [{"role": "user", "content": "x"}], "reasoning": {"level": "high"}}
    check_stream(
        post(es, PATH, body),
        400,
        error_event(
            openai_error(
                "bad_request",
                "[1:64] [UnifiedCompletionRequest] failed to parse field [reasoning]",
                "x_content_parse_exception",
            )
        ),
    )
