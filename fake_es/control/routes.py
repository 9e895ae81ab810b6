"""``/_fake_es/...``: the fake's controls over HTTP, for the dev server and other languages.

Elasticsearch reserves names starting with ``_`` for its own APIs and has no
``_fake_es``, so these routes cannot shadow a real one. Requests here are
neither journaled nor subject to faults. They need no credentials, unless the
app protects them (``protect_control_api``): then, with security on, only a
caller whose roles grant the ``all`` cluster privilege (a superuser, by password
or API key) may use them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fake_es import messages
from fake_es.control.faults import Fault
from fake_es.control.journal import kept_entry_json
from fake_es.inference.handlers import put_endpoint
from fake_es.inference.views import endpoint_view
from fake_es.providers.plan import ProviderFailure
from fake_es.rest.json_body import parse_json_object
from fake_es.rest.routing import (
    Action,
    Endpoint,
    Handler,
    ListedResponse,
    RestRequest,
    RestResponse,
    Route,
)
from fake_es.schemas import validator_for

CONTROL_PREFIX = "/_fake_es"
# The action security authorizes on these routes when the control API is protected. Like
# Elasticsearch's security APIs (cluster:admin/xpack/security/*, which
# ClusterPrivilegeResolver's MANAGE excludes), only the ``all`` privilege grants it.
CONTROL_ACTION = "cluster:admin/xpack/security/fake_es/control"
_SCHEMA = "control.schema.json#/$defs/"


def _acknowledging(clear: Callable[[], None]) -> Action:
    def action() -> RestResponse:
        clear()
        return RestResponse(200, {"acknowledged": True}, _SCHEMA + "acknowledged")

    return Action(action)


def reset(request: RestRequest) -> Action:
    return _acknowledging(request.state.reset)


def clear_journal(request: RestRequest) -> Action:
    return _acknowledging(request.state.journal.clear)


def clear_faults(request: RestRequest) -> Action:
    return _acknowledging(request.state.faults.clear)


def get_journal(request: RestRequest) -> Action:
    def action() -> ListedResponse:
        # The entries as they stand now, each written only as the client reads on.
        journal = request.state.journal
        places = journal.places()
        return ListedResponse(
            "requests",
            lambda: journal.kept(places),
            _SCHEMA + "journal",
            kept_entry_json,
            journal.shared_writer,
        )

    return Action(action)


def get_faults(request: RestRequest) -> Action:
    def action() -> RestResponse:
        faults = [fault.to_json() for fault in request.state.faults.pending()]
        return RestResponse(200, {"faults": faults}, _SCHEMA + "faults")

    return Action(action)


def add_fault(request: RestRequest) -> Action:
    spec = parse_json_object(request.required_content())
    problems = sorted(
        error.message for error in validator_for(_SCHEMA + "fault_request").iter_errors(spec)
    )
    if problems:
        raise messages.illegal_argument("invalid fault: " + "; ".join(problems))
    try:
        checked = Fault(**spec)
    except ValueError as error:
        raise messages.illegal_argument(f"invalid fault: {error}") from None

    def action() -> RestResponse:
        try:
            fault = request.state.faults.add(checked)
        except ValueError as error:  # too many pending
            raise messages.illegal_argument(f"invalid fault: {error}") from None
        return RestResponse(200, {"fault": fault.to_json()}, _SCHEMA + "fault_response")

    return Action(action)


def list_models(request: RestRequest) -> Action:
    def action() -> RestResponse:
        endpoints = request.state.endpoints.all()
        models = [endpoint_view(endpoint, request.profile) for endpoint in endpoints]
        return RestResponse(200, {"models": models}, _SCHEMA + "models")

    return Action(action)


def add_reference(request: RestRequest) -> Action:
    """Declare that an ingest pipeline or a semantic_text index uses an endpoint."""
    spec = parse_json_object(request.required_content())
    problems = sorted(
        error.message for error in validator_for(_SCHEMA + "reference_request").iter_errors(spec)
    )
    if problems:
        raise messages.illegal_argument("invalid reference: " + "; ".join(problems))

    def action() -> RestResponse:
        request.state.references.add(
            spec["inference_id"], pipeline=spec.get("pipeline"), index=spec.get("index")
        )
        return RestResponse(200, {"acknowledged": True}, _SCHEMA + "acknowledged")

    return Action(action)


def add_provider_failure(request: RestRequest) -> Action:
    """Make a simulated provider fail (for an endpoint, a service or every provider)."""
    spec = _checked(request, "provider_failure_request")

    def action() -> RestResponse:
        target = spec.pop("target", "*")
        failure = ProviderFailure(**spec)
        request.state.providers.fail(target, failure)
        return RestResponse(200, {"acknowledged": True}, _SCHEMA + "acknowledged")

    return Action(action)


def add_provider_answer(request: RestRequest) -> Action:
    """Script what a simulated provider answers."""
    spec = _checked(request, "provider_answer_request")

    def action() -> RestResponse:
        request.state.providers.answer(spec.get("target", "*"), spec["answer"])
        return RestResponse(200, {"acknowledged": True}, _SCHEMA + "acknowledged")

    return Action(action)


def clear_providers(request: RestRequest) -> Action:
    return _acknowledging(request.state.providers.clear)


def _checked(request: RestRequest, definition: str) -> dict[str, Any]:
    spec = parse_json_object(request.required_content())
    problems = sorted(
        error.message for error in validator_for(_SCHEMA + definition).iter_errors(spec)
    )
    if problems:
        raise messages.illegal_argument(f"invalid {definition}: " + "; ".join(problems))
    return spec


def control_routes() -> list[Route]:
    def control(handler: Handler) -> Endpoint:
        return Endpoint(handler, action=CONTROL_ACTION)

    return [
        Route(f"{CONTROL_PREFIX}/reset", {"POST": control(reset)}),
        Route(
            f"{CONTROL_PREFIX}/journal",
            {"GET": control(get_journal), "DELETE": control(clear_journal)},
        ),
        Route(
            f"{CONTROL_PREFIX}/faults",
            {
                "GET": control(get_faults),
                "POST": control(add_fault),
                "DELETE": control(clear_faults),
            },
        ),
        Route(f"{CONTROL_PREFIX}/models", {"GET": control(list_models)}),
        Route(
            # The create API itself, minus journal, faults and security.
            f"{CONTROL_PREFIX}/models/<segment:task_type>/<segment:model_id>",
            {"PUT": control(put_endpoint)},
        ),
        Route(f"{CONTROL_PREFIX}/references", {"POST": control(add_reference)}),
        Route(f"{CONTROL_PREFIX}/providers", {"DELETE": control(clear_providers)}),
        Route(f"{CONTROL_PREFIX}/providers/failures", {"POST": control(add_provider_failure)}),
        Route(f"{CONTROL_PREFIX}/providers/answers", {"POST": control(add_provider_answer)}),
    ]
