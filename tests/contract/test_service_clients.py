"""The official clients' third-party service methods, unchanged, against the fake.

elasticsearch-py 8.19 and 9.x (sync and async) and the Node.js client 8.19 and
9.x call ``put_openai`` / ``putOpenai``, ``put_cohere``, ``put_hugging_face``,
``text_embedding``, ``completion``, ``rerank``, and
meet a provider failure set through the fake's control API; each against the
fake of the release it was made for. The scripts run in the clients' own
environments (``py_services.py``, ``node/services.mjs``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from contract_support import ES9_PYTHON, NODE_DIR, VENV_PYTHON

SCRIPT = Path(__file__).with_name("py_services.py")
AUTH = (
    "Received an authentication error status code for request from inference entity id "
    "[oa-chat] status [401]. Error message: [Incorrect API key provided]"
)


def run_json(command: list[str]) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def check_steps(steps: dict, release: str) -> None:
    embed = steps["put-openai-embedding"]["body"]
    assert steps["put-openai-embedding"]["ok"] is True
    assert embed["inference_id"] == "oa-embed"
    assert embed["service_settings"] == {
        "model_id": "text-embedding-3-small",
        "similarity": "dot_product",
        "dimensions": 1536,
        "rate_limit": {"requests_per_minute": 3000},
    }
    assert "sk-contract" not in json.dumps(steps)
    chat = steps["put-openai-completion"]["body"]
    assert chat["service_settings"] == {
        "model_id": "gpt-4o",
        "rate_limit": {"requests_per_minute": 500},
    }
    vectors = steps["text-embedding"]["body"]["text_embedding"]
    assert [len(v["embedding"]) for v in vectors] == [1536, 1536]
    assert steps["completion"]["body"] == {
        "completion": [{"result": "[openai/gpt-4o] A simulated answer to: What is Elastic?"}]
    }
    cohere = steps["put-cohere-rerank"]["body"]
    assert cohere["service_settings"] == {
        "model_id": "rerank-english-v3.0",
        "rate_limit": {"requests_per_minute": 10000},
    }
    assert cohere["task_settings"] == {"top_n": 2, "return_documents": True}
    ranked = steps["rerank"]["body"]["rerank"]
    assert [(r["index"], r["text"]) for r in ranked] == [(1, "blue sky"), (2, "sky blue today")]
    assert ranked[0]["relevance_score"] > ranked[1]["relevance_score"]
    hugging_face = steps["put-hugging-face"]["body"]
    assert hugging_face["service_settings"] == {
        "url": "https://hf.example/embed",
        "similarity": "cosine",
        "dimensions": 1024,
        "rate_limit": {"requests_per_minute": 3000},
    }
    failed = steps["completion-401"]
    assert (failed["ok"], failed["status"]) == (False, 401)
    assert failed["body"]["error"]["type"] == "status_exception"
    assert failed["body"]["error"]["reason"] == AUTH


@pytest.mark.parametrize(
    ("python", "module", "release"),
    [(VENV_PYTHON, "elasticsearch8", "8.19"), (ES9_PYTHON, "elasticsearch", "9.5")],
    ids=["py8.19", "py9"],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_python_service_methods(fake_es_factory, python, module, release, mode):
    fake = fake_es_factory(version=release)
    seen = run_json([str(python), str(SCRIPT), module, mode, fake.url])
    check_steps(seen["steps"], release)
    assert fake.requests_matching("PUT", "/_inference/text_embedding/oa-embed")


@pytest.mark.parametrize(("alias", "release"), [("es8", "8.19"), ("es9", "9.5")])
def test_node_service_methods(fake_es_factory, alias, release):
    node = shutil.which("node")
    assert node is not None, "Node.js is needed: run `make test`, which checks for it"
    fake = fake_es_factory(version=release)
    seen = run_json([node, str(NODE_DIR / "services.mjs"), alias, fake.url])
    check_steps(seen["steps"], release)
    assert seen["steps"]["completion-401"]["message"].startswith("status_exception")
