"""Routes, requests and responses as the handlers of every API family see them.

A handler works in two steps, as Elasticsearch's ``BaseRestHandler`` does:
``prepare`` reads the request (path and query parameters, the body) and may
reject it; the REST layer then refuses unread parameters and an unread body;
only then does the returned action run against the state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from fake_es import messages
from fake_es.rest.body import JSON, BodyTokens, content_tokens
from fake_es.rest.errors import EsError, HeaderValues
from fake_es.rest.params import param_as_boolean
from fake_es.state import FakeState
from fake_es.versions import VersionProfile


@dataclass
class RestRequest:
    """One request after the REST layer has checked its headers and found its route."""

    method: str
    path: str
    uri: str
    params: dict[str, str]
    content: bytes
    state: FakeState
    profile: VersionProfile
    consumed_params: set[str] = field(default_factory=set)
    content_consumed: bool = False
    # The body's XContentType, from its Content-Type: "json", "yaml" or "cbor".
    xcontent: str = JSON

    def param(self, name: str, default: str | None = None) -> str | None:
        """A path or query parameter, marked as read."""
        self.consumed_params.add(name)
        return self.params.get(name, default)

    def param_as_boolean(self, name: str) -> bool:
        """``RestRequest.paramAsBoolean(name, false)``, marked as read."""
        self.consumed_params.add(name)
        return param_as_boolean(self.params, name)

    def path_param(self, name: str) -> str:
        self.consumed_params.add(name)
        return self.params[name]

    def required_content(self) -> bytes:
        """``RestRequest.requiredContent()``."""
        if not self.content:
            raise messages.request_body_required()
        self.content_consumed = True
        return self.content

    def content_parser(self) -> BodyTokens:
        """``RestRequest.contentParser()``: the required body, read by its own type's parser."""
        return content_tokens(self.required_content(), self.xcontent)


@dataclass(frozen=True)
class RestResponse:
    """A JSON answer, and the schema (by ``$id``) its body must satisfy."""

    status: int
    body: Any
    schema: str | None = None
    headers: Mapping[str, HeaderValues] = field(default_factory=dict)
    # Pretty-print when the request has no ``pretty`` parameter at all.
    default_pretty: bool = False


@dataclass(frozen=True)
class StreamedResponse:
    """An answer sent in chunks (``RestResponse.chunked``), each written as soon as it is made."""

    status: int
    content_type: str
    chunks: Iterable[bytes]


# Writes items as compact JSON for the time a context lasts: readers at the same time
# may share one writer, so that each item is written once however many read it.
CompactWriter = Callable[[], AbstractContextManager[Callable[[Any], bytes]]]


@dataclass(frozen=True)
class ListedResponse:
    """A 200 answer ``{key: [items]}`` whose items are written one batch at a time as the
    client reads them (a ``ChunkedRestResponseBody``), so that a long list is never held
    whole: a client that reads slowly, or never, pins no rendered copy of it."""

    key: str
    items: Callable[[], Iterable[Any]]  # each call goes over them from the start
    schema: str
    to_json: Callable[[Any], Any]
    compact_writer: CompactWriter

    def materialized(self) -> RestResponse:
        return RestResponse(
            200, {self.key: [self.to_json(item) for item in self.items()]}, self.schema
        )


def _valid() -> None:
    return None


@dataclass(frozen=True)
class Action:
    """What a prepared request does: ``validate`` (ActionRequest.validate, checked after the
    REST layer's checks and before authorization), then ``run`` against the state.

    ``on_failure`` is the action listener's answer to a failure of the transport action
    (validation, authorization, the action itself); without one, the REST layer's error.
    """

    run: Callable[[], RestResponse | StreamedResponse | ListedResponse]
    validate: Callable[[], None] = _valid
    on_failure: Callable[[EsError, bool], StreamedResponse] | None = None


Handler = Callable[[RestRequest], Action]


@dataclass(frozen=True)
class Endpoint:
    """A handler, and the transport action security authorizes before its action runs."""

    handler: Handler
    action: str


@dataclass(frozen=True, eq=False)  # hashed by identity: werkzeug keys rules by endpoint
class Route:
    """A path template (werkzeug rule syntax) and its endpoint per HTTP method."""

    path: str
    endpoints: Mapping[str, Endpoint]
