"""The chat completion ("unified") API of 8.18/9.0+: its request body and its error shape.

``POST _inference/chat_completion/{id}/_stream`` takes an OpenAI-style body, read by
``UnifiedCompletionRequest.PARSER`` (a ``ConstructingObjectParser`` per object: unknown
fields refused, value types checked, ``Required [...]`` for missing constructor
arguments) and checked by ``UnifiedCompletionAction.Request.validate``. Every failure on
that path becomes a ``UnifiedChatCompletionException``, which the stream writes in
OpenAI's error shape, ``{"error": {"code", "message", "param", "type"}}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fake_es import messages
from fake_es.rest.body import BodyTokens
from fake_es.rest.errors import EsError
from fake_es.rest.params import suggestions

CHAT_COMPLETION = "chat_completion"

# RestStatus constants by code; UnifiedChatCompletionException's ``code`` is the name, lower case.
_REST_STATUS = {
    300: "multiple_choices",
    301: "moved_permanently",
    302: "found",
    303: "see_other",
    304: "not_modified",
    305: "use_proxy",
    307: "temporary_redirect",
    308: "permanent_redirect",
    400: "bad_request",
    401: "unauthorized",
    402: "payment_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    407: "proxy_authentication",
    408: "request_timeout",
    409: "conflict",
    410: "gone",
    411: "length_required",
    412: "precondition_failed",
    413: "request_entity_too_large",
    414: "request_uri_too_long",
    415: "unsupported_media_type",
    416: "requested_range_not_satisfied",
    417: "expectation_failed",
    422: "unprocessable_entity",
    423: "locked",
    424: "failed_dependency",
    429: "too_many_requests",
    500: "internal_server_error",
    501: "not_implemented",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
    505: "http_version_not_supported",
    507: "insufficient_storage",
}


class UnifiedChatCompletionError(EsError):
    """``UnifiedChatCompletionException``: an ``XContentFormattedException`` whose own XContent
    (``formatted``) is what a stream writes; the plain JSON channel still renders it as an
    ElasticsearchException (type ``unified_chat_completion_exception``, its cause inside)."""

    def __init__(
        self,
        status: int,
        message: str,
        openai_type: str,
        code: str | None,
        param: str | None = None,
        cause: EsError | None = None,
    ) -> None:
        super().__init__(status, "unified_chat_completion_exception", message, caused_by=cause)
        self.openai_type = openai_type
        self.code = code
        self.param = param

    @classmethod
    def from_error(cls, error: EsError) -> UnifiedChatCompletionError:
        """``UnifiedChatCompletionException.fromThrowable``: the error's status, message and
        exception name, the status's name as the code."""
        if isinstance(error, UnifiedChatCompletionError):
            return error
        return cls(
            error.status, error.reason, error.error_type, status_name(error.status), cause=error
        )

    def formatted(self) -> dict[str, Any]:
        """``toXContentChunked``: code and param only when set."""
        inner: dict[str, Any] = {}
        if self.code is not None:
            inner["code"] = self.code
        inner["message"] = self.reason
        if self.param is not None:
            inner["param"] = self.param
        inner["type"] = self.openai_type
        return {"error": inner}


def status_name(status: int) -> str:
    return _REST_STATUS[status]


def only_streaming() -> UnifiedChatCompletionError:
    """TransportInferenceActionProxy.sendUnifiedCompletionRequest without ``_stream``."""
    return UnifiedChatCompletionError.from_error(
        messages.status_exception(
            400,
            "The [chat_completion] task type only supports streaming, please try again with "
            "the _stream API",
        )
    )


# --- the body: UnifiedCompletionRequest.PARSER and the parsers it nests ---


@dataclass(frozen=True)
class Field:
    """One declared field: the tokens its ObjectParser.ValueType accepts, and its reader."""

    tokens: tuple[str, ...]
    read: Callable[[BodyTokens, str], Any]


@dataclass(frozen=True)
class ObjectSpec:
    """A ConstructingObjectParser: its name, its fields in declaration order, the required."""

    name: str
    fields: dict[str, Field]
    required: tuple[str, ...]


_STRING = ("VALUE_STRING",)
_NUMBER = ("VALUE_NUMBER", "VALUE_STRING")
_BOOLEAN = ("VALUE_BOOLEAN", "VALUE_STRING")
_OBJECT = ("START_OBJECT",)
_OBJECT_ARRAY = ("START_OBJECT", "START_ARRAY")
_STRING_ARRAY = ("START_ARRAY", "VALUE_STRING")
_VALUE_ARRAY = ("START_ARRAY", "VALUE_NUMBER", "VALUE_STRING", "VALUE_BOOLEAN")
_OBJECT_OR_STRING = ("START_OBJECT", "VALUE_STRING")


def _text(tokens: BodyTokens, _token: str) -> str:
    return tokens.text()


def _number(tokens: BodyTokens, token: str) -> float:
    if token == "VALUE_STRING":
        text = tokens.text()
        try:
            return float(text)
        except ValueError:
            raise EsError(
                400,
                "number_format_exception",
                f'For input string: "{text}"',
                elasticsearch_exception=False,
            ) from None
    return float(tokens.scalar())


def _long(tokens: BodyTokens, token: str) -> int:
    # XContentParser.longValue() coerces: a fraction is cut off.
    return int(_number(tokens, token))


def _boolean(tokens: BodyTokens, token: str) -> bool:
    if token == "VALUE_BOOLEAN":
        return bool(tokens.scalar())
    text = tokens.text()
    if text in ("true", "false"):
        return text == "true"
    raise messages.illegal_argument(
        f"Failed to parse value [{text}] as only [true] or [false] are allowed."
    )


def _string_list(tokens: BodyTokens, token: str) -> list[str]:
    """declareStringArray: one string, or an array of values read as text."""
    if token == "VALUE_STRING":
        return [tokens.text()]
    items = []
    while (item := tokens.next_token()) != "END_ARRAY":
        if item != "VALUE_STRING":
            raise messages.illegal_argument(f"expected value but got [{item}]")
        items.append(tokens.text())
    return items


def _objects(spec: ObjectSpec) -> Callable[[BodyTokens, str], list[dict[str, Any]]]:
    """declareObjectArray: one object, or an array of objects."""

    def read(tokens: BodyTokens, token: str) -> list[dict[str, Any]]:
        if token == "START_OBJECT":
            return [_parse_object(tokens, spec)]
        found = []
        while (item := tokens.next_token()) != "END_ARRAY":
            if item != "START_OBJECT":
                raise _parse_error(tokens, spec.name, f"Expected START_OBJECT but was: {item}")
            found.append(_parse_object(tokens, spec))
        return found

    return read


def _object(spec: ObjectSpec) -> Callable[[BodyTokens, str], dict[str, Any]]:
    def read(tokens: BodyTokens, _token: str) -> dict[str, Any]:
        return _parse_object(tokens, spec)

    return read


def _map(tokens: BodyTokens, _token: str) -> dict[str, Any]:
    return tokens.map_ordered()


def _content(tokens: BodyTokens, token: str) -> Any:
    """Message.parseContent: a string, or an array of content objects."""
    if token == "START_ARRAY":
        return _objects(_CONTENT_OBJECT)(tokens, token)
    if token == "VALUE_STRING":
        return tokens.text()
    raise EsError(
        400,
        "x_content_parse_exception",
        f"Expected an array start token or a value string token but found token [{token}]",
        elasticsearch_exception=False,
    )


def _tool_choice(tokens: BodyTokens, token: str) -> Any:
    """parseToolChoice: an object, or a string."""
    if token == "START_OBJECT":
        return _parse_object(tokens, _TOOL_CHOICE_OBJECT)
    return tokens.text()


def _spec(parser_name: str, required: tuple[str, ...], /, **fields: Field) -> ObjectSpec:
    return ObjectSpec(parser_name, fields, required)


_FUNCTION_CALL = _spec(
    "tool_call_function_field",
    ("arguments", "name"),
    arguments=Field(_STRING, _text),
    name=Field(_STRING, _text),
)
_TOOL_CALL = _spec(
    "ToolCall",
    ("id", "function", "type"),
    id=Field(_STRING, _text),
    function=Field(_OBJECT, _object(_FUNCTION_CALL)),
    type=Field(_STRING, _text),
)
_CONTENT_OBJECT = _spec(
    "ContentObject", ("text", "type"), text=Field(_STRING, _text), type=Field(_STRING, _text)
)
_MESSAGE = _spec(
    "Message",
    ("role",),
    content=Field(_VALUE_ARRAY, _content),
    role=Field(_STRING, _text),
    tool_call_id=Field(_STRING, _text),
    tool_calls=Field(_OBJECT_ARRAY, _objects(_TOOL_CALL)),
)
_TOOL_CHOICE_FUNCTION = _spec("tool_choice_function_field", ("name",), name=Field(_STRING, _text))
_TOOL_CHOICE_OBJECT = _spec(
    "ToolChoiceObject",
    ("type", "function"),
    type=Field(_STRING, _text),
    function=Field(_OBJECT, _object(_TOOL_CHOICE_FUNCTION)),
)
_TOOL_FUNCTION = _spec(
    "tool_function_field",
    ("name",),
    description=Field(_STRING, _text),
    name=Field(_STRING, _text),
    parameters=Field(_OBJECT, _map),
    strict=Field(_BOOLEAN, _boolean),
)
_TOOL = _spec(
    "Tool",
    ("type", "function"),
    type=Field(_STRING, _text),
    function=Field(_OBJECT, _object(_TOOL_FUNCTION)),
)
REQUEST = _spec(
    "UnifiedCompletionRequest",
    ("messages",),
    messages=Field(_OBJECT_ARRAY, _objects(_MESSAGE)),
    model=Field(_STRING, _text),
    max_completion_tokens=Field(_NUMBER, _long),
    stop=Field(_STRING_ARRAY, _string_list),
    temperature=Field(_NUMBER, _number),
    tool_choice=Field(_OBJECT_OR_STRING, _tool_choice),
    tools=Field(_OBJECT_ARRAY, _objects(_TOOL)),
    top_p=Field(_NUMBER, _number),
)


# 9.5: UnifiedCompletionRequest's `reasoning` (spec Reasoning) and Message's `reasoning` and
# `reasoning_details` (spec ReasoningDetail: `reasoning.encrypted` {data}, `reasoning.summary`
# {summary}, `reasoning.text` {text, signature}, each with optional format, id and index). Read
# from the spec's shapes: the enum values of `effort`/`summary` and the detail `type` are not
# checked, and the parser names inside nested errors are this fake's.
_REASONING = _spec(
    "Reasoning",
    (),
    effort=Field(_STRING, _text),
    enabled=Field(_BOOLEAN, _boolean),
    exclude=Field(_BOOLEAN, _boolean),
    summary=Field(_STRING, _text),
)
_REASONING_DETAIL = _spec(
    "ReasoningDetail",
    ("type",),
    type=Field(_STRING, _text),
    data=Field(_STRING, _text),
    summary=Field(_STRING, _text),
    text=Field(_STRING, _text),
    signature=Field(_STRING, _text),
    format=Field(_STRING, _text),
    id=Field(_STRING, _text),
    index=Field(_NUMBER, _long),
)
_MESSAGE_WITH_REASONING = _spec(
    _MESSAGE.name,
    _MESSAGE.required,
    **_MESSAGE.fields,
    reasoning=Field(_STRING, _text),
    reasoning_details=Field(_OBJECT_ARRAY, _objects(_REASONING_DETAIL)),
)
REQUEST_WITH_REASONING = _spec(
    REQUEST.name,
    REQUEST.required,
    **{
        **REQUEST.fields,
        "messages": Field(_OBJECT_ARRAY, _objects(_MESSAGE_WITH_REASONING)),
        "reasoning": Field(_OBJECT, _object(_REASONING)),
    },
)


def _parse_error(
    tokens: BodyTokens, name: str, message: str, cause: EsError | None = None
) -> EsError:
    return EsError(
        400,
        "x_content_parse_exception",
        f"[{tokens.token_location}] [{name}] {message}",
        caused_by=cause,
        elasticsearch_exception=False,
    )


def _parse_object(tokens: BodyTokens, spec: ObjectSpec) -> dict[str, Any]:
    """ObjectParser.parse from the current START_OBJECT, then Target.finish."""
    values: dict[str, Any] = {}
    name = ""
    while (token := tokens.next_token()) != "END_OBJECT":
        if token == "FIELD_NAME":
            name = tokens.current_name
            if name not in spec.fields:
                raise _parse_error(
                    tokens, spec.name, f"unknown field [{name}]" + _did_you_mean(name, spec)
                )
            continue
        assert token is not None
        field = spec.fields[name]
        if token not in field.tokens:
            raise _parse_error(tokens, spec.name, f"{name} doesn't support values of type: {token}")
        try:
            values[name] = field.read(tokens, token)
        except EsError as error:
            raise _parse_error(
                tokens, spec.name, f"failed to parse field [{name}]", error
            ) from None
    missing = [field for field in spec.required if field not in values]
    if missing:
        raise messages.illegal_argument(f"Required [{', '.join(missing)}]")
    return values


def _did_you_mean(name: str, spec: ObjectSpec) -> str:
    close = suggestions(name, spec.fields)
    if not close:
        return ""
    if len(close) == 1:
        return f" did you mean [{close[0]}]?"
    return f" did you mean any of [{', '.join(close)}]?"


@dataclass(frozen=True)
class ChatRequest:
    """A parsed chat completion request (the fields given, by their JSON names)."""

    fields: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.fields["messages"]
        return found

    @property
    def model(self) -> str | None:
        model: str | None = self.fields.get("model")
        return model

    def validate(self) -> None:
        """UnifiedCompletionAction.Request.validate (the parser already required messages)."""
        if not self.messages:
            raise messages.action_request_validation(["Field [messages] cannot be an empty array"])

    def texts(self) -> list[str]:
        """Each message's text: its content string, or its text parts joined."""
        found = []
        for message in self.messages:
            content = message.get("content")
            if isinstance(content, list):
                found.append(" ".join(str(part["text"]) for part in content))
            elif content is not None:
                found.append(str(content))
        return found


def parse_chat_request(tokens: BodyTokens, reasoning: bool = False) -> ChatRequest:
    """``UnifiedCompletionRequest.PARSER.apply``: the body must be one object. ``reasoning``:
    the 9.5 parser, which reads the reasoning fields."""
    spec = REQUEST_WITH_REASONING if reasoning else REQUEST
    token = tokens.next_token()
    if token != "START_OBJECT":
        raise _parse_error(
            tokens, REQUEST.name, f"Expected START_OBJECT but was: {token or 'null'}"
        )
    return ChatRequest(_parse_object(tokens, spec))
