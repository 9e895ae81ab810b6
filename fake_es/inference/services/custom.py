"""The ``custom`` service (8.19/9.1+): any HTTP inference API, described by the endpoint.

CustomService reads its settings with its own helpers (CustomServiceSettings,
QueryParameters, InputTypeTranslator, the ``…ResponseParser.fromMap`` of the task type,
CustomTaskSettings, CustomSecretSettings), then builds a test request from the templates
(``validateConfiguration``), which fails on a placeholder nothing fills.

The simulated provider answers in the shape the endpoint's ``response.json_parser`` paths
describe, and the answer is read back through those paths, as ES reads a real one. A test
may script the provider's raw response body: a scripted answer that is a JSON object is
that body. Paths follow MapPathExtractor's syntax (``$``, ``.field``, ``[*]``).
"""

from __future__ import annotations

import re
from typing import Any

from fake_es import messages
from fake_es.inference.chunking import read_chunking_settings
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.results import (
    EMBEDDING_KEYS,
    InferenceInput,
    completion_results,
    dense_results,
    sparse_results,
)
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import (
    TEST_INPUT,
    TEST_QUERY,
    ThirdParty,
    fingerprint,
)
from fake_es.inference.settings import SettingsReader, removed_map, throw_if_not_empty
from fake_es.java_format import JavaFloat, java_map_string, java_string
from fake_es.providers.calls import ProviderCall, call_provider
from fake_es.providers.errors import validation_failed
from fake_es.providers.plan import ProviderPlan
from fake_es.rest.errors import EsError
from fake_es.versions import VersionProfile

NAME = "custom"
_BASE = ThirdParty(NAME)
_SCOPE = "service_settings"
_RESPONSE_SCOPE = "service_settings.response"
_PARSER_SCOPE = "service_settings.response.json_parser"
# Each task type's json_parser paths (…ResponseParser.fromMap): required, then optional.
_PATHS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "text_embedding": (("text_embeddings",), ()),
    "sparse_embedding": (("token_path", "weight_path"), ()),
    "rerank": (("relevance_score",), ("reranked_index", "document_text")),
    "completion": (("completion_result",), ()),
}
# CustomServiceEmbeddingType, in its declaration order.
_EMBEDDING_TYPES = ("float", "byte", "binary", "bit")
# The placeholders of the test request (CustomService.createParameters), per task type.
_REQUEST_PARAMETERS = {
    "text_embedding": ("input", "input_type"),
    "sparse_embedding": ("input", "input_type"),
    "rerank": ("query", "input"),
    "completion": ("input",),
}
# InputType's order, in which InputTypeTranslator's TreeMap writes the translation.
_TRANSLATED_INPUT_TYPES = ("ingest", "search", "classification", "clustering")
# ValidatingSubstitutor.VARIABLE_PLACEHOLDER_PATTERN.
_PLACEHOLDER = re.compile(r"\$\{.*?\}")
_INT32 = (-(2**31), 2**31 - 1)


def _java_class(value: Any) -> str:
    """``getClass().getSimpleName()`` of a value parsed from JSON."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer" if _INT32[0] <= value <= _INT32[1] else "Long"
    if isinstance(value, float):
        return "Double"
    if isinstance(value, str):
        return "String"
    return "ArrayList" if isinstance(value, list) else "HashMap"


# --- create ---


def parse(request: CreateRequest) -> ParsedEndpoint:
    profile, config, task_type = request.profile, request.config, request.task_type
    settings = removed_map(config, "service_settings", required=True)
    assert settings is not None
    settings_size = len(settings)
    task_map = removed_map(config, "task_settings", required=False, null_is_empty=True) or {}
    task_size = len(task_map)
    chunking = None
    if task_type in _BASE.facts["chunked_task_types"]:
        given = removed_map(config, "chunking_settings", required=False, null_is_empty=True)
        chunking = read_chunking_settings(profile, given)
    if task_type not in _BASE.task_types(profile):
        raise messages.unsupported_task_type(NAME, task_type)
    values = _read_service_settings(request, settings)
    parameters = _read_parameters(profile, task_map)
    secrets = _read_secret_parameters(profile, settings)
    throw_if_not_empty(config, request.original_size, NAME)
    throw_if_not_empty(settings, settings_size, NAME)
    throw_if_not_empty(task_map, task_size, NAME)
    _validate_templates(task_type, values, parameters, secrets)
    return ParsedEndpoint(
        service_settings=values,
        task_settings={"parameters": parameters} if parameters else {},
        chunking_settings=chunking,
        secrets={
            f"secret_parameters.{name}": fingerprint(value) for name, value in secrets.items()
        },
    )


def _read_service_settings(request: CreateRequest, settings: dict[str, Any]) -> dict[str, Any]:
    """CustomServiceSettings.fromMap, in its order; which problems throw at once is its."""
    reader = SettingsReader(request.profile, _SCOPE, settings)
    values: dict[str, Any] = {}
    if request.task_type == "text_embedding":
        values["similarity"] = reader.read_kind("similarity", "similarity", {}, required=False)
        for name in ("dimensions", "max_input_tokens"):
            # removeAsType without a ValidationException: a wrong type fails at once.
            value = settings.pop(name, None)
            if value is not None and _java_class(value) != "Integer":
                raise messages.invalid_type(name, java_string(value), "Integer")
            values[name] = value
    values["url"] = reader.read("url", {"type": "string"}, required=True)
    values["query_parameters"] = _read_query_parameters(reader)
    # QueryParameters.fromMap throws what has been gathered so far.
    reader.raise_problems()
    headers = settings.get("headers")
    if isinstance(headers, dict):
        settings["headers"] = {k: v for k, v in headers.items() if v is not None}
    values["headers"] = reader.read_kind("string_map", "headers", {}, required=False)
    values["request"] = reader.read("request", {"type": "string"}, required=True)
    response = _required_map(reader, "response")
    parser_reader = SettingsReader(
        request.profile, _RESPONSE_SCOPE, response or {}, reader.problems
    )
    json_parser = _required_map(parser_reader, "json_parser")
    paths = _read_json_parser(request, json_parser, reader) if json_parser is not None else None
    values["rate_limit"] = _BASE.rate_limit(reader, request)
    values["input_type"] = _read_input_type_translator(reader)
    values["batch_size"] = reader.read(
        "batch_size", {"type": "integer", "minimum": 1}, required=False
    )
    if response is None or json_parser is None:
        reader.raise_problems()
    assert response is not None and json_parser is not None
    _throw_unknown_in(json_parser, "json_parser", "custom_service_settings")
    _throw_unknown_in(response, "response", "custom_service_settings")
    reader.raise_problems()
    values["response"] = {"json_parser": paths}
    if values["batch_size"] is None:
        values["batch_size"] = 10  # DEFAULT_EMBEDDING_BATCH_SIZE
    order = _BASE.schema["properties"]["service_settings"]["x-es-output-order"]
    return {name: values[name] for name in order if values.get(name) not in (None, {}, [])}


def _required_map(reader: SettingsReader, name: str) -> dict[str, Any] | None:
    """ServiceUtils.extractRequiredMap: present and not empty."""
    before = len(reader.problems)
    value = reader.remove_as_type(name, "object")
    if len(reader.problems) > before:
        return None
    if value is None:
        reader.problems.append(messages.missing_setting(name, reader.scope))
        return None
    if not value:
        reader.problems.append(
            f"[{reader.scope}] Invalid value empty map. [{name}] must be a non-empty map"
        )
        return None
    return dict(value)


def _throw_unknown_in(remaining: dict[str, Any], field: str, settings_name: str) -> None:
    """ServiceUtils.unknownSettingsError for a nested map."""
    if remaining:
        text = java_map_string(remaining, original_size=len(remaining))
        raise messages.status_exception(
            400,
            f"Configuration contains unknown settings [{text}] while parsing field [{field}] "
            f"for settings [{settings_name}]",
        )


def _read_query_parameters(reader: SettingsReader) -> list[list[str]] | None:
    """ServiceUtils.extractOptionalListOfStringTuples: each entry a pair of strings."""
    name = "query_parameters"
    value = reader.remaining.pop(name, None)
    if value is None:
        return None
    if not isinstance(value, list):
        reader.problems.append(messages.invalid_type(name, java_string(value), "List").reason)
        return None
    prefix = f"[{_SCOPE}] failed to parse tuple list entry"
    for index, entry in enumerate(value):
        if not isinstance(entry, list):
            problem = f"expected a list but the entry is [{_java_class(entry)}]"
        elif len(entry) != 2:
            problem = f"the tuple list size must be two, but was [{len(entry)}]"
        else:
            problem = next(
                (
                    f"{which} element must be a string but was [{_java_class(item)}]"
                    for which, item in zip(("the first", "the second"), entry, strict=True)
                    if not isinstance(item, str)
                ),
                "",
            )
        if problem:
            reader.problems.append(f"{prefix} [{index}] for setting [{name}], {problem}")
            raise messages.validation_failed(reader.problems)
    return [list(entry) for entry in value]


def _read_json_parser(
    request: CreateRequest, json_parser: dict[str, Any], reader: SettingsReader
) -> dict[str, Any]:
    """The task type's ResponseParser.fromMap: its paths, then what it gathered is thrown."""
    parser_reader = SettingsReader(request.profile, _PARSER_SCOPE, json_parser, reader.problems)
    required, optional = _PATHS[request.task_type]
    paths: dict[str, Any] = {}
    for name in required + optional:
        paths[name] = parser_reader.read(name, {"type": "string"}, required=name in required)
    if request.task_type == "text_embedding":
        rule = {"enum": list(_EMBEDDING_TYPES), "x-es-enum-listed": "declared"}
        embedding_type = parser_reader.read_kind("enum", "embedding_type", rule, required=False)
        paths["embedding_type"] = embedding_type or "float"
    reader.raise_problems()
    return {name: path for name, path in paths.items() if path is not None}


def _read_input_type_translator(reader: SettingsReader) -> dict[str, Any]:
    """InputTypeTranslator.fromMap: always written, an empty translation and default if none.

    The translation's keys and values are not checked here
    (InputType.validateInputTypeTranslationValues, whose texts are not known).
    """
    given = reader.remove_as_type("input_type", "object") or {}
    given = dict(given)
    translation = SettingsReader(reader.profile, _SCOPE, given, reader.problems).remove_as_type(
        "translation", "object"
    )
    default = SettingsReader(reader.profile, _SCOPE, given, reader.problems).remove_as_type(
        "default", "string"
    )
    _throw_unknown_in(given, "input_type", "input_type_translator")
    reader.raise_problems()
    translation = translation or {}
    ordered = {key: translation[key] for key in _TRANSLATED_INPUT_TYPES if key in translation}
    return {"translation": ordered, "default": default or ""}


def _read_parameters(profile: VersionProfile, task_map: dict[str, Any]) -> dict[str, Any]:
    """CustomTaskSettings.fromMap: nulls dropped, values String/Integer/Double/Float/Boolean."""
    reader = SettingsReader(profile, "task_settings", task_map)
    parameters = reader.remove_as_type("parameters", "object")
    reader.raise_problems()
    kept = {key: value for key, value in (parameters or {}).items() if value is not None}
    for key, value in kept.items():
        if _java_class(value) not in ("Boolean", "Double", "Integer", "String"):
            text = java_string(value)
            raise messages.validation_failed(
                [
                    f"Map field [parameters] has an entry that is not valid, [{key} => {text}]. "
                    f"Value type of [{text}] is not one of [Boolean, Double, Float, Integer, "
                    "String]."
                ]
            )
    return kept


def _read_secret_parameters(profile: VersionProfile, settings: dict[str, Any]) -> dict[str, str]:
    """CustomSecretSettings.fromMap: string values, the message not showing them."""
    reader = SettingsReader(profile, "custom_secret_settings", settings)
    secrets = reader.remove_as_type("secret_parameters", "object")
    reader.raise_problems()
    kept = {key: value for key, value in (secrets or {}).items() if value is not None}
    if any(not isinstance(value, str) for value in kept.values()):
        raise messages.validation_failed(
            [
                "Map field [secret_parameters] has an entry that is not valid. Value type is not "
                "one of [String]."
            ]
        )
    return kept


def _validate_templates(
    task_type: str, values: dict[str, Any], parameters: dict[str, Any], secrets: dict[str, str]
) -> None:
    """CustomService.validateConfiguration: CustomRequest's substitutions with test inputs.

    The URL, query parameter values and headers take the string parameters (secret and
    task string parameters); the request body takes every parameter and the task type's
    inputs. A placeholder left after replacement fails.
    """
    strings = set(secrets) | {key for key, value in parameters.items() if isinstance(value, str)}
    jsons = set(secrets) | set(parameters) | set(_REQUEST_PARAMETERS[task_type])
    fields = [("url", values["url"], strings)]
    fields += [
        (f"query parameters: [{key}]", value, strings)
        for key, value in values.get("query_parameters", [])
    ]
    fields += [
        (f"header.{key}", value, strings) for key, value in values.get("headers", {}).items()
    ]
    fields.append(("request", values["request"], jsons))
    for field, template, known in fields:
        for match in _PLACEHOLDER.finditer(template):
            if match.group()[2:-1] not in known:
                raise messages.validation_failed(
                    [
                        "Failed to validate model configuration: Found placeholder "
                        f"[{match.group()}] in field [{field}] after replacement call"
                    ]
                )


# --- the provider ---


def _path_steps(path: str) -> list[str]:
    """MapPathExtractor's path: ``$``, then ``.field`` and ``[*]`` steps."""
    steps = re.findall(r"\.([^.\[\]]+)|(\[\*\])", path[1:]) if path.startswith("$") else []
    rebuilt = "".join(f".{field}" if field else "[*]" for field, _ in steps)
    if not path.startswith("$") or rebuilt != path[1:]:
        raise messages.illegal_argument(f"Invalid path [{path}]")
    return [field or "*" for field, _ in steps]


def _extract(document: Any, path: str) -> Any:
    """MapPathExtractor.extract: one list level per ``[*]``."""

    def walk(value: Any, steps: list[str], walked: str) -> Any:
        if not steps:
            return value
        step, rest = steps[0], steps[1:]
        if step == "*":
            if not isinstance(value, list):
                raise messages.illegal_argument(
                    f"Current path [{walked}] matched the array field pattern but the current "
                    f"object is not a list, found: {_java_class(value)}"
                )
            return [walk(item, rest, f"{walked}[*]") for item in value]
        if not isinstance(value, dict) or step not in value:
            raise messages.illegal_argument(f"Unable to find field [{step}] in map")
        return walk(value[step], rest, f"{walked}.{step}")

    return walk(document, _path_steps(path), "$")


def _build(steps: list[str], value: Any) -> Any:
    """The document in which ``steps`` lead to ``value`` (one list level per ``[*]``)."""
    if not steps:
        return value
    if steps[0] == "*":
        return [_build(steps[1:], item) for item in value]
    return {steps[0]: _build(steps[1:], value)}


def _merge(first: Any, second: Any) -> Any:
    if isinstance(first, dict) and isinstance(second, dict):
        return {**first, **{k: _merge(first[k], v) if k in first else v for k, v in second.items()}}
    if isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        return [_merge(a, b) for a, b in zip(first, second, strict=True)]
    return second


def _provider_body(
    task_type: str, paths: dict[str, str], inputs: list[str], answers: list[Any]
) -> Any:
    """What the provider would have answered, laid out as the endpoint's paths say."""
    columns: dict[str, list[Any]]
    if task_type == "sparse_embedding":
        columns = {
            "token_path": [list(tokens) for tokens in answers],
            "weight_path": [list(tokens.values()) for tokens in answers],
        }
    elif task_type == "rerank":
        # The provider answers best first, naming each document's index when asked to.
        ranked = sorted(range(len(answers)), key=lambda index: -float(answers[index]))
        columns = {
            "relevance_score": [float(answers[index]) for index in ranked],
            "reranked_index": ranked,
            "document_text": [inputs[index] for index in ranked],
        }
    else:
        key = "text_embeddings" if task_type == "text_embedding" else "completion_result"
        columns = {key: list(answers)}
    body: Any = {}
    for name, column in columns.items():
        if name in paths:
            body = _merge(body, _build(_path_steps(paths[name]), column))
    return body


def _results(
    profile: VersionProfile,
    endpoint: InferenceEndpoint,
    request: InferenceInput,
    providers: ProviderPlan,
) -> dict[str, Any]:
    task_type = endpoint.task_type
    paths = endpoint.service_settings["response"]["json_parser"]
    call = ProviderCall(
        task_type, request.inputs, request.query, endpoint.service_settings.get("dimensions")
    )
    raw = isinstance(providers.scripted(endpoint), dict)
    answers = call_provider(providers, endpoint, call)
    body = answers[0] if raw else _provider_body(task_type, paths, request.inputs, answers)
    if task_type == "text_embedding":
        vectors = _extract(body, paths["text_embeddings"])
        embedding_type = paths["embedding_type"]
        if raw and embedding_type != "float":
            # A provider's byte and bit embeddings are already signed bytes.
            key = EMBEDDING_KEYS[embedding_type]
            return {key: [{"embedding": [int(x) for x in vector]} for vector in vectors]}
        return dense_results([[float(x) for x in vector] for vector in vectors], embedding_type)
    if task_type == "sparse_embedding":
        tokens = _extract(body, paths["token_path"])
        weights = _extract(body, paths["weight_path"])
        maps = [
            {str(token): JavaFloat(weight) for token, weight in zip(t, w, strict=True)}
            for t, w in zip(tokens, weights, strict=True)
        ]
        return sparse_results(profile, request.inputs, maps)
    if task_type == "rerank":
        scores = _extract(body, paths["relevance_score"])
        indexes = _extract(body, paths["reranked_index"]) if "reranked_index" in paths else None
        texts = _extract(body, paths["document_text"]) if "document_text" in paths else None
        ranked = []
        for position, score in enumerate(scores):
            entry: dict[str, Any] = {
                "index": int(indexes[position]) if indexes is not None else position,
                "relevance_score": JavaFloat(score),
            }
            if texts is not None:
                entry["text"] = str(texts[position])
            ranked.append(entry)
        return {"rerank": ranked}
    return completion_results([str(text) for text in _extract(body, paths["completion_result"])])


def validate(
    profile: VersionProfile, endpoint: InferenceEndpoint, providers: ProviderPlan
) -> InferenceEndpoint:
    """The create's call, read through the endpoint's paths; text_embedding learns its size."""
    query = TEST_QUERY if endpoint.task_type == "rerank" else None
    try:
        results = _results(profile, endpoint, InferenceInput([TEST_INPUT], query), providers)
    except EsError as error:
        raise validation_failed(error) from None
    if endpoint.task_type != "text_embedding":
        return endpoint
    vector = next(iter(results.values()))[0]["embedding"]
    return _BASE.with_embedding_details(endpoint, vector)


SERVICE = _BASE.service(parse=parse, validate=validate, infer=_results)
