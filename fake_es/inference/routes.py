"""The inference API's routes and the transport actions security checks for them."""

from __future__ import annotations

from fake_es.inference import handlers
from fake_es.rest.routing import Endpoint, Route


def inference_routes() -> list[Route]:
    """8.11 registers one path for all four methods; later profiles add ``_all`` forms."""
    return [
        Route(
            "/_inference/<segment:task_type>/<segment:model_id>",
            {
                "GET": Endpoint(handlers.get_model, "cluster:admin/xpack/inference/get"),
                "POST": Endpoint(handlers.infer, "cluster:monitor/xpack/inference"),
                "PUT": Endpoint(handlers.put_model, "cluster:admin/xpack/inference/put"),
                "DELETE": Endpoint(handlers.delete_model, "cluster:admin/xpack/inference/delete"),
            },
        )
    ]
