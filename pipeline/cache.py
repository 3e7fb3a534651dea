"""Incremental runs: a file's rows are reused while its bytes, its manifest entry and the code
that reads it are unchanged; its check rows while the check code is unchanged too.

The code fingerprint is per reader: a change to one reader's module re-parses only the files
that reader reads; a change to any shared module (recognizers, normalize, schemas ...)
re-parses everything, which is what it affects. The worker checks each file's forms as it reads
them (``pipeline.checks.document_checks``) and stores the check rows with the parsed rows. The
check code (``CHECK_CODE``) shapes only the check rows, so it is not part of the parse
fingerprint: a change to it checks every file again from its stored rows, without reading the
file (``pipeline.batch.check_file``). The check table carries ``check_fingerprint`` so validate
knows whether the rows it holds came from the check code there is now.
"""
from __future__ import annotations

import fcntl
import hashlib
import inspect
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pyarrow as pa

import schemas
from parsers.readers.ocr import extra_version

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("parsers", "pipeline", "schemas")
# Modules that neither shape nor check the rows of one file: the batch machinery and the later
# stages (their own inputs include all the code: ``pipeline.freshness``).
NOT_ROW_CODE = frozenset(f"pipeline/{name}.py" for name in (
    "batch", "cache", "cli", "__main__", "validate", "expect", "freshness", "evidence", "report_html", "reviews",
    "summarize", "report", "publish", "diff", "suites", "runlog", "memory"))
READERS_DIR = "parsers/readers/"
# Code that shapes only the check rows (what the check rows of a file are made from is its parsed
# rows): a change to it checks the stored rows again and reads no file.
CHECK_CODE = ("pipeline/checks/", "pipeline/rules.py", "schemas/checks.json")
CACHE_DIR = ".cache"
LOCK = "lock"
# The reader key of a file whose worker never returned (timed out, killed, over the memory
# ceiling): its entry holds while no code at all changes.
ALL_CODE = "*"
# Readers whose rows depend on an optional extra too: installing (or upgrading) it re-reads their
# files (a scan cached as `needs OCR` is read by OCR once the OCR extra is there).
EXTRAS = {"pdf": extra_version, ALL_CODE: extra_version}
INDEX_KEYS = frozenset({"sha256", "manifest", "reader", "fingerprint", "check_fingerprint", "rows", "document"})
# One file's rows: an Arrow IPC stream of one record (a list of rows per table), compressed as a
# whole, which is what makes small files small (measured in docs/performance.md). Entries of an
# older format are not fresh: their files are read again.
ROWS_SUFFIX = ".arrows.zst"
ROWS_CODEC, ROWS_LEVEL = "zstd", 9  # level 9: ~15% smaller than 1, ~2 ms a file


class Busy(Exception):
    """Another run holds the output folder."""


class DamagedRows(Exception):
    """A stored rows file cannot be read back; ``rel`` is the input file it belongs to."""

    def __init__(self, rel: str, detail: str):
        super().__init__(f"cached rows of {rel} are damaged ({detail})")
        self.rel = rel


def _code_files() -> list[Path]:
    files = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*") if p.suffix in (".py", ".json", ".toml")]
    return sorted(p for p in files if p.relative_to(ROOT).as_posix() not in NOT_ROW_CODE)


def _is_check_code(path: Path) -> bool:
    return path.relative_to(ROOT).as_posix().startswith(CHECK_CODE)


@cache
def fingerprint(key: str) -> str:
    """Hash of the code that turns a file read by ``key``'s reader into rows (not the check code);
    for ALL_CODE (a worker that never returned, maybe stopped in a check), all of it."""
    extras = [EXTRAS[key]()] if key in EXTRAS else []   # what a scan's rows depend on besides the code
    if key == ALL_CODE:
        return _hash_code(_code_files(), extras)
    from pipeline.parse import registered_readers

    own = {name: Path(inspect.getsourcefile(func)).resolve() for name, func in registered_readers().items()}
    others = {path for name, path in own.items() if name != key} - {own.get(key)}
    return _hash_code([p for p in _code_files() if p.resolve() not in others and not _is_check_code(p)], extras)


def _hash_code(paths: list[Path], extras: list[str] | tuple = ()) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    for extra in extras:
        digest.update(extra.encode())
    return digest.hexdigest()[:16]


@cache
def check_fingerprint() -> str:
    """Hash of the code the checks of one document's forms run (everything but the readers)."""
    return _hash_code([p for p in _code_files() if not p.relative_to(ROOT).as_posix().startswith(READERS_DIR)])


@cache
def code_fingerprint() -> str:
    """Hash of all the code, every stage's included (a later stage's inputs: ``pipeline.freshness``)."""
    files = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*") if p.suffix in (".py", ".json", ".toml")]
    return _hash_code(sorted(files))


def manifest_hash(entry: dict | None) -> str:
    return hashlib.sha256(json.dumps(entry or {}, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def load_index(out_dir: Path) -> dict[str, dict]:
    """Index entries by input path; a damaged index or entry only costs re-parsing its files."""
    path = out_dir / CACHE_DIR / "index.json"
    if not path.exists():
        return {}
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(index, dict):
        return {}
    return {rel: e for rel, e in index.items() if isinstance(e, dict) and INDEX_KEYS <= e.keys()}


def save_index(out_dir: Path, index: dict[str, dict]) -> None:
    """Written as work completes, so a killed run resumes. ASCII JSON: names that are not UTF-8
    (kept with surrogateescape) survive the round trip."""
    path = out_dir / CACHE_DIR / "index.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(index, sort_keys=True), encoding="ascii")
    os.replace(tmp, path)


def is_fresh(entry: dict | None, sha256: str | None, manifest: str, out_dir: Path,
             retry_failed: bool = False) -> bool:
    """The cached result of a file still holds: same bytes, manifest entry and reader code (its
    check rows may still be of other check code: ``checks_are_current``). A file that failed
    holds its failure until then too, unless ``retry_failed``."""
    if not (entry and entry["sha256"] == sha256 and entry["manifest"] == manifest and same_reader_code(entry)):
        return False
    if entry["document"].get("status") == "failed" and retry_failed:
        return False
    rows = entry["rows"]
    return rows is None or (rows.endswith(ROWS_SUFFIX) and (out_dir / CACHE_DIR / rows).exists())


def same_reader_code(entry: dict) -> bool:
    """The entry's reader code is the code there is now. Where no code at all changed (the hash of
    every code file, no import) that holds without loading the readers to find their files."""
    if entry.get("code") is not None and entry["reader"] not in EXTRAS and entry["code"] == code_fingerprint():
        return True   # (a reader with extras, the OCR'd scans, also depends on what is installed)
    return entry["fingerprint"] == fingerprint(entry["reader"])


def checks_are_current(entry: dict) -> bool:
    """The stored check rows of a file came from the check code there is now (a file without rows has none)."""
    return entry["rows"] is None or entry["check_fingerprint"] == check_fingerprint()


def rows_name(entry: dict) -> str:
    """The name of a file's stored rows: what they hold is parsed and checked by this code."""
    return f"{entry['sha256']}-{entry['manifest']}-{entry['fingerprint']}-{entry['check_fingerprint']}"


@cache
def rows_schema(tables: tuple[str, ...]) -> pa.Schema:
    """One record holding a file's rows: per table, a list of rows typed by its schema (without
    the column descriptions, which the tables carry)."""
    return pa.schema([pa.field(t, pa.list_(pa.struct([pa.field(f.name, f.type) for f in schemas.arrow_schema(t)])))
                      for t in tables])


def write_rows(out_dir: Path, name: str, rows: dict[str, list[dict]]) -> str:
    """Store one file's rows; returns the path relative to the cache folder."""
    rel = f"rows/{name}{ROWS_SUFFIX}"
    path = out_dir / CACHE_DIR / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = rows_schema(tuple(rows))
    record = pa.record_batch([pa.array([rows[t]], type=schema.field(t).type) for t in rows], schema=schema)
    stream = pa.BufferOutputStream()
    with pa.ipc.new_stream(stream, schema) as writer:
        writer.write_batch(record)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_bytes(pa.Codec(ROWS_CODEC, compression_level=ROWS_LEVEL).compress(stream.getvalue(), asbytes=True))
    os.replace(tmp, path)
    return rel


def read_rows(out_dir: Path, rows: str, rel: str) -> dict[str, pa.Table]:
    """The stored rows of input file ``rel``, a table per contract table; DamagedRows when they
    cannot be read back."""
    try:
        with pa.CompressedInputStream(str(out_dir / CACHE_DIR / rows), ROWS_CODEC) as source:
            record = pa.ipc.open_stream(source).read_all()
        if record.num_rows != 1 or "documents" not in record.column_names:
            raise ValueError("not one record of rows")
        return {t: pa.Table.from_struct_array(record.column(t).chunk(0).flatten()) for t in record.column_names}
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise DamagedRows(rel, f"{type(exc).__name__}: {exc}") from exc


def prune(out_dir: Path, index: dict[str, dict]) -> None:
    """Drop stored rows no file of this run refers to (removed or changed files, older formats).
    Called after the index that no longer names them is in place, so an interrupted prune only
    leaves files the next one removes."""
    keep = {entry["rows"] for entry in index.values()}
    for path in (out_dir / CACHE_DIR / "rows").glob("*"):
        if f"rows/{path.name}" not in keep and path.is_file():
            path.unlink(missing_ok=True)


@contextmanager
def out_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one run: a second run into it is refused (Busy), not mixed
    in. The OS drops the lock when its process ends, however it ends."""
    path = out_dir / CACHE_DIR / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            raise Busy(f"another run (pid {f.read().strip() or '?'}) is writing to {out_dir}; "
                       "wait for it to finish or use another --out") from None
        f.truncate(0)
        f.write(str(os.getpid()))
        f.flush()
        try:
            yield
        finally:
            f.truncate(0)


def remove_temp_files(out_dir: Path) -> None:
    """Temporary files of runs that were killed (the caller holds the lock: none is in use)."""
    for folder in (out_dir, out_dir / CACHE_DIR, out_dir / CACHE_DIR / "rows"):
        for path in folder.glob("*.tmp"):
            path.unlink(missing_ok=True)
        for path in folder.glob(".*.tmp"):
            path.unlink(missing_ok=True)
