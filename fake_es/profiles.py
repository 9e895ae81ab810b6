"""What differs between Elasticsearch versions, as data.

The fake answers as one version at a time. Everything it says that depends on
the version (the info banner, the media types it accepts, the inference task
types and services, the shape of the API) is read from a ``VersionProfile``
instead of being tested for in code. 8.11 is the first profile; later ones
(8.12 adds ``_all`` and a ``models`` list, 8.13 renames ``model_id`` to
``inference_id``) are added here as new entries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VersionProfile:
    """One Elasticsearch release as the fake impersonates it."""

    number: str
    build_hash: str
    build_date: str
    lucene_version: str
    minimum_wire_compatibility_version: str
    minimum_index_compatibility_version: str
    # Values of ``compatible-with`` the REST layer accepts (RestCompatibleVersionHelper).
    compatible_versions: tuple[int, ...]
    # Inference task types in the server's enum order (TaskType.java).
    task_types: tuple[str, ...]

    @property
    def major(self) -> int:
        return int(self.number.split(".", 1)[0])


ES_8_11 = VersionProfile(
    number="8.11.0",
    build_hash="d9ec3fa628c7b0ba3d25692e277ba26814820b20",
    build_date="2023-11-04T10:04:57.184859352Z",
    lucene_version="9.8.0",
    minimum_wire_compatibility_version="7.17.0",
    minimum_index_compatibility_version="7.0.0",
    compatible_versions=(7, 8),
    task_types=("text_embedding", "sparse_embedding"),
)

PROFILES: dict[str, VersionProfile] = {"8.11": ES_8_11}
DEFAULT_VERSION = "8.11"


def get_profile(version: str) -> VersionProfile:
    """The profile for ``"8.11"`` (or a full ``"8.11.0"``); an error a user can act on otherwise."""
    key = ".".join(version.split(".")[:2])
    try:
        return PROFILES[key]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(
            f"fake-es has no profile for Elasticsearch {version}; known: {known}"
        ) from None
