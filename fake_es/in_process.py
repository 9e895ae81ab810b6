"""The official Python clients, talking to a fake's WSGI app with no socket.

``elastic_transport`` lets a client use any node class: these nodes hand each
request to the app directly, so journal, faults, security and crash reporting
all apply, at in-process speed. A fault that drops the connection, or sends garbage
(which has no socket to go to here), becomes the client's ``ConnectionError``, as it
would over HTTP.
"""

from __future__ import annotations

import gzip
import importlib
import io
import sys
import time
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from elastic_transport import (
    ApiResponseMeta,
    BaseAsyncNode,
    BaseNode,
    ConnectionError,
    HttpHeaders,
)
from elastic_transport.client_utils import DEFAULT, DefaultType
from werkzeug.test import EnvironBuilder

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


# The characters werkzeug's iri_to_uri leaves as they are in a path (quote's always-safe
# ones and the path's safe set): a target made of these is its own URI.
_PLAIN_PATH = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~%!$&'()*+,/:;=@"
)
# What EnvironBuilder puts before the headers, after the request line's own keys.
_SERVER_KEYS = (
    ("SERVER_NAME", "localhost"),
    ("SERVER_PORT", "80"),
    ("HTTP_HOST", "localhost"),
    ("SERVER_PROTOCOL", "HTTP/1.1"),
    ("wsgi.version", (1, 0)),
    ("wsgi.url_scheme", "http"),
)


def _wsgi_encoding_dance(text: str) -> str:
    return text.encode().decode("latin1")


def _environ(
    method: str, target: str, headers: list[tuple[str, str]], data: bytes | None
) -> dict[str, Any]:
    """The environ werkzeug's EnvironBuilder makes for this request, built directly.

    A target whose path werkzeug would rewrite (non-ASCII, a fragment, a leading ``//``,
    characters iri_to_uri quotes) and header values werkzeug refuses go through
    EnvironBuilder itself, so every request gets exactly the environ it gave.
    """
    path, _, query = target.partition("?")
    if (
        not path.startswith("/")
        or path.startswith("//")
        or not _PLAIN_PATH.issuperset(path)
        or not all(
            isinstance(value, str) and "\n" not in value and "\r" not in value
            for _, value in headers
        )
    ):
        environ = EnvironBuilder(
            path=path, query_string=query, method=method, headers=headers, data=data
        ).get_environ()
        environ["REQUEST_URI"] = target
        return environ
    raw_path = path if "%" not in path else _wsgi_encoding_dance(unquote(path))
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": raw_path,
        "QUERY_STRING": _wsgi_encoding_dance(query),
        "REQUEST_URI": target,
        "RAW_URI": path,
        **dict(_SERVER_KEYS),
        "wsgi.input": io.BytesIO(data) if data else io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    content_type = None
    combined: dict[str, list[str]] = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered == "content-type":
            if content_type is None:
                content_type = value
            continue
        if lowered == "content-length":
            continue
        combined.setdefault(f"HTTP_{name.upper().replace('-', '_')}", []).append(value)
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    if data:
        environ["CONTENT_LENGTH"] = str(len(data))
    for key, values in combined.items():
        environ[key] = values[0] if len(values) == 1 else ", ".join(values)
    return environ


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
    environ = _environ(method, target, list(request_headers.items()), data)
    answer: list[Any] = []

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Any:
        if exc_info:
            try:
                raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        answer[:] = (status, response_headers)
        return _discard

    started = time.time()
    try:
        chunks: Iterable[bytes] = app(environ, start_response)
        try:
            payload = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
    except OSError as error:  # a fault dropped the connection or sent garbage
        raise ConnectionError(str(error), errors=(error,)) from error
    status, response_headers = answer
    meta = ApiResponseMeta(
        node=node.config,
        duration=time.time() - started,
        http_version="1.1",
        status=int(status.split(" ", 1)[0]),
        headers=HttpHeaders(response_headers),
    )
    return NodeApiResponse(meta, payload)


def _discard(data: bytes) -> None:
    """The ``write`` callable: the app never writes, and a buffered run drops what it would."""


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
