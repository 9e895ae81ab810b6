"""The one state object behind an app: shared by the in-process fixture and the server."""

from __future__ import annotations

import dataclasses
import random
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_es.control.faults import FaultPlan
from fake_es.control.journal import DEFAULT_CAPACITY, Journal
from fake_es.generation import ResetGeneration
from fake_es.inference.region_policy import RegionPolicyStore
from fake_es.inference.registry import (
    Deployments,
    EndpointRegistry,
    InferenceEndpoint,
    References,
)
from fake_es.persistence import Collection, DataDirLock
from fake_es.providers.plan import Answer, ProviderFailure, ProviderPlan


@dataclass(frozen=True)
class Crash:
    """An exception raised inside the fake's own code while serving a request."""

    method: str
    uri: str
    error: BaseException

    def formatted(self) -> str:
        trace = "".join(traceback.format_exception(self.error))
        return f"fake-es crashed while serving {self.method} {self.uri}:\n{trace}"


class CrashLog:
    """Crashes kept until someone (a test's teardown, the server's log) takes them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._crashes: list[Crash] = []

    def record(self, crash: Crash) -> None:
        with self._lock:
            self._crashes.append(crash)

    def take(self) -> list[Crash]:
        with self._lock:
            taken, self._crashes = self._crashes, []
            return taken


@dataclass(frozen=True)
class Snapshot:
    """The set-up part of a fake's state, as stored (the same for every release): endpoints,
    deployments, declared references and the providers' plan. Not the journal, faults,
    crashes or region policy."""

    endpoints: tuple[dict[str, Any], ...]
    deployments: dict[str, dict[str, Any]]
    references: tuple[tuple[str, str | None, str | None], ...]
    provider_failures: dict[str, ProviderFailure]
    provider_answers: dict[str, Answer]


class FakeState:
    """All mutable state of one fake cluster, and the controls on it.

    ``data_dir``: keep endpoints and deployments there across restarts (else in memory).
    ``eis_authorised``: the cluster may use the Elastic Inference Service (as on Elastic
    Cloud); a self-managed cluster may not, which is the default.
    ``seed``: seeds ``random``, which draws the faults' delays from their ranges and
    their garbage bytes (None: seeded from the system, differently each run).
    """

    def __init__(
        self,
        *,
        journal_capacity: int = DEFAULT_CAPACITY,
        data_dir: Path | None = None,
        eis_authorised: bool = False,
        seed: int | None = None,
    ) -> None:
        self._lock = DataDirLock(data_dir) if data_dir is not None else None
        endpoints = Collection(data_dir / "models") if data_dir is not None else None
        deployments = Collection(data_dir / "deployments") if data_dir is not None else None
        self.generation = ResetGeneration()
        self.endpoints = EndpointRegistry(endpoints, self.generation)
        self.deployments = Deployments(deployments, self.generation)
        self.references = References(self.generation)
        # 9.5's region policy; in memory only.
        self.region_policy = RegionPolicyStore(self.generation)
        self.providers = ProviderPlan(generation=self.generation)
        self.crashes = CrashLog()
        self.journal = Journal(journal_capacity, generation=self.generation)
        self.faults = FaultPlan(generation=self.generation)
        # One per state, not the module's: tests can seed it (or replace it) alone.
        self.random = random.Random(seed)
        # How the cluster is set up, not what it holds: a reset keeps it.
        self.eis_authorised = eis_authorised

    def close(self) -> None:
        """Let another state (or server) use the data directory."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def reset(self) -> None:
        """Forget endpoints, deployments, references, the region policy, journal, faults and
        crashes.

        Requests in flight, even those still sending their body, change nothing
        after it (see ``generation``); the reset does not wait for them.
        """
        self.generation.advance()
        with self.generation.serving(self.generation.current):
            self.faults.clear()
            self.providers.clear()
            self.references.clear()
            self.region_policy.clear()
            self.journal.clear()
            self.endpoints.clear()
            self.deployments.clear()
        self.crashes.take()

    def snapshot(self) -> Snapshot:
        """The set-up part of the state now, for ``restore``."""
        return Snapshot(
            endpoints=tuple(endpoint.record() for endpoint in self.endpoints.all()),
            deployments=self.deployments.all(),
            references=tuple(self.references.all()),
            provider_failures={
                target: dataclasses.replace(failure)
                for target, failure in self.providers.failures().items()
            },
            provider_answers=self.providers.answers(),
        )

    def restore(self, snapshot: Snapshot) -> None:
        """``reset``, then the snapshot's endpoints, deployments, references and provider
        plan (each provider failure with the calls it had counted when taken)."""
        self.reset()
        for record in snapshot.endpoints:
            self.endpoints.store(InferenceEndpoint.from_record(record["inference_id"], record))
        for deployment_id, settings in snapshot.deployments.items():
            self.deployments.start(deployment_id, settings)
        for inference_id, pipeline, index in snapshot.references:
            self.references.add(inference_id, pipeline=pipeline, index=index)
        for target, failure in snapshot.provider_failures.items():
            self.providers.fail(target, dataclasses.replace(failure))
        for target, answer in snapshot.provider_answers.items():
            self.providers.answer(target, answer)
