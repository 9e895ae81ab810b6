"""Each official client against the fake of the release it was made for.

Every test runs a full cycle (create a sparse and, from 8.15, a text-embedding
endpoint; get one and all; infer; delete; get the deleted one, which fails) with
the client's own method names for that release, and checks every answer:

- elasticsearch-py 8.12 (.venv, ``elasticsearch``): put_model, get_model,
  inference, delete_model, by task type and model id; fake 8.12;
- elasticsearch-py 8.15 (.venv-es8.15): put, get, inference, delete; fake 8.15;
- elasticsearch-py 8.19 (.venv, ``elasticsearch8``): put, get, sparse_embedding,
  text_embedding, inference, delete; fake 8.19;
- elasticsearch-py 9.x (.venv-es9): as 8.19; fake 9.5;
- @elastic/elasticsearch 8.19 and 9.x (tests/contract/node, aliases ``es8`` and
  ``es9``): put, get, inference, delete; fakes 8.19 and 9.5.

The Python clients run sync (``Elasticsearch``) and async (``AsyncElasticsearch``
over aiohttp). Each client runs in a subprocess (``py_cycle.py``, ``node/cycle.mjs``)
with the interpreter of its own environment; ``make test`` builds them all.
These tests always use the fake: a real cluster has a single release.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from contract_support import (
    DEFAULT_ENDPOINTS,
    E5_DIMENSIONS,
    ELSER_WARNINGS,
    ES9_PYTHON,
    ES815_PYTHON,
    NODE_DIR,
    PY_CYCLE,
    VENV_PYTHON,
    delete_answer,
    error_body,
    not_found_reason,
    release_tuple,
    sparse_endpoint,
    text_endpoint,
)

SPARSE_ID = "contract-cycle"
TEXT_ID = f"{SPARSE_ID}-e5"
TOKENS = {"the", "quick", "brown", "fox"}  # the text every cycle infers on


def run_json(command: list[str]) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def fake_es_at(release: str):
    return pytest.mark.fake_es(version=release)


# interpreter, import name, method generation, client version prefix, release made for
PYTHON_CLIENTS = {
    "py8.12": (VENV_PYTHON, "elasticsearch", "8.12", "8.12.", "8.12"),
    "py8.15": (ES815_PYTHON, "elasticsearch", "8.15", "8.15.", "8.15"),
    "py8.19": (VENV_PYTHON, "elasticsearch8", "8.19", "8.19.", "8.19"),
    "py9": (ES9_PYTHON, "elasticsearch", "8.19", "9.", "9.5"),
}
PYTHON_CASES = [
    *(
        pytest.param(name, mode, release, marks=fake_es_at(release), id=f"{name}-{mode}")
        for name, (*_, release) in PYTHON_CLIENTS.items()
        for mode in ("sync", "async")
    ),
    # A 9.x release also serves the 8.x clients (they send compatible-with=8).
    pytest.param("py8.19", "sync", "9.5", marks=fake_es_at("9.5"), id="py8.19-sync-on-9.5"),
]
NODE_CASES = [
    pytest.param("es8", "8.19", "8.19.", marks=fake_es_at("8.19"), id="node8.19"),
    pytest.param("es9", "9.5", "9.", marks=fake_es_at("9.5"), id="node9"),
]


def check_endpoint_answer(body: dict, expected: dict) -> None:
    assert body == expected
    assert list(body) == list(expected)  # Elasticsearch's key order


def check_sparse_result(body: dict) -> None:
    assert list(body) == ["sparse_embedding"]
    [result] = body["sparse_embedding"]
    assert list(result) == ["is_truncated", "embedding"]
    assert result["is_truncated"] is False
    weights = result["embedding"]
    assert set(weights) == TOKENS
    assert all(isinstance(weight, float) and weight > 0 for weight in weights.values())


def check_text_result(body: dict) -> None:
    assert list(body) == ["text_embedding"]
    [result] = body["text_embedding"]
    assert list(result) == ["embedding"]
    assert len(result["embedding"]) == E5_DIMENSIONS
    assert all(isinstance(value, float) for value in result["embedding"])


def check_cycle_answers(steps: dict, release: str) -> None:
    """The answers every client sees, whatever its language."""
    assert steps["info"]["body"]["version"]["number"] == f"{release}.0"
    for name, step in steps.items():
        if name != "get-deleted":
            assert step["ok"] is True, (name, step)
        assert step["product"] == "Elasticsearch", name

    sparse = sparse_endpoint(release, SPARSE_ID)
    check_endpoint_answer(steps["put"]["body"], sparse)
    envelope = "models" if release_tuple(release) < (8, 15) else "endpoints"
    assert steps["get"]["body"] == {envelope: [sparse]}
    check_endpoint_answer(steps["get"]["body"][envelope][0], sparse)
    check_sparse_result(steps["infer"]["body"])
    assert steps["delete"]["body"] == delete_answer(release)
    if release_tuple(release) < (8, 15):
        assert steps["get-all"]["body"] == {"models": [sparse]}
        return

    text = text_endpoint(release, TEXT_ID)
    check_endpoint_answer(steps["put-text"]["body"], text)
    defaults = DEFAULT_ENDPOINTS if release_tuple(release) >= (8, 18) else []
    assert steps["get-all"]["body"] == {"endpoints": [*defaults, sparse, text]}
    check_text_result(steps["infer-text"]["body"])
    assert steps["delete-text"]["body"] == delete_answer(release)


@pytest.mark.parametrize(("name", "mode", "fake_release"), PYTHON_CASES)
def test_python_client_cycle(fake_es, name, mode, fake_release):
    release = fake_release
    python, module, generation, version_prefix, _ = PYTHON_CLIENTS[name]
    assert Path(python).exists(), f"run `make test`, which builds {Path(python).parents[1].name}"
    result = run_json(
        [str(python), str(PY_CYCLE), module, generation, mode, str(fake_es.url), SPARSE_ID]
    )
    assert result["version"].startswith(version_prefix)
    assert result["client"] == ("AsyncElasticsearch" if mode == "async" else "Elasticsearch")
    steps = result["steps"]
    check_cycle_answers(steps, release)

    if release_tuple(release) >= (8, 16):
        # The client turns each Warning header into an ElasticsearchWarning. Over
        # aiohttp, elastic-transport keeps only the first value of a repeated header.
        assert steps["put"]["warnings"] == (
            ELSER_WARNINGS[:1] if mode == "async" else ELSER_WARNINGS
        )
    else:
        assert steps["put"]["warnings"] == []
    assert all(step.get("warnings", []) == [] for key, step in steps.items() if key != "put")
    if "infer-generic" in steps:
        assert steps["infer-generic"]["body"] == steps["infer"]["body"]

    missing = steps["get-deleted"]
    reason = not_found_reason(release, SPARSE_ID)
    assert missing["ok"] is False
    assert (missing["class"], missing["status"], missing["error"]) == (
        "NotFoundError",
        404,
        "resource_not_found_exception",
    )
    assert missing["body"] == error_body(404, "resource_not_found_exception", reason)
    assert missing["str"] == f"NotFoundError(404, 'resource_not_found_exception', '{reason}')"
    fake_es.assert_request_made("DELETE", "/_inference/sparse_embedding/contract-cycle", count=1)


@pytest.mark.parametrize(("alias", "fake_release", "version_prefix"), NODE_CASES)
def test_node_client_cycle(fake_es, alias, fake_release, version_prefix):
    release = fake_release
    node = shutil.which("node")
    assert node, "Node.js is needed for the Node client contract tests"
    assert (NODE_DIR / "node_modules" / alias).is_dir(), (
        "run `make test`, which installs the Node clients"
    )
    result = run_json([node, str(NODE_DIR / "cycle.mjs"), alias, str(fake_es.url), SPARSE_ID])
    assert result["version"].startswith(version_prefix)
    steps = result["steps"]
    check_cycle_answers(steps, release)

    info = steps["info"]["body"]["version"]
    agent = f"299 Elasticsearch-{info['number']}-{info['build_hash']}"
    assert steps["put"]["warnings"] == [f'{agent} "{text}"' for text in ELSER_WARNINGS]
    assert all(step.get("warnings", []) == [] for key, step in steps.items() if key != "put")

    missing = steps["get-deleted"]
    reason = not_found_reason(release, SPARSE_ID)
    assert (missing["ok"], missing["class"], missing["status"]) == (False, "ResponseError", 404)
    assert missing["body"] == error_body(404, "resource_not_found_exception", reason)
    assert missing["message"] == (
        f"resource_not_found_exception\n\tRoot causes:\n\t\tresource_not_found_exception: {reason}"
    )


MEDIA_TYPE_REFUSAL = {
    "error": {
        "root_cause": [
            {
                "type": "media_type_header_exception",
                "reason": "Invalid media-type value on headers [Content-Type, Accept]",
            }
        ],
        "type": "media_type_header_exception",
        "reason": "Invalid media-type value on headers [Content-Type, Accept]",
        "caused_by": {
            "type": "status_exception",
            "reason": "Accept version must be either version 8 or 7, but found 9. "
            "Accept=application/vnd.elasticsearch+json; compatible-with=9",
        },
    },
    "status": 400,
}


@pytest.mark.fake_es(version="8.19")
def test_9_x_clients_are_refused_by_8_19(fake_es):
    python = run_json(
        [str(ES9_PYTHON), str(PY_CYCLE), "elasticsearch", "8.19", "sync", str(fake_es.url), "x"]
    )
    assert python["version"].startswith("9.")
    for name, step in python["steps"].items():
        assert (step["ok"], step["class"], step["status"], step["error"]) == (
            False,
            "BadRequestError",
            400,
            "media_type_header_exception",
        ), name
        assert step["body"] == MEDIA_TYPE_REFUSAL, name

    node = run_json(
        [shutil.which("node") or "node", str(NODE_DIR / "cycle.mjs"), "es9", str(fake_es.url), "x"]
    )
    assert node["version"].startswith("9.")
    # Node sends `Accept: ...; compatible-with=9,text/plain` on requests without a
    # body. Elasticsearch reads an Accept list as a media range and checks no version
    # there, so those pass; every request with a body is refused.
    steps = node["steps"]
    for name in ("put", "put-text", "infer", "infer-text"):
        assert (steps[name]["ok"], steps[name]["class"], steps[name]["status"]) == (
            False,
            "ResponseError",
            400,
        ), name
        assert steps[name]["body"] == MEDIA_TYPE_REFUSAL, name
    assert steps["info"]["body"]["version"]["number"] == "8.19.0"
    assert steps["get-all"]["body"] == {"endpoints": DEFAULT_ENDPOINTS}
    for name in ("get", "delete", "delete-text", "get-deleted"):
        assert (steps[name]["ok"], steps[name]["status"]) == (False, 404), name
    assert fake_es.models.list() == []
