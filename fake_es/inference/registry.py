"""Stored inference models: the fake's counterpart of the ``.inference`` index."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from fake_es import messages
from fake_es.persistence import Collection


def copy_json(value: Any) -> Any:
    """A deep copy of a parsed JSON value (faster than copy.deepcopy for these)."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


@dataclass(frozen=True)
class InferenceModel:
    """A model configuration as Elasticsearch stores and returns it."""

    model_id: str
    task_type: str
    service: str
    service_settings: dict[str, Any] = field(default_factory=dict)
    task_settings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The body of ``ModelConfigurations.toXContent``, keys in Elasticsearch's order."""
        return {
            "model_id": self.model_id,
            "task_type": self.task_type,
            "service": self.service,
            "service_settings": copy_json(self.service_settings),
            "task_settings": copy_json(self.task_settings),
        }


class ModelRegistry:
    """Models by id. Ids are one namespace across task types, as document ids are.

    With ``storage``, every change is on disk before the call returns, and the
    models stored there are loaded first.
    """

    def __init__(self, storage: Collection | None = None) -> None:
        self._lock = threading.Lock()
        self._storage = storage
        self._models: dict[str, InferenceModel] = {}
        if storage is not None:
            for model_id, value in storage.load():
                self._models[model_id] = InferenceModel(**value)

    def store(self, model: InferenceModel) -> None:
        """Add ``model``; an id already taken fails as the index's create operation does."""
        with self._lock:
            if model.model_id in self._models:
                raise messages.model_already_exists(model.model_id)
            if self._storage is not None:
                self._storage.put(model.model_id, model.to_json())
            self._models[model.model_id] = model

    def get(self, model_id: str) -> InferenceModel | None:
        with self._lock:
            return self._models.get(model_id)

    def delete(self, model_id: str) -> bool:
        with self._lock:
            if self._storage is not None:
                self._storage.remove(model_id)
            return self._models.pop(model_id, None) is not None

    def all(self) -> list[InferenceModel]:
        """Every model, in creation order."""
        with self._lock:
            return list(self._models.values())

    def clear(self) -> None:
        with self._lock:
            if self._storage is not None:
                self._storage.clear()
            self._models.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._models)


class Deployments:
    """Trained model deployments the ELSER service started, by deployment id (the model id).

    Deleting an inference model in 8.11 removes its configuration but does not
    stop its deployment, so a later create of the same id fails to start it.
    """

    def __init__(self, storage: Collection | None = None) -> None:
        self._lock = threading.Lock()
        self._storage = storage
        self._ids: set[str] = set()
        if storage is not None:
            self._ids.update(deployment_id for deployment_id, _ in storage.load())

    def start(self, deployment_id: str) -> None:
        with self._lock:
            if deployment_id in self._ids:
                raise messages.deployment_exists(deployment_id)
            if self._storage is not None:
                self._storage.put(deployment_id, {})
            self._ids.add(deployment_id)

    def __contains__(self, deployment_id: object) -> bool:
        with self._lock:
            return deployment_id in self._ids

    def clear(self) -> None:
        with self._lock:
            if self._storage is not None:
                self._storage.clear()
            self._ids.clear()
