"""CBOR answers and CBOR request bodies, as Elasticsearch's ``CborXContentImpl`` handles them.

Writing follows Jackson's ``CBORGenerator`` (2.15 to 2.18) as Elasticsearch configures it:
objects and arrays as indefinite-length items closed by a break, minimal integers, floats
as 32-bit and doubles as 64-bit (WRITE_MINIMAL_DOUBLES is off), and text lengths chosen
from the string's UTF-16 length the way ``_writeString`` does, chunking past 3996 units.
cbor2 cannot write indefinite-length maps, so these few rules are written out here.

Reading uses cbor2 and maps what it yields to the tokens Jackson's ``CBORParser`` gives.
"""

from __future__ import annotations

import struct
from typing import Any

import cbor2

from fake_es.java_format import JavaFloat
from fake_es.rest.errors import EsError
from fake_es.rest.token_tree import TokenTree

_MAX_SHORT = 23  # CBORGenerator.MAX_SHORT_STRING_CHARS
_MAX_MEDIUM = 255  # CBORGenerator.MAX_MEDIUM_STRING_CHARS
_MAX_LONG = 16000 // 4 - 4  # CBORGenerator.MAX_LONG_STRING_CHARS
_BREAK = b"\xff"


def dump_cbor(value: Any) -> bytes:
    """``value`` as Elasticsearch writes it with ``XContentType.CBOR``."""
    out = bytearray()
    _write(value, out)
    return bytes(out)


def _head(major: int, length: int) -> bytes:
    """A minimal initial byte and argument (``_writeLengthMarker`` / ``_writeIntMinimal``)."""
    if length < 24:
        return bytes([major << 5 | length])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | extra]) + length.to_bytes(size, "big")
    raise ValueError(f"{length} does not fit a CBOR argument")


def _write(value: Any, out: bytearray) -> None:
    if isinstance(value, dict):
        out += b"\xbf"
        for key, item in value.items():
            _write_text(str(key), out)
            _write(item, out)
        out += _BREAK
    elif isinstance(value, (list, tuple)):
        out += b"\x9f"
        for item in value:
            _write(item, out)
        out += _BREAK
    elif isinstance(value, str):
        _write_text(value, out)
    elif value is None:
        out += b"\xf6"
    elif isinstance(value, bool):
        out += b"\xf5" if value else b"\xf4"
    elif isinstance(value, JavaFloat):
        out += b"\xfa" + struct.pack(">f", value)
    elif isinstance(value, float):
        out += b"\xfb" + struct.pack(">d", value)
    elif isinstance(value, int):
        out += _head(0, value) if value >= 0 else _head(1, -value - 1)
    else:
        raise TypeError(f"cannot write {type(value).__name__} as CBOR")


def _write_text(text: str, out: bytearray) -> None:
    """``CBORGenerator._writeString``: a Java string's length in UTF-16 units picks the form.

    Up to 23 units: a length in the initial byte if the UTF-8 fits, else one length byte; up
    to 255: one length byte if it fits, else two; up to 3996: always two; longer strings are
    written as an indefinite-length string of 3996-unit chunks (one less when a surrogate
    pair would be split) and a last, shorter chunk.
    """
    units = len(text) + sum(1 for char in text if ord(char) > 0xFFFF)
    if units <= _MAX_LONG:
        _write_chunk(text, units, out)
        return
    out += b"\x7f"
    while units > _MAX_LONG:
        taken, count = 0, 0
        while count < _MAX_LONG:
            width = 2 if ord(text[taken]) > 0xFFFF else 1
            if count + width > _MAX_LONG:
                break
            count += width
            taken += 1
        data = text[:taken].encode("utf-8", "surrogatepass")
        out += b"\x79" + len(data).to_bytes(2, "big") + data
        text, units = text[taken:], units - count
    if units:
        _write_chunk(text, units, out)
    out += _BREAK


def _write_chunk(text: str, units: int, out: bytearray) -> None:
    # Jackson refuses lone surrogates (LENIENT_UTF_ENCODING is off); that failure is not
    # reproduced: they are written as their three-byte forms.
    data = text.encode("utf-8", "surrogatepass")
    size = len(data)
    if units <= _MAX_SHORT and size <= _MAX_SHORT:
        out += bytes([0x60 + size])
    elif units <= _MAX_MEDIUM and size <= 0xFF:
        out += b"\x78" + bytes([size])
    else:
        out += b"\x79" + size.to_bytes(2, "big")
    out += data


# --------------------------------------------------------------------------- reading


def _decode(content: bytes) -> Any:
    """The body as cbor2 reads it, or the error Elasticsearch gives for a broken one.

    cbor2's messages stand for Jackson's, which cannot be rebuilt from them; a CBOR parser
    has no lines or columns, so the location is ``-1:-1`` (``CBORParser.getTokenLocation``).
    """
    try:
        # Jackson refuses a repeated name (STRICT_DUPLICATE_DETECTION) and ignores unknown tags.
        return cbor2.loads(
            content, allow_duplicate_keys=False, tag_hook=lambda tag, _immutable: tag.value
        )
    except cbor2.CBORDecodeEOF as error:
        # JsonXContentParser: a JsonEOFException becomes an XContentEOFException (HTTP 500).
        raise EsError(
            500,
            "x_content_e_o_f_exception",
            f"com.fasterxml.jackson.core.io.JsonEOFException: {error}",
            caused_by=EsError(
                500, "json_e_o_f_exception", str(error), elasticsearch_exception=False
            ),
            elasticsearch_exception=False,
        ) from None
    except cbor2.CBORDecodeError as error:
        raise _parse_error(str(error)) from None


def _parse_error(message: str) -> EsError:
    return EsError(
        400,
        "x_content_parse_exception",
        f"[-1:-1] {message}",
        caused_by=EsError(400, "json_parse_exception", message, elasticsearch_exception=False),
        elasticsearch_exception=False,
    )


def _name(key: Any) -> str:
    """``CBORParser._decodeNonStringName``: numbers and byte strings may name a field."""
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    if isinstance(key, bytes):
        return key.decode("utf-8", errors="replace")
    major = 4 if isinstance(key, tuple) else 7
    raise _parse_error(
        f"Unsupported major type ({major}) for CBOR Objects, not (yet?) supported, only Strings"
    )


def _value(item: Any) -> Any:
    """What ``XContentParser.map()`` yields for a decoded item."""
    if isinstance(item, dict):
        return {_name(key): _value(value) for key, value in item.items()}
    if isinstance(item, (list, tuple)):
        return [_value(value) for value in item]
    if item is cbor2.undefined:
        return None  # CBORParser._decodeUndefinedValue
    if item is None or isinstance(item, (str, int, float, bytes)):
        return item
    # Other tagged values cbor2 decodes itself (dates, decimals...) are read as their text.
    return str(item)


def parse_cbor_object(content: bytes) -> dict[str, Any]:
    """``XContentParser.map()``: a body that is not a map reads as no entries."""
    decoded = _decode(content)
    return _value(decoded) if isinstance(decoded, dict) else {}


class CborTokens(TokenTree):
    """A CBOR body read token by token, with Elasticsearch's token names."""

    def __init__(self, content: bytes) -> None:
        self._content = content
        self._tokens: list[tuple[str, Any]] | None = None
        self._index = -1
        self.current_name = ""

    def _flatten(self, item: Any, tokens: list[tuple[str, Any]]) -> None:
        if isinstance(item, dict):
            tokens.append(("START_OBJECT", None))
            for key, value in item.items():
                tokens.append(("FIELD_NAME", key))
                self._flatten(value, tokens)
            tokens.append(("END_OBJECT", None))
        elif isinstance(item, list):
            tokens.append(("START_ARRAY", None))
            for value in item:
                self._flatten(value, tokens)
            tokens.append(("END_ARRAY", None))
        elif item is None:
            tokens.append(("VALUE_NULL", None))
        elif isinstance(item, bool):
            tokens.append(("VALUE_BOOLEAN", item))
        elif isinstance(item, (int, float)):
            tokens.append(("VALUE_NUMBER", item))
        elif isinstance(item, bytes):
            tokens.append(("VALUE_EMBEDDED_OBJECT", item))
        else:
            tokens.append(("VALUE_STRING", item))

    def next_token(self) -> str | None:
        if self._tokens is None:
            self._tokens = []
            self._flatten(_value(_decode(self._content)), self._tokens)
        self._index += 1
        if self._index >= len(self._tokens):
            return None
        token, value = self._tokens[self._index]
        if token == "FIELD_NAME":
            self.current_name = value
        return token

    @property
    def token_location(self) -> str:
        return "-1:-1"

    def _current(self) -> Any:
        assert self._tokens is not None
        return self._tokens[self._index][1]

    def text(self) -> str:
        return str(self._current())

    def scalar(self) -> Any:
        return self._current()
