"""The body of a perform-inference request, read as 8.11's ``InferenceAction.Request.PARSER``.

That is an ``ObjectParser`` named ``cluster:monitor/xpack/inference``: it reads
fields in body order, refuses an unknown field (with a "did you mean") or a
value of a type the field does not take, and wraps what goes wrong inside a
field or the object. Which fields exist and what JSON type each takes comes
from ``inference_request.schema.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fake_es import messages
from fake_es.rest.errors import EsError
from fake_es.rest.json_body import JsonTokens
from fake_es.rest.params import suggestions
from fake_es.schemas import load_schemas

PARSER_NAME = "cluster:monitor/xpack/inference"
SCHEMA = "inference_request.schema.json"
# ObjectParser.ValueType: the tokens a field declared with each JSON type accepts.
_TOKENS_FOR_TYPE = {"string": ("VALUE_STRING",), "object": ("START_OBJECT",)}


@dataclass(frozen=True)
class InferenceBody:
    """The parsed request; ``validate`` is ``Request.validate()``."""

    input: str | None = None
    task_settings: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        if self.input is None:
            raise messages.action_request_validation(["missing input"])

    def text(self) -> str:
        assert self.input is not None, "validate() first"
        return self.input


def _accepted_tokens() -> dict[str, tuple[str, ...]]:
    properties = load_schemas()[SCHEMA]["properties"]
    return {name: _TOKENS_FOR_TYPE[rule["type"]] for name, rule in properties.items()}


def parse_inference_request(content: bytes) -> InferenceBody:
    tokens = JsonTokens(content)
    try:
        return _parse_object(tokens)
    except EsError as error:
        if error.status == 500:
            # ObjectParser.apply: an IOException while reading becomes a parse failure.
            raise _parse_error(tokens, "failed to parse object", error) from None
        raise


def _parse_object(tokens: JsonTokens) -> InferenceBody:
    accepted = _accepted_tokens()
    token = tokens.next_token()
    if token != "START_OBJECT":
        raise _parse_error(tokens, f"Expected START_OBJECT but was: {token or 'null'}")
    values: dict[str, Any] = {}
    name = ""
    while (token := tokens.next_token()) != "END_OBJECT":
        if token == "FIELD_NAME":
            name = tokens.current_name
            if name not in accepted:
                raise _parse_error(tokens, f"unknown field [{name}]" + _did_you_mean(name))
            continue
        if token not in accepted[name]:
            raise _parse_error(tokens, f"{name} doesn't support values of type: {token}")
        try:
            values[name] = tokens.text() if token == "VALUE_STRING" else tokens.map_ordered()
        except EsError as error:
            raise _parse_error(tokens, f"failed to parse field [{name}]", error) from None
    return InferenceBody(**values)


def _did_you_mean(name: str) -> str:
    close = suggestions(name, _accepted_tokens())
    if not close:
        return ""
    if len(close) == 1:
        return f" did you mean [{close[0]}]?"
    return f" did you mean any of [{', '.join(close)}]?"


def _parse_error(tokens: JsonTokens, message: str, cause: EsError | None = None) -> EsError:
    return EsError(
        400,
        "x_content_parse_exception",
        f"[{tokens.token_location}] [{PARSER_NAME}] {message}",
        caused_by=cause,
        elasticsearch_exception=False,
    )
