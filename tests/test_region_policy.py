"""``PUT/GET/DELETE _inference/_region_policy`` (9.5).

Sources: RestPutRegionPolicyAction, PutRegionPolicyAction.Request (PARSER, validate),
RegionPolicy and CspRegion (strict parsers, exclusive field set), RegionPolicyDoc,
TransportGetRegionPolicyAction; Elasticsearch's YAML test 170_region_policy_crud.yml and the
specification's examples (PutRegionPolicyRequestExample1/2, Get/Delete response examples).
"""

from __future__ import annotations

import re

import pytest
from support import FakeClient, error_of

PATH = "/_inference/_region_policy"
NONE = (404, "resource_not_found_exception", "No region policy is configured for this deployment")
REGIONS = {
    "allowed_regions": [
        {"csp": "aws", "region": "us-east-1"},
        {"csp": "aws", "region": "eu-west-1"},
    ]
}
GEOS = {"allowed_geos": ["us", "eu"]}
INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.mark.releases(">=8.13", "<9.5")
def test_not_before_9_5(es, release):
    # A one-segment GET names an endpoint.
    what = "Model" if release == "8.13" else "Inference endpoint"
    assert error_of(es.request("GET", PATH)) == (
        404,
        "resource_not_found_exception",
        f"{what} not found [_region_policy]",
    )


@pytest.mark.parametrize("policy", [REGIONS, GEOS])
def test_put_get_delete(policy):
    es = FakeClient("9.5")
    assert error_of(es.request("GET", PATH)) == NONE
    response = es.put(PATH, {"region_policy": policy})
    assert response.status_code == 200
    created = response.get_json()
    assert list(created) == ["region_policy", "created_at"]
    assert created["region_policy"] == policy
    assert INSTANT.fullmatch(created["created_at"])
    assert es.request("GET", PATH).get_json() == created
    assert es.request("DELETE", PATH).get_json() == {"acknowledged": True}
    assert error_of(es.request("GET", PATH)) == NONE
    assert error_of(es.request("DELETE", PATH)) == NONE


def test_a_put_replaces_and_keeps_created_at():
    es = FakeClient("9.5")
    first = es.put(PATH, {"region_policy": {"allowed_geos": ["us"]}}).get_json()
    second = es.put(
        PATH, {"region_policy": {"allowed_regions": [{"csp": "azure", "region": "eastus"}]}}
    )
    body = second.get_json()
    assert list(body) == ["region_policy", "created_at", "updated_at"]
    assert body["region_policy"] == {"allowed_regions": [{"csp": "azure", "region": "eastus"}]}
    assert body["created_at"] == first["created_at"]
    assert INSTANT.fullmatch(body["updated_at"])
    assert es.put(PATH + "?force=true", {"region_policy": GEOS}).status_code == 200


def test_refusals():
    es = FakeClient("9.5")
    assert error_of(es.put(PATH, raw='{"allowed_geos":["us"]}')) == (
        400,
        "x_content_parse_exception",
        "[1:2] [put_region_policy_request] unknown field [allowed_geos]",
    )
    both = (
        '{"region_policy":{"allowed_geos":["us"],"allowed_regions":[{"csp":"aws","region":"x"}]}}'
    )
    response = es.put(PATH, raw=both)
    assert error_of(response) == (
        400,
        "x_content_parse_exception",
        "[1:87] [put_region_policy_request] failed to parse field [region_policy]",
    )
    assert response.get_json()["error"]["caused_by"] == {
        "type": "illegal_argument_exception",
        "reason": "The following fields are not allowed together: [allowed_geos, allowed_regions]",
    }
    for key in ("allowed_geos", "allowed_regions"):
        assert error_of(es.put(PATH, {"region_policy": {key: []}})) == (
            400,
            "action_request_validation_exception",
            f"Validation Failed: 1: [region_policy.{key}] must not be empty;",
        )
    assert error_of(es.put(PATH, {})) == (
        400,
        "illegal_argument_exception",
        "Required [region_policy]",
    )
    assert error_of(es.request("PUT", PATH)) == (400, "parse_exception", "body is required")
    assert error_of(es.request("GET", PATH)) == NONE


def test_actions_and_privileges():
    from fake_es.inference.routes import REGION_POLICY_ACTIONS
    from fake_es.security.privileges import privileges_granting
    from fake_es.versions import get_profile

    profile = get_profile("9.5")
    assert privileges_granting(REGION_POLICY_ACTIONS["PUT"], profile)[0] == "manage_inference"
    assert privileges_granting(REGION_POLICY_ACTIONS["GET"], profile)[0] == "monitor_inference"
    assert privileges_granting(REGION_POLICY_ACTIONS["DELETE"], profile)[0] == "manage_inference"
