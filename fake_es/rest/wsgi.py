"""A request and a whole answer as werkzeug's Request and Response see them, made cheaply.

Every request reads a few things from its environ (method, path, a few headers) and
most answers are one JSON body with a handful of headers. Building werkzeug's objects
for that costs more than the rest of a request; these two classes read and write
exactly what werkzeug's would, and anything unusual is still handed to werkzeug.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Response
from werkzeug.wsgi import LimitedStream, get_input_stream

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

# The headers werkzeug's EnvironHeaders reads from CGI keys rather than HTTP_ ones.
_CGI_HEADERS = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH"})
_SHADOWED = frozenset({"HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"})
# Headers werkzeug's Response rewrites or adds on its way out.
_REWRITTEN = frozenset({"content-length", "location", "content-location"})


def _decoding_dance(text: str) -> str:
    """werkzeug's ``_wsgi_decoding_dance``: WSGI's latin-1 text back to UTF-8."""
    return text if text.isascii() else text.encode("latin1").decode(errors="replace")


class Incoming:
    """The request as werkzeug's ``Request(environ)`` would read it: ``method`` upper-cased,
    ``path`` decoded with one leading slash, headers by name, the query, the body stream."""

    __slots__ = ("environ", "method", "path")

    def __init__(self, environ: WSGIEnvironment) -> None:
        self.environ = environ
        self.method: str = environ.get("REQUEST_METHOD", "GET").upper()
        self.path = "/" + _decoding_dance(environ.get("PATH_INFO") or "").lstrip("/")

    def header(self, name: str) -> str | None:
        """``EnvironHeaders.get(name)``."""
        key = name.upper().replace("-", "_")
        return self.environ.get(key if key in _CGI_HEADERS else f"HTTP_{key}")

    def header_items(self) -> list[tuple[str, str]]:
        """``EnvironHeaders.items()``, in the environ's order."""
        items = []
        for key, value in self.environ.items():
            if key.startswith("HTTP_"):
                if key not in _SHADOWED:
                    items.append((key[5:].replace("_", "-").title(), value))
            elif key in _CGI_HEADERS and value:
                items.append((key.replace("_", "-").title(), value))
        return items

    @property
    def query_string(self) -> str:
        """``Request.query_string``, decoded as ``full_path`` and ``args`` decode it."""
        return str(self.environ.get("QUERY_STRING", "").encode("latin1").decode())

    @property
    def full_path(self) -> str:
        return f"{self.path}?{self.query_string}"

    def first_args(self) -> dict[str, str]:
        """``dict(Request.args.items())``: each query parameter's first value."""
        query = self.query_string
        if not query:
            return {}
        args: dict[str, str] = {}
        for name, value in parse_qsl(query, keep_blank_values=True, errors="werkzeug.url_quote"):
            args.setdefault(name, value)
        return args

    def read(self, size: int) -> bytes:
        """``Request.stream.read(size)``: the body, or nothing when no length bounds it.

        werkzeug's bounded stream reads into a buffer of the size asked for; asking for
        no more than the declared length reads exactly the same bytes.
        """
        environ = self.environ
        if "wsgi.input_terminated" not in environ and environ.get("CONTENT_LENGTH") is None:
            return b""
        stream = get_input_stream(environ, max_content_length=None)
        if isinstance(stream, LimitedStream) and 0 < stream.limit < size:
            size = stream.limit
        return stream.read(size)


def _status_line(status: int) -> str:
    """``Response.status`` for a status code."""
    try:
        return f"{status} {HTTP_STATUS_CODES[status].upper()}"
    except KeyError:
        return f"{status} UNKNOWN"


class Answer:
    """A whole answer: the status, headers and body ``Response(body, status, headers)``
    would send, sent without building one. ``to_response()`` builds it."""

    __slots__ = ("_body", "_lines", "status_code")
    is_streamed = False

    def __init__(self, body: bytes, status: int, lines: list[tuple[str, str]]) -> None:
        self.status_code = status
        self._lines = lines
        self._body = body

    def get_data(self) -> bytes:
        return self._body

    def to_response(self) -> Response:
        return Response(self._body, status=self.status_code, headers=self._lines)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == "HEAD":
            return self.to_response()(environ, start_response)
        start_response(
            _status_line(self.status_code),
            [*self._lines, ("Content-Length", str(len(self._body)))],
        )
        return [self._body]


def answer(body: bytes, status: int, lines: list[tuple[str, str]]) -> Answer | Response:
    """What ``Response(body, status=status, headers=lines)`` would send; a werkzeug
    Response itself whenever werkzeug would change or refuse something (a status with no
    body, headers it rewrites, a missing Content-Type, values it checks)."""
    has_type = False
    for name, value in lines:
        lowered = name.lower()
        if lowered in _REWRITTEN or not isinstance(value, str) or "\n" in value or "\r" in value:
            return Response(body, status=status, headers=lines)
        if lowered == "content-type":
            has_type = True
    if not has_type or not 200 <= status <= 599 or status in (204, 304):
        return Response(body, status=status, headers=lines)
    return Answer(body, status, lines)


# What the REST layer answers with.
Reply = Answer | Response


def as_response(reply: Reply) -> Response:
    return reply.to_response() if isinstance(reply, Answer) else reply
