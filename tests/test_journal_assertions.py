"""The handle's journal assertions: partial bodies, query and headers, order, exact counts.

Requests come from the official client (elasticsearch8 8.19) over HTTP, or from
werkzeug's test client where a body no client sends is needed.
"""

from __future__ import annotations

import pytest
from elasticsearch8 import Elasticsearch
from support import SEED_BODY, SEED_PATH, FakeClient

import fake_es as package
from fake_es import Expect
from fake_es.handle import FakeEs

pytestmark = pytest.mark.fake_es(version="8.19")

CONFIG = {
    "service": "elasticsearch",
    "service_settings": {"model_id": ".elser_model_2", "num_allocations": 1, "num_threads": 1},
}
PUT_LINE = "PUT /_inference/sparse_embedding/m?timeout=30s -> 200"
POST_LINE = "POST /_inference/sparse_embedding/m -> 200"
JOURNAL = f"requests made (2):\n  1. {PUT_LINE}\n  2. {POST_LINE}\n"


@pytest.fixture
def made(fake_es):
    """A create (with a timeout and an opaque id) then an inference call, as the client
    sends them."""
    with Elasticsearch(fake_es.url, request_timeout=5) as es:
        es.options(opaque_id="job-7").inference.put(
            task_type="sparse_embedding", inference_id="m", inference_config=CONFIG, timeout="30s"
        )
        es.inference.inference(
            task_type="sparse_embedding", inference_id="m", input=["first", "second"]
        )
    return fake_es


def failure(call, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as raised:
        call(*args, **kwargs)
    return str(raised.value)


def wsgi() -> tuple[FakeClient, FakeEs]:
    client = FakeClient("8.11")
    return client, FakeEs(client.app, "http://unused")


# --- partial JSON ---


def test_json_contains_matches_every_key_given_and_ignores_the_others(made):
    made.assert_request_made(
        "PUT", "/_inference/*/m", json_contains={"service_settings": {"model_id": ".elser_model_2"}}
    )
    made.assert_request_made(json_contains={}, count=2)  # any JSON body contains {}
    made.assert_request_made(json_contains={"input": ["first", "second"]}, count=1)
    entries = made.requests_matching(json_contains={"service": "elasticsearch"})
    assert [entry.describe() for entry in entries] == [PUT_LINE]
    assert made.requests_matching("POST", json_contains={"service": "elasticsearch"}) == []


def test_json_contains_failure_names_the_key_path_and_diffs_only_the_keys_wanted(made):
    message = failure(
        made.assert_request_made,
        "PUT",
        "/_inference/sparse_embedding/m",
        json_contains={"service_settings": {"model_id": ".elser_model_1"}},
    )
    assert message == (
        "expected at least 1 request(s) PUT /_inference/sparse_embedding/m with JSON body "
        'containing {"service_settings": {"model_id": ".elser_model_1"}}, found 0\n'
        f"{JOURNAL}"
        "closest request differs:\n"
        f"  {PUT_LINE}:\n"
        "    service_settings.model_id: expected '.elser_model_1', got '.elser_model_2'\n"
        "    JSON body, the keys wanted (- made, + wanted):\n"
        "    @@ -2,3 +2,3 @@\n"
        '       "service_settings": {\n'
        '    -    "model_id": ".elser_model_2"\n'
        '    +    "model_id": ".elser_model_1"\n'
        "       }"
    )


def test_lists_match_element_by_element_and_must_be_as_long(made):
    # One input fewer is another request: the call sent two inputs, not one.
    assert made.requests_matching(json_contains={"input": ["first"]}) == []
    message = failure(made.assert_request_made, "POST", json_contains={"input": ["first"]})
    assert message.endswith(
        "closest request differs:\n"
        f"  {POST_LINE}:\n"
        "    input: expected a list of 1, got a list of 2: ['first', 'second']\n"
        "    JSON body, the keys wanted (- made, + wanted):\n"
        "    @@ -2,4 +2,3 @@\n"
        '       "input": [\n'
        '    -    "first",\n'
        '    -    "second"\n'
        '    +    "first"\n'
        "       ]"
    )
    message = failure(made.assert_request_made, "POST", json_contains={"input": ["first", "2nd"]})
    assert "    input[1]: expected '2nd', got 'second'\n" in message


def test_dicts_inside_lists_match_partially_and_odd_keys_are_quoted():
    client, fake = wsgi()
    body = {"input": "x", "task_settings": {"rows": [{"a.b": 1, "c": 2}, {"d": 3}]}}
    client.request("POST", SEED_PATH, json=body)
    fake.assert_request_made(json_contains={"task_settings": {"rows": [{"c": 2}, {}]}})
    message = failure(
        fake.assert_request_made,
        json_contains={"task_settings": {"rows": [{"a.b": 2, "e": 5}, {"d": 3}]}, "f": None},
    )
    assert message == (
        "expected at least 1 request(s) * * with JSON body containing "
        '{"f": null, "task_settings": {"rows": [{"a.b": 2, "e": 5}, {"d": 3}]}}, found 0\n'
        "requests made (1):\n"
        "  1. POST /_inference/sparse_embedding/my-elser-model -> 404\n"
        "closest request differs:\n"
        "  POST /_inference/sparse_embedding/my-elser-model -> 404:\n"
        '    task_settings.rows[0]["a.b"]: expected 2, got 1\n'
        "    task_settings.rows[0].e: missing (expected 5)\n"
        "    f: missing (expected None)\n"
        "    JSON body, the keys wanted (- made, + wanted):\n"
        "    @@ -1,2 +1,3 @@\n"
        "     {\n"
        '    +  "f": null,\n'
        '       "task_settings": {\n'
        "    @@ -4,3 +5,4 @@\n"
        "           {\n"
        '    -        "a.b": 1\n'
        '    +        "a.b": 2,\n'
        '    +        "e": 5\n'
        "           },"
    )


def test_exact_json_now_names_each_differing_key_path_too():
    client, fake = wsgi()
    client.put(SEED_PATH, SEED_BODY)
    wanted = {"service": "elser", "service_settings": {"num_allocations": 2, "num_threads": 1}}
    message = failure(fake.assert_request_made, "PUT", json=wanted)
    assert message == (
        "expected at least 1 request(s) PUT * with JSON body "
        '{"service": "elser", "service_settings": {"num_allocations": 2, "num_threads": 1}}, '
        "found 0\n"
        "requests made (1):\n"
        "  1. PUT /_inference/sparse_embedding/my-elser-model -> 200\n"
        "closest request differs:\n"
        "  PUT /_inference/sparse_embedding/my-elser-model -> 200:\n"
        "    service_settings.num_allocations: expected 2, got 1\n"
        "    task_settings: not expected, got {}\n"
        "    JSON body (- made, + wanted):\n"
        "    @@ -3,6 +3,5 @@\n"
        '       "service_settings": {\n'
        '    -    "num_allocations": 1,\n'
        '    +    "num_allocations": 2,\n'
        '         "num_threads": 1\n'
        "    -  },\n"
        '    -  "task_settings": {}\n'
        "    +  }\n"
        "     }"
    )


def test_a_body_that_is_not_json_is_said_so():
    client, fake = wsgi()
    client.request("POST", SEED_PATH, data="input=x", headers={"Content-Type": "text/plain"})
    client.request("GET", SEED_PATH)
    assert fake.requests_matching(json_contains={}) == []
    message = failure(fake.assert_request_made, "POST", json_contains={"input": "x"})
    assert message.endswith(
        "  POST /_inference/sparse_embedding/my-elser-model -> 406:\n"
        "    body: expected JSON, got a body of 7 bytes that is not JSON"
    )
    message = failure(fake.assert_request_made, "GET", json_contains={"input": "x"})
    assert message.endswith("    body: expected JSON, got no body")


def test_json_and_json_contains_together_are_refused(made):
    with pytest.raises(TypeError, match=r"^pass json= \(the exact body\) or json_contains="):
        made.assert_request_made(json={"a": 1}, json_contains={"a": 1})
    with pytest.raises(TypeError, match="not both"):
        Expect(json={}, json_contains={})


def nested(leaf: int) -> dict[str, object]:
    """``{"a": {"a": ... leaf}}``, 998 objects deep."""
    deep: dict[str, object] = {"a": leaf}
    for _ in range(997):
        deep = {"a": deep}
    return deep


def test_json_contains_copes_with_bodies_nested_to_the_limit():
    client, fake = wsgi()
    raw = '{"input":"x","deep":' + '{"a":' * 998 + "1" + "}" * 999
    client.request("POST", SEED_PATH, data=raw, headers={"Content-Type": "application/json"})
    assert fake.requests[0].json is not None
    fake.assert_request_made("POST", json_contains={"deep": nested(1)})
    message = failure(fake.assert_request_made, "POST", json_contains={"deep": nested(2)})
    path = ".".join(["deep"] + ["a"] * 998)
    assert message.endswith(
        f"    {path}: expected 2, got 1\n"
        "    JSON body, the keys wanted (- made, + wanted) not shown: nested too deep to indent"
    )


# --- query parameters and headers ---


def test_query_and_headers_match_the_ones_given_header_names_in_any_case(made):
    made.assert_request_made("PUT", query={"timeout": "30s"}, headers={"x-opaque-id": "job-7"})
    made.assert_request_made(headers={"X-OPAQUE-ID": "job-7", "Content-Type": CONTENT_TYPE})
    made.assert_request_made(headers={"accept": CONTENT_TYPE}, count=2)
    assert made.requests_matching(query={"timeout": "30s"})[0].describe() == PUT_LINE
    assert made.requests_matching(headers={"X-Opaque-Id": "JOB-7"}) == []  # values exactly
    assert made.requests_matching("POST", query={"timeout": "30s"}) == []


CONTENT_TYPE = "application/vnd.elasticsearch+json; compatible-with=8"


def test_query_and_header_failures_name_each_one(made):
    message = failure(
        made.assert_request_made,
        "PUT",
        "/_inference/*/m",
        query={"timeout": "10s", "pretty": "true"},
        headers={"x-opaque-id": "job-8"},
    )
    assert message == (
        "expected at least 1 request(s) PUT /_inference/*/m with query "
        '{"pretty": "true", "timeout": "10s"} with headers {"x-opaque-id": "job-8"}, found 0\n'
        f"{JOURNAL}"
        "closest request differs:\n"
        f"  {PUT_LINE}:\n"
        "    query parameter timeout: expected '10s', got '30s'\n"
        "    query parameter pretty: missing (expected 'true')\n"
        "    header x-opaque-id: expected 'job-8', got 'job-7'"
    )


def test_a_credential_header_matches_only_as_redacted():
    client, fake = wsgi()
    client.request("GET", "/_inference", headers={"Authorization": "ApiKey c2VjcmV0"})
    fake.assert_request_made("GET", headers={"authorization": "<redacted>"})
    assert fake.requests_matching(headers={"authorization": "ApiKey c2VjcmV0"}) == []


# --- exactly N ---


def test_count_is_exactly_that_many(made):
    made.assert_request_made("POST", "/_inference/*/m", count=1)
    made.assert_request_made("DELETE", count=0)
    message = failure(made.assert_request_made, path="/_inference/*", count=1)
    assert message == f"expected 1 request(s) * /_inference/*, found 2\n{JOURNAL}".rstrip("\n")


# --- order ---


def test_requests_in_order_with_others_between(made, fake_es):
    made.assert_requests_in_order("PUT /_inference/*/m", "POST /_inference/*/m")
    made.assert_requests_in_order(
        Expect("PUT", json_contains={"service": "elasticsearch"}, query={"timeout": "30s"}),
        Expect(path="/_inference/sparse_embedding/m", json_contains={"input": ["first", "second"]}),
    )
    made.assert_requests_in_order("/_inference/*/m")
    made.assert_requests_in_order()
    # A request between the two does not matter.
    with Elasticsearch(fake_es.url, request_timeout=5) as es:
        es.inference.get(inference_id="m")
        es.inference.inference(task_type="sparse_embedding", inference_id="m", input="third")
    made.assert_requests_in_order(
        "PUT /_inference/*", Expect("POST", json_contains={"input": "third"})
    )


def test_requests_out_of_order_fail_saying_which_was_not_found_after_which(made):
    message = failure(
        made.assert_requests_in_order,
        Expect("POST", "/_inference/*/m", json_contains={"input": ["first", "second"]}),
        "PUT /_inference/*/m",
    )
    assert message == (
        "expectation 2 of 2 not found after request 2: PUT /_inference/*/m\n"
        "matched in order:\n"
        '  1. POST /_inference/*/m with JSON body containing {"input": ["first", "second"]} '
        "-> request 2\n"
        "it matches only earlier request(s): 1\n"
        f"{JOURNAL}"
        "no requests after request 2"
    )


def test_an_expectation_not_found_shows_the_closest_of_the_requests_after(made):
    message = failure(
        made.assert_requests_in_order,
        "PUT /_inference/*",
        Expect("POST", json_contains={"input": ["first", "third"]}),
        "DELETE /_inference/*",
    )
    assert message == (
        "expectation 2 of 3 not found after request 1: POST * with JSON body containing "
        '{"input": ["first", "third"]}\n'
        "matched in order:\n"
        "  1. PUT /_inference/* -> request 1\n"
        f"{JOURNAL}"
        "closest request differs:\n"
        f"  {POST_LINE}:\n"
        "    input[1]: expected 'third', got 'second'\n"
        "    JSON body, the keys wanted (- made, + wanted):\n"
        "    @@ -3,3 +3,3 @@\n"
        '         "first",\n'
        '    -    "second"\n'
        '    +    "third"\n'
        "       ]"
    )


def test_the_first_expectation_not_found_at_all(made):
    message = failure(made.assert_requests_in_order, "DELETE /_inference/*/m")
    assert message == (
        "expectation 1 of 1 not found: DELETE /_inference/*/m\n"
        f"{JOURNAL}"
        "closest request differs:\n"
        f"  {PUT_LINE}:\n"
        "    method: PUT != DELETE"
    )


def test_one_request_meets_one_expectation_only(made):
    message = failure(made.assert_requests_in_order, "POST /_inference/*", "POST /_inference/*")
    assert message.startswith(
        "expectation 2 of 2 not found after request 2: POST /_inference/*\n"
        "matched in order:\n"
        "  1. POST /_inference/* -> request 2\n"
        "it matches only earlier request(s): 2\n"
    )


def test_an_expectation_of_another_kind_is_refused(made):
    with pytest.raises(TypeError, match=r"^expected an Expect or a 'METHOD /glob' string, not"):
        made.assert_requests_in_order(("PUT", "/_inference/*"))


def test_expect_is_exported_and_describes_itself():
    assert package.Expect is Expect and "Expect" in package.__all__
    expect = Expect("put", "/_inference/*", json_contains={"input": "x"}, headers={"A": "b"})
    assert expect.method == "PUT"
    assert expect.describe() == (
        'PUT /_inference/* with JSON body containing {"input": "x"} with headers {"A": "b"}'
    )
    assert Expect.parse("get /x") == Expect("GET", "/x")
    assert Expect.parse("/x") == Expect(None, "/x")
