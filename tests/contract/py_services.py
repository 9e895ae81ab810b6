"""Run the third-party service methods of an official Python client; print what it saw.

    python py_services.py MODULE MODE URL

MODULE is ``elasticsearch8`` (8.19) or ``elasticsearch`` (9.x); MODE ``sync`` or
``async``. The steps use the client's own per-service and per-task-type methods
(``put_openai``, ``text_embedding``, ``completion``, ...) and, for the error, a
provider failure set through the fake's control API first. One JSON object is
printed; ``test_service_clients.py`` checks every value.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
import urllib.request


def control(url: str, path: str, body: dict) -> None:
    request = urllib.request.Request(
        url + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    urllib.request.urlopen(request, timeout=10).close()


async def outcome(client_module, call, **kwargs):
    try:
        response = call(**kwargs)
        if inspect.isawaitable(response):
            response = await response
    except client_module.ApiError as error:
        return {"ok": False, "class": type(error).__name__, "status": error.meta.status,
                "body": error.body}  # fmt: skip
    return {"ok": True, "body": response.body}


async def run(module_name: str, mode: str, url: str) -> dict:
    client = importlib.import_module(module_name)
    es = (client.AsyncElasticsearch if mode == "async" else client.Elasticsearch)(url)
    api = es.inference
    openai_settings = {"api_key": "sk-contract", "model_id": "text-embedding-3-small"}
    steps = {
        "put-openai-embedding": await outcome(
            client,
            api.put_openai,
            task_type="text_embedding",
            openai_inference_id="oa-embed",
            service="openai",
            service_settings=openai_settings,
        ),
        "put-openai-completion": await outcome(
            client,
            api.put_openai,
            task_type="completion",
            openai_inference_id="oa-chat",
            service="openai",
            service_settings={**openai_settings, "model_id": "gpt-4o"},
        ),
        "text-embedding": await outcome(
            client, api.text_embedding, inference_id="oa-embed", input=["one", "two"]
        ),
        "completion": await outcome(
            client, api.completion, inference_id="oa-chat", input="What is Elastic?"
        ),
        "put-cohere-rerank": await outcome(
            client,
            api.put_cohere,
            task_type="rerank",
            cohere_inference_id="co-rerank",
            service="cohere",
            service_settings={"api_key": "sk-contract", "model_id": "rerank-english-v3.0"},
            task_settings={"top_n": 2, "return_documents": True},
        ),
        "rerank": await outcome(
            client,
            api.rerank,
            inference_id="co-rerank",
            query="blue sky",
            input=["sea", "blue sky", "sky blue today"],
        ),
        "put-hugging-face": await outcome(
            client,
            api.put_hugging_face,
            task_type="text_embedding",
            huggingface_inference_id="hf-embed",
            service="hugging_face",
            service_settings={"api_key": "sk-contract", "url": "https://hf.example/embed"},
        ),
    }
    control(
        url,
        "/_fake_es/providers/failures",
        {"target": "oa-chat", "status": 401, "message": "Incorrect API key provided"},
    )
    steps["completion-401"] = await outcome(client, api.completion, inference_id="oa-chat",
                                            input="x")  # fmt: skip
    if mode == "async":
        await es.close()
    return {"version": client.__versionstr__, "steps": steps}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(*sys.argv[1:4]))))
