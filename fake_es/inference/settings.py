"""The one interpreter of service schemas: reads settings as Elasticsearch's helpers do.

Each property of a service schema's ``service_settings`` / ``task_settings``
names its reader (``x-es-read``) after the helper in ``ServiceUtils`` (8.12+) or
``MapParsingUtils`` (8.11) that reads it, and whether it is required
(the schema's ``required``) and from which release it exists (``x-es-since``). Readers
remove what they read from the map, as the helpers do, so that what is left is
"unknown to the service". Problems are gathered into one ``ValidationException``
(``Validation Failed: 1: …;2: …;``), except where Elasticsearch throws at once.

8.11's ELSER settings (``ElserMlNodeServiceSettings.fromMap``) differ: a wrongly
typed value fails at once with ``status_exception``, and the positive-integer
message has no scope. Releases from 8.12 use ``ServiceUtils``' scoped texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fake_es import messages
from fake_es.java_format import java_double_string, java_map_string, java_string
from fake_es.versions import VersionProfile
from fake_es.versions.features import SCOPED_SETTING_MESSAGES, Feature

# The Java type ``removeAsType`` names for a JSON Schema type.
_JAVA_TYPE_NAMES = {
    "integer": "Integer",
    "number": "Double",
    "string": "String",
    "boolean": "Boolean",
    "object": "Map",
}
_INT32 = (-(2**31), 2**31 - 1)


def since_feature(name: str, rule: dict[str, Any]) -> Feature | None:
    since = rule.get("x-es-since")
    return Feature(name, tuple(since)) if since else None


def in_release(name: str, rule: dict[str, Any], profile: VersionProfile) -> bool:
    """Whether a schema property exists in this release (``x-es-since`` / ``x-es-until``)."""
    arrived = since_feature(name, rule)
    until = rule.get("x-es-until")
    if arrived is not None and not profile.has(arrived):
        return False
    return not (until and profile.has(Feature(name, tuple(until))))


def _is_type(value: Any, json_type: str) -> bool:
    """Whether the parsed value is an instance of the Java class the helper casts to."""
    if json_type == "integer":
        return type(value) is int and _INT32[0] <= value <= _INT32[1]
    if json_type == "number":
        # A JSON number with a fraction or exponent; a whole number stays an Integer.
        return type(value) is float
    if json_type == "string":
        return isinstance(value, str)
    if json_type == "boolean":
        return isinstance(value, bool)
    if json_type == "object":
        return isinstance(value, dict)
    raise ValueError(f"no reader for JSON type {json_type!r}")


@dataclass
class SettingsReader:
    """Reads one settings map (a scope) into the values the service keeps."""

    profile: VersionProfile
    scope: str
    remaining: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def scoped(self) -> bool:
        return self.profile.has(SCOPED_SETTING_MESSAGES)

    def remove_as_type(self, name: str, json_type: str) -> Any:
        """``removeAsType``: None if absent; a wrong type fails at once (8.11) or is gathered."""
        value = self.remaining.pop(name, None)
        if value is None or _is_type(value, json_type):
            return value
        java_type = _JAVA_TYPE_NAMES[json_type]
        if not self.scoped:
            raise messages.invalid_type(name, java_string(value), java_type)
        self.problems.append(messages.invalid_type(name, java_string(value), java_type).reason)
        return None

    def read(self, name: str, rule: dict[str, Any], *, required: bool = False) -> Any:
        """One property, by its schema rule; None when absent or wrong."""
        before = len(self.problems)
        value = self.remove_as_type(name, rule["type"])
        if len(self.problems) > before:
            return None
        if value is None:
            if required:
                # x-es-missing: a service's own text for this missing setting.
                self.problems.append(
                    rule.get("x-es-missing") or messages.missing_setting(name, self.scope)
                )
            return None
        minimum = rule.get("minimum")
        if rule["type"] == "integer" and minimum == 1 and value < 1:
            text = messages.must_be_positive(name, java_string(value))
            self.problems.append(f"[{self.scope}] {text}" if self.scoped else text)
            return None
        if rule["type"] == "number":
            return self._in_range(name, value, rule)
        if rule["type"] == "string" and value == "" and self.scoped:
            self.problems.append(
                f"[{self.scope}] Invalid value empty string. [{name}] must be a non-empty string"
            )
            return None
        return value

    def _in_range(self, name: str, value: float, rule: dict[str, Any]) -> float | None:
        """extractOptionalDoubleInRange (sic: "must be a less than")."""
        before = len(self.problems)
        for bound, relation, outside in (
            ("minimum", "greater", value < rule.get("minimum", value)),
            ("maximum", "less", value > rule.get("maximum", value)),
        ):
            if outside:
                self.problems.append(
                    f"[{self.scope}] Invalid value [{java_double_string(value)}]. [{name}] must be "
                    f"a {relation} than or equal to [{java_double_string(float(rule[bound]))}]"
                )
        return value if len(self.problems) == before else None

    def read_kind(self, kind: str, name: str, rule: dict[str, Any], *, required: bool) -> Any:
        """A setting read by one of ServiceUtils' special readers (``x-es-read``)."""
        if kind == "similarity":
            # extractSimilarity: an enum of SimilarityMeasure, written lower-case.
            return self._enum(name, ("cosine", "dot_product", "l2_norm"), required=required)
        if kind == "enum":
            # extractOptionalEnum lists an EnumSet in declaration order; schemas that know it
            # say so (``x-es-enum-listed``), the others are listed sorted.
            listed = rule.get("x-es-enum-listed") == "declared"
            return self._enum(name, tuple(rule["enum"]), required=required, declared=listed)
        if kind == "url":
            return self._url(name, required=required)
        if kind == "positive_long":
            return self._positive_long(name, required=required)
        if kind == "string_map":
            return self._string_map(name)
        if kind == "not_allowed":
            # Read as its type, then refused: a setting only the service itself may store
            # (ServiceUtils.invalidSettingError), such as dimensions it learns at create.
            if self.read(name, rule) is not None:
                self.problems.append(f"[{self.scope}] does not allow the setting [{name}]")
            return None
        if kind == "as_type":
            return self._as_type(name, rule["type"])
        raise ValueError(f"no reader {kind!r} for setting [{name}]")

    def _enum(
        self, name: str, values: tuple[str, ...], *, required: bool, declared: bool = False
    ) -> str | None:
        """extractOptionalEnum / extractRequiredEnum: case-insensitive, listed sorted (or as
        the enum declares them)."""
        text: str | None = self.read(name, {"type": "string"}, required=required)
        if text is None:
            return None
        lowered = text.lower()
        if lowered not in values:
            listed = ", ".join(values if declared else sorted(values))
            self.problems.append(
                f"[{self.scope}] Invalid value [{text}] received. [{name}] must be one of "
                f"[{listed}]"
            )
            return None
        return lowered

    def _url(self, name: str, *, required: bool) -> str | None:
        """convertToUri: java.net.URI's syntax check."""
        text: str | None = self.read(name, {"type": "string"}, required=required)
        if text is None:
            return None
        problem = java_uri_problem(text)
        if problem is not None:
            self.problems.append(
                f"[{self.scope}] Invalid url [{text}] received for field [{name}]. Error: unable "
                f"to parse url [{text}]. Reason: {problem}"
            )
            return None
        return text

    def _positive_long(self, name: str, *, required: bool) -> int | None:
        """extractOptionalPositiveLong: an Integer or a Long, above zero."""
        value = self.remaining.pop(name, None)
        if value is None:
            if required:
                self.problems.append(messages.missing_setting(name, self.scope))
            return None
        if type(value) is not int or not -(2**63) <= value < 2**63:
            self.problems.append(
                f"field [{name}] is not of one of the expected types. The value "
                f"[{java_string(value)}] cannot be converted to one of [Integer, Long]"
            )
            return None
        if value <= 0:
            self.problems.append(
                f"[{self.scope}] Invalid value [{value}]. [{name}] must be a positive long"
            )
            return None
        return value

    def _as_type(self, name: str, json_type: str) -> Any:
        """The three-argument ``removeAsType``: no range check, a wrong type fails at once."""
        value = self.remaining.pop(name, None)
        if value is None or _is_type(value, json_type):
            return value
        raise messages.invalid_type(name, java_string(value), _JAVA_TYPE_NAMES[json_type])

    def _string_map(self, name: str) -> dict[str, str] | None:
        """extractOptionalMap + validateMapStringValues (headers)."""
        value = self.remove_as_type(name, "object")
        if value is None:
            return None
        for key, item in value.items():
            if not isinstance(item, str):
                self.problems.append(
                    f"Map field [{name}] has an entry that is not valid, [{key} => "
                    f"{java_string(item)}]. Value type of [{java_string(item)}] is not one of "
                    "[String]."
                )
                raise messages.validation_failed(self.problems)
        return dict(value)

    def read_all(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Every property the release has, in schema order (the reading order)."""
        values: dict[str, Any] = {}
        required = schema.get("required", [])
        for name, rule in schema.get("properties", {}).items():
            if not in_release(name, rule, self.profile) or rule["type"] == "object":
                continue
            value = self.read(name, rule, required=name in required)
            if value is not None:
                values[name] = value
        return values

    def raise_problems(self) -> None:
        if self.problems:
            raise messages.validation_failed(self.problems)


def throw_if_not_empty(remaining: dict[str, Any], original_size: int, service: str) -> None:
    """``ServiceUtils.throwIfNotEmptyMap``: settings nobody read, as a Java map prints."""
    if remaining:
        text = java_map_string(remaining, original_size=original_size)
        raise messages.unknown_settings(text, service)


def removed_map(
    config: dict[str, Any], name: str, *, required: bool, null_is_empty: bool = False
) -> dict[str, Any] | None:
    """``removeFromMapOrThrowIfNull`` / ``removeFromMap`` / ``removeFromMapOrDefaultEmpty``.

    Null counts as missing (an error unless ``null_is_empty``); the caller's
    Map-typed variable then casts anything else, failing with the JVM's
    ClassCastException.
    """
    if name not in config and not required:
        return None
    value = config.pop(name, None)
    if value is None and null_is_empty and not required:
        return None
    if value is None:
        raise messages.missing_required_field(name)
    if not isinstance(value, dict):
        raise messages.class_cast_to_map(value)
    return value


# java.net.URI's component names, and the characters it refuses anywhere.
_URI_ILLEGAL = frozenset(' "<>\\^`{|}')


def java_uri_problem(text: str) -> str | None:
    """The ``URISyntaxException`` message ``new URI(text)`` gives, if any (a common subset)."""
    scheme_end = text.find(":")
    for index, char in enumerate(text):
        if char in _URI_ILLEGAL or ord(char) < 0x20:
            query = text.find("?")
            fragment = text.find("#")
            if 0 <= fragment < index:
                part = "fragment"
            elif 0 <= query < index:
                part = "query"
            elif scheme_end < 0 or index < scheme_end:
                part = "scheme name" if scheme_end > index else "path"
            elif (
                text[scheme_end + 1 : scheme_end + 3] == "//"
                and "/" not in text[scheme_end + 3 : index]
            ):
                part = "authority"
            else:
                part = "path"
            return f"Illegal character in {part} at index {index}: {text}"
    if scheme_end == 0:
        return f"Expected scheme name at index 0: {text}"
    return None
