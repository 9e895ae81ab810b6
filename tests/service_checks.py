"""Checks every third-party service's tests make: a create's exact answer with the secret
kept out of every answer, and a provider's failure at create and at inference.

Sources: ModelConfigurations.toFilteredXContent (the endpoint object), DefaultSecretSettings,
ModelValidatorBuilder / ModelValidator (the create's call), BaseResponseHandler (the
provider's error texts).
"""

from __future__ import annotations

import json
from typing import Any

from support import FakeClient, error_of
from werkzeug.test import TestResponse

from fake_es.providers.plan import ProviderFailure

AUTH = (
    "Received an authentication error status code for request from inference entity id [{id}] "
    "status [401]. Error message: [Invalid API key]"
)
SERVER = (
    "Received a server error status code for request from inference entity id [{id}] "
    "status [503]. Error message: [overloaded]"
)


CREATE_FAILED = (
    "Could not complete inference endpoint creation as validation call to service threw an "
    "exception."
)


def at_least(release: str, version: str) -> bool:
    return tuple(map(int, release.split("."))) >= tuple(map(int, version.split(".")))


def post(es: FakeClient, path: str, body: Any) -> TestResponse:
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


def rejected(prefix: str, status: int, inference_id: str, message: str = "nope") -> str:
    """A provider failure as BaseResponseHandler words it, under ``prefix`` for the status."""
    return (
        f"{prefix} for request from inference entity id [{inference_id}] status [{status}]. "
        f"Error message: [{message}]"
    )


def assert_wrapped_create_failure(response: TestResponse, cause: dict[str, Any]) -> None:
    """8.16+: the create answers 400 with the provider's error as the cause."""
    assert error_of(response) == (400, "status_exception", CREATE_FAILED)
    assert response.get_json()["error"]["caused_by"] == cause


def status_type_reason(response: TestResponse) -> tuple[int, str, str]:
    """Like ``error_of``, for answers that may lack the product header (401 and 403)."""
    body = response.get_json()
    assert body["status"] == response.status_code
    return response.status_code, body["error"]["type"], body["error"]["reason"]


def assert_created(
    es: FakeClient, path: str, body: dict[str, Any], expected: dict[str, Any], secret: str | None
) -> None:
    """The create answers exactly ``expected`` (keys in order), and never shows the secret."""
    response = es.put(path, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_data(as_text=True) == json.dumps(expected, separators=(",", ":"))
    if secret is not None:
        secret_free(es, response, expected["inference_id"], secret)


def assert_create_fails_at_provider(
    es: FakeClient, path: str, body: dict[str, Any], inference_id: str
) -> None:
    """ModelValidator (8.16+): a 400 wrapping the provider's error; nothing is stored."""
    es.state.providers.fail(inference_id, ProviderFailure(401, "Invalid API key"))
    response = es.put(path, body)
    cause = {"type": "status_exception", "reason": AUTH.format(id=inference_id)}
    assert_wrapped_create_failure(response, cause)
    assert response.get_json()["error"]["root_cause"] == [cause]
    assert es.state.endpoints.all() == []
    es.state.providers.clear()


def assert_inference_fails_at_provider(
    es: FakeClient, path: str, body: dict[str, Any], inference_id: str
) -> None:
    """A provider's 5xx is Elasticsearch's 400, with the provider's message."""
    es.state.providers.fail(inference_id, ProviderFailure(503, "overloaded"))
    assert error_of(post(es, path, body)) == (
        400,
        "status_exception",
        SERVER.format(id=inference_id),
    )
    es.state.providers.clear()


def unknown_settings(text: str, service: str) -> tuple[int, str, str]:
    return (
        400,
        "status_exception",
        f"Model configuration contains settings [{text}] unknown to the [{service}] service",
    )


def validation_failed(*problems: str) -> tuple[int, str, str]:
    listed = "".join(f"{n}: {p};" for n, p in enumerate(problems, start=1))
    return 400, "validation_exception", f"Validation Failed: {listed}"


def unsupported(service: str, task_type: str) -> tuple[int, str, str]:
    return (
        400,
        "status_exception",
        f"The [{service}] service does not support task type [{task_type}]",
    )


def unknown_service(service: str) -> tuple[int, str, str]:
    """A release before the service's arrival (InferenceServiceRegistry has no such name)."""
    return 400, "status_exception", f"Unknown service [{service}]"
