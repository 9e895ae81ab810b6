"""Simulated security, off by default, on with a configuration of users, roles and API keys.

Texts follow 8.11's DefaultAuthenticationFailureHandler, ApiKeyAuthenticator and
AuthorizationDenialMessages; privileges follow ClusterPrivilegeResolver (no
manage_inference in 8.11: `manage` and `all` grant the inference admin actions).
"""

from __future__ import annotations

import base64
import json

import pytest
from support import SEED_BODY, SEED_PATH
from werkzeug.test import Client

from fake_es import FakeState, create_app
from fake_es.security.realm import SecurityRealm

CONFIG = {
    "users": {
        "elastic": {"password": "changeme", "roles": ["superuser"]},
        "admin": {"password": "admin-pw", "roles": ["inference_admin"]},
        "watcher": {"password": "watch-pw", "roles": ["monitoring", "ghost_role"]},
        "nobody": {"password": "nobody-pw"},
    },
    "roles": {
        "inference_admin": {"cluster": ["manage"]},
        "monitoring": {"cluster": ["monitor"]},
    },
    "api_keys": {
        "key1": {"key": "secret1", "owner": "admin"},
        "narrow": {"key": "secret2", "owner": "elastic", "roles": ["monitoring"]},
    },
}
WWW_AUTHENTICATE = ['Basic realm="security" charset="UTF-8"', "ApiKey"]


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def api_key(key_id, key):
    return {"Authorization": "ApiKey " + base64.b64encode(f"{key_id}:{key}".encode()).decode()}


class SecuredClient:
    def __init__(self):
        self.state = FakeState()
        app = create_app(
            self.state, version="8.11", security=SecurityRealm(CONFIG), check_responses=True
        )
        self.http = Client(app)

    def request(self, method, path, headers=None, body=None):
        data = json.dumps(body) if body is not None else None
        headers = dict(headers or {})
        if data is not None:
            headers["Content-Type"] = "application/json"
        response = self.http.open(path, method=method, headers=headers, data=data)
        assert not self.state.crashes.take()
        return response


@pytest.fixture
def secured():
    return SecuredClient()


def test_security_is_off_by_default(client):
    assert client.request("GET", "/").status_code == 200


def test_missing_credentials_is_401_with_challenges_and_no_product_header(secured):
    response = secured.request("PUT", SEED_PATH + "?pretty", body=SEED_BODY)
    reason = f"missing authentication credentials for REST request [{SEED_PATH}?pretty]"
    assert response.status_code == 401
    assert response.get_json() == {
        "error": {
            "root_cause": [
                {
                    "type": "security_exception",
                    "reason": reason,
                    "header": {"WWW-Authenticate": WWW_AUTHENTICATE},
                }
            ],
            "type": "security_exception",
            "reason": reason,
            "header": {"WWW-Authenticate": WWW_AUTHENTICATE},
        },
        "status": 401,
    }
    assert response.headers.getlist("WWW-Authenticate") == WWW_AUTHENTICATE
    assert "X-elastic-product" not in response.headers
    assert secured.state.endpoints.all() == []


def test_authentication_comes_before_routing(secured):
    response = secured.request("GET", "/no/such/route")
    assert response.status_code == 401


@pytest.mark.parametrize("password", ["wrong", ""])
def test_wrong_password(secured, password):
    response = secured.request("GET", "/", basic("admin", password))
    assert response.status_code == 401
    assert response.get_json()["error"]["reason"] == (
        "unable to authenticate user [admin] for REST request [/]"
    )
    assert "admin-pw" not in response.get_data(as_text=True)


def test_unknown_user_reads_like_a_wrong_password(secured):
    response = secured.request("GET", "/", basic("mallory", "x"))
    assert response.get_json()["error"]["reason"] == (
        "unable to authenticate user [mallory] for REST request [/]"
    )


def test_basic_without_a_colon_is_a_value_failure(secured):
    header = {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}
    response = secured.request("GET", "/", header)
    assert (response.status_code, response.get_json()["error"]["reason"]) == (
        401,
        "invalid basic authentication header value",
    )


@pytest.mark.parametrize(
    ("credentials", "decoder_message"),
    [
        ("%%%", "Illegal base64 character 25"),
        ("-abc", "Illegal base64 character 2d"),
        ("Zm9v\xe9", "Illegal base64 character -17"),
        ("QQ=", "Input byte array has wrong 4-byte ending unit"),
        ("AAAA=", "Input byte array has wrong 4-byte ending unit"),
        ("Q===", "Last unit does not have enough valid bits"),
        ("QQ==QQ", "Input byte array has incorrect ending byte at 4"),
        ("Q", "Input byte[] should at least have 2 bytes for base64 bytes"),
    ],
)
def test_basic_that_is_not_base64_carries_the_decoder_failure(
    secured, credentials, decoder_message
):
    """UsernamePasswordToken.extractToken wraps java.util.Base64's IllegalArgumentException."""
    response = secured.request("GET", "/", {"Authorization": "Basic " + credentials})
    reason = "invalid basic authentication header encoding"
    challenge = {"WWW-Authenticate": WWW_AUTHENTICATE}
    assert response.status_code == 401
    assert (
        response.get_data()
        == json.dumps(
            {
                "error": {
                    "root_cause": [
                        {"type": "security_exception", "reason": reason, "header": challenge}
                    ],
                    "type": "security_exception",
                    "reason": reason,
                    "caused_by": {"type": "illegal_argument_exception", "reason": decoder_message},
                    "header": challenge,
                },
                "status": 401,
            },
            separators=(",", ":"),
        ).encode()
    )


def test_basic_credentials_that_are_not_utf8_are_decoded_with_replacement(secured):
    """CharArrays.utf8BytesToChars replaces bad bytes, so the user is just unknown."""
    header = {"Authorization": "Basic " + base64.b64encode(b"\xffme:pw").decode()}
    response = secured.request("GET", "/", header)
    assert response.get_json()["error"]["reason"] == (
        "unable to authenticate user [\ufffdme] for REST request [/]"
    )


def test_a_401_honours_pretty(secured):
    """The security failure is written through the channel, which has read ``pretty``."""
    response = secured.request("GET", "/?pretty")
    reason = "missing authentication credentials for REST request [/?pretty]"
    assert response.status_code == 401
    assert response.get_data(as_text=True) == (
        "{\n"
        '  "error" : {\n'
        '    "root_cause" : [\n'
        "      {\n"
        '        "type" : "security_exception",\n'
        f'        "reason" : "{reason}",\n'
        '        "header" : {\n'
        '          "WWW-Authenticate" : [\n'
        '            "Basic realm=\\"security\\" charset=\\"UTF-8\\"",\n'
        '            "ApiKey"\n'
        "          ]\n"
        "        }\n"
        "      }\n"
        "    ],\n"
        '    "type" : "security_exception",\n'
        f'    "reason" : "{reason}",\n'
        '    "header" : {\n'
        '      "WWW-Authenticate" : [\n'
        '        "Basic realm=\\"security\\" charset=\\"UTF-8\\"",\n'
        '        "ApiKey"\n'
        "      ]\n"
        "    }\n"
        "  },\n"
        '  "status" : 401\n'
        "}\n"
    )


def test_a_401_wins_over_a_bad_pretty_value_which_drops_the_parameters(secured):
    """handleIncomingRequest keeps the first failure; the channel is rebuilt without params."""
    response = secured.request("GET", "/?pretty=maybe")
    assert response.status_code == 401
    assert response.get_data(as_text=True).startswith('{"error":{"root_cause":[{')
    assert response.get_json()["error"]["reason"] == (
        "missing authentication credentials for REST request [/?pretty=maybe]"
    )


def test_a_401_wins_over_a_bad_media_type(secured):
    response = secured.request("GET", "/?pretty", {"Accept": "nonsense"})
    assert response.status_code == 401
    assert response.get_data(as_text=True).startswith('{\n  "error" : {\n')


@pytest.mark.parametrize("path", ["/", SEED_PATH, "/no/such/route"])
def test_options_needs_no_credentials(secured, path):
    """SecurityRestFilter lets OPTIONS through unauthenticated (CORS preflight)."""
    response = secured.request("OPTIONS", path, {"Authorization": "Basic !!!!"})
    assert response.status_code == 200
    assert response.get_data() == b""
    assert response.headers["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (api_key("nope", "x"), "API key: unable to find apikey with id nope"),
        (api_key("key1", "wrong"), "API key: invalid credentials for API key [key1]"),
        (
            {"Authorization": "ApiKey " + base64.b64encode(b"nocolon").decode()},
            "API key: invalid ApiKey value",
        ),
        # Base64.getDecoder() refuses a non-ASCII byte: IllegalArgumentException, a 401.
        ({"Authorization": "ApiKey \xff"}, "API key: invalid ApiKey value"),
        ({"Authorization": "ApiKey a2V5MTpzZWNyZXQx\xe9"}, "API key: invalid ApiKey value"),
    ],
)
def test_bad_api_keys(secured, header, detail):
    response = secured.request("GET", "/", header)
    error = response.get_json()["error"]
    assert response.status_code == 401
    assert error["reason"] == (
        "unable to authenticate with provided credentials and anonymous access is not allowed "
        "for this request"
    )
    assert error["additional_unsuccessful_credentials"] == detail
    assert list(error) == [
        "root_cause",
        "type",
        "reason",
        "additional_unsuccessful_credentials",
        "header",
    ]


DENIED_PUT = (
    "action [cluster:admin/xpack/inference/put] is unauthorized for user [watcher] "
    "with effective roles [monitoring] (assigned roles [ghost_role] were not found), "
    "this action is granted by the cluster privileges [manage,all]"
)


def test_user_without_the_privilege_is_403(secured):
    response = secured.request("PUT", SEED_PATH, basic("watcher", "watch-pw"), SEED_BODY)
    assert response.status_code == 403
    assert response.get_json() == {
        "error": {
            "root_cause": [
                {
                    "type": "security_exception",
                    "reason": DENIED_PUT,
                }
            ],
            "type": "security_exception",
            "reason": DENIED_PUT,
        },
        "status": 403,
    }
    assert "X-elastic-product" not in response.headers
    assert secured.state.endpoints.all() == []


def test_root_needs_monitor(secured):
    response = secured.request("GET", "/", basic("nobody", "nobody-pw"))
    assert response.get_json()["error"]["reason"] == (
        "action [cluster:monitor/main] is unauthorized for user [nobody] with effective roles [], "
        "this action is granted by the cluster privileges [monitor,manage,all]"
    )
    assert secured.request("GET", "/", basic("watcher", "watch-pw")).status_code == 200


def test_create_get_infer_delete_with_manage(secured):
    admin = basic("admin", "admin-pw")
    assert secured.request("PUT", SEED_PATH, admin, SEED_BODY).status_code == 200
    assert secured.request("GET", SEED_PATH, admin).status_code == 200
    assert secured.request("POST", SEED_PATH, admin, {"input": "x"}).status_code == 200
    assert secured.request("DELETE", SEED_PATH, admin).status_code == 200


def test_monitor_may_infer_but_not_read_the_configuration(secured):
    secured.request("PUT", SEED_PATH, basic("elastic", "changeme"), SEED_BODY)
    watcher = basic("watcher", "watch-pw")
    assert secured.request("POST", SEED_PATH, watcher, {"input": "x"}).status_code == 200
    response = secured.request("GET", SEED_PATH, watcher)
    assert response.status_code == 403
    assert "cluster:admin/xpack/inference/get" in response.get_json()["error"]["reason"]


def test_create_is_authorized_before_its_body_is_read(secured):
    # The body is parsed in the transport action, after the security filter.
    response = secured.request("PUT", SEED_PATH, basic("nobody", "nobody-pw"), {"service": 1})
    assert response.status_code == 403


def test_inference_body_is_checked_before_authorization(secured):
    # The REST handler parses the body; validation precedes the security filter.
    response = secured.request("POST", SEED_PATH, basic("nobody", "nobody-pw"), {"foo": 1})
    assert response.status_code == 400


def test_api_key_acts_for_its_owner(secured):
    assert (
        secured.request("PUT", SEED_PATH, api_key("key1", "secret1"), SEED_BODY).status_code == 200
    )


def test_api_key_limited_by_its_own_roles(secured):
    response = secured.request("PUT", SEED_PATH, api_key("narrow", "secret2"), SEED_BODY)
    assert response.get_json()["error"]["reason"] == (
        "action [cluster:admin/xpack/inference/put] is unauthorized for API key id [narrow] of "
        "user [elastic], this action is granted by the cluster privileges [manage,all]"
    )


def test_secrets_stay_out_of_the_journal(secured):
    secured.request("GET", "/", basic("admin", "admin-pw"))
    [entry] = secured.state.journal.entries()
    assert entry.headers["Authorization"] == "<redacted>"
    assert "admin-pw" not in json.dumps(entry.to_json())


def test_control_routes_need_no_credentials(secured):
    assert secured.request("GET", "/_fake_es/journal").status_code == 200


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"roles": {"r": {"cluster": ["manage_everything"]}}},
            "invalid security configuration: roles/r/cluster/0: 'manage_everything' is not one of",
        ),
        (
            {"api_keys": {"k": {"key": "s", "owner": "ghost"}}},
            "invalid security configuration: API key [k] has unknown owner [ghost]",
        ),
    ],
)
def test_invalid_configuration_is_refused_with_the_reason(config, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        SecurityRealm(config)


def test_x_opaque_id_is_echoed_on_a_401(secured):
    response = secured.request("GET", "/", {"X-Opaque-Id": "who-asked"})
    assert response.status_code == 401
    assert list(response.headers.items())[:3] == [
        ("X-Opaque-Id", "who-asked"),
        ("WWW-Authenticate", WWW_AUTHENTICATE[0]),
        ("WWW-Authenticate", WWW_AUTHENTICATE[1]),
    ]
