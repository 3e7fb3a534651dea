"""Incremental runs: a file's rows are reused while its bytes, its manifest entry and the code
that reads it are unchanged.

The code fingerprint is per reader: a change to one reader's module re-parses only the files
that reader reads; a change to any shared module (recognizers, normalize, schemas ...)
re-parses everything, which is what it affects.
"""
from __future__ import annotations

import gzip
import hashlib
import inspect
import json
import os
from functools import cache
from pathlib import Path

from pipeline.parse import registered_readers

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("parsers", "pipeline", "schemas")
# Modules that do not shape the rows of one file.
NOT_ROW_CODE = frozenset({"pipeline/batch.py", "pipeline/cache.py", "pipeline/cli.py", "pipeline/__main__.py"})
CACHE_DIR = ".cache"


def _code_files() -> list[Path]:
    files = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*") if p.suffix in (".py", ".json", ".toml")]
    return sorted(p for p in files if p.relative_to(ROOT).as_posix() not in NOT_ROW_CODE)


@cache
def fingerprint(key: str) -> str:
    """Hash of the code that turns a file read by ``key``'s reader into rows."""
    own = {name: Path(inspect.getsourcefile(func)).resolve() for name, func in registered_readers().items()}
    others = {path for name, path in own.items() if name != key} - {own.get(key)}
    digest = hashlib.sha256()
    for path in _code_files():
        if path.resolve() not in others:
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def manifest_hash(entry: dict | None) -> str:
    return hashlib.sha256(json.dumps(entry or {}, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def load_index(out_dir: Path) -> dict[str, dict]:
    path = out_dir / CACHE_DIR / "index.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged index only costs a full re-parse


def save_index(out_dir: Path, index: dict[str, dict]) -> None:
    path = out_dir / CACHE_DIR / "index.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(index, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def is_fresh(entry: dict | None, sha256: str, manifest: str, out_dir: Path) -> bool:
    """The cached rows of a file still hold: same bytes, manifest entry and reader code."""
    return bool(entry and entry["sha256"] == sha256 and entry["manifest"] == manifest
                and entry["fingerprint"] == fingerprint(entry["reader"])
                and (out_dir / CACHE_DIR / entry["rows"]).exists())


def write_rows(out_dir: Path, name: str, rows: dict[str, list[dict]]) -> str:
    """Store one file's rows; returns the path relative to the cache folder."""
    rel = f"rows/{name}.json.gz"
    path = out_dir / CACHE_DIR / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as f:
        json.dump(rows, f, ensure_ascii=False)
    os.replace(tmp, path)
    return rel


def read_rows(out_dir: Path, rel: str) -> dict[str, list[dict]]:
    with gzip.open(out_dir / CACHE_DIR / rel, "rt", encoding="utf-8") as f:
        return json.load(f)


def prune(out_dir: Path, index: dict[str, dict]) -> None:
    """Drop stored rows no file of this run refers to (removed or changed files)."""
    keep = {entry["rows"] for entry in index.values()}
    for path in (out_dir / CACHE_DIR / "rows").glob("*.json.gz"):
        if f"rows/{path.name}" not in keep:
            path.unlink()
