"""Streaming inference (8.16+): ``POST …/_stream`` and chat completion, byte for byte.

Each event is the UTF-8 BOM, ``event: <type>\\n``, ``data: <json>\\n\\n``
(ServerSentEventsRestActionListener); completions stream ``{"completion":[{"delta":…}]}``
(StreamingChatCompletionResults), chat completions OpenAI-style chunks
(StreamingUnifiedChatCompletionResults) and OpenAI-style errors (UnifiedChatCompletionException).
"""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from typing import Any

import pytest
from support import FakeClient
from werkzeug.test import Client, TestResponse

from fake_es import FakeState, create_app
from fake_es.inference.services import all_services
from fake_es.providers.plan import ProviderFailure
from fake_es.server import FakeServer
from fake_es.versions import get_profile
from fake_es.versions.releases import RELEASES

BOM = b"\xef\xbb\xbf"
DONE = BOM + b"event: message\ndata: [DONE]\n\n"
STREAM_RELEASES = ("8.16", "8.17", "8.19", "9.0", "9.5")
CHAT_RELEASES = ("8.18", "8.19", "9.0", "9.5")
OPENAI = {"service": "openai", "service_settings": {"api_key": "sk-stream", "model_id": "gpt-4o"}}
TEXT = "Hello there, friend."


def message(data: Any) -> bytes:
    payload = data if isinstance(data, bytes) else json.dumps(data, separators=(",", ":")).encode()
    return BOM + b"event: message\ndata: " + payload + b"\n\n"


def error_event(data: dict[str, Any]) -> bytes:
    return (
        BOM + b"event: error\ndata: " + json.dumps(data, separators=(",", ":")).encode() + b"\n\n"
    )


def es_error(status: int, error_type: str, reason: str) -> dict[str, Any]:
    inner = {"type": error_type, "reason": reason}
    return {"error": {"root_cause": [inner], **inner}, "status": status}


def openai_error(code: str, message_text: str, error_type: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message_text, "type": error_type}}


COMPLETION_EVENTS = (
    message({"completion": [{"delta": "Hello"}]})
    + message({"completion": [{"delta": " there,"}]})
    + message({"completion": [{"delta": " friend."}]})
    + DONE
)


def post(es: FakeClient, path: str, body: Any, **kwargs: Any) -> TestResponse:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
    return es.request("POST", path, data=data, headers=headers, **kwargs)


def openai_endpoint(es: FakeClient, task_type: str, inference_id: str) -> None:
    created = es.put(f"/_inference/{task_type}/{inference_id}", OPENAI)
    assert created.status_code == 200, created.data
    es.state.providers.answer(inference_id, TEXT)


def check_stream(response: TestResponse, status: int, body: bytes) -> None:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/event-stream"
    # RestResponse.filterHeaders: no product header on 401 and 403.
    assert response.headers.get("X-elastic-product") == (None if status == 401 else "Elasticsearch")
    assert "Content-Length" not in response.headers
    assert response.data == body


def check_json_error(response: TestResponse, status: int, error_type: str, reason: str) -> None:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert response.get_json() == es_error(status, error_type, reason)


# --- POST …/_stream (completion) ---


@pytest.mark.parametrize("version", STREAM_RELEASES)
def test_a_completion_streams_its_text_in_deltas_then_done(version: str) -> None:
    es = FakeClient(version)
    openai_endpoint(es, "completion", "chat-1")
    for path in ("/_inference/completion/chat-1/_stream", "/_inference/chat-1/_stream"):
        check_stream(post(es, path, {"input": "Say hello"}), 200, COMPLETION_EVENTS)


def test_the_default_answer_streams_too() -> None:
    es = FakeClient("8.19")
    es.put("/_inference/completion/c", OPENAI)
    response = post(es, "/_inference/c/_stream", {"input": "Say hello"})
    deltas = ["[openai/gpt-4o]", " A", " simulated", " answer", " to:", " Say", " hello"]
    expected = b"".join(message({"completion": [{"delta": d}]}) for d in deltas) + DONE
    check_stream(response, 200, expected)


@pytest.mark.parametrize("version", ["8.11", "8.15"])
def test_there_is_no_stream_route_before_8_16(version: str) -> None:
    es = FakeClient(version)
    response = post(es, "/_inference/completion/c/_stream", {"input": "x"})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert response.get_json() == {
        "error": "no handler found for uri [/_inference/completion/c/_stream] and method [POST]"
    }


@pytest.mark.parametrize("version", STREAM_RELEASES)
def test_transport_failures_are_one_error_event_with_their_status(version: str) -> None:
    es = FakeClient(version)
    openai_endpoint(es, "completion", "c")
    check_stream(
        post(es, "/_inference/missing/_stream", {"input": "x"}),
        404,
        error_event(
            es_error(404, "resource_not_found_exception", "Inference endpoint not found [missing]")
        ),
    )
    check_stream(
        post(es, "/_inference/rerank/c/_stream", {"input": "x", "query": "q"}),
        400,
        error_event(
            es_error(
                400,
                "status_exception",
                "Incompatible task_type, the requested type [rerank] does not match the model "
                "type [completion]",
            )
        ),
    )
    invalid = "missing input" if version in ("8.16", "8.17") else "Field [input] cannot be null"
    check_stream(
        post(es, "/_inference/c/_stream", {}),
        400,
        error_event(
            es_error(
                400, "action_request_validation_exception", f"Validation Failed: 1: {invalid};"
            )
        ),
    )


@pytest.mark.parametrize(
    ("version", "supported"),
    [("8.16", "completion"), ("8.17", "completion"), ("8.19", "completion,chat_completion")],
)
def test_streaming_is_not_allowed_for_other_task_types(version: str, supported: str) -> None:
    es = FakeClient(version)
    assert es.put("/_inference/text_embedding/te", OPENAI).status_code == 200
    for path, task_type in (
        ("/_inference/te/_stream", "any"),
        ("/_inference/text_embedding/te/_stream", "text_embedding"),
    ):
        reason = (
            f"Streaming is not allowed for service [openai] and task [{task_type}]. "
            f"Supported tasks: [{supported}]"
        )
        check_stream(
            post(es, path, {"input": "x"}),
            405,
            error_event(es_error(405, "status_exception", reason)),
        )


def test_streaming_is_not_allowed_for_a_service_that_never_streams() -> None:
    es = FakeClient("8.19")
    created = es.put(
        "/_inference/sparse_embedding/sparse",
        {"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1}},
    )
    assert created.status_code == 200
    stored = created.get_json()["service"]
    check_stream(
        post(es, "/_inference/sparse/_stream", {"input": "x"}),
        405,
        error_event(
            es_error(405, "status_exception", f"Streaming is not allowed for service [{stored}].")
        ),
    )


@pytest.mark.parametrize("version", STREAM_RELEASES)
def test_rest_layer_failures_are_plain_json(version: str) -> None:
    es = FakeClient(version)
    openai_endpoint(es, "completion", "c")
    check_json_error(
        post(es, "/_inference/nonsense/c/_stream", {"input": "x"}),
        400,
        "status_exception",
        "Unknown task_type [nonsense]",
    )
    check_json_error(
        es.request("POST", "/_inference/c/_stream"),
        400,
        "parse_exception",
        "request body is required",
    )


@pytest.mark.parametrize(
    ("version", "parser"),
    [("8.16", "cluster:monitor/xpack/inference"), ("8.17", "cluster:monitor/xpack/inference")],
)
def test_before_the_proxy_action_the_body_is_read_by_the_rest_layer(
    version: str, parser: str
) -> None:
    es = FakeClient(version)
    check_json_error(
        post(es, "/_inference/c/_stream", {"inputs": "x"}),
        400,
        "x_content_parse_exception",
        f"[1:2] [{parser}] unknown field [inputs] did you mean [input]?",
    )


@pytest.mark.parametrize("version", ["8.18", "8.19", "9.5"])
def test_from_the_proxy_action_the_body_is_read_by_the_transport_action(version: str) -> None:
    es = FakeClient(version)
    openai_endpoint(es, "completion", "c")
    reason = "[1:2] [cluster:internal/xpack/inference] unknown field [inputs] did you mean [input]?"
    body = {
        "error": {
            "root_cause": [{"type": "x_content_parse_exception", "reason": reason}],
            "type": "x_content_parse_exception",
            "reason": reason,
        },
        "status": 400,
    }
    check_stream(post(es, "/_inference/c/_stream", {"inputs": "x"}), 400, error_event(body))


@pytest.mark.parametrize("version", ["8.16", "9.5"])
def test_a_provider_failure_before_the_stream_is_an_error_event(version: str) -> None:
    es = FakeClient(version)
    openai_endpoint(es, "completion", "c")
    es.state.providers.fail("c", ProviderFailure(status=401, message="Incorrect API key provided"))
    reason = (
        "Received an authentication error status code for request from inference entity id [c] "
        "status [401]. Error message: [Incorrect API key provided]"
    )
    check_stream(
        post(es, "/_inference/c/_stream", {"input": "x"}),
        401,
        error_event(es_error(401, "status_exception", reason)),
    )


@pytest.mark.parametrize("version", ["8.16", "9.5"])
def test_a_provider_failure_mid_stream_ends_it_with_an_error_event_and_no_done(
    version: str,
) -> None:
    es = FakeClient(version)
    openai_endpoint(es, "completion", "c")
    es.state.providers.fail("c", ProviderFailure(status=500, message="overloaded", mid_stream=True))
    error = {
        "error": {
            "root_cause": [
                {
                    "type": "i_o_exception",
                    "reason": "Failed to parse event from inference provider.",
                }
            ],
            "type": "i_o_exception",
            "reason": "Failed to parse event from inference provider.",
            "caused_by": {
                "type": "illegal_state_exception",
                "reason": "Failed to find required field [choices] in OpenAI chat completions "
                "response",
            },
        },
        "status": 500,
    }
    expected = message({"completion": [{"delta": "Hello"}]}) + error_event(error)
    check_stream(post(es, "/_inference/c/_stream", {"input": "x"}), 200, expected)
    # Non-streaming calls do not meet a mid-stream failure.
    assert post(es, "/_inference/c", {"input": "x"}).get_json() == {
        "completion": [{"result": TEXT}]
    }


def test_a_provider_that_cannot_stream_answers_in_one_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(all_services(), "openai", replace(all_services()["openai"], stream=None))
    es = FakeClient("8.19")
    openai_endpoint(es, "completion", "c")
    expected = message({"completion": [{"result": TEXT}]}) + DONE
    check_stream(post(es, "/_inference/c/_stream", {"input": "x"}), 200, expected)


def test_the_journal_records_the_streamed_body() -> None:
    es = FakeClient("9.5")
    openai_endpoint(es, "completion", "c")
    assert post(es, "/_inference/c/_stream", {"input": "x"}).data == COMPLETION_EVENTS
    entry = es.state.journal.entries()[-1]
    assert (entry.path, entry.status, entry.response_body) == (
        "/_inference/c/_stream",
        200,
        COMPLETION_EVENTS,
    )


# --- chat completion (8.18/9.0+) ---


def chat_events(model: str, pieces: list[str], prompt_tokens: int, chunk_id: str) -> bytes:
    def chunk(choices: list[dict[str, Any]], **extra: Any) -> bytes:
        return message(
            {
                "id": chunk_id,
                "choices": choices,
                "model": model,
                "object": "chat.completion.chunk",
                **extra,
            }
        )

    usage = {
        "completion_tokens": len(pieces),
        "prompt_tokens": prompt_tokens,
        "total_tokens": len(pieces) + prompt_tokens,
    }
    return (
        chunk([{"delta": {"role": "assistant"}, "index": 0}])
        + b"".join(chunk([{"delta": {"content": piece}, "index": 0}]) for piece in pieces)
        + chunk([{"delta": {}, "finish_reason": "stop", "index": 0}])
        + chunk([], usage=usage)
        + DONE
    )


def first_id(response: TestResponse) -> str:
    first = response.data.split(b"\n\n")[0]
    chunk_id: str = json.loads(first.split(b"data: ", 1)[1])["id"]
    return chunk_id


CHAT_BODY = {"messages": [{"role": "user", "content": "Say hello"}]}


@pytest.mark.parametrize("version", CHAT_RELEASES)
def test_a_chat_completion_streams_openai_chunks_usage_then_done(version: str) -> None:
    es = FakeClient(version)
    openai_endpoint(es, "chat_completion", "chat")
    for path in ("/_inference/chat_completion/chat/_stream", "/_inference/chat/_stream"):
        response = post(es, path, CHAT_BODY)
        chunk_id = first_id(response)
        assert chunk_id.startswith("chatcmpl-") and len(chunk_id) == 38
        check_stream(
            response, 200, chat_events("gpt-4o", ["Hello", " there,", " friend."], 2, chunk_id)
        )


def test_a_chat_request_with_every_field() -> None:
    es = FakeClient("9.5")
    openai_endpoint(es, "chat_completion", "chat")
    body = {
        "messages": [
            {"role": "system", "content": [{"type": "text", "text": "Be brief"}]},
            {
                "role": "assistant",
                "content": "ok",
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                    }
                ],
            },
            {"role": "tool", "content": "42", "tool_call_id": "call_1"},
            {"role": "user", "content": "Say hello"},
        ],
        "model": "gpt-4o-mini",
        "max_completion_tokens": 100,
        "stop": ["\n"],
        "temperature": 0.2,
        "tool_choice": {"type": "function", "function": {"name": "f"}},
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "f",
                    "description": "d",
                    "parameters": {"type": "object"},
                    "strict": True,
                },
            }
        ],
        "top_p": 0.9,
    }
    response = post(es, "/_inference/chat_completion/chat/_stream", body)
    check_stream(
        response,
        200,
        chat_events("gpt-4o-mini", ["Hello", " there,", " friend."], 6, first_id(response)),
    )


@pytest.mark.parametrize(
    ("body", "status", "code", "text", "error_type"),
    [
        (
            {"messages": []},
            400,
            "bad_request",
            "Validation Failed: 1: Field [messages] cannot be an empty array;",
            "action_request_validation_exception",
        ),
        ({}, 400, "bad_request", "Required [messages]", "illegal_argument_exception"),
        (
            {"messages": [], "stream": True},
            400,
            "bad_request",
            "[1:18] [UnifiedCompletionRequest] unknown field [stream]",
            "x_content_parse_exception",
        ),
        (
            {"messages": [{"content": "x"}]},
            400,
            "bad_request",
            "[1:30] [UnifiedCompletionRequest] failed to parse field [messages]",
            "x_content_parse_exception",
        ),
        (
            {"messages": [{"role": "user", "content": 5}]},
            400,
            "bad_request",
            "[1:43] [UnifiedCompletionRequest] failed to parse field [messages]",
            "x_content_parse_exception",
        ),
        (
            {"messages": [{"role": "user", "content": "x"}], "temperature": "hot"},
            400,
            "bad_request",
            "[1:65] [UnifiedCompletionRequest] failed to parse field [temperature]",
            "x_content_parse_exception",
        ),
        (
            {"messages": [{"role": "user", "content": "x"}], "model": 4},
            400,
            "bad_request",
            "[1:59] [UnifiedCompletionRequest] model doesn't support values of type: VALUE_NUMBER",
            "x_content_parse_exception",
        ),
        (
            {"input": "x"},
            400,
            "bad_request",
            "[1:2] [UnifiedCompletionRequest] unknown field [input]",
            "x_content_parse_exception",
        ),
    ],
)
def test_chat_request_errors_are_openai_shaped(
    body: dict[str, Any], status: int, code: str, text: str, error_type: str
) -> None:
    es = FakeClient("8.19")
    openai_endpoint(es, "chat_completion", "chat")
    check_stream(
        post(es, "/_inference/chat_completion/chat/_stream", body),
        status,
        error_event(openai_error(code, text, error_type)),
    )


def test_chat_transport_errors_are_openai_shaped() -> None:
    es = FakeClient("9.0")
    openai_endpoint(es, "completion", "comp")
    check_stream(
        post(es, "/_inference/chat_completion/missing/_stream", CHAT_BODY),
        404,
        error_event(
            openai_error(
                "not_found",
                "Inference endpoint not found [missing]",
                "resource_not_found_exception",
            )
        ),
    )
    check_stream(
        post(es, "/_inference/chat_completion/comp/_stream", CHAT_BODY),
        400,
        error_event(
            openai_error(
                "bad_request",
                "Incompatible task_type, the requested type [chat_completion] does not match the "
                "model type [completion]",
                "status_exception",
            )
        ),
    )


def test_chat_provider_failures() -> None:
    es = FakeClient("9.5")
    openai_endpoint(es, "chat_completion", "chat")
    es.state.providers.fail(
        "chat", ProviderFailure(status=401, message="Incorrect API key provided", times=1)
    )
    check_stream(
        post(es, "/_inference/chat/_stream", CHAT_BODY),
        401,
        error_event(
            {
                "error": {
                    "message": "Received an authentication error status code for request from "
                    "inference entity id [chat] status [401]. Error message: [Incorrect API "
                    "key provided]",
                    "type": "invalid_request_error",
                }
            }
        ),
    )
    es.state.providers.fail(
        "chat", ProviderFailure(status=500, message="overloaded", mid_stream=True)
    )
    response = post(es, "/_inference/chat/_stream", CHAT_BODY)
    first = message(
        {
            "id": first_id(response),
            "choices": [{"delta": {"role": "assistant"}, "index": 0}],
            "model": "gpt-4o",
            "object": "chat.completion.chunk",
        }
    )
    mid = error_event(
        {
            "error": {
                "message": "Received an error response for request from inference entity id "
                "[chat]. Error message: [overloaded]",
                "type": "server_error",
            }
        }
    )
    check_stream(response, 200, first + mid)


@pytest.mark.parametrize("version", CHAT_RELEASES)
def test_a_chat_endpoint_only_streams(version: str) -> None:
    es = FakeClient(version)
    openai_endpoint(es, "chat_completion", "chat")
    reason = (
        "The [chat_completion] task type only supports streaming, please try again with the "
        "_stream API"
    )
    for path in ("/_inference/chat_completion/chat", "/_inference/chat"):
        response = post(es, path, CHAT_BODY)
        assert response.status_code == 400
        assert response.headers["Content-Type"] == "application/json"
        assert response.get_json() == {
            "error": {
                "root_cause": [{"type": "status_exception", "reason": reason}],
                "type": "unified_chat_completion_exception",
                "reason": reason,
                "caused_by": {"type": "status_exception", "reason": reason},
            },
            "status": 400,
        }


# --- over HTTP ---


def _raw_exchange(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def _chunked(*parts: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


def test_over_http_each_event_is_one_chunk_of_a_chunked_answer() -> None:
    app = create_app(FakeState(), version="9.5")
    with FakeServer(app) as server:
        app.state.providers.answer("*", TEXT)
        created = Client(app).put("/_inference/completion/c", json=OPENAI)
        assert created.status_code == 200
        body = b'{"input":"hi"}'
        raw = _raw_exchange(
            server.url,
            b"POST /_inference/c/_stream HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body),
        )
        events = [
            message({"completion": [{"delta": "Hello"}]}),
            message({"completion": [{"delta": " there,"}]}),
            message({"completion": [{"delta": " friend."}]}),
            DONE,
        ]
        assert raw == (
            b"HTTP/1.1 200 OK\r\nX-elastic-product: Elasticsearch\r\n"
            b"Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + _chunked(*events)
        )
        assert app.state.journal.entries()[-1].response_body == b"".join(events)
        # Every other answer keeps its length.
        raw = _raw_exchange(
            server.url, b"GET /_inference/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        assert b"\r\nContent-Length: " in raw and b"Transfer-Encoding" not in raw


@pytest.mark.parametrize("version", [release.number for release in RELEASES])
def test_every_chat_completion_service_streams_it(version: str) -> None:
    # chat_completion is only served through _stream in 8.18 to 9.5, so every service that
    # supports it lists it in supportedStreamingTasks (COMPLETION_AND_CHAT_COMPLETION).
    profile = get_profile(version)
    for service in all_services().values():
        if "chat_completion" in service.task_types(profile):
            assert "chat_completion" in service.streaming_task_types(profile), service.name


@pytest.mark.parametrize(("version", "status"), [("8.16", 405), ("8.17", 200)])
def test_cohere_streams_completions_from_8_17(version: str, status: int) -> None:
    # PR #114080 reached 8.x (8.17) as backport #114261 of 2024-10-07, after 8.16 branched.
    es = FakeClient(version)
    es.put(
        "/_inference/completion/c",
        {"service": "cohere", "service_settings": {"api_key": "k", "model_id": "command"}},
    )
    answer = es.request(
        "POST",
        "/_inference/completion/c/_stream",
        data='{"input": "Hi"}',
        headers={"Content-Type": "application/json"},
    )
    assert (answer.status_code, answer.mimetype) == (status, "text/event-stream")
    if status == 405:
        assert b'"reason":"Streaming is not allowed for service [cohere]."' in answer.get_data()
    else:
        assert answer.get_data().endswith(b"data: [DONE]\n\n")
