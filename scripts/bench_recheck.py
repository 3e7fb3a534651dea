"""What a change to the check code costs `extract`: on a copy of the tables and cache that
`scripts/bench_stages.py` extracted (its --work folder), extract again as if the check code had
changed (its fingerprint replaced; the workers are forked with it), so every file's stored rows are
checked again and none is read. Prints wall and CPU seconds (this process and its workers), how
many files were parsed and checked again, and the cache's size before and after.

    python scripts/bench_recheck.py --work DIR [--sizes 1200] [--jobs 2]
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_stages import folder_size  # noqa: E402


def cpu_seconds() -> float:
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                                         resource.RUSAGE_CHILDREN)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", type=Path, required=True, help="bench_stages.py's --work folder")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1200])
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    from pipeline import cache
    from pipeline.batch import run_batch

    cache.check_fingerprint = lambda: "changed check code"  # what a change to pipeline/checks does to it
    for size in args.sizes:
        raw, out = args.work / f"raw{size}", args.work / f"out{size}"
        with tempfile.TemporaryDirectory(prefix="jixiao-recheck-") as scratch:
            copy = Path(scratch) / "out"
            shutil.copytree(out, copy)
            before = folder_size(copy / cache.CACHE_DIR) / 2**20
            cpu, started = cpu_seconds(), time.perf_counter()
            run = run_batch(raw, copy, jobs=args.jobs, progress=False)
            wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            after = folder_size(copy / cache.CACHE_DIR) / 2**20
        print(f"N={size:5d} extract after a check-code change: {wall:7.2f} s wall, {cpu:7.2f} s CPU; parsed "
              f"{run['parsed']}, checked again {run['checked_again']}; cache {before:.1f} -> {after:.1f} MiB",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
