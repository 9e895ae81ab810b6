"""``chunking_settings`` (8.16+): ``ChunkingSettingsBuilder`` and the two strategies.

Sources (elastic/elasticsearch, x-pack/plugin/inference/.../chunking):
``ChunkingSettingsBuilder.fromMap``, ``ChunkingStrategy.fromString``,
``SentenceBoundaryChunkingSettings.fromMap`` and ``WordBoundaryChunkingSettings.fromMap``.
Only embedding endpoints chunk their input.
"""

from __future__ import annotations

from typing import Any

from fake_es import messages
from fake_es.inference.settings import SettingsReader
from fake_es.versions import VersionProfile

SCOPE = "chunking_settings"
# ChunkingSettingsBuilder.DEFAULT_SETTINGS = new SentenceBoundaryChunkingSettings(250, 1).
DEFAULT_CHUNKING: dict[str, Any] = {
    "strategy": "sentence",
    "max_chunk_size": 250,
    "sentence_overlap": 1,
}
CHUNKED_TASK_TYPES = frozenset({"text_embedding", "sparse_embedding", "embedding"})
_INTEGER = {"type": "integer"}


def read_chunking_settings(
    profile: VersionProfile, settings: dict[str, Any] | None
) -> dict[str, Any]:
    """The chunking settings an endpoint keeps: the defaults when none are given."""
    if not settings:
        return dict(DEFAULT_CHUNKING)
    strategy = settings.get("strategy")
    if strategy is None:
        raise messages.illegal_argument("Can't generate Chunker without ChunkingStrategy provided")
    if strategy == "sentence":
        return _sentence(profile, dict(settings))
    if strategy == "word":
        return _word(profile, dict(settings))
    raise messages.illegal_argument(f"Invalid chunkingStrategy {strategy}")


def _unknown_keys(settings: dict[str, Any], valid: tuple[str, ...], kind: str) -> str | None:
    invalid = [key for key in settings if key not in valid]
    if not invalid:
        return None
    listed = ", ".join(invalid)
    return f"{kind} based chunking settings can not have the following settings: [{listed}]"


def _out_of_range(name: str, value: int, bound: str) -> str:
    # ServiceUtils' range messages (sic: "a greater than", "a less than").
    return f"[{SCOPE}] Invalid value [{value}]. [{name}] must be a {bound}"


def _at_least(reader: SettingsReader, name: str, value: int | None, minimum: int) -> int | None:
    if value is not None and value < minimum:
        reader.problems.append(_out_of_range(name, value, f"greater than or equal to [{minimum}]"))
        return None
    return value


def _sentence(profile: VersionProfile, settings: dict[str, Any]) -> dict[str, Any]:
    reader = SettingsReader(profile, SCOPE, settings)
    unknown = _unknown_keys(
        settings, ("strategy", "max_chunk_size", "sentence_overlap"), "Sentence"
    )
    if unknown:
        reader.problems.append(unknown)
    size = _at_least(
        reader, "max_chunk_size", reader.read("max_chunk_size", _INTEGER, required=True), 20
    )
    overlap = reader.remove_as_type("sentence_overlap", "integer")
    if overlap is not None and not 0 <= overlap <= 1:
        reader.problems.append(
            _out_of_range("sentence_overlap", overlap, "less than or equal to [1]")
        )
    reader.raise_problems()
    return {
        "strategy": "sentence",
        "max_chunk_size": size,
        "sentence_overlap": 1 if overlap is None else overlap,
    }


def _word(profile: VersionProfile, settings: dict[str, Any]) -> dict[str, Any]:
    reader = SettingsReader(profile, SCOPE, settings)
    unknown = _unknown_keys(settings, ("strategy", "max_chunk_size", "overlap"), "Word")
    if unknown:
        reader.problems.append(unknown)
    size = _at_least(
        reader, "max_chunk_size", reader.read("max_chunk_size", _INTEGER, required=True), 10
    )
    overlap = reader.read("overlap", _INTEGER, required=True)
    if size is not None and overlap is not None and overlap > size // 2:
        reader.problems.append(
            _out_of_range("overlap", overlap, f"less than or equal to [{size // 2}]")
        )
    reader.raise_problems()
    return {"strategy": "word", "max_chunk_size": size, "overlap": overlap}
