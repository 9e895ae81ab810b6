"""Official clients over HTTP to a running fake, for the ``fake_es_client`` fixtures.

A client of the line the fake answers as (as the README pairs them), with the security
config's superuser credentials, closed when the test ends.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

from elastic_transport import AiohttpHttpNode

if TYPE_CHECKING:
    from elastic_transport._node._base import NodeApiResponse

    from fake_es.handle import FakeEs

# Keyword arguments that carry credentials of their own: given one, the fixture adds none.
_CREDENTIALS = ("basic_auth", "api_key", "bearer_auth", "http_auth")


def release_client_module(major: int) -> ModuleType:
    """The installed official client to talk to a release of this major line.

    As the README pairs them: an 8.x release takes an 8.x client (it refuses a 9.x one,
    as Elasticsearch does); a 9.x release takes a 9.x client, else an 8.x one, which it
    accepts (``compatible-with=8``). ``elasticsearch`` counts for the line of its version.
    """
    nine = [("elasticsearch9", 9), ("elasticsearch", 9)] if major >= 9 else []
    for name, line in [*nine, ("elasticsearch8", 8), ("elasticsearch", 8)]:
        try:
            package = importlib.import_module(name)
        except ImportError:
            continue
        if package.__version__[0] == line:
            return package
    nine_hint = "elasticsearch9 (or elasticsearch>=9,<10), or " if major >= 9 else ""
    raise ImportError(
        f"no official Elasticsearch client for Elasticsearch {major}.x is installed: install "
        f"{nine_hint}elasticsearch8 (or elasticsearch>=8,<9)"
    )


def client_arguments(fake: FakeEs, given: dict[str, Any]) -> dict[str, Any]:
    """``given``, with the fake's URL as the host and, with security on, the first
    superuser's credentials unless ``given`` carries credentials of its own."""
    arguments: dict[str, Any] = {"hosts": [fake.url]}
    realm = fake.app.security
    headers = {name.lower() for name in given.get("headers") or {}}
    own = any(name in given for name in _CREDENTIALS) or "authorization" in headers
    superuser = realm.superuser(fake.app.profile) if realm is not None else None
    if superuser is not None and not own:
        arguments["basic_auth"] = superuser
    return {**arguments, **given}


def http_client(fake: FakeEs, given: dict[str, Any]) -> Any:
    """An ``Elasticsearch`` client of the fake's line, over HTTP to ``fake.url``."""
    package = release_client_module(int(fake.app.profile.number.split(".")[0]))
    return package.Elasticsearch(**client_arguments(fake, given))


def async_http_client(fake: FakeEs, given: dict[str, Any]) -> Any:
    """An ``AsyncElasticsearch`` of the fake's line, over HTTP, whose connections close
    with the event loop that used them (see ``LoopClosedNode``)."""
    package = release_client_module(int(fake.app.profile.number.split(".")[0]))
    arguments = client_arguments(fake, given)
    arguments.setdefault("node_class", LoopClosedNode)
    return package.AsyncElasticsearch(**arguments)


class LoopClosedNode(AiohttpHttpNode):
    """The default async node, closing its aiohttp session as its event loop shuts down.

    A test awaits the client in a loop of its own (``asyncio.run``, pytest-asyncio's,
    anyio's), which is gone when fixtures are torn down: a session left open there warns
    "Unclosed client session" and can no longer be closed. Each of those runners shuts the
    loop's async generators down before closing it; a suspended generator started on the
    first request is one, and closes the session in the loop it belongs to.
    """

    used_loop: asyncio.AbstractEventLoop | None = None
    _closer: AsyncIterator[None] | None = None

    # The base class declares it sync (and ignores the override itself): so must this.
    async def perform_request(self, *args: Any, **kwargs: Any) -> NodeApiResponse:  # type: ignore[override]
        if self._closer is None:
            self.used_loop = asyncio.get_running_loop()
            self._closer = self._close_with_loop()
            await anext(self._closer)
        response: NodeApiResponse = await super().perform_request(*args, **kwargs)
        return response

    async def _close_with_loop(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self.close()
            # The next loop (a second asyncio.run) gets a session of its own.
            self._loop = None  # type: ignore[assignment]
            self._closer = None


def close_async_client(client: Any) -> None:
    """Close the sessions of ``client`` whose loop is still open (as pytest-asyncio's may be
    at fixture teardown), in that loop; those of a loop that shut down closed with it."""
    for node in client.transport.node_pool.all():
        loop = getattr(node, "used_loop", None)
        if loop is not None and not loop.is_closed() and not loop.is_running():
            loop.run_until_complete(node.close())
