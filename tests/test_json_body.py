"""Request bodies are read as Elasticsearch 8.11 reads them: Jackson 2.15 over a byte[].

Every expected message below was produced by the real jackson-core 2.15.2 jar driven the way
Elasticsearch 8.11 drives it (JsonXContentImpl features, JsonXContentParser wrapping,
AbstractXContentParser.map()).  Test names say which Jackson behaviour they pin down.
"""

from __future__ import annotations

import math

import pytest

from fake_es.rest.errors import EsError
from fake_es.rest.json_body import parse_json_object

VALID = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


def _error(body: bytes) -> EsError:
    with pytest.raises(EsError) as info:
        parse_json_object(body)
    return info.value


def _located(message: str, line: int, column: int, source: str) -> str:
    """JsonProcessingException.getMessage(): message + location (JsonLocation.toString())."""
    return f'{message}\n at [Source: (byte[])"{source}"; line: {line}, column: {column}]'


def _assert_syntax_error(
    body: bytes, message: str, line: int, column: int, source: str | None = None
) -> None:
    """JsonParseException from nextToken(): XContentParseException, HTTP 400."""
    full = _located(message, line, column, body.decode() if source is None else source)
    error = _error(body)
    assert error.status == 400
    assert error.error_type == "x_content_parse_exception"
    assert error.reason == f"[{line}:{column}] {full}"
    assert error.elasticsearch_exception is False
    assert error.caused_by is not None
    assert error.caused_by.error_type == "json_parse_exception"
    assert error.caused_by.reason == full
    assert error.caused_by.caused_by is None


def _assert_eof_error(
    body: bytes, message: str, line: int, column: int, source: str | None = None
) -> None:
    """JsonEOFException from nextToken(): XContentEOFException (an IOException), HTTP 500."""
    full = _located(message, line, column, body.decode() if source is None else source)
    error = _error(body)
    assert error.status == 500
    assert error.error_type == "x_content_e_o_f_exception"
    assert error.reason == "com.fasterxml.jackson.core.io.JsonEOFException: " + full
    assert error.elasticsearch_exception is False
    assert error.caused_by is not None
    assert error.caused_by.error_type == "json_e_o_f_exception"
    assert error.caused_by.reason == full


def _assert_unwrapped_error(
    body: bytes, error_type: str, message: str, line: int, column: int, source: str | None = None
) -> None:
    """An exception from text() (string values are decoded lazily): not wrapped, HTTP 500."""
    full = _located(message, line, column, body.decode() if source is None else source)
    error = _error(body)
    assert error.status == 500
    assert error.error_type == error_type
    assert error.reason == full
    assert error.caused_by is None
    assert error.elasticsearch_exception is False


# --------------------------------------------------------------------------- content detection


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"[1]", b"abc", b'"{}"', b"\n\t x{", b"\xef\xbb\xbf", b"/**/{}", b"\x00{}"],
)
def test_bodies_not_starting_with_a_brace_fail_xcontent_detection(body: bytes) -> None:
    """XContentFactory.xContentType: '{' first, or whitespace (after a BOM) and then '{'."""
    error = _error(body)
    assert error.status == 500
    assert error.error_type == "not_x_content_exception"
    assert error.reason == (
        "Compressor detection can only be called on some xcontent bytes or compressed "
        "xcontent bytes"
    )
    assert error.caused_by is None
    assert error.elasticsearch_exception is False


def test_lzf_header_is_reported_as_ancient_compression() -> None:
    """CompressorFactory.isAncient: 'ZV' + 0/1 before 2.0 gets an IllegalStateException."""
    error = _error(b"ZV\x00rest")
    assert error.status == 500
    assert error.error_type == "illegal_state_exception"
    assert error.reason == (
        "unsupported compression: index was created before v2.0.0.beta1 and wasn't upgraded?"
    )


def test_java_whitespace_passes_detection_but_jackson_rejects_it() -> None:
    """Character.isWhitespace accepts VT for detection; _skipWSOrEnd -> _throwInvalidSpace."""
    _assert_syntax_error(
        b'\x0b{"a":1}',
        "Illegal character ((CTRL-CHAR, code 11)): only regular white space "
        "(\\r, \\n, \\t) is allowed between tokens",
        1,
        2,
        source='\\u000B{"a":1}',
    )


def test_yaml_marker_passes_detection_then_fails_as_json() -> None:
    """'---' is YAML for detection; JSON reads '-' as a sign (_handleInvalidNumberStart)."""
    _assert_syntax_error(
        b"---\nservice: elser\n",
        "Unexpected character ('-' (code 45)) in numeric value: expected digit (0-9) to "
        "follow minus sign, for valid numeric value",
        1,
        3,
    )


def test_smile_header_passes_detection_then_fails_as_json() -> None:
    """':)\\n' is SMILE for detection; ':' is no JSON value (_handleUnexpectedValue)."""
    _assert_syntax_error(
        b":)\nx",
        f"Unexpected character (':' (code 58)): expected a valid value {VALID}",
        1,
        2,
    )


def test_cbor_map_byte_passes_detection_then_fails_as_json() -> None:
    """A CBOR map major type passes detection; Jackson sees a Latin-1 byte (not UTF-8 decoded)."""
    _assert_syntax_error(
        b"\xa1aa",
        f"Unexpected character ('\u00a1' (code 161)): expected a valid value {VALID}",
        1,
        2,
        source="\ufffdaa",
    )


def test_bom_and_whitespace_are_skipped_but_counted_in_columns() -> None:
    """ByteSourceJsonBootstrapper skips the BOM; _currInputRowStart = start - bytesPreProcessed."""
    assert parse_json_object(b'\xef\xbb\xbf \n {"a":1}') == {"a": 1}
    _assert_syntax_error(
        b'\xef\xbb\xbf {"a":x}',
        f"Unrecognized token 'x': was expecting {VALID}",
        1,
        12,
        source='\ufeff {"a":x}',
    )


# --------------------------------------------------------------------------- values


def test_values_convert_like_parser_map() -> None:
    """AbstractXContentParser.readValueUnsafe: text(), numberValue(), booleanValue(), null."""
    body = (
        b'{"s":"x","i":42,"neg":-7,"big":123456789012345678901234567890,'
        b'"f":2.5,"e":1e3,"E":-1.5E-2,"t":true,"fa":false,"n":null,'
        b'"o":{"k":[1,"two",[],{}]},"empty":{},"arr":[]}'
    )
    result = parse_json_object(body)
    expected = {
        "s": "x",
        "i": 42,
        "neg": -7,
        "big": 123456789012345678901234567890,
        "f": 2.5,
        "e": 1000.0,
        "E": -0.015,
        "t": True,
        "fa": False,
        "n": None,
        "o": {"k": [1, "two", [], {}]},
        "empty": {},
        "arr": [],
    }
    assert result == expected
    assert type(result["i"]) is int
    assert type(result["e"]) is float
    assert list(result) == list(expected)  # document order, as a LinkedHashMap would keep it


def test_float_overflow_and_underflow_follow_java_double() -> None:
    """Double parsing (FastDoubleParser) overflows to Infinity and underflows to 0.0."""
    result = parse_json_object(b'{"a":1e400,"b":-1e400,"c":1e-400,"d":-0.0,"e":-0}')
    assert result["a"] == math.inf
    assert result["b"] == -math.inf
    assert result["c"] == 0.0
    assert math.copysign(1.0, result["d"]) == -1.0
    assert result["e"] == 0
    assert type(result["e"]) is int


def test_string_escapes_and_surrogate_pairs() -> None:
    """_decodeEscaped: JSON escapes; \\uD83D\\uDE00 pairs up, a lone surrogate stays."""
    body = b'{"a":"q\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\\u00e9\\ud83d\\ude00\\ud800\\u0000"}'
    assert parse_json_object(body) == {"a": 'q"b\\s/n\nt\tr\rb\bf\f\u00e9\U0001f600\ud800\x00'}


def test_raw_utf8_including_jackson_leniencies() -> None:
    """_decodeUtf8_2/3/4 decode UTF-8, but accept a surrogate encoded in three bytes."""
    assert parse_json_object('{"\u00e9":"\u20ac\U0001f600"}'.encode()) == {
        "\u00e9": "\u20ac\U0001f600"
    }
    assert parse_json_object(b'{"a":"\xed\xa0\x80"}') == {"a": "\ud800"}


def test_comments_are_allowed_as_elasticsearch_enables_them() -> None:
    """JsonXContentImpl sets ALLOW_COMMENTS: _skipComment handles // and /* */."""
    body = b'{"a":1 // note\n, /* c */ "b" /**/ : /* x */ 2}'
    assert parse_json_object(body) == {"a": 1, "b": 2}


def test_content_after_the_object_is_never_read() -> None:
    """parser.map() stops at the END_OBJECT that closes the root."""
    assert parse_json_object(b'{"x":[1]} trailing garbage \xff') == {"x": [1]}
    assert parse_json_object(b'{"a": 1}\r\n{"\xe9":2') == {"a": 1}


def test_empty_object() -> None:
    """findNonEmptyMapStart: START_OBJECT followed by END_OBJECT is an empty map."""
    assert parse_json_object(b" {} ") == {}


# --------------------------------------------------------------------------- syntax errors


def test_unexpected_character_where_a_value_is_expected() -> None:
    """_handleUnexpectedValue: '}' after a colon -> "expected a value"."""
    _assert_syntax_error(
        b'{"service": }', "Unexpected character ('}' (code 125)): expected a value", 1, 14
    )


def test_expecting_double_quote_to_start_field_name() -> None:
    """_handleOddName without ALLOW_UNQUOTED_FIELD_NAMES."""
    _assert_syntax_error(
        b"{bad",
        "Unexpected character ('b' (code 98)): was expecting double-quote to start field name",
        1,
        3,
    )


def test_trailing_comma_in_object_expects_a_field_name() -> None:
    """ALLOW_TRAILING_COMMA is off: after ',' comes _parseName('}')."""
    _assert_syntax_error(
        b'{"a":1,}',
        "Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
        1,
        9,
    )


def test_trailing_comma_in_array_expects_a_value() -> None:
    """_handleUnexpectedValue(']') inside an array, ALLOW_MISSING_VALUES off."""
    _assert_syntax_error(
        b'{"a":[1,]}', "Unexpected character (']' (code 93)): expected a value", 1, 10
    )


def test_expecting_a_colon() -> None:
    """_skipColon2: anything but ':' after a field name."""
    _assert_syntax_error(
        b'{"a" 1}',
        "Unexpected character ('1' (code 49)): was expecting a colon to separate field name "
        "and value",
        1,
        7,
    )


def test_expecting_comma_between_object_entries() -> None:
    """nextToken(): expectComma() in an Object context."""
    _assert_syntax_error(
        b'{"a":1 "b":2}',
        "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries",
        1,
        9,
    )


def test_expecting_comma_between_array_entries() -> None:
    """nextToken(): expectComma() in an Array context."""
    _assert_syntax_error(
        b'{"a":[1 2]}',
        "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries",
        1,
        10,
    )


def test_mismatched_close_markers_report_where_the_scope_started() -> None:
    """_reportMismatchedEndMarker with the context's startLocation."""
    _assert_syntax_error(
        b'{"a":1]',
        "Unexpected close marker ']': expected '}' (for Object starting at "
        '[Source: (byte[])"{"a":1]"; line: 1, column: 1])',
        1,
        8,
    )
    _assert_syntax_error(
        b'{"a":[1}',
        "Unexpected close marker '}': expected ']' (for Array starting at "
        '[Source: (byte[])"{"a":[1}"; line: 1, column: 6])',
        1,
        9,
    )


@pytest.mark.parametrize(
    ("body", "token", "column"),
    [
        (b'{"a":tru}', "tru", 10),
        (b'{"a":nul}', "nul", 10),
        (b'{"a":tru', "tru", 9),
        (b'{"a":truex}', "truex", 12),
    ],
)
def test_unrecognized_tokens(body: bytes, token: str, column: int) -> None:
    """_matchToken2 / _checkMatchEnd -> _reportInvalidToken, which reads on through the token."""
    _assert_syntax_error(body, f"Unrecognized token '{token}': was expecting {VALID}", 1, column)


@pytest.mark.parametrize(
    ("body", "token", "column"),
    [
        (b'{"a":NaN}', "NaN", 9),
        (b'{"a":Infinity}', "Infinity", 14),
        (b'{"a":-Infinity}', "-Infinity", 15),
        (b'{"a":-INF}', "-INF", 10),
    ],
)
def test_non_numeric_numbers_are_rejected(body: bytes, token: str, column: int) -> None:
    """ALLOW_NON_NUMERIC_NUMBERS is off: _handleUnexpectedValue / _handleInvalidNumberStart."""
    _assert_syntax_error(
        body,
        f"Non-standard token '{token}': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` "
        "to allow",
        1,
        column,
    )


def test_leading_plus_sign_is_rejected() -> None:
    """ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS is off: _handleInvalidNumberStart(hasSign)."""
    _assert_syntax_error(
        b'{"a":+1}',
        "Unexpected character ('+' (code 43)) in numeric value: JSON spec does not allow "
        "numbers to have plus signs: enable `JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS`"
        " to allow",
        1,
        8,
    )


@pytest.mark.parametrize(("body", "column"), [(b'{"a":01}', 7), (b'{"a":-01}', 8)])
def test_leading_zeroes(body: bytes, column: int) -> None:
    """_verifyNoLeadingZeroes reports before consuming the second digit."""
    _assert_syntax_error(body, "Invalid numeric value: Leading zeroes not allowed", 1, column)


@pytest.mark.parametrize(
    ("body", "message", "column"),
    [
        (
            b'{"a":1.}',
            "Unexpected character ('}' (code 125)) in numeric value: Decimal point not "
            "followed by a digit",
            9,
        ),
        (
            b'{"a":1.e5}',
            "Unexpected character ('e' (code 101)) in numeric value: Decimal point not "
            "followed by a digit",
            9,
        ),
        (
            b'{"a":1e}',
            "Unexpected character ('}' (code 125)) in numeric value: Exponent indicator not "
            "followed by a digit",
            9,
        ),
        (
            b'{"a":-x}',
            "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to "
            "follow minus sign, for valid numeric value",
            8,
        ),
        (b'{"a":.5}', f"Unexpected character ('.' (code 46)): expected a valid value {VALID}", 7),
    ],
)
def test_invalid_number_forms(body: bytes, message: str, column: int) -> None:
    """_parseFloat, _handleInvalidNumberStart, _parseFloatThatStartsWithPeriod."""
    _assert_syntax_error(body, message, 1, column)


def test_single_quotes_are_not_strings() -> None:
    """ALLOW_SINGLE_QUOTES is off: "'" is no value start."""
    _assert_syntax_error(
        b"{\"a\":'x'}",
        f"Unexpected character (''' (code 39)): expected a valid value {VALID}",
        1,
        7,
    )


def test_bad_comment_start() -> None:
    """_skipComment: '/' must be followed by '*' or '/'."""
    _assert_syntax_error(
        b'{"a":1 /x}',
        "Unexpected character ('x' (code 120)): was expecting either '*' or '/' for a comment",
        1,
        10,
    )


def test_control_character_between_tokens() -> None:
    """_skipColon2 -> _throwInvalidSpace; the snippet escapes it as \\u000B (_appendEscaped)."""
    _assert_syntax_error(
        b'{"a":\x0b1}',
        "Illegal character ((CTRL-CHAR, code 11)): only regular white space "
        "(\\r, \\n, \\t) is allowed between tokens",
        1,
        7,
        source='{"a":\\u000B1}',
    )


def test_unquoted_control_character_in_field_name() -> None:
    """parseEscapedName -> _throwUnquotedSpace(ch, "name")."""
    _assert_syntax_error(
        b'{"a\tb":1}',
        "Illegal unquoted character ((CTRL-CHAR, code 9)): has to be escaped using backslash "
        "to be included in name",
        1,
        5,
        source='{"a\\u0009b":1}',
    )


def test_duplicate_field_is_located_after_the_names_closing_quote() -> None:
    """JsonReadContext._checkDup (STRICT_DUPLICATE_DETECTION) at getCurrentLocation()."""
    _assert_syntax_error(b'{"a":1,"a":2}', "Duplicate field 'a'", 1, 11)
    _assert_syntax_error(b'{"service":"x",\n "service":"y"}', "Duplicate field 'service'", 2, 11)
    _assert_syntax_error(b'{"a":1,\n "b":{"c":true,"c":false}}', "Duplicate field 'c'", 2, 19)


def test_same_name_in_nested_objects_is_not_a_duplicate() -> None:
    """Each JsonReadContext has its own DupDetector (DupDetector.child())."""
    assert parse_json_object(b'{"a":{"a":{"a":1}}}') == {"a": {"a": {"a": 1}}}
    _assert_syntax_error(b'{"a":{"a":{"a":1}},"a":2}', "Duplicate field 'a'", 1, 23)


def test_char_desc_above_255_shows_hex_code() -> None:
    """_getCharDesc: code > 255 -> 'c' (code N / 0xhex); _decodeCharForError decodes UTF-8."""
    _assert_syntax_error(
        "{\u20ac:1}".encode(),
        "Unexpected character ('\u20ac' (code 8364 / 0x20ac)): was expecting double-quote to "
        "start field name",
        1,
        5,
    )


def test_char_desc_of_a_signed_byte() -> None:
    """_handleInvalidNumberStart reads the byte after 'I' unmasked: (char) -61, code -61."""
    _assert_syntax_error(
        b'{"a":-I\xc3}',
        "Unexpected character ('\uffc3' (code -61)) in numeric value: expected digit (0-9) "
        "to follow minus sign, for valid numeric value",
        1,
        9,
        source='{"a":-I\ufffd}',
    )


def test_invalid_utf8_start_byte_outside_strings() -> None:
    """_handleUnexpectedValue: 'é' starts an identifier, _reportInvalidToken -> bad start byte."""
    _assert_syntax_error(
        b'{"a": \xc3\xa9}', "Invalid UTF-8 start byte 0xa9", 1, 9, source='{"a": \u00e9}'
    )


def test_non_ascii_after_a_literal_is_decoded_from_its_lead_byte_twice() -> None:
    """_checkMatchEnd calls _decodeCharForError before consuming the lead byte."""
    _assert_syntax_error(
        b'{"a":true\xc3\xa9}', "Invalid UTF-8 middle byte 0xc3", 1, 11, source='{"a":true\u00e9}'
    )


def test_invalid_utf8_in_a_name_is_found_after_the_closing_quote() -> None:
    """addName decodes names from int quads: a bad byte is shown with the bytes before it."""
    _assert_syntax_error(
        b'{"ab\xc3A":1}', "Invalid UTF-8 middle byte 0x6162c341", 1, 8, source='{"ab\ufffdA":1}'
    )
    _assert_syntax_error(
        b'{"ab\xc3\xa9\xff":1}',
        "Invalid UTF-8 start byte 0xff",
        1,
        9,
        source='{"ab\u00e9\ufffd":1}',
    )


def test_name_padding_collides_with_a_name_seen_before() -> None:
    """ByteQuadsCanonicalizer pads the last quad with 0xFF, so this name is found as another."""
    body = b'{"abcdefghijklmnopq":1,"x":{"abcdefghijklmnop\xffq":2}}'
    assert parse_json_object(body) == {"abcdefghijklmnopq": 1, "x": {"abcdefghijklmnopq": 2}}


# --------------------------------------------------------------------------- end of input


def test_eof_inside_object_reports_the_start_marker() -> None:
    """_skipWSOrEnd -> _eofAsNextChar -> _handleEOF."""
    _assert_eof_error(
        b'{"service":"elser"',
        "Unexpected end-of-input: expected close marker for Object (start marker at [Source: "
        '(byte[])"{"service":"elser""; line: 1, column: 1])',
        1,
        19,
    )
    _assert_eof_error(
        b"{",
        "Unexpected end-of-input: expected close marker for Object (start marker at [Source: "
        '(byte[])"{"; line: 1, column: 1])',
        1,
        2,
    )


def test_eof_inside_array_reports_the_start_marker() -> None:
    """_handleEOF uses the Array context's start location."""
    _assert_eof_error(
        b'{"a":[1,2',
        "Unexpected end-of-input: expected close marker for Array (start marker at [Source: "
        '(byte[])"{"a":[1,2"; line: 1, column: 6])',
        1,
        10,
    )


def test_eof_in_field_name() -> None:
    """parseEscapedName -> " in field name"; slowParseName at once -> "was expecting closing"."""
    _assert_eof_error(b'{"a', "Unexpected end-of-input in field name", 1, 4)
    _assert_eof_error(b'{"', "Unexpected end-of-input: was expecting closing '\"' for name", 1, 3)


def test_truncated_utf8_in_field_name_is_an_eof_error() -> None:
    """addName: a lead byte without its continuation bytes -> _reportInvalidEOF."""
    _assert_eof_error(
        b'{"a\xc3":1}', "Unexpected end-of-input in field name", 1, 6, source='{"a\ufffd":1}'
    )


@pytest.mark.parametrize(("body", "column"), [(b'{"a":', 6), (b'{"a" ', 6)])
def test_eof_around_the_colon(body: bytes, column: int) -> None:
    """_skipColon2 -> _reportInvalidEOF(" within/between Object entries")."""
    _assert_eof_error(body, "Unexpected end-of-input within/between Object entries", 1, column)


def test_eof_after_a_comma_is_a_plain_parse_error() -> None:
    """_skipWS2 ends with _constructError, not a JsonEOFException: HTTP 400."""
    _assert_syntax_error(b'{"a":1,', "Unexpected end-of-input within/between Object entries", 1, 8)


@pytest.mark.parametrize(("body", "column"), [(b'{"a":-', 7), (b'{"a":1e', 8)])
def test_eof_in_a_number_names_the_current_token(body: bytes, column: int) -> None:
    """_loadMoreGuaranteed -> _reportInvalidEOF(" in " + _currToken): FIELD_NAME here."""
    _assert_eof_error(body, "Unexpected end-of-input in FIELD_NAME", 1, column)


def test_eof_in_a_number_inside_an_array_names_the_previous_token() -> None:
    """_currToken is still the previous value's token while the next one is parsed."""
    _assert_eof_error(b'{"a":[1,2e', "Unexpected end-of-input in VALUE_NUMBER_INT", 1, 11)


@pytest.mark.parametrize(("body", "column"), [(b'{"a":+', 7), (b'{"a":-I', 8)])
def test_eof_in_a_number_value(body: bytes, column: int) -> None:
    """_reportInvalidEOFInValue(VALUE_NUMBER_*) -> " in a Number value"."""
    _assert_eof_error(body, "Unexpected end-of-input in a Number value", 1, column)


@pytest.mark.parametrize(("body", "column"), [(b'{"a":1 /* never closed', 23), (b'{"a":1 /', 9)])
def test_eof_in_a_comment(body: bytes, column: int) -> None:
    """_skipComment / _skipCComment -> " in a comment"."""
    _assert_eof_error(body, "Unexpected end-of-input in a comment", 1, column)


# --------------------------------------------------------------------------- string values


def test_eof_in_a_string_value_escapes_elasticsearch_unwrapped() -> None:
    """text() is not wrapped by JsonXContentParser: a bare JsonEOFException (HTTP 500)."""
    _assert_unwrapped_error(
        b'{"a":"abc', "json_e_o_f_exception", "Unexpected end-of-input in VALUE_STRING", 1, 10
    )
    _assert_unwrapped_error(
        b'{"a":"ab\\',
        "json_e_o_f_exception",
        "Unexpected end-of-input in character escape sequence",
        1,
        10,
    )


def test_unquoted_control_character_in_a_string_value() -> None:
    """_finishString2 -> _throwUnquotedSpace(c, "string value"); CR/LF stay raw in the snippet."""
    _assert_unwrapped_error(
        b'{"a":"x\ny"}',
        "json_parse_exception",
        "Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash "
        "to be included in string value",
        1,
        9,
    )


@pytest.mark.parametrize(
    ("body", "message", "column"),
    [
        (b'{"a":"\\x"}', "Unrecognized character escape 'x' (code 120)", 9),
        (
            b'{"a":"\\u12G4"}',
            "Unexpected character ('G' (code 71)): expected a hex-digit for character escape "
            "sequence",
            12,
        ),
    ],
)
def test_invalid_escapes(body: bytes, message: str, column: int) -> None:
    """_decodeEscaped: _handleUnrecognizedCharacterEscape / a bad hex digit."""
    _assert_unwrapped_error(body, "json_parse_exception", message, 1, column)


@pytest.mark.parametrize(
    ("body", "message", "column", "source"),
    [
        (b'{"a":"\xff"}', "Invalid UTF-8 start byte 0xff", 8, '{"a":"\ufffd"}'),
        (b'{"a":"\xc3("}', "Invalid UTF-8 middle byte 0x28", 9, '{"a":"\ufffd("}'),
        (b'{"a":"\xe2\x82"}', "Invalid UTF-8 middle byte 0x22", 10, '{"a":"\ufffd"}'),
    ],
)
def test_invalid_utf8_in_a_string_value(
    body: bytes, message: str, column: int, source: str
) -> None:
    """_reportInvalidChar / _reportInvalidOther(mask, ptr): located after the bad byte."""
    _assert_unwrapped_error(body, "json_parse_exception", message, 1, column, source=source)


# --------------------------------------------------------------------------- source snippet


def test_snippet_is_cut_at_500_bytes() -> None:
    """ContentReference._truncate: 500 bytes, then "[truncated N bytes]" after the quote."""
    body = b'{"a":"' + b"x" * 600 + b"\x01"
    error = _error(body)
    source = '{"a":"' + "x" * 494
    assert error.status == 500
    assert error.error_type == "json_parse_exception"
    assert error.reason == (
        "Illegal unquoted character ((CTRL-CHAR, code 1)): has to be escaped using backslash "
        f'to be included in string value\n at [Source: (byte[])"{source}"[truncated 107 bytes]; '
        "line: 1, column: 608]"
    )


def test_snippet_escapes_iso_controls_but_not_cr_lf() -> None:
    """ContentReference._appendEscaped: \\u007F, \\u0085 and \\u0000 escaped; CR, LF kept."""
    _assert_unwrapped_error(
        b'{"a":"\x7f\xc2\x85\r\n\x00',
        "json_parse_exception",
        "Illegal unquoted character ((CTRL-CHAR, code 13)): has to be escaped using backslash "
        "to be included in string value",
        1,
        11,
        source='{"a":"\\u007F\\u0085\r\n\\u0000',
    )


def test_snippet_decodes_bytes_as_java_does() -> None:
    """new String(bytes, UTF_8): a three-byte surrogate is one U+FFFD (Python would say three)."""
    _assert_syntax_error(
        b'{"a":\xed\xa0\x80}', "Invalid UTF-8 start byte 0xa0", 1, 8, source='{"a":\ufffd}'
    )


# --------------------------------------------------------------------------- constraints


def test_nesting_depth_1000_is_allowed_without_recursion() -> None:
    """StreamReadConstraints default max depth 1000 (root object is depth 1)."""
    body = b'{"x":' + b"[" * 999 + b"]" * 999 + b"}"
    value = parse_json_object(body)["x"]
    depth = 1
    while value:
        value = value[0]
        depth += 1
    assert depth == 999


def test_nesting_depth_1001_is_a_stream_constraints_exception() -> None:
    """validateNestingDepth throws StreamConstraintsException: not a JsonParseException."""
    for body in (b'{"x":' + b"[" * 1000, b'{"x":' + b'{"y":' * 1000):
        error = _error(body)
        assert error.status == 500
        assert error.error_type == "stream_constraints_exception"
        assert error.reason == "Depth (1001) exceeds the maximum allowed nesting depth (1000)"
        assert error.caused_by is None


def test_deep_nesting_with_a_late_error_does_not_recurse() -> None:
    """The exact parser keeps its own stack; 1000 levels then a syntax error."""
    body = b'{"x":' + b"[" * 999 + b"1 2"
    message = (
        "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries"
        '\n at [Source: (byte[])"{"x":' + "[" * 495 + '"[truncated 507 bytes]; line: 1, '
        "column: 1008]"
    )
    error = _error(body)
    assert error.status == 400
    assert error.error_type == "x_content_parse_exception"
    assert error.reason == "[1:1008] " + message
    assert error.caused_by is not None
    assert error.caused_by.reason == message


def test_number_length_limit() -> None:
    """validateIntegerLength / validateFPLength: more than 1000 digits."""
    assert parse_json_object(b'{"x":' + b"9" * 1000 + b"}") == {"x": int("9" * 1000)}
    assert parse_json_object(b'{"x":-' + b"9" * 1000 + b"}") == {"x": -int("9" * 1000)}
    for body, length in (
        (b'{"x":' + b"9" * 1001 + b"}", 1001),
        (b'{"x":1.' + b"5" * 1000 + b"}", 1001),
        (b'{"x":1.5e' + b"1" * 999 + b"}", 1001),
    ):
        error = _error(body)
        assert error.status == 500
        assert error.error_type == "stream_constraints_exception"
        assert error.reason == f"Number length ({length}) exceeds the maximum length (1000)"


def test_string_length_is_not_limited() -> None:
    """XContentImplUtils sets maxStringLength to Integer.MAX_VALUE."""
    text = "y" * 6_000_000
    assert parse_json_object(('{"x":"' + text + '"}').encode()) == {"x": text}


# --------------------------------------------------------------------------- performance


def test_a_ten_megabyte_body_parses() -> None:
    """Well-formed bodies take the C json fast path; results match the exact parser.
    (How fast: ``make bench``.)"""
    items = b",".join(
        b'{"id":%d,"text":"some text \\u00e9","v":1.5,"ok":true}' % i for i in range(180_000)
    )
    body = b'{"docs":[' + items + b"]}"
    assert len(body) > 10_000_000
    result = parse_json_object(body)
    assert len(result["docs"]) == 180_000
    assert result["docs"][-1] == {"id": 179_999, "text": "some text \u00e9", "v": 1.5, "ok": True}
