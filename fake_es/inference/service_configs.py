"""``GET _inference/_services[/{task_type}]`` (8.18/9.0+): each service's configuration.

TransportGetInferenceServicesAction lists the services of the release (EIS only where the
cluster is authorised to use it, PR #120847; not the ``elser`` alias), sorted by name, each as
``InferenceServiceConfiguration``: ``service``, ``name``, ``task_types`` and a
``configurations`` map of ``SettingsConfiguration`` (description, label, required, sensitive,
updatable, type, supported_task_types). All of it is derived from the service's schema:
``x-es-service.display_name`` names the service; a property's ``x-es-label`` and
``description`` are its label and description (its name, words capitalised, and an empty text
otherwise); secrets are sensitive; secrets and task settings are what ``_update`` changes.
"""

from __future__ import annotations

from typing import Any

from fake_es.inference.services import Service, all_services
from fake_es.inference.settings import in_release
from fake_es.versions import VersionProfile

# SettingsConfigurationFieldType's names for the schema's JSON types.
# SettingsConfigurationFieldType: str, int, list, bool (and map later); it has no decimal
# type, so a decimal setting (temperature, top_p) is listed as its only number type.
_FIELD_TYPES = {
    "string": "str",
    "integer": "int",
    "number": "int",
    "boolean": "bool",
    "object": "map",
    "array": "list",
}


def service_configurations(
    profile: VersionProfile, task_type: str | None, eis_authorised: bool = False
) -> list[dict[str, Any]]:
    """The services of this release supporting ``task_type`` (any, when None), by name."""
    listed = []
    for name in sorted(all_services()):
        service = all_services()[name]
        facts = service.schema["x-es-service"]
        if facts.get("listed", True) is False:
            continue
        if not service.available(profile, eis_authorised):
            continue
        task_types = service.task_types(profile)
        if task_type is not None and task_type not in task_types:
            continue
        listed.append(_configuration(service, profile, task_types))
    return listed


def _configuration(
    service: Service, profile: VersionProfile, task_types: list[str]
) -> dict[str, Any]:
    facts = service.schema["x-es-service"]
    configurations: dict[str, Any] = {}
    for scope in ("service_settings", "task_settings"):
        scope_schema = service.schema["properties"].get(scope, {})
        required = scope_schema.get("required", [])
        for name, rule in scope_schema.get("properties", {}).items():
            if not in_release(name, rule, profile) or name in configurations:
                continue
            # x-es-listed false: a setting the service reads but its configuration leaves out
            # (ElasticInferenceService.createConfiguration lists model_id and max_input_tokens).
            if rule.get("x-es-listed", True) is False:
                continue
            supported = [t for t in task_types if t in rule.get("x-es-task-types", task_types)]
            if not supported:
                continue
            secret = bool(rule.get("x-es-secret"))
            configurations[name] = {
                "description": rule.get("description", ""),
                "label": rule.get("x-es-label", name.replace("_", " ").title()),
                "required": name in required,
                "sensitive": secret,
                "updatable": secret or scope == "task_settings",
                "type": _FIELD_TYPES[rule["type"]],
                "supported_task_types": supported,
            }
    return {
        "service": service.name,
        "name": facts.get("display_name", service.name),
        "task_types": task_types,
        "configurations": configurations,
    }
