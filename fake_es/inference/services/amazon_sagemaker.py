"""The ``amazon_sagemaker`` service (8.19/9.1+): models on Amazon SageMaker endpoints,
simulated offline.

SageMakerModelBuilder.fromRequest reads in steps, each throwing what it found before the
next starts: the AWS keys, the common service settings, the pair of task type and ``api``
(SageMakerSchemas), the api's own service settings, then the task settings. The schema
holds the settings; this module keeps that order and the api's rules (``x-es-apis``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fake_es import messages
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.results import InferenceInput
from fake_es.inference.services import CreateRequest, ParsedEndpoint
from fake_es.inference.services._third_party import SECRET_SCOPE, ThirdParty, fingerprint
from fake_es.inference.settings import SettingsReader, in_release, removed_map, throw_if_not_empty
from fake_es.providers.plan import ProviderPlan
from fake_es.versions import VersionProfile

NAME = "amazon_sagemaker"
_BASE = ThirdParty(NAME)
_SECRETS = ("access_key", "secret_key")
_COMMON = (
    "endpoint_name",
    "region",
    "api",
    "target_model",
    "target_container_hostname",
    "inference_component_name",
    "batch_size",
)


def parse(request: CreateRequest) -> ParsedEndpoint:
    profile, task_type = request.profile, request.task_type
    properties = _BASE.schema["properties"]
    settings = removed_map(request.config, "service_settings", required=True)
    assert settings is not None
    settings_size = len(settings)
    service_rules = properties["service_settings"]
    # AwsSecretSettings.fromMap throws its own problems first.
    secret_reader = SettingsReader(profile, SECRET_SCOPE, settings)
    given = {name: secret_reader.read(name, {"type": "string"}, required=True) for name in _SECRETS}
    secret_reader.raise_problems()
    secrets = {name: fingerprint(str(secret)) for name, secret in given.items()}
    reader = SettingsReader(profile, "service_settings", settings)
    values = {name: _read(reader, name, service_rules) for name in _COMMON}
    reader.raise_problems()
    api = str(values["api"])
    _check_task_and_api(task_type, api)
    for name, rule in service_rules["properties"].items():
        if _applies(name, rule, request, api):
            values[name] = _read(reader, name, service_rules)
    reader.raise_problems()
    if values.get("dimensions_set_by_user") is None and "element_type" in values:
        # ElasticTextEmbeddingPayload.ApiServiceSettings: false when not given.
        values["dimensions_set_by_user"] = False
    task_map = removed_map(request.config, "task_settings", required=False, null_is_empty=True)
    task_map = task_map or {}
    task_size = len(task_map)
    task_rules = properties["task_settings"]
    task_reader = SettingsReader(profile, "task_settings", task_map)
    task_values = {
        name: _read(task_reader, name, task_rules)
        for name, rule in task_rules["properties"].items()
        if _applies(name, rule, request, api)
    }
    task_reader.raise_problems()
    if api == "elastic":
        # SageMakerElasticTaskSettings: the rest goes to the model as it is, unstored.
        task_map.clear()
        task_size = 0
    throw_if_not_empty(settings, settings_size, NAME)
    throw_if_not_empty(task_map, task_size, NAME)
    return ParsedEndpoint(
        service_settings=_ordered(values, service_rules),
        task_settings=_ordered(task_values, task_rules),
        secrets=secrets,
    )


def _applies(name: str, rule: dict[str, Any], request: CreateRequest, api: str) -> bool:
    """Whether a later step reads the setting: an api's own (``x-es-apis``) for its task
    types and releases, or a common task setting."""
    apis = rule.get("x-es-apis")
    task_types = rule.get("x-es-task-types")
    return (
        apis is not None
        and api in apis
        and (task_types is None or request.task_type in task_types)
        and in_release(name, rule, request.profile)
    ) or (apis is None and name not in _COMMON and not rule.get("x-es-secret"))


def _read(reader: SettingsReader, name: str, scope: dict[str, Any]) -> Any:
    rule = scope["properties"][name]
    required = name in scope.get("required", [])
    kind = rule.get("x-es-read")
    if kind is not None:
        return reader.read_kind(kind, name, rule, required=required)
    return reader.read(name, rule, required=required)


def _check_task_and_api(task_type: str, api: str) -> None:
    """SageMakerSchemas.schemaFor: a 405 whose text names the api as the task and the task as
    the api, as Elasticsearch's format arguments do."""
    apis: dict[str, list[str]] = _BASE.facts["apis"]
    supported = apis.get(api, [])
    if task_type not in supported:
        raise messages.status_exception(
            405,
            f"Task [{api}] is not compatible for service [sagemaker] and api [{task_type}]. "
            f"Supported tasks: [[{', '.join(supported)}]]",
        )


def _ordered(values: dict[str, Any], scope: dict[str, Any]) -> dict[str, Any]:
    return {
        name: values[name] for name in scope["x-es-output-order"] if values.get(name) is not None
    }


def validate(
    profile: VersionProfile, endpoint: InferenceEndpoint, providers: ProviderPlan
) -> InferenceEndpoint:
    """The create's call; an embedding endpoint learns its size
    (updateModelWithEmbeddingDetails: dimensions_set_by_user false, similarity untouched)."""
    validated = _BASE.validate(profile, endpoint, providers)
    if endpoint.task_type != "text_embedding":
        return validated
    settings = dict(validated.service_settings)
    if "similarity" not in endpoint.service_settings:
        settings.pop("similarity", None)
    settings["dimensions_set_by_user"] = False
    service_rules = _BASE.schema["properties"]["service_settings"]
    return replace(validated, service_settings=_ordered(settings, service_rules))


def infer(
    profile: VersionProfile,
    endpoint: InferenceEndpoint,
    request: InferenceInput,
    providers: ProviderPlan,
) -> dict[str, Any]:
    """The elastic api's ``element_type`` picks the answer's shape (ElasticTextEmbeddingPayload:
    text_embedding, text_embedding_bytes or text_embedding_bits)."""
    element_type = endpoint.service_settings.get("element_type")
    if element_type is not None:
        settings = {**endpoint.service_settings, "embedding_type": element_type}
        endpoint = replace(endpoint, service_settings=settings)
    return _BASE.infer(profile, endpoint, request, providers)


SERVICE = _BASE.service(parse=parse, validate=validate, infer=infer)
