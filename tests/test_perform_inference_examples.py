"""The specification's perform-inference examples hold against the fake.

Each request example (elasticsearch-specification, ``specification/inference/<api>/examples``)
is sent to the path its ``method_request`` names, on an endpoint of a service that takes the
task type; the answer must have the response example's keys, nesting and number of results
(the numbers themselves differ). The examples are copied here as they read on the 9.5 branch.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from support import FakeClient
from werkzeug.test import TestResponse

OPENAI_CHAT = {"service": "openai", "service_settings": {"api_key": "sk-x", "model_id": "gpt-4o"}}
OPENAI_EMBED = {
    "service": "openai",
    "service_settings": {"api_key": "sk-x", "model_id": "text-embedding-3-small"},
}
JINA_MULTIMODAL = {
    "service": "jinaai",
    "service_settings": {"api_key": "jina-x", "model_id": "jina-embeddings-v4"},
}
COHERE_EMBED = {
    "service": "cohere",
    "service_settings": {"api_key": "co-x", "model_id": "embed-english-v3.0"},
}
COHERE_RERANK = {
    "service": "cohere",
    "service_settings": {"api_key": "co-x", "model_id": "rerank-english-v3.0"},
}
HUGGING_FACE_RERANK = {
    "service": "hugging_face",
    "service_settings": {"api_key": "hf-x", "url": "https://hf.example/rerank"},
}
ELSER = {
    "service": "elasticsearch",
    "service_settings": {"model_id": ".elser_model_2", "num_allocations": 1, "num_threads": 1},
}
STAR_WARS = ["luke", "like", "leia", "chewy", "r2d2", "star", "wars"]
QUERY = "star wars main character"


def shape(value: Any) -> Any:
    """Keys and nesting, list lengths with their first element's shape, scalar type names."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [len(value), shape(value[0])] if value else [0]
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def post(es: FakeClient, path: str, body: Any) -> TestResponse:
    return es.request(
        "POST", path, data=json.dumps(body), headers={"Content-Type": "application/json"}
    )


def created(release: str, path: str, endpoint: dict[str, Any]) -> FakeClient:
    es = FakeClient(release)
    response = es.put(path, endpoint)
    assert response.status_code == 200, response.get_data(as_text=True)
    return es


def events(response: TestResponse) -> list[str]:
    """The ``data:`` lines of a server-sent event stream, in order."""
    text = response.get_data(as_text=True)
    return [line[len("data: ") :] for line in text.splitlines() if line.startswith("data: ")]


# (id, releases, endpoint path, endpoint, request path, request body, response example)
CASES = [
    (
        # completion/examples/request/CompletionRequestExample1.yaml
        # completion/examples/response/CompletionResponseExample1.yaml
        "CompletionRequestExample1",
        ("8.19", "9.0", "9.5"),
        "/_inference/completion/openai_completions",
        OPENAI_CHAT,
        "/_inference/completion/openai_completions",
        {"input": "What is Elastic?"},
        {"completion": [{"result": "Elastic is a company that provides ..."}]},
    ),
    (
        # sparse_embedding/examples/request/SparseEmbeddingRequestExample1.yaml
        # sparse_embedding/examples/response/SparseEmbeddingResponseExample1.yaml (abbreviated
        # here: the shape of a map is its keys, and the tokens are the model's own). Before
        # 9.1 the example showed the tokens without `is_truncated`/`embedding`, which
        # SparseEmbeddingResults.Embedding.toXContent never wrote; 9.1+ reads as here.
        "SparseEmbeddingRequestExample1",
        ("8.19", "9.0", "9.5"),
        "/_inference/sparse_embedding/my-elser-model",
        ELSER,
        "/_inference/sparse_embedding/my-elser-model",
        {"input": "The sky above the port was the color of television tuned to a dead channel."},
        {"sparse_embedding": [{"is_truncated": False, "embedding": {}}]},
    ),
    (
        # text_embedding/examples/request/TextEmbeddingRequestExample1.yaml
        # text_embedding/examples/response/TextEmbeddingResponseExample1.yaml (abbreviated: the
        # vector's length is the model's, 1024 for embed-english-v3.0, not the example's 14).
        # Top-level `input_type` is 8.19/9.1+ (9.0's example put it in task_settings).
        "TextEmbeddingRequestExample1",
        ("8.19", "9.5"),
        "/_inference/text_embedding/my-cohere-endpoint",
        COHERE_EMBED,
        "/_inference/text_embedding/my-cohere-endpoint",
        {
            "input": "The sky above the port was the color of television tuned to a dead channel.",
            "input_type": "ingest",
        },
        {"text_embedding": [{"embedding": [0.018569946] * 1024}]},
    ),
    (
        # rerank/examples/request/RerankRequestExample1.yaml
        # rerank/examples/response/RerankResponseExample1.yaml: the example quotes the numbers
        # ("index": "2", "relevance_score": "0.011597361"); RankedDocsResults.RankedDoc writes
        # `index` as an int and `relevance_score` as a float, so they are numbers here.
        "RerankRequestExample1",
        ("8.19", "9.0", "9.5"),
        "/_inference/rerank/cohere_rerank",
        COHERE_RERANK,
        "/_inference/rerank/cohere_rerank",
        {"input": STAR_WARS, "query": QUERY},
        {"rerank": [{"index": 2, "relevance_score": 0.011597361, "text": "leia"}] * 7},
    ),
    (
        # rerank/examples/request/RerankRequestExample2.yaml
        # rerank/examples/response/RerankResponseExample2.yaml (top_n 2, no documents)
        "RerankRequestExample2",  # hugging_face rerank: 8.19 and 9.1+, as the example
        ("8.19", "9.5"),
        "/_inference/rerank/bge-reranker-base-mkn",
        HUGGING_FACE_RERANK,
        "/_inference/rerank/bge-reranker-base-mkn",
        {"input": STAR_WARS, "query": QUERY, "return_documents": False, "top_n": 2},
        {
            "rerank": [
                {"index": 6, "relevance_score": 0.50955844},
                {"index": 5, "relevance_score": 0.084341794},
            ]
        },
    ),
    (
        # rerank/examples/request/RerankRequestExample3.yaml
        # rerank/examples/response/RerankResponseExample3.yaml (top_n 3, with documents)
        "RerankRequestExample3",  # hugging_face rerank: 8.19 and 9.1+, as the example
        ("8.19", "9.5"),
        "/_inference/rerank/bge-reranker-base-mkn",
        HUGGING_FACE_RERANK,
        "/_inference/rerank/bge-reranker-base-mkn",
        {"input": STAR_WARS, "query": QUERY, "return_documents": True, "top_n": 3},
        {
            "rerank": [
                {"index": 6, "relevance_score": 0.50955844, "text": "wars"},
                {"index": 5, "relevance_score": 0.084341794, "text": "star"},
                {"index": 3, "relevance_score": 0.004520818, "text": "chewy"},
            ]
        },
    ),
    (
        # embedding/examples/request/EmbeddingRequestExample2.yaml
        # embedding/examples/response/EmbeddingResponseExample2.yaml (abbreviated: 1536 is
        # text-embedding-3-small's size, the example shows 10 numbers of each vector).
        "EmbeddingRequestExample2",
        ("9.4", "9.5"),
        "/_inference/embedding/my-text-only-endpoint",
        OPENAI_EMBED,
        "/_inference/embedding/my-text-only-endpoint",
        {"input": ["The first text", "The second text"]},
        {"embeddings": [{"embedding": [0.00854492] * 1536}] * 2},
    ),
]

# The multimodal examples: `input` as objects with a `content` (9.4) or a list of contents
# (9.5), one embedding per input item.
MULTIMODAL_CASES = [
    pytest.param(
        # embedding/examples/request/EmbeddingRequestExample1.yaml
        # embedding/examples/response/EmbeddingResponseExample1.yaml (2 inputs, 2 embeddings)
        release,
        {
            "input": [
                {
                    "content": {
                        "type": "image",
                        "format": "base64",
                        "value": "data:image/jpeg;base64,...",
                    }
                },
                {"content": {"type": "text", "value": "Some text to create an embedding"}},
            ]
        },
        2,
        id=f"EmbeddingRequestExample1-{release}",
    )
    for release in ("9.4", "9.5")
] + [
    pytest.param(
        # embedding/examples/request/EmbeddingRequestExample3.yaml: one input of two contents
        # makes one embedding (no response example of its own; EmbeddingResponseExample1's
        # element shape with a count of 1).
        "9.5",
        {
            "input": [
                {
                    "content": [
                        {
                            "type": "image",
                            "format": "base64",
                            "value": "data:image/jpeg;base64,...",
                        },
                        {"type": "text", "value": "Some text to create an embedding"},
                    ]
                }
            ]
        },
        1,
        id="EmbeddingRequestExample3-9.5",
    )
]


@pytest.mark.parametrize(
    ("release", "endpoint_path", "endpoint", "path", "body", "example"),
    [
        pytest.param(release, *rest, id=f"{name}-{release}")
        for name, releases, *rest in CASES
        for release in releases
    ],
)
def test_the_answer_has_the_shape_of_the_example(
    release: str,
    endpoint_path: str,
    endpoint: dict[str, Any],
    path: str,
    body: dict[str, Any],
    example: dict[str, Any],
) -> None:
    es = created(release, endpoint_path, endpoint)
    response = post(es, path, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    if "sparse_embedding" in example:
        # A map's keys are the tokens: compare the envelope, then that the tokens are weighed.
        tokens = answer["sparse_embedding"][0]["embedding"]
        assert tokens and all(isinstance(weight, float) for weight in tokens.values())
        answer["sparse_embedding"][0]["embedding"] = {}
    assert shape(answer) == shape(example)


@pytest.mark.parametrize(("release", "body", "count"), MULTIMODAL_CASES)
def test_multimodal_embedding_examples(release: str, body: dict[str, Any], count: int) -> None:
    es = created(release, "/_inference/embedding/my-multimodal-endpoint", JINA_MULTIMODAL)
    response = post(es, "/_inference/embedding/my-multimodal-endpoint", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert shape(response.get_json()) == shape(
        {"embeddings": [{"embedding": [0.1] * 2048}] * count}
    )


@pytest.mark.parametrize("release", ["8.19", "9.0", "9.5"])
def test_stream_inference_example(release: str) -> None:
    # stream_completion/examples/request/StreamInferenceRequestExample1.yaml; there is no
    # response example: each event is StreamingChatCompletionResults' {"completion":[{delta}]}.
    es = created(release, "/_inference/completion/openai-completion", OPENAI_CHAT)
    response = post(
        es, "/_inference/completion/openai-completion/_stream", {"input": "What is Elastic?"}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    *chunks, done = events(response)
    assert done == "[DONE]" and chunks
    for chunk in chunks:
        assert shape(json.loads(chunk)) == {"completion": [1, {"delta": "str"}]}


# chat_completion_unified/examples/response/PostChatCompletionResponseExample1.yaml, the
# payloads that parse (the second one misses a quote: `"content":Elastic"`). The example wraps
# each chunk in {"chat_completion": ...}; StreamingUnifiedChatCompletionResults.ChatCompletionChunk
# writes the OpenAI-style chunk itself, which is what the fake sends, so the inner object is
# the expectation.
CHAT_FIRST = {
    "id": "chatcmpl-Ae0TWsy2VPnSfBbv5UztnSdYUMFP3",
    "choices": [{"delta": {"content": "", "role": "assistant"}, "index": 0}],
    "model": "gpt-4o-2024-08-06",
    "object": "chat.completion.chunk",
}
CHAT_CONTENT = {
    "id": "chatcmpl-Ae0TWsy2VPnSfBbv5UztnSdYUMFP3",
    "choices": [{"delta": {"content": " is"}, "index": 0}],
    "model": "gpt-4o-2024-08-06",
    "object": "chat.completion.chunk",
}
CHAT_REQUESTS = {
    # chat_completion_unified/examples/request/PostChatCompletionRequestExample1.yaml
    "PostChatCompletionRequestExample1": {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "What is Elastic?"}],
    },
    # chat_completion_unified/examples/request/PostChatCompletionRequestExample2.yaml
    "PostChatCompletionRequestExample2": {
        "messages": [
            {
                "role": "assistant",
                "content": "Let's find out what the weather is",
                "tool_calls": [
                    {
                        "id": "call_KcAjWtAww20AihPHphUh46Gd",
                        "type": "function",
                        "function": {
                            "name": "get_current_weather",
                            "arguments": '{"location":"Boston, MA"}',
                        },
                    }
                ],
            },
            {
                "role": "tool",
                "content": "The weather is cold",
                "tool_call_id": "call_KcAjWtAww20AihPHphUh46Gd",
            },
        ]
    },
    # chat_completion_unified/examples/request/PostChatCompletionRequestExample3.yaml
    "PostChatCompletionRequestExample3": {
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "What's the price of a scarf?"}]}
        ],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "get_current_price",
                    "description": "Get the current price of a item",
                    "parameters": {
                        "type": "object",
                        "properties": {"item": {"id": "123"}},
                    },
                },
            }
        ],
        "tool_choice": {"type": "function", "function": {"name": "get_current_price"}},
    },
}


@pytest.mark.parametrize(
    ("release", "body"),
    [
        pytest.param(release, body, id=f"{name}-{release}")
        for name, body in CHAT_REQUESTS.items()
        for release in ("8.19", "9.0", "9.5")
    ],
)
def test_chat_completion_examples(release: str, body: dict[str, Any]) -> None:
    es = created(release, "/_inference/chat_completion/openai-completion", OPENAI_CHAT)
    response = post(es, "/_inference/chat_completion/openai-completion/_stream", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/event-stream"
    first, *rest, done = events(response)
    assert done == "[DONE]" and rest
    # The first chunk carries the role; OpenAI's also has an empty content, the fake's none.
    first_delta = json.loads(first)["choices"][0]["delta"]
    assert first_delta["role"] == "assistant" and set(first_delta) <= {"content", "role"}
    assert shape(json.loads(first))["choices"][1].keys() == shape(CHAT_FIRST)["choices"][1].keys()
    parsed = [json.loads(chunk) for chunk in rest]
    content = [chunk for chunk in parsed if chunk["choices"] and chunk["choices"][0]["delta"]]
    assert content
    for chunk in content:
        assert shape(chunk) == shape(CHAT_CONTENT)
    # The closing chunks are OpenAI's own (not in the example): an empty delta with its
    # finish_reason, or the usage.
    for chunk in parsed[len(content) :]:
        assert chunk["choices"] == [] or chunk["choices"][0]["finish_reason"]
