"""``PUT/GET/DELETE _inference/_region_policy`` (9.5): where EIS may run inference.

The body is read as ``PutRegionPolicyAction.Request.PARSER`` reads it: a strict
``ConstructingObjectParser`` named ``put_region_policy_request`` whose one field,
``region_policy``, is ``RegionPolicy.STRICT_PARSER`` (``allowed_geos``, a string array, or
``allowed_regions``, an array of ``CspRegion`` objects; the two are an exclusive field set).
``Request.validate`` refuses an empty list. The stored document (``RegionPolicyDoc``) keeps
when it was created and last replaced; the fake has one per cluster, in its state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fake_es import messages
from fake_es.generation import ResetGeneration
from fake_es.rest.body import BodyTokens
from fake_es.rest.errors import EsError
from fake_es.rest.params import suggestions

REQUEST_PARSER = "put_region_policy_request"
# ObjectParser.ValueType: STRING_ARRAY and OBJECT_ARRAY also take a single value.
_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    REQUEST_PARSER: {"region_policy": ("START_OBJECT",)},
    "region_policy": {
        "allowed_geos": ("START_ARRAY", "VALUE_STRING"),
        "allowed_regions": ("START_ARRAY", "START_OBJECT"),
    },
    "csp_region": {"csp": ("VALUE_STRING",), "region": ("VALUE_STRING",)},
}
# Constructor arguments each parser requires.
_REQUIRED = {
    REQUEST_PARSER: ("region_policy",),
    "region_policy": (),
    "csp_region": ("csp", "region"),
}


def not_configured() -> EsError:
    # TransportGetRegionPolicyAction.noRegionPolicyConfiguredException
    return EsError(
        404, "resource_not_found_exception", "No region policy is configured for this deployment"
    )


def body_required() -> EsError:
    # RestPutRegionPolicyAction
    return EsError(400, "parse_exception", "body is required")


class _Parser:
    def __init__(self, tokens: BodyTokens) -> None:
        self.tokens = tokens

    def error(self, name: str, message: str, cause: EsError | None = None) -> EsError:
        return EsError(
            400,
            "x_content_parse_exception",
            f"[{self.tokens.token_location}] [{name}] {message}",
            caused_by=cause,
            elasticsearch_exception=False,
        )

    def parse_object(self, name: str) -> dict[str, Any]:
        """One object read by the parser called ``name``; the current token is its start."""
        tokens = self.tokens
        accepted = _FIELDS[name]
        values: dict[str, Any] = {}
        field = ""
        while (token := tokens.next_token()) != "END_OBJECT":
            if token == "FIELD_NAME":
                field = tokens.current_name
                if field not in accepted:
                    raise self.error(name, f"unknown field [{field}]" + _did_you_mean(field))
                continue
            if token is None or token not in accepted[field]:
                raise self.error(name, f"{field} doesn't support values of type: {token}")
            try:
                values[field] = self.value(field, token)
            except EsError as error:
                raise self.error(name, f"failed to parse field [{field}]", error) from None
        if name == "region_policy" and len(values) > 1:
            # ObjectParser.declareExclusiveFieldSet
            raise messages.illegal_argument(
                "The following fields are not allowed together: [allowed_geos, allowed_regions]"
            )
        missing = [field for field in _REQUIRED[name] if field not in values]
        if missing:
            # ConstructingObjectParser: the constructor arguments never set.
            raise messages.illegal_argument(f"Required [{', '.join(missing)}]")
        return values

    def value(self, field: str, token: str) -> Any:
        if field == "region_policy":
            return self.parse_object("region_policy")
        if field == "allowed_regions":
            if token == "START_OBJECT":
                return [self.parse_object("csp_region")]
            return self.array(lambda item: self.parse_object("csp_region"), "START_OBJECT")
        if token == "START_ARRAY":
            return self.array(lambda item: self.tokens.text(), "VALUE_STRING")
        return self.tokens.text() if field in ("csp", "region") else [self.tokens.text()]

    def array(self, read: Callable[[str], Any], item_token: str) -> list[Any]:
        """AbstractObjectParser.parseArray: each element must be of the declared kind."""
        items = []
        while (token := self.tokens.next_token()) != "END_ARRAY":
            if token != item_token:
                raise messages.illegal_argument(f"expected value but got [{token}]")
            items.append(read(token))
        return items


def _did_you_mean(name: str) -> str:
    close = suggestions(name, _FIELDS[REQUEST_PARSER])
    return f" did you mean [{close[0]}]?" if len(close) == 1 else ""


def parse_put_request(tokens: BodyTokens) -> dict[str, Any]:
    """``PutRegionPolicyAction.Request.parseRequest``: the region policy, in writing order."""
    parser = _Parser(tokens)
    token = tokens.next_token()
    if token != "START_OBJECT":
        raise parser.error(REQUEST_PARSER, f"Expected START_OBJECT but was: {token or 'null'}")
    policy: dict[str, Any] = parser.parse_object(REQUEST_PARSER)["region_policy"]
    return {key: policy[key] for key in ("allowed_geos", "allowed_regions") if key in policy}


def validate_policy(policy: dict[str, Any]) -> None:
    """``PutRegionPolicyAction.Request.validate``: allowed_regions, then allowed_geos."""
    problems = [
        f"[region_policy.{key}] must not be empty"
        for key in ("allowed_regions", "allowed_geos")
        if key in policy and not policy[key]
    ]
    if problems:
        raise messages.action_request_validation(problems)


def _now() -> str:
    # XContentBuilder writes an Instant as strict_date_optional_time, in milliseconds.
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class RegionPolicyStore:
    """The cluster's one ``RegionPolicyDoc`` (document ``region_policy_elastic``)."""

    def __init__(self, generation: ResetGeneration | None = None) -> None:
        self._lock = threading.Lock()
        self._doc: dict[str, Any] | None = None
        self._generation = generation or ResetGeneration()

    def put(self, policy: dict[str, Any]) -> dict[str, Any]:
        """Store ``policy``; a replacement keeps ``created_at`` and gets ``updated_at``."""
        with self._lock:
            self._generation.check()
            doc: dict[str, Any] = {"region_policy": policy, "created_at": _now()}
            if self._doc is not None:
                doc = {**doc, "created_at": self._doc["created_at"], "updated_at": _now()}
            self._doc = doc
            return dict(doc)

    def get(self) -> dict[str, Any]:
        with self._lock:
            if self._doc is None:
                raise not_configured()
            return dict(self._doc)

    def delete(self) -> None:
        with self._lock:
            self._generation.check()
            if self._doc is None:
                raise not_configured()
            self._doc = None

    def clear(self) -> None:
        with self._lock:
            self._generation.check()
            self._doc = None
