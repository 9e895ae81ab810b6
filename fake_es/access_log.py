"""The request log: one line per request, with when, how long, the status and the error.

The app writes it (logger ``fake_es.requests``, at INFO), so that requests whose
connection a fault drops are logged too. The dev server turns it on; nothing is
formatted when no one listens.
"""

from __future__ import annotations

import json
import logging
import time
from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

requests_log = logging.getLogger("fake_es.requests")

# C0 and C1 control characters and the backslash, escaped as CPython's own
# BaseHTTPRequestHandler.log_message does, so that a request cannot drive the terminal.
_CONTROLS = str.maketrans(
    {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]} | {0x5C: "\\\\"}
)


def escape_controls(text: str) -> str:
    """``text`` with control characters as ``\\xNN`` and backslashes doubled."""
    return text.translate(_CONTROLS)


def started() -> float | None:
    """When a request started, if the log is on; None spares every later step."""
    return time.perf_counter() if requests_log.isEnabledFor(logging.INFO) else None


def log_answer(environ: WSGIEnvironment, since: float, response: Response) -> None:
    """``ADDRESS "REQUEST LINE" STATUS SIZE DURATION [ERROR TYPE]``."""
    size = "-" if response.is_streamed else str(response.content_length or 0)
    line = f"{response.status_code} {size} {_duration(since)}"
    kind = _error_type(response)
    requests_log.info("%s %s", _request(environ), f"{line} {kind}" if kind else line)


def log_dropped(environ: WSGIEnvironment, since: float, why: str) -> None:
    """A request that got no answer: its connection was closed."""
    requests_log.info("%s dropped - %s (%s)", _request(environ), _duration(since), why)


def _request(environ: WSGIEnvironment) -> str:
    uri = environ.get("REQUEST_URI") or environ.get("PATH_INFO", "")
    line = f"{environ['REQUEST_METHOD']} {uri} {environ.get('SERVER_PROTOCOL', 'HTTP/1.1')}"
    return f'{environ.get("REMOTE_ADDR", "-")} "{escape_controls(line)}"'


def _duration(since: float) -> str:
    return f"{(time.perf_counter() - since) * 1000:.1f}ms"


def _error_type(response: Response) -> str | None:
    """``error.type`` of an error answer's body, when it has one."""
    if (
        response.status_code < 400
        or response.is_streamed
        or response.mimetype != "application/json"
    ):
        return None
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    kind = error.get("type") if isinstance(error, dict) else None
    return escape_controls(kind) if isinstance(kind, str) else None
