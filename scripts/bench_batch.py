"""Batch benchmark (`make bench`): files/s, PDF pages/s, peak RSS, speed-up from 1 to 2 jobs,
and the time of a second, unchanged run, on synthetic corpora of N = 100 and N = 1000 files
(text in both sample layouts, and every tenth file a ruled PDF).

    python scripts/bench_batch.py [--sizes 100 1000] [--pdf-every 10] [--work DIR]
"""
from __future__ import annotations

import argparse
import os
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


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and its descendants now (0 once it is gone)."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


class PeakRSS:
    """Peak resident memory of this process and all its workers, sampled every 50 ms."""

    def __enter__(self):
        self.peak, self.done = 0, False
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while not self.done:
            self.peak = max(self.peak, tree_rss(os.getpid()))
            time.sleep(0.05)

    def __exit__(self, *exc):
        self.done = True
        self.thread.join()


def timed_run(raw: Path, out: Path, jobs: int) -> tuple[dict, float]:
    with PeakRSS() as rss:
        run = run_batch(raw, out, jobs=jobs, progress=False)
    return run, rss.peak / 2**20


def pdf_pages(paths: list[Path]) -> int:
    import pdfplumber

    total = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            total += len(pdf.pages)
    return total


def bench_pdf_pages(raw: Path, work: Path) -> None:
    """Pages/s of PDF extraction on one core: the corpus's PDFs alone."""
    pdfs = sorted(raw.rglob("*.pdf"))
    if not pdfs:
        return
    only = work / "pdf_only"
    shutil.rmtree(only, ignore_errors=True)
    only.mkdir()
    for path in pdfs:
        shutil.copy(path, only / path.name)
    run, peak = timed_run(only, work / "pdf_only_out", 1)
    pages = pdf_pages(pdfs)
    print(f"PDF only, jobs=1: {len(pdfs)} files, {pages} pages in {run['seconds']:.2f} s: "
          f"{pages / run['seconds']:.1f} pages/s, peak RSS {peak:.0f} MiB")
    shutil.rmtree(work / "pdf_only_out", ignore_errors=True)


def bench(size: int, work: Path, pdf_every: int) -> None:
    raw = work / f"raw{size}"
    started = time.perf_counter()
    build(raw, size, pdf_every)
    print(f"N={size:5d}: corpus built in {time.perf_counter() - started:.1f} s "
          f"({len(list(raw.rglob('*.pdf')))} PDFs)")
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
    bench_pdf_pages(raw, work)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--pdf-every", type=int, default=10, help="every K-th file a PDF (0: none)")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    print(f"cores {psutil.cpu_count()}, samples {[p.name for p in sorted((Path('raw')).glob('0*.txt'))]}")
    for size in args.sizes:
        bench(size, work, args.pdf_every)
    if args.work is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
