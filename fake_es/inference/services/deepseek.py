"""The ``deepseek`` service (8.19/9.1+): DeepSeek's chat models, simulated offline.

DeepSeekService.parseRequestConfig reads less, and otherwise, than the other services
(DeepSeekChatCompletionModel.createFromNewInput): only the service settings, the API key
among them under the ``service_settings`` scope, the URL through ``createOptionalUri``
(which throws at once), and the leftover check in a ``finally`` that replaces any
earlier failure. What else the body holds is not looked at.
"""

from __future__ import annotations

from fake_es import messages
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import ThirdParty, fingerprint
from fake_es.inference.settings import (
    SettingsReader,
    java_uri_problem,
    removed_map,
    throw_if_not_empty,
)

NAME = "deepseek"
_BASE = ThirdParty(NAME)


def parse(request: CreateRequest) -> ParsedEndpoint:
    # DeepSeekService does not check the task type itself; the fake answers as the services
    # built on ServiceUtils.createInvalidTaskTypeException do.
    if request.task_type not in _BASE.task_types(request.profile):
        raise messages.unsupported_task_type(NAME, request.task_type)
    settings = removed_map(request.config, "service_settings", required=True)
    assert settings is not None
    size = len(settings)
    scope_schema = _BASE.schema["properties"]["service_settings"]
    required = scope_schema["required"]
    reader = SettingsReader(request.profile, "service_settings", settings)
    values: dict[str, str] = {}
    secrets: dict[str, str] = {}
    try:
        for name, rule in scope_schema["properties"].items():
            value = reader.read(name, rule, required=name in required)
            if value is None:
                continue
            if rule.get("x-es-secret"):
                secrets[name] = fingerprint(value)
                continue
            if name == "url" and (problem := java_uri_problem(value)) is not None:
                # ServiceUtils.createUri: an IllegalArgumentException, not a gathered problem.
                raise messages.illegal_argument(f"unable to parse url [{value}]. Reason: {problem}")
            values[name] = value
        reader.raise_problems()
    finally:
        throw_if_not_empty(settings, size, NAME)
    return ParsedEndpoint(service_settings=values, secrets=secrets)


SERVICE = _BASE.service(parse=parse)
