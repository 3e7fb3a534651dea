#!/usr/bin/env python3
"""Benchmark PDF extraction: pages per second and peak memory on the rendered samples.

    PYTHONPATH=. python scripts/bench_pdf.py [--repeat 3] [pdf ...]

Without arguments it renders the 相山区 sample (raw/000_*.txt) in the test layouts, the 安岳县
gold annotations (when ../shared/gold is present) and the 安岳县 text's forms as ruled tables,
and the 安岳县 text as flowing lines, and times ``parsers.readers.pdf.read_pdf``
(PDF bytes -> blocks) and the whole parse (blocks -> form records) on one core. Not a test:
timings depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers.readers.pdf import read_pdf  # noqa: E402
from parsers.recognizers import recognize  # noqa: E402


def rendered_samples() -> dict[str, bytes]:
    from tests import test_pdf
    from tests.pdf_fixtures import render_gold, render_lines, render_parsed

    samples = {f"000 {name}": test_pdf.xiangshan_pdf(name) for name in sorted(test_pdf.VARIANTS)}
    gold = ROOT.parent / "shared" / "gold" / "003_78bee95101de8744.gold.json"
    if gold.exists():
        samples["003 ruled (from gold)"] = render_gold(gold)
    text = ROOT / "raw" / "003_78bee95101de8744.txt"
    if text.exists():
        from parsers.readers.text_lines import read_text_lines
        from parsers.recognizers import recognize

        lines = read_text_lines(text.read_text(encoding="utf-8"))
        samples["003 ruled (from its text)"] = render_parsed(recognize(lines))
        samples["003 flowing text (no rulings)"] = render_lines(text.read_text(encoding="utf-8").splitlines())
    return samples


def page_count(data: bytes) -> int:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def timed(data: bytes, repeat: int) -> tuple[float, float]:
    """(best seconds for read_pdf, best seconds for read_pdf + recognize)."""
    read = parse = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        blocks = read_pdf(data)
        middle = time.perf_counter()
        recognize(blocks)
        end = time.perf_counter()
        read, parse = min(read, middle - start), min(parse, end - start)
    return read, parse


def peak_python_memory(data: bytes) -> float:
    tracemalloc.start()
    recognize(read_pdf(data))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path, help="PDF files (default: the rendered samples)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per file; the best is reported")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    samples = {p.name: p.read_bytes() for p in args.pdfs} if args.pdfs else rendered_samples()
    read_pdf(next(iter(samples.values())))  # warm up imports and CMaps
    rss_before = max_rss_mib()
    total_pages = total_read = total_parse = 0.0
    print(f"{'sample':34} {'pages':>5} {'read p/s':>9} {'parse p/s':>9} {'peak MiB':>9}  (Python heap, tracemalloc)")
    for name, data in samples.items():
        pages = page_count(data)
        read, parse = timed(data, args.repeat)
        peak = peak_python_memory(data)
        total_pages, total_read, total_parse = total_pages + pages, total_read + read, total_parse + parse
        print(f"{name:34} {pages:5d} {pages / read:9.1f} {pages / parse:9.1f} {peak:9.1f}")
    print(f"{'all':34} {int(total_pages):5d} {total_pages / total_read:9.1f} {total_pages / total_parse:9.1f}")
    print(f"process max RSS {rss_before:.0f} MiB after rendering the samples, {max_rss_mib():.0f} MiB after reading")
    return 0


if __name__ == "__main__":
    sys.exit(main())
