"""The official Python clients, talking to a fake's WSGI app with no socket.

``elastic_transport`` lets a client use any node class: these nodes hand each
request to the app directly, so journal, faults, security and crash reporting
all apply, at in-process speed. A fault that drops the connection becomes the
client's ``ConnectionError``, as it would over HTTP.
"""

from __future__ import annotations

import gzip
import importlib
import time
from types import ModuleType
from typing import TYPE_CHECKING, Any

from elastic_transport import (
    ApiResponseMeta,
    BaseAsyncNode,
    BaseNode,
    ConnectionError,
    HttpHeaders,
)
from elastic_transport.client_utils import DEFAULT, DefaultType
from werkzeug.test import EnvironBuilder, run_wsgi_app

if TYPE_CHECKING:
    from elastic_transport._node._base import NodeApiResponse

    from fake_es.app import FakeElasticsearch

# The address the clients are given; no connection is ever made to it.
IN_PROCESS_URL = "http://fake-es.in-process:9200"
# Distributions that provide the official client, newest naming first.
CLIENT_MODULES = ("elasticsearch", "elasticsearch9", "elasticsearch8")


def client_module(name: str | None = None) -> ModuleType:
    """The official client package: the one named, or the first installed."""
    for candidate in (name,) if name else CLIENT_MODULES:
        try:
            return importlib.import_module(candidate)
        except ImportError:
            continue
    raise ImportError(
        "no official Elasticsearch client is installed: install elasticsearch (8.x or 9.x), "
        "elasticsearch8 or elasticsearch9"
    )


def _call(
    app: FakeElasticsearch,
    node: BaseNode,
    method: str,
    target: str,
    body: bytes | None,
    headers: HttpHeaders | None,
) -> NodeApiResponse:
    from elastic_transport._node._base import NodeApiResponse

    request_headers = node.headers.copy()
    if headers:
        request_headers.update(headers)
    data = body or None
    if data is not None and "accept-encoding" in request_headers and node._http_compress:
        data = gzip.compress(data)
        request_headers["content-encoding"] = "gzip"
    path, _, query = target.partition("?")
    environ = EnvironBuilder(
        path=path,
        query_string=query,
        method=method,
        headers=list(request_headers.items()),
        data=data,
    ).get_environ()
    environ["REQUEST_URI"] = target
    started = time.time()
    try:
        chunks, status, response_headers = run_wsgi_app(app, environ, buffered=True)
        payload = b"".join(chunks)
    except OSError as error:  # a fault dropped the connection (ConnectionDropped)
        raise ConnectionError(str(error), errors=(error,)) from error
    meta = ApiResponseMeta(
        node=node.config,
        duration=time.time() - started,
        http_version="1.1",
        status=int(status.split(" ", 1)[0]),
        headers=HttpHeaders(list(response_headers.items())),
    )
    return NodeApiResponse(meta, payload)


def node_classes(app: FakeElasticsearch) -> tuple[type[BaseNode], type[BaseAsyncNode]]:
    """A sync and an async node class that serve every request from ``app``."""

    class InProcessNode(BaseNode):
        def perform_request(
            self,
            method: str,
            target: str,
            body: bytes | None = None,
            headers: HttpHeaders | None = None,
            request_timeout: DefaultType | float | None = DEFAULT,
        ) -> NodeApiResponse:
            return _call(app, self, method, target, body, headers)

        def close(self) -> None:
            return None

    class AsyncInProcessNode(BaseAsyncNode):
        async def perform_request(  # type: ignore[override]
            self,
            method: str,
            target: str,
            body: bytes | None = None,
            headers: HttpHeaders | None = None,
            request_timeout: DefaultType | float | None = DEFAULT,
        ) -> NodeApiResponse:
            return _call(app, self, method, target, body, headers)

        async def close(self) -> None:  # type: ignore[override]
            return None

    return InProcessNode, AsyncInProcessNode


def in_process_client(
    app: FakeElasticsearch, *, asynchronous: bool, module: str | None, **kwargs: Any
) -> Any:
    """An ``Elasticsearch`` (or ``AsyncElasticsearch``) whose requests go straight to ``app``."""
    package = client_module(module)
    sync_node, async_node = node_classes(app)
    kwargs.setdefault("hosts", [IN_PROCESS_URL])
    client_class = package.AsyncElasticsearch if asynchronous else package.Elasticsearch
    return client_class(node_class=async_node if asynchronous else sync_node, **kwargs)
