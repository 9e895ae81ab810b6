"""What every third-party service shares: reading its settings as its source does, keeping its
secrets apart, calling the simulated provider at create and at inference.

The reading order follows the services' ``parseRequestConfig`` (OpenAiService,
CohereService, ...): the settings maps, chunking settings for embedding task
types (8.16+), the task type, the service settings (problems gathered, then
thrown), the task settings, the secret settings (``DefaultSecretSettings``,
scope ``secret_settings``), then every map must have been read whole
(``throwIfNotEmptyMap``). Which settings exist, in what order, which are secret,
required, per task type or per release, is the service's schema.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from fake_es import messages
from fake_es.inference.chunking import read_chunking_settings
from fake_es.inference.registry import InferenceEndpoint
from fake_es.inference.results import (
    EMBEDDING_KEYS,
    InferenceInput,
    completion_results,
    dense_results,
    rerank_results,
    sparse_results,
)
from fake_es.inference.services import (
    CreateRequest,
    Infer,
    Parse,
    ParsedEndpoint,
    Service,
    UpdateRequest,
    Validate,
    schema_task_types,
)
from fake_es.inference.settings import (
    SettingsReader,
    in_release,
    removed_map,
    throw_if_not_empty,
)
from fake_es.inference.streaming import Streamed, chat_items, completion_items
from fake_es.inference.unified import ChatRequest, UnifiedChatCompletionError
from fake_es.providers.calls import ProviderCall, call_provider, stream_provider
from fake_es.providers.errors import (
    OPENAI_HANDLER,
    SERVER_ERROR_OBJECT,
    ResponseHandler,
    validation_failed,
)
from fake_es.providers.plan import ProviderPlan
from fake_es.rest.errors import EsError
from fake_es.schemas import load_schemas
from fake_es.versions import VersionProfile
from fake_es.versions.features import (
    CHUNKING_SETTINGS,
    RATE_LIMIT_SETTINGS,
    UPDATE_VALIDATES,
    Feature,
)

SECRET_SCOPE = "secret_settings"
# ServiceUtils.getEmbeddingSize: what a text_embedding create sends to learn the size.
TEST_EMBEDDING_INPUT = "how big"
# ModelValidatorBuilder's inputs for the other task types.
TEST_INPUT = "how big"
TEST_QUERY = "test query"


def fingerprint(secret: str) -> str:
    """What the fake keeps of a secret: enough to tell two apart, never the secret."""
    digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest[:16]}"


# A service's own checks of what it read, before the leftovers are refused (such as
# AmazonBedrockService's provider per task type); it may return the endpoint changed.
Check = Callable[[CreateRequest, ParsedEndpoint], ParsedEndpoint]


@dataclass(frozen=True)
class ThirdParty:
    """A provider-backed service, described by its schema (``x-es-service``)."""

    name: str
    check: Check | None = None
    # The service's ResponseHandler texts, where they differ from OpenAI's.
    response_handler: ResponseHandler = OPENAI_HANDLER

    @property
    def schema(self) -> dict[str, Any]:
        return load_schemas()[f"services/{self.name}.schema.json"]

    @property
    def facts(self) -> dict[str, Any]:
        facts: dict[str, Any] = self.schema["x-es-service"]
        return facts

    def task_types(self, profile: VersionProfile) -> list[str]:
        return schema_task_types(self.schema, profile)

    # --- create ---

    def parse(self, request: CreateRequest) -> ParsedEndpoint:
        profile, config = request.profile, request.config
        service_settings = removed_map(config, "service_settings", required=True)
        assert service_settings is not None
        settings_size = len(service_settings)
        # x-es-service.task_settings_since: before it the service never takes the map out of
        # the body, so a `task_settings` is left over (HuggingFaceBaseService before rerank).
        task_settings_since = self.facts.get("task_settings_since")
        task_settings = None
        if task_settings_since is None or profile.has(
            Feature("task_settings", tuple(task_settings_since))
        ):
            task_settings = removed_map(config, "task_settings", required=False, null_is_empty=True)
        task_settings = task_settings or {}
        task_size = len(task_settings)
        chunking = None
        if profile.has(CHUNKING_SETTINGS) and request.task_type in self.facts.get(
            "chunked_task_types", ["text_embedding"]
        ):
            given = removed_map(config, "chunking_settings", required=False, null_is_empty=True)
            chunking = read_chunking_settings(profile, given)
        if request.task_type not in self.task_types(profile):
            raise messages.unsupported_task_type(self.name, request.task_type)
        properties = self.schema["properties"]
        values, secrets = self._read_service_settings(request, service_settings, properties)
        task_values = _in_output_order(
            self._read(request, "task_settings", task_settings, properties),
            properties.get("task_settings", {}),
        )
        parsed = ParsedEndpoint(
            service_settings=values,
            task_settings=task_values,
            chunking_settings=chunking,
            secrets=secrets,
        )
        if self.check is not None:
            parsed = self.check(request, parsed)
        throw_if_not_empty(config, request.original_size, self.name)
        throw_if_not_empty(service_settings, settings_size, self.name)
        throw_if_not_empty(task_settings, task_size, self.name)
        return parsed

    def _rules(
        self, request: CreateRequest, scope_schema: dict[str, Any]
    ) -> list[tuple[str, dict[str, Any], bool]]:
        required = scope_schema.get("required", [])
        rules = []
        for name, rule in scope_schema.get("properties", {}).items():
            if not in_release(name, rule, request.profile):
                continue
            task_types = rule.get("x-es-task-types")
            if task_types is not None and request.task_type not in task_types:
                continue
            # x-es-required-since: required only from that release on.
            required_since = rule.get("x-es-required-since")
            required_now = required_since is not None and request.profile.has(
                Feature(name, tuple(required_since))
            )
            # x-es-required-for: required for these task types only, and (x-es-required-until)
            # only before that release (a settings class per task type, one schema).
            required_for = rule.get("x-es-required-for")
            if required_for is not None and request.task_type in required_for:
                required_until = rule.get("x-es-required-until")
                required_now = required_until is None or not request.profile.has(
                    Feature(name, tuple(required_until))
                )
            rules.append((name, rule, name in required or required_now))
        return rules

    def _read_service_settings(
        self, request: CreateRequest, settings: dict[str, Any], properties: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        scope_schema = properties["service_settings"]
        rules = self._rules(request, scope_schema)
        reader = SettingsReader(request.profile, "service_settings", settings)
        values: dict[str, Any] = {}
        for name, rule, required in rules:
            if rule.get("x-es-secret"):
                continue
            value = self._read_one(reader, name, rule, required, request)
            if value is None:
                # A default the settings class keeps and writes (e.g. embedding_type float).
                value = rule.get("x-es-default")
            if value is not None:
                values[name] = value
        reader.raise_problems()
        # DefaultSecretSettings.fromMap reads the same map afterwards, under its own scope.
        secret_reader = SettingsReader(request.profile, SECRET_SCOPE, settings)
        # LlamaModel.retrieveSecretSettings: a service whose key is optional reads the secret
        # settings only when something is left in the map, and then requires the key.
        required_secret = bool(self.facts.get("secrets_only_if_settings_left")) and bool(settings)
        secrets: dict[str, str] = {}
        for name, rule, required in rules:
            if rule.get("x-es-secret"):
                secret = secret_reader.read(name, rule, required=required or required_secret)
                if secret is not None:
                    secrets[name] = fingerprint(secret)
        secret_reader.raise_problems()
        return _in_output_order(values, scope_schema), secrets

    def _read(
        self,
        request: CreateRequest,
        scope: str,
        settings: dict[str, Any],
        properties: dict[str, Any],
    ) -> dict[str, Any]:
        scope_schema = properties.get(scope, {})
        reader = SettingsReader(request.profile, scope, settings)
        values: dict[str, Any] = {}
        for name, rule, required in self._rules(request, scope_schema):
            value = self._read_one(reader, name, rule, required, request)
            if value is not None:
                values[name] = value
        reader.raise_problems()
        return _in_output_order(values, scope_schema)

    def _read_one(
        self,
        reader: SettingsReader,
        name: str,
        rule: dict[str, Any],
        required: bool,
        request: CreateRequest,
    ) -> Any:
        kind = rule.get("x-es-read")
        if kind == "rate_limit":
            return self.rate_limit(reader, request)
        if kind is not None:
            return reader.read_kind(kind, name, rule, required=required)
        return reader.read(name, rule, required=required)

    def rate_limit(self, reader: SettingsReader, request: CreateRequest) -> dict[str, Any] | None:
        """``RateLimitSettings.of`` (8.15+): the service's default for the task type."""
        if not request.profile.has(RATE_LIMIT_SETTINGS):
            return None
        given = removed_map(reader.remaining, "rate_limit", required=False, null_is_empty=True)
        given = given or {}
        size = len(given)
        nested = SettingsReader(request.profile, "service_settings", given)
        per_minute = nested.read_kind(
            "positive_long", "requests_per_minute", {"type": "integer"}, required=False
        )
        reader.problems.extend(nested.problems)
        throw_if_not_empty(given, size, self.name)
        if per_minute is None:
            defaults = self.facts["rate_limit"]
            per_minute = defaults.get(request.task_type, defaults.get("default"))
        return {"requests_per_minute": per_minute}

    # --- _update ---

    def update(self, request: UpdateRequest) -> InferenceEndpoint:
        """What TransportUpdateInferenceModelAction changes: the secrets
        (``SecretSettings.newSecretSettings``, which reads them as at create, so a required one
        must be given again) and the task settings (``TaskSettings.updatedTaskSettings``: the
        request's read as at create, over the stored ones). Other service settings are not
        read. From 9.4 a changed endpoint is checked with the provider first."""
        endpoint = request.endpoint
        reading = CreateRequest(
            request.profile, endpoint.inference_id, endpoint.task_type, {}, 0, request.deployments
        )
        properties = self.schema["properties"]
        secrets = endpoint.secrets
        if request.service_settings is not None and endpoint.secrets:
            scope_schema = properties["service_settings"]
            reader = SettingsReader(request.profile, SECRET_SCOPE, dict(request.service_settings))
            secrets = {}
            for name, rule, required in self._rules(reading, scope_schema):
                if rule.get("x-es-secret"):
                    secret = reader.read(name, rule, required=required)
                    if secret is not None:
                        secrets[name] = fingerprint(secret)
            reader.raise_problems()
        task_settings = endpoint.task_settings
        if request.task_settings is not None:
            given = self._read(reading, "task_settings", dict(request.task_settings), properties)
            task_order = list(properties.get("task_settings", {}).get("properties", {}))
            merged = {**endpoint.task_settings, **given}
            task_settings = {name: merged[name] for name in task_order if name in merged}
        updated = replace(endpoint, secrets=secrets, task_settings=task_settings)
        if updated != endpoint and request.profile.has(UPDATE_VALIDATES):
            return self.validate(request.profile, updated, request.providers)
        return updated

    # --- the provider ---

    def validate(
        self, profile: VersionProfile, endpoint: InferenceEndpoint, providers: ProviderPlan
    ) -> InferenceEndpoint:
        """The create's call to the provider: text_embedding only up to 8.15 (to learn the
        size), every task type from the release the service's validator arrived in."""
        validates_all = profile.has(Feature("validation", tuple(self.facts["validates_all_since"])))
        # The dense embedding task types learn their size from the answer (9.4's `embedding`
        # as text_embedding does).
        embeds = endpoint.task_type in ("text_embedding", "embedding")
        if not embeds and not validates_all:
            return endpoint
        call = ProviderCall(
            endpoint.task_type,
            [TEST_EMBEDDING_INPUT if embeds else TEST_INPUT],
            TEST_QUERY if endpoint.task_type == "rerank" else None,
            endpoint.service_settings.get("dimensions"),
        )
        try:
            answers = call_provider(providers, endpoint, call, self.response_handler)
        except EsError as error:
            raise validation_failed(error) if validates_all else error from None
        if not embeds:
            return endpoint
        return self.with_embedding_details(endpoint, answers[0])

    def with_embedding_details(self, endpoint: InferenceEndpoint, vector: Any) -> InferenceEndpoint:
        """updateModelWithEmbeddingDetails: the answer's size, and the default similarity."""
        settings = dict(endpoint.service_settings)
        size = len(vector) if isinstance(vector, list) else None
        configured = settings.get("dimensions")
        if configured is not None and size is not None and configured != size:
            raise messages.status_exception(
                400,
                f"The retrieved embeddings size [{size}] does not match the size specified in the "
                f"settings [{configured}]. Please recreate the [{endpoint.inference_id}] "
                "configuration with the correct dimensions",
            )
        # Some services default by embedding type (JinaAIService.defaultSimilarity: l2_norm
        # for bit embeddings).
        by_type = self.facts.get("similarity_by_embedding_type", {})
        default = by_type.get(settings.get("embedding_type"), self.facts["similarity"])
        settings.setdefault("similarity", default)
        if size is not None:
            settings["dimensions"] = size
        return replace(
            endpoint,
            service_settings=_in_output_order(
                settings, self.schema["properties"]["service_settings"]
            ),
        )

    def infer(
        self,
        profile: VersionProfile,
        endpoint: InferenceEndpoint,
        request: InferenceInput,
        providers: ProviderPlan,
    ) -> dict[str, Any]:
        task_type = endpoint.task_type
        call = ProviderCall(
            task_type, request.inputs, request.query, endpoint.service_settings.get("dimensions")
        )
        answers = call_provider(providers, endpoint, call, self.response_handler)
        if task_type in ("text_embedding", "embedding"):
            embedding_type = str(endpoint.service_settings.get("embedding_type", "float"))
            key = EMBEDDING_KEYS[embedding_type]
            if task_type == "embedding":
                # EmbeddingResults: embeddings / embeddings_bytes / embeddings_bits.
                key = key.replace("text_embedding", "embeddings")
            return dense_results([list(map(float, a)) for a in answers], embedding_type, key)
        if task_type == "sparse_embedding":
            return sparse_results(profile, request.inputs, answers)
        if task_type == "rerank":
            settings = {**endpoint.task_settings, **request.task_settings}
            top_n = request.top_n if request.top_n is not None else settings.get("top_n")
            asked = request.return_documents
            configured = settings.get("return_documents")
            return_documents = asked if asked is not None else configured is not False
            return rerank_results(
                request.inputs, [float(a) for a in answers], top_n, return_documents
            )
        return completion_results([str(answer) for answer in answers])

    # --- streaming (8.16+) ---

    def stream(
        self,
        profile: VersionProfile,
        endpoint: InferenceEndpoint,
        request: InferenceInput,
        providers: ProviderPlan,
    ) -> Streamed:
        """A completion as the provider streams it (StreamingChatCompletionResults)."""
        answer = stream_provider(
            providers,
            endpoint,
            ProviderCall(endpoint.task_type, request.inputs),
            self.response_handler,
        )
        items = completion_items([str(text) for text in answer.answers])
        if answer.cut is None:
            return Streamed(items)
        # OpenAiStreamingProcessor reads the provider's error event as a chunk and finds no
        # `choices` in it.
        cause = EsError(
            500,
            "illegal_state_exception",
            "Failed to find required field [choices] in OpenAI chat completions response",
            elasticsearch_exception=False,
        )
        failure = EsError(
            500,
            "i_o_exception",
            "Failed to parse event from inference provider.",
            caused_by=cause,
            elasticsearch_exception=False,
        )
        return Streamed(items[:1], failure)

    def chat(
        self,
        profile: VersionProfile,
        endpoint: InferenceEndpoint,
        request: ChatRequest,
        providers: ProviderPlan,
    ) -> Streamed:
        """``unifiedCompletionInfer``: OpenAI-style chunks (OpenAiUnifiedStreamingProcessor),
        the provider's failures as OpenAiUnifiedChatCompletionResponseHandler reports them."""
        texts = request.texts()
        call = ProviderCall(endpoint.task_type, texts[-1:] or [""])
        try:
            answer = stream_provider(providers, endpoint, call, self.response_handler)
        except EsError as error:
            if error.error_type != "status_exception":
                raise  # not an answer from the provider: fromThrowable formats it
            # buildError: the usual text, the type from the provider's error body.
            raise UnifiedChatCompletionError(
                error.status, error.reason, provider_error_type(error.status), None, cause=error
            ) from None
        model = request.model or endpoint.service_settings.get("model_id")
        text = str(answer.answers[0])
        prompt_tokens = sum(len(message.split()) for message in texts)
        key = f"{endpoint.inference_id}\n{text}"
        items = chat_items(key, None if model is None else str(model), text, prompt_tokens)
        cut = answer.cut
        if cut is None:
            return Streamed(items)
        assert cut.status is not None
        # buildMidStreamError: the provider's error event, read as a StreamingErrorResponse.
        failure = UnifiedChatCompletionError(
            500,
            f"{SERVER_ERROR_OBJECT} for request from inference entity id "
            f"[{endpoint.inference_id}]. Error message: [{cut.message or ''}]",
            provider_error_type(cut.status),
            None,
        )
        return Streamed(items[:1], failure)

    def service(
        self,
        parse: Parse | None = None,
        validate: Validate | None = None,
        infer: Infer | None = None,
    ) -> Service:
        """The service, with the module's own steps where it does more than the schema."""
        return Service(
            name=self.name,
            parse=parse or self.parse,
            infer=infer or self.infer,
            update=self.update,
            validate=validate or self.validate,
            stream=self.stream,
            chat=self.chat,
        )


def provider_error_type(status: int) -> str:
    """The ``type`` of the simulated provider's error body, which follows OpenAI's
    ``{"error": {"message", "type", "code", "param"}}``: OpenAI's names for a server error
    and for a refused request."""
    return "server_error" if status >= 500 else "invalid_request_error"


def _in_output_order(values: dict[str, Any], scope_schema: dict[str, Any]) -> dict[str, Any]:
    """The order the settings' toXContent writes them in (``x-es-output-order``)."""
    order = scope_schema.get("x-es-output-order")
    if order is None:
        return values
    ranked = {name: position for position, name in enumerate(order)}
    return dict(sorted(values.items(), key=lambda item: ranked.get(item[0], len(ranked))))
