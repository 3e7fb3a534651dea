"""The last run in an output folder: each stage's wall time, and the run's one-line result."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

STAGES = ("extract", "validate", "summarize")
STATUSES = ("ok", "partial", "failed", "unsupported")
TIMINGS = Path(".cache") / "stages.json"
INPUT = Path(".cache") / "input.json"


def record_stage(out_dir: Path, stage: str, seconds: float) -> None:
    """Remember a stage's wall time; a new extract starts a new run."""
    path = out_dir / TIMINGS
    timings = {} if stage == "extract" or not path.exists() else json.loads(path.read_text(encoding="utf-8"))
    timings[stage] = round(seconds, 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(timings), encoding="utf-8")
    os.replace(tmp, path)


def record_input(out_dir: Path, input_dir: Path) -> None:
    """Remember the folder extracted from: the validate stage reads the evidence back from it."""
    path = out_dir / INPUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"input": str(input_dir.resolve())}), encoding="utf-8")


def recorded_input(out_dir: Path) -> Path | None:
    path = out_dir / INPUT
    return Path(json.loads(path.read_text(encoding="utf-8"))["input"]) if path.exists() else None


def _column(out_dir: Path, table: str, column: str) -> list | None:
    path = out_dir / f"{table}.parquet"
    return pq.read_table(path, columns=[column]).column(column).to_pylist() if path.exists() else None


def run_line(out_dir: Path) -> str:
    """`N files: a ok / b partial / c failed / d unsupported; F forms, I indicators, A anomalies (...); T s`."""
    statuses = Counter(_column(out_dir, "documents", "status") or [])
    forms, indicators = (len(_column(out_dir, t, "eval_id") or []) for t in ("evaluations", "indicators"))
    severities = _column(out_dir, "anomalies", "severity")
    path = out_dir / TIMINGS
    timings = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if severities is None:
        anomalies = "anomalies not checked (run validate)"
    else:
        by_severity = ", ".join(f"{k} {v}" for k, v in sorted(Counter(severities).items()))
        anomalies = f"{len(severities)} anomalies ({by_severity or 'none'})"
    wall = " + ".join(f"{s} {timings[s]:.1f}" for s in STAGES if s in timings)
    total = sum(timings.get(s, 0.0) for s in STAGES)
    return (f"{sum(statuses.values())} files: " + " / ".join(f"{statuses[s]} {s}" for s in STATUSES)
            + f"; {forms} forms, {indicators} indicators, {anomalies}; wall {total:.1f} s ({wall})")
