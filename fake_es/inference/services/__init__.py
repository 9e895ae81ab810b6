"""Inference services: one module each, plus its schema in ``schemas/services/``.

A module defines ``SERVICE``. Its schema says, under ``x-es-service``, from which
release the service exists (``since``) and which task types it supports from
which release (``task_types``); its ``service_settings`` and ``task_settings``
properties are read by the settings interpreter (``inference/settings.py``).
Modules here are discovered, so adding a service touches nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from fake_es.inference.registry import Deployments, EndpointRegistry, InferenceEndpoint
from fake_es.inference.results import InferenceInput
from fake_es.inference.streaming import Streamed
from fake_es.inference.unified import ChatRequest
from fake_es.providers.plan import ProviderPlan
from fake_es.schemas import load_schemas
from fake_es.versions import VersionProfile
from fake_es.versions.features import Feature


@dataclass
class CreateRequest:
    """A create request as a service's ``parseRequestConfig`` receives it."""

    profile: VersionProfile
    inference_id: str
    task_type: str
    # The body with ``service`` (and from 8.13 ``task_type``) already removed; the
    # service removes what it reads.
    config: dict[str, Any]
    # How many keys the body had: Java's HashMap kept the capacity they needed.
    original_size: int
    # The ML deployments running, which an endpoint may reuse (``deployment_id``).
    deployments: Deployments


@dataclass(frozen=True)
class ParsedEndpoint:
    """What a service makes of a valid create request."""

    service_settings: dict[str, Any]
    task_settings: dict[str, Any] = field(default_factory=dict)
    chunking_settings: dict[str, Any] | None = None
    secrets: dict[str, str] = field(default_factory=dict)
    # The name the endpoint is stored under, when the service is an alias of another.
    stored_service: str | None = None
    # Deprecation warnings the create answers with (HeaderWarning).
    warnings: tuple[str, ...] = ()
    # The deployment a built-in service starts under the endpoint's id (service.start):
    # its model and allocation settings. None: nothing to start.
    deployment: dict[str, Any] | None = None


@dataclass(frozen=True)
class UpdateRequest:
    """An ``_update`` as TransportUpdateInferenceModelAction hands it to the service's settings."""

    profile: VersionProfile
    endpoint: InferenceEndpoint
    # The body's maps; None when absent or empty (UpdateInferenceModelAction.Request).
    service_settings: dict[str, Any] | None
    task_settings: dict[str, Any] | None
    # The body as text, which one error quotes.
    content: str
    deployments: Deployments
    # The endpoints stored, to find who started a deployment.
    endpoints: EndpointRegistry
    providers: ProviderPlan


Parse = Callable[[CreateRequest], ParsedEndpoint]
Infer = Callable[[VersionProfile, InferenceEndpoint, InferenceInput, ProviderPlan], dict[str, Any]]
# ``infer`` with ``stream`` true: the results as the provider streams them.
Stream = Callable[[VersionProfile, InferenceEndpoint, InferenceInput, ProviderPlan], Streamed]
# ``unifiedCompletionInfer``: a chat completion request, always streamed.
Chat = Callable[[VersionProfile, InferenceEndpoint, ChatRequest, ProviderPlan], Streamed]
# A third-party service's call to its provider at create (ModelValidatorBuilder): the
# endpoint as stored, with the settings the answer filled in (dimensions, similarity).
Validate = Callable[[VersionProfile, InferenceEndpoint, ProviderPlan], InferenceEndpoint]
# What ``_update`` makes of an endpoint: the merged endpoint to store.
Update = Callable[[UpdateRequest], InferenceEndpoint]


def _no_validation(
    _profile: VersionProfile, endpoint: InferenceEndpoint, _providers: ProviderPlan
) -> InferenceEndpoint:
    return endpoint


@dataclass(frozen=True)
class Service:
    name: str
    parse: Parse
    infer: Infer
    update: Update
    validate: Validate = _no_validation
    # None: a provider that cannot stream; a streaming request gets infer's answer in one event.
    stream: Stream | None = None
    chat: Chat | None = None

    @property
    def schema_id(self) -> str:
        return f"services/{self.name}.schema.json"

    @property
    def schema(self) -> dict[str, Any]:
        return load_schemas()[self.schema_id]

    def available(self, profile: VersionProfile, eis_authorised: bool = False) -> bool:
        """Whether this release has the service; one that needs the Elastic Inference
        Service (``x-es-service.requires_eis``) only where the cluster is authorised."""
        facts = self.schema["x-es-service"]
        if facts.get("requires_eis") and not eis_authorised:
            return False
        return profile.has(Feature(self.name, tuple(facts["since"])))

    def task_types(self, profile: VersionProfile) -> list[str]:
        """The task types this service supports in this release."""
        return schema_task_types(self.schema, profile)

    def streaming_task_types(self, profile: VersionProfile) -> list[str]:
        """``supportedStreamingTasks``: ``x-es-service.streaming_task_types`` of the release."""
        since = self.schema["x-es-service"].get("streaming_task_types", {})
        return [name for name, first in since.items() if profile.has(Feature(name, tuple(first)))]


def schema_task_types(schema: dict[str, Any], profile: VersionProfile) -> list[str]:
    """The task types a service schema's ``x-es-service`` gives this release."""
    return [
        task_type
        for task_type, since in schema["x-es-service"]["task_types"].items()
        if profile.has(Feature(task_type, tuple(since)))
    ]


@cache
def all_services() -> dict[str, Service]:
    """Every service module's ``SERVICE``, by name."""
    found: dict[str, Service] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        service = importlib.import_module(f"{__name__}.{module.name}").SERVICE
        found[service.name] = service
    return found


def find_service(
    profile: VersionProfile, name: str, eis_authorised: bool = False
) -> Service | None:
    """The service called ``name`` if this release (and the cluster's EIS authorisation) has
    it (ServiceRegistry.getService)."""
    service = all_services().get(name)
    if service is None or not service.available(profile, eis_authorised):
        return None
    return service
