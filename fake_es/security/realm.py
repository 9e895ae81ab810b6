"""Who is calling, and may they: the fake's file realm, API keys and authorization.

Credentials are compared and then forgotten: they are never logged, journaled
or put in an error body.
"""

from __future__ import annotations

import base64
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import ValidationError

from fake_es import messages
from fake_es.schemas import validator_for
from fake_es.security.privileges import BUILT_IN_ROLES, granted_by
from fake_es.versions import VersionProfile

CONFIG_SCHEMA = "security_config.schema.json"


@dataclass(frozen=True)
class Subject:
    """An authenticated caller: a user, or an API key acting for its owner."""

    username: str
    roles: tuple[str, ...]
    # Each set of roles must grant an action: a user's, and for an API key with roles of
    # its own, those too (a key can only narrow what its owner may do).
    role_sets: tuple[tuple[str, ...], ...]
    api_key_id: str | None = None


@dataclass(frozen=True)
class _User:
    password: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class _ApiKey:
    key: str
    owner: str
    roles: tuple[str, ...] | None


class SecurityRealm:
    """Users, roles and API keys from a security configuration."""

    def __init__(self, config: dict[str, Any]) -> None:
        problems = sorted(
            _describe(error) for error in validator_for(CONFIG_SCHEMA).iter_errors(config)
        )
        if problems:
            raise ValueError("invalid security configuration: " + "; ".join(problems))
        self._roles = {
            name: frozenset(role["cluster"]) for name, role in config.get("roles", {}).items()
        }

        self._users = {
            name: _User(user["password"], tuple(user.get("roles", ())))
            for name, user in config.get("users", {}).items()
        }
        self._api_keys = {
            key_id: _ApiKey(spec["key"], spec["owner"], _optional_tuple(spec.get("roles")))
            for key_id, spec in config.get("api_keys", {}).items()
        }
        for key_id, api_key in self._api_keys.items():
            if api_key.owner not in self._users:
                raise ValueError(
                    f"invalid security configuration: API key [{key_id}] has unknown owner "
                    f"[{api_key.owner}]"
                )

    @classmethod
    def from_file(cls, path: str | Path) -> SecurityRealm:
        try:
            config = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"cannot read security configuration {path}: {error}") from error
        return cls(config)

    def authenticate(self, authorization: str | None, uri: str) -> Subject:
        """The caller, or the 401 Elasticsearch gives (DefaultAuthenticationFailureHandler)."""
        scheme, _, credentials = (authorization or "").strip().partition(" ")
        if scheme.lower() == "basic":
            # UsernamePasswordToken.extractToken trims with String.trim itself.
            return self._basic(credentials, uri)
        if scheme.lower() == "apikey":
            return self._api_key(credentials.strip())
        raise messages.missing_credentials(uri)

    def authorize(self, subject: Subject, action: str, profile: VersionProfile) -> None:
        """Nothing, or the 403 Elasticsearch gives for a privilege the caller lacks."""
        for roles in subject.role_sets:
            if not granted_by(self._privileges(roles, profile), action, profile):
                missing = tuple(r for r in subject.roles if self._role(r, profile) is None)
                raise messages.action_unauthorized(action, subject, profile, missing)

    def superuser(self, profile: VersionProfile) -> tuple[str, str] | None:
        """(username, password) of the configuration's first user granted the ``all``
        cluster privilege in this release (as the superuser role is), or None."""
        for username, user in self._users.items():
            if "all" in self._privileges(user.roles, profile):
                return username, user.password
        return None

    def _basic(self, credentials: str, uri: str) -> Subject:
        try:
            raw = java_base64_decode(credentials)
        except ValueError as error:
            raise messages.invalid_basic_header(
                "invalid basic authentication header encoding",
                cause=messages.illegal_argument(str(error)),
            ) from None
        # CharArrays.utf8BytesToChars decodes with replacement, never failing.
        decoded = raw.decode("utf-8", errors="replace")
        username, colon, password = decoded.partition(":")
        if not colon:
            raise messages.invalid_basic_header("invalid basic authentication header value")
        user = self._users.get(username)
        if user is None or not hmac.compare_digest(user.password, password):
            raise messages.unable_to_authenticate_user(username, uri)
        return self._subject(username, user.roles)

    def _api_key(self, credentials: str) -> Subject:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except ValueError:  # binascii.Error, UnicodeDecodeError, and non-ASCII characters
            raise messages.api_key_not_authenticated("API key: invalid ApiKey value") from None
        key_id, colon, secret = decoded.partition(":")
        if not colon:
            raise messages.api_key_not_authenticated("API key: invalid ApiKey value")
        api_key = self._api_keys.get(key_id)
        if api_key is None:
            raise messages.api_key_not_authenticated(
                f"API key: unable to find apikey with id {key_id}"
            )
        if not hmac.compare_digest(api_key.key, secret):
            raise messages.api_key_not_authenticated(
                f"API key: invalid credentials for API key [{key_id}]"
            )
        owner = self._users[api_key.owner]
        role_sets = [owner.roles]
        if api_key.roles is not None:
            role_sets.append(api_key.roles)
        return Subject(api_key.owner, owner.roles, tuple(role_sets), api_key_id=key_id)

    def _subject(self, username: str, roles: tuple[str, ...]) -> Subject:
        return Subject(username, roles, (roles,))

    def _role(self, name: str, profile: VersionProfile) -> frozenset[str] | None:
        """A configured role, or a reserved one the release has; None if there is none."""
        if name in self._roles:
            return self._roles[name]
        built_in = BUILT_IN_ROLES.get(name)
        return built_in[0] if built_in is not None and profile.has(built_in[1]) else None

    def _privileges(self, roles: tuple[str, ...], profile: VersionProfile) -> frozenset[str]:
        return frozenset().union(*(self._role(role, profile) or frozenset() for role in roles))


def java_base64_decode(text: str) -> bytes:
    """``java.util.Base64.getDecoder().decode(String)``, raising its messages as ValueError.

    The header value's characters are its ISO-8859-1 bytes (``String.getBytes``), and
    a bad byte is named by ``Integer.toString(byte, 16)`` of the signed Java byte.
    """
    data = text.strip("".join(map(chr, range(33)))).encode("latin-1", errors="replace")
    if len(data) == 1:
        raise ValueError("Input byte[] should at least have 2 bytes for base64 bytes")
    out = bytearray()
    bits = 0
    shift = 18
    position = 0
    while position < len(data):
        byte = data[position]
        position += 1
        value = _BASE64_VALUES.get(byte)
        if byte == _PAD:
            # "=" with 1 or 2 pending characters only, and "==" after exactly 2.
            if shift == 18 or (shift == 6 and (position == len(data) or data[position] != _PAD)):
                raise ValueError("Input byte array has wrong 4-byte ending unit")
            if shift == 6:
                position += 1
            break
        if value is None:
            signed = byte - 256 if byte > 127 else byte
            raise ValueError(f"Illegal base64 character {signed:x}")
        bits |= value << shift
        shift -= 6
        if shift < 0:
            out += bits.to_bytes(3, "big")
            bits, shift = 0, 18
    if shift == 6:
        out.append(bits >> 16)
    elif shift == 0:
        out += (bits >> 8).to_bytes(2, "big")
    elif shift == 12:
        raise ValueError("Last unit does not have enough valid bits")
    if position < len(data):
        raise ValueError(f"Input byte array has incorrect ending byte at {position}")
    return bytes(out)


_PAD = ord("=")
_BASE64_VALUES = {
    ord(char): index
    for index, char in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
}


def _describe(error: ValidationError) -> str:
    """Where the configuration is wrong and why, never echoing a value that may be secret."""
    path = list(error.absolute_path)
    where = "/".join(map(str, path)) or "(top level)"
    # users/<name>, api_keys/<id> and anything under their password or key may hold a secret;
    # "required" and "additionalProperties" messages name properties, never values.
    secret = (
        len(path) >= 2
        and path[0] in ("users", "api_keys")
        and (len(path) == 2 or path[2] in ("password", "key"))
        and error.validator not in ("required", "additionalProperties")
    )
    if secret:
        rule = json.dumps(error.validator_value)
        return f"{where}: value not shown; the schema wants {error.validator} {rule}"
    return f"{where}: {error.message}"


def _optional_tuple(values: list[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)
