"""Checks the third-party service tests share: inference calls and Elasticsearch's wrapping
of a provider's failure (BaseResponseHandler, ModelValidator)."""

from __future__ import annotations

import json
from typing import Any

from support import FakeClient, error_of
from werkzeug.test import TestResponse

CREATE_FAILED = (
    "Could not complete inference endpoint creation as validation call to service threw an "
    "exception."
)


def at_least(release: str, version: str) -> bool:
    return tuple(map(int, release.split("."))) >= tuple(map(int, version.split(".")))


def post(es: FakeClient, path: str, body: dict[str, Any]) -> TestResponse:
    return es.request(
        "POST", path, data=json.dumps(body), headers={"Content-Type": "application/json"}
    )


def secret_free(es: FakeClient, response: TestResponse, inference_id: str, *secrets: str) -> None:
    """No secret in the create's answer, the GET of the endpoint, or the journal."""
    for answer in (
        response,
        es.request("GET", f"/_inference/{inference_id}"),
        es.request("GET", "/_fake_es/journal"),
    ):
        for secret in secrets:
            assert secret.encode() not in answer.get_data()


def assert_wrapped_create_failure(response: TestResponse, cause: dict[str, Any]) -> None:
    """8.16+: the create answers 400 with the provider's error as the cause."""
    assert error_of(response) == (400, "status_exception", CREATE_FAILED)
    assert response.get_json()["error"]["caused_by"] == cause


def status_type_reason(response: TestResponse) -> tuple[int, str, str]:
    """Like ``error_of``, for answers that may lack the product header (401 and 403)."""
    body = response.get_json()
    assert body["status"] == response.status_code
    return response.status_code, body["error"]["type"], body["error"]["reason"]
