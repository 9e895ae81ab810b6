"""A request body read with the parser its Content-Type names (``RestRequest.getXContentType``).

JSON keeps its exact reader (``json_body``); YAML and CBOR bodies give the handlers the
same maps and tokens through their own readers. SMILE bodies never get here: the REST
layer refuses them (see ``messages.content_type_not_read_by_fake``).
"""

from __future__ import annotations

from typing import Any, Protocol

from fake_es.rest.cbor_xcontent import CborTokens, parse_cbor_object
from fake_es.rest.json_body import JsonTokens, check_x_content, parse_json_object
from fake_es.rest.yaml_xcontent import YamlTokens, parse_yaml_object

JSON = "json"
YAML = "yaml"
CBOR = "cbor"


class BodyTokens(Protocol):
    """What ``RestRequest.contentParser()`` offers a handler."""

    @property
    def current_name(self) -> str: ...

    @property
    def token_location(self) -> str: ...

    def next_token(self) -> str | None: ...

    def text(self) -> str: ...

    def scalar(self) -> Any: ...

    def map_ordered(self) -> dict[str, Any]: ...


def parse_object(content: bytes, xcontent: str) -> dict[str, Any]:
    """``XContentHelper.convertToMap(bytes, ordered, xContentType)``: the compressor check
    (``CompressorFactory.compressor``) detects the content whatever its declared type, then
    the declared type's parser reads it."""
    if xcontent == YAML:
        check_x_content(content)
        return parse_yaml_object(content)
    if xcontent == CBOR:
        check_x_content(content)
        return parse_cbor_object(content)
    return parse_json_object(content)


def content_tokens(content: bytes, xcontent: str) -> BodyTokens:
    """``RestRequest.contentParser()``: no content detection, the declared type's parser."""
    if xcontent == YAML:
        return YamlTokens(content)
    if xcontent == CBOR:
        return CborTokens(content)
    return JsonTokens(content)
