"""What every client must see, whichever server it talks to."""

from __future__ import annotations

import os
from pathlib import Path

REAL_CLUSTER_URL = os.environ.get("FAKE_ES_CONTRACT_URL")
ROOT = Path(__file__).resolve().parents[2]
SEED_CONFIG = {
    "service": "elser",
    "service_settings": {"num_allocations": 1, "num_threads": 1},
    "task_settings": {},
}


def seed_response(model_id: str) -> dict[str, object]:
    return {"model_id": model_id, "task_type": "sparse_embedding", **SEED_CONFIG}


def already_exists(model_id: str) -> str:
    return f"Inference model [{model_id}] already exists"


UNKNOWN_SETTING = "Model configuration contains settings [{foo=bar}] unknown to the [elser] service"


# ---- The release-by-release contract (test_release_clients.py) ----------------------

VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
ES815_PYTHON = ROOT / ".venv-es8.15" / "bin" / "python"
ES9_PYTHON = ROOT / ".venv-es9" / "bin" / "python"
NODE_DIR = ROOT / "tests" / "contract" / "node"
PY_CYCLE = ROOT / "tests" / "contract" / "py_cycle.py"

ELSER_MODEL = ".elser_model_2_linux-x86_64"
E5_MODEL = ".multilingual-e5-small"
E5_DIMENSIONS = 384
SENTENCE_CHUNKING = {"strategy": "sentence", "max_chunk_size": 250, "sentence_overlap": 1}
ELSER_WARNINGS = [
    "Putting elasticsearch service inference endpoints (including elser service) without a "
    "model_id field is deprecated and will be removed in a future release. Please specify a "
    "model_id field.",
    "The [elser] service is deprecated and will be removed in a future release. Use the "
    "[elasticsearch] service instead, with [model_id] set to [.elser_model_2_linux-x86_64] in "
    "the [service_settings]",
]
_ADAPTIVE = {"enabled": True, "min_number_of_allocations": 0, "max_number_of_allocations": 32}
DEFAULT_ENDPOINTS = [
    {
        "inference_id": ".elser-2-elasticsearch",
        "task_type": "sparse_embedding",
        "service": "elasticsearch",
        "service_settings": {
            "num_threads": 1,
            "model_id": ELSER_MODEL,
            "adaptive_allocations": _ADAPTIVE,
        },
        "chunking_settings": SENTENCE_CHUNKING,
    },
    {
        "inference_id": ".multilingual-e5-small-elasticsearch",
        "task_type": "text_embedding",
        "service": "elasticsearch",
        "service_settings": {
            "num_threads": 1,
            "model_id": ".multilingual-e5-small_linux-x86_64",
            "adaptive_allocations": _ADAPTIVE,
        },
        "chunking_settings": SENTENCE_CHUNKING,
    },
    {
        "inference_id": ".rerank-v1-elasticsearch",
        "task_type": "rerank",
        "service": "elasticsearch",
        "service_settings": {
            "num_threads": 1,
            "model_id": ".rerank-v1",
            "adaptive_allocations": _ADAPTIVE,
        },
        "task_settings": {"return_documents": True},
    },
]


def release_tuple(release: str) -> tuple[int, int]:
    major, minor = release.split(".")[:2]
    return int(major), int(minor)


def sparse_endpoint(release: str, endpoint_id: str) -> dict[str, object]:
    """What PUT answers for the elser configuration, and GET lists, in that release."""
    if release_tuple(release) < (8, 15):
        settings = {"num_allocations": 1, "num_threads": 1, "model_version": ELSER_MODEL}
        return {
            "model_id": endpoint_id,
            "task_type": "sparse_embedding",
            "service": "elser",
            "service_settings": settings,
            "task_settings": {},
        }
    settings = {"num_allocations": 1, "num_threads": 1, "model_id": ELSER_MODEL}
    if release_tuple(release) < (8, 16):
        return {
            "inference_id": endpoint_id,
            "task_type": "sparse_embedding",
            "service": "elser",
            "service_settings": settings,
            "task_settings": {},
        }
    # From 8.16 the elser service is an alias of the elasticsearch service.
    return {
        "inference_id": endpoint_id,
        "task_type": "sparse_embedding",
        "service": "elasticsearch",
        "service_settings": settings,
        "chunking_settings": SENTENCE_CHUNKING,
    }


def text_endpoint(release: str, endpoint_id: str) -> dict[str, object]:
    """What PUT answers for the multilingual-e5-small configuration (8.15+)."""
    settings = {"num_allocations": 1, "num_threads": 1, "model_id": E5_MODEL}
    tail: dict[str, object] = (
        {"task_settings": {}}
        if release_tuple(release) < (8, 16)
        else {"chunking_settings": SENTENCE_CHUNKING}
    )
    return {
        "inference_id": endpoint_id,
        "task_type": "text_embedding",
        "service": "elasticsearch",
        "service_settings": settings,
        **tail,
    }


def delete_answer(release: str) -> dict[str, object]:
    if release_tuple(release) < (8, 15):
        return {"acknowledged": True}
    if release_tuple(release) < (8, 16):
        return {"acknowledged": True, "pipelines": []}
    return {"acknowledged": True, "pipelines": [], "indexes": []}


def not_found_reason(release: str, endpoint_id: str) -> str:
    if release_tuple(release) < (8, 15):
        return f"Model not found [{endpoint_id}]"
    return f"Inference endpoint not found [{endpoint_id}]"


def error_body(status: int, error_type: str, reason: str) -> dict[str, object]:
    cause = {"type": error_type, "reason": reason}
    return {"error": {"root_cause": [cause], **cause}, "status": status}
