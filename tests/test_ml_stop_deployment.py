"""8.11's way back: stop the ELSER deployment a DELETE left running, over HTTP or the handle."""

from __future__ import annotations

import pytest
from support import SEED_BODY, SEED_PATH, FakeClient, error_of

from fake_es.handle import FakeEs
from fake_es.rest.errors import EsError

STOP = "/_ml/trained_models/my-elser-model/deployment/_stop"


@pytest.fixture
def deleted(client):
    """8.11, after a create and a delete: the endpoint is gone, its deployment is not."""
    assert client.put(SEED_PATH, SEED_BODY).status_code == 200
    assert client.request("DELETE", SEED_PATH).status_code == 200
    return client


def test_stop_answers_stopped_and_lets_the_id_be_created_again(deleted):
    response = deleted.request("POST", STOP)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == '{"stopped":true}'
    assert deleted.put(SEED_PATH, SEED_BODY).status_code == 200


def test_a_missing_deployment_is_stopped_unless_allow_no_match_is_false(client):
    assert client.request("POST", STOP).get_json() == {"stopped": True}
    assert client.request("POST", STOP + "?allow_no_match=true").get_json() == {"stopped": True}
    response = client.request("POST", STOP + "?allow_no_match=false")
    assert error_of(response) == (
        404,
        "resource_not_found_exception",
        "No known model deployment with id [my-elser-model]",
    )


def test_a_deployment_an_ingest_pipeline_uses_needs_force(deleted):
    deleted.state.references.add("my-elser-model", pipeline="p", index=None)
    response = deleted.request("POST", STOP)
    assert error_of(response) == (
        409,
        "status_exception",
        "Cannot stop deployment [my-elser-model] as it is referenced by ingest processors; "
        "use force to stop the deployment",
    )
    assert deleted.request("POST", STOP + "?force=true").get_json() == {"stopped": True}
    assert "my-elser-model" not in deleted.state.deployments


def test_a_bad_boolean_and_an_unknown_parameter(client):
    response = client.request("POST", STOP + "?force=yes")
    assert error_of(response) == (
        400,
        "illegal_argument_exception",
        "Failed to parse value [yes] as only [true] or [false] are allowed.",
    )
    response = client.request("POST", STOP + "?forse=true")
    assert error_of(response) == (
        400,
        "illegal_argument_exception",
        f"request [{STOP}] contains unrecognized parameter: [forse] -> did you mean [force]?",
    )


@pytest.mark.parametrize("release", ["8.12", "8.19", "9.5"])
def test_not_served_where_delete_stops_the_deployment(release):
    response = FakeClient(release).request("POST", STOP)
    assert response.status_code == 400
    assert response.get_json() == {"error": f"no handler found for uri [{STOP}] and method [POST]"}


def test_the_handle_lists_and_stops_deployments(client):
    fake = FakeEs(client.app, "http://unused")
    fake.models.create("sparse_embedding", "m")
    assert fake.models.deployments() == {
        "m": {"num_allocations": 1, "num_threads": 1, "model_id": ".elser_model_1"}
    }
    fake.models.delete("m")
    assert list(fake.models.deployments()) == ["m"]
    fake.models.use_in_pipeline("m", "p")
    with pytest.raises(EsError) as refused:
        fake.models.stop_deployment("m")
    assert refused.value.status == 409
    assert fake.models.stop_deployment("m", force=True) is True
    assert fake.models.stop_deployment("m") is False
    assert fake.models.deployments() == {}
    fake.models.create("sparse_embedding", "m")
    assert [model["model_id"] for model in fake.models.list()] == ["m"]


def stop_with_body(client, body, query=""):
    return client.request(
        "POST", STOP + query, data=body, headers={"Content-Type": "application/json"}
    )


def test_the_options_may_come_in_the_body(deleted):
    deleted.state.references.add("my-elser-model", pipeline="p", index=None)
    assert stop_with_body(deleted, '{"force": false}').status_code == 409
    response = stop_with_body(deleted, '{"model_id": "my-elser-model", "force": "true"}')
    assert response.get_json() == {"stopped": True}
    response = stop_with_body(deleted, '{"allow_no_match": false}')
    assert error_of(response) == (
        404,
        "resource_not_found_exception",
        "No known model deployment with id [my-elser-model]",
    )


def test_with_a_body_the_query_options_are_not_read(client):
    response = stop_with_body(client, "{}", "?force=true")
    assert error_of(response) == (
        400,
        "illegal_argument_exception",
        f"request [{STOP}] contains unrecognized parameter: [force]",
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            '{"model_id": "other"}',
            (
                400,
                "illegal_argument_exception",
                "Inconsistent model_id; 'other' specified in the body differs from "
                "'my-elser-model' specified as a URL argument",
            ),
        ),
        (
            '{"forse": true}',
            (
                400,
                "x_content_parse_exception",
                "[1:2] [cluster:admin/xpack/ml/trained_models/deployment/stop] unknown field "
                "[forse] did you mean [force]?",
            ),
        ),
        (
            '{"force": 1}',
            (
                400,
                "x_content_parse_exception",
                "[1:11] [cluster:admin/xpack/ml/trained_models/deployment/stop] force doesn't "
                "support values of type: VALUE_NUMBER",
            ),
        ),
        (
            '{"force": "yes"}',
            (
                400,
                "x_content_parse_exception",
                "[1:11] [cluster:admin/xpack/ml/trained_models/deployment/stop] failed to parse "
                "field [force]",
            ),
        ),
    ],
)
def test_a_bad_body_is_refused_as_the_object_parser_refuses_it(client, body, error):
    assert error_of(stop_with_body(client, body)) == error


def test_security_authorizes_the_ml_stop_action():
    from test_security import SecuredClient, basic

    secured = SecuredClient()
    response = secured.request("POST", STOP, basic("watcher", "watch-pw"))
    reason = (
        "action [cluster:admin/xpack/ml/trained_models/deployment/stop] is unauthorized for "
        "user [watcher] with effective roles [monitoring] (assigned roles [ghost_role] were not "
        "found), this action is granted by the cluster privileges [manage_ml,manage,all]"
    )
    assert response.status_code == 403
    assert response.get_json() == {
        "error": {
            "root_cause": [{"type": "security_exception", "reason": reason}],
            "type": "security_exception",
            "reason": reason,
        },
        "status": 403,
    }
    assert secured.request("POST", STOP, basic("admin", "admin-pw")).get_json() == {"stopped": True}
