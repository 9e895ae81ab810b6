"""The WSGI application: Elasticsearch's REST layer in front of the API families.

One ``FakeElasticsearch`` serves one ``FakeState``. Tests, the dev server and
the pytest plugin all build it with ``create_app``. The order of the checks
below is the order of Elasticsearch's own (``AbstractHttpServerTransport``,
``RestRequest``, ``RestController``, ``BaseRestHandler``), so a request with
several faults gets the error Elasticsearch reports first.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import logging
import socket
import time
import zlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Request, Response

from fake_es import messages
from fake_es.cluster import info_routes
from fake_es.control.faults import ConnectionDropped, Fault
from fake_es.control.journal import JournalEntry, redact_headers
from fake_es.control.routes import CONTROL_PREFIX, control_routes
from fake_es.inference.routes import inference_routes
from fake_es.profiles import DEFAULT_VERSION, VersionProfile, get_profile
from fake_es.rest.errors import EsError, SimpleError
from fake_es.rest.media_types import RequestMediaTypes, read_media_types
from fake_es.rest.params import RESPONSE_PARAMS, unrecognized_params_message
from fake_es.rest.paths import decode_component, decode_query_string, split_raw_path
from fake_es.rest.response_check import ResponseChecker
from fake_es.rest.routing import RestRequest, Route
from fake_es.rest.xcontent import dump_json
from fake_es.state import Crash, FakeState

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger("fake_es")

PRODUCT_HEADER = ("X-elastic-product", "Elasticsearch")
# http.max_content_length's default; Netty refuses more before Elasticsearch sees it.
MAX_CONTENT_LENGTH = 100 * 1024 * 1024
# RestRequest.Method, in EnumSet order (how the fake lists allowed methods).
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT")


class _SegmentConverter(BaseConverter):
    """One raw path segment, possibly empty, as Elasticsearch's path trie matches it."""

    regex = "[^/]*"


class FakeElasticsearch:
    """A WSGI app that answers like an Elasticsearch node of one version."""

    def __init__(
        self,
        state: FakeState | None = None,
        *,
        version: str = DEFAULT_VERSION,
        check_responses: bool = False,
    ) -> None:
        self.state = state if state is not None else FakeState()
        self.profile: VersionProfile = get_profile(version)
        self.routes: list[Route] = [*info_routes(), *inference_routes(), *control_routes()]
        self._url_map = Map(
            [Rule(route.path, endpoint=route) for route in self.routes],
            converters={"segment": _SegmentConverter},
            strict_slashes=False,
            merge_slashes=False,
        )
        self._checker = ResponseChecker() if check_responses else None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        uri = environ.get("REQUEST_URI") or request.full_path.rstrip("?")
        journaled = not request.path.startswith(CONTROL_PREFIX)
        fault = self.state.faults.take(request.method, request.path) if journaled else None
        content = b""
        try:
            content = _read_body(request)
            response = self._respond_with_fault(fault, request, uri, content)
        except ConnectionDropped:
            if journaled:
                self._journal(request, content, None, fault)
            _close_connection(environ)
            raise
        except Exception as error:  # a bug in the fake: make it loud
            response = self._crash(request, uri, error)
        if request.method == "HEAD":
            # DefaultRestChannel: no body, but the length of the body a GET would have.
            length = len(response.get_data())
            response.set_data(b"")
            response.headers["content-length"] = str(length)
        if journaled:
            self._journal(request, content, response, fault)
        return response(environ, start_response)

    def respond_to(self, request: Request) -> Response:
        """Answer a werkzeug request that another server (pytest-httpserver) already read."""
        data = request.get_data()
        environ = {**request.environ, "wsgi.input": io.BytesIO(data)}
        environ["CONTENT_LENGTH"] = str(len(data))
        return Response.from_app(self, environ, buffered=True)

    def _respond_with_fault(
        self, fault: Fault | None, request: Request, uri: str, content: bytes
    ) -> Response:
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop_connection:
                raise ConnectionDropped(f"fake-es dropped the connection: {fault.describe()}")
            error = fault.error()
            if error is not None:
                return self._render(error.status, error.body(), None, pretty=False)
        return self._respond(request, uri, content)

    def _journal(
        self, request: Request, content: bytes, response: Response | None, fault: Fault | None
    ) -> None:
        self.state.journal.record(
            JournalEntry(
                method=request.method,
                path=request.path,
                query=dict(request.args.items()),
                headers=redact_headers(dict(request.headers.items())),
                body=content,
                status=response.status_code if response is not None else None,
                response_body=response.get_data() if response is not None else b"",
                fault=fault.describe() if fault is not None else None,
            )
        )

    # --- the steps of a request, in Elasticsearch's order ---

    def _respond(self, request: Request, uri: str, content: bytes) -> Response:
        if len(content) > MAX_CONTENT_LENGTH:
            # Netty's HttpObjectAggregator: 413, empty, before Elasticsearch sees the request.
            return Response(b"", status=413, headers={"content-length": "0"})
        try:
            media = read_media_types(
                self.profile,
                request.headers.get("Accept"),
                request.headers.get("Content-Type"),
                has_content=bool(content),
            )
        except EsError as error:
            return self._render_error(error, None, pretty=False)
        query = _raw_query(uri)
        try:
            params = decode_query_string(query)
        except ValueError as error:
            return self._render_error(_bad_parameter(str(error)), media, pretty=False)
        pretty = _is_pretty(params)
        try:
            return self._dispatch(request, uri, content, media, params, pretty)
        except (EsError, SimpleError) as error:
            return self._render_error(error, media, pretty)

    def _dispatch(
        self,
        request: Request,
        uri: str,
        content: bytes,
        media: RequestMediaTypes,
        params: dict[str, str],
        pretty: bool,
    ) -> Response:
        raw_path = uri.split("?", 1)[0]
        method = request.method.upper()
        adapter = self._url_map.bind("localhost")
        try:
            route, raw_params = adapter.match(split_raw_path(raw_path), method="GET")
        except (NotFound, MethodNotAllowed):
            if method == "OPTIONS":
                return _options_response(())
            raise messages.no_handler_found(uri, method) from None
        allowed = [name for name in HTTP_METHODS if name in route.handlers]
        try:
            path_params = {
                name: decode_component(value, plus_as_space=False)
                for name, value in raw_params.items()
            }
        except ValueError as error:
            raise messages.method_not_allowed_with(str(error), allowed) from None
        if method not in HTTP_METHODS:
            raise messages.method_not_allowed_with(f"Unexpected http method: {method}", allowed)
        if method == "OPTIONS":
            return _options_response(allowed)
        handler = route.handlers.get(method)
        if handler is None:
            raise messages.incorrect_http_method(uri, method, allowed)
        if content:
            _check_content_type(request, media)

        rest_request = RestRequest(
            method=method,
            path=decode_component(raw_path, plus_as_space=False),
            uri=uri,
            params={**params, **path_params},
            content=content,
            state=self.state,
            profile=self.profile,
        )
        rest_request.consumed_params.update(RESPONSE_PARAMS)
        action = handler(rest_request)
        unread = set(rest_request.params) - rest_request.consumed_params
        if unread:
            candidates = rest_request.consumed_params
            raise messages.illegal_argument(
                unrecognized_params_message(rest_request.path, unread, candidates)
            )
        if content and not rest_request.content_consumed:
            raise messages.illegal_argument(
                f"request [{method} {rest_request.path}] does not support having a body"
            )
        result = action()
        if self._checker is not None:
            self._checker.check(result.schema, result.body, f"{method} {uri}")
        if result.default_pretty and "pretty" not in params:
            pretty = True
        return self._render(result.status, result.body, media, pretty, result.headers)

    # --- rendering ---

    @staticmethod
    def _render(
        status: int,
        body: object,
        media: RequestMediaTypes | None,
        pretty: bool,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        content_type = media.response_content_type() if media else "application/json"
        response = Response(
            dump_json(body, pretty=pretty), status=status, content_type=content_type
        )
        # Custom headers (Allow, WWW-Authenticate) come before the thread context's.
        for name, value in (headers or {}).items():
            response.headers.set(name, value)
        response.headers.set(*PRODUCT_HEADER)
        return response

    def _render_error(
        self, error: EsError | SimpleError, media: RequestMediaTypes | None, pretty: bool
    ) -> Response:
        body = error.body()
        if self._checker is not None:
            self._checker.check("error_response.schema.json", body, "error")
        return self._render(error.status, body, media, pretty, error.headers)

    def _crash(self, request: Request, uri: str, error: Exception) -> Response:
        crash = Crash(request.method, uri, error)
        self.state.crashes.record(crash)
        log.error("%s", crash.formatted())
        failure = EsError(
            500,
            "fake_es_internal_error",
            f"fake-es crashed: {type(error).__name__}: {error}",
            elasticsearch_exception=False,
        )
        return self._render(500, failure.body(), None, False)


def create_app(
    state: FakeState | None = None, *, version: str = DEFAULT_VERSION, check_responses: bool = False
) -> FakeElasticsearch:
    """The fake as a WSGI app; pass a ``FakeState`` to share state with other apps."""
    return FakeElasticsearch(state, version=version, check_responses=check_responses)


def _read_body(request: Request) -> bytes:
    """The body as Netty's HttpContentDecompressor passes it on."""
    raw = request.get_data(cache=False)
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(raw)
        if encoding in ("deflate", "x-deflate"):
            return zlib.decompress(raw)
    except (OSError, EOFError, zlib.error) as error:
        # A decoder failure reaches Netty's exceptionCaught, which closes the channel.
        raise ConnectionDropped(f"undecodable {encoding} body: {error}") from error
    return raw


def _close_connection(environ: WSGIEnvironment) -> None:
    """Shut the client's socket so that it sees the connection end with no answer."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _raw_query(uri: str) -> str:
    return uri.split("?", 1)[1] if "?" in uri else ""


def _is_pretty(params: dict[str, str]) -> bool:
    value = params.get("pretty")
    return value is not None and value in ("", "true")


def _bad_parameter(message: str) -> EsError:
    return EsError(
        400,
        "bad_parameter_exception",
        f"java.lang.IllegalArgumentException: {message}",
        caused_by=messages.illegal_argument(message),
    )


def _check_content_type(request: Request, media: RequestMediaTypes) -> None:
    """RestController.dispatchRequest: only a request with a body has its type checked."""
    raw = request.headers.get("Content-Type")
    if raw is None:
        raise messages.content_type_missing()
    parsed = media.content_type
    if parsed is None or parsed.is_disallowed or not parsed.is_xcontent:
        raise messages.content_type_not_supported(raw)
    if not parsed.is_json:
        raise messages.content_type_not_read_by_fake(raw)


def _options_response(allowed: Iterable[str]) -> Response:
    response = Response(b"", status=200, content_type="text/plain; charset=UTF-8")
    response.headers.set(*PRODUCT_HEADER)
    allowed = [name for name in allowed if name != "OPTIONS"]
    if allowed:
        response.headers["Allow"] = ",".join(allowed)
    return response
