"""Media types on requests: which bodies Elasticsearch takes, and REST API compatibility.

Follows ``ParsedMediaType``, ``XContentType``, ``RestRequest``'s constructor and
``RestCompatibleVersionHelper.getCompatibleVersion`` of the 8.x server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fake_es import messages
from fake_es.rest.errors import EsError
from fake_es.versions import VersionProfile

ACCEPT = "Accept"
CONTENT_TYPE = "Content-Type"
_COMPATIBLE_WITH = "compatible-with"
# ParsedMediaType.TCHAR_PATTERN, whose "A-z" also lets through [ \ ] ^ _ and `.
_TOKEN = re.compile(r"[a-zA-z0-9!#$&^_.+-]+")
_JSON = frozenset({"application/json", "application/x-ndjson", "application/*"})
_VENDOR_JSON = frozenset(
    {"application/vnd.elasticsearch+json", "application/vnd.elasticsearch+x-ndjson"}
)
# Other XContent bodies Elasticsearch parses; the fake reads JSON only.
_OTHER_XCONTENT = frozenset(
    {
        "application/smile",
        "application/yaml",
        "application/cbor",
        "application/vnd.elasticsearch+smile",
        "application/vnd.elasticsearch+yaml",
        "application/vnd.elasticsearch+cbor",
    }
)
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

    @property
    def is_json(self) -> bool:
        """Whether this names a JSON body (``XContentType.JSON`` or its vendor form)."""
        if self.mime in _VENDOR_JSON:
            return re.fullmatch(r"\d+", self.parameters.get(_COMPATIBLE_WITH, "0")) is not None
        return self.mime in _JSON

    @property
    def is_xcontent(self) -> bool:
        return self.is_json or self.mime in _OTHER_XCONTENT

    @property
    def is_disallowed(self) -> bool:
        return self.mime in _DISALLOWED

    def response_content_type(self) -> str:
        """The response type built from this request type: its mime plus its parameters."""
        mime = "application/json" if self.mime in _JSON else "application/vnd.elasticsearch+json"
        return mime + "".join(f";{key}={value}" for key, value in self.parameters.items())


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

    def response_content_type(self) -> str:
        """``application/json``, or the vendor type echoing the asked compatibility."""
        for asked in (self.accept, self.content_type):
            if asked is not None and asked.is_json:
                return asked.response_content_type()
        return "application/json"


def read_media_types(
    profile: VersionProfile, accept: str | None, content_type: str | None, has_content: bool
) -> RequestMediaTypes:
    """The checks of ``RestRequest``'s constructor, in its order; 400 on the first failure."""
    parsed_accept = _parse_header(ACCEPT, accept)
    parsed_content_type = _parse_header(CONTENT_TYPE, content_type)
    try:
        version = _compatible_version(
            profile, parsed_accept, parsed_content_type, has_content, accept, content_type
        )
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
    raw_accept: str | None,
    raw_content_type: str | None,
) -> int:
    current = profile.major
    accept_asked = _asked_version(accept)
    content_asked = _asked_version(content_type)
    accept_version = current if accept_asked is None else accept_asked
    content_version = current if content_asked is None else content_asked
    shown_accept = raw_accept if raw_accept is not None else "null"
    shown_content_type = raw_content_type if raw_content_type is not None else "null"

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
