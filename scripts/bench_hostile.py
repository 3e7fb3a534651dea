"""Hostile files: wall time and peak RSS (this process and its workers) of extracting each one,
next to the sample, under the default bounds and memory ceiling.

    python scripts/bench_hostile.py [--jobs 2]
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
from scripts.bench_batch import PeakRSS  # noqa: E402
from tests.hostile import deep_html, html_colspan_bomb, pdf_stream_bomb, xlsx_corner_bomb  # noqa: E402

HOSTILE = {"span.html": html_colspan_bomb, "corner.xlsx": xlsx_corner_bomb, "bomb.pdf": pdf_stream_bomb,
           "deep.html": lambda: deep_html(5000, "<table><tr><td>项目名称</td></tr></table>")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jixiao-hostile-"))
    try:
        for name, build in HOSTILE.items():
            raw = work / name / "raw"
            raw.mkdir(parents=True)
            data = build()
            (raw / name).write_bytes(data)
            started = time.perf_counter()
            with PeakRSS() as rss:
                run = run_batch(raw, work / name / "out", jobs=args.jobs, progress=False)
            doc = run["documents"][0]
            print(f"{name:12} {len(data):>9,} bytes  {time.perf_counter() - started:6.2f} s  "
                  f"peak RSS {rss.peak / 2**20:7.0f} MiB  {doc['status']}: {doc['error']}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
