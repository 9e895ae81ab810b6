"""``fake-es``: the dev server on 127.0.0.1:9200, in memory."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import signal
import ssl
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from fake_es import __version__
from fake_es.allocator import single_arena
from fake_es.app import create_app
from fake_es.security.realm import SecurityRealm
from fake_es.server import FakeServer
from fake_es.state import FakeState
from fake_es.versions import DEFAULT_VERSION, get_profile, known_versions


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line instead of the whole usage first."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# Each option's environment variable, as moto's server reads its own: a default for the
# option, which the flag overrides (containers and CI set variables more easily than flags).
ENVIRONMENT = {
    "host": "FAKE_ES_HOST",
    "port": "FAKE_ES_PORT",
    "es_version": "FAKE_ES_VERSION",
    "security_config": "FAKE_ES_SECURITY_CONFIG",
    "eis": "FAKE_ES_EIS",
    "protect_control_api": "FAKE_ES_PROTECT_CONTROL_API",
    "data_dir": "FAKE_ES_DATA_DIR",
    "tls_cert": "FAKE_ES_TLS_CERT",
    "tls_key": "FAKE_ES_TLS_KEY",
}


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fake-es",
        description="Serve a fake Elasticsearch inference API over HTTP.",
        epilog="The $FAKE_ES_... variable an option names sets its default, checked as the "
        "flag is (an empty one counts as unset); the flag overrides it. FAKE_ES_EIS and "
        "FAKE_ES_PROTECT_CONTROL_API take 1, true, yes, on, 0, false, no or off.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s; $FAKE_ES_HOST)"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=9200,
        help="port; 0 picks a free one (default: %(default)s; $FAKE_ES_PORT)",
    )
    parser.add_argument(
        "--es-version",
        default=DEFAULT_VERSION,
        type=_es_version,
        metavar="X.Y[.Z]",
        help=f"Elasticsearch release to answer as: {', '.join(known_versions())} "
        "(default: %(default)s; $FAKE_ES_VERSION)",
    )
    parser.add_argument(
        "--security-config",
        metavar="FILE",
        help="JSON file of users, roles and API keys; turns security on (default: off; "
        "$FAKE_ES_SECURITY_CONFIG)",
    )
    parser.add_argument(
        "--eis",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="the cluster is authorised to use the Elastic Inference Service, as on Elastic "
        "Cloud: the elastic service, its preconfigured endpoints and its _services entry "
        "(default: off, as self-managed; $FAKE_ES_EIS)",
    )
    parser.add_argument(
        "--protect-control-api",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="with --security-config: the control API (/_fake_es/: journal, faults, seeding, "
        "reset) needs the credentials of a user or API key granted the 'all' cluster "
        "privilege, as the superuser role is (default: open to anyone who can reach the "
        "port; the server warns when it listens beyond loopback with it open; "
        "$FAKE_ES_PROTECT_CONTROL_API)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        help="keep models in DIR across restarts (default: in memory only; $FAKE_ES_DATA_DIR)",
    )
    parser.add_argument(
        "--tls-cert",
        metavar="PATH",
        help="PEM certificate (chain) to serve HTTPS with; needs --tls-key (default: HTTP; "
        "$FAKE_ES_TLS_CERT)",
    )
    parser.add_argument(
        "--tls-key",
        metavar="PATH",
        help="the unencrypted PEM private key of --tls-cert; needs --tls-cert ($FAKE_ES_TLS_KEY)",
    )
    parser.add_argument("--version", action="version", version=f"fake-es {__version__}")
    return parser


def _environment_defaults(parser: argparse.ArgumentParser, environ: Mapping[str, str]) -> None:
    """Make the options' variables their defaults, checked as their flags are: a bad value
    is the flag's one-line error, naming the variable instead of the flag."""
    converters: dict[str, Callable[[str], Any]] = {
        "port": _port,
        "es_version": _es_version,
        "eis": _boolean,
        "protect_control_api": _boolean,
        "data_dir": Path,
    }
    defaults: dict[str, Any] = {}
    for dest, variable in ENVIRONMENT.items():
        text = environ.get(variable, "")
        if not text:
            continue
        try:
            defaults[dest] = converters.get(dest, str)(text)
        except argparse.ArgumentTypeError as error:
            parser.error(f"{variable}: {error}")
    parser.set_defaults(**defaults)


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(
        f"[{text}] is not a boolean: give 1, true, yes, on, 0, false, no or off"
    )


def _es_version(text: str) -> str:
    try:
        get_profile(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"[{text}] is not a port: give a number from 0 to 65535")
    return int(text)


def _tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """A server-side TLS context (TLS 1.2 or later) from a PEM certificate (chain) and its
    unencrypted PEM private key; a ``ValueError`` with a readable reason if they cannot do."""
    for option, path in (("--tls-cert", cert_file), ("--tls-key", key_file)):
        try:
            with open(path, "rb"):
                pass
        except OSError as error:
            raise ValueError(f"cannot read {option} {path}: {error.strerror}") from None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.options |= ssl.OP_NO_RENEGOTIATION  # a renegotiation would stall the waiting room

    def encrypted() -> str:
        # Called only for an encrypted key: fail, instead of OpenSSL prompting on the terminal.
        raise ValueError("the private key is encrypted")

    try:
        context.load_cert_chain(cert_file, key_file, password=encrypted)
    except ValueError as error:
        raise ValueError(f"cannot use --tls-key {key_file}: {error}") from None
    except ssl.SSLError as error:
        reason = f" ({error.reason.lower().replace('_', ' ')})" if error.reason else ""
        raise ValueError(
            f"cannot use --tls-cert {cert_file} with --tls-key {key_file}: they must be a PEM "
            f"certificate and its private key{reason}"
        ) from None
    return context


def _loopback(host: str) -> bool:
    """Whether ``host`` (as given to --host) reaches this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve beyond loopback
        return False


def _stop_on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _log_requests() -> None:
    """One line per request on stderr, from the app (``fake_es.access_log``): the time,
    the request, status, size, duration and error type, dropped connections included."""
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s.%(msecs)03d %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S",
        stream=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    _environment_defaults(parser, os.environ)
    args = parser.parse_args(argv)
    if args.tls_key is None and args.tls_cert is not None:
        parser.error("--tls-cert needs --tls-key: give both or neither")
    if args.tls_cert is None and args.tls_key is not None:
        parser.error("--tls-key needs --tls-cert: give both or neither")
    _log_requests()
    try:
        tls = _tls_context(args.tls_cert, args.tls_key) if args.tls_cert is not None else None
    except ValueError as error:
        print(f"fake-es: {error}", file=sys.stderr)
        return 2
    try:
        security = SecurityRealm.from_file(args.security_config) if args.security_config else None
    except ValueError as error:
        print(f"fake-es: {error}", file=sys.stderr)
        return 2
    if args.protect_control_api and security is None:
        print("fake-es: --protect-control-api needs --security-config", file=sys.stderr)
        return 2
    try:
        state = FakeState(data_dir=args.data_dir)
    except (OSError, ValueError) as error:
        print(f"fake-es: cannot use data directory {args.data_dir}: {error}", file=sys.stderr)
        return 2
    app = create_app(
        state,
        version=args.es_version,
        security=security,
        protect_control_api=args.protect_control_api,
        eis=args.eis,
    )
    single_arena()  # before the server's threads: see fake_es.allocator
    server = FakeServer(app, args.host, args.port, ssl_context=tls, give_back_memory=True)
    try:
        server.bind()
    except OSError as error:
        # socket.create_server's message repeats the address: the errno's text is enough.
        reason = os.strerror(error.errno) if error.errno else str(error)
        print(
            f"fake-es: cannot listen on {args.host}:{args.port}: {reason} (--port 0 picks a "
            "free port)",
            file=sys.stderr,
        )
        return 1
    # Both before the "listening" line, which tells a waiting script that they stop it. A
    # shell starts background jobs with SIGINT ignored; Ctrl-C (or kill -INT) must still stop.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if not args.protect_control_api and not _loopback(server.host):
        print(
            f"fake-es: warning: listening on {server.host}, beyond loopback, with the control "
            "API open: anyone who can reach the port can read the journal, seed models and "
            "reset (use --security-config with --protect-control-api)",
            file=sys.stderr,
            flush=True,
        )
    secured = "security on" if security else "security off"
    kept = f"data in {args.data_dir}" if args.data_dir else "in memory"
    try:
        # Inside the try: a Ctrl-C right after the line is printed still stops cleanly.
        print(
            f"fake-es {__version__} (Elasticsearch {server.app.profile.number}, {secured}, "
            f"{kept}) listening on {server.url}",
            flush=True,
        )
        server.serve_bound()
    except KeyboardInterrupt:
        pass
    finally:
        print("fake-es stopped", flush=True)
    return 0
