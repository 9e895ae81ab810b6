"""Keeping state on disk for the dev server's ``--data-dir``.

Each record is one JSON file, written atomically: to a temporary file, flushed
to disk, renamed over the final name, and the directory flushed too. A process
killed at any moment leaves each record either whole or absent, never half
written; a record the fake acknowledged is on disk before the answer is sent.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_SUFFIX = ".json"
_TEMPORARY = ".tmp"


class DataDirInUse(OSError):
    """Another fake (or another state in this process) holds the data directory."""


class DataDirLock:
    """An exclusive lock on ``DIR/.lock`` for as long as one fake uses the directory.

    Elasticsearch's NodeEnvironment takes a node lock on its data path and refuses to
    start a second node on it; the lock goes with the process, however it ends.
    """

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._file = open(directory / ".lock", "a+b")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise DataDirInUse(
                f"failed to obtain the lock on {directory}: another fake-es server "
                "is using this data directory (one data directory, one server)"
            ) from None

    def release(self) -> None:
        self._file.close()


class Collection:
    """Records by key in one directory; file names are hashes, so any key is safe."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._sequence = 0
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        return self._directory / (hashlib.sha256(key.encode("utf-8")).hexdigest() + _SUFFIX)

    def put(self, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            self._sequence += 1
            record = {"seq": self._sequence, "key": key, "value": value}
        final = self._path(key)
        temporary = final.with_name(f"{final.name}.{threading.get_ident()}{_TEMPORARY}")
        try:
            with open(temporary, "w", encoding="utf-8") as out:
                json.dump(record, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, final)
        except BaseException:
            # A failed write (a full disk, say) leaves no temporary file behind.
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        self._sync_directory()

    def remove(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()
            self._sync_directory()

    def load(self, read: Callable[[str, dict[str, Any]], T]) -> list[tuple[str, T]]:
        """Every record as (key, ``read(key, value)``), oldest first; leftovers of
        interrupted writes go. A ValueError from ``read`` is raised naming the file."""
        records = []
        for path in self._directory.iterdir():
            if path.name.endswith(_TEMPORARY):
                path.unlink()
            elif path.name.endswith(_SUFFIX):
                record = _read_record(path)
                try:
                    value = read(record["key"], record["value"])
                except ValueError as error:
                    raise ValueError(f"invalid record {path}: {error}") from None
                records.append((record["seq"], record["key"], value))
        records.sort(key=lambda record: record[0])
        with self._lock:
            self._sequence = max((seq for seq, _key, _value in records), default=0)
        return [(key, value) for _seq, key, value in records]

    def remove_each(self, keys: Iterable[str], forget: Callable[[str], object]) -> None:
        """Remove the record of each key, calling ``forget(key)`` once its file is gone.

        A failure part-way (a permission, an I/O error) stops there: the keys already
        forgotten have no file and the others keep theirs, so a caller that forgets
        in memory what ``forget`` is given agrees with the directory.
        """
        try:
            for key in keys:
                with contextlib.suppress(FileNotFoundError):
                    self._path(key).unlink()
                forget(key)
        finally:
            self._sync_directory()

    def _sync_directory(self) -> None:
        descriptor = os.open(self._directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _read_record(path: Path) -> dict[str, Any]:
    """One record file, or a ValueError that names the file and what is wrong with it."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"unreadable record {path}: {error}") from None
    if (
        not isinstance(record, dict)
        or set(record) != {"seq", "key", "value"}
        or not isinstance(record["seq"], int)
        or not isinstance(record["key"], str)
        or not isinstance(record["value"], dict)
    ):
        raise ValueError(
            f"not a fake-es record {path}: expected an object with an integer seq, "
            "a string key and an object value"
        )
    return record
