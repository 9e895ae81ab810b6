"""The body of a perform-inference request, read as ``InferenceAction.Request.PARSER``.

That is an ``ObjectParser`` named ``cluster:monitor/xpack/inference``: it reads
fields in body order, refuses an unknown field (with a "did you mean") or a
value of a type the field does not take, and wraps what goes wrong inside a
field or the object. Which fields a release knows, and what JSON types each
takes, comes from ``inference_request.schema.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fake_es import messages
from fake_es.inference.results import InferenceInput
from fake_es.inference.settings import in_release
from fake_es.inference.task_types import ANY
from fake_es.rest.body import BodyTokens
from fake_es.rest.errors import EsError
from fake_es.rest.params import suggestions
from fake_es.schemas import load_schemas
from fake_es.versions import VersionProfile
from fake_es.versions.features import (
    EMBEDDING_CONTENT_LISTS,
    EMBEDDING_CONTENT_OBJECTS,
    INFERENCE_ACTION_PROXY,
    INPUT_FIELD_MESSAGES,
    RERANK_QUERY_REQUIRED,
    Feature,
)

# ObjectParser's name is the action's: InferenceAction.NAME.
PARSER_NAME = "cluster:monitor/xpack/inference"
INTERNAL_PARSER_NAME = "cluster:internal/xpack/inference"
SCHEMA = "inference_request.schema.json"
# ObjectParser.ValueType: the tokens a field declared with each JSON type accepts.
_TOKENS_FOR_TYPE = {
    "string": ("VALUE_STRING",),
    "object": ("START_OBJECT",),
    "boolean": ("VALUE_BOOLEAN", "VALUE_STRING"),
    "integer": ("VALUE_NUMBER", "VALUE_STRING"),
}


@dataclass(frozen=True)
class InferenceBody:
    """The parsed request; ``validate`` is ``Request.validate()``."""

    profile: VersionProfile
    task_type: str
    input: list[str] | None = None
    query: str | None = None
    input_type: str | None = None
    return_documents: bool | None = None
    top_n: int | None = None
    task_settings: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        """InferenceAction.Request.validate: every problem, in its order."""
        problems = []
        new_texts = self.profile.has(INPUT_FIELD_MESSAGES)
        if self.input is None:
            problems.append("Field [input] cannot be null" if new_texts else "missing input")
        elif not self.input:
            problems.append(
                "Field [input] cannot be an empty array" if new_texts else "input array is empty"
            )
        if self.task_type == "rerank" and self.profile.has(RERANK_QUERY_REQUIRED):
            if self.query is None:
                problems.append("Field [query] cannot be null for task type [rerank]")
            elif self.query == "":
                problems.append("Field [query] cannot be empty for task type [rerank]")
        if self.task_type not in (ANY, "rerank"):
            for name in ("return_documents", "top_n"):
                if getattr(self, name) is not None:
                    problems.append(
                        f"Field [{name}] cannot be specified for task type [{self.task_type}]"
                    )
        specified = self.input_type not in (None, "unspecified")
        if specified and self.task_type not in (ANY, "text_embedding"):
            problems.append(
                f"Field [input_type] cannot be specified for task type [{self.task_type}]"
            )
        if problems:
            raise messages.action_request_validation(problems)

    def request(self) -> InferenceInput:
        assert self.input is not None, "validate() first"
        return InferenceInput(
            inputs=self.input,
            query=self.query,
            top_n=self.top_n,
            return_documents=self.return_documents,
            input_type=self.input_type,
            task_settings=self.task_settings,
        )


def _accepted_tokens(profile: VersionProfile) -> dict[str, tuple[str, ...]]:
    accepted: dict[str, tuple[str, ...]] = {}
    for name, rule in load_schemas()[SCHEMA]["properties"].items():
        if not in_release(name, rule, profile):
            continue
        if name == "input":
            arrays = profile.has(Feature("input_array", tuple(rule["x-es-array-since"])))
            accepted[name] = ("VALUE_STRING", "START_ARRAY") if arrays else ("VALUE_STRING",)
        else:
            accepted[name] = _TOKENS_FOR_TYPE[rule["type"]]
    return accepted


def parse_inference_request(
    tokens: BodyTokens, profile: VersionProfile, task_type: str
) -> InferenceBody:
    parser = _Parser(tokens, profile)
    try:
        return parser.parse(task_type)
    except EsError as error:
        if error.status == 500:
            # ObjectParser.apply: an IOException while reading becomes a parse failure.
            raise parser.error("failed to parse object", error) from None
        raise


class _Parser:
    """One body read by the release's ObjectParser."""

    def __init__(self, tokens: BodyTokens, profile: VersionProfile) -> None:
        self.tokens = tokens
        self.profile = profile
        proxy = profile.has(INFERENCE_ACTION_PROXY)
        self.name = INTERNAL_PARSER_NAME if proxy else PARSER_NAME

    def parse(self, task_type: str) -> InferenceBody:
        tokens = self.tokens
        accepted = _accepted_tokens(self.profile)
        token = tokens.next_token()
        if token != "START_OBJECT":
            raise self.error(f"Expected START_OBJECT but was: {token or 'null'}")
        if task_type == "embedding" and self.profile.has(EMBEDDING_CONTENT_OBJECTS):
            # EmbeddingRequest.PARSER declares `input` as OBJECT_ARRAY_OR_STRING.
            accepted["input"] = ("VALUE_STRING", "START_ARRAY", "START_OBJECT")
        values: dict[str, Any] = {}
        name = ""
        while (token := tokens.next_token()) != "END_OBJECT":
            if token == "FIELD_NAME":
                name = tokens.current_name
                if name not in accepted:
                    raise self.error(f"unknown field [{name}]" + _did_you_mean(name, accepted))
                continue
            if token not in accepted[name]:
                raise self.error(f"{name} doesn't support values of type: {token}")
            try:
                if name == "input" and "START_OBJECT" in accepted[name]:
                    values[name] = _embedding_input(tokens, token, self.profile)
                else:
                    values[name] = _value(tokens, name, token)
            except EsError as error:
                raise self.error(f"failed to parse field [{name}]", error) from None
        return InferenceBody(self.profile, task_type, **values)

    def error(self, message: str, cause: EsError | None = None) -> EsError:
        return EsError(
            400,
            "x_content_parse_exception",
            f"[{self.tokens.token_location}] [{self.name}] {message}",
            caused_by=cause,
            elasticsearch_exception=False,
        )


def _value(tokens: BodyTokens, name: str, token: str) -> Any:
    if token == "START_OBJECT":
        return tokens.map_ordered()
    if token == "START_ARRAY":
        return _string_list(tokens)
    if token in ("VALUE_NUMBER", "VALUE_BOOLEAN"):
        return tokens.scalar()
    text = tokens.text()
    if name == "input":
        return [text]
    if name == "return_documents":
        # ObjectParser's boolean fields take "true"/"false" strings (Booleans.parseBoolean).
        return _parse_boolean(text)
    if name == "top_n":
        return int(text) if text.lstrip("-").isdigit() else _not_a_number(text)
    if name == "input_type":
        return _input_type(text)
    return text


# InputType, in enum order; the two internal ones are refused from REST callers.
_INPUT_TYPES = ("ingest", "search", "unspecified", "classification", "clustering")
_INTERNAL_INPUT_TYPES = ("internal_search", "internal_ingest")


def _input_type(text: str) -> str:
    """``InputType.fromRestString``: ``valueOf`` of the trimmed, upper-cased name."""
    name = text.strip().lower()
    if name in _INTERNAL_INPUT_TYPES:
        raise messages.illegal_argument(f"Unrecognized input_type [{name}]")
    if name not in _INPUT_TYPES:
        raise messages.illegal_argument(
            f"No enum constant org.elasticsearch.inference.InputType.{text.strip().upper()}"
        )
    return name


def _string_list(tokens: BodyTokens) -> list[str]:
    """AbstractObjectParser.parseArray with ``XContentParser::text`` for each element."""
    items = []
    while (token := tokens.next_token()) != "END_ARRAY":
        if token != "VALUE_STRING":
            raise messages.illegal_argument(f"expected value but got [{token}]")
        items.append(tokens.text())
    return items


# InferenceString.DataType and the formats each takes (the first is its default format).
_CONTENT_FORMATS = {"text": ("text",), "image": ("base64",)}
_LATER_CONTENT_FORMATS = {"audio": ("base64",), "video": ("base64",), "pdf": ("base64",)}
_DATA_URI = re.compile(r"^data:.*/.*;base64,")


def _embedding_input(tokens: BodyTokens, token: str, profile: VersionProfile) -> list[str]:
    """EmbeddingRequest.parseInput: one InferenceStringGroup per item, each read as one text.

    A group's items are joined so that its embedding follows from all its contents, and a
    lone text item embeds like the same string would.
    """
    if token == "VALUE_STRING":
        return [tokens.text()]
    if token == "START_OBJECT":
        return [_content_group(tokens.map_ordered(), profile)]
    items = []
    while (item := tokens.next_token()) != "END_ARRAY":
        token = item or "null"
        if token == "VALUE_STRING":
            items.append(tokens.text())
        elif token == "START_OBJECT":
            items.append(_content_group(tokens.map_ordered(), profile))
        else:
            raise messages.illegal_argument(f"Unsupported token [{token}]")
    return items


def _content_group(group: dict[str, Any], profile: VersionProfile) -> str:
    """InferenceStringGroup.PARSER: a required `content`, one item (9.4) or a list (9.5)."""
    for name in group:
        if name != "content":
            raise messages.illegal_argument(f"unknown field [{name}]")
    if "content" not in group:
        raise messages.illegal_argument("Required [content]")
    content = group["content"]
    if isinstance(content, list) and profile.has(EMBEDDING_CONTENT_LISTS):
        if not content:
            raise messages.illegal_argument("[content] field cannot be an empty array")
        return "\n".join(_content_item(item, profile) for item in content)
    return _content_item(content, profile)


def _content_item(item: Any, profile: VersionProfile) -> str:
    """InferenceString.PARSER and its constructor's checks of type, format and value."""
    if not isinstance(item, dict):
        raise messages.illegal_argument("content doesn't support values of this type")
    formats = dict(_CONTENT_FORMATS)
    if profile.has(EMBEDDING_CONTENT_LISTS):
        formats.update(_LATER_CONTENT_FORMATS)
    for name in item:
        if name not in ("type", "format", "value"):
            raise messages.illegal_argument(f"unknown field [{name}]")
    missing = [name for name in ("type", "value") if name not in item]
    if missing:
        raise messages.illegal_argument(f"Required [{', '.join(missing)}]")
    data_type, value = item["type"], item["value"]
    if not isinstance(data_type, str) or data_type.lower() not in formats:
        raise messages.illegal_argument(f"Unrecognized type [{data_type}]")
    if not isinstance(value, str):
        raise messages.illegal_argument("value doesn't support values of this type")
    supported = formats[data_type.lower()]
    data_format = item.get("format", supported[0])
    if data_format not in supported:
        raise messages.illegal_argument(
            f"Data type [{data_type.upper()}] does not support data format "
            f"[{str(data_format).upper()}], supported formats are [{supported[0].upper()}]"
        )
    comma = value.find(",")
    if data_format == "base64" and (comma < 0 or not _DATA_URI.match(value[: comma + 1])):
        raise messages.illegal_argument(
            "base64 inputs must be specified as data URIs with the format "
            "[data:{MIME-type};base64,...]"
        )
    return value


def _parse_boolean(text: str) -> bool:
    if text in ("true", "false"):
        return text == "true"
    raise messages.illegal_argument(
        f"Failed to parse value [{text}] as only [true] or [false] are allowed."
    )


def _not_a_number(text: str) -> int:
    raise messages.illegal_argument(f'For input string: "{text}"')


def _did_you_mean(name: str, accepted: dict[str, tuple[str, ...]]) -> str:
    close = suggestions(name, accepted)
    if not close:
        return ""
    if len(close) == 1:
        return f" did you mean [{close[0]}]?"
    return f" did you mean any of [{', '.join(close)}]?"
