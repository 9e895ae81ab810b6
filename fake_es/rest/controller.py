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

from collections.abc import Mapping
from dataclasses import dataclass, replace

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Request, Response

from fake_es import messages
from fake_es.rest.errors import EsError, HeaderValues, SimpleError
from fake_es.rest.filter_path import apply_filter_path
from fake_es.rest.media_types import RequestMediaTypes, read_media_types
from fake_es.rest.parse_errors import as_released
from fake_es.rest.params import RESPONSE_PARAMS, param_as_boolean, unrecognized_params_message
from fake_es.rest.paths import decode_component, decode_query_string, split_raw_path
from fake_es.rest.response_check import ResponseChecker
from fake_es.rest.routing import RestRequest, RestResponse, Route
from fake_es.rest.xcontent import dump_json
from fake_es.security.realm import SecurityRealm, Subject
from fake_es.state import FakeState
from fake_es.versions import VersionProfile

PRODUCT_HEADER = ("X-elastic-product", "Elasticsearch")
# RestRequest.Method, in EnumSet order (how the fake lists allowed methods).
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT")
# XContent formats ``?format`` may name; the fake writes JSON only.
_OTHER_FORMATS = frozenset({"yaml", "smile", "cbor"})


class _SegmentConverter(BaseConverter):
    """One raw path segment, possibly empty, as Elasticsearch's path trie matches it."""

    regex = "[^/]*"


@dataclass(frozen=True)
class _Channel:
    """How answers to one request are written (AbstractRestChannel's parameters)."""

    media: RequestMediaTypes | None = None
    pretty: bool = False
    filter_path: str | None = None
    error_trace: bool = False


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
        self._state = state
        self._profile = profile
        self._security = security
        self._checker = checker

    def handle(self, request: Request, uri: str, content: bytes, *, secured: bool) -> Response:
        channel = _Channel()
        try:
            subject = self._authenticate(request, uri) if secured else None
            media = read_media_types(
                self._profile,
                request.headers.get("Accept"),
                request.headers.get("Content-Type"),
                has_content=bool(content),
            )
            params = self._query_params(uri)
            channel = _Channel(media)
            # The channel reads these as it is built; a bad value gets a plain channel.
            pretty = param_as_boolean(params, "pretty")
            param_as_boolean(params, "human")
            channel = _Channel(media, pretty, params.get("filter_path"))
            channel = replace(channel, error_trace=_error_trace(params))
            return self._dispatch(request, uri, content, params, subject, channel)
        except (EsError, SimpleError) as error:
            return self._render_error(error, channel)

    def _authenticate(self, request: Request, uri: str) -> Subject | None:
        if self._security is None:
            return None
        return self._security.authenticate(request.headers.get("Authorization"), uri)

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
        request: Request,
        uri: str,
        content: bytes,
        params: dict[str, str],
        subject: Subject | None,
        channel: _Channel,
    ) -> Response:
        raw_path = uri.split("?", 1)[0]
        method = request.method.upper()
        try:
            route, raw_params = self._url_map.bind("localhost").match(
                split_raw_path(raw_path), method="GET"
            )
        except (NotFound, MethodNotAllowed):
            if method == "OPTIONS":
                return _options_response(())
            raise messages.no_handler_found(uri, method) from None
        allowed = [name for name in HTTP_METHODS if name in route.endpoints]
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
        action.validate()
        if subject is not None and self._security is not None and endpoint.action is not None:
            self._security.authorize(subject, endpoint.action)
        try:
            result = action.run()
        except EsError as error:
            raise as_released(self._profile, error) from None
        return self._render_success(result, channel, params, f"{method} {uri}")

    # --- writing answers ---

    def _render_success(
        self, result: RestResponse, channel: _Channel, params: dict[str, str], where: str
    ) -> Response:
        if self._checker is not None:
            self._checker.check(result.schema, result.body, where)
        body = result.body
        if channel.filter_path:
            body = apply_filter_path(body, channel.filter_path)
        pretty = channel.pretty or (result.default_pretty and "pretty" not in params)
        return _render(result.status, body, channel.media, pretty, result.headers)

    def _render_error(self, error: EsError | SimpleError, channel: _Channel) -> Response:
        # A 401 never carries a stack trace (RestResponse.skipStackTrace).
        body = error.body(trace=channel.error_trace and error.status != 401)
        if self._checker is not None:
            self._checker.check("error_response.schema.json", body, "error")
        return _render(error.status, body, channel.media, channel.pretty, error.headers)


def _render(
    status: int,
    body: object,
    media: RequestMediaTypes | None,
    pretty: bool,
    headers: Mapping[str, HeaderValues] | None = None,
) -> Response:
    content_type = media.response_content_type() if media else "application/json"
    response = Response(dump_json(body, pretty=pretty), status=status, content_type=content_type)
    # Custom headers (Allow, WWW-Authenticate) come before the thread context's.
    for name, value in (headers or {}).items():
        for line in [value] if isinstance(value, str) else value:
            response.headers.add(name, line)
    # RestResponse.filterHeaders: no product header on 401 and 403.
    if status not in (401, 403):
        response.headers.set(*PRODUCT_HEADER)
    return response


def render_plain_error(error: EsError) -> Response:
    """An error written before any request parameter was read (faults, crashes)."""
    return _render(error.status, error.body(), None, pretty=False, headers=error.headers)


def _check_content_type(request: Request, media: RequestMediaTypes | None) -> None:
    """RestController.dispatchRequest: only a request with a body has its type checked."""
    raw = request.headers.get("Content-Type")
    if raw is None:
        raise messages.content_type_missing()
    parsed = media.content_type if media else None
    if parsed is None or parsed.is_disallowed or not parsed.is_xcontent:
        raise messages.content_type_not_supported(raw)
    if not parsed.is_json:
        raise messages.content_type_not_read_by_fake(raw)


def _check_format(value: str | None) -> None:
    if value is not None and value.lower() in _OTHER_FORMATS:
        raise messages.format_not_written_by_fake(value)


def _options_response(allowed: list[str] | tuple[str, ...]) -> Response:
    response = Response(b"", status=200, content_type="text/plain; charset=UTF-8")
    response.headers.set(*PRODUCT_HEADER)
    listed = [name for name in allowed if name != "OPTIONS"]
    if listed:
        response.headers["Allow"] = ",".join(listed)
    return response
