"""Checking the fake's own answers against the response schemas (on in tests)."""

from __future__ import annotations

from typing import Any

from fake_es.schemas import validator_for


class ResponseSchemaViolation(AssertionError):
    """The fake answered something its own schema does not allow: a bug in the fake."""


class ResponseChecker:
    """Validates every body the app sends against the schema its route names."""

    def check(self, schema_id: str | None, body: Any, where: str) -> None:
        if schema_id is None:
            raise ResponseSchemaViolation(f"{where}: the response names no schema")
        errors = sorted(validator_for(schema_id).iter_errors(body), key=str)
        if errors:
            details = "; ".join(error.message for error in errors)
            raise ResponseSchemaViolation(
                f"{where}: response does not match {schema_id}: {details}"
            )
