"""The app on a real socket: werkzeug's threaded server, in the foreground or a thread."""

from __future__ import annotations

import logging
import socket
import threading

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from fake_es.app import FakeElasticsearch

access_log = logging.getLogger("fake_es.access")


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's handler, logging one plain line per request (no terminal colours)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        access_log.info(
            '%s "%s" %s %s',
            self.address_string(),
            self.requestline,
            getattr(code, "value", code),
            size,
        )


class FakeServer:
    """Serves one app over HTTP; port 0 picks a free port, read back from ``port``."""

    def __init__(self, app: FakeElasticsearch, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        # Bind here so that a busy port raises OSError (werkzeug would exit the process).
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host, port), family=family) as listener:
            self._server: BaseWSGIServer = make_server(
                host,
                port,
                app,
                threaded=True,
                request_handler=_RequestHandler,
                fd=listener.fileno(),
            )
        self.host = host
        self.port: int = self._server.socket.getsockname()[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def start(self) -> None:
        """Serve from a daemon thread; returns once the socket is accepting."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"fake-es:{self.port}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FakeServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
