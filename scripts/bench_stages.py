"""Stage benchmark (`make bench`): extract, validate and summarize on one synthetic corpus of
N = 40 / 400 / 1,200 documents, each stage a fresh `python -m pipeline` process as `make extract`
runs it. Per stage and size: wall seconds, CPU seconds (the stage and its workers), files/s,
peak RSS (the stage's process tree, sampled every 50 ms) and the marginal CPU cost per document between sizes, so
super-linear growth shows as a marginal cost that rises with N. Then the start-up: a fresh and an
unchanged `extract` on raw/ against `python -c "import pyarrow.parquet, pdfplumber"`.

    python scripts/bench_stages.py [--sizes 40 400 1200] [--pdf-every 10] [--repeat 1] [--work DIR]

The machine may be shared: with --repeat R each figure is the median of R runs.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_batch import tree_rss  # noqa: E402
from scripts.synth_corpus import build  # noqa: E402

STAGES = ("extract", "validate", "summarize")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str]) -> dict:
    """Wall s, CPU s and peak RSS (MiB) of one command and everything it starts (not this script)."""
    cpu, started = children_cpu(), time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.05)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args)
    return {"wall": time.perf_counter() - started, "cpu": children_cpu() - cpu, "rss": peak / 2**20}


def stage_command(stage: str, raw: Path, out: Path) -> list[str]:
    head = [sys.executable, "-m", "pipeline", stage]
    return [*head, str(raw), "--out", str(out)] if stage == "extract" else [*head, "--out", str(out)]


def median_runs(stage: str, raw: Path, out: Path, repeat: int) -> dict:
    """Median figures of ``repeat`` full runs of one stage (extract always from an empty cache)."""
    runs = []
    for _ in range(repeat):
        if stage == "extract":
            shutil.rmtree(out, ignore_errors=True)
        runs.append(run(stage_command(stage, raw, out)))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def bench_sizes(sizes: list[int], work: Path, pdf_every: int, repeat: int) -> dict[int, dict]:
    results: dict[int, dict] = {}
    for size in sizes:
        raw, out = work / f"raw{size}", work / f"out{size}"
        build(raw, size, pdf_every)
        results[size] = {stage: median_runs(stage, raw, out, repeat) for stage in STAGES}
        results[size]["cache"] = folder_size(out / ".cache") / 2**20
        results[size]["tables"] = sum(p.stat().st_size for p in out.glob("*.parquet")) / 2**20
        print_size(size, results[size], results)
    return results


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def print_size(size: int, result: dict, results: dict[int, dict]) -> None:
    before = [n for n in results if n < size]
    for stage in STAGES:
        r = result[stage]
        marginal = ""
        if before:
            prev = results[before[-1]][stage]
            marginal = f", marginal {1000 * (r['cpu'] - prev['cpu']) / (size - before[-1]):6.1f} ms CPU/doc"
        print(f"N={size:5d} {stage:9s}: {r['wall']:7.2f} s wall, {r['cpu']:7.2f} s CPU, "
              f"{size / r['wall']:7.1f} files/s, peak RSS {r['rss']:6.0f} MiB{marginal}", flush=True)
    share = (result["validate"]["cpu"] + result["summarize"]["cpu"]) / result["extract"]["cpu"]
    print(f"N={size:5d} validate+summarize CPU = {100 * share:.0f}% of extract's; cache {result['cache']:.1f} MiB, "
          f"tables {result['tables']:.1f} MiB ({result['cache'] / max(result['tables'], 1e-9):.1f}x)", flush=True)


def bench_startup(work: Path, repeat: int) -> None:
    """A fresh and an unchanged extract on raw/ against the bare import of its libraries."""
    imports = [run([sys.executable, "-c", "import pyarrow.parquet, pdfplumber"]) for _ in range(repeat)]
    out = work / "startup"
    fresh, again = [], []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        fresh.append(run(stage_command("extract", ROOT / "raw", out)))
        again.append(run(stage_command("extract", ROOT / "raw", out)))
    for name, runs in (("import pyarrow.parquet, pdfplumber", imports), ("extract raw/ (fresh)", fresh),
                       ("extract raw/ (unchanged)", again)):
        print(f"start-up {name:36s}: {statistics.median(r['wall'] for r in runs):5.2f} s wall, "
              f"{statistics.median(r['cpu'] for r in runs):5.2f} s CPU (median of {repeat})", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[40, 400, 1200])
    ap.add_argument("--pdf-every", type=int, default=10, help="every K-th file a PDF (0: none)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per figure (median)")
    ap.add_argument("--startup-repeat", type=int, default=5)
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="jixiao-stages-"))
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}, python {sys.executable}", flush=True)
    bench_startup(work, args.startup_repeat)
    bench_sizes(args.sizes, work, args.pdf_every, args.repeat)
    if args.work is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
