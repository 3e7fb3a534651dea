"""Batch extraction over a folder: parallel, incremental, streaming, never stalled by one file.

Per-file work (``pipeline.extract.process_file``) runs in worker processes (a pebble pool, or a
Dask cluster) and stores its rows in ``<out>/.cache``; the tables are then assembled in
source-path order, so the output does not depend on the number of jobs or the executor.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import as_completed
from pathlib import Path

import pyarrow.parquet as pq
from tqdm import tqdm

from pipeline import cache
from pipeline.extract import TABLES, failed_document_row, process_file
from pipeline.ingest import discover, read_manifest
from pipeline.parse import reader_key
from pipeline.write import TableStreams

DEFAULT_TIMEOUT = 120.0  # seconds one file may take before its worker is stopped
# Files a worker reads before it is replaced: what a reader's libraries keep (pdfminer's caches,
# a fragmented heap) is given back, so memory does not grow with the corpus.
TASKS_PER_WORKER = 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run_file(root: str, rel: str, manifest_entry: dict | None, out_dir: str) -> dict:
    """Worker: read one file, store its rows, return its index entry (small)."""
    rows = process_file(Path(root), Path(root) / rel, {rel: manifest_entry} if manifest_entry else {})
    doc = rows["documents"][0]
    reader = reader_key(doc)
    entry = {"sha256": doc["sha256"], "manifest": cache.manifest_hash(manifest_entry), "reader": reader,
             "fingerprint": cache.fingerprint(reader)}
    entry["rows"] = cache.write_rows(Path(out_dir), f"{doc['sha256']}-{entry['manifest']}-{entry['fingerprint']}",
                                     rows)
    entry["document"] = doc
    return entry


def run_batch(input_dir: Path, out_dir: Path, jobs: int | None = None, executor: str = "local",
              scheduler: str | None = None, timeout: float = DEFAULT_TIMEOUT, progress: bool | None = None) -> dict:
    """Extract every file below input_dir into the tables in out_dir; returns a run summary."""
    started = time.perf_counter()
    jobs = jobs or os.cpu_count() or 1
    manifest = read_manifest(input_dir)
    files = [p.relative_to(input_dir).as_posix() for p in discover(input_dir)]
    old, index, todo = cache.load_index(out_dir), {}, []
    for rel in files:
        sha, mhash = sha256_of(input_dir / rel), cache.manifest_hash(manifest.get(rel))
        if cache.is_fresh(old.get(rel), sha, mhash, out_dir):
            index[rel] = old[rel]
        else:
            todo.append(rel)
    run = run_local if executor == "local" else run_dask
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=len(todo), unit="file", disable=not show, desc="extract") as bar:
        for rel, entry in run(input_dir, out_dir, todo, manifest, jobs, timeout, scheduler):
            index[rel] = entry
            bar.update()
    kept = {rel: index[rel] for rel in files if index[rel].get("rows")}
    if not todo and kept == old and all((out_dir / f"{t}.parquet").exists() for t in TABLES):
        documents, counts = current_tables(out_dir)  # nothing changed: the tables stand as they are
    else:
        documents, counts = assemble(out_dir, [index[rel] for rel in files])
    cache.save_index(out_dir, kept)
    cache.prune(out_dir, kept)
    return {"documents": documents, "rows": counts, "parsed": len(todo), "reused": len(files) - len(todo),
            "seconds": time.perf_counter() - started}


def current_tables(out_dir: Path) -> tuple[list[dict], dict[str, int]]:
    """The documents rows and row counts of the tables already in out_dir."""
    counts = {t: pq.ParquetFile(out_dir / f"{t}.parquet").metadata.num_rows for t in TABLES}
    return pq.read_table(out_dir / "documents.parquet").to_pylist(), counts


def assemble(out_dir: Path, entries: list[dict]) -> tuple[list[dict], dict[str, int]]:
    """Write the tables from the stored per-file rows, one file at a time."""
    streams = TableStreams(out_dir, TABLES)
    documents = []
    try:
        for entry in entries:
            rows = cache.read_rows(out_dir, entry["rows"]) if entry.get("rows") else {"documents": [entry["document"]]}
            for name, table_rows in rows.items():
                streams.add(name, table_rows)
            documents += rows["documents"]
        streams.close()
    except BaseException:
        streams.abort()
        raise
    return documents, streams.counts


def failure(root: Path, rel: str, error: str) -> dict:
    """Index entry of a file whose worker timed out or died: reported, never cached."""
    return {"rows": None, "document": failed_document_row(root, rel, error)}


def run_local(root: Path, out_dir: Path, todo: list[str], manifest: dict, jobs: int, timeout: float,
              scheduler: str | None) -> Iterator[tuple[str, dict]]:
    """A local process pool; a file that hangs or kills its worker costs only that worker."""
    from pebble import ProcessExpired, ProcessPool

    with ProcessPool(max_workers=jobs, max_tasks=TASKS_PER_WORKER) as pool:
        futures = {pool.schedule(run_file, args=(str(root), rel, manifest.get(rel), str(out_dir)),
                                 timeout=timeout): rel for rel in todo}
        for future in as_completed(futures):
            rel = futures[future]
            try:
                yield rel, future.result()
            except TimeoutError:
                yield rel, failure(root, rel, f"timed out after {timeout:g} s: worker stopped")
            except ProcessExpired as exc:
                yield rel, failure(root, rel, f"worker died (exit code {exc.exitcode})")
            except Exception as exc:  # noqa: BLE001 - the batch goes on
                yield rel, failure(root, rel, f"{type(exc).__name__}: {exc}")


def run_dask(root: Path, out_dir: Path, todo: list[str], manifest: dict, jobs: int, timeout: float,
             scheduler: str | None) -> Iterator[tuple[str, dict]]:
    """The same per-file work on a Dask cluster: ``scheduler`` is its address, or None for a
    local cluster of ``jobs`` worker processes. Input and output folders must be on storage
    every worker sees (same paths)."""
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None if scheduler else LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                                    dashboard_address=None)
    with Client(scheduler or cluster) as client:
        futures = client.map(run_file, [str(root)] * len(todo), todo, [manifest.get(r) for r in todo],
                             [str(out_dir)] * len(todo), pure=False)
        names = {f.key: rel for f, rel in zip(futures, todo, strict=True)}
        for future in dask_completed(futures):
            rel = names[future.key]
            try:
                yield rel, future.result(timeout=timeout)
            except Exception as exc:  # noqa: BLE001 - the batch goes on
                yield rel, failure(root, rel, f"{type(exc).__name__}: {exc}")
    if cluster is not None:
        cluster.close()
