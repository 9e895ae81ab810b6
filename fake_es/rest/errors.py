"""Exceptions that render as the error bodies Elasticsearch sends.

Two shapes exist. Most failures are an ``ElasticsearchException`` rendered as
``{"error": {"root_cause": [...], "type": ..., "reason": ...}, "status": N}``.
A few come from the REST controller itself and carry a bare string:
``{"error": "...", "status": N}`` (or, for an unknown URI, no ``status``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class EsError(Exception):
    """A failure Elasticsearch reports with a typed error object."""

    def __init__(
        self,
        status: int,
        error_type: str,
        reason: str,
        *,
        caused_by: EsError | None = None,
        headers: Mapping[str, str] | None = None,
        elasticsearch_exception: bool = True,
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.error_type = error_type
        self.reason = reason
        self.caused_by = caused_by
        self.headers = dict(headers or {})
        # Java exceptions outside the ElasticsearchException tree (ClassCastException,
        # XContentParseException, ...) end the root-cause search, as guessRootCauses does.
        self.elasticsearch_exception = elasticsearch_exception

    def error_object(self) -> dict[str, Any]:
        """The inner ``error`` object, ``caused_by`` chain included, without ``root_cause``."""
        body: dict[str, Any] = {"type": self.error_type, "reason": self.reason}
        if self.caused_by is not None:
            body["caused_by"] = self.caused_by.error_object()
        return body

    def root_cause(self) -> EsError:
        """The error ``ElasticsearchException.guessRootCauses`` reports for this one."""
        cause = self.caused_by
        if self.elasticsearch_exception and cause is not None and cause.elasticsearch_exception:
            return cause.root_cause()
        return self

    def body(self) -> dict[str, Any]:
        root = self.root_cause()
        error = {"root_cause": [{"type": root.error_type, "reason": root.reason}]}
        error.update(self.error_object())
        return {"error": error, "status": self.status}

    def __repr__(self) -> str:
        return f"EsError({self.status}, {self.error_type!r}, {self.reason!r})"

    def __str__(self) -> str:
        return f"{self.status} {self.error_type}: {self.reason}"


class SimpleError(Exception):
    """A REST-controller failure with a plain string as ``error``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        include_status: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.include_status = include_status
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        if self.include_status:
            return {"error": self.message, "status": self.status}
        return {"error": self.message}
