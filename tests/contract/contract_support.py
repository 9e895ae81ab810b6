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
