"""``POST _ml/trained_models/{model_id}/deployment/_stop``, where the fake serves it.

In 8.11, deleting an ELSER endpoint leaves its deployment running (see
``registry.Deployments``), and this ML route is how a user stops it. From 8.12 the
delete stops the deployment itself, and the fake serves no ML route.

As RestStopTrainedModelDeploymentAction and TransportStopTrainedModelDeploymentAction
answer it: ``allow_no_match`` (default true) turns a missing deployment into
``{"stopped": true}`` instead of a 404; without ``force``, a deployment an ingest
pipeline uses is refused with a 409. The answer is StopTrainedModelDeploymentAction.Response.
"""

from __future__ import annotations

from typing import Any

from fake_es import messages
from fake_es.rest.body import BodyTokens
from fake_es.rest.errors import EsError
from fake_es.rest.params import suggestions
from fake_es.rest.routing import Action, RestRequest, RestResponse
from fake_es.state import FakeState

# StopTrainedModelDeploymentAction.NAME
STOP_ACTION = "cluster:admin/xpack/ml/trained_models/deployment/stop"
STOP_SCHEMA = "ml_stop_deployment_response.schema.json"
# StopTrainedModelDeploymentAction.Request.PARSER (an ObjectParser named after the action):
# each field and the tokens its ValueType accepts (BOOLEAN also takes "true"/"false").
_FIELDS = {
    "model_id": ("VALUE_STRING",),
    "allow_no_match": ("VALUE_BOOLEAN", "VALUE_STRING"),
    "force": ("VALUE_BOOLEAN", "VALUE_STRING"),
}


def stop_deployment(
    state: FakeState, deployment_id: str, *, allow_no_match: bool = True, force: bool = False
) -> None:
    """Stop the deployment, or raise the ``EsError`` Elasticsearch answers with."""
    if deployment_id not in state.deployments:
        if not allow_no_match:
            raise messages.missing_model_deployment(deployment_id)
        return
    if not force and state.references.pipelines(deployment_id):
        raise messages.deployment_referenced_by_pipeline(deployment_id)
    state.deployments.stop(deployment_id)


def stop_deployment_handler(request: RestRequest) -> Action:
    """POST /_ml/trained_models/{model_id}/deployment/_stop: the options from the body when
    there is one (its query parameters are then not read), else from the query."""
    deployment_id = request.path_param("model_id")
    if request.content:
        body = _parse_body(request.content_parser())
        if body.get("model_id", deployment_id) != deployment_id:
            # Request.parseRequest: Messages.INCONSISTENT_ID
            raise messages.illegal_argument(
                f"Inconsistent model_id; '{body['model_id']}' specified in the body differs "
                f"from '{deployment_id}' specified as a URL argument"
            )
        allow_no_match = body.get("allow_no_match", True)
        force = body.get("force", False)
    else:
        # Request.allowNoMatch defaults to true; paramAsBoolean(name, true).
        allow_no_match = request.param("allow_no_match") is None or request.param_as_boolean(
            "allow_no_match"
        )
        force = request.param_as_boolean("force")

    def action() -> RestResponse:
        stop_deployment(request.state, deployment_id, allow_no_match=allow_no_match, force=force)
        return RestResponse(200, {"stopped": True}, STOP_SCHEMA)

    return Action(action)


def _parse_body(tokens: BodyTokens) -> dict[str, Any]:
    """``Request.PARSER.apply``: the fields set, by name."""
    token = tokens.next_token()
    if token != "START_OBJECT":
        raise _error(tokens, f"Expected START_OBJECT but was: {token or 'null'}")
    values: dict[str, Any] = {}
    name = ""
    while (token := tokens.next_token()) != "END_OBJECT":
        if token == "FIELD_NAME":
            name = tokens.current_name
            if name not in _FIELDS:
                close = suggestions(name, _FIELDS)
                hint = f" did you mean [{close[0]}]?" if len(close) == 1 else ""
                if len(close) > 1:
                    hint = f" did you mean any of [{', '.join(close)}]?"
                raise _error(tokens, f"unknown field [{name}]{hint}")
            continue
        if token not in _FIELDS[name]:
            raise _error(tokens, f"{name} doesn't support values of type: {token}")
        if token == "VALUE_BOOLEAN":
            values[name] = tokens.scalar()
        elif name == "model_id":
            values[name] = tokens.text()
        else:
            text = tokens.text()
            if text not in ("true", "false"):
                cause = messages.illegal_argument(
                    f"Failed to parse value [{text}] as only [true] or [false] are allowed."
                )
                raise _error(tokens, f"failed to parse field [{name}]", cause)
            values[name] = text == "true"
    return values


def _error(tokens: BodyTokens, message: str, cause: EsError | None = None) -> EsError:
    return EsError(
        400,
        "x_content_parse_exception",
        f"[{tokens.token_location}] [{STOP_ACTION}] {message}",
        caused_by=cause,
        elasticsearch_exception=False,
    )
