"""The ``custom`` service (8.19 and 9.1+) and the simulated provider behind it.

Sources: CustomService (parseRequestConfig, validateConfiguration, createParameters),
CustomServiceSettings (reading order, toXContentFragmentOfExposedFields), QueryParameters,
InputTypeTranslator, TextEmbeddingResponseParser / RerankResponseParser (paths and their
scope), CustomTaskSettings, CustomSecretSettings, CustomRequest and ValidatingSubstitutor,
ServiceUtils (extractRequiredMap, extractOptionalListOfStringTuples, validateMapValues,
unknownSettingsError); the specification's put_custom examples.
"""

from __future__ import annotations

import json

import pytest
from service_checks import post, unknown_service
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

RELEASES = ["8.19", "9.1", "9.5"]
SECRET = "custom-secret-123"
EMBED = {
    "service": "custom",
    "service_settings": {
        "secret_parameters": {"api_key": SECRET},
        "url": "https://api.openai.com/v1/embeddings",
        "headers": {"Authorization": "Bearer ${api_key}"},
        "request": '{"input": ${input}, "model": "text-embedding-3-small"}',
        "response": {"json_parser": {"text_embeddings": "$.data[*].embedding[*]"}},
    },
}
COMPLETION = {
    "service": "custom",
    "service_settings": {
        "url": "https://llm.local/v1/chat",
        "request": '{"messages": ${input}, "user": ${user}}',
        "response": {"json_parser": {"completion_result": "$.choices[*].message.content"}},
    },
    "task_settings": {"parameters": {"user": "me"}},
}


def settings_with(**changes):
    body = json.loads(json.dumps(EMBED))
    body["service_settings"].update(changes)
    return body


@pytest.mark.parametrize("version", ["8.18", "9.0"])
def test_not_before_8_19_nor_in_9_0(version):
    assert error_of(
        FakeClient(version).put("/_inference/text_embedding/c", EMBED)
    ) == unknown_service("custom")


@pytest.mark.parametrize("version", RELEASES)
def test_a_text_embedding_create_writes_every_setting_but_the_secrets(version):
    es = FakeClient(version)
    response = es.put("/_inference/text_embedding/c", EMBED)
    assert response.get_json()["service_settings"] == {
        "similarity": "dot_product",
        "dimensions": 1024,
        "url": "https://api.openai.com/v1/embeddings",
        "headers": {"Authorization": "Bearer ${api_key}"},
        "request": '{"input": ${input}, "model": "text-embedding-3-small"}',
        "response": {
            "json_parser": {"text_embeddings": "$.data[*].embedding[*]", "embedding_type": "float"}
        },
        "input_type": {"translation": {}, "default": ""},
        "rate_limit": {"requests_per_minute": 10000},
        "batch_size": 10,
    }
    assert list(response.get_json()["service_settings"]) == [
        "similarity", "dimensions", "url", "headers", "request", "response", "input_type",
        "rate_limit", "batch_size",
    ]  # fmt: skip
    for answer in (
        response,
        es.request("GET", "/_inference/c"),
        es.request("GET", "/_fake_es/journal"),
    ):
        assert SECRET.encode() not in answer.get_data()
    vectors = post(es, "/_inference/text_embedding/c", {"input": ["a", "b"]}).get_json()
    assert [len(v["embedding"]) for v in vectors["text_embedding"]] == [1024, 1024]


def test_the_provider_answer_is_read_through_the_configured_paths():
    es = FakeClient("9.5")
    es.put("/_inference/completion/c", COMPLETION)
    assert post(es, "/_inference/completion/c", {"input": "hi"}).get_json() == {
        "completion": [{"result": "[custom] A simulated answer to: hi"}]
    }
    es.state.providers.answer("c", {"choices": [{"message": {"content": "from the body"}}]})
    assert post(es, "/_inference/completion/c", {"input": "hi"}).get_json() == {
        "completion": [{"result": "from the body"}]
    }
    es.state.providers.answer("c", {"output": "elsewhere"})
    assert error_of(post(es, "/_inference/completion/c", {"input": "hi"})) == (
        400,
        "illegal_argument_exception",
        "Unable to find field [choices] in map",
    )


def test_raw_rerank_and_sparse_bodies():
    es = FakeClient("9.5")
    body = {
        "service": "custom",
        "service_settings": {
            "url": "https://rerank.local",
            "request": '{"documents": ${input}, "query": ${query}}',
            "response": {
                "json_parser": {
                    "relevance_score": "$.results[*].score",
                    "reranked_index": "$.results[*].index",
                    "document_text": "$.results[*].doc",
                }
            },
        },
    }
    es.put("/_inference/rerank/r", body)
    es.state.providers.answer(
        "r",
        {
            "results": [
                {"index": 1, "score": 0.9, "doc": "b"},
                {"index": 0, "score": 0.2, "doc": "a"},
            ]
        },
    )
    answer = post(es, "/_inference/rerank/r", {"input": ["a", "b"], "query": "q"}).get_json()
    assert answer == {
        "rerank": [
            {"index": 1, "relevance_score": 0.9, "text": "b"},
            {"index": 0, "relevance_score": 0.2, "text": "a"},
        ]
    }
    sparse = {
        "service": "custom",
        "service_settings": {
            "url": "https://sparse.local",
            "request": '{"texts": ${input}}',
            "response": {
                "json_parser": {
                    "token_path": "$.result[*].embedding[*].token_id",
                    "weight_path": "$.result[*].embedding[*].weight",
                }
            },
        },
    }
    es.put("/_inference/sparse_embedding/s", sparse)
    es.state.providers.answer("s", {"result": [{"embedding": [{"token_id": 6, "weight": 0.5}]}]})
    assert post(es, "/_inference/sparse_embedding/s", {"input": "a"}).get_json() == {
        "sparse_embedding": [{"is_truncated": False, "embedding": {"6": 0.5}}]
    }


@pytest.mark.parametrize("version", RELEASES)
def test_task_parameters_fill_templates_and_are_written(version):
    response = FakeClient(version).put("/_inference/completion/c", COMPLETION).get_json()
    assert response["task_settings"] == {"parameters": {"user": "me"}}
    assert "dimensions" not in response["service_settings"]


@pytest.mark.parametrize(
    ("changes", "field", "placeholder"),
    [
        ({"request": '{"input": ${input}, "x": ${nowhere}}'}, "request", "${nowhere}"),
        ({"url": "https://h/${version}"}, "url", "${version}"),
        ({"headers": {"X-Key": "${key}"}}, "header.X-Key", "${key}"),
        ({"query_parameters": [["q", "${query}"]]}, "query parameters: [q]", "${query}"),
    ],
)
def test_a_placeholder_nothing_fills_fails_the_create(changes, field, placeholder):
    assert error_of(
        FakeClient("9.5").put("/_inference/text_embedding/c", settings_with(**changes))
    ) == (
        400,
        "validation_exception",
        "Validation Failed: 1: Failed to validate model configuration: Found placeholder "
        f"[{placeholder}] in field [{field}] after replacement call;",
    )


def test_missing_settings_and_the_json_parser_scope():
    es = FakeClient("9.5")
    body = {"service": "custom", "service_settings": {"url": "http://h", "request": "{}"}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings] does not contain the required setting "
        "[response];2: [service_settings.response] does not contain the required setting "
        "[json_parser];",
    )
    body["service_settings"]["response"] = {"json_parser": {"reranked_index": "$.i"}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [service_settings.response.json_parser] does not contain the "
        "required setting [relevance_score];",
    )
    body["service_settings"]["response"] = {"json_parser": {"relevance_score": "$.s", "x": "y"}}
    assert error_of(es.put("/_inference/rerank/r", body)) == (
        400,
        "status_exception",
        "Configuration contains unknown settings [{x=y}] while parsing field [json_parser] for "
        "settings [custom_service_settings]",
    )


def test_query_parameters_must_be_pairs_of_strings():
    cases = [
        ([["a", "b"], "c"], "expected a list but the entry is [String]"),
        ([["a"]], "the tuple list size must be two, but was [1]"),
        ([["a", 1]], "the second element must be a string but was [Integer]"),
    ]
    for value, problem in cases:
        index = 1 if value[0] == ["a", "b"] else 0
        response = FakeClient("9.5").put(
            "/_inference/text_embedding/c", settings_with(query_parameters=value)
        )
        assert error_of(response) == (
            400,
            "validation_exception",
            f"Validation Failed: 1: [service_settings] failed to parse tuple list entry [{index}] "
            f"for setting [query_parameters], {problem};",
        )


def test_map_values_are_checked_and_secrets_not_shown():
    es = FakeClient("9.5")
    response = es.put("/_inference/text_embedding/c", settings_with(headers={"X-N": 1}))
    assert error_of(response)[2] == (
        "Validation Failed: 1: Map field [headers] has an entry that is not valid, [X-N => 1]. "
        "Value type of [1] is not one of [String].;"
    )
    response = es.put("/_inference/text_embedding/c", settings_with(secret_parameters={"k": 5}))
    assert error_of(response)[2] == (
        "Validation Failed: 1: Map field [secret_parameters] has an entry that is not valid. "
        "Value type is not one of [String].;"
    )
    body = {**COMPLETION, "task_settings": {"parameters": {"user": ["a"]}}}
    assert error_of(es.put("/_inference/completion/c", body))[2] == (
        "Validation Failed: 1: Map field [parameters] has an entry that is not valid, [user => "
        "[a]]. Value type of [[a]] is not one of [Boolean, Double, Float, Integer, String].;"
    )


def test_unsupported_task_type_and_wrongly_typed_dimensions():
    es = FakeClient("9.5")
    assert error_of(es.put("/_inference/chat_completion/c", COMPLETION)) == (
        400,
        "status_exception",
        "The [custom] service does not support task type [chat_completion]",
    )
    # removeAsType without a ValidationException: the wrong type fails alone, at once.
    body = settings_with(dimensions="8", url=None)
    assert error_of(es.put("/_inference/text_embedding/c", body)) == (
        400,
        "status_exception",
        "field [dimensions] is not of the expected type. The value [8] cannot be converted to a "
        "[Integer]",
    )


@pytest.mark.parametrize("version", RELEASES)
def test_provider_failures(version):
    es = FakeClient(version)
    es.state.providers.fail("c", ProviderFailure(500, "down"))
    response = es.put("/_inference/completion/c", COMPLETION)
    assert error_of(response)[2] == (
        "Could not complete inference endpoint creation as validation call to service threw an "
        "exception."
    )
    assert response.get_json()["error"]["caused_by"]["reason"] == (
        "Received a server error status code for request from inference entity id [c] status "
        "[500]. Error message: [down]"
    )
    es.state.providers.clear()
    es.put("/_inference/completion/c", COMPLETION)
    es.state.providers.fail("c", ProviderFailure(404, "no such model"))
    assert error_of(post(es, "/_inference/completion/c", {"input": "x"})) == (
        404,
        "status_exception",
        "Received an unsuccessful status code for request from inference entity id [c] status "
        "[404]. Error message: [no such model]",
    )


# The specification's put_custom request examples (8.19 to 9.5 branches).
_HEADERS = {"Authorization": "Bearer ${api_key}", "Content-Type": "application/json"}
SPEC_EXAMPLES = [
    ("text_embedding", EMBED["service_settings"]),
    (
        "rerank",
        {
            "secret_parameters": {"api_key": "<api key>"},
            "url": "https://api.cohere.com/v2/rerank",
            "headers": _HEADERS,
            "request": '{"documents": ${input}, "query": ${query}, "model": "rerank-v3.5"}',
            "response": {
                "json_parser": {
                    "reranked_index": "$.results[*].index",
                    "relevance_score": "$.results[*].relevance_score",
                }
            },
        },
    ),
    (
        "text_embedding",
        {
            "secret_parameters": {"api_key": "<api key>"},
            "url": "https://api.cohere.com/v2/embed",
            "headers": _HEADERS,
            "request": '{"texts": ${input}, "model": "embed-v4.0", "input_type": ${input_type}}',
            "response": {"json_parser": {"text_embeddings": "$.embeddings.float[*]"}},
            "input_type": {
                "translation": {"ingest": "search_document", "search": "search_query"},
                "default": "search_document",
            },
        },
    ),
    (
        "rerank",
        {
            "secret_parameters": {"api_key": "<api key>"},
            "url": "https://api.jina.ai/v1/rerank",
            "headers": _HEADERS,
            "request": '{"model": "jina-reranker-v2-base-multilingual","query": ${query},'
            '"documents":${input}}',
            "response": {
                "json_parser": {
                    "relevance_score": "$.results[*].relevance_score",
                    "reranked_index": "$.results[*].index",
                }
            },
        },
    ),
    (
        "text_embedding",
        {
            "secret_parameters": {"api_key": "<api key>"},
            "url": "<dedicated inference endpoint on HF>/v1/embeddings",
            "headers": _HEADERS,
            "request": '{"input": ${input}}',
            "response": {"json_parser": {"text_embeddings": "$.data[*].embedding[*]"}},
        },
    ),
]


@pytest.mark.parametrize(("task_type", "settings"), SPEC_EXAMPLES)
@pytest.mark.parametrize("version", RELEASES)
def test_the_specification_examples(version, task_type, settings):
    es = FakeClient(version)
    body = {"service": "custom", "service_settings": json.loads(json.dumps(settings))}
    response = es.put(f"/_inference/{task_type}/example", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    keys = ["inference_id", "task_type", "service", "service_settings"]
    if task_type == "text_embedding":
        keys.append("chunking_settings")
    assert list(response.get_json()) == keys
    inputs = {"input": ["a", "b"], "query": "q"} if task_type == "rerank" else {"input": ["a"]}
    answer = post(es, f"/_inference/{task_type}/example", inputs).get_json()
    assert list(answer) == [task_type]
