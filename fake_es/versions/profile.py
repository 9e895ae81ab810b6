"""One release as the fake impersonates it, and how users name one."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from fake_es.versions.features import Feature
from fake_es.versions.releases import RELEASES, Release

# The newest release: it serves both the 8.x and the 9.x official clients.
DEFAULT_VERSION = RELEASES[-1].minor_line


@dataclass(frozen=True)
class VersionProfile:
    """The release the fake answers as; ``has`` says whether a behaviour change applies."""

    release: Release
    # ``release.key``, read from the release's number once rather than on every question.
    _key: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_key", self.release.key)

    def has(self, feature: Feature) -> bool:
        return _has(feature, self._key)

    @property
    def number(self) -> str:
        return self.release.number

    @property
    def major(self) -> int:
        return self._key[0]

    @property
    def compatible_versions(self) -> tuple[int, ...]:
        return self.release.compatible_majors


@cache
def _has(feature: Feature, key: tuple[int, int]) -> bool:
    # Asked on every request: the answer for a release never changes.
    return feature.on_in(*key)


_PROFILES = {release.minor_line: VersionProfile(release) for release in RELEASES}


def known_versions() -> list[str]:
    """``["8.11", "8.12", …]``, oldest first."""
    return list(_PROFILES)


def get_profile(version: str) -> VersionProfile:
    """The profile for ``"8.15"`` or ``"8.15.3"``; an error naming the known ones otherwise."""
    parts = version.strip().split(".")
    if 2 <= len(parts) <= 3 and all(part.isdigit() for part in parts):
        profile = _PROFILES.get(f"{int(parts[0])}.{int(parts[1])}")
        if profile is not None:
            return profile
    known = ", ".join(known_versions())
    raise ValueError(
        f"fake-es has no profile for Elasticsearch {version!r}; known releases: {known} "
        "(X.Y or X.Y.Z)"
    )
