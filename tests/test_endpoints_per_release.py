"""The CRUD core of the inference API as each release answers it.

Sources per behaviour are in fake_es/versions/features.py; the texts are quoted
from TransportPut/Get/DeleteInference*Action, ModelRegistry, ServiceUtils and
InferenceAction.Request of each generation (the project's research notes cite them).
"""

from __future__ import annotations

import json

import pytest
from support import SEED_BODY, error_of

PATH = "/_inference/sparse_embedding/my-elser"
CHUNKING = '"chunking_settings":{"strategy":"sentence","max_chunk_size":250,"sentence_overlap":1}'
ELSER_LINUX = ".elser_model_2_linux-x86_64"
SEED_ANSWERS = {
    "8.11": '{"model_id":"my-elser","task_type":"sparse_embedding","service":"elser",'
    '"service_settings":{"num_allocations":1,"num_threads":1},"task_settings":{}}',
    "8.12": '{"model_id":"my-elser","task_type":"sparse_embedding","service":"elser",'
    '"service_settings":{"num_allocations":1,"num_threads":1,'
    f'"model_version":"{ELSER_LINUX}"}},"task_settings":{{}}}}',
    "8.13": '{"model_id":"my-elser","task_type":"sparse_embedding","service":"elser",'
    f'"service_settings":{{"num_allocations":1,"num_threads":1,"model_id":"{ELSER_LINUX}"}},'
    '"task_settings":{}}',
    "8.15": '{"inference_id":"my-elser","task_type":"sparse_embedding","service":"elser",'
    f'"service_settings":{{"num_allocations":1,"num_threads":1,"model_id":"{ELSER_LINUX}"}},'
    '"task_settings":{}}',
}
NEWER_SEED_ANSWER = (
    '{"inference_id":"my-elser","task_type":"sparse_embedding","service":"elasticsearch",'
    f'"service_settings":{{"num_allocations":1,"num_threads":1,"model_id":"{ELSER_LINUX}"}},'
    f"{CHUNKING}}}"
)
WARNINGS = [
    "Putting elasticsearch service inference endpoints (including elser service) without a "
    "model_id field is deprecated and will be removed in a future release. Please specify a "
    "model_id field.",
    "The [elser] service is deprecated and will be removed in a future release. Use the "
    f"[elasticsearch] service instead, with [model_id] set to [{ELSER_LINUX}] in the "
    "[service_settings]",
]


def at_least(release, version):
    return tuple(map(int, release.split("."))) >= tuple(map(int, version.split(".")))


def post(es, path, body):
    return es.request(
        "POST", path, data=json.dumps(body), headers={"Content-Type": "application/json"}
    )


@pytest.fixture
def seeded(es):
    response = es.put(PATH, SEED_BODY)
    assert response.status_code == 200, response.get_json()
    return es


def test_create_answers_the_release_s_endpoint_object(es, release):
    response = es.put(PATH, SEED_BODY)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == SEED_ANSWERS.get(release, NEWER_SEED_ANSWER)


@pytest.mark.releases(">=8.17")
def test_the_elser_service_answers_with_two_deprecation_warnings(es, release):
    response = es.put(PATH, SEED_BODY)
    from fake_es.versions import get_profile

    build = get_profile(release).release
    assert response.headers.getlist("Warning") == [
        f'299 Elasticsearch-{build.number}-{build.build_hash} "{text}"' for text in WARNINGS
    ]


@pytest.mark.releases(">=8.17")
def test_elser_with_a_model_id_warns_only_that_the_service_is_deprecated(es):
    body = {"service": "elser", "service_settings": {**SEED_BODY["service_settings"]}}
    body["service_settings"]["model_id"] = ELSER_LINUX
    response = es.put(PATH, body)
    assert response.status_code == 200
    assert [line.split('" ', 1)[0] for line in response.headers.getlist("Warning")] == [
        line.split('" ', 1)[0] for line in response.headers.getlist("Warning")
    ]
    assert len(response.headers.getlist("Warning")) == 1
    assert response.headers["Warning"].endswith(f'"{WARNINGS[1]}"')


@pytest.mark.releases("<8.16")
def test_no_warning_before_the_elser_service_was_deprecated(es):
    assert es.put(PATH, SEED_BODY).headers.getlist("Warning") == []


def test_get_by_id(seeded, release):
    response = seeded.request("GET", PATH)
    answer = SEED_ANSWERS.get(release, NEWER_SEED_ANSWER)
    if release == "8.11":
        expected = answer
    elif at_least(release, "8.15"):
        expected = f'{{"endpoints":[{answer}]}}'
    else:
        expected = f'{{"models":[{answer}]}}'
    assert response.status_code == 200
    assert response.get_data(as_text=True) == expected


DEFAULT_IDS = {
    "8.17": [".elser-2-elasticsearch", ".multilingual-e5-small-elasticsearch"],
    "8.19": [
        ".elser-2-elasticsearch",
        ".multilingual-e5-small-elasticsearch",
        ".rerank-v1-elasticsearch",
    ],
}


@pytest.mark.releases(">=8.12")
@pytest.mark.parametrize("path", ["/_inference/_all", "/_inference/sparse_embedding/_all"])
def test_get_all_is_sorted_by_id_with_the_preconfigured_endpoints_first(es, release, path):
    for name in ("zebra", "alpha", "Beta"):
        valid = name.lower() if at_least(release, "8.13") else name
        assert es.put(f"/_inference/sparse_embedding/{valid}", SEED_BODY).status_code == 200
    body = es.request("GET", path).get_json()
    key = "endpoints" if at_least(release, "8.15") else "models"
    id_key = "inference_id" if at_least(release, "8.15") else "model_id"
    defaults = []
    if at_least(release, "8.17"):
        defaults = DEFAULT_IDS["8.19" if at_least(release, "8.18") else "8.17"]
    if path.startswith("/_inference/sparse_embedding"):
        defaults = defaults[:1]
    users = ["alpha", "beta", "zebra"] if at_least(release, "8.13") else ["Beta", "alpha", "zebra"]
    assert [endpoint[id_key] for endpoint in body[key]] == defaults + users


@pytest.mark.releases(">=8.12", "<8.17")
@pytest.mark.parametrize("all_ids", ["_all", "*"])
def test_get_all_with_nothing_created_is_empty(es, release, all_ids):
    key = "endpoints" if at_least(release, "8.15") else "models"
    response = es.request("GET", f"/_inference/text_embedding/{all_ids}")
    assert response.get_data(as_text=True) == f'{{"{key}":[]}}'


@pytest.mark.releases(">=8.17")
def test_preconfigured_endpoints_as_get_shows_them(es, release):
    body = es.request("GET", "/_inference/.elser-2-elasticsearch").get_json()
    assert body == {
        "endpoints": [
            {
                "inference_id": ".elser-2-elasticsearch",
                "task_type": "sparse_embedding",
                "service": "elasticsearch",
                "service_settings": {
                    "num_threads": 1,
                    "model_id": ELSER_LINUX,
                    "adaptive_allocations": {
                        "enabled": True,
                        "min_number_of_allocations": 0,
                        "max_number_of_allocations": 32,
                    },
                },
                "chunking_settings": {
                    "strategy": "sentence",
                    "max_chunk_size": 250,
                    "sentence_overlap": 1,
                },
            }
        ]
    }
    rerank = es.request("GET", "/_inference/.rerank-v1-elasticsearch")
    if at_least(release, "8.18"):
        assert rerank.get_json()["endpoints"][0]["task_settings"] == {"return_documents": True}
    else:
        assert error_of(rerank) == (
            404,
            "resource_not_found_exception",
            "Inference endpoint not found [.rerank-v1-elasticsearch]",
        )


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_missing_endpoint_is_404_in_the_release_s_words(es, release, method):
    response = post(es, "/_inference/sparse_embedding/nope", {"input": "x"})
    if method == "GET":
        response = es.request("GET", "/_inference/sparse_embedding/nope")
    what = "Inference endpoint" if at_least(release, "8.15") else "Model"
    assert error_of(response) == (404, "resource_not_found_exception", f"{what} not found [nope]")


def test_a_taken_id_in_the_release_s_words(seeded, release):
    what = "Inference endpoint" if at_least(release, "8.15") else "Inference model"
    assert error_of(seeded.put(PATH, SEED_BODY)) == (
        400,
        "resource_already_exists_exception",
        f"{what} [my-elser] already exists",
    )


def test_a_missing_service_in_the_release_s_words(es, release):
    reason = (
        "Inference endpoint configuration is missing the [service] setting"
        if at_least(release, "8.15")
        else "Model configuration is missing a service"
    )
    assert error_of(es.put(PATH, {"service_settings": {}})) == (400, "status_exception", reason)


@pytest.mark.releases(">=8.12")
@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_task_type_mismatch_on_get_and_delete(seeded, release, method):
    response = seeded.request(method, "/_inference/text_embedding/my-elser")
    owner = "inference endpoint's" if at_least(release, "8.15") else "model's"
    assert error_of(response) == (
        400,
        "status_exception",
        f"Requested task type [text_embedding] does not match the {owner} task type "
        "[sparse_embedding]",
    )
    assert seeded.request("GET", PATH).status_code == 200


def test_task_type_mismatch_on_inference(seeded):
    response = post(seeded, "/_inference/text_embedding/my-elser", {"input": "x"})
    assert error_of(response) == (
        400,
        "status_exception",
        "Incompatible task_type, the requested type [text_embedding] does not match the model "
        "type [sparse_embedding]",
    )


def test_delete_of_a_missing_endpoint(es, release):
    response = es.request("DELETE", "/_inference/sparse_embedding/nope")
    if release == "8.11":
        assert response.get_data(as_text=True) == '{"acknowledged":true}'
        return
    what = "Inference endpoint" if at_least(release, "8.15") else "Model"
    assert error_of(response) == (404, "resource_not_found_exception", f"{what} not found [nope]")


def test_delete_answer_and_deployment(seeded, release):
    response = seeded.request("DELETE", PATH)
    expected = {
        "8.11": '{"acknowledged":true}',
        "8.12": '{"acknowledged":true}',
        "8.13": '{"acknowledged":true}',
        "8.15": '{"acknowledged":true,"pipelines":[]}',
    }.get(release, '{"acknowledged":true,"pipelines":[],"indexes":[]}')
    assert response.get_data(as_text=True) == expected
    again = seeded.put(PATH, SEED_BODY)
    if release == "8.11":
        # 8.11 leaves the ELSER deployment running, so the id cannot be deployed again.
        assert error_of(again) == (
            400,
            "status_exception",
            "Could not start model deployment because an existing deployment with the same id "
            "[my-elser] exist",
        )
    else:
        assert again.status_code == 200


@pytest.mark.releases("==8.15")
def test_8_15_refuses_to_delete_an_endpoint_a_pipeline_uses(seeded):
    seeded.state.references.add("my-elser", pipeline="ingest-1", index=None)
    assert error_of(seeded.request("DELETE", PATH)) == (
        409,
        "status_exception",
        "Inference endpoint my-elser is referenced by pipelines and cannot be deleted. Use "
        "`force` to delete it anyway, or use `dry_run` to list the pipelines that reference it.",
    )
    dry = seeded.request("DELETE", PATH + "?dry_run=true")
    assert dry.get_data(as_text=True) == '{"acknowledged":false,"pipelines":["ingest-1"]}'
    forced = seeded.request("DELETE", PATH + "?force=true")
    assert forced.get_data(as_text=True) == '{"acknowledged":true,"pipelines":[]}'
    assert seeded.request("GET", PATH).status_code == 404


@pytest.mark.releases(">=8.17")
def test_delete_refuses_while_pipelines_or_semantic_text_use_the_endpoint(seeded):
    response = seeded.request(
        "POST",
        "/_fake_es/references",
        data=json.dumps({"inference_id": "my-elser", "index": "docs"}),
        headers={"Content-Type": "application/json"},
    )
    assert response.get_json() == {"acknowledged": True}
    index_part = (
        " Inference endpoint my-elser is being used in the mapping for indexes: [docs]. Ensure "
        "that no index mappings are using this inference endpoint, or use force to ignore this "
        "warning and delete the inference endpoint."
    )
    assert error_of(seeded.request("DELETE", PATH)) == (409, "status_exception", index_part)
    seeded.state.references.add("my-elser", pipeline="p1", index=None)
    pipeline_part = (
        "Inference endpoint my-elser is referenced by pipelines: [p1]. Ensure that no pipelines "
        "are using this inference endpoint, or use force to ignore this warning and delete the "
        "inference endpoint."
    )
    assert error_of(seeded.request("DELETE", PATH)) == (
        409,
        "status_exception",
        pipeline_part + index_part,
    )
    dry = seeded.request("DELETE", PATH + "?dry_run")
    assert dry.get_json() == {
        "acknowledged": False,
        "pipelines": ["p1"],
        "indexes": ["docs"],
        "error_message": pipeline_part + index_part,
    }
    assert seeded.request("GET", PATH).status_code == 200
    forced = seeded.request("DELETE", PATH + "?force=true")
    assert forced.get_json() == {"acknowledged": True, "pipelines": [], "indexes": []}


@pytest.mark.releases(">=8.17")
def test_a_dry_run_with_no_reference_has_an_empty_message(seeded):
    response = seeded.request("DELETE", PATH + "?dry_run=true")
    assert response.get_data(as_text=True) == (
        '{"acknowledged":false,"pipelines":[],"indexes":[],"error_message":""}'
    )


@pytest.mark.releases("<8.15")
def test_dry_run_and_force_are_unknown_before_8_15(es):
    response = es.request("DELETE", "/_inference/sparse_embedding/x?dry_run=true")
    assert error_of(response)[:2] == (400, "illegal_argument_exception")
    assert "contains unrecognized parameter: [dry_run]" in error_of(response)[2]


@pytest.mark.releases(">=8.17")
def test_preconfigured_endpoints_are_reserved_from_8_18(es, release):
    path = "/_inference/.multilingual-e5-small-elasticsearch"
    response = es.request("DELETE", path)
    if at_least(release, "8.18"):
        assert error_of(response) == (
            400,
            "status_exception",
            "[.multilingual-e5-small-elasticsearch] is a reserved inference endpoint. Use the "
            "force=true query parameter to delete the inference endpoint.",
        )
        response = es.request("DELETE", path + "?force=true")
    assert response.get_json() == {"acknowledged": True, "pipelines": [], "indexes": []}
    # Served again from memory: a preconfigured endpoint never goes away.
    assert es.request("GET", path).status_code == 200


@pytest.mark.releases(">=8.13")
@pytest.mark.parametrize(
    "bad_id", ["My-Model", "_all", "-x", "x-", "a b", ".elser-2-elasticsearch"]
)
def test_inference_ids_are_validated_from_8_13(es, bad_id):
    response = es.put(f"/_inference/sparse_embedding/{bad_id}", SEED_BODY)
    assert error_of(response) == (
        400,
        "action_request_validation_exception",
        f"Validation Failed: 1: Invalid inference_id; '{bad_id}' can contain lowercase "
        "alphanumeric (a-z and 0-9), hyphens or underscores; must start and end with "
        "alphanumeric;",
    )


@pytest.mark.releases("<8.13")
def test_any_id_goes_before_8_13(es):
    assert es.put("/_inference/sparse_embedding/My%20Model!", SEED_BODY).status_code == 200


@pytest.mark.releases(">=8.13")
def test_the_task_type_may_come_in_the_body(es, release):
    body = {**SEED_BODY, "task_type": "sparse_embedding"}
    response = es.put("/_inference/my-elser", body)
    assert response.status_code == 200
    id_key = "inference_id" if at_least(release, "8.15") else "model_id"
    assert response.get_json()[id_key] == "my-elser"
    assert es.request("GET", "/_inference/my-elser").status_code == 200
    assert post(es, "/_inference/my-elser", {"input": "hello"}).status_code == 200
    assert es.request("DELETE", "/_inference/my-elser").status_code == 200


@pytest.mark.releases(">=8.13")
@pytest.mark.parametrize(
    ("path", "task_type", "reason"),
    [
        ("/_inference/m", None, "model is missing required setting [task_type]"),
        ("/_inference/m", "any", "task_type [any] is not valid type for inference"),
        ("/_inference/m", "bad", "Unknown task_type [bad]"),
        (
            "/_inference/text_embedding/m",
            "sparse_embedding",
            "Cannot resolve conflicting task_type parameter in the request URL [text_embedding] "
            "and the request body [sparse_embedding]",
        ),
    ],
)
def test_task_type_resolution_errors(es, path, task_type, reason):
    body = dict(SEED_BODY)
    if task_type is not None:
        body["task_type"] = task_type
    assert error_of(es.put(path, body)) == (400, "status_exception", reason)


@pytest.mark.releases("==8.12")
def test_8_12_knows_no_task_type_in_the_body(es):
    body = {**SEED_BODY, "task_type": "sparse_embedding"}
    assert error_of(es.put(PATH, body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{task_type=sparse_embedding}] unknown to the "
        "[elser] service",
    )


# --- perform inference ---


def test_inference_result_shape(seeded, release):
    response = post(seeded, PATH, {"input": "hello world"})
    body = response.get_json()
    if release == "8.11":
        assert set(body["sparse_embedding"]) == {"hello", "world"}
        return
    (result,) = body["sparse_embedding"]
    assert list(result) == ["is_truncated", "embedding"]
    assert result["is_truncated"] is False
    assert set(result["embedding"]) == {"hello", "world"}


@pytest.mark.releases(">=8.12")
def test_inputs_in_a_list_answer_in_order(seeded):
    body = post(seeded, PATH, {"input": ["alpha", "beta gamma"]}).get_json()
    tokens = [set(result["embedding"]) for result in body["sparse_embedding"]]
    assert tokens == [{"alpha"}, {"beta", "gamma"}]


def test_8_11_takes_one_string(client):
    client.put(PATH, SEED_BODY)
    response = post(client, PATH, {"input": ["a"]})
    assert error_of(response) == (
        400,
        "x_content_parse_exception",
        "[1:11] [cluster:monitor/xpack/inference] input doesn't support values of type: "
        "START_ARRAY",
    )


@pytest.mark.parametrize("body", [{}, {"input": []}])
def test_input_validation_in_the_release_s_words(seeded, release, body):
    response = post(seeded, PATH, body)
    if "input" not in body:
        reason = "Field [input] cannot be null" if at_least(release, "8.18") else "missing input"
    elif release == "8.11":
        reason = None
    else:
        reason = (
            "Field [input] cannot be an empty array"
            if at_least(release, "8.18")
            else "input array is empty"
        )
    if reason is None:
        assert error_of(response)[:2] == (400, "x_content_parse_exception")
        return
    assert error_of(response) == (
        400,
        "action_request_validation_exception",
        f"Validation Failed: 1: {reason};",
    )


def test_unknown_body_field_names_the_release_s_parser(seeded, release):
    parser = (
        "cluster:internal/xpack/inference"
        if at_least(release, "8.18")
        else "cluster:monitor/xpack/inference"
    )
    response = post(seeded, PATH, {"input": "x", "inputs": "y"})
    assert error_of(response) == (
        400,
        "x_content_parse_exception",
        f"[1:16] [{parser}] unknown field [inputs] did you mean [input]?",
    )


@pytest.mark.parametrize("verb", ["POST", "PUT"])
def test_timeout_parameter(es, release, verb):
    path = "/_inference/sparse_embedding/t?timeout=30s"
    if verb == "POST":
        es.put("/_inference/sparse_embedding/t", SEED_BODY)
        response = post(es, path, {"input": "x"})
        known = at_least(release, "8.15")  # 8.14 in fact; 8.13 is the last without it
    else:
        response = es.put(path, SEED_BODY)
        known = at_least(release, "9.1") or release == "8.19"
    if known:
        assert response.status_code == 200
    else:
        assert error_of(response) == (
            400,
            "illegal_argument_exception",
            "request [/_inference/sparse_embedding/t] contains unrecognized parameter: [timeout]",
        )


@pytest.mark.releases(">=8.19")
def test_rerank_options_are_refused_for_other_task_types(seeded, release):
    response = post(seeded, PATH, {"input": "x", "top_n": 1, "return_documents": True})
    if release == "9.0":
        # 8.19 and 9.1 added them; 9.0, released before 8.19, does not know them.
        assert error_of(response) == (
            400,
            "x_content_parse_exception",
            "[1:16] [cluster:internal/xpack/inference] unknown field [top_n]",
        )
        return
    assert error_of(response) == (
        400,
        "action_request_validation_exception",
        "Validation Failed: 1: Field [return_documents] cannot be specified for task type "
        "[sparse_embedding];2: Field [top_n] cannot be specified for task type "
        "[sparse_embedding];",
    )


def test_a_truncated_body(es, release):
    response = es.put(PATH, raw='{"service": "elser"', content_type="application/json")
    if at_least(release, "8.16"):
        assert error_of(response)[:2] == (400, "x_content_parse_exception")
        assert error_of(response)[2].startswith(
            "[1:20] Unexpected end-of-input: expected close marker for Object"
        )
    else:
        assert error_of(response)[:2] == (500, "x_content_e_o_f_exception")


# --- chunking settings (8.16+) ---


@pytest.mark.releases(">=8.17")
def test_chunking_settings_are_kept_as_given(es):
    body = {
        **SEED_BODY,
        "chunking_settings": {"strategy": "word", "max_chunk_size": 100, "overlap": 50},
    }
    response = es.put(PATH, body)
    assert response.get_json()["chunking_settings"] == {
        "strategy": "word",
        "max_chunk_size": 100,
        "overlap": 50,
    }


@pytest.mark.releases(">=8.17")
@pytest.mark.parametrize(
    ("chunking", "error"),
    [
        (
            {"max_chunk_size": 100},
            (
                "illegal_argument_exception",
                "Can't generate Chunker without ChunkingStrategy provided",
            ),
        ),
        ({"strategy": "page"}, ("illegal_argument_exception", "Invalid chunkingStrategy page")),
        (
            {"strategy": "sentence", "max_chunk_size": 10, "overlap": 1},
            (
                "validation_exception",
                "Validation Failed: 1: Sentence based chunking settings can not have the "
                "following settings: [overlap];2: [chunking_settings] Invalid value [10.0]. "
                "[max_chunk_size] must be a greater than or equal to [20.0];",
            ),
        ),
        (
            {"strategy": "word", "max_chunk_size": 100, "overlap": 51},
            (
                "validation_exception",
                "Validation Failed: 1: [chunking_settings] Invalid value [51.0]. [overlap] must "
                "be a less than or equal to [50.0];",
            ),
        ),
        (
            {"strategy": "word"},
            (
                "validation_exception",
                "Validation Failed: 1: [chunking_settings] does not contain the required setting "
                "[max_chunk_size];",
            ),
        ),
        (
            {"strategy": "sentence", "max_chunk_size": 301, "sentence_overlap": 2},
            (
                "validation_exception",
                "Validation Failed: 1: [chunking_settings] Invalid value [301.0]. "
                "[max_chunk_size] must be a less than or equal to [300.0];2: "
                "sentence_overlap[2] must be either 0 or 1;",
            ),
        ),
    ],
)
def test_chunking_settings_errors(es, chunking, error):
    response = es.put(PATH, {**SEED_BODY, "chunking_settings": chunking})
    assert error_of(response) == (400, *error)
    assert es.state.endpoints.all() == []


@pytest.mark.releases("<8.16")
def test_chunking_settings_are_unknown_before_8_16(es):
    body = {**SEED_BODY, "chunking_settings": {"strategy": "sentence"}}
    assert error_of(es.put(PATH, body)) == (
        400,
        "status_exception",
        "Model configuration contains settings [{chunking_settings={strategy=sentence}}] "
        "unknown to the [elser] service",
    )


@pytest.mark.releases(">=8.19")
@pytest.mark.parametrize(
    ("input_type", "cause"),
    [
        ("internal_search", "Unrecognized input_type [internal_search]"),
        ("query", "No enum constant org.elasticsearch.inference.InputType.QUERY"),
    ],
)
def test_input_type_values(seeded, release, input_type, cause):
    response = post(seeded, PATH, {"input": "x", "input_type": input_type})
    if release == "9.0":
        assert error_of(response)[2].endswith("unknown field [input_type]")
        return
    assert error_of(response) == (
        400,
        "x_content_parse_exception",
        "[1:30] [cluster:internal/xpack/inference] failed to parse field [input_type]",
    )
    assert response.get_json()["error"]["caused_by"] == {
        "type": "illegal_argument_exception",
        "reason": cause,
    }


@pytest.mark.releases(">=8.19")
def test_input_type_is_for_text_embedding(seeded, release):
    response = post(seeded, PATH, {"input": "x", "input_type": "ingest"})
    if release == "9.0":
        assert error_of(response)[2].endswith("unknown field [input_type]")
        return
    assert error_of(response) == (
        400,
        "action_request_validation_exception",
        "Validation Failed: 1: Field [input_type] cannot be specified for task type "
        "[sparse_embedding];",
    )
    unspecified = post(seeded, PATH, {"input": "x", "input_type": "unspecified"})
    assert unspecified.status_code == 200


def test_warning_texts_are_escaped_as_header_warning_does():
    from fake_es.rest.warnings import warning_headers
    from fake_es.versions import get_profile

    profile = get_profile("9.5")
    (line,) = warning_headers(profile, ['a "b" \\ 100% é € \x01'])["Warning"]
    assert line.endswith('"a \\"b\\" \\\\ 100%25 é %E2%82%AC %01"')
