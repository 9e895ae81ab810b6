"""Cluster privileges of Elasticsearch 8.11 (ClusterPrivilegeResolver), for the actions faked.

8.11 has no ``manage_inference`` or ``monitor_inference`` (they came in 8.14): the
inference actions are granted by ``manage`` and ``all``, and the inference call
(a ``cluster:monitor`` action) by ``monitor`` too.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass


@dataclass(frozen=True)
class ClusterPrivilege:
    name: str
    includes: tuple[str, ...]
    excludes: tuple[str, ...] = ()

    def grants(self, action: str) -> bool:
        if any(fnmatch.fnmatchcase(action, pattern) for pattern in self.excludes):
            return False
        return any(fnmatch.fnmatchcase(action, pattern) for pattern in self.includes)


# Least to most privileged: the order Elasticsearch lists them in a 403.
CLUSTER_PRIVILEGES = (
    ClusterPrivilege("none", ()),
    ClusterPrivilege("monitor_ml", ("cluster:monitor/xpack/ml/*",)),
    ClusterPrivilege("manage_ml", ("cluster:admin/xpack/ml/*", "cluster:monitor/xpack/ml/*")),
    ClusterPrivilege("monitor", ("cluster:monitor/*",)),
    ClusterPrivilege("manage", ("cluster:*",), ("cluster:admin/xpack/security/*",)),
    ClusterPrivilege("all", ("cluster:*",)),
)
_BY_NAME = {privilege.name: privilege for privilege in CLUSTER_PRIVILEGES}


def granted_by(names: frozenset[str], action: str) -> bool:
    return any(_BY_NAME[name].grants(action) for name in names)


def privileges_granting(action: str) -> list[str]:
    return [privilege.name for privilege in CLUSTER_PRIVILEGES if privilege.grants(action)]
