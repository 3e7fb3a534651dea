"""What a stage frees goes back to the system, so a process's RSS is its largest phase, not the sum
of its phases (measured with scripts/bench_validate_memory.py; docs/performance.md).

* Arrow's C++ default pool (mimalloc) keeps what it frees, and Parquet reading allocates from it
  whatever pool pyarrow is given (its reader properties use the C++ default): ~40 MiB kept after
  validate streams the check table of 1,200 documents. The system allocator's pool gives it back.
  ``ARROW_DEFAULT_MEMORY_POOL`` is read when pyarrow loads, so ``hand_back_freed_memory`` must run
  before pyarrow is imported (the CLI's first act); a caller that imported pyarrow already keeps
  its pool.
* glibc gives a thread that allocates under contention its own arena (up to eight per core), Arrow's
  reader threads among them, and each keeps its free pages; two arenas keep less (~11 MiB).
* ``give_back_memory`` (glibc's malloc_trim) hands the heaps' free pages back between phases.

This is the process's allocator, not row code: it changes no value.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from functools import cache

ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"
M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
ARENAS = 2


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def hand_back_freed_memory() -> None:
    """For the whole process: Arrow on the system allocator (unless the environment chose a pool),
    at most ARENAS glibc arenas. Call before pyarrow is imported."""
    os.environ.setdefault(ARROW_POOL_VARIABLE, "system")
    if (libc := _libc()) is not None and hasattr(libc, "mallopt"):
        libc.mallopt(M_ARENA_MAX, ARENAS)


def give_back_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's malloc_trim; elsewhere nothing). glibc
    keeps what a phase frees (Arrow batches, a document's rows and page images) for reuse, and
    spread over its pages it is never reused whole: without this validate's RSS is the sum of its
    phases, not the largest of them."""
    if (libc := _libc()) is not None:
        libc.malloc_trim(0)
