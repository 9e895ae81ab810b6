"""The REST layer every request crosses (RestController, RestRequest, DefaultRestChannel)."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from typing import Any

import pytest
from support import JSON, SEED_BODY, SEED_PATH, FakeClient, error_of

from fake_es.app import MAX_CONTENT_LENGTH
from fake_es.control.faults import ConnectionDropped
from fake_es.versions import get_profile

ES_8_11 = get_profile("8.11").release

COMPAT_8 = "application/vnd.elasticsearch+json; compatible-with=8"


def test_root_answers_8_11_info_pretty_by_default(client):
    response = client.request("GET", "/")
    assert response.status_code == 200
    assert response.headers["X-elastic-product"] == "Elasticsearch"
    text = response.get_data(as_text=True)
    assert text.startswith('{\n  "name" : "fake-es",\n  "cluster_name" : "elasticsearch",\n')
    assert text.endswith("\n}\n")
    version = response.get_json()["version"]
    assert version["number"] == "8.11.0"
    assert version["lucene_version"] == "9.8.0"
    assert version["build_hash"] == ES_8_11.build_hash
    assert response.get_json()["tagline"] == "You Know, for Search"


def test_root_pretty_false_is_compact(client):
    text = client.request("GET", "/?pretty=false").get_data(as_text=True)
    assert text.startswith('{"name":"fake-es","cluster_name":"elasticsearch","cluster_uuid":')


def test_cluster_uuid_is_stable_across_apps(client):
    from support import FakeClient

    other = FakeClient()
    first = client.request("GET", "/").get_json()["cluster_uuid"]
    assert first == other.request("GET", "/").get_json()["cluster_uuid"]
    assert len(first) == 22


def test_head_root_is_200_with_no_body_and_the_get_length(client):
    get = client.request("GET", "/")
    head = client.request("HEAD", "/")
    assert head.status_code == 200
    assert head.get_data() == b""
    assert head.headers["Content-Length"] == str(len(get.get_data()))
    assert head.headers["X-elastic-product"] == "Elasticsearch"


def test_pretty_response_uses_jackson_layout(client):
    response = client.put(SEED_PATH + "?pretty", SEED_BODY)
    assert response.get_data(as_text=True) == (
        '{\n  "model_id" : "my-elser-model",\n  "task_type" : "sparse_embedding",\n'
        '  "service" : "elser",\n  "service_settings" : {\n    "num_allocations" : 1,\n'
        '    "num_threads" : 1\n  },\n  "task_settings" : { }\n}\n'
    )


@pytest.mark.parametrize(
    ("method", "uri"),
    [("GET", "/nope"), ("PUT", "/_inference/a"), ("POST", "/_inference/a/b/c?x=1&y")],
)
def test_unknown_uri_is_400_with_a_flat_error_and_no_status(client, method, uri):
    response = client.request(method, uri)
    assert response.status_code == 400
    assert response.get_json() == {
        "error": f"no handler found for uri [{uri}] and method [{method}]"
    }
    assert response.headers["X-elastic-product"] == "Elasticsearch"


def test_unknown_uri_keeps_raw_percent_encoding(client):
    response = client.request("GET", "/n%C3%B6pe?q=%20")
    assert response.get_json() == {
        "error": "no handler found for uri [/n%C3%B6pe?q=%20] and method [GET]"
    }


def test_wrong_method_on_known_path_is_405_with_allow(client):
    response = client.request("DELETE", "/")
    assert response.status_code == 405
    assert response.get_json() == {
        "error": "Incorrect HTTP method for uri [/] and method [DELETE], allowed: [GET, HEAD]",
        "status": 405,
    }
    assert response.headers["Allow"] == "GET,HEAD"
    assert response.headers["X-elastic-product"] == "Elasticsearch"


def test_options_on_known_path_lists_methods(client):
    response = client.request("OPTIONS", "/")
    assert response.status_code == 200
    assert response.get_data() == b""
    assert response.headers["Allow"] == "GET,HEAD"
    assert response.headers["Content-Type"] == "text/plain; charset=UTF-8"


def test_options_on_unknown_path_has_no_allow(client):
    response = client.request("OPTIONS", "/nope")
    assert response.status_code == 200
    assert "Allow" not in response.headers


def test_trailing_slash_matches_the_route(client):
    # PathTrie splits with String.split("/"), which drops trailing empty segments.
    assert client.put(SEED_PATH + "/", SEED_BODY).status_code == 200


def test_bad_escape_in_a_path_parameter_is_405(client):
    response = client.put("/_inference/sparse_embedding/a%zz", SEED_BODY)
    assert response.status_code == 405
    assert response.get_json() == {
        "error": "invalid escape sequence `%zz' at index 1 of: a%zz, "
        "allowed: [GET, POST, PUT, DELETE]",
        "status": 405,
    }


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        ("text/plain", "Content-Type header [text/plain] is not supported"),
        (
            "application/x-www-form-urlencoded",
            "Content-Type header [application/x-www-form-urlencoded] is not supported",
        ),
        ("application/foo", "Content-Type header [application/foo] is not supported"),
    ],
)
def test_unsupported_content_type_with_a_body_is_406(client, content_type, message):
    response = client.put(SEED_PATH, SEED_BODY, content_type=content_type)
    assert response.status_code == 406
    assert response.get_json() == {"error": message, "status": 406}
    assert response.headers["X-elastic-product"] == "Elasticsearch"


def test_missing_content_type_with_a_body_is_406(client):
    response = client.put(SEED_PATH, SEED_BODY, content_type=None)
    assert response.get_json() == {"error": "Content-Type header is missing", "status": 406}


def test_unknown_uri_wins_over_a_bad_content_type(client):
    response = client.put("/nope", SEED_BODY, content_type="text/plain")
    assert response.status_code == 400


def test_content_type_is_not_checked_without_a_body(client):
    response = client.put(
        SEED_PATH, None, content_type="text/plain", headers={"Content-Type": "text/plain"}
    )
    assert error_of(response) == (400, "parse_exception", "request body is required")


@pytest.mark.parametrize(
    "content_type",
    [
        JSON,
        "application/json; charset=UTF-8",
        COMPAT_8,
        "application/vnd.elasticsearch+json;compatible-with=8",
        "application/vnd.elasticsearch+json; compatible-with=7",
    ],
)
def test_json_media_types_are_accepted(client, content_type):
    accept = content_type if "compatible" in content_type else None
    headers = {"Accept": accept} if accept else {}
    response = client.put(SEED_PATH, SEED_BODY, content_type=content_type, headers=headers)
    assert response.status_code == 200


def test_compatible_request_gets_the_vendor_type_back(client):
    response = client.put(SEED_PATH, SEED_BODY, content_type=COMPAT_8, headers={"Accept": COMPAT_8})
    assert response.headers["Content-Type"] == (
        "application/vnd.elasticsearch+json;compatible-with=8"
    )


def media_type_error(response):
    body = response.get_json()
    assert response.status_code == 400
    assert response.headers["X-elastic-product"] == "Elasticsearch"
    assert body["error"]["root_cause"] == [
        {"type": body["error"]["type"], "reason": body["error"]["reason"]}
    ]
    return body["error"]["type"], body["error"]["reason"], body["error"]["caused_by"]


def test_compatible_with_9_is_refused_as_8_x_does(client):
    accept = "application/vnd.elasticsearch+json; compatible-with=9"
    response = client.request("GET", "/", headers={"Accept": accept})
    assert media_type_error(response) == (
        "media_type_header_exception",
        "Invalid media-type value on headers [Content-Type, Accept]",
        {
            "type": "status_exception",
            "reason": f"Accept version must be either version 8 or 7, but found 9. Accept={accept}",
        },
    )


def test_compatible_with_9_refused_even_for_an_unknown_uri(client):
    accept = "application/vnd.elasticsearch+json; compatible-with=9"
    response = client.request("GET", "/nope", headers={"Accept": accept})
    assert media_type_error(response)[0] == "media_type_header_exception"


def test_content_type_version_9_with_body(client):
    ct = "application/vnd.elasticsearch+json;compatible-with=9"
    response = client.put(SEED_PATH, SEED_BODY, content_type=ct, headers={"Accept": COMPAT_8})
    assert media_type_error(response)[2]["reason"] == (
        f"Content-Type version must be either version 8 or 7, but found 9. Content-Type={ct}"
    )


def test_versions_must_match(client):
    accept = "application/vnd.elasticsearch+json;compatible-with=7"
    response = client.put(SEED_PATH, SEED_BODY, content_type=COMPAT_8, headers={"Accept": accept})
    assert media_type_error(response)[2]["reason"] == (
        "A compatible version is required on both Content-Type and Accept headers if either one "
        "has requested a compatible version and the compatible versions must match. "
        f"Accept={accept}, Content-Type={COMPAT_8}"
    )


def test_version_required_on_both_headers(client):
    response = client.put(SEED_PATH, SEED_BODY, content_type=COMPAT_8, headers={"Accept": JSON})
    assert media_type_error(response)[2]["reason"] == (
        "A compatible version is required on both Content-Type and Accept headers if either one "
        f"has requested a compatible version. Accept={JSON}, Content-Type={COMPAT_8}"
    )


def test_unreadable_accept_header(client):
    response = client.request("GET", "/", headers={"Accept": "foo"})
    assert media_type_error(response) == (
        "media_type_header_exception",
        "Invalid media-type value on headers [Accept]",
        {"type": "illegal_argument_exception", "reason": "invalid media-type [foo]"},
    )


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_request_bodies_are_accepted(client, encoding):
    raw = json.dumps(SEED_BODY).encode()
    data = gzip.compress(raw) if encoding == "gzip" else zlib.compress(raw)
    response = client.put(SEED_PATH, raw=data, headers={"Content-Encoding": encoding})
    assert response.status_code == 200
    assert response.get_json()["model_id"] == "my-elser-model"


def test_body_over_max_content_length_is_413_empty_without_product_header(client):
    response = client.put(SEED_PATH, raw=b" " * (MAX_CONTENT_LENGTH + 1))
    assert response.status_code == 413
    assert response.get_data() == b""
    assert "X-elastic-product" not in response.headers


def test_unrecognized_parameter_with_suggestion(client):
    response = client.put(SEED_PATH + "?prety&zzz=1", SEED_BODY)
    assert error_of(response) == (
        400,
        "illegal_argument_exception",
        f"request [{SEED_PATH}] contains unrecognized parameters: "
        "[prety] -> did you mean [pretty]?, [zzz]",
    )
    assert len(client.state.endpoints) == 0


def test_body_on_get_root_is_refused(client):
    response = client.request("GET", "/", data=b"{}", headers={"Content-Type": JSON})
    assert error_of(response) == (
        400,
        "illegal_argument_exception",
        "request [GET /] does not support having a body",
    )


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/", 200), ("GET", "/no/such/route", 400), ("PATCH", "/", 405), ("OPTIONS", "/", 200)],
)
def test_x_opaque_id_is_echoed_first(client, method, path, status):
    """DefaultRestChannel.sendResponse sets X-Opaque-Id before every other header."""
    response = client.request(method, path, headers={"X-Opaque-Id": "trace-1"})
    assert response.status_code == status
    names = [name for name, _ in response.headers.items()]
    assert names[0] == "X-Opaque-Id"
    assert response.headers["X-Opaque-Id"] == "trace-1"
    assert names.index("X-elastic-product") < names.index("Content-Type")


def test_x_opaque_id_comes_before_allow_and_the_product_header(client):
    response = client.request("PATCH", "/", headers={"X-Opaque-Id": "abc"})
    assert [name for name, _ in response.headers.items()][:4] == [
        "X-Opaque-Id",
        "Allow",
        "X-elastic-product",
        "Content-Type",
    ]


def test_no_x_opaque_id_when_none_was_sent(client):
    assert "X-Opaque-Id" not in client.request("GET", "/").headers


@pytest.mark.parametrize(
    ("content_type", "accept", "answered_as"),
    [
        # Content-Type parameters are never copied (AbstractRestChannel.newBuilder).
        ("application/json; charset=UTF-8", None, "application/json"),
        ("application/x-ndjson", None, "application/json"),
        # Accept's parameters always are, lower-cased, after the chosen type.
        (JSON, "application/json; charset=UTF-8", "application/json;charset=utf-8"),
        (JSON, "application/json;charset=ISO-8859-1", "application/json;charset=iso-8859-1"),
        (COMPAT_8, COMPAT_8, "application/vnd.elasticsearch+json;compatible-with=8"),
        # */* names no type, so the body's type answers.
        (JSON, "*/*", "application/json"),
    ],
)
def test_response_content_type_takes_only_accepts_parameters(
    client, content_type, accept, answered_as
):
    headers = {"Accept": accept} if accept else {}
    response = client.put(SEED_PATH, SEED_BODY, content_type=content_type, headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == answered_as


def test_without_accept_the_vendor_content_type_answers_without_its_parameters(client):
    response = client.request("GET", "/", headers={"Content-Type": COMPAT_8})
    assert response.headers["Content-Type"] == "application/vnd.elasticsearch+json"


def test_a_non_xcontent_accept_still_lends_its_parameters(client):
    """Accept text/plain names no XContentType, but ParsedMediaType keeps its parameters."""
    response = client.request("GET", "/", headers={"Accept": "text/plain; charset=utf-8"})
    assert response.headers["Content-Type"] == "application/json;charset=utf-8"


@pytest.mark.parametrize("accept", ["*/*", "application/json, text/plain"])
def test_an_accept_that_is_no_single_media_type_is_printed_as_null(client, accept):
    """RestCompatibleVersionHelper prints the ParsedMediaType, null for */* and ranges."""
    response = client.put(SEED_PATH, SEED_BODY, content_type=COMPAT_8, headers={"Accept": accept})
    assert media_type_error(response)[2] == {
        "type": "status_exception",
        "reason": "A compatible version is required on both Content-Type and Accept headers if "
        f"either one has requested a compatible version. Accept=null, Content-Type={COMPAT_8}",
    }


def test_an_accept_the_fake_cannot_write_is_still_labelled_json(client):
    response = client.request("GET", "/", headers={"Accept": "application/smile"})
    assert response.headers["Content-Type"] == "application/json"
    assert response.get_json()["tagline"] == "You Know, for Search"


def _post_compressed(client: FakeClient, data: bytes, encoding: str) -> Any:
    client.put(SEED_PATH, SEED_BODY)
    headers = {"Content-Encoding": encoding, "Content-Type": JSON}
    return client.request("POST", SEED_PATH, data=data, headers=headers)


def test_gzip_members_spanning_many_input_slices_and_trailing_zeros_are_read(client):
    """Member after member, as HttpContentDecompressor reads them; trailing zero bytes are
    ignored (the fake's own leniency: see the comment in fake_es/app.py)."""
    text = os.urandom(150_000).hex()  # incompressible: each member is over 64 KB compressed
    raw = json.dumps({"input": text}).encode()
    half = len(raw) // 2
    data = gzip.compress(raw[:half]) + gzip.compress(raw[half:]) + b"\0" * 100
    response = _post_compressed(client, data, "gzip")
    assert response.status_code == 200
    [entry] = [e for e in client.state.journal.entries() if e.method == "POST"]
    assert (entry.body_length, entry.status) == (len(raw), 200)


def test_deflate_stream_ignores_what_follows_its_end(client):
    raw = json.dumps({"input": "hello"}).encode()
    response = _post_compressed(client, zlib.compress(raw) + b"not compressed", "deflate")
    assert response.status_code == 200


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_truncated_compressed_body_drops_the_connection(client, encoding):
    """A decoder failure reaches Netty's exceptionCaught, which closes the channel."""
    raw = json.dumps({"input": os.urandom(100_000).hex()}).encode()
    data = gzip.compress(raw) if encoding == "gzip" else zlib.compress(raw)
    with pytest.raises(ConnectionDropped, match=f"undecodable {encoding} body"):
        _post_compressed(client, data[: len(data) // 2], encoding)
    [entry] = [e for e in client.state.journal.entries() if e.method == "POST"]
    assert entry.status is None
