"""The Node.js client (8.19) and the Python 9.x client against the 8.11 contract.

``make test`` installs both: the Node client with npm into tests/contract/node
(alias ``es8``), the 9.x Python client into .venv-es9 (it cannot share an
environment with the 8.12 ``elasticsearch`` package). 8.11 refuses the 9.x
client; the 9.x release accepts it. The clients of each release against the
fake of that release: test_release_clients.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from contract_support import (
    ES9_PYTHON,
    NODE_DIR,
    SEED_CONFIG,
    UNKNOWN_SETTING,
    already_exists,
    seed_response,
    sparse_endpoint,
)

pytestmark = pytest.mark.fake_es(version="8.11")

ES9_SCRIPT = """
import json, sys
import elasticsearch
from elasticsearch import Elasticsearch, BadRequestError
es = Elasticsearch(sys.argv[1], max_retries=0)
try:
    es.inference.put(task_type="sparse_embedding", inference_id=sys.argv[2],
                     inference_config=json.loads(sys.argv[3]))
    print(json.dumps({"ok": True, "version": elasticsearch.__versionstr__}))
except BadRequestError as error:
    print(json.dumps({"ok": False, "version": elasticsearch.__versionstr__, "str": str(error),
                      "body": error.body}))
"""


def run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_node_client(target, model_id):
    node = shutil.which("node")
    assert node, "Node.js is needed for the Node client contract test"
    assert (NODE_DIR / "node_modules" / "es8").is_dir(), (
        "run `make test`, which installs the Node client"
    )
    steps = {
        step["step"]: step
        for step in map(
            json.loads, run([node, str(NODE_DIR / "contract.mjs"), target, model_id]).splitlines()
        )
    }
    assert steps["info"]["body"]["version"]["number"].startswith("8.11.")
    assert steps["put"] == {"step": "put", "ok": True, "body": seed_response(model_id)}
    again = steps["put-again"]
    assert (again["status"], again["product"]) == (400, "Elasticsearch")
    assert again["body"]["error"]["reason"] == already_exists(model_id)
    assert again["message"].startswith("resource_already_exists_exception")
    bad = steps["put-bad-task-type"]
    assert (bad["status"], bad["body"]["error"]["reason"]) == (400, "Unknown task_type [bad]")
    unknown = steps["put-unknown-setting"]
    assert (unknown["status"], unknown["body"]["error"]["reason"]) == (400, UNKNOWN_SETTING)


def test_python_9_client_is_refused_as_8_11_refuses_it(target, model_id):
    assert ES9_PYTHON.exists(), "run `make test`, which builds .venv-es9"
    result = json.loads(
        run([str(ES9_PYTHON), "-c", ES9_SCRIPT, target, model_id, json.dumps(SEED_CONFIG)])
    )
    assert result["ok"] is False
    assert result["version"].startswith("9.")
    error = result["body"]["error"]
    assert error["type"] == "media_type_header_exception"
    assert error["caused_by"] == {
        "type": "status_exception",
        "reason": "Accept version must be either version 8 or 7, but found 9. "
        "Accept=application/vnd.elasticsearch+json; compatible-with=9",
    }
    assert result["str"].startswith("BadRequestError(400, 'media_type_header_exception', ")


@pytest.mark.fake_es(version="9.5")
def test_python_9_client_is_accepted_by_9_5(fake_es):
    assert ES9_PYTHON.exists(), "run `make test`, which builds .venv-es9"
    result = json.loads(
        run(
            [
                str(ES9_PYTHON),
                "-c",
                ES9_SCRIPT,
                str(fake_es.url),
                "contract-9",
                json.dumps(SEED_CONFIG),
            ]
        )
    )
    assert result["ok"] is True
    assert result["version"].startswith("9.")
    assert fake_es.models.get("contract-9") == sparse_endpoint("9.5", "contract-9")
