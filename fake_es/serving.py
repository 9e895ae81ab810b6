"""``fake_es.serve()``: a fake on a real socket for a ``with`` block, without pytest."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fake_es.app import create_app
from fake_es.handle import FakeEs
from fake_es.security.realm import SecurityRealm
from fake_es.server import FakeServer
from fake_es.state import FakeState
from fake_es.versions import DEFAULT_VERSION

if TYPE_CHECKING:
    import ssl


def security_realm(security: dict[str, Any] | str | Path | None) -> SecurityRealm | None:
    """A realm from a configuration dict or a JSON file's path; None keeps security off."""
    if security is None:
        return None
    if isinstance(security, dict):
        return SecurityRealm(security)
    return SecurityRealm.from_file(security)


@contextmanager
def serve(
    version: str = DEFAULT_VERSION,
    *,
    security: dict[str, Any] | str | Path | None = None,
    data_dir: Path | str | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    check_responses: bool = False,
    eis: bool = False,
    ssl_context: ssl.SSLContext | None = None,
) -> Iterator[FakeEs]:
    """Serve a fake of ``version`` on ``host:port`` (0: a free port) for the block.

    Yields the same handle the pytest fixture gives (``.url``, ``.models``,
    ``.requests``, faults, ``.providers``, ``.client()``). The server stops, and
    a data directory is released, when the block ends. ``eis``: the cluster is authorised
    to use the Elastic Inference Service (the ``elastic`` service), as on Elastic Cloud.
    ``ssl_context``: a server-side ``ssl.SSLContext`` to serve HTTPS with (``.url`` is then
    ``https://``).
    """
    state = FakeState(data_dir=Path(data_dir) if data_dir is not None else None)
    try:
        app = create_app(
            state, version=version, security=security_realm(security),
            check_responses=check_responses, eis=eis,
        )  # fmt: skip
        server = FakeServer(app, host, port, ssl_context=ssl_context)
        server.start()
        try:
            yield FakeEs(app, server.url)
        finally:
            server.stop()
    finally:
        state.close()
