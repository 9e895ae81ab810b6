"""``fake-es``: the dev server on 127.0.0.1:9200, in memory."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from types import FrameType

from fake_es import __version__
from fake_es.app import create_app
from fake_es.profiles import DEFAULT_VERSION, PROFILES
from fake_es.server import FakeServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fake-es",
        description="Serve a fake Elasticsearch inference API over HTTP.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=9200, help="port; 0 picks a free one (default: %(default)s)"
    )
    parser.add_argument(
        "--es-version",
        default=DEFAULT_VERSION,
        choices=sorted(PROFILES),
        help="Elasticsearch version to answer as (default: %(default)s)",
    )
    parser.add_argument("--version", action="version", version=f"fake-es {__version__}")
    return parser


def _stop_on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # One line per request, from werkzeug's request handler.
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    server = FakeServer(create_app(version=args.es_version), args.host, args.port)
    try:
        server.bind()
    except OSError as error:
        print(f"fake-es: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    print(
        f"fake-es {__version__} (Elasticsearch {server.app.profile.number}) "
        f"listening on {server.url}",
        flush=True,
    )
    try:
        server.serve_bound()
    except KeyboardInterrupt:
        pass
    finally:
        print("fake-es stopped", flush=True)
    return 0
