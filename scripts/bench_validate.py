"""Validate benchmark: what the evidence costs (cells found in the raw files, PDF crops and
annotated copies) on a synthetic corpus of N files, every tenth a ruled PDF.

    python scripts/bench_validate.py [--size 200] [--pdf-every 10] [--work DIR]

Prints the validate wall time with the evidence and without it (no raw folder at hand), the
number of anomalies, quotes and page images, and the size of reports/evidence.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.batch import run_batch  # noqa: E402
from pipeline.validate import validate  # noqa: E402
from scripts.synth_corpus import build  # noqa: E402


def timed_validate(out: Path, raw: Path) -> tuple[dict, float]:
    started = time.perf_counter()
    result = validate(out, raw=raw)
    return result, time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=200)
    ap.add_argument("--pdf-every", type=int, default=10)
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-validate-"))
    raw, out = work / "raw", work / "out"
    shutil.rmtree(work / "raw", ignore_errors=True)
    build(raw, args.size, args.pdf_every)
    run_batch(raw, out, jobs=2)
    bare, bare_s = timed_validate(out, work / "no-raw-here")
    full, full_s = timed_validate(out, raw)
    evidence = out / "reports" / "evidence"
    size = sum(p.stat().st_size for p in evidence.rglob("*") if p.is_file())
    print(f"{args.size} files, {len(full['anomalies'])} anomalies: validate {full_s:.1f} s with evidence "
          f"({full['evidence']['quoted']} quoted, {full['evidence']['images']} with page images, "
          f"{size / 1e6:.1f} MB in reports/evidence), {bare_s:.1f} s without "
          f"({bare['evidence']['not_found']} without the source at hand)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
