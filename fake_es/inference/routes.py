"""The inference API's routes for a version profile."""

from __future__ import annotations

from fake_es.inference import handlers
from fake_es.rest.routing import Route


def inference_routes() -> list[Route]:
    """8.11 registers one path; later profiles add ``_all`` and task-type-less forms."""
    return [
        Route(
            "/_inference/<segment:task_type>/<segment:model_id>",
            {"PUT": handlers.put_model},
        )
    ]
