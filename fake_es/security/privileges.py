"""Cluster privileges (ClusterPrivilegeResolver) and built-in roles, per release.

Until 8.13 the inference actions are granted by ``manage`` and ``all``, and the
``cluster:monitor`` ones by ``monitor`` too. 8.14 added ``manage_inference`` and
``monitor_inference`` and the built-in roles ``inference_admin`` and
``inference_user`` (PR #106371).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from fake_es.versions import VersionProfile
from fake_es.versions.features import INFERENCE_PRIVILEGES, Feature, feature

_ALWAYS = feature("cluster_privileges", "8.11")


@dataclass(frozen=True)
class ClusterPrivilege:
    name: str
    includes: tuple[str, ...]
    excludes: tuple[str, ...] = ()
    arrived: Feature = _ALWAYS

    def grants(self, action: str) -> bool:
        if any(fnmatch.fnmatchcase(action, pattern) for pattern in self.excludes):
            return False
        return any(fnmatch.fnmatchcase(action, pattern) for pattern in self.includes)


# Least to most privileged (sortByAccessLevel): the order Elasticsearch lists them in a 403.
CLUSTER_PRIVILEGES = (
    ClusterPrivilege("none", ()),
    ClusterPrivilege(
        "monitor_inference", ("cluster:monitor/xpack/inference*",), arrived=INFERENCE_PRIVILEGES
    ),
    ClusterPrivilege(
        "manage_inference",
        ("cluster:admin/xpack/inference/*", "cluster:monitor/xpack/inference*"),
        arrived=INFERENCE_PRIVILEGES,
    ),
    ClusterPrivilege("monitor_ml", ("cluster:monitor/xpack/ml/*",)),
    ClusterPrivilege("manage_ml", ("cluster:admin/xpack/ml/*", "cluster:monitor/xpack/ml/*")),
    ClusterPrivilege("monitor", ("cluster:monitor/*",)),
    ClusterPrivilege("manage", ("cluster:*",), ("cluster:admin/xpack/security/*",)),
    ClusterPrivilege("all", ("cluster:*",)),
)
# Reserved roles (ReservedRolesStore): role -> (cluster privileges, release it arrived in).
BUILT_IN_ROLES: dict[str, tuple[frozenset[str], Feature]] = {
    "superuser": (frozenset({"all"}), _ALWAYS),
    "inference_admin": (frozenset({"manage_inference"}), INFERENCE_PRIVILEGES),
    "inference_user": (frozenset({"monitor_inference"}), INFERENCE_PRIVILEGES),
}


def _known(profile: VersionProfile) -> list[ClusterPrivilege]:
    return [privilege for privilege in CLUSTER_PRIVILEGES if profile.has(privilege.arrived)]


def granted_by(names: frozenset[str], action: str, profile: VersionProfile) -> bool:
    return any(p.name in names and p.grants(action) for p in _known(profile))


def privileges_granting(action: str, profile: VersionProfile) -> list[str]:
    return [privilege.name for privilege in _known(profile) if privilege.grants(action)]
