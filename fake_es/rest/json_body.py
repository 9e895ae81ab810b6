"""Parse a JSON request body exactly as Elasticsearch 8.11 does.

Elasticsearch 8.11 turns a body into a map with ``XContentHelper`` and Jackson 2.15.0
(``JsonXContentImpl``: ``ALLOW_COMMENTS``, ``STRICT_DUPLICATE_DETECTION``,
``USE_FAST_DOUBLE_PARSER``, ``maxStringLength`` = ``Integer.MAX_VALUE``; the other
``StreamReadConstraints`` keep their defaults: nesting depth 1000, number length 1000).
The body arrives as a ``byte[]``, so Jackson uses ``UTF8StreamJsonParser`` and describes its
source as ``(byte[])"<snippet>"``.  This module reproduces the values it yields and, byte for
byte, the errors it raises, following these jackson-core 2.15 sources:

* ``json/UTF8StreamJsonParser.java``: tokens, names, strings, numbers, literals, comments,
  UTF-8 decoding and the error each of them reports (and where the pointer is when it does);
* ``base/ParserBase.java`` / ``base/ParserMinimalBase.java``: message templates
  (``_reportUnexpectedChar``, ``_getCharDesc``, ``_throwInvalidSpace``, ``_handleEOF`` ...),
  ``getCurrentLocation`` (column = 1-based byte offset in the current line);
* ``JsonLocation.java`` / ``io/ContentReference.java``: the `` at [Source: ...]`` suffix,
  500-byte snippet decoded as UTF-8, ISO control characters escaped, ``[truncated N bytes]``;
* ``json/JsonReadContext.java`` / ``json/DupDetector.java``: ``Duplicate field 'x'``;
* ``io/CharTypes.java``: byte classes for names, strings and comments;
* ``StreamReadConstraints.java``: ``Depth (%d) exceeds the maximum allowed nesting depth (%d)``
  and ``Number length (%d) exceeds the maximum length (%d)`` (2.15 wording).

How Elasticsearch 8.11 wraps what Jackson throws (``JsonXContentParser``):
``nextToken()`` turns ``JsonEOFException`` into ``XContentEOFException`` (an ``IOException``:
HTTP 500) and any other ``JsonParseException`` into ``XContentParseException`` (HTTP 400,
reason ``[line:col] message``).  ``text()`` does not wrap anything, so failures found while
decoding a string *value* (Jackson decodes those lazily) surface as the bare Jackson exception
(HTTP 500, ``json_parse_exception`` / ``json_e_o_f_exception``), and so do the
``StreamConstraintsException`` failures, which are not ``JsonParseException`` subclasses.
(elastic/elasticsearch#111542 and #111548 show both 500s on 8.14 and fix them in 8.16.)

Not reproduced: bodies that Jackson's charset detection reads as UTF-16LE/UTF-32LE (a NUL
second byte, e.g. ``{\\x00``), ``DFL\\0``-compressed bodies, and names resolved through the
symbol table that Elasticsearch's shared ``JsonFactory`` keeps across requests (only names
seen earlier in the same body are known here).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from fake_es.rest.errors import EsError

__all__ = ["JsonTokens", "check_x_content", "parse_json_object", "source_description"]

_T = TypeVar("_T")

_NOT_X_CONTENT = (
    "Compressor detection can only be called on some xcontent bytes or compressed xcontent bytes"
)
_ANCIENT = "unsupported compression: index was created before v2.0.0.beta1 and wasn't upgraded?"
_UTF8_BOM = b"\xef\xbb\xbf"
_MAX_DEPTH = 1000  # StreamReadConstraints.DEFAULT_MAX_DEPTH
_MAX_NUMBER_LENGTH = 1000  # StreamReadConstraints.DEFAULT_MAX_NUM_LEN
_MAX_SNIPPET = 500  # ContentReference.DEFAULT_MAX_CONTENT_SNIPPET
_VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"

# JsonToken ids; their names appear in "Unexpected end-of-input in <TOKEN>" messages.
_START_OBJECT = 1
_END_OBJECT = 2
_START_ARRAY = 3
_END_ARRAY = 4
_FIELD_NAME = 5
_VALUE_STRING = 6
_VALUE_NUMBER_INT = 7
_VALUE_NUMBER_FLOAT = 8
_VALUE_TRUE = 9
_VALUE_FALSE = 10
_VALUE_NULL = 11
_TOKEN_NAMES = {
    None: "null",
    _START_OBJECT: "START_OBJECT",
    _END_OBJECT: "END_OBJECT",
    _START_ARRAY: "START_ARRAY",
    _END_ARRAY: "END_ARRAY",
    _FIELD_NAME: "FIELD_NAME",
    _VALUE_STRING: "VALUE_STRING",
    _VALUE_NUMBER_INT: "VALUE_NUMBER_INT",
    _VALUE_NUMBER_FLOAT: "VALUE_NUMBER_FLOAT",
    _VALUE_TRUE: "VALUE_TRUE",
    _VALUE_FALSE: "VALUE_FALSE",
    _VALUE_NULL: "VALUE_NULL",
}

# JsonStreamContext types, with JsonStreamContext.typeDesc() for each.
_ROOT = 0
_ARRAY = 1
_OBJECT = 2
_TYPE_DESC = ("root", "Array", "Object")

# Runs of bytes that need no per-byte treatment (CharTypes: '"', '\\' and < 0x20 are special).
_PLAIN_TEXT = re.compile(rb'[^"\\\x00-\x1f]*')
_DIGITS = re.compile(rb"[0-9]*")
_BLANKS = re.compile(rb"[ \t]*")
_JSON_WS = re.compile(r"[ \t\r\n]*")

# _decodeEscaped: the single-character escapes JSON defines.
_SIMPLE_ESCAPES = {
    0x62: 8,
    0x74: 9,
    0x6E: 10,
    0x66: 12,
    0x72: 13,
    0x22: 0x22,
    0x2F: 0x2F,
    0x5C: 0x5C,
}
_HEX_VALUES = {c: int(chr(c), 16) for c in b"0123456789abcdefABCDEF"}


# The payload bits a UTF-8 lead byte keeps, by sequence length.
_LEAD_BITS = {2: 0x1F, 3: 0x0F, 4: 0x07}


def _utf8_class(byte: int) -> int:
    """CharTypes.sInputCodesUTF8 for a byte >= 0x80: sequence length, or -1 if no lead byte."""
    if byte & 0xE0 == 0xC0:
        return 2
    if byte & 0xF0 == 0xE0:
        return 3
    if byte & 0xF8 == 0xF0:
        return 4
    return -1


# CharTypes.sInputCodesComment: 0 = ordinary, 10/13 = line ends, 42 = '*', 2-4 = UTF-8 lead
# bytes, -1 = control characters other than TAB and invalid UTF-8 lead bytes.
_COMMENT_CODES = tuple(
    (0 if b == 9 else b if b in (10, 13) else -1)
    if b < 0x20
    else (42 if b == 42 else 0)
    if b < 0x80
    else _utf8_class(b)
    for b in range(256)
)


class _JacksonError(Exception):
    """A ``JsonParseException`` (``eof``: a ``JsonEOFException``) with its location."""

    def __init__(self, message: str, line: int, column: int, eof: bool) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.eof = eof


class _RawError(Exception):
    """A Jackson failure that reaches the REST layer unwrapped (HTTP 500)."""

    def __init__(self, error_type: str, reason: str) -> None:
        super().__init__(reason)
        self.error_type = error_type
        self.reason = reason


class _Fallback(Exception):
    """The fast path met something only the exact parser can judge."""


def parse_json_object(content: bytes) -> dict[str, Any]:
    """Parse a request body into a dict, or raise the ``EsError`` Elasticsearch 8.11 would."""
    check_x_content(content)
    # ByteSourceJsonBootstrapper skips a UTF-8 BOM; the parser's columns still count it.
    start = 3 if len(content) >= 4 and content.startswith(_UTF8_BOM) else 0
    fast = _parse_fast(content, start)
    if fast is not None:
        return fast
    return _Utf8Parser(content, start).parse()


# --------------------------------------------------------------------------- content detection


def _java_is_whitespace_byte(byte: int) -> bool:
    # Character.isWhitespace((byte) b): a byte >= 0x80 is a negative int, never whitespace.
    return byte in (9, 10, 11, 12, 13, 28, 29, 30, 31, 32)


def check_x_content(content: bytes) -> None:
    """CompressorFactory.compressor -> XContentHelper.xContentType -> XContentFactory.xContentType.

    Compressed (``DFL\\0``) bodies are not decompressed here: they fail detection.
    """
    length = len(content)
    if length:
        first = content[0]
        if first == 0x7B:  # JsonXContent.detectContent
            return
        if length > 2 and content[:3] in (b":)\n", b"---"):  # SMILE header, YAML document start
            return
        # CborXContent.detectContent: indefinite map, self-describe tag, or any map major type.
        if (first == 0xBF and length > 1) or first >> 5 == 5:
            return
        if length > 2 and content[:3] == b"\xd9\xd9\xf7":
            return
        # "a last chance for JSON": whitespace (after an optional BOM) and then '{'.
        begin = 3 if length > 3 and content.startswith(_UTF8_BOM) else 0
        for byte in content[begin:]:
            if byte == 0x7B:
                return
            if not _java_is_whitespace_byte(byte):
                break
    if length >= 3 and content[0] == 0x5A and content[1] == 0x56 and content[2] in (0, 1):
        # CompressorFactory.isAncient: LZF-compressed source from before 2.0.
        raise EsError(500, "illegal_state_exception", _ANCIENT, elasticsearch_exception=False)
    raise EsError(500, "not_x_content_exception", _NOT_X_CONTENT, elasticsearch_exception=False)


# --------------------------------------------------------------------------- fast path


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Fallback  # duplicate field: the exact parser reports it with its location
    return result


def _reject_constant(_name: str) -> Any:
    raise _Fallback  # NaN / Infinity are not standard JSON for Jackson


def _fast_int(text: str) -> int:
    if len(text) - (text[0] == "-") > _MAX_NUMBER_LENGTH:
        raise _Fallback
    return int(text)


def _fast_float(text: str) -> float:
    if len(text) > _MAX_NUMBER_LENGTH and sum(c.isdigit() for c in text) > _MAX_NUMBER_LENGTH:
        raise _Fallback
    return float(text)


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs_hook,
    parse_constant=_reject_constant,
    parse_int=_fast_int,
    parse_float=_fast_float,
    strict=True,
)


def _too_deep(value: Any) -> bool:
    """True if containers nest deeper than Jackson's limit (the root object is depth 1)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > _MAX_DEPTH:
            return True
        children = node.values() if isinstance(node, dict) else node
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _parse_fast(content: bytes, start: int) -> dict[str, Any] | None:
    """Parse well-formed bodies with the C json module.

    Everything it accepts (well-formed UTF-8 and JSON, no duplicate names, no NaN, numbers
    and nesting within Jackson's limits, only SP/HT/CR/LF before the object) Jackson accepts
    with the same values; anything else goes to the exact parser, which also finds the error.
    """
    try:
        text = content[start:].decode("utf-8")
    except UnicodeDecodeError:
        return None
    begin = _JSON_WS.match(text).end()  # type: ignore[union-attr]
    if not text.startswith("{", begin):
        return None
    try:
        value, _end = _DECODER.raw_decode(text, begin)
    except (ValueError, RecursionError, _Fallback):
        return None
    if not isinstance(value, dict):
        return None
    if content.count(b"{") + content.count(b"[") > _MAX_DEPTH and _too_deep(value):
        return None
    return value


# --------------------------------------------------------------------------- Java helpers


def _is_java_identifier_start(code: int) -> bool:
    """Character.isJavaIdentifierStart: letters, letter numbers, currency, connectors."""
    if code < 0 or code > 0x10FFFF:
        return False
    category = unicodedata.category(chr(code))
    return category[0] == "L" or category in ("Nl", "Sc", "Pc")


def _is_java_identifier_part(code: int) -> bool:
    """Character.isJavaIdentifierPart, including the identifier-ignorable characters."""
    if code < 0 or code > 0x10FFFF:
        return False
    category = unicodedata.category(chr(code))
    if category[0] == "L" or category in ("Nl", "Sc", "Pc", "Nd", "Mn", "Mc", "Cf"):
        return True
    return code <= 8 or 0x0E <= code <= 0x1B or 0x7F <= code <= 0x9F


def _is_iso_control(char: int) -> bool:
    return char <= 0x1F or 0x7F <= char <= 0x9F


def _char_desc(ch: int) -> str:
    """ParserMinimalBase._getCharDesc: the character is ``(char) ch``, the code is ``ch``."""
    char = ch & 0xFFFF
    if _is_iso_control(char):
        return f"(CTRL-CHAR, code {ch})"
    if ch > 255:
        return f"'{chr(char)}' (code {ch} / 0x{ch:x})"
    return f"'{chr(char)}' (code {ch})"


def _java_hex(value: int) -> str:
    """Integer.toHexString: two's complement for negative ints."""
    return format(value & 0xFFFFFFFF, "x")


def _signed(byte: int) -> int:
    """A Java ``byte`` read without ``& 0xFF``."""
    return byte - 256 if byte > 127 else byte


def _pair_surrogates(text: str) -> str:
    """Make a string of UTF-16 units (as Java holds it) read as code points where it pairs."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _java_utf8_decode(data: bytes) -> str:
    """``new String(bytes, UTF_8)``: Java's replacement of malformed input.

    Java replaces a surrogate encoded in three bytes, or an ill-formed multi-byte prefix,
    differently from Python's ``errors="replace"``, so the JDK decoder is followed here.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    n = len(data)
    i = 0
    while i < n:
        b1 = data[i]
        i += 1
        if b1 < 0x80:
            out.append(chr(b1))
        elif b1 >> 5 == 0b110 and b1 & 0x1E:
            if i < n:
                b2 = data[i]
                if b2 & 0xC0 != 0x80:
                    out.append("\ufffd")
                else:
                    out.append(chr((b1 & 0x1F) << 6 | (b2 & 0x3F)))
                    i += 1
                continue
            out.append("\ufffd")
            break
        elif b1 >> 4 == 0b1110:
            if i + 1 < n:
                b2, b3 = data[i], data[i + 1]
                if (b1 == 0xE0 and b2 & 0xE0 == 0x80) or b2 & 0xC0 != 0x80 or b3 & 0xC0 != 0x80:
                    out.append("\ufffd")
                    # malformed3: one byte if the second is not a valid continuation, else two
                    i += 0 if (b1 == 0xE0 and b2 & 0xE0 == 0x80) or b2 & 0xC0 != 0x80 else 1
                else:
                    code = (b1 & 0x0F) << 12 | (b2 & 0x3F) << 6 | (b3 & 0x3F)
                    out.append("\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code))
                    i += 2
                continue
            if i < n and ((b1 == 0xE0 and data[i] & 0xE0 == 0x80) or data[i] & 0xC0 != 0x80):
                out.append("\ufffd")
                continue
            out.append("\ufffd")
            break
        elif b1 >> 3 == 0b11110:
            if i + 2 < n:
                b2, b3, b4 = data[i], data[i + 1], data[i + 2]
                code = (b1 & 0x07) << 18 | (b2 & 0x3F) << 12 | (b3 & 0x3F) << 6 | (b4 & 0x3F)
                if (
                    b2 & 0xC0 != 0x80
                    or b3 & 0xC0 != 0x80
                    or b4 & 0xC0 != 0x80
                    or not 0x10000 <= code <= 0x10FFFF
                ):
                    out.append("\ufffd")
                    # malformed4: how much of the prefix was a plausible start
                    if (
                        b1 > 0xF4
                        or (b1 == 0xF0 and not 0x90 <= b2 <= 0xBF)
                        or (b1 == 0xF4 and b2 & 0xF0 != 0x80)
                        or b2 & 0xC0 != 0x80
                    ):
                        i += 0
                    elif b3 & 0xC0 != 0x80:
                        i += 1
                    else:
                        i += 2
                else:
                    out.append(chr(code))
                    i += 3
                continue
            if b1 > 0xF4 or (
                i < n
                and (
                    (b1 == 0xF0 and not 0x90 <= data[i] <= 0xBF)
                    or (b1 == 0xF4 and data[i] & 0xF0 != 0x80)
                    or data[i] & 0xC0 != 0x80
                )
            ):
                out.append("\ufffd")
                continue
            i += 1
            out.append("\ufffd")
            if i < n and data[i] & 0xC0 != 0x80:
                continue
            break
        else:
            out.append("\ufffd")
    return "".join(out)


def _quad_key(data: bytes) -> tuple[int, ...]:
    """How ByteQuadsCanonicalizer keys a name: big-endian int quads, the last one padded
    with 0xFF bytes (UTF8StreamJsonParser._padLastQuad); the byte length is not kept."""
    rest = len(data) & 3
    full = len(data) - rest
    quads = [int.from_bytes(data[i : i + 4], "big") for i in range(0, full, 4)]
    if rest:
        quads.append(int.from_bytes(data[full:], "big") | (0xFFFFFFFF << (rest << 3)) & 0xFFFFFFFF)
    return tuple(quads)


def source_description(content: bytes) -> str:
    """ContentReference.appendSourceDescription for a byte[] with textual content."""
    text = _java_utf8_decode(content[:_MAX_SNIPPET])
    # _appendEscaped: ISO control characters become \\uXXXX, except CR and LF.
    escaped = "".join(
        f"\\u{ord(c):04X}" if _is_iso_control(ord(c)) and c not in "\r\n" else c for c in text
    )
    desc = f'(byte[])"{escaped}"'
    if len(content) > _MAX_SNIPPET:
        desc += f"[truncated {len(content) - _MAX_SNIPPET} bytes]"
    return desc


# --------------------------------------------------------------------------- exact parser


class _Context:
    """JsonReadContext: type, entry index, start location and the DupDetector's names."""

    __slots__ = ("column", "index", "kind", "line", "names")

    def __init__(self, kind: int, line: int, column: int) -> None:
        self.kind = kind
        self.index = -1
        self.line = line
        self.column = column
        self.names: set[str] = set()


class _Utf8Parser:
    """UTF8StreamJsonParser over a whole ``byte[]``, driven as ES's ``parser.map()`` drives it."""

    def __init__(self, content: bytes, start: int) -> None:
        self.buf = content
        self.end = len(content)
        self.ptr = start
        self.row = 1
        # _currInputRowStart = start - bytesPreProcessed: the BOM counts in columns.
        self.row_start = 0
        self.token: int | None = None  # _currToken
        self.pending = 0  # _nextToken: the value token read along with a FIELD_NAME
        self.contexts = [_Context(_ROOT, 1, 0)]
        self.token_row = 1
        self.token_col = 0
        self.name_row = 1
        self.name_col = 0
        self.name = ""
        # The parser's symbol table: a name whose bytes pad to the quads of a name seen before
        # is that name, without being decoded (so some invalid UTF-8 names pass).
        self.symbols: dict[tuple[int, ...], str] = {}
        self.number: int | float = 0
        self._source: str | None = None

    # ------------------------------------------------------------------ driver

    def parse(self) -> dict[str, Any]:
        return self.call(self._read_map)

    def call(self, step: Callable[[], _T]) -> _T:
        """Run one parser step, turning Jackson's failures into Elasticsearch's errors."""
        try:
            return step()
        except _JacksonError as error:
            message = self._full_message(error)
            if error.eof:
                # XContentEOFException(IOException cause): its message is cause.toString(), and
                # the cause is rendered as caused_by (elastic/elasticsearch#111542 shows both).
                raise EsError(
                    500,
                    "x_content_e_o_f_exception",
                    "com.fasterxml.jackson.core.io.JsonEOFException: " + message,
                    caused_by=EsError(
                        500, "json_e_o_f_exception", message, elasticsearch_exception=False
                    ),
                    elasticsearch_exception=False,
                ) from None
            raise EsError(
                400,
                "x_content_parse_exception",
                f"[{error.line}:{error.column}] {message}",
                caused_by=EsError(
                    400, "json_parse_exception", message, elasticsearch_exception=False
                ),
                elasticsearch_exception=False,
            ) from None
        except _RawError as error:
            raise EsError(
                500, error.error_type, error.reason, elasticsearch_exception=False
            ) from None

    def _read_map(self, *, at_start: bool = False) -> dict[str, Any]:
        """AbstractXContentParser.map(), iteratively so that depth never costs Python frames.

        ``at_start``: the current token is already the object's START_OBJECT.
        """
        if not at_start and self.next_token() != _START_OBJECT:
            return {}  # findNonEmptyMapStart; unreachable once content detection has passed
        root: dict[str, Any] = {}
        parents: list[tuple[dict[str, Any], list[Any], bool]] = []
        obj = root
        arr: list[Any] = []
        in_obj = True
        next_token = self.next_token
        token = next_token()
        while True:
            if in_obj:
                if token != _FIELD_NAME:  # END_OBJECT
                    if not parents:
                        return root  # the rest of the body is never read
                    obj, arr, in_obj = parents.pop()
                    token = next_token()
                    continue
                key = self.name
                token = next_token()
            elif token == _END_ARRAY or token is None:
                obj, arr, in_obj = parents.pop()
                token = next_token()
                continue
            value: Any
            if token in (_VALUE_NUMBER_INT, _VALUE_NUMBER_FLOAT):
                value = self.number
            elif token == _VALUE_STRING:
                value = self.text()
            elif token == _VALUE_TRUE:
                value = True
            elif token == _VALUE_FALSE:
                value = False
            elif token in (_START_OBJECT, _START_ARRAY):
                child: dict[str, Any] | list[Any] = {} if token == _START_OBJECT else []
                if in_obj:
                    obj[key] = child
                else:
                    arr.append(child)
                parents.append((obj, arr, in_obj))
                if isinstance(child, dict):
                    obj, in_obj = child, True
                else:
                    arr, in_obj = child, False
                token = next_token()
                continue
            else:
                value = None
            if in_obj:
                obj[key] = value
            else:
                arr.append(value)
            token = next_token()

    # ------------------------------------------------------------------ errors

    def _source_desc(self) -> str:
        if self._source is None:
            self._source = source_description(self.buf)
        return self._source

    def _location(self, line: int, column: int) -> str:
        """JsonLocation.toString() for this content."""
        return f"[Source: {self._source_desc()}; line: {line}, column: {column}]"

    def _full_message(self, error: _JacksonError) -> str:
        """JsonProcessingException.getMessage(): message, newline, `` at `` and the location."""
        return f"{error.message}\n at {self._location(error.line, error.column)}"

    def _fail(self, message: str) -> NoReturn:
        """_reportError: a JsonParseException at getCurrentLocation()."""
        raise _JacksonError(message, self.row, self.ptr - self.row_start + 1, eof=False)

    def _fail_eof(self, detail: str) -> NoReturn:
        """_reportInvalidEOF(msg, token): a JsonEOFException."""
        raise _JacksonError(
            "Unexpected end-of-input" + detail, self.row, self.ptr - self.row_start + 1, eof=True
        )

    def _eof_in_token(self) -> NoReturn:
        """_loadMoreGuaranteed() failing: "in " + the current token, whatever it is."""
        self._fail_eof(" in " + _TOKEN_NAMES[self.token])

    def _unexpected_char(self, ch: int, comment: str) -> NoReturn:
        """_reportUnexpectedChar; a negative "character" is reported as end-of-input."""
        if ch < 0:
            self._eof_in_token()
        self._fail(f"Unexpected character ({_char_desc(ch)}): {comment}")

    def _unexpected_number_char(self, ch: int, comment: str) -> NoReturn:
        self._fail(f"Unexpected character ({_char_desc(ch)}) in numeric value: {comment}")

    def _throw_invalid_space(self, ch: int) -> NoReturn:
        self._fail(
            f"Illegal character ({_char_desc(ch)}): only regular white space "
            "(\\r, \\n, \\t) is allowed between tokens"
        )

    def _throw_unquoted_space(self, ch: int, where: str) -> NoReturn:
        self._fail(
            f"Illegal unquoted character ({_char_desc(ch)}): has to be escaped using "
            f"backslash to be included in {where}"
        )

    def _invalid_initial(self, byte: int) -> NoReturn:
        self._fail(f"Invalid UTF-8 start byte 0x{_java_hex(byte)}")

    def _invalid_other(self, value: int) -> NoReturn:
        self._fail(f"Invalid UTF-8 middle byte 0x{_java_hex(value)}")

    def _invalid_char(self, byte: int) -> NoReturn:
        """_reportInvalidChar: control characters and bytes that cannot start UTF-8."""
        if byte < 0x20:
            self._throw_invalid_space(byte)
        self._invalid_initial(byte)

    def _constraint(self, message: str) -> NoReturn:
        """StreamConstraintsException: no location, and ES does not wrap it."""
        raise _RawError("stream_constraints_exception", message)

    # ------------------------------------------------------------------ low-level input

    def _next_byte(self) -> int:
        if self.ptr >= self.end:
            self._eof_in_token()
        byte = self.buf[self.ptr]
        self.ptr += 1
        return byte

    def _decode_char_for_error(self, first: int) -> int:
        """_decodeCharForError: the code point starting with ``first`` (more bytes are read)."""
        c = first & 0xFF
        if c > 127:
            kind = _utf8_class(c)
            if kind < 0:
                self._invalid_initial(c)
            c &= _LEAD_BITS[kind]
            for _ in range(kind - 1):
                d = self._next_byte()
                if d & 0xC0 != 0x80:
                    self._invalid_other(d)
                c = c << 6 | (d & 0x3F)
        return c

    def _skip_cr(self) -> None:
        if self.ptr < self.end and self.buf[self.ptr] == 10:
            self.ptr += 1
        self.row += 1
        self.row_start = self.ptr

    def _skip_ws(self) -> int:
        """The shared body of _skipWS/_skipWSOrEnd/_skipColon2: next byte, or -1 at the end."""
        buf = self.buf
        end = self.end
        while self.ptr < end:
            c = buf[self.ptr]
            self.ptr += 1
            if c > 32:
                if c == 0x2F:  # '/': ALLOW_COMMENTS is on in Elasticsearch
                    self._skip_comment()
                    continue
                return c  # including '#': ALLOW_YAML_COMMENTS is off
            if c == 32 or c == 9:
                self.ptr = _BLANKS.match(buf, self.ptr).end()  # type: ignore[union-attr]
            elif c == 10:
                self.row += 1
                self.row_start = self.ptr
            elif c == 13:
                self._skip_cr()
            else:
                self._throw_invalid_space(c)
        return -1

    def _skip_comment(self) -> None:
        if self.ptr >= self.end:
            self._fail_eof(" in a comment")
        c = self.buf[self.ptr]
        self.ptr += 1
        if c == 0x2F:
            self._skip_line()
        elif c == 0x2A:
            self._skip_c_comment()
        else:
            self._unexpected_char(c, "was expecting either '*' or '/' for a comment")

    def _skip_utf8_tail(self, count: int) -> None:
        """_skipUtf8_2/3/4: continuation bytes of a character inside a comment."""
        for _ in range(count):
            if self.ptr >= self.end:
                self._eof_in_token()
            c = self.buf[self.ptr]
            self.ptr += 1
            if c & 0xC0 != 0x80:
                self._invalid_other(c)

    def _skip_line(self) -> None:
        buf = self.buf
        while self.ptr < self.end:
            c = buf[self.ptr]
            self.ptr += 1
            code = _COMMENT_CODES[c]
            if code == 0 or code == 42:
                continue
            if code == 10:
                self.row += 1
                self.row_start = self.ptr
                return
            if code == 13:
                self._skip_cr()
                return
            if code > 0:
                self._skip_utf8_tail(code - 1)
            else:
                self._invalid_char(c)

    def _skip_c_comment(self) -> None:
        buf = self.buf
        while self.ptr < self.end:
            c = buf[self.ptr]
            self.ptr += 1
            code = _COMMENT_CODES[c]
            if code == 0:
                continue
            if code == 42:
                if self.ptr >= self.end:
                    break
                if buf[self.ptr] == 0x2F:
                    self.ptr += 1
                    return
            elif code == 10:
                self.row += 1
                self.row_start = self.ptr
            elif code == 13:
                self._skip_cr()
            elif code > 0:
                self._skip_utf8_tail(code - 1)
            else:
                self._invalid_char(c)
        self._fail_eof(" in a comment")

    # ------------------------------------------------------------------ tokens

    def _update_location(self) -> None:
        self.token_row = self.row
        self.token_col = self.ptr - self.row_start

    def _push(self, kind: int) -> None:
        """createChildArrayContext / createChildObjectContext, then validateNestingDepth."""
        self.contexts.append(_Context(kind, self.token_row, self.token_col))
        depth = len(self.contexts) - 1
        if depth > _MAX_DEPTH:
            self._constraint(
                f"Depth ({depth}) exceeds the maximum allowed nesting depth ({_MAX_DEPTH})"
            )

    def _close_scope(self, closer: int) -> int:
        """_closeArrayScope / _closeObjectScope."""
        self._update_location()
        context = self.contexts[-1]
        wanted = _ARRAY if closer == 0x5D else _OBJECT
        if context.kind != wanted:
            # _reportMismatchedEndMarker: the expected character is fixed per closer.
            expected = "}" if closer == 0x5D else "]"
            self._fail(
                f"Unexpected close marker '{chr(closer)}': expected '{expected}' (for "
                f"{_TYPE_DESC[context.kind]} starting at "
                f"{self._location(context.line, context.column)})"
            )
        self.contexts.pop()
        self.token = _END_ARRAY if wanted == _ARRAY else _END_OBJECT
        return self.token

    def next_token(self) -> int | None:
        """UTF8StreamJsonParser.nextToken()."""
        if self.token == _FIELD_NAME:  # _nextAfterName
            token = self.pending
            if token == _START_ARRAY:
                self._push(_ARRAY)
            elif token == _START_OBJECT:
                self._push(_OBJECT)
            self.token = token
            return token
        ptr = self.ptr
        i = self.buf[ptr] if ptr < self.end else 0
        if i > 32 and i != 0x2F:  # most tokens follow their predecessor directly
            self.ptr = ptr + 1
        else:
            i = self._skip_ws()
        context = self.contexts[-1]
        if i < 0:  # _eofAsNextChar -> _handleEOF
            if context.kind != _ROOT:
                self._fail_eof(
                    f": expected close marker for {_TYPE_DESC[context.kind]} (start marker at "
                    f"{self._location(context.line, context.column)})"
                )
            self.token = None
            return None
        if i == 0x5D or i == 0x7D:
            return self._close_scope(i)
        context.index += 1
        if context.kind != _ROOT and context.index > 0:  # expectComma()
            if i != 0x2C:
                self._unexpected_char(
                    i, f"was expecting comma to separate {_TYPE_DESC[context.kind]} entries"
                )
            ptr = self.ptr
            i = self.buf[ptr] if ptr < self.end else 0
            if i > 32 and i != 0x2F:
                self.ptr = ptr + 1
            else:
                i = self._skip_ws()
            if i < 0:  # _skipWS2 ends in _constructError, not an EOF exception
                self._fail(
                    f"Unexpected end-of-input within/between {_TYPE_DESC[context.kind]} entries"
                )
        if context.kind != _OBJECT:
            self.token_row = self.row  # _updateLocation
            self.token_col = self.ptr - self.row_start
            if 0x30 <= i <= 0x39:
                self.token = self._parse_number(i, negative=False)
                return self.token
            return self._value_not_in_object(i)
        self.name_row = self.row  # _updateNameLocation: just past the opening quote
        self.name_col = self.ptr - self.row_start
        name = self._parse_name(i)
        if name in context.names:  # JsonReadContext._checkDup
            self._fail(f"Duplicate field '{name}'")
        context.names.add(name)
        self.name = name
        self.token = _FIELD_NAME
        i = self._skip_colon()
        self._update_location()
        self.pending = _VALUE_STRING if i == 0x22 else self._value_start(i)
        return _FIELD_NAME

    def _value_not_in_object(self, i: int) -> int:
        """_nextTokenNotInObject: containers are entered at once outside objects."""
        if i == 0x22:
            token = _VALUE_STRING
        elif i == 0x5B:
            self._push(_ARRAY)
            token = _START_ARRAY
        elif i == 0x7B:
            self._push(_OBJECT)
            token = _START_OBJECT
        else:
            token = self._value_start(i)
        self.token = token
        return token

    def _value_start(self, i: int) -> int:
        """The value switch of nextToken(); the current token is left untouched meanwhile."""
        if 0x30 <= i <= 0x39:
            return self._parse_number(i, negative=False)
        if i == 0x2D:
            return self._parse_number(i, negative=True)
        if i == 0x74:
            self._match_token("true", 1)
            return _VALUE_TRUE
        if i == 0x66:
            self._match_token("false", 1)
            return _VALUE_FALSE
        if i == 0x6E:
            self._match_token("null", 1)
            return _VALUE_NULL
        if i == 0x5B:
            return _START_ARRAY
        if i == 0x7B:
            return _START_OBJECT
        # '.' (_parseFloatThatStartsWithPeriod, leading decimal point not allowed), '+' and
        # everything else.
        return self._handle_unexpected_value(i)

    def _skip_colon(self) -> int:
        """_skipColon / _skipColon2: the byte after the colon and any white space."""
        i = self._skip_ws()
        if i < 0:
            self._fail_eof(" within/between Object entries")
        if i != 0x3A:
            self._unexpected_char(i, "was expecting a colon to separate field name and value")
        i = self._skip_ws()
        if i < 0:
            self._fail_eof(" within/between Object entries")
        return i

    # ------------------------------------------------------------------ literals & oddities

    def _match_token(self, word: str, matched: int) -> None:
        """_matchToken / _matchToken2 (and _matchTrue & co., which end the same way)."""
        buf = self.buf
        for expected in word[matched:]:
            if self.ptr >= self.end or buf[self.ptr] != ord(expected):
                self._report_invalid_token(word[:matched])
            self.ptr += 1
            matched += 1
        if self.ptr >= self.end:
            return
        ch = buf[self.ptr]
        # _checkMatchEnd decodes from the byte it has not consumed: a UTF-8 lead byte is read
        # again as its own continuation.
        if (
            ch >= 0x30
            and ch not in (0x5D, 0x7D)
            and _is_java_identifier_part(self._decode_char_for_error(ch) & 0xFFFF)
        ):
            self._report_invalid_token(word[:matched])

    def _report_invalid_token(self, matched: str) -> NoReturn:
        """_reportInvalidToken: extend the token over following identifier characters."""
        text = matched
        while self.ptr < self.end:
            byte = self.buf[self.ptr]
            self.ptr += 1
            char = self._decode_char_for_error(byte) & 0xFFFF
            if not _is_java_identifier_part(char):
                break
            text += chr(char)
            if len(text) >= 256:
                text += "..."
                break
        self._fail(f"Unrecognized token '{text}': was expecting {_VALID_VALUES}")

    def _handle_unexpected_value(self, c: int) -> NoReturn:
        """_handleUnexpectedValue with every lenient JsonReadFeature disabled."""
        in_array = self.contexts[-1].kind == _ARRAY
        if c == 0x2C or c == 0x7D or (c == 0x5D and in_array):
            self._unexpected_char(c, "expected a value")
        if c == 0x4E:
            self._match_token("NaN", 1)
            self._fail(
                "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` "
                "to allow"
            )
        if c == 0x49:
            self._match_token("Infinity", 1)
            self._fail(
                "Non-standard token 'Infinity': enable "
                "`JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
            )
        if c == 0x2B:
            if self.ptr >= self.end:
                self._fail_eof(" in a Number value")  # _reportInvalidEOFInValue
            self.ptr += 1
            self._invalid_number_start(self.buf[self.ptr - 1], negative=False, has_sign=True)
        if _is_java_identifier_start(c):
            self._report_invalid_token(chr(c))
        self._unexpected_char(c, f"expected a valid value {_VALID_VALUES}")

    def _invalid_number_start(self, ch: int, negative: bool, has_sign: bool) -> NoReturn:
        """_handleInvalidNumberStart: "-INF"/"+Infinity" and friends, or a bad first digit."""
        while ch == 0x49:
            if self.ptr >= self.end:
                self._fail_eof(" in a Number value")
            ch = _signed(self.buf[self.ptr])  # read without masking
            self.ptr += 1
            if ch == 0x4E:
                match = "-INF" if negative else "+INF"
            elif ch == 0x6E:
                match = "-Infinity" if negative else "+Infinity"
            else:
                break
            self._match_token(match, 3)
            self._fail(
                f"Non-standard token '{match}': enable "
                "`JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
            )
        if has_sign and not negative:
            self._unexpected_number_char(
                0x2B,
                "JSON spec does not allow numbers to have plus signs: enable "
                "`JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` to allow",
            )
        self._unexpected_number_char(
            ch,
            "expected digit (0-9) to follow minus sign, for valid numeric value"
            if negative
            else "expected digit (0-9) for valid numeric value",
        )

    # ------------------------------------------------------------------ numbers

    def _parse_number(self, first: int, negative: bool) -> int:
        """_parseUnsignedNumber / _parseSignedNumber / _parseFloat; the value is kept."""
        buf = self.buf
        start = self.ptr - 1
        c = first
        if negative:
            if self.ptr >= self.end:
                self._eof_in_token()
            c = buf[self.ptr]
            self.ptr += 1
            if c == 0x2E:  # "-.5": leading decimal point not allowed
                self._handle_unexpected_value(0x2E)
            if not 0x30 <= c <= 0x39:
                self._invalid_number_start(c, negative=True, has_sign=True)
        if c == 0x30 and self.ptr < self.end and 0x30 <= buf[self.ptr] <= 0x39:
            # _verifyNoLeadingZeroes reports before consuming the second digit.
            self._fail("Invalid numeric value: Leading zeroes not allowed")
        digits_end = _DIGITS.match(buf, self.ptr).end()  # type: ignore[union-attr]
        int_len = 1 + digits_end - self.ptr
        self.ptr = digits_end
        if digits_end < self.end and buf[digits_end] in (0x2E, 0x65, 0x45):
            self.ptr += 1
            return self._parse_float(buf[digits_end], start, int_len)
        if int_len > _MAX_NUMBER_LENGTH:  # resetInt -> validateIntegerLength
            self._constraint(
                f"Number length ({int_len}) exceeds the maximum length ({_MAX_NUMBER_LENGTH})"
            )
        self.number = int(buf[start:digits_end])
        return _VALUE_NUMBER_INT

    def _parse_float(self, c: int, start: int, int_len: int) -> int:
        buf = self.buf
        end = self.end
        fract_len = 0
        eof = False
        if c == 0x2E:
            digits_end = _DIGITS.match(buf, self.ptr).end()  # type: ignore[union-attr]
            fract_len = digits_end - self.ptr
            self.ptr = digits_end
            if digits_end >= end:
                eof = True
                if fract_len:
                    c = buf[digits_end - 1]
            else:
                c = buf[digits_end]
                self.ptr += 1
            if fract_len == 0:
                self._unexpected_number_char(c, "Decimal point not followed by a digit")
        exp_len = 0
        if c == 0x65 or c == 0x45:
            if self.ptr >= end:
                self._eof_in_token()
            c = buf[self.ptr]
            self.ptr += 1
            if c == 0x2D or c == 0x2B:
                if self.ptr >= end:
                    self._eof_in_token()
                c = buf[self.ptr]
                self.ptr += 1
            while 0x30 <= c <= 0x39:
                exp_len += 1
                if self.ptr >= end:
                    eof = True
                    break
                c = buf[self.ptr]
                self.ptr += 1
            if exp_len == 0:
                self._unexpected_number_char(c, "Exponent indicator not followed by a digit")
        if not eof:
            self.ptr -= 1
        length = int_len + fract_len + exp_len
        if length > _MAX_NUMBER_LENGTH:  # resetFloat -> validateFPLength
            self._constraint(
                f"Number length ({length}) exceeds the maximum length ({_MAX_NUMBER_LENGTH})"
            )
        self.number = float(buf[start : self.ptr])  # Java doubles overflow to infinity too
        return _VALUE_NUMBER_FLOAT

    # ------------------------------------------------------------------ names

    def _parse_name(self, i: int) -> str:
        """_parseName and its slow paths: raw bytes first, UTF-8 decoding at the end."""
        if i != 0x22:
            # _handleOddName: no single quotes, no unquoted names.
            char = self._decode_char_for_error(i) & 0xFFFF
            self._unexpected_char(char, "was expecting double-quote to start field name")
        buf = self.buf
        end = self.end
        if self.ptr >= end:
            self._fail_eof(": was expecting closing '\"' for name")
        plain_end = _PLAIN_TEXT.match(buf, self.ptr).end()  # type: ignore[union-attr]
        if plain_end < end and buf[plain_end] == 0x22:
            raw = buf[self.ptr : plain_end]
            self.ptr = plain_end + 1
            return self._name_for(raw)
        data = bytearray()
        while True:
            plain_end = _PLAIN_TEXT.match(buf, self.ptr).end()  # type: ignore[union-attr]
            if plain_end > self.ptr:
                data += buf[self.ptr : plain_end]
                self.ptr = plain_end
                if self.ptr >= end:
                    self._fail_eof(" in field name")
            c = buf[self.ptr]
            self.ptr += 1
            if c == 0x22:
                break
            if c == 0x5C:
                ch = self._decode_escaped()
                # parseEscapedName re-encodes escapes above 127 (surrogates in 3 bytes).
                if ch < 0x80:
                    data.append(ch)
                elif ch < 0x800:
                    data += bytes((0xC0 | ch >> 6, 0x80 | (ch & 0x3F)))
                else:
                    data += bytes((0xE0 | ch >> 12, 0x80 | (ch >> 6 & 0x3F), 0x80 | (ch & 0x3F)))
            else:
                self._throw_unquoted_space(c, "name")
            if self.ptr >= end:
                self._fail_eof(" in field name")
        return self._name_for(bytes(data))

    def _name_for(self, data: bytes) -> str:
        """ByteQuadsCanonicalizer.findName, else addName."""
        if not data:
            return ""  # _parseName returns "" without a lookup
        key = _quad_key(data)
        name = self.symbols.get(key)
        if name is None:
            name = data.decode("ascii") if data.isascii() else self._decode_name(data)
            self.symbols[key] = name
        return name

    def _decode_name(self, data: bytes) -> str:
        """addName: decode the name's bytes once the closing quote has been read."""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        size = len(data)

        def quad_byte(index: int) -> int:
            # addName reads bytes out of big-endian int quads with an arithmetic shift, so a
            # bad continuation byte is reported together with the bytes before it in its quad.
            base = index & ~3
            quad = int.from_bytes(data[base : base + 4].ljust(4, b"\0"), "big", signed=True)
            return quad >> ((3 - (index & 3)) << 3)

        chars: list[str] = []
        ix = 0
        while ix < size:
            ch = data[ix]
            ix += 1
            if ch > 127:
                kind = _utf8_class(ch)
                if kind < 0:
                    self._invalid_initial(ch)
                ch &= _LEAD_BITS[kind]
                needed = kind - 1
                if ix + needed > size:
                    self._fail_eof(" in field name")
                for step in range(needed):
                    ch2 = quad_byte(ix)
                    ix += 1
                    if ch2 & 0xC0 != 0x80:
                        self._invalid_other(ch2 & 0xFF if step == 2 else ch2)
                    ch = ch << 6 | (ch2 & 0x3F)
                if needed > 2:
                    ch -= 0x10000
                    chars.append(chr((0xD800 + (ch >> 10)) & 0xFFFF))
                    ch = 0xDC00 | (ch & 0x3FF)
            chars.append(chr(ch & 0xFFFF))
        return _pair_surrogates("".join(chars))

    # ------------------------------------------------------------------ strings

    def _decode_escaped(self) -> int:
        """_decodeEscaped: the character after a backslash (the pointer is past it)."""
        if self.ptr >= self.end:
            self._fail_eof(" in character escape sequence")
        c = self.buf[self.ptr]
        self.ptr += 1
        simple = _SIMPLE_ESCAPES.get(c)
        if simple is not None:
            return simple
        if c == 0x75:
            value = 0
            for _ in range(4):
                if self.ptr >= self.end:
                    self._fail_eof(" in character escape sequence")
                ch = self.buf[self.ptr]
                self.ptr += 1
                digit = _HEX_VALUES.get(ch)
                if digit is None:
                    self._unexpected_char(ch, "expected a hex-digit for character escape sequence")
                value = value << 4 | digit
            return value
        char = self._decode_char_for_error(c) & 0xFFFF
        self._fail(f"Unrecognized character escape {_char_desc(char)}")

    def text(self) -> str:
        """getText() on a VALUE_STRING: decode it now; failures escape ES unwrapped."""
        try:
            return self._finish_string()
        except _JacksonError as error:
            kind = "json_e_o_f_exception" if error.eof else "json_parse_exception"
            raise _RawError(kind, self._full_message(error)) from None

    def _finish_string(self) -> str:
        """_finishAndReturnString / _finishString2."""
        buf = self.buf
        end = self.end
        parts: list[str] = []
        pair = False  # surrogates may have to be joined the way a Java String would hold them
        while True:
            plain_end = _PLAIN_TEXT.match(buf, self.ptr).end()  # type: ignore[union-attr]
            if plain_end > self.ptr:
                chunk = buf[self.ptr : plain_end]
                try:
                    parts.append(chunk.decode("utf-8"))
                    self.ptr = plain_end
                except UnicodeDecodeError:
                    parts.append(self._decode_utf8_run(plain_end))
                    pair = True
            if self.ptr >= end:
                self._eof_in_token()
            c = buf[self.ptr]
            self.ptr += 1
            if c == 0x22:
                break
            if c == 0x5C:
                ch = self._decode_escaped()
                parts.append(chr(ch))
                pair = pair or 0xD800 <= ch <= 0xDFFF
            else:
                self._throw_unquoted_space(c, "string value")
        text = "".join(parts)
        return _pair_surrogates(text) if pair else text

    def _decode_utf8_run(self, stop: int) -> str:
        """Jackson's own UTF-8 decoding (lenient about overlong forms and surrogates)."""
        buf = self.buf
        chars: list[str] = []
        while self.ptr < stop:
            c = buf[self.ptr]
            self.ptr += 1
            if c < 0x80:
                chars.append(chr(c))
                continue
            kind = _utf8_class(c)
            if kind < 0:
                self._invalid_char(c)  # _reportInvalidChar after the byte
            code = c & _LEAD_BITS[kind]
            for _ in range(kind - 1):
                d = self._next_byte()  # a quote or backslash here is a bad middle byte
                if d & 0xC0 != 0x80:
                    self._invalid_other(d)
                code = code << 6 | (d & 0x3F)
            if kind == 4:
                code -= 0x10000  # _decodeUtf8_4, then two chars split with OR, not ADD
                chars.append(chr((0xD800 | (code >> 10)) & 0xFFFF))
                chars.append(chr(0xDC00 | (code & 0x3FF)))
            else:
                chars.append(chr(code))
        return "".join(chars)


# XContentParser.Token: Elasticsearch's names for Jackson's tokens.
_XCONTENT_TOKENS = {
    _START_OBJECT: "START_OBJECT",
    _END_OBJECT: "END_OBJECT",
    _START_ARRAY: "START_ARRAY",
    _END_ARRAY: "END_ARRAY",
    _FIELD_NAME: "FIELD_NAME",
    _VALUE_STRING: "VALUE_STRING",
    _VALUE_NUMBER_INT: "VALUE_NUMBER",
    _VALUE_NUMBER_FLOAT: "VALUE_NUMBER",
    _VALUE_TRUE: "VALUE_BOOLEAN",
    _VALUE_FALSE: "VALUE_BOOLEAN",
    _VALUE_NULL: "VALUE_NULL",
}


class JsonTokens:
    """A body read token by token, as ``RestRequest.contentParser()`` gives it to a handler.

    No content detection happens first (``createParserNotCompressed``); token names
    are Elasticsearch's (``VALUE_NUMBER``, ``VALUE_BOOLEAN``) and locations 1-based.
    """

    def __init__(self, content: bytes) -> None:
        start = 3 if len(content) >= 4 and content.startswith(_UTF8_BOM) else 0
        self._parser = _Utf8Parser(content, start)

    def next_token(self) -> str | None:
        token = self._parser.call(self._parser.next_token)
        return None if token is None else _XCONTENT_TOKENS[token]

    @property
    def current_name(self) -> str:
        return self._parser.name

    @property
    def token_location(self) -> str:
        """``line:column`` of the current token (``getTokenLocation``; a name's own for a name)."""
        parser = self._parser
        if parser.token == _FIELD_NAME:
            return f"{parser.name_row}:{parser.name_col}"
        return f"{parser.token_row}:{parser.token_col}"

    def text(self) -> str:
        return self._parser.call(self._parser.text)

    def scalar(self) -> Any:
        """The current number or boolean token's value (``numberValue()`` / ``booleanValue()``)."""
        parser = self._parser
        if parser.token in (_VALUE_NUMBER_INT, _VALUE_NUMBER_FLOAT):
            return parser.number
        return parser.token == _VALUE_TRUE

    def map_ordered(self) -> dict[str, Any]:
        """The object starting at the current token (``XContentParser.mapOrdered()``)."""
        return self._parser.call(lambda: self._parser._read_map(at_start=True))
