"""``GET _inference/_services[/{task_type}]`` (8.18/9.0+), derived from the service schemas.

Sources: RestGetInferenceServicesAction, TransportGetInferenceServicesAction,
InferenceServiceConfiguration, SettingsConfiguration (PR #114862, #118491, #120058, #120150).
"""

from __future__ import annotations

import pytest
from support import FakeClient, error_of

from fake_es.inference.service_configs import service_configurations
from fake_es.versions import get_profile


@pytest.mark.parametrize("version", ["8.15", "8.17"])
def test_not_before_8_18(version):
    # A one-segment GET names an endpoint.
    response = FakeClient(version).request("GET", "/_inference/_services")
    assert error_of(response) == (
        404,
        "resource_not_found_exception",
        "Inference endpoint not found [_services]",
    )


@pytest.mark.releases(">=8.19")
def test_services_sorted_by_name_without_eis_or_the_elser_alias(es, release):
    response = es.request("GET", "/_inference/_services")
    assert response.status_code == 200
    listed = response.get_json()
    names = [entry["service"] for entry in listed]
    assert names == sorted(names)
    expected = {
        "8.19": ["alibabacloud-ai-search", "amazon_sagemaker", "amazonbedrock", "anthropic",
                 "azureaistudio", "azureopenai", "cohere", "custom", "deepseek", "elasticsearch",
                 "googleaistudio", "googlevertexai", "hugging_face", "jinaai", "mistral", "openai",
                 "voyageai", "watsonxai"],
        # 9.0 came out before 8.19 and lacks its new services (amazon_sagemaker, custom,
        # deepseek, voyageai).
        "9.0": ["alibabacloud-ai-search", "amazonbedrock", "anthropic", "azureaistudio",
                "azureopenai", "cohere", "elasticsearch", "googleaistudio", "googlevertexai",
                "hugging_face", "jinaai", "mistral", "openai", "watsonxai"],
        "9.5": ["ai21", "alibabacloud-ai-search", "amazon_sagemaker", "amazonbedrock", "anthropic",
                "azureaistudio", "azureopenai", "cohere", "contextualai", "custom", "deepseek",
                "elasticsearch", "fireworksai", "googleaistudio", "googlevertexai", "groq",
                "hugging_face", "jinaai", "llama", "mistral", "nvidia", "openai", "openshift_ai",
                "voyageai", "watsonxai"],
    }[release]  # fmt: skip
    assert names == expected
    openai = listed[names.index("openai")]
    assert list(openai) == ["service", "name", "task_types", "configurations"]
    assert openai["name"] == "OpenAI"
    assert openai["configurations"]["api_key"] == {
        "description": "",
        "label": "API Key",
        "required": True,
        "sensitive": True,
        "updatable": True,
        "type": "str",
        "supported_task_types": openai["task_types"],
    }
    assert openai["configurations"]["dimensions"]["supported_task_types"] == [
        t for t in openai["task_types"] if t in ("text_embedding", "embedding")
    ]
    assert listed[names.index("elasticsearch")]["configurations"]["return_documents"] == {
        "description": "rerank: answer each document's text with its score.",
        "label": "Return Documents",
        "required": False,
        "sensitive": False,
        "updatable": True,
        "type": "bool",
        "supported_task_types": ["rerank"],
    }


def test_by_task_type_and_per_release():
    es = FakeClient("9.0")
    rerank = es.request("GET", "/_inference/_services/rerank").get_json()
    assert [entry["service"] for entry in rerank] == [
        "alibabacloud-ai-search", "cohere", "elasticsearch", "googlevertexai", "jinaai",
        "watsonxai",
    ]  # fmt: skip
    completion = es.request("GET", "/_inference/_services/COMPLETION").get_json()
    names = [entry["service"] for entry in completion]
    assert names == [
        "alibabacloud-ai-search", "amazonbedrock", "anthropic", "azureaistudio", "azureopenai",
        "cohere", "googleaistudio", "openai",
    ]  # fmt: skip
    openai = completion[names.index("openai")]
    assert openai["task_types"] == ["text_embedding", "completion", "chat_completion"]
    # OpenAI's headers task setting arrived in 8.19/9.1.
    assert "headers" not in openai["configurations"]
    later = {entry["service"]: entry for entry in service_configurations(get_profile("9.1"), None)}
    assert "headers" in later["openai"]["configurations"]
    assert error_of(es.request("GET", "/_inference/_services/bad")) == (
        400,
        "status_exception",
        "Unknown task_type [bad]",
    )


def test_action_and_privileges():
    from fake_es.inference.routes import SERVICES_ACTION
    from fake_es.security.privileges import privileges_granting

    assert SERVICES_ACTION == "cluster:monitor/xpack/inference/services/get"
    assert privileges_granting(SERVICES_ACTION, get_profile("9.0")) == [
        "monitor_inference",
        "manage_inference",
        "monitor",
        "manage",
        "all",
    ]
