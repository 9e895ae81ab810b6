"""Elasticsearch's REST layer: every check a request meets before and around its handler.

The steps run in the order of ``AbstractHttpServerTransport.handleIncomingRequest``,
``RestRequest``'s constructor, ``RestController.dispatchRequest``,
``BaseRestHandler.handleRequest`` and ``TransportAction.execute``, so that a
request with several faults gets the error Elasticsearch reports first:

1. authentication (security on), 2. Accept / Content-Type media types,
3. query string, 4. ``pretty`` and ``human``, 5. ``error_trace``, 6. routing
(400 unknown URI, 405 wrong method, OPTIONS), 7. Content-Type of a body (406),
8. the handler reads the request, 9. unread parameters, 10. an unread body,
11. the request's own validation, 12. authorization (403), 13. the action.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Response

from fake_es import messages
from fake_es.rest.body import JSON as JSON_XCONTENT
from fake_es.rest.cbor_xcontent import dump_cbor
from fake_es.rest.errors import EsError, HeaderValues, SimpleError
from fake_es.rest.filter_path import apply_filter_path
from fake_es.rest.media_types import RequestMediaTypes, read_media_types, xcontent_name
from fake_es.rest.params import RESPONSE_PARAMS, param_as_boolean, unrecognized_params_message
from fake_es.rest.parse_errors import as_released
from fake_es.rest.paths import decode_component, decode_query_string, split_raw_path
from fake_es.rest.response_check import ResponseChecker
from fake_es.rest.routing import (
    ListedResponse,
    RestRequest,
    RestResponse,
    Route,
    StreamedResponse,
)
from fake_es.rest.wsgi import Incoming, Reply, answer, as_response
from fake_es.rest.xcontent import dump_json, dump_json_chunks
from fake_es.rest.yaml_xcontent import dump_yaml
from fake_es.security.realm import SecurityRealm, Subject
from fake_es.state import FakeState
from fake_es.versions import VersionProfile

PRODUCT_HEADER = ("X-elastic-product", "Elasticsearch")
# Task.X_OPAQUE_ID_HTTP_HEADER, echoed on every answer by DefaultRestChannel.sendResponse.
OPAQUE_ID_HEADER = "X-Opaque-Id"
JSON = "application/json"
# RestRequest.Method, in EnumSet order (how the fake lists allowed methods).
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT")
# ``?format`` values naming SMILE: no well-kept Python library writes SMILE faithfully.
_SMILE_FORMATS = frozenset({"smile", "vnd_smile"})


class _SegmentConverter(BaseConverter):
    """One raw path segment, possibly empty, as Elasticsearch's path trie matches it."""

    regex = "[^/]*"


_WHOLE_SEGMENT = re.compile(r"<segment:\w+>")
# How many path shapes a router remembers (a path's shape: its segments, each kept when
# some route names it and replaced by a placeholder otherwise).
_SHAPES_KEPT = 4096
_Match = tuple["Route | None", Mapping[str, Any]]
_NO_ROUTE: _Match = (None, {})
# How many combinations of Accept and Content-Type a controller remembers the reading of.
_MEDIA_TYPES_KEPT = 256
# Header values longer than this together are read each time, not remembered: keys stay small.
_MEDIA_TYPE_KEY_LENGTH = 256


class _Router:
    """werkzeug's routing of the raw path, remembered per shape of path.

    When every route segment is a literal or one whole ``<segment:...>`` (matching any
    segment), werkzeug's state machine only asks of a segment whether it equals a literal
    of some route: a segment no route names matches exactly where a placeholder does. So
    the path is matched with each such segment replaced by a placeholder naming its
    position, once per shape; the parameters are then read back from the path's own
    segments. The routes never change, so neither does a remembered match.
    """

    def __init__(self, url_map: Map, routes: list[Route]) -> None:
        self._adapter = url_map.bind("localhost")
        segments = [segment for route in routes for segment in route.path.split("/")]
        self._by_shape: bool = all(
            "<" not in segment or _WHOLE_SEGMENT.fullmatch(segment) for segment in segments
        )
        self._literals = frozenset(segment for segment in segments if "<" not in segment)
        self._shapes: dict[str, _Match] = {}

    def match(self, raw_path: str) -> tuple[Route, dict[str, str]]:
        """The route and raw path parameters; NotFound when no route takes the path."""
        if not self._by_shape:
            route, params = self._adapter.match(raw_path, method="GET")
            return route, dict(params)
        # MapAdapter.match reads the path with one leading slash.
        segments = f"/{raw_path.lstrip('/')}".split("/")
        literals = self._literals
        shape = "/".join(
            segment if not segment or segment in literals else f"\x00{position}"
            for position, segment in enumerate(segments)
        )
        found: _Match | None = self._shapes.get(shape)
        if found is None:
            try:
                found = self._adapter.match(shape, method="GET")
            except (NotFound, MethodNotAllowed):
                found = _NO_ROUTE
            if len(self._shapes) < _SHAPES_KEPT:
                self._shapes[shape] = found
        route, params = found
        if route is None:
            raise NotFound()
        return route, {
            name: segments[int(value[1:])] if value.startswith("\x00") else value
            for name, value in params.items()
        }


@dataclass(slots=True)
class _Channel:
    """How answers to one request are written (AbstractRestChannel's parameters); built
    once per request and never changed."""

    media: RequestMediaTypes | None = None
    # ``?format``, which picks the answer's type before Accept and Content-Type do.
    format: str | None = None
    pretty: bool = False
    filter_path: str | None = None
    error_trace: bool = False
    opaque_id: str | None = None


def _error_trace(params: Mapping[str, str]) -> bool:
    """RestController.validateErrorTrace, which answers a bad value with a plain message."""
    try:
        return param_as_boolean(params, "error_trace")
    except EsError as error:
        raise SimpleError(400, error.reason) from None


class RestController:
    """Routes requests to API handlers through Elasticsearch's REST-layer checks."""

    def __init__(
        self,
        routes: list[Route],
        state: FakeState,
        profile: VersionProfile,
        security: SecurityRealm | None,
        checker: ResponseChecker | None,
    ) -> None:
        self._url_map = Map(
            [Rule(route.path, endpoint=route) for route in routes],
            converters={"segment": _SegmentConverter},
            strict_slashes=False,
            merge_slashes=False,
        )
        self._router = _Router(self._url_map, routes)
        # Each route's methods in EnumSet order, for Allow headers and 405s.
        self._allowed = {
            route: tuple(name for name in HTTP_METHODS if name in route.endpoints)
            for route in routes
        }
        self._read_media: dict[tuple[str | None, str | None, bool], RequestMediaTypes] = {}
        self._state = state
        self._profile = profile
        self._security = security
        self._checker = checker

    def handle(self, request: Incoming, uri: str, content: bytes, *, secured: bool) -> Reply:
        """AbstractHttpServerTransport.handleIncomingRequest: the first failure wins.

        A failure to authenticate (found before the request is built), to read the media
        types or the query string, or to build the channel is answered as a bad request
        through the channel built from what could be read, so a 401 honours ``pretty``.
        """
        failure: EsError | SimpleError | None = None
        subject = None
        # SecurityRestFilter: OPTIONS requests are never authenticated.
        if secured and request.method.upper() != "OPTIONS":
            try:
                subject = self._authenticate(request, uri)
            except EsError as error:
                failure = error
        opaque_id = request.header(OPAQUE_ID_HEADER)
        media = None
        params: dict[str, str] = {}
        try:
            media = self._media_types(
                request.header("Accept"), request.header("Content-Type"), bool(content)
            )
        except EsError as error:
            # The request is rebuilt without the media types; its parameters still count.
            failure = failure or error
        try:
            params = self._query_params(uri)
        except EsError as error:
            failure = failure or error
        channel = _Channel(media, opaque_id=opaque_id)
        try:
            # The channel reads these as it is built; a bad value gets a plain channel.
            pretty = param_as_boolean(params, "pretty")
            param_as_boolean(params, "human")
            format_param = params.get("format")
            filter_path = params.get("filter_path")
            channel = _Channel(media, format_param, pretty, filter_path, False, opaque_id)
            if failure is not None:
                raise failure
            error_trace = _error_trace(params)
            if error_trace:
                channel = _Channel(media, format_param, pretty, filter_path, True, opaque_id)
            return self._dispatch(request, uri, content, params, subject, channel)
        except (EsError, SimpleError) as error:
            return self._render_error(failure or error, channel)

    def _media_types(
        self, accept: str | None, content_type: str | None, has_content: bool
    ) -> RequestMediaTypes:
        """``read_media_types``, remembered for the header values seen (most clients send
        the same few): the answer depends on nothing else, and a failure is not kept."""
        key = (accept, content_type, has_content)
        media = self._read_media.get(key)
        if media is None:
            media = read_media_types(self._profile, accept, content_type, has_content)
            short = len(accept or "") + len(content_type or "") <= _MEDIA_TYPE_KEY_LENGTH
            if short and len(self._read_media) < _MEDIA_TYPES_KEPT:
                self._read_media[key] = media
        return media

    def _authenticate(self, request: Incoming, uri: str) -> Subject | None:
        if self._security is None:
            return None
        return self._security.authenticate(request.header("Authorization"), uri)

    def _query_params(self, uri: str) -> dict[str, str]:
        query = uri.split("?", 1)[1] if "?" in uri else ""
        try:
            return decode_query_string(query)
        except ValueError as error:
            raise EsError(
                400,
                "bad_parameter_exception",
                f"java.lang.IllegalArgumentException: {error}",
                caused_by=messages.illegal_argument(str(error)),
            ) from None

    def _dispatch(
        self,
        request: Incoming,
        uri: str,
        content: bytes,
        params: dict[str, str],
        subject: Subject | None,
        channel: _Channel,
    ) -> Reply:
        raw_path = uri.split("?", 1)[0]
        method = request.method.upper()
        try:
            route, raw_params = self._router.match(split_raw_path(raw_path))
        except (NotFound, MethodNotAllowed):
            if method == "OPTIONS":
                return _options_response((), channel.opaque_id)
            raise messages.no_handler_found(uri, method) from None
        allowed = self._allowed[route]
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
            return _options_response(allowed, channel.opaque_id)
        endpoint = route.endpoints.get(method)
        if endpoint is None:
            raise messages.incorrect_http_method(uri, method, allowed)
        if content:
            _check_content_type(request, channel.media)
        _check_format(params.get("format"))

        rest_request = RestRequest(
            method=method,
            path=decode_component(raw_path, plus_as_space=False),
            uri=uri,
            params={**params, **path_params},
            content=content,
            state=self._state,
            profile=self._profile,
            xcontent=_body_xcontent(channel.media),
        )
        rest_request.consumed_params.update(RESPONSE_PARAMS)
        try:
            action = endpoint.handler(rest_request)
        except EsError as error:
            raise as_released(self._profile, error) from None
        unread = set(rest_request.params) - rest_request.consumed_params
        if unread:
            message = unrecognized_params_message(
                rest_request.path, unread, rest_request.consumed_params
            )
            raise messages.illegal_argument(message)
        if content and not rest_request.content_consumed:
            raise messages.illegal_argument(
                f"request [{method} {rest_request.path}] does not support having a body"
            )
        try:
            action.validate()
            if subject is not None and self._security is not None:
                self._security.authorize(subject, endpoint.action, self._profile)
            try:
                result = action.run()
            except EsError as error:
                raise as_released(self._profile, error) from None
        except EsError as error:
            if action.on_failure is None:
                raise
            # The transport action's failure reaches the action listener, which answers it.
            result = action.on_failure(error, channel.error_trace and error.status != 401)
        if isinstance(result, StreamedResponse):
            return _render_streamed(result, channel)
        if isinstance(result, ListedResponse):
            return self._render_listed(result, channel, params, f"{method} {uri}")
        return self._render_success(result, channel, params, f"{method} {uri}")

    # --- writing answers ---

    def _render_success(
        self, result: RestResponse, channel: _Channel, params: dict[str, str], where: str
    ) -> Reply:
        if self._checker is not None:
            self._checker.check(result.schema, result.body, where)
        body = result.body
        if channel.filter_path:
            body = apply_filter_path(body, channel.filter_path)
        pretty = channel.pretty or (result.default_pretty and "pretty" not in params)
        return _render(result.status, body, channel, pretty, result.headers)

    def _render_listed(
        self, result: ListedResponse, channel: _Channel, params: dict[str, str], where: str
    ) -> Reply:
        """JSON without ``filter_path`` goes out in chunks as its items are made; other
        formats, and filtered answers, are made whole first."""
        content_type = _content_type(channel)
        if channel.filter_path or xcontent_name(content_type) != JSON_XCONTENT:
            return self._render_success(result.materialized(), channel, params, where)
        if self._checker is not None:
            whole = result.materialized()
            self._checker.check(whole.schema, whole.body, where)
        pretty = channel.pretty

        def chunks() -> Iterator[bytes]:
            with result.compact_writer() as compact:
                items = (
                    dump_json(result.to_json(item), pretty=True) if pretty else compact(item)
                    for item in result.items()
                )
                yield from dump_json_chunks(result.key, items, pretty=pretty)

        lines = _head_lines(200, channel, None, content_type)
        return Response(chunks(), status=200, headers=lines, direct_passthrough=True)

    def _render_error(self, error: EsError | SimpleError, channel: _Channel) -> Reply:
        # A 401 never carries a stack trace (RestResponse.skipStackTrace).
        body = error.body(trace=channel.error_trace and error.status != 401)
        if self._checker is not None:
            self._checker.check("error_response.schema.json", body, "error")
        return _render(error.status, body, channel, channel.pretty, error.headers)


def _render(
    status: int,
    body: object,
    channel: _Channel,
    pretty: bool,
    headers: Mapping[str, HeaderValues] | None = None,
) -> Reply:
    content_type = _content_type(channel)
    lines = _head_lines(status, channel, headers, content_type)
    return answer(_write(body, content_type, pretty), status, lines)


def _content_type(channel: _Channel) -> str:
    media = channel.media or RequestMediaTypes(None, None, 0)
    return media.response_content_type(channel.format)


def _head_lines(
    status: int,
    channel: _Channel,
    headers: Mapping[str, HeaderValues] | None,
    content_type: str,
) -> list[tuple[str, str]]:
    """DefaultRestChannel.sendResponse: X-Opaque-Id, the response's own headers (Allow,
    WWW-Authenticate), the thread context's, then Content-Type."""
    lines = _opaque_id_line(channel.opaque_id)
    for name, value in (headers or {}).items():
        lines += [(name, line) for line in ([value] if isinstance(value, str) else value)]
    # RestResponse.filterHeaders: no product header on 401 and 403.
    if status not in (401, 403):
        lines.append(PRODUCT_HEADER)
    lines.append(("Content-Type", content_type))
    return lines


def _render_streamed(result: StreamedResponse, channel: _Channel) -> Response:
    """DefaultRestChannel.sendResponse of a chunked response: no length, the body part's
    own content type; each chunk goes out as it is encoded."""
    lines = _opaque_id_line(channel.opaque_id)
    if result.status not in (401, 403):
        lines.append(PRODUCT_HEADER)
    lines.append(("Content-Type", result.content_type))
    # An iterator, never a list: werkzeug would give a list a Content-Length.
    chunks = iter(result.chunks)
    return Response(chunks, status=result.status, headers=lines, direct_passthrough=True)


def _write(body: object, content_type: str, pretty: bool) -> bytes:
    """The XContentBuilder of the answer's type; YAML and CBOR ignore ``pretty``
    (YamlXContentGenerator, CborXContentGenerator)."""
    kind = xcontent_name(content_type)
    if kind == "yaml":
        return dump_yaml(body)
    if kind == "cbor":
        return dump_cbor(body)
    return dump_json(body, pretty=pretty)


def _body_xcontent(media: RequestMediaTypes | None) -> str:
    parsed = media.content_type if media else None
    if parsed is None or parsed.xcontent is None:
        return JSON_XCONTENT
    return xcontent_name(parsed.xcontent)


def _opaque_id_line(opaque_id: str | None) -> list[tuple[str, str]]:
    return [] if opaque_id is None else [(OPAQUE_ID_HEADER, opaque_id)]


def render_plain_error(error: EsError) -> Response:
    """An error written before any request parameter was read (faults, crashes)."""
    return as_response(
        _render(error.status, error.body(), _Channel(), pretty=False, headers=error.headers)
    )


def _check_content_type(request: Incoming, media: RequestMediaTypes | None) -> None:
    """RestController.dispatchRequest: only a request with a body has its type checked."""
    raw = request.header("Content-Type")
    if raw is None:
        raise messages.content_type_missing()
    parsed = media.content_type if media else None
    if parsed is None or parsed.is_disallowed or parsed.xcontent is None:
        raise messages.content_type_not_supported(raw)
    if xcontent_name(parsed.xcontent) == "smile":
        raise messages.content_type_not_read_by_fake(raw)


def _check_format(value: str | None) -> None:
    if value is not None and value.lower() in _SMILE_FORMATS:
        raise messages.format_not_written_by_fake(value)


def _options_response(allowed: list[str] | tuple[str, ...], opaque_id: str | None) -> Response:
    # RestController.handleOptions: an empty text answer whose Allow header is its own.
    lines = _opaque_id_line(opaque_id)
    listed = [name for name in allowed if name != "OPTIONS"]
    if listed:
        lines.append(("Allow", ",".join(listed)))
    lines += [PRODUCT_HEADER, ("Content-Type", "text/plain; charset=UTF-8")]
    return Response(b"", status=200, headers=lines)
