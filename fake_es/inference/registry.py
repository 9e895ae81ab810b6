"""Stored inference endpoints: the fake's counterpart of the ``.inference`` and
``.secrets-inference`` indices, and of the ML deployments the built-in services start.

What is stored is version-neutral: each profile renders its own view of it
(``views.py``). Secrets are kept apart from the settings a response shows, and
only as fingerprints, so that no response, journal entry or data file holds one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from fake_es.generation import ResetGeneration
from fake_es.inference.task_types import ANY, TASK_TYPES
from fake_es.persistence import Collection

# What InferenceEndpoint.record writes: each field and the JSON types it may hold.
_RECORD_FIELDS: dict[str, type | tuple[type, ...]] = {
    "inference_id": str,
    "task_type": str,
    "service": str,
    "service_settings": dict,
    "task_settings": dict,
    "chunking_settings": (dict, type(None)),
    "secrets": dict,
}
_REQUIRED_FIELDS = ("inference_id", "task_type", "service")
_RECORD_TYPE_NAMES: dict[type | tuple[type, ...], str] = {
    str: "a string",
    dict: "an object",
    (dict, type(None)): "an object or null",
}
_TASK_TYPES = frozenset(task_type.name for task_type in TASK_TYPES) - {ANY}


def copy_json(value: Any) -> Any:
    """A deep copy of a parsed JSON value (faster than copy.deepcopy for these)."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


@dataclass(frozen=True)
class InferenceEndpoint:
    """An endpoint as stored: its configuration, and its secrets apart."""

    inference_id: str
    task_type: str
    service: str
    service_settings: dict[str, Any] = field(default_factory=dict)
    task_settings: dict[str, Any] = field(default_factory=dict)
    # None: created by a release without chunking settings, or for a task that has none.
    chunking_settings: dict[str, Any] | None = None
    # Secret setting name -> fingerprint; never shown (ModelSecrets).
    secrets: dict[str, str] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        return {
            "inference_id": self.inference_id,
            "task_type": self.task_type,
            "service": self.service,
            "service_settings": copy_json(self.service_settings),
            "task_settings": copy_json(self.task_settings),
            "chunking_settings": copy_json(self.chunking_settings),
            "secrets": dict(self.secrets),
        }

    @classmethod
    def from_record(cls, key: str, value: dict[str, Any]) -> InferenceEndpoint:
        """The endpoint a record holds, or a ValueError saying which field is wrong."""
        fields = dict(value)
        if "model_id" in fields:  # written by fake-es 0.1, which spoke only 8.11
            fields["inference_id"] = fields.pop("model_id")
        unknown = sorted(set(fields) - _RECORD_FIELDS.keys())
        if unknown:
            raise ValueError(f"unknown fields [{', '.join(unknown)}]")
        missing = [name for name in _REQUIRED_FIELDS if name not in fields]
        if missing:
            raise ValueError(f"missing fields [{', '.join(missing)}]")
        for name, field_value in fields.items():
            expected = _RECORD_FIELDS[name]
            if not isinstance(field_value, expected):
                raise ValueError(
                    f"field [{name}] must be {_RECORD_TYPE_NAMES[expected]}, "
                    f"not {_json_type(field_value)}"
                )
        if fields["inference_id"] != key:
            raise ValueError(f"field [inference_id] is not the record's key [{key}]")
        if fields["task_type"] not in _TASK_TYPES:
            raise ValueError(f"unknown task type [{fields['task_type']}]")
        secrets = fields.get("secrets", {})
        if not all(isinstance(fingerprint, str) for fingerprint in secrets.values()):
            raise ValueError("field [secrets] must map each setting to a string")
        return cls(**fields)


def _json_type(value: Any) -> str:
    """What JSON calls the type of a parsed value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


class EndpointRegistry:
    """Endpoints by id. Ids are one namespace across task types, as document ids are.

    With ``storage``, every change is on disk before the call returns, and the
    endpoints stored there are loaded first.
    """

    def __init__(
        self, storage: Collection | None = None, generation: ResetGeneration | None = None
    ) -> None:
        self._lock = threading.Lock()
        self._storage = storage
        self._generation = generation or ResetGeneration()
        self._endpoints: dict[str, InferenceEndpoint] = {}
        if storage is not None:
            self._endpoints.update(storage.load(InferenceEndpoint.from_record))

    def store(self, endpoint: InferenceEndpoint) -> bool:
        """Add ``endpoint``; False, and nothing stored, if its id is taken."""
        with self._lock:
            self._generation.check()
            if endpoint.inference_id in self._endpoints:
                return False
            if self._storage is not None:
                self._storage.put(endpoint.inference_id, endpoint.record())
            self._endpoints[endpoint.inference_id] = endpoint
            return True

    def get(self, inference_id: str) -> InferenceEndpoint | None:
        with self._lock:
            return self._endpoints.get(inference_id)

    def replace(self, endpoint: InferenceEndpoint) -> None:
        """Store ``endpoint`` over the one with its id (ModelRegistry.updateModelTransaction)."""
        with self._lock:
            self._generation.check()
            if self._storage is not None:
                self._storage.put(endpoint.inference_id, endpoint.record())
            self._endpoints[endpoint.inference_id] = endpoint

    def delete(self, inference_id: str) -> bool:
        with self._lock:
            self._generation.check()
            if self._storage is not None:
                self._storage.remove(inference_id)
            return self._endpoints.pop(inference_id, None) is not None

    def all(self) -> list[InferenceEndpoint]:
        """Every endpoint, in creation order."""
        with self._lock:
            return list(self._endpoints.values())

    def clear(self) -> None:
        """Forget every endpoint; one the disk fails to forget stays, on disk and here."""
        with self._lock:
            self._generation.check()
            if self._storage is None:
                self._endpoints.clear()
            else:
                self._storage.remove_each(list(self._endpoints), self._endpoints.pop)

    def __len__(self) -> int:
        with self._lock:
            return len(self._endpoints)


class Deployments:
    """Trained model deployments the built-in services started, by deployment id.

    Each keeps the model and allocation settings it was started with, which an
    endpoint naming it as ``deployment_id`` (8.16+) takes over. Deleting an endpoint
    in 8.11 removes its configuration but does not stop its deployment, so a later
    create of the same id fails to start it; from 8.12 the delete stops it.
    """

    def __init__(
        self, storage: Collection | None = None, generation: ResetGeneration | None = None
    ) -> None:
        self._lock = threading.Lock()
        self._storage = storage
        self._generation = generation or ResetGeneration()
        self._deployments: dict[str, dict[str, Any]] = {}
        if storage is not None:
            self._deployments.update(storage.load(lambda _key, settings: settings))

    def start(self, deployment_id: str, settings: dict[str, Any]) -> bool:
        """Start one; False, and nothing started, if one with that id runs already."""
        with self._lock:
            self._generation.check()
            if deployment_id in self._deployments:
                return False
            if self._storage is not None:
                self._storage.put(deployment_id, settings)
            self._deployments[deployment_id] = copy_json(settings)
            return True

    def get(self, deployment_id: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._deployments.get(deployment_id)
            return copy_json(found) if found is not None else None

    def update(self, deployment_id: str, settings: dict[str, Any]) -> None:
        """UpdateTrainedModelDeploymentAction: the running deployment's new settings."""
        with self._lock:
            self._generation.check()
            if self._storage is not None:
                self._storage.put(deployment_id, settings)
            self._deployments[deployment_id] = copy_json(settings)

    def stop(self, deployment_id: str) -> None:
        with self._lock:
            self._generation.check()
            if self._storage is not None:
                self._storage.remove(deployment_id)
            self._deployments.pop(deployment_id, None)

    def __contains__(self, deployment_id: object) -> bool:
        with self._lock:
            return deployment_id in self._deployments

    def all(self) -> dict[str, dict[str, Any]]:
        """Every deployment's settings (a copy), by deployment id, oldest first."""
        with self._lock:
            return {key: copy_json(settings) for key, settings in self._deployments.items()}

    def clear(self) -> None:
        """Stop every deployment; one the disk fails to forget stays, on disk and here."""
        with self._lock:
            self._generation.check()
            if self._storage is None:
                self._deployments.clear()
            else:
                self._storage.remove_each(list(self._deployments), self._deployments.pop)


class References:
    """Ingest pipelines and ``semantic_text`` indices that use an endpoint.

    The fake has neither pipelines nor mappings; a test declares them (through the
    Python handle or the control API) to see DELETE refuse as Elasticsearch does.
    """

    def __init__(self, generation: ResetGeneration | None = None) -> None:
        self._lock = threading.Lock()
        self._generation = generation or ResetGeneration()
        self._pipelines: dict[str, set[str]] = {}
        self._indexes: dict[str, set[str]] = {}

    def add(self, inference_id: str, *, pipeline: str | None, index: str | None) -> None:
        with self._lock:
            self._generation.check()
            if pipeline is not None:
                self._pipelines.setdefault(inference_id, set()).add(pipeline)
            if index is not None:
                self._indexes.setdefault(inference_id, set()).add(index)

    def pipelines(self, inference_id: str) -> set[str]:
        with self._lock:
            return set(self._pipelines.get(inference_id, ()))

    def indexes(self, inference_id: str) -> set[str]:
        with self._lock:
            return set(self._indexes.get(inference_id, ()))

    def all(self) -> list[tuple[str, str | None, str | None]]:
        """Every reference as ``(inference_id, pipeline, index)``, one of the two None."""
        with self._lock:
            return [
                *((key, name, None) for key, names in self._pipelines.items() for name in names),
                *((key, None, name) for key, names in self._indexes.items() for name in names),
            ]

    def clear(self) -> None:
        with self._lock:
            self._generation.check()
            self._pipelines.clear()
            self._indexes.clear()
