"""``GET /`` and ``HEAD /``: the node banner clients read on connect (RestMainAction)."""

from __future__ import annotations

from typing import Any

from fake_es.rest.routing import Action, Endpoint, RestRequest, RestResponse, Route
from fake_es.versions import VersionProfile

NODE_NAME = "fake-es"
CLUSTER_NAME = "elasticsearch"
# A cluster keeps its UUID for life; the fake's never changes.
CLUSTER_UUID = "ZmFrZS1lcy1jbHVzdGVyLg"
INFO_SCHEMA = "cluster_info.schema.json"


def info_body(profile: VersionProfile) -> dict[str, Any]:
    release = profile.release
    return {
        "name": NODE_NAME,
        "cluster_name": CLUSTER_NAME,
        "cluster_uuid": CLUSTER_UUID,
        "version": {
            "number": profile.number,
            "build_flavor": "default",
            "build_type": "tar",
            "build_hash": release.build_hash,
            "build_date": release.build_date,
            "build_snapshot": False,
            "lucene_version": release.lucene_version,
            "minimum_wire_compatibility_version": release.minimum_wire_compatibility_version,
            "minimum_index_compatibility_version": release.minimum_index_compatibility_version,
        },
        "tagline": "You Know, for Search",
    }


def get_info(request: RestRequest) -> Action:
    def action() -> RestResponse:
        # RestMainAction pretty-prints unless the request says otherwise.
        return RestResponse(200, info_body(request.profile), INFO_SCHEMA, default_pretty=True)

    return Action(action)


def info_routes() -> list[Route]:
    info = Endpoint(get_info, "cluster:monitor/main")
    return [Route("/", {"GET": info, "HEAD": info})]
