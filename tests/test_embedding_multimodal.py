"""Multimodal `input` for the `embedding` task (EmbeddingRequest, InferenceStringGroup)."""

from __future__ import annotations

import json
from typing import Any

from support import FakeClient
from werkzeug.test import TestResponse

ENDPOINT = {
    "service": "jinaai",
    "service_settings": {"api_key": "jina-x", "model_id": "jina-embeddings-v4"},
}
PATH = "/_inference/embedding/mm"
IMAGE = {"type": "image", "format": "base64", "value": "data:image/jpeg;base64,AAAA"}
TEXT = {"type": "text", "value": "some text"}


def client(release: str) -> FakeClient:
    es = FakeClient(release)
    assert es.put(PATH, ENDPOINT).status_code == 200
    return es


def post(es: FakeClient, body: Any, path: str = PATH) -> TestResponse:
    return es.request(
        "POST", path, data=json.dumps(body), headers={"Content-Type": "application/json"}
    )


def embeddings(response: TestResponse) -> list[list[float]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["embedding"] for item in response.get_json()["embeddings"]]


def test_a_9_4_content_object_is_embedded_deterministically() -> None:
    es = client("9.4")
    first = embeddings(post(es, {"input": {"content": IMAGE}}))
    again = embeddings(post(es, {"input": [{"content": IMAGE}, "plain"]}))
    assert len(first) == 1 and len(again) == 2
    assert again[0] == first[0]
    # A lone text item embeds like the same string.
    text = embeddings(post(es, {"input": [{"content": TEXT}]}))
    assert text == embeddings(post(es, {"input": "some text"}))
    journal = es.request("GET", "/_fake_es/journal")
    assert journal.status_code == 200
    assert "data:image/jpeg;base64,AAAA" in journal.get_data(as_text=True)


def test_a_9_5_content_list_makes_one_embedding() -> None:
    es = client("9.5")
    group = embeddings(post(es, {"input": [{"content": [IMAGE, TEXT]}, {"content": TEXT}]}))
    assert len(group) == 2
    assert group[0] != group[1]


def error(response: TestResponse) -> tuple[int, str, str, str | None]:
    body = response.get_json()
    cause = body["error"].get("caused_by")
    return (
        response.status_code,
        body["error"]["type"],
        body["error"]["reason"],
        cause and f"{cause['type']}: {cause['reason']}",
    )


def test_a_content_list_is_refused_in_9_4() -> None:
    # Not sourced from ES: the parser's generic wrapping of a failure inside `input`.
    response = post(client("9.4"), {"input": [{"content": [IMAGE, TEXT]}]})
    status, kind, reason, cause = error(response)
    assert (status, kind) == (400, "x_content_parse_exception")
    assert reason.endswith("[cluster:internal/xpack/inference] failed to parse field [input]")
    assert cause == "illegal_argument_exception: content doesn't support values of this type"


def test_an_unknown_content_type_is_refused() -> None:
    response = post(client("9.5"), {"input": {"content": {"type": "sound", "value": "x"}}})
    status, kind, reason, cause = error(response)
    assert (status, kind) == (400, "x_content_parse_exception")
    assert reason.endswith("[cluster:internal/xpack/inference] failed to parse field [input]")
    assert cause == "illegal_argument_exception: Unrecognized type [sound]"


def test_a_base64_value_must_be_a_data_uri() -> None:
    # InferenceString.validateDataURIFormat's text.
    body = {"input": {"content": {"type": "image", "value": "AAAA"}}}
    status, _, _, cause = error(post(client("9.4"), body))
    assert status == 400
    assert cause == (
        "illegal_argument_exception: base64 inputs must be specified as data URIs with the "
        "format [data:{MIME-type};base64,...]"
    )


def test_other_task_types_still_refuse_objects() -> None:
    es = FakeClient("9.5")
    openai = {"service": "openai", "service_settings": {"api_key": "k", "model_id": "m"}}
    assert es.put("/_inference/text_embedding/te", openai).status_code == 200
    response = post(es, {"input": {"content": TEXT}}, "/_inference/text_embedding/te")
    status, kind, reason, _ = error(response)
    assert (status, kind) == (400, "x_content_parse_exception")
    assert "input doesn't support values of type: START_OBJECT" in reason


def test_9_3_has_no_embedding_content_objects() -> None:
    es = FakeClient("9.3")
    response = post(es, {"input": {"content": TEXT}}, "/_inference/embedding/mm")
    assert response.status_code in (400, 404)
