"""The app on a real socket: werkzeug's threaded server, in the foreground or a thread.

``FakeServer`` is a pytest-httpserver ``HTTPServerBase``: the same start/stop,
port-0 and context-manager behaviour, with the fake's app behind ``dispatch``.
"""

from __future__ import annotations

import logging
import socket
import threading

from pytest_httpserver.httpserver import HTTPServerBase
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from fake_es.app import FakeElasticsearch

access_log = logging.getLogger("fake_es.access")


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's handler, closer to Elasticsearch's headers, logging one plain line a request.

    Elasticsearch sends neither ``Server`` nor ``Date``. Unlike Elasticsearch,
    werkzeug closes the connection after each answer (it drains the socket after
    the body); clients reconnect without noticing.
    """

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() in ("server", "date"):
            return
        super().send_header(keyword, value)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        status = getattr(code, "value", code)
        access_log.info('%s "%s" %s %s', self.address_string(), self.requestline, status, size)


class FakeServer(HTTPServerBase):
    """Serves one fake app over HTTP; port 0 picks a free port, read back from ``port``."""

    def __init__(self, app: FakeElasticsearch, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port, threaded=True)
        self.app = app

    @property
    def url(self) -> str:
        return self.url_for("/").rstrip("/")

    def start(self) -> None:
        """Bind, then serve from a daemon thread; a busy port raises ``OSError``."""
        self.bind()
        assert self.server is not None
        self.server_thread = threading.Thread(
            target=self.thread_target, name=f"fake-es:{self.port}", daemon=True
        )
        self.server_thread.start()

    def bind(self) -> None:
        # werkzeug would print and exit on a busy port; binding first raises instead.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.create_server((self.host, self.port), family=family) as listener:
            self.server = make_server(
                self.host,
                self.port,
                self.app,
                threaded=True,
                request_handler=_RequestHandler,
                fd=listener.fileno(),
            )
        self.port = self.server.socket.getsockname()[1]

    def serve_bound(self) -> None:
        """Serve in the calling thread, after ``bind``, until interrupted (the dev server)."""
        assert self.server is not None, "bind() first"
        try:
            self.server.serve_forever()
        finally:
            self.server.server_close()
            self.server = None

    def stop(self) -> None:
        if self.server is not None and self.server_thread is not None:
            self.server.shutdown()
            self.server_thread.join()
            self.server.server_close()
        self.server = None
        self.server_thread = None

    def dispatch(self, request: Request) -> Response:
        # The server calls the app directly; this serves HTTPServerBase.application callers.
        return self.app.respond_to(request)
