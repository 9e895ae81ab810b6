"""YAML answers and YAML request bodies, as Elasticsearch's ``YamlXContentImpl`` handles them.

Writing follows Jackson's ``YAMLGenerator`` (2.15 to 2.18 write alike) with the defaults
Elasticsearch keeps (``WRITE_DOC_START_MARKER`` on, ``MINIMIZE_QUOTES`` and
``LITERAL_BLOCK_STYLE`` off, ``SPLIT_LINES`` on) and SnakeYAML 2's ``Emitter`` with the
``DumperOptions`` it builds (block style, indent 2, width 80, simple keys up to 128 chars,
unicode allowed). PyYAML's emitter is the same algorithm but differs in bytes (it escapes
characters outside the BMP and U+FEFF, writes upper-case hex, counts columns in code points
where Java counts UTF-16 units), so the emitter's steps are reproduced here.

Reading uses PyYAML's parser for the events and Jackson's ``YAMLParser`` rules to turn them
into tokens (SnakeYAML's YAML 1.1 ``Resolver``, ``_decodeScalar``, duplicate names refused).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NoReturn

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from fake_es.java_format import JavaFloat, java_double_string, java_float_string
from fake_es.rest.errors import EsError
from fake_es.rest.json_body import source_description
from fake_es.rest.token_tree import TokenTree

# --------------------------------------------------------------------------- writing

_WIDTH = 80  # DumperOptions.bestWidth
_INDENT = 2  # DumperOptions.indent
_MAX_SIMPLE_KEY = 128  # DumperOptions.maxSimpleKeyLength
_PLAIN = "plain"
_SINGLE = "'"
_DOUBLE = '"'
# Emitter.ESCAPE_REPLACEMENTS
_ESCAPES = {
    "\0": "0",
    "\x07": "a",
    "\x08": "b",
    "\t": "t",
    "\n": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}
_LINE_BREAKS = "\n\x85\u2028\u2029"  # Constant.LINEBR
# StringQuotingChecker.RESERVED_KEYWORDS: names the generator double-quotes.
_RESERVED = frozenset(
    {
        "false",
        "False",
        "FALSE",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "null",
        "Null",
        "NULL",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "true",
        "True",
        "TRUE",
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
    }
)


def dump_yaml(value: Any) -> bytes:
    """``value`` as Elasticsearch writes it with ``XContentType.YAML`` (``pretty`` changes
    nothing: ``YAMLGenerator`` ignores pretty printers and ``YamlXContentGenerator`` writes
    no final line feed)."""
    emitter = _Emitter()
    emitter.document(value)
    # The emitter worked in UTF-16 units, as Java does; pairs become characters again.
    text = "".join(emitter.out).encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return text.encode("utf-8")


def _utf16(text: str) -> str:
    """``text`` with each character outside the BMP as its two surrogates (a Java String)."""
    if text.isascii():
        return text
    units = []
    for char in text:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            units += [chr(0xD800 + (code >> 10)), chr(0xDC00 + (code & 0x3FF))]
        else:
            units.append(char)
    return "".join(units)


def _code_point_at(text: str, index: int) -> int:
    """``String.codePointAt``."""
    high = ord(text[index])
    if 0xD800 <= high <= 0xDBFF and index + 1 < len(text):
        low = ord(text[index + 1])
        if 0xDC00 <= low <= 0xDFFF:
            return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    return high


def _is_printable(code: int) -> bool:
    """``StreamReader.isPrintable``."""
    return (
        0x20 <= code <= 0x7E
        or code in (0x9, 0xA, 0xD, 0x85)
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _need_to_quote_name(name: str) -> bool:
    """``StringQuotingChecker.Default.needToQuoteName``."""
    if not name:
        return True
    first = name[0]
    if first == "~" or first in "0123456789-+.":
        return True
    if first in "fnotyFNOTY" and name in _RESERVED:
        return True
    return any(ord(char) < 0x20 for char in name)


class _Analysis:
    """``Emitter.analyzeScalar``: which styles may write a scalar."""

    def __init__(self, text: str) -> None:
        self.empty = not text
        self.multiline = False
        self.flow_plain = self.block_plain = self.single_quoted = not self.empty
        if self.empty:
            return
        block_ind = flow_ind = text.startswith(("---", "..."))
        special = leading_space = leading_break = trailing_space = trailing_break = False
        break_space = space_break = previous_space = previous_break = False
        preceded_by_ws = True
        length = len(text)
        followed_by_ws = (
            length == 1
            or _code_point_at(text, 1) in (0, 0x20, 0x9, 0xD)
            or (chr(_code_point_at(text, 1)) in _LINE_BREAKS)
        )
        index = 0
        while index < length:
            code = _code_point_at(text, index)
            char = chr(code) if code < 0xD800 or code > 0xDFFF else "\0"
            if index == 0:
                if char in "#,[]{}&*!|>'\"%@`":
                    flow_ind = block_ind = True
                if char in "?:":
                    flow_ind = True
                    block_ind = block_ind or followed_by_ws
                if char == "-" and followed_by_ws:
                    flow_ind = block_ind = True
            else:
                if char in ",?[]{}":
                    flow_ind = True
                if char == ":":
                    flow_ind = True
                    block_ind = block_ind or followed_by_ws
                if char == "#" and preceded_by_ws:
                    flow_ind = block_ind = True
            is_break = char in _LINE_BREAKS and code != 0
            self.multiline = self.multiline or is_break
            if not (code == 0xA or 0x20 <= code <= 0x7E) and not (
                code == 0x85 or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF
            ):
                special = True
            if 0xE000 <= code <= 0x10FFFF and 0xFFFE <= code <= 0xFFFF:
                special = True
            if code == 0x20:
                leading_space = leading_space or index == 0
                trailing_space = trailing_space or index == length - 1
                break_space = break_space or previous_break
                previous_space, previous_break = True, False
            elif is_break:
                leading_break = leading_break or index == 0
                trailing_break = trailing_break or index == length - 1
                space_break = space_break or previous_space
                previous_space, previous_break = False, True
            else:
                previous_space = previous_break = False
            index += 2 if code > 0xFFFF else 1
            preceded_by_ws = code in (0, 0x20, 0x9) or is_break
            followed_by_ws = True
            if index + 1 < length:
                following = index + (2 if _code_point_at(text, index) > 0xFFFF else 1)
                if following < length:
                    # (sic) SnakeYAML ors in whether the *current* character is a break.
                    followed_by_ws = _code_point_at(text, following) in (0, 0x20, 0x9) or is_break
        leading_zero = re.fullmatch(r"0[0-9_]+", text) is not None
        if leading_space or leading_break or trailing_space or trailing_break or leading_zero:
            self.flow_plain = self.block_plain = False
        if break_space:
            self.flow_plain = self.block_plain = self.single_quoted = False
        if space_break or special:
            self.flow_plain = self.block_plain = self.single_quoted = False
        if self.multiline or flow_ind:
            self.flow_plain = False
        if block_ind:
            self.block_plain = False


class _Emitter:
    """The part of SnakeYAML's ``Emitter`` that Jackson's block-style events reach."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.indent: int | None = None
        self.indents: list[int | None] = []

    # --- structure (ExpectDocumentStart, expectNode, the block and flow handlers)

    def document(self, value: Any) -> None:
        self._write_indent()
        self._write_indicator("---", need_whitespace=True)
        self._node(value, mapping=False)
        # ExpectDocumentEnd: DocumentEndEvent(explicit=false) only ends the line.
        self._write_indent()

    def _node(self, value: Any, *, mapping: bool) -> None:
        if isinstance(value, dict):
            if not value:
                self._empty_flow("{", "}")
                return
            self._increase_indent(flow=False, indentless=False)
            for key, item in value.items():
                self._write_indent()
                name = _utf16(str(key))
                style = _DOUBLE if _need_to_quote_name(name) else _PLAIN
                analysis = _Analysis(name)
                if len(name) < _MAX_SIMPLE_KEY and not analysis.empty and not analysis.multiline:
                    self._scalar(name, style, analysis, simple_key=True)
                    self._write_indicator(":")
                else:
                    self._write_indicator("?", need_whitespace=True, indention=True)
                    self._scalar(name, style, analysis, simple_key=False)
                    self._write_indent()
                    self._write_indicator(":", need_whitespace=True, indention=True)
                self._node(item, mapping=True)
            self.indent = self.indents.pop()
        elif isinstance(value, (list, tuple)):
            if not value:
                self._empty_flow("[", "]")
                return
            self._increase_indent(flow=False, indentless=mapping and not self.indention)
            for item in value:
                self._write_indent()
                self._write_indicator("-", need_whitespace=True, indention=True)
                self._node(item, mapping=False)
            self.indent = self.indents.pop()
        else:
            text, style = _scalar_event(value)
            self._scalar(text, style, _Analysis(text), simple_key=False)

    def _empty_flow(self, opener: str, closer: str) -> None:
        # checkEmptyMapping / checkEmptySequence: an empty collection is written in flow style.
        self._write_indicator(opener, need_whitespace=True, whitespace=True)
        self._write_indicator(closer)

    def _increase_indent(self, *, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent is None:
            self.indent = _INDENT if flow else 0
        elif not indentless:
            self.indent += _INDENT

    def _scalar(self, text: str, requested: str, analysis: _Analysis, *, simple_key: bool) -> None:
        """expectScalar: chooseScalarStyle, then processScalar."""
        self._increase_indent(flow=True, indentless=False)
        style = _DOUBLE
        if requested == _PLAIN:
            if not (simple_key and (analysis.empty or analysis.multiline)) and analysis.block_plain:
                style = _PLAIN
            elif analysis.single_quoted and not (simple_key and analysis.multiline):
                style = _SINGLE
        split = not simple_key
        if style == _PLAIN:
            self._write_plain(text, split)
        elif style == _SINGLE:
            self._write_single_quoted(text, split)
        else:
            self._write_double_quoted(text, split)
        self.indent = self.indents.pop()

    # --- low-level writers

    def _write(self, data: str) -> None:
        self.column += len(data)
        self.out.append(data)

    def _write_indicator(
        self,
        indicator: str,
        *,
        need_whitespace: bool = False,
        whitespace: bool = False,
        indention: bool = False,
    ) -> None:
        if not self.whitespace and need_whitespace:
            self._write(" ")
        self.whitespace = whitespace
        self.indention = self.indention and indention
        self._write(indicator)

    def _write_indent(self) -> None:
        indent = self.indent or 0
        if (
            not self.indention
            or self.column > indent
            or (self.column == indent and not self.whitespace)
        ):
            self._write_line_break("\n")
        if indent > self.column:
            self.whitespace = True
            self._write(" " * (indent - self.column))

    def _write_line_break(self, data: str) -> None:
        self.whitespace = True
        self.indention = True
        self.column = 0
        self.out.append(data)

    def _write_breaks(self, text: str, start: int, end: int) -> None:
        if text[start] == "\n":
            self._write_line_break("\n")
        for char in text[start:end]:
            self._write_line_break(char)
        self._write_indent()

    def _write_plain(self, text: str, split: bool) -> None:
        if not text:
            return
        if not self.whitespace:
            self._write(" ")
        self.whitespace = self.indention = False
        spaces = breaks = False
        start = end = 0
        while end <= len(text):
            char = text[end] if end < len(text) else "\0"
            if spaces:
                if char != " ":
                    if start + 1 == end and self.column > _WIDTH and split:
                        self._write_indent()
                        self.whitespace = self.indention = False
                    else:
                        self._write(text[start:end])
                    start = end
            elif breaks:
                if char not in _LINE_BREAKS:
                    self._write_breaks(text, start, end)
                    self.whitespace = self.indention = False
                    start = end
            elif char in _LINE_BREAKS or char in "\0 ":
                self._write(text[start:end])
                start = end
            if char != "\0":
                spaces = char == " "
                breaks = char in _LINE_BREAKS
            end += 1

    def _write_single_quoted(self, text: str, split: bool) -> None:
        self._write_indicator("'", need_whitespace=True)
        spaces = breaks = False
        start = end = 0
        while end <= len(text):
            char = text[end] if end < len(text) else "\0"
            if spaces:
                if char != " ":
                    if (
                        start + 1 == end
                        and self.column > _WIDTH
                        and split
                        and start != 0
                        and end != len(text)
                    ):
                        self._write_indent()
                    else:
                        self._write(text[start:end])
                    start = end
            elif breaks:
                if char not in _LINE_BREAKS or char == "\0":
                    self._write_breaks(text, start, end)
                    start = end
            elif (char in _LINE_BREAKS or char in "\0 '") and start < end:
                self._write(text[start:end])
                start = end
            if char == "'":
                self._write("''")
                start = end + 1
            if char != "\0":
                spaces = char == " "
                breaks = char in _LINE_BREAKS
            end += 1
        self._write_indicator("'")

    def _write_double_quoted(self, text: str, split: bool) -> None:
        self._write_indicator('"', need_whitespace=True)
        start = end = 0
        length = len(text)
        while end <= length:
            char = text[end] if end < length else None
            if char is None or char in '"\\\x85\u2028\u2029\ufeff' or not " " <= char <= "~":
                if start < end:
                    self._write(text[start:end])
                    start = end
                if char is not None:
                    self._write(self._escaped(text, end))
                    if _code_point_at(text, end) > 0xFFFF:
                        end += 1
                    start = end + 1
            if (
                0 < end < length - 1
                and (char == " " or start >= end)
                and self.column + (end - start) > _WIDTH
                and split
            ):
                data = text[start:end] + "\\"
                start = max(start, end)
                self._write(data)
                self._write_indent()
                self.whitespace = self.indention = False
                if text[start] == " ":
                    self._write("\\")
            end += 1
        self._write_indicator('"')

    @staticmethod
    def _escaped(text: str, index: int) -> str:
        char = text[index]
        short = _ESCAPES.get(char)
        if short is not None:
            return "\\" + short
        code = _code_point_at(text, index)
        if _is_printable(code):
            return text[index : index + (2 if code > 0xFFFF else 1)]
        # Integer.toString(ch, 16): lower-case hex; every code point past the BMP is printable.
        if code <= 0xFF:
            return f"\\x{code:02x}"
        return f"\\u{code:04x}"


def _scalar_event(value: Any) -> tuple[str, str]:
    """The text and style ``YAMLGenerator`` gives a value: strings always double-quoted
    (MINIMIZE_QUOTES is off), everything else plain."""
    if isinstance(value, str):
        return _utf16(value), _DOUBLE
    if value is None:
        return "null", _PLAIN
    if isinstance(value, bool):
        return ("true" if value else "false"), _PLAIN
    if isinstance(value, JavaFloat):
        return java_float_string(value), _PLAIN
    if isinstance(value, float):
        return java_double_string(value), _PLAIN
    return str(value), _PLAIN


# --------------------------------------------------------------------------- reading

_YAML_TAG = "tag:yaml.org,2002:"
# SnakeYAML 2 Resolver's implicit types, tried in its order by first character; each
# pattern applies to values of at most 1024 characters (10 for bool and null).
_BOOL = re.compile(r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF")
_INT = re.compile(
    r"[-+]?0b_*[0-1][0-1_]*|[-+]?0_*[0-7][0-7_]*|[-+]?(?:0|[1-9][0-9_]*)"
    r"|[-+]?0x_*[0-9a-fA-F][0-9a-fA-F_]*|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_NULL = re.compile(r"~|null|Null|NULL| ")
_JAVA_DOUBLE = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def _resolve(value: str) -> str:
    """``Resolver.resolve`` for an implicit plain scalar: the tag's short name."""
    first = value[:1]
    if first and first in "yYnNtTfFoO" and len(value) <= 10 and _BOOL.fullmatch(value):
        return "bool"
    if first and first in "-+0123456789" and len(value) <= 1024 and _INT.fullmatch(value):
        return "int"
    if first and first in "-+0123456789." and len(value) <= 1024 and _FLOAT.fullmatch(value):
        return "float"
    if (first in "~nN" or not first) and len(value) <= 10 and (_NULL.fullmatch(value) or not value):
        return "null"
    return "str"


class YamlTokens(TokenTree):
    """A YAML body read token by token, as ``YAMLParser`` under ``JsonXContentParser`` gives it.

    Tokens use Elasticsearch's names (``VALUE_NUMBER``, ``VALUE_BOOLEAN``); locations are
    1-based lines and columns of an event's start mark (``getTokenLocation``).
    """

    def __init__(self, content: bytes) -> None:
        self._content = content
        # Jackson reads the bytes with its UTF8Reader. Bytes that are not UTF-8 are not
        # reproduced: they reach the YAML reader as unprintable characters instead.
        text = content.decode("utf-8", errors="surrogateescape")
        self._events: Iterator[Event] = yaml.parse(text, Loader=yaml.SafeLoader)
        self._last: Event | None = None
        # (kind, names seen) per open collection: "map" or "seq".
        self._contexts: list[tuple[str, set[str]]] = []
        self._token: str | None = None
        self._value: Any = None
        self.current_name = ""

    # --- errors

    def _fail(
        self, message: str, event: Event | None, exception: str = "json_parse_exception"
    ) -> NoReturn:
        """A JsonParseException at ``getCurrentLocation()`` (the last event's end), wrapped by
        ``JsonXContentParser`` into a 400 ``x_content_parse_exception``."""
        if event is None or event.end_mark is None:
            line = column = -1
            where = "[Source: UNKNOWN; line: -1, column: -1]"
        else:
            line, column = event.end_mark.line + 1, event.end_mark.column + 1
            source = source_description(self._content)
            where = f"[Source: {source}; line: {line}, column: {column}]"
        full = f"{message}\n at {where}"
        raise EsError(
            400,
            "x_content_parse_exception",
            f"[{line}:{column}] {full}",
            caused_by=EsError(400, exception, full, elasticsearch_exception=False),
            elasticsearch_exception=False,
        )

    def _next_event(self) -> Event | None:
        try:
            event = next(self._events, None)
        except yaml.MarkedYAMLError as error:
            # Jackson's snakeyaml.error.MarkedYAMLException, a JsonParseException.
            self._fail(_snakeyaml_message(error), self._last, "marked_y_a_m_l_exception")
        except yaml.reader.ReaderError as error:
            # SnakeYAML's ReaderException, whose message is the reason alone.
            self._fail(error.reason, self._last, "jackson_y_a_m_l_parse_exception")
        if event is not None:
            self._last = event
        return event

    # --- the XContentParser surface the handlers use

    def next_token(self) -> str | None:
        while True:
            event = self._next_event()
            if event is None or isinstance(event, StreamEndEvent):
                self._token = None
                return None
            context = self._contexts[-1] if self._contexts else None
            if context is not None and context[0] == "map" and self._token != "FIELD_NAME":
                if isinstance(event, MappingEndEvent):
                    self._contexts.pop()
                    return self._set("END_OBJECT", None)
                if not isinstance(event, ScalarEvent):
                    self._fail(
                        f"Expected a field name (Scalar value in YAML), got this instead: "
                        f"{_describe(event)}",
                        event,
                    )
                name = event.value
                if name in context[1]:
                    self._fail(f"Duplicate field '{name}'", event)
                context[1].add(name)
                self.current_name = name
                return self._set("FIELD_NAME", name)
            if isinstance(event, ScalarEvent):
                return self._scalar(event)
            if isinstance(event, MappingStartEvent):
                self._contexts.append(("map", set()))
                return self._set("START_OBJECT", None)
            if isinstance(event, SequenceStartEvent):
                self._contexts.append(("seq", set()))
                return self._set("START_ARRAY", None)
            if isinstance(event, SequenceEndEvent):
                self._contexts.pop()
                return self._set("END_ARRAY", None)
            if isinstance(event, AliasEvent):
                # YAMLParser: an alias is the anchor's name, as a string.
                return self._set("VALUE_STRING", event.anchor)
            # Stream and document starts and ends are skipped.

    def _set(self, token: str, value: Any) -> str:
        self._token = token
        self._value = value
        return token

    def _scalar(self, event: ScalarEvent) -> str:
        """YAMLParser._decodeScalar (EMPTY_STRING_AS_NULL on, as Elasticsearch sets it)."""
        value = event.value
        tag = event.tag
        if tag is None or tag == "!":
            kind = _resolve(value) if event.implicit[0] else "str"
        else:
            kind = tag.removeprefix(_YAML_TAG).split(",")[0] if value else "str"
        if kind == "bool" and _matches_boolean(value) is not None:
            return self._set("VALUE_BOOLEAN", _matches_boolean(value))
        if kind == "null":
            return self._set("VALUE_NULL", None)
        if kind == "int":
            number = _yaml_int(value)
            if number is None:
                return self._set("VALUE_STRING", value)
            return self._set("VALUE_NUMBER", number)
        if kind == "float":
            cleaned = value.replace("_", "").removeprefix("+") if "_" in value else value
            if not _JAVA_DOUBLE.fullmatch(cleaned):
                self._fail(f"Malformed numeric value '{value}'", event)
            return self._set("VALUE_NUMBER", float(cleaned))
        return self._set("VALUE_STRING", value)

    @property
    def token_location(self) -> str:
        mark = self._last.start_mark if self._last is not None else None
        if mark is None:
            return "-1:-1"
        return f"{mark.line + 1}:{mark.column + 1}"

    def text(self) -> str:
        return str(self._value)

    def scalar(self) -> Any:
        return self._value


def _matches_boolean(value: str) -> bool | None:
    """YAMLParser._matchYAMLBoolean."""
    lowered = value.lower()
    if lowered in ("y", "on", "yes", "true"):
        return True
    if lowered in ("n", "no", "off", "false"):
        return False
    return None


def _yaml_int(value: str) -> int | None:
    """YAMLParser._decodeNumberScalar: signs, 0b, 0x, octal and underscores; base 60 stays a
    string."""
    negative = value.startswith("-")
    body = value[1:] if value[:1] in "+-" else value
    if not body:
        return None
    if body[0] == "0" and len(body) > 1:
        prefix = body[1]
        digits = body[2:] if prefix in "bBxX" else body[1:]
        base = {"b": 2, "B": 2, "x": 16, "X": 16}.get(prefix, 8)
        number = int(digits.replace("_", ""), base)
    elif re.fullmatch(r"[0-9_]+", body):
        number = int(body.replace("_", ""))
    else:
        return None
    return -number if negative else number


def _describe(event: Event) -> str:
    """SnakeYAML's ``Event.toString()``: ``<ClassName(arguments)>``."""
    name = type(event).__name__
    if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
        return f"<{name}(anchor={event.anchor}, tag={event.tag}, implicit={event.implicit})>"
    return f"<{name}()>"


def _snakeyaml_message(error: yaml.MarkedYAMLError) -> str:
    """``MarkedYAMLException.toString()`` from PyYAML's fields: SnakeYAML names a Reader's
    source ``'reader'`` and always prints the context mark."""
    lines = []
    if error.context is not None:
        lines.append(error.context)
    if error.context_mark is not None:
        lines.append(_mark(error.context_mark))
    if error.problem is not None:
        lines.append(error.problem)
    if error.problem_mark is not None:
        lines.append(_mark(error.problem_mark))
    if error.note is not None:
        lines.append(error.note)
    return "".join(line + "\n" for line in lines)


def _mark(mark: Any) -> str:
    snippet = mark.get_snippet() or ""
    return f" in 'reader', line {mark.line + 1}, column {mark.column + 1}:\n{snippet}"


def parse_yaml_object(content: bytes) -> dict[str, Any]:
    """``XContentParser.map()``: a body that is not a mapping reads as no entries."""
    tokens = YamlTokens(content)
    if tokens.next_token() != "START_OBJECT":
        return {}
    return tokens.map_ordered()
