"""Inference task types per release, and the ``{task_type}`` path parameter.

``TaskType.fromStringOrStatusException``: case-insensitive, trimmed, and only
the task types the release's enum has.
"""

from __future__ import annotations

from dataclasses import dataclass

from fake_es import messages
from fake_es.versions import VersionProfile
from fake_es.versions.features import Feature, feature

ANY = "any"


@dataclass(frozen=True)
class TaskType:
    name: str
    arrived: Feature


# TaskType.java, in enum order (the order ES lists them in).
TASK_TYPES = (
    TaskType("text_embedding", feature("text_embedding", "8.11")),
    TaskType("sparse_embedding", feature("sparse_embedding", "8.11")),
    # 8.14: completion and rerank (_json_spec 8.14; spec TaskType.ts).
    TaskType("rerank", feature("rerank", "8.14")),
    TaskType("completion", feature("completion", "8.14")),
    # 8.12: ANY, what GET lists when no task type is named.
    TaskType(ANY, feature("any", "8.12")),
    # 8.18/9.0: chat_completion (_json_spec 8.18 chat_completion_unified).
    TaskType("chat_completion", feature("chat_completion", "8.18", "9.0")),
    # 9.4: multimodal `embedding` (spec 9.4 branch; py v9.4.0).
    TaskType("embedding", feature("embedding", "9.4")),
)


def task_types(profile: VersionProfile) -> list[str]:
    """The release's task types, ``any`` included, in enum order."""
    return [task_type.name for task_type in TASK_TYPES if profile.has(task_type.arrived)]


def _java_trim(text: str) -> str:
    # String.trim() removes code points up to U+0020, not Unicode white space.
    start, end = 0, len(text)
    while start < end and ord(text[start]) <= 0x20:
        start += 1
    while end > start and ord(text[end - 1]) <= 0x20:
        end -= 1
    return text[start:end]


def parse_task_type(raw: str, profile: VersionProfile) -> str:
    """The lower-case task type; case and surrounding blanks do not matter."""
    name = _java_trim(raw).upper()
    for task_type in task_types(profile):
        if task_type.upper() == name:
            return task_type
    raise messages.unknown_task_type(raw)
