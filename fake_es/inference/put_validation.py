"""From schema violations to the one error Elasticsearch 8.11 reports for a create request.

The schemas (``put_inference_request.schema.json`` and the service schemas it
refers to) say *what* is wrong with a body; this module says *which* fault
Elasticsearch reports and in what words. Elasticsearch stops at the first
fault in the order its code meets them, so a body with several faults gets the
error of the earliest check. That order, from
``TransportPutInferenceModelAction`` and ``ElserMlNodeService.parseConfigStrict``:

1. ``service``: missing or null, then not a string (an unchecked cast: a 500), then unknown.
2. ``service_settings``: missing or null, then not an object (cast: a 500).
3. The service's settings: each wrongly typed setting fails at once, in the
   order they are read; missing and non-positive ones are gathered into one
   ``Validation Failed: 1: ...;2: ...;``.
4. ``task_settings`` (optional): null, then not an object.
5. The task type must be one the service supports.
6. Keys nobody read: top level, then ``service_settings``, then ``task_settings``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fake_es import messages
from fake_es.java_format import java_class_name, java_map_string, java_string
from fake_es.schemas import load_schemas, quick_check, validator_for

REQUEST_SCHEMA = "put_inference_request.schema.json"
_MAP = "java.util.Map"
_STRING = "java.lang.String"
# The Java type named in "cannot be converted to a [...]" for a JSON Schema type.
_JAVA_TYPE_NAMES = {"integer": "Integer", "string": "String", "boolean": "Boolean"}

if TYPE_CHECKING:
    from jsonschema import ValidationError

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class ValidCreateRequest:
    """A body that passed every check, split as the model stores it."""

    service: str
    service_settings: dict[str, Any]
    task_settings: dict[str, Any]


class _Violations:
    """Schema violations by where they are and which keyword was broken."""

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        self._by_place: dict[tuple[Path, str], list[ValidationError]] = defaultdict(list)
        for error in errors:
            self._by_place[(tuple(error.absolute_path), str(error.validator))].append(error)

    def has(self, path: Path, *keywords: str) -> bool:
        return any((path, keyword) in self._by_place for keyword in keywords)

    def first(self, path: Path, keyword: str) -> ValidationError | None:
        found = self._by_place.get((path, keyword))
        return found[0] if found else None


def service_schema(service: str) -> dict[str, Any]:
    return load_schemas()[f"{service}_service.schema.json"]


def check_create_request(task_type: str, body: Any) -> ValidCreateRequest:
    """Return the parts of a valid body, or raise the error Elasticsearch would give."""
    # Most bodies are valid: a compiled check answers those; jsonschema explains the rest.
    errors = (
        () if quick_check(REQUEST_SCHEMA)(body) else validator_for(REQUEST_SCHEMA).iter_errors(body)
    )
    violations = _Violations(errors)
    config = body if isinstance(body, dict) else {}

    service = config.get("service")
    if service is None:
        raise messages.missing_service()
    if violations.has(("service",), "type"):
        raise messages.class_cast(java_class_name(service), _STRING)
    if violations.has(("service",), "enum"):
        raise messages.unknown_service(service)

    schema = service_schema(service)
    settings_schema = schema["properties"]["service_settings"]
    service_settings = _required_map(config, "service_settings", violations)
    _check_settings(service_settings, settings_schema, violations)

    task_settings: dict[str, Any] = {}
    if "task_settings" in config:
        task_settings = _required_map(config, "task_settings", violations)

    if task_type not in schema["x-supported-task-types"]:
        raise messages.unsupported_task_type(service, task_type)

    read_in_order: list[tuple[Path, dict[str, Any]]] = [
        ((), config),
        (("service_settings",), service_settings),
        (("task_settings",), task_settings),
    ]
    for path, mapping in read_in_order:
        unknown = violations.first(path, "additionalProperties")
        if unknown is not None:
            raise messages.unknown_settings(_unread_keys_text(mapping, unknown), service)

    return ValidCreateRequest(
        service=service,
        service_settings={name: service_settings[name] for name in settings_schema["properties"]},
        task_settings=task_settings,
    )


def _required_map(config: dict[str, Any], field: str, violations: _Violations) -> dict[str, Any]:
    # MapParsingUtils.removeFromMapOrThrowIfNull: null counts as missing; the
    # caller's Map-typed variable then casts whatever else came.
    value = config.get(field)
    if value is None:
        raise messages.missing_required_field(field)
    if violations.has((field,), "type"):
        raise messages.class_cast(java_class_name(value), _MAP)
    assert isinstance(value, dict)
    return value


def _check_settings(
    settings: dict[str, Any], schema: dict[str, Any], violations: _Violations
) -> None:
    """ElserMlNodeServiceSettings.fromMap: type faults at once, the rest gathered."""
    scope = "service_settings"
    for name, rule in schema["properties"].items():
        value = settings.get(name)
        if value is not None and violations.has((scope, name), "type", "format"):
            raise messages.invalid_type(name, java_string(value), _JAVA_TYPE_NAMES[rule["type"]])
    problems = []
    for name in schema["properties"]:
        value = settings.get(name)
        if value is None:
            problems.append(messages.missing_setting(name, scope))
        elif violations.has((scope, name), "minimum"):
            problems.append(messages.must_be_positive(name, java_string(value)))
    if problems:
        raise messages.validation_failed(problems)


def _unread_keys_text(mapping: dict[str, Any], violation: ValidationError) -> str:
    """The map Elasticsearch prints: what is left after the known keys were removed."""
    known = violation.schema.get("properties", {}) if isinstance(violation.schema, dict) else {}
    left = {key: value for key, value in mapping.items() if key not in known}
    return java_map_string(left, original_size=len(mapping))
