"""What every release says about itself: banner, REST compatibility, routes and privileges.

Sources: the ``GET /`` banners of real X.Y.0 nodes (9.1.2 and 9.4.1 where no .0 was
seen), RestCompatibleVersionHelper, the REST spec's inference routes per branch, and
ClusterPrivilegeResolver / AuthorizationDenialMessages.
"""

from __future__ import annotations

import base64
import json

import pytest
from support import FakeClient, error_of
from werkzeug.test import Client

from fake_es import FakeState, create_app
from fake_es.security.realm import SecurityRealm
from fake_es.versions import DEFAULT_VERSION, get_profile, known_versions

BANNERS = {
    "8.11": ("8.11.0", "d9ec3fa628c7b0ba3d25692e277ba26814820b20", "9.8.0", "7.17.0", "7.0.0"),
    "8.12": ("8.12.0", "1665f706fd9354802c02146c1e6b5c0fbcddfbc9", "9.9.1", "7.17.0", "7.0.0"),
    "8.13": ("8.13.0", "09df99393193b2c53d92899662a8b8b3c55b45cd", "9.10.0", "7.17.0", "7.0.0"),
    "8.15": ("8.15.0", "1a77947f34deddb41af25e6f0ddb8e830159c179", "9.11.1", "7.17.0", "7.0.0"),
    "8.17": ("8.17.0", "2b6a7fed44faa321997703718f07ee0420804b41", "9.12.0", "7.17.0", "7.0.0"),
    "8.19": ("8.19.0", "93788a8c2882eb5b606510680fac214cff1c7a22", "9.12.2", "7.17.0", "7.0.0"),
    "9.0": ("9.0.0", "112859b85d50de2a7e63f73c8fc70b99eea24291", "10.1.0", "8.18.0", "8.0.0"),
    "9.5": ("9.5.0", "8d4246a64bc255212407b1b313fe402391299c88", "10.5.0", "8.19.0", "8.0.0"),
}
VENDOR = "application/vnd.elasticsearch+json; compatible-with={}"


def test_every_release_from_8_11_to_9_5_is_known_and_the_newest_is_the_default():
    assert known_versions() == [
        "8.11", "8.12", "8.13", "8.14", "8.15", "8.16", "8.17", "8.18", "8.19",
        "9.0", "9.1", "9.2", "9.3", "9.4", "9.5",
    ]  # fmt: skip
    assert DEFAULT_VERSION == "9.5"
    assert create_app().profile.number == "9.5.0"


@pytest.mark.parametrize("named", ["8.15", "8.15.0", "8.15.3", " 8.15 "])
def test_a_release_is_named_x_y_or_x_y_z(named):
    assert get_profile(named).number == "8.15.0"


@pytest.mark.parametrize("named", ["7.17", "8.10", "9.6", "8", "8.x", "latest", "8.15.0.1"])
def test_an_unknown_release_is_refused_with_the_known_ones(named):
    with pytest.raises(ValueError) as raised:
        get_profile(named)
    assert str(raised.value) == (
        f"fake-es has no profile for Elasticsearch {named!r}; known releases: 8.11, 8.12, "
        "8.13, 8.14, 8.15, 8.16, 8.17, 8.18, 8.19, 9.0, 9.1, 9.2, 9.3, 9.4, 9.5 (X.Y or X.Y.Z)"
    )


def test_the_banner_is_the_release_s_own(es, release):
    number, build_hash, lucene, wire, index = BANNERS[release]
    response = es.request("GET", "/")
    assert response.status_code == 200
    assert response.get_json()["version"] == {
        "number": number,
        "build_flavor": "default",
        "build_type": "tar",
        "build_hash": build_hash,
        "build_date": get_profile(release).release.build_date,
        "build_snapshot": False,
        "lucene_version": lucene,
        "minimum_wire_compatibility_version": wire,
        "minimum_index_compatibility_version": index,
    }


@pytest.mark.releases("<9.0")
def test_8_x_refuses_compatible_with_9(es):
    accept = VENDOR.format(9)
    response = es.request("GET", "/", headers={"Accept": accept})
    body = response.get_json()
    assert error_of(response) == (
        400,
        "media_type_header_exception",
        "Invalid media-type value on headers [Content-Type, Accept]",
    )
    assert body["error"]["caused_by"] == {
        "type": "status_exception",
        "reason": f"Accept version must be either version 8 or 7, but found 9. Accept={accept}",
    }


@pytest.mark.releases(">=9.0")
@pytest.mark.parametrize("compatible", [8, 9])
def test_9_x_accepts_compatible_with_8_and_9(es, compatible):
    accept = VENDOR.format(compatible)
    response = es.request("GET", "/", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == (
        f"application/vnd.elasticsearch+json;compatible-with={compatible}"
    )


@pytest.mark.releases(">=9.0")
def test_9_x_refuses_compatible_with_7(es):
    accept = VENDOR.format(7)
    response = es.request("GET", "/", headers={"Accept": accept})
    assert response.get_json()["error"]["caused_by"]["reason"] == (
        f"Accept version must be either version 9 or 8, but found 7. Accept={accept}"
    )


# --- routes: which paths exist in which release ---


@pytest.mark.releases("<8.13")
@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
def test_an_id_alone_has_no_route_before_8_13(es, method):
    response = es.request(method, "/_inference/my-endpoint")
    assert response.status_code == 400
    assert response.get_json() == {
        "error": f"no handler found for uri [/_inference/my-endpoint] and method [{method}]"
    }


@pytest.mark.releases("==8.11")
def test_8_11_has_no_get_all(es):
    response = es.request("GET", "/_inference/_all")
    assert response.get_json() == {
        "error": "no handler found for uri [/_inference/_all] and method [GET]"
    }


@pytest.mark.releases("<8.14")
def test_get_inference_without_a_path_arrived_in_8_14(es):
    response = es.request("GET", "/_inference")
    assert response.get_json() == {
        "error": "no handler found for uri [/_inference] and method [GET]"
    }


@pytest.mark.releases(">=8.14")
def test_get_inference_without_a_path_lists_everything(es):
    response = es.request("GET", "/_inference")
    assert response.status_code == 200


@pytest.mark.releases("==8.12")
def test_8_12_get_all_is_get_only(es):
    response = es.request("PUT", "/_inference/_all")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"


@pytest.mark.releases(">=8.13")
def test_path_parameter_names_follow_the_release_in_suggestions(es):
    response = es.request("GET", "/_inference/_all?task_type_or_idd=1")
    # Paths.java names the one-segment parameter task_type_or_id.
    assert error_of(response)[2] == (
        "request [/_inference/_all] contains unrecognized parameter: [task_type_or_idd] -> "
        "did you mean [task_type_or_id]?"
    )


# --- privileges ---

SECURITY = {
    "users": {
        "admin": {"password": "admin-pw", "roles": ["inference_admin"]},
        "user": {"password": "user-pw", "roles": ["inference_user"]},
        "watcher": {"password": "watcher-pw", "roles": ["monitoring"]},
    },
    "roles": {"monitoring": {"cluster": ["monitor"]}},
}
SEED = {"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1}}


def secured(release):
    app = create_app(FakeState(), version=release, security=SecurityRealm(SECURITY))
    return Client(app)


def call(client, method, path, user, body=None):
    """A request as ``user``, whose password is always ``<user>-pw`` here."""
    token = base64.b64encode(f"{user}:{user}-pw".encode()).decode()
    headers = {"Authorization": f"Basic {token}"}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    return client.open(path, method=method, headers=headers, data=data)


@pytest.mark.releases(">=8.15")
def test_inference_roles_from_8_14(release):
    client = secured(release)
    path = "/_inference/sparse_embedding/m"
    assert call(client, "PUT", path, "admin", SEED).status_code == 200
    assert call(client, "GET", path, "user").status_code == 200
    assert call(client, "POST", path, "user", {"input": "x"}).status_code == 200
    refused = call(client, "PUT", "/_inference/sparse_embedding/n", "user", SEED)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["reason"] == (
        "action [cluster:admin/xpack/inference/put] is unauthorized for user [user] with "
        "effective roles [inference_user], this action is granted by the cluster privileges "
        "[manage_inference,manage,all]"
    )
    watched = call(client, "DELETE", path, "watcher")
    assert watched.get_json()["error"]["reason"] == (
        "action [cluster:admin/xpack/inference/delete] is unauthorized for user [watcher] with "
        "effective roles [monitoring], this action is granted by the cluster privileges "
        "[manage_inference,manage,all]"
    )


@pytest.mark.releases("<8.14")
def test_no_inference_roles_before_8_14(release):
    client = secured(release)
    refused = call(client, "PUT", "/_inference/sparse_embedding/m", "admin", SEED)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["reason"] == (
        "action [cluster:admin/xpack/inference/put] is unauthorized for user [admin] with "
        "effective roles [] (assigned roles [inference_admin] were not found), this action is "
        "granted by the cluster privileges [manage,all]"
    )


@pytest.mark.parametrize(
    ("version", "action", "granted"),
    [
        ("8.11", "cluster:admin/xpack/inference/get", "[manage,all]"),
        ("8.13", "cluster:monitor/xpack/inference/get", "[monitor,manage,all]"),
        ("8.17", "cluster:monitor/xpack/inference/get",
         "[monitor_inference,manage_inference,monitor,manage,all]"),
    ],
)  # fmt: skip
def test_get_action_and_the_privileges_that_grant_it(version, action, granted):
    client = Client(
        create_app(
            version=version,
            security=SecurityRealm({"users": {"nobody": {"password": "nobody-pw"}}}),
        )
    )
    response = call(client, "GET", "/_inference/sparse_embedding/m", "nobody")
    assert response.get_json()["error"]["reason"] == (
        f"action [{action}] is unauthorized for user [nobody] with effective roles [], "
        f"this action is granted by the cluster privileges {granted}"
    )


@pytest.mark.parametrize(
    ("version", "action"),
    [("8.17", "cluster:monitor/xpack/inference"), ("9.0", "cluster:monitor/xpack/inference/post")],
)
def test_perform_inference_goes_through_the_proxy_action_from_8_18(version, action):
    client = Client(
        create_app(
            version=version,
            security=SecurityRealm({"users": {"nobody": {"password": "nobody-pw"}}}),
        )
    )
    response = call(client, "POST", "/_inference/sparse_embedding/m", "nobody", {"input": "x"})
    assert response.get_json()["error"]["reason"] == (
        f"action [{action}] is unauthorized for user [nobody] with effective roles [], "
        "this action is granted by the cluster privileges "
        "[monitor_inference,manage_inference,monitor,manage,all]"
    )


def test_fake_client_defaults_to_the_seed_release():
    assert FakeClient().app.profile.number == "8.11.0"
