import json
import urllib.request

import cbor2
import pytest

ELSER = {"service": "elser", "service_settings": {"num_allocations": 1, "num_threads": 1}}


def put(url, path, data, content_type):
    request = urllib.request.Request(
        url + path,
        data=data,
        method="PUT",
        headers={"Content-Type": content_type, "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_json_yaml_and_cbor_bodies(fake_es):
    assert (
        put(
            fake_es.url,
            "/_inference/sparse_embedding/a",
            json.dumps(ELSER).encode(),
            "application/json",
        )["inference_id"]
        == "a"
    )
    yaml = b"---\nservice: elser\nservice_settings:\n  num_allocations: 1\n  num_threads: 1\n"
    assert (
        put(fake_es.url, "/_inference/sparse_embedding/b", yaml, "application/yaml")["inference_id"]
        == "b"
    )
    assert (
        put(fake_es.url, "/_inference/sparse_embedding/c", cbor2.dumps(ELSER), "application/cbor")[
            "inference_id"
        ]
        == "c"
    )
    fake_es.assert_request_made("PUT", "/_inference/sparse_embedding/a", json=ELSER)


@pytest.mark.fake_es(version="8.11")
def test_marker_and_factory(fake_es, make_fake_es):
    assert fake_es.app.profile.number == "8.11.0"
    assert make_fake_es(version="8.19").app.profile.number == "8.19.0"
