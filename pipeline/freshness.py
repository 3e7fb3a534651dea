"""Skipping a stage whose inputs are unchanged: validate and summarize on the same tables, with
the same configuration and code, write the same files, so an unchanged corpus runs neither.

A stage that finishes records the fingerprint of its inputs, a hash of each file it wrote and its
result line (``.cache/stages/<stage>.json``). Its inputs are the curated tables (by their run id,
which hashes every input file and the code that read it), the configuration it reads (suites,
reviews, options, the raw files the evidence quotes) and the code (``pipeline.cache.code_fingerprint``).
The command line asks ``unchanged`` before it even imports the stage; tables written without a run id
(by hand) are never skipped. Light: imports no stage.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pipeline.cache import code_fingerprint
from pipeline.runlog import require_run

STAMPS = Path(".cache") / "stages"
VALIDATE_OUTPUTS = ("anomalies.parquet", "reports/anomalies.csv", "reports/anomalies.html")
SUMMARIZE_OUTPUTS = ("unit_summary.parquet", "projects.parquet")
REPORT = "reports/summary.html"


def sha256_file(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def fingerprint(run_id: str | None, files: list[Path], options: dict) -> str | None:
    """The hash of a stage's inputs; None (never skip) for tables without a run id."""
    if run_id is None:
        return None
    digest = hashlib.sha256(json.dumps([run_id, code_fingerprint(), options], sort_keys=True, default=str).encode())
    for path in files:
        digest.update(f"{path}\0{sha256_file(path) if path.is_file() else 'absent'}\0".encode())
    return digest.hexdigest()


def raw_files(curated: Path, raw: Path | None) -> dict[str, list[int]]:
    """Size and modification time of each raw file the evidence may read back."""
    import pyarrow.parquet as pq

    if raw is None:
        return {}
    with pq.ParquetFile(curated / "documents.parquet") as f:
        paths = f.read(columns=["source_path"]).column(0).to_pylist()
    out = {}
    for rel in filter(None, paths):
        try:
            st = os.stat(raw / rel)
            out[rel] = [st.st_size, st.st_mtime_ns]
        except OSError:
            out[rel] = []
    return out


def validate_inputs(curated: Path, suites_dir: Path, raw: Path | None, reviews_path: Path, lang: str,
                    gx: bool) -> str | None:
    run_id = require_run(curated)
    options = {"raw": str(raw), "raw_files": raw_files(curated, raw), "lang": lang, "gx": gx,
               "suites": str(suites_dir)}
    return fingerprint(run_id, [*sorted(suites_dir.glob("*.json")), reviews_path, curated / "checks.parquet",
                                curated / "cells.parquet"], options)


def summarize_inputs(out_dir: Path, report: bool, lang: str) -> str | None:
    run_id = require_run(out_dir, optional={"anomalies": "validate"})
    return fingerprint(run_id, [out_dir / "anomalies.parquet"], {"report": report, "lang": lang})


def outputs_of(stage: str, report: bool = True) -> tuple[str, ...]:
    if stage == "validate":
        return VALIDATE_OUTPUTS
    return SUMMARIZE_OUTPUTS + ((REPORT,) if report else ())


def _stamp(out_dir: Path, stage: str) -> Path:
    return out_dir / STAMPS / f"{stage}.json"


def kept(out_dir: Path, stage: str, inputs: str | None, outputs: tuple[str, ...]) -> dict | None:
    """The result a stage recorded when its inputs were these and its outputs are still the files
    it wrote; None when it must run."""
    if inputs is None:
        return None
    try:
        stamp = json.loads(_stamp(out_dir, stage).read_text(encoding="utf-8"))
        if stamp["inputs"] != inputs or set(stamp["outputs"]) != set(outputs):
            return None
        if any(sha256_file(out_dir / name) != digest for name, digest in stamp["outputs"].items()):
            return None
        return stamp["result"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record(out_dir: Path, stage: str, inputs: str | None, outputs: tuple[str, ...], result: dict) -> None:
    """Remember a finished stage (nothing for tables without a run id)."""
    path = _stamp(out_dir, stage)
    if inputs is None:
        path.unlink(missing_ok=True)
        return
    stamp = {"inputs": inputs, "outputs": {name: sha256_file(out_dir / name) for name in outputs},
             "result": result}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stamp, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def unchanged(out_dir: Path, stage: str, inputs: str | None, report: bool = True) -> dict | None:
    """``kept`` for a stage by name (summarize: with or without its page)."""
    return kept(out_dir, stage, inputs, outputs_of(stage, report))
