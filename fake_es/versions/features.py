"""Behaviour changes of the inference API, each with the release it arrived in.

A feature names one change. ``since`` lists the first release of each major line
that has it: ``("8.19", "9.1")`` is a change made in 8.19 and 9.1 but not 9.0
(the two lines were released side by side). A later major line has every feature
an earlier one had. The source of each date is beside it (``versions.md`` in the
project's research notes gives the full citations).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Feature:
    name: str
    since: tuple[str, ...]
    # The hash dataclass would compute on every question, computed once.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.name, self.since)))

    def __hash__(self) -> int:
        return self._hash

    def on_in(self, major: int, minor: int) -> bool:
        """Whether release ``major.minor`` has this change."""
        lines = {int(v.split(".")[0]): int(v.split(".")[1]) for v in self.since}
        if major in lines:
            return minor >= lines[major]
        return major > max(lines)


def feature(name: str, *since: str) -> Feature:
    return Feature(name, since)


# 8.12: GetInferenceModelAction answers a list, `_all`/`*` list every endpoint, `input`
# may be an array and results are arrays (8.12 docs; TransportVersions.V_8_12_0 gates).
LIST_RESPONSES = feature("list_responses", "8.12")
# 8.12: TransportDeleteInferenceModelAction looks the endpoint up (404 when missing) and
# stops the service (the ELSER deployment); 8.11 was a delete-by-query, always acknowledged.
DELETE_LOOKS_UP = feature("delete_looks_up", "8.12")
# 8.12: a `cluster:monitor` action name for GET (GetInferenceModelAction, ref 260590051).
GET_IS_MONITOR_ACTION = feature("get_is_monitor_action", "8.12")
# 8.13: ELSER's settings read by InternalServiceSettings/ServiceUtils: type problems
# gathered, messages scoped ("[service_settings] Invalid value …"); 8.12 kept 8.11's reader.
SCOPED_SETTING_MESSAGES = feature("scoped_setting_messages", "8.13")
# 8.13: `{inference_id}` paths, the task type optional (PR #103669; _json_spec 8.13).
INFERENCE_ID_PATHS = feature("inference_id_paths", "8.13")
# 8.13: PutInferenceModelAction.Request.validate checks the id (MlStrings; PR #103669).
INFERENCE_ID_VALIDATION = feature("inference_id_validation", "8.13")
# 8.14: `GET _inference` with no id (_json_spec 8.14).
GET_WITHOUT_ID = feature("get_without_id", "8.14")
# 8.14: manage_inference / monitor_inference and their roles (PR #106371).
INFERENCE_PRIVILEGES = feature("inference_privileges", "8.14")
# 8.14: `query` in the inference body and `?timeout` on POST (_json_spec 8.14).
INFERENCE_QUERY_AND_TIMEOUT = feature("inference_query_and_timeout", "8.14")
# 8.15: `endpoints`/`inference_id` in responses and "inference endpoint" in messages
# (PR #107704, PR #111366, 8.15 migration note PR #111633).
ENDPOINT_NAMING = feature("endpoint_naming", "8.15")
# 8.15: rate_limit in third-party service settings (ML_INFERENCE_RATE_LIMIT_SETTINGS_ADDED).
RATE_LIMIT_SETTINGS = feature("rate_limit_settings", "8.15")
# 8.15: DELETE `dry_run`/`force` and the ingest-pipeline check
# (ML_INFERENCE_ENHANCE_DELETE_ENDPOINT).
DELETE_REFERENCE_CHECKS = feature("delete_reference_checks", "8.15")
# 8.16: DELETE also refuses while a semantic_text field uses the endpoint
# (ML_INFERENCE_DONT_DELETE_WHEN_SEMANTIC_TEXT_EXISTS).
DELETE_CHECKS_MAPPINGS = feature("delete_checks_mappings", "8.16")
# 8.16: chunking_settings (ML_INFERENCE_CHUNKING_SETTINGS).
CHUNKING_SETTINGS = feature("chunking_settings", "8.16")
# 8.16: adaptive_allocations for the elasticsearch/elser services (INFERENCE_ADAPTIVE_ALLOCATIONS).
ADAPTIVE_ALLOCATIONS = feature("adaptive_allocations", "8.16")
# 8.16: malformed JSON is a 400, not a 500 (elastic/elasticsearch #111542, #111548).
JSON_ERRORS_ARE_400 = feature("json_errors_are_400", "8.16")
# 8.16: the `elser` service answers with a deprecation warning (see services/elser.py).
ELSER_DEPRECATED = feature("elser_deprecated", "8.16")
# 8.17: preconfigured ELSER and E5 endpoints (PR #116931).
DEFAULT_ENDPOINTS = feature("default_endpoints", "8.17")
# 8.17: empty task_settings are left out of responses (ModelConfigurations; PR #114389).
OMIT_EMPTY_TASK_SETTINGS = feature("omit_empty_task_settings", "8.17")
# 8.18/9.0: the preconfigured rerank endpoint (PR #117939).
DEFAULT_RERANK_ENDPOINT = feature("default_rerank_endpoint", "8.18", "9.0")
# 8.19/9.1: top-level input_type, return_documents and top_n on POST
# (RERANK_COMMON_OPTIONS_ADDED_8_19 / 9_037); `?timeout` on PUT
# (INFERENCE_ADD_TIMEOUT_PUT_ENDPOINT).
TOP_LEVEL_INFERENCE_OPTIONS = feature("top_level_inference_options", "8.19", "9.1")
PUT_TIMEOUT = feature("put_timeout", "8.19", "9.1")
# 8.15: rerank needs `query` (InferenceAction.Request.validate; PR #110147, June 2024).
RERANK_QUERY_REQUIRED = feature("rerank_query_required", "8.15")
# 8.18/9.0: the REST-facing InferenceActionProxy (`cluster:monitor/xpack/inference/post`) in
# front of `cluster:internal/xpack/inference`, whose name the body parser reports (ref 63207454).
INFERENCE_ACTION_PROXY = feature("inference_action_proxy", "8.18", "9.0")
# 8.18/9.0: "Field [input] cannot be null" replaced "missing input" (InferenceAction @65a282da;
# 8.15 still had the old text; the exact release between is not confirmed).
INPUT_FIELD_MESSAGES = feature("input_field_messages", "8.18", "9.0")
# 8.18/9.0: a preconfigured endpoint is deleted only with force=true (PR #124781, backported
# to 8.18 and 9.0 before their release).
RESERVED_DEFAULT_ENDPOINTS = feature("reserved_default_endpoints", "8.18", "9.0")
# 8.17: PUT _inference/{task_type}/{id}/_update (PR #114457; its code was backported to 8.x only,
# #114734, so 8.16 has the docs (#114980) but not the route; the spec says since=8.17.0).
UPDATE_API = feature("update_api", "8.17")
# 8.18/9.0: `_update` takes the id from a one-segment path and the task type from the body, and
# endpoints naming a deployment_id update that deployment (PR #121231, backported to 9.0 #121534).
# 8.17's RestUpdateInferenceModelAction refused a path without a task type.
UPDATE_WITHOUT_TASK_TYPE = feature("update_without_task_type", "8.18", "9.0")
# 8.18/9.0: GET _inference/_services[/{task_type}] (PR #114862 behind a flag; enabled by the
# 8.x backport #120058 of PR #118491).
SERVICES_API = feature("services_api", "8.18", "9.0")
# 9.4: `_update` calls the provider with the merged endpoint (ModelValidatorBuilder in
# TransportUpdateInferenceModelAction, PR #140003, merged 2026-01, after 9.3's branch).
UPDATE_VALIDATES = feature("update_validates", "9.4")
# 9.5: `?timeout` on `_update` (spec UpdateInferenceRequest, @availability since=9.5.0).
UPDATE_TIMEOUT = feature("update_timeout", "9.5")
# 9.5: `_update` no longer runs the id check; a preconfigured endpoint gets its own error
# (PR #150368, merged 2026-06, while main was 9.5).
UPDATE_DEFAULT_ENDPOINT_ERROR = feature("update_default_endpoint_error", "9.5")
# 9.5: PUT/GET/DELETE _inference/_region_policy (spec @availability since=9.5.0).
REGION_POLICY = feature("region_policy", "9.5")
# 8.16: `POST _inference/[{task_type}/]{id}/_stream`, answered as server-sent events
# (RestStreamInferenceAction, ServerSentEventsRestActionListener; _json_spec 8.16
# `inference.stream_inference`).
STREAM_INFERENCE = feature("stream_inference", "8.16")
# 9.4: the `embedding` task reads `input` items as strings or `{"content": {type, format, value}}`
# (EmbeddingRequest.PARSER, InferenceStringGroup; spec EmbeddingRequest @availability since=9.4.0).
EMBEDDING_CONTENT_OBJECTS = feature("embedding_content_objects", "9.4")
# 9.5: a `content` may be a list of items making one embedding, and `audio`/`video`/`pdf` types
# (spec EmbeddingContentObjectGroup and EmbeddingContentType: "available in 9.5.0 and later").
EMBEDDING_CONTENT_LISTS = feature("embedding_content_lists", "9.5")
# 9.5: chat completion reads a top-level `reasoning` object and, on messages, `reasoning` and
# `reasoning_details` (spec UnifiedRequest.reasoning, Message.reasoning/reasoning_details and
# chat_completion_unified examples 4 and 5, added for 9.5). 9.4's parser refuses them.
CHAT_REASONING = feature("chat_reasoning", "9.5")
