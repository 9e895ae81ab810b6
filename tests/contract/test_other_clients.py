"""The Node.js client (8.19) and the Python 9.x client, each in its own environment.

``make test`` installs both: the Node client with npm into tests/contract/node,
the 9.x Python client into .venv-es9 (it cannot share an environment with the
8.12 ``elasticsearch`` package).
"""

from __future__ import annotations

import json
import shutil
import subprocess

from contract_support import ROOT, SEED_CONFIG, UNKNOWN_SETTING, already_exists, seed_response

NODE_DIR = ROOT / "tests" / "contract" / "node"
ES9_PYTHON = ROOT / ".venv-es9" / "bin" / "python"
ES9_SCRIPT = """
import json, sys
from elasticsearch import Elasticsearch, BadRequestError
es = Elasticsearch(sys.argv[1], max_retries=0)
try:
    es.inference.put(task_type="sparse_embedding", inference_id=sys.argv[2],
                     inference_config=json.loads(sys.argv[3]))
    print(json.dumps({"ok": True}))
except BadRequestError as error:
    import elasticsearch
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
    assert (NODE_DIR / "node_modules" / "@elastic" / "elasticsearch").is_dir(), (
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
