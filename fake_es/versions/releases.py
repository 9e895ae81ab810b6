"""One row per Elasticsearch release the fake can answer as: what ``GET /`` reports.

Each row is one release of its minor line (the ``X.Y.0`` release where its banner is
known). Behaviour is per minor, so ``8.15.3`` is answered by the ``8.15`` row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Release:
    """The banner of one release (RestMainAction) and the REST API versions it accepts."""

    number: str
    build_hash: str
    build_date: str
    lucene_version: str
    minimum_wire_compatibility_version: str
    minimum_index_compatibility_version: str
    # Values of ``compatible-with`` the REST layer accepts (RestCompatibleVersionHelper):
    # the current major and the one before it.
    compatible_majors: tuple[int, ...]

    @property
    def minor_line(self) -> str:
        """``"8.15"`` for ``8.15.0``: how users name a release."""
        return ".".join(self.number.split(".")[:2])

    @property
    def key(self) -> tuple[int, int]:
        major, minor = self.number.split(".")[:2]
        return int(major), int(minor)


def _release_8(number: str, build_hash: str, build_date: str, lucene: str) -> Release:
    return Release(number, build_hash, build_date, lucene, "7.17.0", "7.0.0", (7, 8))


def _release_9(
    number: str, build_hash: str, build_date: str, lucene: str, wire: str = "8.19.0"
) -> Release:
    return Release(number, build_hash, build_date, lucene, wire, "8.0.0", (8, 9))


# Oldest first. Each row is the banner real nodes of that release print (``GET /``). No
# 9.1.0 or 9.4.0 banner was found, so those rows are the first patch seen, 9.1.2 and 9.4.1.
# fmt: off
RELEASES: tuple[Release, ...] = (
    _release_8("8.11.0", "d9ec3fa628c7b0ba3d25692e277ba26814820b20", "2023-11-04T10:04:57.184859352Z", "9.8.0"),  # noqa: E501
    _release_8("8.12.0", "1665f706fd9354802c02146c1e6b5c0fbcddfbc9", "2024-01-11T10:05:27.953830042Z", "9.9.1"),  # noqa: E501
    _release_8("8.13.0", "09df99393193b2c53d92899662a8b8b3c55b45cd", "2024-03-22T03:35:46.757803203Z", "9.10.0"),  # noqa: E501
    _release_8("8.14.0", "8d96bbe3bf5fed931f3119733895458eab75dca9", "2024-06-03T10:05:49.073003402Z", "9.10.0"),  # noqa: E501
    _release_8("8.15.0", "1a77947f34deddb41af25e6f0ddb8e830159c179", "2024-08-05T10:05:34.233336849Z", "9.11.1"),  # noqa: E501
    _release_8("8.16.0", "12ff76a92922609df4aba61a368e7adf65589749", "2024-11-08T10:05:56.292914697Z", "9.12.0"),  # noqa: E501
    _release_8("8.17.0", "2b6a7fed44faa321997703718f07ee0420804b41", "2024-12-11T12:08:05.663969764Z", "9.12.0"),  # noqa: E501
    _release_8("8.18.0", "04e979aa50b657bebd4a0937389308de82c2bdad", "2025-04-10T10:09:16.444104780Z", "9.12.1"),  # noqa: E501
    _release_8("8.19.0", "93788a8c2882eb5b606510680fac214cff1c7a22", "2025-07-23T22:10:18.138212839Z", "9.12.2"),  # noqa: E501
    _release_9("9.0.0", "112859b85d50de2a7e63f73c8fc70b99eea24291", "2025-04-08T15:13:46.049795831Z", "10.1.0", wire="8.18.0"),  # noqa: E501
    _release_9("9.1.2", "ca1a70216fbdefbef3c65b1dff04903ea5964ef5", "2025-08-11T15:04:41.449624592Z", "10.2.2"),  # noqa: E501
    _release_9("9.2.0", "25d88452371273dd27356c98598287b669a03eae", "2025-10-21T10:06:21.288851013Z", "10.3.1"),  # noqa: E501
    _release_9("9.3.0", "17b451d8979a29e31935fe1eb901310350b30e62", "2026-01-29T10:05:46.708397977Z", "10.3.2"),  # noqa: E501
    _release_9("9.4.1", "3c7c6027c5769d860d87448e2749f4c550a239da", "2026-05-08T10:08:29.383338563Z", "10.4.0"),  # noqa: E501
    _release_9("9.5.0", "8d4246a64bc255212407b1b313fe402391299c88", "2026-07-29T23:38:48.847847767Z", "10.5.0"),  # noqa: E501
)
# fmt: on
