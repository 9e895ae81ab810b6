"""Exceptions that render as the error bodies Elasticsearch sends.

Two shapes exist. Most failures are an ``ElasticsearchException`` rendered as
``{"error": {"root_cause": [...], "type": ..., "reason": ...}, "status": N}``.
A few come from the REST controller itself and carry a bare string:
``{"error": "...", "status": N}`` (or, for an unknown URI, no ``status``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

_PARSE_ERROR = "x_content_parse_exception"
# HTTP headers an error sends: one value, or several lines of the same header.
HeaderValues = str | Sequence[str]


class EsError(Exception):
    """A failure Elasticsearch reports with a typed error object."""

    def __init__(
        self,
        status: int,
        error_type: str,
        reason: str,
        *,
        caused_by: EsError | None = None,
        headers: Mapping[str, HeaderValues] | None = None,
        metadata: Mapping[str, Any] | None = None,
        elasticsearch_exception: bool = True,
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.error_type = error_type
        self.reason = reason
        self.caused_by = caused_by
        # ElasticsearchException headers: sent over HTTP and listed under "header".
        self.headers = dict(headers or {})
        # ElasticsearchException metadata ("es."-prefixed there): extra fields after "reason".
        self.metadata = dict(metadata or {})
        # Java exceptions outside the ElasticsearchException tree (ClassCastException,
        # XContentParseException, ...) end the root-cause search, as guessRootCauses does.
        self.elasticsearch_exception = elasticsearch_exception

    def error_object(self, *, with_cause: bool = True, trace: bool = False) -> dict[str, Any]:
        """The inner ``error`` object without ``root_cause``, in Elasticsearch's field order."""
        body: dict[str, Any] = {"type": self.error_type, "reason": self.reason}
        body.update(self.metadata)
        if with_cause and self.caused_by is not None:
            body["caused_by"] = self.caused_by.error_object(trace=trace)
        if self.headers:
            body["header"] = {
                name: value if isinstance(value, str) or len(value) != 1 else value[0]
                for name, value in self.headers.items()
            }
        if trace:
            body["stack_trace"] = self.stack_trace()
        return body

    def stack_trace(self) -> str:
        """``printStackTrace`` as far as the fake knows it: each exception's class and message.

        Java stack frames are not simulated; the lines name the exceptions and their causes.
        """
        lines = [f"{java_exception_class(self.error_type)}: {self.reason}"]
        cause = self.caused_by
        while cause is not None:
            lines.append(f"Caused by: {java_exception_class(cause.error_type)}: {cause.reason}")
            cause = cause.caused_by
        return "\n".join(lines)

    def root_cause(self) -> EsError:
        """The error ``ElasticsearchException.guessRootCauses`` reports for this one."""
        cause = self.caused_by
        if cause is None:
            return self
        if self.elasticsearch_exception and cause.elasticsearch_exception:
            return cause.root_cause()
        # Parse errors unwrap to the innermost parse error (or Elasticsearch exception).
        if self.error_type == _PARSE_ERROR and (
            cause.error_type == _PARSE_ERROR or cause.elasticsearch_exception
        ):
            return cause.root_cause()
        return self

    def body(self, *, trace: bool = False) -> dict[str, Any]:
        """The response body; ``trace`` adds ``stack_trace`` (``?error_trace=true``)."""
        root = self.root_cause().error_object(with_cause=False, trace=trace)
        error = {"root_cause": [root]}
        error.update(self.error_object(trace=trace))
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
        headers: Mapping[str, HeaderValues] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.include_status = include_status
        self.headers = dict(headers or {})

    def body(self, *, trace: bool = False) -> dict[str, Any]:
        del trace  # a plain message has no exception to trace
        if self.include_status:
            return {"error": self.message, "status": self.status}
        return {"error": self.message}


# The Java class behind each error type the fake sends (ElasticsearchException.getExceptionName
# turns these names into the types).
_JAVA_EXCEPTION_CLASSES = {
    "action_request_validation_exception": (
        "org.elasticsearch.action.ActionRequestValidationException"
    ),
    "bad_parameter_exception": "org.elasticsearch.rest.RestRequest$BadParameterException",
    "class_cast_exception": "java.lang.ClassCastException",
    "cluster_block_exception": "org.elasticsearch.cluster.block.ClusterBlockException",
    "es_rejected_execution_exception": (
        "org.elasticsearch.common.util.concurrent.EsRejectedExecutionException"
    ),
    "illegal_argument_exception": "java.lang.IllegalArgumentException",
    "json_parse_exception": "com.fasterxml.jackson.core.JsonParseException",
    "media_type_header_exception": "org.elasticsearch.rest.RestRequest$MediaTypeHeaderException",
    "not_x_content_exception": "org.elasticsearch.common.compress.NotXContentException",
    "parse_exception": "org.elasticsearch.ElasticsearchParseException",
    "resource_already_exists_exception": "org.elasticsearch.ResourceAlreadyExistsException",
    "resource_not_found_exception": "org.elasticsearch.ResourceNotFoundException",
    "security_exception": "org.elasticsearch.ElasticsearchSecurityException",
    "status_exception": "org.elasticsearch.ElasticsearchStatusException",
    "validation_exception": "org.elasticsearch.common.ValidationException",
    "x_content_e_o_f_exception": "org.elasticsearch.xcontent.XContentEOFException",
    "x_content_parse_exception": "org.elasticsearch.xcontent.XContentParseException",
}


def java_exception_class(error_type: str) -> str:
    return _JAVA_EXCEPTION_CLASSES.get(error_type, "org.elasticsearch.ElasticsearchException")
