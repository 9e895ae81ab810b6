"""The ``{task_type}`` path parameter (TaskType.fromStringOrStatusException)."""

from __future__ import annotations

from fake_es import messages
from fake_es.profiles import VersionProfile


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
    for task_type in profile.task_types:
        if task_type.upper() == name:
            return task_type
    raise messages.unknown_task_type(raw)
