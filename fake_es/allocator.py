"""Keeping the dev server's memory near what it holds, through glibc's allocator.

A threaded server's allocations spread over glibc's per-thread arenas, and glibc gives
freed memory back only when asked (``malloc_trim``): after a burst of large or many
requests the process would keep its peak size for good. Python runs one thread at a time,
so one arena costs no contention. Where the C library is not glibc this does nothing;
other allocators return memory their own way.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

_M_ARENA_MAX = -8  # glibc's malloc.h


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
        library.malloc_trim  # noqa: B018 -- only glibc has it
        library.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return library


def trim_memory() -> bool:
    """Give the freed memory of every arena back; False where that cannot be done."""
    glibc = _glibc()
    if glibc is None:
        return False
    glibc.malloc_trim(0)
    return True


def single_arena() -> bool:
    """One malloc arena for every thread of this process (the dev server's own process,
    never a test run's): called before the serving threads start."""
    glibc = _glibc()
    return glibc is not None and bool(glibc.mallopt(_M_ARENA_MAX, 1))
