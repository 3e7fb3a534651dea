"""Batch extraction over a folder: parallel, incremental, streaming, never stalled by one file.

Per-file work (``pipeline.extract.process_file``) runs in worker processes (a pebble pool, or a
Dask cluster) and stores its rows in ``<out>/.cache``; the tables are then assembled in
source-path order, so the output does not depend on the number of jobs or the executor.

Identity: every input path gets one documents row. Files with the same bytes are read once: the
first path in sorted order is the document, every other path a ``duplicate`` row naming it.
The output folder is locked for the run; the cache index is saved as work completes, so a run
that is interrupted or killed resumes where it stopped.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import as_completed
from contextlib import closing
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from pipeline import cache
from pipeline.extract import DOCUMENT_TABLES, TABLES, duplicate_row, failed_document_row, process_file
from pipeline.ingest import MANIFEST, discover, read_manifest, sha256_of
from pipeline.write import CHECK_CODE_KEY, TableStreams, run_id_of, skip_pandas_probe, to_arrow

DEFAULT_TIMEOUT = 120.0  # seconds one file may take before its worker is stopped ...
# ... and more for each page OCR may read (a PDF's pages, the OCR extra installed): OCR reads
# ~0.13-0.2 pages/s on 2 shared cores (scripts/bench_ocr.py), so a 33-page scan takes minutes
DEFAULT_PAGE_TIMEOUT = 30.0
DEFAULT_MAX_MEMORY = 2 << 30  # bytes of address space one worker may use
# Files a worker reads before it is replaced: what a reader's libraries keep (pdfminer's caches,
# a fragmented heap) is given back, so memory does not grow with the corpus.
TASKS_PER_WORKER = 20
SAVE_EVERY = 5.0  # seconds between saves of the cache index while files complete
ASSEMBLY_TRIES = 3  # damaged cache files re-parsed before assembly gives up
CHECKS = "checks"  # the check table: each file's rows checked in its worker (pipeline.checks)
OUTPUT_TABLES = (*TABLES, CHECKS)


class InputError(Exception):
    """The input or output is not usable (missing, empty, would empty the tables)."""


class Interrupted(Exception):
    """The run was stopped (Ctrl-C, SIGTERM); the work done is kept in the cache."""

    def __init__(self, done: int, todo: int):
        super().__init__(f"interrupted: {done} of {todo} files read and kept; "
                         "run the same command again to resume")


def input_files(input_path: Path, out_dir: Path) -> tuple[Path, list[str]]:
    """(root, relative paths) of the input: a folder's files (the output folder skipped when it
    lies inside), or one file. InputError when there is nothing to read."""
    if not input_path.exists():
        raise InputError(f"input {input_path} does not exist")
    if input_path.is_file():
        return input_path.parent, [input_path.name]
    if not input_path.is_dir():
        raise InputError(f"input {input_path} is neither a folder nor a file")
    files = [p.relative_to(input_path).as_posix() for p in discover(input_path, skip=out_dir)]
    if not files:
        raise InputError(f"input folder {input_path} holds no files to read (hidden files and {MANIFEST} "
                         "are not documents)")
    return input_path, files


def copies_of(files: list[str], shas: dict[str, str | None]) -> dict[str, str]:
    """Each path whose bytes an earlier path (in sorted order) has -> that earlier path."""
    first: dict[str, str] = {}
    copies = {}
    for rel in files:
        sha = shas[rel]
        if sha is not None and sha in first:
            copies[rel] = first[sha]
        elif sha is not None:
            first[sha] = rel
    return copies


def hash_files(root: Path, files: list[str]) -> dict[str, str | None]:
    """sha256 of each file; None for a file that cannot be read (its worker reports why)."""
    shas: dict[str, str | None] = {}
    for rel in files:
        try:
            shas[rel] = sha256_of(root / rel)
        except OSError:
            shas[rel] = None
    return shas


def run_file(root: str, rel: str, manifest_entry: dict | None, out_dir: str) -> dict:
    """Worker: read one file, check its forms, store its rows and checks, return its index entry (small)."""
    from pipeline.parse import reader_key

    rows = process_file(Path(root), Path(root) / rel, {rel: manifest_entry} if manifest_entry else {})
    reader = reader_key(rows["documents"][0])
    entry = {"sha256": rows["documents"][0]["sha256"], "manifest": cache.manifest_hash(manifest_entry),
             "reader": reader, "fingerprint": cache.fingerprint(reader), "code": cache.code_fingerprint()}
    return stored_checked(out_dir, entry, rows)


def check_file(root: str, rel: str, manifest_entry: dict | None, out_dir: str, entry: dict) -> dict:
    """Worker: check again the stored rows of a file whose check code changed, no reader running
    (the file is read only when its stored rows are damaged); store them with the new check rows,
    return its index entry."""
    try:
        tables = cache.read_rows(Path(out_dir), entry["rows"], rel)
    except cache.DamagedRows:
        return run_file(root, rel, manifest_entry, out_dir)
    return stored_checked(out_dir, entry, {t: table.to_pylist() for t, table in tables.items() if t != CHECKS})


def stored_checked(out_dir: str, entry: dict, rows: dict[str, list[dict]]) -> dict:
    """Check one file's parsed rows, store them with their check rows; its index entry (small)."""
    doc = rows["documents"][0]
    rows[CHECKS], problems = checks_of(rows)
    doc["check_problems"] = "\n".join(problems) or None
    entry = {**entry, "check_fingerprint": cache.check_fingerprint(), "document": doc}
    entry["rows"] = cache.write_rows(Path(out_dir), cache.rows_name(entry), rows)
    return entry


def checks_of(rows: dict[str, list[dict]]) -> tuple[list[dict], list[str]]:
    """The check rows and problems of one file's rows, checked as validate reads them back (typed
    by the schemas: the same values a table gives)."""
    from pipeline.checks import CHECKED_TABLES, document_checks, plain_rows

    return document_checks({t: plain_rows(to_arrow(t, rows[t])) for t in CHECKED_TABLES})


def run_batch(input_path: Path, out_dir: Path, jobs: int | None = None, executor: str = "local",
              scheduler: str | None = None, timeout: float = DEFAULT_TIMEOUT, progress: bool | None = None,
              max_memory: int | None = DEFAULT_MAX_MEMORY, allow_empty: bool = False,
              retry_failed: bool = False, page_timeout: float = DEFAULT_PAGE_TIMEOUT) -> dict:
    """Extract every file below input_path (or that one file) into the tables in out_dir;
    returns a run summary. InputError, cache.Busy and Interrupted say why a run did not finish.
    A file may take ``timeout`` seconds plus ``page_timeout`` for each page OCR may read."""
    started = time.perf_counter()
    skip_pandas_probe()
    root, files = input_files(input_path, out_dir)
    problems: list[str] = []
    manifest = read_manifest(root, problems)
    with cache.out_lock(out_dir):
        cache.remove_temp_files(out_dir)
        shas = hash_files(root, files)
        copies = copies_of(files, shas)
        index, todo = reusable(out_dir, [r for r in files if r not in copies], shas, manifest, retry_failed)
        workers = Workers(root, out_dir, manifest, jobs or os.cpu_count() or 1, (timeout, page_timeout),
                          max_memory, executor, scheduler, progress)
        workers.extract(todo, index)
        documents, counts, run_id = write_tables(out_dir, files, index, copies, manifest, allow_empty, workers)
        cache.save_index(out_dir, {rel: index[rel] for rel in files if rel in index})
        cache.prune(out_dir, index)
        cache.remove_temp_files(out_dir)  # left by workers stopped mid-write
    return {"documents": documents, "rows": counts, "parsed": workers.parsed, "reused": len(files) - workers.parsed,
            "checked_again": workers.checked, "manifest_problems": problems, "run_id": run_id,
            "seconds": time.perf_counter() - started}


def reusable(out_dir: Path, files: list[str], shas: dict[str, str | None], manifest: dict,
             retry_failed: bool) -> tuple[dict[str, dict], list[str]]:
    """(index entries whose parsed rows are still valid, files to work on: to read, or, those with
    an entry, to check again)."""
    old, index, todo = cache.load_index(out_dir), {}, []
    for rel in files:
        if cache.is_fresh(old.get(rel), shas[rel], cache.manifest_hash(manifest.get(rel)), out_dir, retry_failed):
            index[rel] = old[rel]
        if rel not in index or not cache.checks_are_current(index[rel]):
            todo.append(rel)
    return index, todo


def run_id_for(files: list[str], index: dict[str, dict], copies: dict[str, str], manifest: dict) -> str:
    """The id of the tables this run writes: a hash of what shapes them (every path, its bytes,
    manifest entry and reader code, which paths are copies), so an unchanged re-run keeps it
    and the later stages' outputs stay valid."""
    parts = [(rel, copies.get(rel), cache.manifest_hash(manifest.get(rel)),
              *(index[copies.get(rel, rel)][k] for k in ("sha256", "fingerprint", "rows"))) for rel in files]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def write_tables(out_dir: Path, files: list[str], index: dict[str, dict], copies: dict[str, str],
                 manifest: dict, allow_empty: bool, workers: Workers) -> tuple[list[dict], dict[str, int], str]:
    """Assemble the tables (unless they already are this run's); a damaged cache file is
    discarded and its input read again. Returns the documents rows, row counts and run id."""
    for _ in range(ASSEMBLY_TRIES):
        run_id = run_id_for(files, index, copies, manifest)
        if all(table_run(out_dir, t) == run_id for t in OUTPUT_TABLES):
            return *current_tables(out_dir), run_id  # nothing changed: the tables stand as they are
        try:
            return *assemble(out_dir, files, index, copies, manifest, run_id, allow_empty), run_id
        except cache.DamagedRows as exc:
            del index[exc.rel]
            workers.extract([exc.rel], index)
    raise InputError(f"the cache in {out_dir / cache.CACHE_DIR} keeps failing to read back; delete it and run again")


def table_run(out_dir: Path, table: str) -> str | None:
    path = out_dir / f"{table}.parquet"
    try:
        return run_id_of(path) if path.exists() else None
    except (OSError, ValueError):  # a damaged table is written again
        return None


def current_tables(out_dir: Path) -> tuple[list[dict], dict[str, int]]:
    """The documents rows and row counts of the tables already in out_dir."""
    counts = {t: pq.ParquetFile(out_dir / f"{t}.parquet").metadata.num_rows for t in OUTPUT_TABLES}
    with pq.ParquetFile(out_dir / "documents.parquet") as f:  # not read_table: it imports pyarrow.dataset
        return f.read().to_pylist(), counts


def assemble(out_dir: Path, files: list[str], index: dict[str, dict], copies: dict[str, str], manifest: dict,
             run_id: str, allow_empty: bool) -> tuple[list[dict], dict[str, int]]:
    """Write the tables from the stored per-file rows, one file at a time, in path order."""
    streams = TableStreams(out_dir, OUTPUT_TABLES, run_id,
                           {CHECKS: {CHECK_CODE_KEY: cache.check_fingerprint().encode()}})
    documents = []
    try:
        for rel in files:
            rows = file_rows(out_dir, rel, index, copies, manifest)
            for name, table_rows in rows.items():
                streams.add(name, table_rows)
            docs = rows["documents"]
            documents += docs if isinstance(docs, list) else docs.to_pylist()
        refuse_emptying(out_dir, streams.counts, allow_empty)
        streams.close()
    except BaseException:
        streams.abort()
        raise
    return documents, streams.counts


def file_rows(out_dir: Path, rel: str, index: dict[str, dict], copies: dict[str, str],
              manifest: dict) -> dict[str, list[dict] | pa.Table]:
    """The rows one input path contributes: its stored rows (tables), or a duplicate's (or a
    failed file's) documents row."""
    if rel in copies:
        return {"documents": [duplicate_row(index[copies[rel]]["document"], rel, manifest.get(rel))]}
    entry = index[rel]
    return cache.read_rows(out_dir, entry["rows"], rel) if entry["rows"] else {"documents": [entry["document"]]}


def refuse_emptying(out_dir: Path, counts: dict[str, int], allow_empty: bool) -> None:
    """A run that read no form or list does not replace tables that hold some (a wrong input
    folder, a broken reader), unless allowed."""
    if allow_empty or any(counts[t] for t in DOCUMENT_TABLES):
        return
    held = [t for t in DOCUMENT_TABLES if (out_dir / f"{t}.parquet").exists()
            and pq.ParquetFile(out_dir / f"{t}.parquet").metadata.num_rows]
    if held:
        raise InputError(f"this run found no forms, but {out_dir} holds {', '.join(held)} rows of an earlier run; "
                         "tables left as they were (use --allow-empty to replace them)")


def failure(root: Path, rel: str, error: str, manifest_entry: dict | None) -> dict:
    """Index entry of a file whose worker timed out, died or ran out of memory: remembered, and
    not retried until the file or any code changes (``--retry-failed`` forces it)."""
    document = failed_document_row(root, rel, error)
    return {"sha256": document["sha256"], "manifest": cache.manifest_hash(manifest_entry), "reader": cache.ALL_CODE,
            "fingerprint": cache.fingerprint(cache.ALL_CODE), "check_fingerprint": None, "rows": None,
            "document": document}


class Workers:
    """Runs per-file work on the chosen executor, saving the cache index as files complete."""

    def __init__(self, root: Path, out_dir: Path, manifest: dict, jobs: int, timeouts: tuple[float, float],
                 max_memory: int | None, executor: str, scheduler: str | None, progress: bool | None):
        self.root, self.out_dir, self.manifest = root, out_dir, manifest
        self.jobs, self.timeouts, self.max_memory, self.scheduler = jobs, timeouts, max_memory, scheduler
        self.run = run_local if executor == "local" else run_dask
        self.show = sys.stderr.isatty() if progress is None else progress
        self.parsed = self.checked = 0

    def extract(self, todo: list[str], index: dict[str, dict]) -> None:
        """Read the files of ``todo``, or, those whose parsed rows ``index`` holds, check them again."""
        saved = time.monotonic()
        tasks = {rel: self.task(rel, index.get(rel)) for rel in todo}
        results = self.run(self, tasks)
        with tqdm(total=len(todo), unit="file", disable=not self.show, desc="extract") as bar, closing(results):
            try:
                for rel, entry in results:
                    index[rel] = entry
                    if tasks[rel][0] is check_file:
                        self.checked += 1
                    else:
                        self.parsed += 1
                    bar.update()
                    if time.monotonic() - saved > SAVE_EVERY:
                        cache.save_index(self.out_dir, index)
                        saved = time.monotonic()
            except KeyboardInterrupt:
                raise Interrupted(self.parsed + self.checked, len(todo)) from None
            finally:
                cache.save_index(self.out_dir, index)

    def task(self, rel: str, entry: dict | None) -> tuple[Callable[..., dict], tuple]:
        """(worker function, its arguments) for one file: read it, or check its stored rows again."""
        args = (str(self.root), rel, self.manifest.get(rel), str(self.out_dir))
        return (run_file, args) if entry is None else (check_file, (*args, entry))

    def failure(self, rel: str, error: str) -> dict:
        return failure(self.root, rel, error, self.manifest.get(rel))

    def timeout(self, rel: str) -> float:
        """The seconds a file may take: the base budget, and more per page OCR may read."""
        base, per_page = self.timeouts
        from parsers.readers.ocr import pages_ocr_may_read  # a file's budget, asked when it is read

        return base + per_page * pages_ocr_may_read(self.root / rel)


def worker_init(max_memory: int | None) -> None:
    """In each worker: Ctrl-C is the main process's to handle (it stops the workers), and the
    address space may grow by at most ``max_memory`` past what the worker starts with (a forked
    worker inherits its parent's mappings), so a file that needs more fails with MemoryError."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if max_memory:
        start = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = start + max_memory if hard == resource.RLIM_INFINITY else min(start + max_memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run_local(workers: Workers, tasks: dict[str, tuple[Callable[..., dict], tuple]]) -> Iterator[tuple[str, dict]]:
    """A local process pool running each file's task; a file that hangs or kills its worker costs
    only that worker. On an interrupt the pool is stopped at once (pending files are not read)."""
    from pebble import ProcessExpired, ProcessPool

    if not tasks:
        return
    pool = ProcessPool(max_workers=workers.jobs, max_tasks=TASKS_PER_WORKER, initializer=worker_init,
                       initargs=(workers.max_memory,))
    try:
        timeouts = {rel: workers.timeout(rel) for rel in tasks}
        futures = {pool.schedule(func, args=args, timeout=timeouts[rel]): rel for rel, (func, args) in tasks.items()}
        for future in as_completed(futures):
            rel = futures[future]
            try:
                yield rel, future.result()
            except TimeoutError:
                yield rel, workers.failure(rel, f"timed out after {timeouts[rel]:g} s: worker stopped")
            except ProcessExpired as exc:
                yield rel, workers.failure(rel, died(exc.exitcode, workers.max_memory))
            except Exception as exc:  # noqa: BLE001 - the batch goes on
                yield rel, workers.failure(rel, f"{type(exc).__name__}: {exc}")
        pool.close()
    finally:
        pool.stop()
        pool.join()


def died(exitcode: int | None, max_memory: int | None) -> str:
    """Why a worker died: killed for memory (SIGKILL from the OS, SIGSEGV/SIGABRT from a
    library that could not allocate under the ceiling) or another exit."""
    if exitcode in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT) and max_memory:
        return f"worker died (exit code {exitcode}); too large? memory ceiling {max_memory / (1 << 30):g} GiB"
    return f"worker died (exit code {exitcode})"


def run_dask(workers: Workers, tasks: dict[str, tuple[Callable[..., dict], tuple]]) -> Iterator[tuple[str, dict]]:
    """The same per-file tasks on a Dask cluster: ``scheduler`` is its address, or None for a
    local cluster of ``jobs`` worker processes. Input and output folders must be on storage
    every worker sees (same paths)."""
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    if not tasks:
        return
    cluster = None if workers.scheduler else LocalCluster(
        n_workers=workers.jobs, threads_per_worker=1, processes=True, dashboard_address=None,
        memory_limit=workers.max_memory or "auto")
    with Client(workers.scheduler or cluster) as client:
        futures = {client.submit(func, *args, pure=False): rel for rel, (func, args) in tasks.items()}
        names = {f.key: rel for f, rel in futures.items()}
        for future in dask_completed(list(futures)):
            rel = names[future.key]
            try:
                yield rel, future.result(timeout=workers.timeout(rel))
            except Exception as exc:  # noqa: BLE001 - the batch goes on
                yield rel, workers.failure(rel, f"{type(exc).__name__}: {exc}")
    if cluster is not None:
        cluster.close()
