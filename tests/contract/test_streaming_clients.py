"""Streaming answers read by official clients over real HTTP, byte for byte.

- the Node.js client 8.19 and 9.x (``inference.streamCompletion`` and
  ``inference.chatCompletionUnified`` with ``asStream``), in a subprocess (node/stream.mjs);
- the Python client 8.19 (``elasticsearch8``), which has no streaming method: Python users call
  ``_stream`` through ``perform_request`` and get the events as text.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from typing import Any

import pytest
from contract_support import NODE_DIR
from elasticsearch8 import Elasticsearch, NotFoundError

BOM = b"\xef\xbb\xbf"
DONE = BOM + b"event: message\ndata: [DONE]\n\n"
TEXT = "Hello from the fake."
PIECES = ["Hello", " from", " the", " fake."]


def message(data: dict[str, Any]) -> bytes:
    return (
        BOM + b"event: message\ndata: " + json.dumps(data, separators=(",", ":")).encode() + b"\n\n"
    )


COMPLETION = b"".join(message({"completion": [{"delta": piece}]}) for piece in PIECES) + DONE


def chat_events(chunk_id: str) -> bytes:
    def chunk(choices: list[dict[str, Any]], **usage: Any) -> bytes:
        base = {
            "id": chunk_id,
            "choices": choices,
            "model": "gpt-4o",
            "object": "chat.completion.chunk",
        }
        return message({**base, **usage})

    totals = {"completion_tokens": 4, "prompt_tokens": 2, "total_tokens": 6}
    return (
        chunk([{"delta": {"role": "assistant"}, "index": 0}])
        + b"".join(chunk([{"delta": {"content": piece}, "index": 0}]) for piece in PIECES)
        + chunk([{"delta": {}, "finish_reason": "stop", "index": 0}])
        + chunk([], usage=totals)
        + DONE
    )


@pytest.mark.parametrize(
    ("alias", "version_prefix"),
    [
        pytest.param("es8", "8.19.", marks=pytest.mark.fake_es(version="8.19"), id="node8.19"),
        pytest.param("es9", "9.", marks=pytest.mark.fake_es(version="9.5"), id="node9"),
    ],
)
def test_node_client_reads_the_event_streams(fake_es: Any, alias: str, version_prefix: str) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed for the Node client contract tests"
    fake_es.providers.answer("*", TEXT)
    done = subprocess.run(
        [node, str(NODE_DIR / "stream.mjs"), alias, str(fake_es.url), "completion-1", "chat-1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["version"].startswith(version_prefix)
    steps = result["steps"]
    for step in steps.values():
        assert (step["status"], step["contentType"], step["transferEncoding"]) == (
            200,
            "text/event-stream",
            "chunked",
        )
    assert base64.b64decode(steps["streamCompletion"]["body"]) == COMPLETION
    chat = base64.b64decode(steps["chatCompletionUnified"]["body"])
    chunk_id = json.loads(chat.split(b"\n\n")[0].split(b"data: ", 1)[1])["id"]
    assert chat == chat_events(chunk_id)


@pytest.mark.fake_es(version="8.19")
def test_python_perform_request_reads_the_events_as_text(fake_es: Any) -> None:
    fake_es.providers.answer("*", TEXT)
    client = Elasticsearch(fake_es.url)
    config = {"service": "openai", "service_settings": {"api_key": "sk-py", "model_id": "gpt-4o"}}
    client.inference.put(
        task_type="completion", inference_id="completion-1", inference_config=config
    )
    headers = {"content-type": "application/json", "accept": "application/json"}
    answer = client.perform_request(
        "POST", "/_inference/completion/completion-1/_stream", body={"input": "hi"}, headers=headers
    )
    assert answer.meta.status == 200
    assert answer.meta.headers["Content-Type"] == "text/event-stream"
    assert answer.meta.headers["Transfer-Encoding"] == "chunked"
    assert answer.body == COMPLETION.decode()
    with pytest.raises(NotFoundError) as failure:
        client.perform_request(
            "POST", "/_inference/missing/_stream", body={"input": "hi"}, headers=headers
        )
    reason = "Inference endpoint not found [missing]"
    inner = {"type": "resource_not_found_exception", "reason": reason}
    error = {"error": {"root_cause": [inner], **inner}, "status": 404}
    event = (
        BOM + b"event: error\ndata: " + json.dumps(error, separators=(",", ":")).encode() + b"\n\n"
    )
    assert failure.value.meta.status == 404
    assert failure.value.body == event.decode()
