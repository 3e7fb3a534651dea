"""Batch benchmark (`make bench`): files/s, peak RSS, speed-up from 1 to 2 jobs, and the time of
a second, unchanged run, on synthetic corpora of N = 100 and N = 1000 files.

    python scripts/bench_batch.py [--sizes 100 1000] [--work DIR]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.batch import run_batch  # noqa: E402
from scripts.synth_corpus import build  # noqa: E402


class PeakRSS:
    """Peak resident memory of this process and all its workers, sampled every 50 ms."""

    def __enter__(self):
        self.peak, self.done = 0, False
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        me = psutil.Process()
        while not self.done:
            procs = [me, *me.children(recursive=True)]
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __exit__(self, *exc):
        self.done = True
        self.thread.join()


def timed_run(raw: Path, out: Path, jobs: int) -> tuple[dict, float]:
    with PeakRSS() as rss:
        run = run_batch(raw, out, jobs=jobs, progress=False)
    return run, rss.peak / 2**20


def bench(size: int, work: Path) -> None:
    raw = work / f"raw{size}"
    build(raw, size)
    results = {}
    for jobs in (1, 2):
        out = work / f"out{size}_j{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        run, peak = timed_run(raw, out, jobs)
        results[jobs] = run["seconds"]
        print(f"N={size:5d} jobs={jobs}: {run['seconds']:7.2f} s, {size / run['seconds']:7.1f} files/s, "
              f"peak RSS {peak:6.0f} MiB, {run['rows']['evaluations']} forms, {run['rows']['indicators']} indicators")
    again, peak = timed_run(raw, work / f"out{size}_j2", 2)
    print(f"N={size:5d} speed-up 1 -> 2 jobs: {results[1] / results[2]:.2f}x; second unchanged run "
          f"{again['seconds']:.2f} s ({100 * again['seconds'] / results[2]:.1f}% of the first, "
          f"reused {again['reused']}, peak RSS {peak:.0f} MiB)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    print(f"cores {psutil.cpu_count()}, samples {[p.name for p in sorted((Path('raw')).glob('0*.txt'))]}")
    for size in args.sizes:
        bench(size, work)
    if args.work is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
