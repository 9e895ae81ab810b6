"""``PUT _inference/[{task_type}/]{id}/_update`` (8.17+).

Sources: RestUpdateInferenceModelAction, UpdateInferenceModelAction.Request
(getContentAsSettings, validate), TransportUpdateInferenceModelAction (checkEndpointExists,
combineExistingModelWithNewSettings, updateInClusterEndpoint, validateEndpointIsNotDefault),
DefaultSecretSettings.newSecretSettings, Messages (INFERENCE_ENTITY_NON_EXISTANT_NO_UPDATE,
MODEL_ID_DOES_NOT_MATCH_EXISTING_MODEL_IDS_BUT_MUST_FOR_IN_CLUSTER_SERVICE).
"""

from __future__ import annotations

import json

import pytest
from support import FakeClient, error_of

from fake_es.providers.plan import ProviderFailure

OPENAI = {
    "service": "openai",
    "service_settings": {"api_key": "sk-old-111", "model_id": "text-embedding-3-small"},
}
OPENAI_VIEW = {
    "inference_id": "oa",
    "task_type": "text_embedding",
    "service": "openai",
    "service_settings": {
        "model_id": "text-embedding-3-small",
        "similarity": "dot_product",
        "dimensions": 1536,
        "rate_limit": {"requests_per_minute": 3000},
    },
}
CHUNKING = {"strategy": "sentence", "max_chunk_size": 250, "sentence_overlap": 1}
ELSER = {
    "service": "elasticsearch",
    "service_settings": {
        "num_allocations": 1,
        "num_threads": 1,
        "model_id": ".elser_model_2_linux-x86_64",
    },
}
UPDATE = "/_inference/text_embedding/oa/_update"


def with_openai(release: str) -> FakeClient:
    es = FakeClient(release)
    assert es.put("/_inference/text_embedding/oa", OPENAI).status_code == 200
    return es


@pytest.mark.parametrize("version", ["8.13", "8.15", "8.16"])
def test_no_update_route_before_8_17(version):
    es = with_openai(version)
    response = es.put(UPDATE, {"service_settings": {"api_key": "sk-new-222"}})
    assert response.status_code == 400
    assert response.get_json() == {"error": f"no handler found for uri [{UPDATE}] and method [PUT]"}


@pytest.mark.releases(">=8.17")
def test_new_key_and_task_settings_answer_the_endpoint_without_secrets(es, release):
    assert es.put("/_inference/text_embedding/oa", OPENAI).status_code == 200
    response = es.put(
        UPDATE, {"service_settings": {"api_key": "sk-new-222"}, "task_settings": {"user": "me"}}
    )
    assert response.status_code == 200
    expected = {**OPENAI_VIEW, "task_settings": {"user": "me"}, "chunking_settings": CHUNKING}
    assert response.get_data(as_text=True) == json.dumps(expected, separators=(",", ":"))
    assert es.request("GET", "/_inference/oa").get_json() == {"endpoints": [expected]}
    stored = es.state.endpoints.get("oa")
    assert stored is not None and "sk-new-222" not in json.dumps(stored.record())
    journal = es.request("GET", "/_fake_es/journal").get_data(as_text=True)
    assert "sk-new-222" not in journal


@pytest.mark.releases(">=8.17")
def test_other_service_settings_are_not_changed(es):
    assert es.put("/_inference/text_embedding/oa", OPENAI).status_code == 200
    body = {"service_settings": {"api_key": "sk-new-222", "model_id": "other", "dimensions": 7}}
    response = es.put(UPDATE, body)
    assert response.status_code == 200
    assert response.get_json()["service_settings"] == OPENAI_VIEW["service_settings"]


@pytest.mark.releases(">=8.17")
def test_service_settings_without_the_key_fail_as_the_secrets_read(es):
    assert es.put("/_inference/text_embedding/oa", OPENAI).status_code == 200
    response = es.put(UPDATE, {"service_settings": {"organization_id": "org"}})
    assert error_of(response) == (
        400,
        "validation_exception",
        "Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];",
    )


@pytest.mark.releases(">=8.17")
def test_task_settings_are_read_as_at_create(es):
    assert es.put("/_inference/text_embedding/oa", OPENAI).status_code == 200
    response = es.put(UPDATE, {"task_settings": {"user": 5}})
    assert error_of(response) == (
        400,
        "validation_exception",
        "Validation Failed: 1: field [user] is not of the expected type. The value [5] cannot "
        "be converted to a [String];",
    )


@pytest.mark.releases(">=8.17")
def test_body_problems(es):
    assert es.put("/_inference/text_embedding/oa", OPENAI).status_code == 200
    assert error_of(es.put(UPDATE, {})) == (400, "status_exception", "Request body is empty")
    assert error_of(es.put(UPDATE, {"service_settings": "x"})) == (
        400,
        "status_exception",
        "Unable to parse service settings in the request [{service_settings=x}]",
    )
    assert error_of(es.put(UPDATE, {"task_settings": []})) == (
        400,
        "status_exception",
        "Unable to parse task settings in the request [{task_settings=[]}]",
    )
    chunking = {"chunking_settings": {"strategy": "word"}}
    assert error_of(es.put(UPDATE, chunking)) == (
        400,
        "status_exception",
        "Request contained fields which cannot be updated, remove these fields and try again "
        "[{chunking_settings={strategy=word}}]",
    )
    assert error_of(es.put(UPDATE, {"task_type": 1})) == (
        500,
        "status_exception",
        "Failed to parse [task_type] in update request [{task_type=1}]",
    )
    assert error_of(es.put(UPDATE, {"task_type": "completion"})) == (
        400,
        "status_exception",
        "Cannot resolve conflicting task_type parameter in the request URL [text_embedding] "
        "and the request body [completion]",
    )
    mismatch = es.put("/_inference/completion/oa/_update", {"task_settings": {"user": "u"}})
    assert error_of(mismatch) == (
        400,
        "status_exception",
        "Task type must match the task type of the existing endpoint",
    )


@pytest.mark.releases(">=8.17")
def test_missing_endpoint(es):
    # An empty map counts as absent, but the body is not empty.
    response = es.put("/_inference/text_embedding/nope/_update", {"task_settings": {}})
    assert error_of(response) == (
        404,
        "resource_not_found_exception",
        "The inference endpoint [nope] does not exist and cannot be updated",
    )


def test_8_17_needs_the_task_type_in_the_path():
    es = with_openai("8.17")
    response = es.put("/_inference/oa/_update", {"task_settings": {"user": "u"}})
    assert error_of(response) == (
        400,
        "status_exception",
        "Inference ID must be provided in the path",
    )


@pytest.mark.releases(">=9.0")
def test_one_segment_takes_the_task_type_from_the_body(es):
    assert es.put("/_inference/text_embedding/oa", OPENAI).status_code == 200
    response = es.put("/_inference/oa/_update", {"task_settings": {"user": "u"}})
    assert error_of(response) == (
        400,
        "status_exception",
        "model is missing required setting [task_type]",
    )
    body = {"task_type": "text_embedding", "task_settings": {"user": "u"}}
    response = es.put("/_inference/oa/_update", body)
    assert response.status_code == 200
    assert response.get_json()["task_settings"] == {"user": "u"}


@pytest.mark.releases(">=8.17")
def test_post_is_not_allowed(es):
    assert es.put("/_inference/text_embedding/oa", OPENAI).status_code == 200
    response = es.request("POST", UPDATE, json={"task_settings": {"user": "u"}})
    assert response.status_code == 405
    assert response.get_json() == {
        "error": f"Incorrect HTTP method for uri [{UPDATE}] and method [POST], allowed: [PUT]",
        "status": 405,
    }


@pytest.mark.parametrize("version", ["8.17", "9.0", "9.4"])
def test_a_default_endpoint_fails_the_id_check_until_9_5(version):
    es = FakeClient(version)
    path = "/_inference/sparse_embedding/.elser-2-elasticsearch/_update"
    response = es.put(path, {"service_settings": {"num_allocations": 2}})
    assert error_of(response) == (
        400,
        "action_request_validation_exception",
        "Validation Failed: 1: Invalid inference_id; '.elser-2-elasticsearch' can contain "
        "lowercase alphanumeric (a-z and 0-9), hyphens or underscores; must start and end with "
        "alphanumeric;",
    )


def test_9_5_says_a_default_endpoint_cannot_be_updated():
    es = FakeClient("9.5")
    path = "/_inference/sparse_embedding/.elser-2-elasticsearch/_update"
    response = es.put(path, {"service_settings": {"num_allocations": 2}})
    assert error_of(response) == (
        400,
        "status_exception",
        "Default endpoint [.elser-2-elasticsearch] cannot be updated",
    )
    response = es.put("/_inference/sparse_embedding/Bad_Id/_update", {"task_settings": {"a": 1}})
    assert error_of(response) == (
        404,
        "resource_not_found_exception",
        "The inference endpoint [Bad_Id] does not exist and cannot be updated",
    )


@pytest.mark.releases(">=8.17")
def test_num_allocations_of_an_ml_node_endpoint(es, release):
    assert es.put("/_inference/sparse_embedding/elser", ELSER).status_code == 200
    path = "/_inference/sparse_embedding/elser/_update"
    response = es.put(path, {"service_settings": {"num_allocations": 3}})
    assert response.status_code == 200
    assert response.get_json()["service_settings"] == {
        **ELSER["service_settings"],
        "num_allocations": 3,
    }
    assert es.state.deployments.get("elser") == {**ELSER["service_settings"], "num_allocations": 3}
    assert error_of(es.put(path, {"service_settings": {"num_allocations": "4"}})) == (
        500,
        "class_cast_exception",
        "class java.lang.String cannot be cast to class java.lang.Integer (java.lang.String and "
        "java.lang.Integer are in module java.base of loader 'bootstrap')",
    )


def test_8_17_needs_num_allocations_for_an_ml_node_endpoint():
    es = FakeClient("8.17")
    assert es.put("/_inference/sparse_embedding/elser", ELSER).status_code == 200
    raw = '{"service_settings":{"num_threads":2}}'
    response = es.put("/_inference/sparse_embedding/elser/_update", raw=raw)
    assert error_of(response) == (
        400,
        "status_exception",
        f"Failed to parse [num_allocations] of update request [{raw}]",
    )


@pytest.mark.releases(">=9.0")
def test_an_endpoint_on_another_endpoints_deployment(es):
    assert es.put("/_inference/sparse_embedding/elser", ELSER).status_code == 200
    shared = {"service": "elasticsearch", "service_settings": {"deployment_id": "elser"}}
    assert es.put("/_inference/sparse_embedding/reuser", shared).status_code == 200
    response = es.put(
        "/_inference/sparse_embedding/reuser/_update", {"service_settings": {"num_allocations": 2}}
    )
    assert error_of(response) == (
        409,
        "status_exception",
        "Cannot update inference endpoint [reuser] for model deployment [elser] as it was "
        "created by another inference endpoint. The model can only be updated using inference "
        "endpoint id [elser].",
    )


def test_8_17_looks_for_a_deployment_under_the_endpoint_id():
    es = FakeClient("8.17")
    assert es.put("/_inference/sparse_embedding/elser", ELSER).status_code == 200
    shared = {"service": "elasticsearch", "service_settings": {"deployment_id": "elser"}}
    assert es.put("/_inference/sparse_embedding/reuser", shared).status_code == 200
    response = es.put(
        "/_inference/sparse_embedding/reuser/_update", {"service_settings": {"num_allocations": 2}}
    )
    assert error_of(response) == (
        404,
        "resource_not_found_exception",
        "Requested model ID [reuser] does not have a matching trained model and thus cannot be "
        "updated.",
    )


@pytest.mark.parametrize(("version", "calls"), [("9.0", False), ("9.4", True), ("9.5", True)])
def test_the_provider_is_called_from_9_4(version, calls):
    es = with_openai(version)
    es.state.providers.fail("oa", ProviderFailure(401, "Incorrect API key provided"))
    response = es.put(UPDATE, {"service_settings": {"api_key": "sk-new-222"}})
    if not calls:
        assert response.status_code == 200
        return
    status, kind, reason = error_of(response)
    assert (status, kind) == (400, "status_exception")
    assert reason.startswith("Could not complete inference endpoint creation")
    # Nothing changed: no call, no failure.
    assert es.put(UPDATE, {"service_settings": {"api_key": "sk-old-111"}}).status_code == 200


def test_timeout_is_a_parameter_from_9_5():
    es = with_openai("9.4")
    response = es.put(UPDATE + "?timeout=10s", {"task_settings": {"user": "u"}})
    assert error_of(response) == (
        400,
        "illegal_argument_exception",
        f"request [{UPDATE}] contains unrecognized parameter: [timeout]",
    )
    es = with_openai("9.5")
    assert es.put(UPDATE + "?timeout=10s", {"task_settings": {"user": "u"}}).status_code == 200


@pytest.mark.releases(">=8.17")
def test_privileges(es, release):
    assert es.put("/_inference/text_embedding/oa", OPENAI).status_code == 200
    from fake_es.inference.routes import UPDATE_ACTION
    from fake_es.security.privileges import privileges_granting
    from fake_es.versions import get_profile

    assert UPDATE_ACTION == "cluster:admin/xpack/inference/update"
    assert privileges_granting(UPDATE_ACTION, get_profile(release)) == [
        "manage_inference",
        "manage",
        "all",
    ]
