"""Media types on requests: which bodies Elasticsearch takes, and REST API compatibility.

Follows ``ParsedMediaType``, ``XContentType``, ``RestRequest``'s constructor and
``RestCompatibleVersionHelper.getCompatibleVersion`` of the 8.x server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from fake_es import messages
from fake_es.rest.errors import EsError
from fake_es.versions import VersionProfile

ACCEPT = "Accept"
CONTENT_TYPE = "Content-Type"
_COMPATIBLE_WITH = "compatible-with"
# ParsedMediaType.TCHAR_PATTERN, whose "A-z" also lets through [ \ ] ^ _ and `.
_TOKEN = re.compile(r"[a-zA-z0-9!#$&^_.+-]+")
# XContentType.headerValues: each header mime, and the XContentType it names (by that
# type's own mime, which is what a response is labelled with).
_VENDOR = "application/vnd.elasticsearch+"
_XCONTENT_TYPES = {
    "application/json": "application/json",
    "application/x-ndjson": "application/json",
    "application/*": "application/json",
    "application/smile": "application/smile",
    "application/yaml": "application/yaml",
    "application/cbor": "application/cbor",
    _VENDOR + "json": _VENDOR + "json",
    _VENDOR + "x-ndjson": _VENDOR + "json",
    _VENDOR + "smile": _VENDOR + "smile",
    _VENDOR + "yaml": _VENDOR + "yaml",
    _VENDOR + "cbor": _VENDOR + "cbor",
}
# XContentType.queryParameter: what ``?format`` may name.
FORMATS = {
    "json": "application/json",
    "smile": "application/smile",
    "yaml": "application/yaml",
    "cbor": "application/cbor",
    "vnd_json": _VENDOR + "json",
    "vnd_smile": _VENDOR + "smile",
    "vnd_yaml": _VENDOR + "yaml",
    "vnd_cbor": _VENDOR + "cbor",
}
# RestController.isContentTypeDisallowed: what a browser may send cross-site.
_DISALLOWED = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})


class InvalidMediaType(ValueError):
    """A header value ``ParsedMediaType`` cannot read (an IllegalArgumentException)."""


@dataclass(frozen=True)
class ParsedMediaType:
    """``type/subtype`` and its parameters, lower-cased as Elasticsearch reads them."""

    raw: str
    mime: str
    parameters: dict[str, str]

    @cached_property
    def xcontent(self) -> str | None:
        """``toMediaType(XContentType.MEDIA_TYPE_REGISTRY)``: the XContentType's mime, or None.

        Only vendor types register a parameter (``compatible-with``, digits only); any
        other parameter is let through.
        """
        if self.mime.startswith(_VENDOR) and not re.fullmatch(
            r"\d+", self.parameters.get(_COMPATIBLE_WITH, "0")
        ):
            return None
        return _XCONTENT_TYPES.get(self.mime)

    @property
    def is_disallowed(self) -> bool:
        return self.mime in _DISALLOWED


def parse_media_type(value: str) -> ParsedMediaType | None:
    """``ParsedMediaType.parseMediaType``: ``None`` for a range or a list."""
    if "," in value or value == "*/*":
        return None
    elements = re.split(r"\s*;\s*", value.lower())
    type_and_subtype = elements[0].split("/")
    if len(type_and_subtype) != 2 or not all(
        _TOKEN.fullmatch(part.strip()) for part in type_and_subtype
    ):
        raise InvalidMediaType(f"invalid media-type [{value}]")
    parameters: dict[str, str] = {}
    for element in elements[1:]:
        if not element:
            continue
        key_value = element.split("=")
        # Spaces may separate parameters but may not surround "=".
        if (
            len(key_value) != 2
            or key_value[0] != key_value[0].rstrip()
            or (key_value[1] != key_value[1].lstrip())
        ):
            raise InvalidMediaType(f"invalid parameters for header [{value}]")
        parameters[key_value[0].strip()] = key_value[1].strip()
    return ParsedMediaType(value, "/".join(part.strip() for part in type_and_subtype), parameters)


@dataclass(frozen=True)
class RequestMediaTypes:
    """What the ``Accept`` and ``Content-Type`` headers of a request said."""

    accept: ParsedMediaType | None
    content_type: ParsedMediaType | None
    api_version: int

    def response_content_type(self, format_param: str | None) -> str:
        """AbstractRestChannel.newBuilder: the type ``?format`` names, else Accept's, else
        the request body's, else JSON; the parameters are always Accept's.

        ``ParsedMediaType.responseContentTypeHeader`` writes them as ``;name=value``.
        """
        if not format_param:
            return self._unformatted_content_type
        return self._content_type(FORMATS.get(format_param.lower()))

    @cached_property
    def _unformatted_content_type(self) -> str:
        return self._content_type(None)

    def _content_type(self, mime: str | None) -> str:
        if mime is None and self.accept is not None:
            mime = self.accept.xcontent
        if mime is None and self.content_type is not None:
            mime = self.content_type.xcontent
        if mime is not None and xcontent_name(mime) == "smile":
            # The fake does not write SMILE, so it never labels an answer as SMILE.
            mime = None
        parameters = self.accept.parameters if self.accept is not None else {}
        return (mime or "application/json") + "".join(
            f";{key}={value}" for key, value in parameters.items()
        )


def xcontent_name(mime: str) -> str:
    """The XContentType a registered mime names: "json", "yaml", "cbor" or "smile"."""
    return mime.split(";", 1)[0].rsplit("/", 1)[-1].rsplit("+", 1)[-1]


def read_media_types(
    profile: VersionProfile, accept: str | None, content_type: str | None, has_content: bool
) -> RequestMediaTypes:
    """The checks of ``RestRequest``'s constructor, in its order; 400 on the first failure."""
    parsed_accept = _parse_header(ACCEPT, accept)
    parsed_content_type = _parse_header(CONTENT_TYPE, content_type)
    try:
        version = _compatible_version(profile, parsed_accept, parsed_content_type, has_content)
    except EsError as error:
        raise messages.media_type_header((CONTENT_TYPE, ACCEPT), error) from None
    return RequestMediaTypes(parsed_accept, parsed_content_type, version)


def _parse_header(name: str, value: str | None) -> ParsedMediaType | None:
    if value is None:
        return None
    if not value.strip():
        cause = messages.illegal_argument(f"Header [{name}] cannot be empty.")
        raise messages.media_type_header((name,), cause)
    try:
        return parse_media_type(value)
    except InvalidMediaType as error:
        raise messages.media_type_header((name,), messages.illegal_argument(str(error))) from None


def _compatible_version(
    profile: VersionProfile,
    accept: ParsedMediaType | None,
    content_type: ParsedMediaType | None,
    has_content: bool,
) -> int:
    current = profile.major
    accept_asked = _asked_version(accept)
    content_asked = _asked_version(content_type)
    accept_version = current if accept_asked is None else accept_asked
    content_version = current if content_asked is None else content_asked
    # The messages print the ParsedMediaType, which is null for */* and media ranges.
    shown_accept = accept.raw if accept is not None else "null"
    shown_content_type = content_type.raw if content_type is not None else "null"

    if accept_version not in profile.compatible_versions:
        raise messages.compatible_version_not_supported(
            profile, ACCEPT, accept_version, shown_accept
        )
    if has_content:
        if content_version not in profile.compatible_versions:
            raise messages.compatible_version_not_supported(
                profile, CONTENT_TYPE, content_version, shown_content_type
            )
        if content_version != accept_version:
            raise messages.compatible_versions_must_match(shown_accept, shown_content_type)
        if (accept_asked is None) != (content_asked is None):
            raise messages.compatible_version_required_on_both(shown_accept, shown_content_type)
    if content_version < current or accept_version < current:
        return min(profile.compatible_versions)
    return current


def _asked_version(media_type: ParsedMediaType | None) -> int | None:
    if media_type is None or _COMPATIBLE_WITH not in media_type.parameters:
        return None
    text = media_type.parameters[_COMPATIBLE_WITH]
    # Byte.parseByte; what the server does with a non-number here is not known, so the
    # fake refuses the header the way it refuses any other unreadable media type.
    if not re.fullmatch(r"[+-]?\d+", text) or not -128 <= int(text) <= 127:
        raise messages.illegal_argument(f"invalid media-type [{media_type.raw}]")
    return int(text)
