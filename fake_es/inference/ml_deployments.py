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

from fake_es import messages
from fake_es.rest.routing import Action, RestRequest, RestResponse
from fake_es.state import FakeState

# StopTrainedModelDeploymentAction.NAME
STOP_ACTION = "cluster:admin/xpack/ml/trained_models/deployment/stop"
STOP_SCHEMA = "ml_stop_deployment_response.schema.json"


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
    """POST /_ml/trained_models/{model_id}/deployment/_stop, with its query parameters."""
    deployment_id = request.path_param("model_id")
    # Request.allowNoMatch defaults to true; paramAsBoolean(name, true).
    allow_no_match = request.param("allow_no_match") is None or request.param_as_boolean(
        "allow_no_match"
    )
    force = request.param_as_boolean("force")

    def action() -> RestResponse:
        stop_deployment(request.state, deployment_id, allow_no_match=allow_no_match, force=force)
        return RestResponse(200, {"stopped": True}, STOP_SCHEMA)

    return Action(action)
