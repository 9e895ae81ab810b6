"""``chunking_settings`` (8.16+): ``ChunkingSettingsBuilder`` and the two strategies.

Sources (elastic/elasticsearch, x-pack/plugin/inference/.../chunking, the 8.16
generation): ``ChunkingSettingsBuilder.fromMap``, ``ChunkingStrategy.fromString``,
``SentenceBoundaryChunkingSettings.fromMap`` and ``WordBoundaryChunkingSettings.fromMap``.
Their range checks are ServiceUtils', which print the numbers as Java doubles.
Only embedding endpoints chunk their input.
"""

from __future__ import annotations

from typing import Any

from fake_es import messages
from fake_es.inference.settings import SettingsReader
from fake_es.java_format import java_double_string, java_key_order
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
_MAX_CHUNK_SIZE = 300


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


def _unknown_keys(reader: SettingsReader, valid: tuple[str, ...], kind: str) -> None:
    invalid = [key for key in reader.remaining if key not in valid]
    if invalid:
        # Arrays.toString of the HashMap's key set, filtered.
        keys = ", ".join(java_key_order(invalid, len(reader.remaining)))
        reader.problems.append(
            f"{kind} based chunking settings can not have the following settings: [{keys}]"
        )


def _bound(reader: SettingsReader, name: str, value: int, relation: str, bound: int) -> None:
    # ServiceUtils.mustBe{Greater,Less}ThanOrEqualNumberErrorMessage (sic: "a greater").
    reader.problems.append(
        f"[{SCOPE}] Invalid value [{java_double_string(float(value))}]. [{name}] must be a "
        f"{relation} than or equal to [{java_double_string(float(bound))}]"
    )


def _between(reader: SettingsReader, name: str, low: int, high: int) -> int | None:
    """extractRequiredPositiveIntegerBetween."""
    value: int | None = reader.read(name, {**_INTEGER, "minimum": 1}, required=True)
    if value is not None and value < low:
        _bound(reader, name, value, "greater", low)
        return None
    if value is not None and value > high:
        _bound(reader, name, value, "less", high)
        return None
    return value


def _sentence(profile: VersionProfile, settings: dict[str, Any]) -> dict[str, Any]:
    reader = SettingsReader(profile, SCOPE, settings)
    _unknown_keys(reader, ("strategy", "max_chunk_size", "sentence_overlap"), "Sentence")
    size = _between(reader, "max_chunk_size", 20, _MAX_CHUNK_SIZE)
    overlap = reader.remove_as_type("sentence_overlap", "integer")
    if overlap is None:
        overlap = DEFAULT_CHUNKING["sentence_overlap"]
    elif not 0 <= overlap <= 1:
        reader.problems.append(f"sentence_overlap[{overlap}] must be either 0 or 1")
    reader.raise_problems()
    return {"strategy": "sentence", "max_chunk_size": size, "sentence_overlap": overlap}


def _word(profile: VersionProfile, settings: dict[str, Any]) -> dict[str, Any]:
    reader = SettingsReader(profile, SCOPE, settings)
    _unknown_keys(reader, ("strategy", "max_chunk_size", "overlap"), "Word")
    size = _between(reader, "max_chunk_size", 10, _MAX_CHUNK_SIZE)
    overlap = None
    if size is not None:
        # extractRequiredPositiveIntegerLessThanOrEqualToMax: the value is kept even if too big.
        overlap = reader.read("overlap", {**_INTEGER, "minimum": 1}, required=True)
        if overlap is not None and overlap > size // 2:
            _bound(reader, "overlap", overlap, "less", size // 2)
    reader.raise_problems()
    return {"strategy": "word", "max_chunk_size": size, "overlap": overlap}
