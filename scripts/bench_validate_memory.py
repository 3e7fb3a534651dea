"""Validate alone on the tables `scripts/bench_stages.py` extracted (its --work folder), so the
memory of validate can be measured without extracting 1,200 documents again: per size, wall and
CPU seconds and peak RSS of `python -m pipeline validate` (its freshness record removed first, so
it runs in full), the median of --repeat runs.

    python scripts/bench_validate_memory.py --work DIR [--sizes 40 400 1200] [--repeat 1]

The check table is used as extract stored it only while the check code is the one that wrote it;
after a change to pipeline/checks validate computes it again (more memory, and not what this measures).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_stages import run, stage_command  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", type=Path, required=True, help="bench_stages.py's --work folder")
    ap.add_argument("--sizes", type=int, nargs="+", default=[40, 400, 1200])
    ap.add_argument("--repeat", type=int, default=1, help="runs per figure (median)")
    args = ap.parse_args()
    for size in args.sizes:
        raw, out = args.work / f"raw{size}", args.work / f"out{size}"
        if not (out / "checks.parquet").exists():
            print(f"N={size:5d}: no tables in {out} (run scripts/bench_stages.py --work {args.work} first)")
            continue
        runs = []
        for _ in range(args.repeat):
            shutil.rmtree(out / ".cache" / "stages", ignore_errors=True)
            runs.append(run([*stage_command("validate", raw, out), "--raw", str(raw)]))
        r = {k: statistics.median(x[k] for x in runs) for k in runs[0]}
        print(f"N={size:5d} validate: {r['wall']:7.2f} s wall, {r['cpu']:7.2f} s CPU, peak RSS {r['rss']:6.0f} MiB",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
