"""Run one create/get/infer/delete cycle with an official Python client; print what it saw.

Run as a script by the interpreter of the environment that holds the client:

    python py_cycle.py MODULE GENERATION MODE URL ID

- MODULE: the import name of the client (``elasticsearch`` or ``elasticsearch8``);
- GENERATION: which inference methods the client has: ``8.12`` (``put_model``,
  ``get_model``, ``inference``, ``delete_model``, task type and model id both
  required), ``8.15`` (``put``, ``get``, ``inference``, ``delete``) or ``8.19``
  (as 8.15, plus the task-type methods ``sparse_embedding`` and ``text_embedding``);
- MODE: ``sync`` (``Elasticsearch``) or ``async`` (``AsyncElasticsearch`` over aiohttp).

It prints one JSON object: the client's version and, per step, either the answer
(``body``, the ``x-elastic-product`` header, the deprecation warnings the client
raised) or the error (exception class, status, error type, body, ``str``).
The test (``test_release_clients.py``) checks every value.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
import warnings

SPARSE_CONFIG = {
    "service": "elser",
    "service_settings": {"num_allocations": 1, "num_threads": 1},
    "task_settings": {},
}
TEXT_CONFIG = {
    "service": "elasticsearch",
    "service_settings": {
        "model_id": ".multilingual-e5-small",
        "num_allocations": 1,
        "num_threads": 1,
    },
}
TEXT = "the quick brown fox"


async def outcome(client_module, call, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            response = call(*args, **kwargs)
            if inspect.isawaitable(response):
                response = await response
        except client_module.ApiError as error:
            return {
                "ok": False,
                "class": type(error).__name__,
                "status": error.meta.status,
                "product": error.meta.headers.get("x-elastic-product"),
                "error": error.error,
                "body": error.body,
                "str": str(error),
            }
    return {
        "ok": True,
        "body": response.body,
        "product": response.meta.headers.get("x-elastic-product"),
        "warnings": [
            str(w.message)
            for w in caught
            if issubclass(w.category, client_module.ElasticsearchWarning)
        ],
    }


async def cycle_8_12(es, client, sparse_id):
    """8.12: ``put_model``/``get_model``/``inference``/``delete_model`` by task type and id."""
    api = es.inference
    ids = {"task_type": "sparse_embedding", "model_id": sparse_id}
    return {
        "put": await outcome(client, api.put_model, **ids, model_config=SPARSE_CONFIG),
        "get": await outcome(client, api.get_model, **ids),
        "get-all": await outcome(
            client, api.get_model, task_type="sparse_embedding", model_id="_all"
        ),
        "infer": await outcome(client, api.inference, **ids, input=TEXT),
        "delete": await outcome(client, api.delete_model, **ids),
        "get-deleted": await outcome(client, api.get_model, **ids),
    }


async def cycle_8_15(es, client, sparse_id, text_id):
    """8.15 to 8.17: ``put``/``get``/``inference``/``delete`` by inference id."""
    api = es.inference
    sparse = {"task_type": "sparse_embedding", "inference_id": sparse_id}
    text = {"task_type": "text_embedding", "inference_id": text_id}
    return {
        "put": await outcome(client, api.put, **sparse, inference_config=SPARSE_CONFIG),
        "put-text": await outcome(client, api.put, **text, inference_config=TEXT_CONFIG),
        "get": await outcome(client, api.get, **sparse),
        "get-all": await outcome(client, api.get),
        "infer": await outcome(client, api.inference, **sparse, input=TEXT),
        "infer-text": await outcome(client, api.inference, inference_id=text_id, input=[TEXT]),
        "delete": await outcome(client, api.delete, **sparse),
        "delete-text": await outcome(client, api.delete, inference_id=text_id),
        "get-deleted": await outcome(client, api.get, inference_id=sparse_id),
    }


async def cycle_8_19(es, client, sparse_id, text_id):
    """8.19 and 9.x: as 8.15, inferring through the task-type methods and ``inference``."""
    api = es.inference
    sparse = {"task_type": "sparse_embedding", "inference_id": sparse_id}
    text = {"task_type": "text_embedding", "inference_id": text_id}
    return {
        "put": await outcome(client, api.put, **sparse, inference_config=SPARSE_CONFIG),
        "put-text": await outcome(client, api.put, **text, inference_config=TEXT_CONFIG),
        "get": await outcome(client, api.get, **sparse),
        "get-all": await outcome(client, api.get),
        "infer": await outcome(client, api.sparse_embedding, inference_id=sparse_id, input=TEXT),
        "infer-generic": await outcome(client, api.inference, **sparse, input=TEXT),
        "infer-text": await outcome(client, api.text_embedding, inference_id=text_id, input=[TEXT]),
        "delete": await outcome(client, api.delete, **sparse),
        "delete-text": await outcome(client, api.delete, inference_id=text_id),
        "get-deleted": await outcome(client, api.get, inference_id=sparse_id),
    }


async def main(module_name, generation, mode, url, sparse_id):
    client = importlib.import_module(module_name)
    text_id = f"{sparse_id}-e5"
    factory = client.AsyncElasticsearch if mode == "async" else client.Elasticsearch
    es = factory(url, request_timeout=30, max_retries=0)
    try:
        steps = {"info": await outcome(client, es.info)}
        if generation == "8.12":
            steps |= await cycle_8_12(es, client, sparse_id)
        elif generation == "8.15":
            steps |= await cycle_8_15(es, client, sparse_id, text_id)
        else:
            steps |= await cycle_8_19(es, client, sparse_id, text_id)
    finally:
        closed = es.close()
        if inspect.isawaitable(closed):
            await closed
    return {"version": client.__versionstr__, "client": type(es).__name__, "steps": steps}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(*sys.argv[1:6]))))
