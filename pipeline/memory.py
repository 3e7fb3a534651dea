"""What a stage frees goes back to the system, so a process's RSS is its largest phase, not the sum
of its phases (measured with scripts/bench_validate_memory.py; docs/performance.md).

* Arrow's default pool (mimalloc) keeps what it frees. ``pa.set_memory_pool`` changes only the pool
  pyarrow's own calls use: the Parquet reader and writer still allocate from the C++ default pool,
  chosen once, from ``ARROW_DEFAULT_MEMORY_POOL``, when pyarrow loads. So the CLI's first act
  (``choose_allocators``) makes that jemalloc, where Linux wheels have it: assembling 400 documents'
  tables peaks at 312 MiB (mimalloc 340, the system allocator 428). For validate ``arrow_gives_back``
  has jemalloc release freed pages at once (1,200 documents: 254 MiB; the system allocator 267,
  mimalloc ~40 MiB more after streaming the check table), or, another pool loaded, puts pyarrow's
  own calls on the system allocator. A pool chosen in the environment wins; a caller that imported
  pyarrow already keeps its C++ default.
* glibc gives a thread that allocates under contention its own arena (up to eight per core), Arrow's
  reader threads among them, and each keeps its free pages; two arenas keep less (~11 MiB).
* ``give_back_memory`` (glibc's malloc_trim) hands the heaps' free pages back between phases.

This is the process's allocator, not row code: it changes no value.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from functools import cache

ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"  # read by Arrow when it loads
M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
ARENAS = 2


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def choose_allocators() -> None:
    """For the whole process: Arrow's C++ default pool jemalloc on Linux (unless the environment
    chose one), at most ARENAS glibc arenas. Call before pyarrow is imported."""
    if sys.platform == "linux":
        os.environ.setdefault(ARROW_POOL_VARIABLE, "jemalloc")
    if (libc := _libc()) is not None and hasattr(libc, "mallopt"):
        libc.mallopt(M_ARENA_MAX, ARENAS)


def arrow_gives_back() -> None:
    """From now on Arrow hands back what it frees: a jemalloc default pool releases freed pages at
    once (not after its decay of seconds); with another pool, pyarrow's own calls go to the system
    allocator (the C++ default's cannot be changed once loaded)."""
    import pyarrow as pa

    if pa.default_memory_pool().backend_name == "jemalloc":
        pa.jemalloc_set_decay_ms(0)
    else:
        pa.set_memory_pool(pa.system_memory_pool())


def give_back_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's malloc_trim; elsewhere nothing). glibc
    keeps what a phase frees (Arrow batches, a document's rows and page images) for reuse, and
    spread over its pages it is never reused whole: without this validate's RSS is the sum of its
    phases, not the largest of them."""
    if (libc := _libc()) is not None:
        libc.malloc_trim(0)
