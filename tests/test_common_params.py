"""Query parameters every route takes: pretty, human, error_trace, filter_path, and the rest.

Sources: AbstractRestChannel (pretty, human, filter_path), RestController.validateErrorTrace,
RestRequest.paramAsBoolean / Booleans.parseBoolean, BaseRestHandler (unconsumed params),
ElasticsearchException.generateThrowableXContent (stack_trace).
"""

from __future__ import annotations

import pytest
from support import SEED_BODY, SEED_PATH, error_of

BAD_BOOLEAN = "Failed to parse value [x] as only [true] or [false] are allowed."


@pytest.mark.parametrize("param", ["pretty", "human"])
def test_bad_boolean_channel_params_are_400_and_not_pretty(client, param):
    response = client.put(f"{SEED_PATH}?{param}=x", SEED_BODY)
    assert error_of(response) == (400, "illegal_argument_exception", BAD_BOOLEAN)
    assert "\n" not in response.get_data(as_text=True)
    assert len(client.state.endpoints) == 0


def test_bad_error_trace_is_a_plain_message(client):
    response = client.put(f"{SEED_PATH}?error_trace=x", SEED_BODY)
    assert response.status_code == 400
    assert response.get_json() == {"error": BAD_BOOLEAN, "status": 400}


def test_error_trace_adds_stack_traces(client):
    response = client.put("/_inference/bad/m?error_trace=true", SEED_BODY)
    error = response.get_json()["error"]
    expected = "org.elasticsearch.ElasticsearchStatusException: Unknown task_type [bad]"
    assert error["stack_trace"] == expected
    assert error["root_cause"][0]["stack_trace"] == expected


def test_error_trace_follows_causes(client):
    response = client.put(SEED_PATH + "?error_trace", raw="{bad")
    error = response.get_json()["error"]
    assert error["stack_trace"].startswith("org.elasticsearch.xcontent.XContentParseException: ")
    assert "\nCaused by: com.fasterxml.jackson.core.JsonParseException: " in error["stack_trace"]
    assert error["caused_by"]["stack_trace"].startswith(
        "com.fasterxml.jackson.core.JsonParseException"
    )


def test_error_trace_false_adds_nothing(client):
    response = client.put("/_inference/bad/m?error_trace=false", SEED_BODY)
    assert "stack_trace" not in response.get_json()["error"]


def test_human_is_accepted_and_changes_nothing(client):
    plain = client.put(SEED_PATH, SEED_BODY).get_data()
    client.request("DELETE", SEED_PATH)
    client.state.deployments.clear()
    assert client.put(SEED_PATH + "?human", SEED_BODY).get_data() == plain


@pytest.mark.parametrize(
    ("filter_path", "expected"),
    [
        ("model_id,service", {"model_id": "my-elser-model", "service": "elser"}),
        ("service_settings.num_threads", {"service_settings": {"num_threads": 1}}),
        ("**.num_*", {"service_settings": {"num_allocations": 1, "num_threads": 1}}),
        (
            "-task_settings,-service_settings",
            {"model_id": "my-elser-model", "task_type": "sparse_embedding", "service": "elser"},
        ),
        ("nothing.here", {}),
    ],
)
def test_filter_path_on_success(client, filter_path, expected):
    response = client.put(f"{SEED_PATH}?filter_path={filter_path}", SEED_BODY)
    assert response.status_code == 200
    assert response.get_json() == expected


def test_filter_path_on_inference_results(client):
    client.put(SEED_PATH, SEED_BODY)
    response = client.request(
        "POST",
        f"{SEED_PATH}?filter_path=sparse_embedding.port",
        json={"input": "the sky above the port"},
    )
    assert list(response.get_json()["sparse_embedding"]) == ["port"]


def test_filter_path_never_filters_errors(client):
    response = client.put("/_inference/bad/m?filter_path=status", SEED_BODY)
    assert error_of(response) == (400, "status_exception", "Unknown task_type [bad]")


@pytest.mark.parametrize(
    "query", ["source=%7B%7D", "source=%7B%7D&source_content_type=application/json"]
)
def test_source_parameter_is_not_read_by_the_inference_api(client, query):
    # 8.11's handlers use requiredContent(), not contentOrSourceParam().
    response = client.put(f"{SEED_PATH}?{query}", SEED_BODY)
    names = "[source], [source_content_type]" if "content_type" in query else "[source]"
    plural = "s" if "content_type" in query else ""
    assert error_of(response) == (
        400,
        "illegal_argument_exception",
        f"request [{SEED_PATH}] contains unrecognized parameter{plural}: {names}",
    )


def test_source_parameter_does_not_replace_a_body(client):
    response = client.put(f"{SEED_PATH}?source=%7B%7D", None)
    assert error_of(response) == (400, "parse_exception", "request body is required")


def test_format_json_is_accepted(client):
    assert client.put(f"{SEED_PATH}?format=json", SEED_BODY).status_code == 200


def test_smile_format_is_refused_by_the_fake_loudly(client):
    response = client.put(f"{SEED_PATH}?format=smile", SEED_BODY)
    assert response.status_code == 406
    assert response.get_json()["error"] == (
        "format [smile] is not supported by fake-es (JSON, YAML and CBOR only)"
    )
