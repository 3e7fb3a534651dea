"""The last run in an output folder: which tables belong to it, each stage's wall time, and the
run's one-line result."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

import schemas
from pipeline.write import run_id_of

STAGES = ("extract", "validate", "summarize")
STATUSES = ("ok", "partial", "failed", "unsupported", "duplicate")
TIMINGS = Path(".cache") / "stages.json"
INPUT = Path(".cache") / "input.json"


class StageError(Exception):
    """A stage cannot work on what the output folder holds; the message is one line."""


def require_run(out_dir: Path, tables: tuple[str, ...] = schemas.TABLES,
                optional: dict[str, str] | None = None) -> str | None:
    """The run id shared by ``tables`` in out_dir. StageError when one is missing or belongs to
    another run, or when a table of ``optional`` (name -> the stage that writes it) is present
    but of another run: later stages never mix runs."""
    runs = {}
    for table in tables:
        path = out_dir / f"{table}.parquet"
        if not path.exists():
            raise StageError(f"{path} is missing: run `jixiao extract <input> --out {out_dir}` first")
        runs[table] = _run_of(path)
    run_id = runs[tables[0]]  # None throughout: tables written without a run id (by hand, in tests)
    if any(r != run_id for r in runs.values()):
        mixed = ", ".join(f"{t} ({r or 'no run id'})" for t, r in runs.items() if r != run_id) or tables[0]
        raise StageError(f"tables in {out_dir} come from different runs: {mixed} vs {tables[0]} ({run_id}); "
                         f"run `jixiao extract <input> --out {out_dir}` again")
    for table, stage in (optional or {}).items():
        path = out_dir / f"{table}.parquet"
        if path.exists() and _run_of(path) != run_id:
            raise StageError(f"{path} is from another run than the extracted tables: run `jixiao {stage} "
                             f"--out {out_dir}` again (or delete it)")
    return run_id


def _run_of(path: Path) -> str | None:
    try:
        return run_id_of(path)
    except (OSError, ValueError) as exc:
        raise StageError(f"{path} cannot be read ({exc}): run the stage that writes it again") from exc


def _timings(out_dir: Path) -> dict:
    try:
        timings = json.loads((out_dir / TIMINGS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or damaged: only the times are lost
    return timings if isinstance(timings, dict) else {}


def record_stage(out_dir: Path, stage: str, seconds: float, run_id: str | None = None) -> None:
    """Remember a stage's wall time; a new extract (or another run's tables) starts afresh."""
    timings = _timings(out_dir)
    if stage == "extract" or timings.get("run_id") != run_id:
        timings = {"run_id": run_id}
    timings[stage] = round(seconds, 3)
    path = out_dir / TIMINGS
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(timings), encoding="utf-8")
    os.replace(tmp, path)


def record_input(out_dir: Path, input_dir: Path) -> None:
    """Remember the folder extracted from (a file's folder when one file was): the validate stage
    reads the evidence back from it."""
    root = input_dir.parent if input_dir.is_file() else input_dir
    path = out_dir / INPUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"input": str(root.resolve())}), encoding="utf-8")


def recorded_input(out_dir: Path) -> Path | None:
    path = out_dir / INPUT
    return Path(json.loads(path.read_text(encoding="utf-8"))["input"]) if path.exists() else None


def _column(out_dir: Path, table: str, column: str) -> list | None:
    path = out_dir / f"{table}.parquet"
    return pq.read_table(path, columns=[column]).column(column).to_pylist() if path.exists() else None


def run_line(out_dir: Path) -> str:
    """`N files: a ok / b partial / c failed / d unsupported / e duplicate; F forms, I indicators,
    A anomalies (...); T s`. StageError when the folder holds no complete run."""
    run_id = require_run(out_dir, optional={"anomalies": "validate", "unit_summary": "summarize"})
    statuses = Counter(_column(out_dir, "documents", "status") or [])
    forms, indicators = (len(_column(out_dir, t, "eval_id") or []) for t in ("evaluations", "indicators"))
    severities = _column(out_dir, "anomalies", "severity")
    timings = _timings(out_dir)
    timings = timings if timings.get("run_id") == run_id else {}
    if severities is None:
        anomalies = "anomalies not checked (run validate)"
    else:
        by_severity = ", ".join(f"{k} {v}" for k, v in sorted(Counter(severities).items()))
        anomalies = f"{len(severities)} anomalies ({by_severity or 'none'})"
    wall = " + ".join(f"{s} {timings[s]:.1f}" for s in STAGES if s in timings)
    total = sum(timings.get(s, 0.0) for s in STAGES)
    return (f"{sum(statuses.values())} files: " + " / ".join(f"{statuses[s]} {s}" for s in STATUSES)
            + f"; {forms} forms, {indicators} indicators, {anomalies}; wall {total:.1f} s ({wall})")
