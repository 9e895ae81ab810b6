"""Elasticsearch releases and the behaviour changes between them, as data.

A release is one row of ``releases.RELEASES``; a behaviour change is one
``features.Feature`` with the release it arrived in. Code asks a
``VersionProfile`` whether a feature is on and never compares version numbers.
"""

from fake_es.versions.profile import DEFAULT_VERSION, VersionProfile, get_profile, known_versions

__all__ = ["DEFAULT_VERSION", "VersionProfile", "get_profile", "known_versions"]
