"""How a release reports a body that ends too soon.

Up to 8.15 a truncated body is a 500 ``x_content_e_o_f_exception`` (issue
#111542); from 8.16 it is a 400 ``x_content_parse_exception`` located at the end
of the input (PR #111548, ``XContentEOFException`` now a parse exception).
"""

from __future__ import annotations

import re

from fake_es.rest.errors import EsError
from fake_es.versions import VersionProfile
from fake_es.versions.features import JSON_ERRORS_ARE_400

_LOCATION = re.compile(r"line: (\d+), column: (\d+)\]$")


def as_released(profile: VersionProfile, error: EsError) -> EsError:
    if error.error_type != "x_content_e_o_f_exception" or not profile.has(JSON_ERRORS_ARE_400):
        return error
    message = error.caused_by.reason if error.caused_by is not None else error.reason
    found = _LOCATION.search(message)
    location = f"[{found.group(1)}:{found.group(2)}] " if found else ""
    cause = EsError(400, "json_e_o_f_exception", message, elasticsearch_exception=False)
    return EsError(
        400,
        "x_content_parse_exception",
        location + message,
        caused_by=cause,
        elasticsearch_exception=False,
    )
