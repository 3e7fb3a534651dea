"""Time the flow-text parser on one file, after imports (median of several runs).

    PYTHONPATH=$PWD python scripts/bench_flow_text.py [raw/003_78bee95101de8744.txt] [--runs 5]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from parsers.readers.text_lines import read_text_lines
from parsers.recognizers import recognize


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", nargs="?", default="raw/003_78bee95101de8744.txt")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    text = Path(args.path).read_text(encoding="utf-8-sig")
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = recognize(read_text_lines(text))
        times.append(time.perf_counter() - start)
    items = sum(len(f["items"]) for f in result["forms"])
    print(f"{args.path}: {len(text.splitlines())} lines, {len(result['forms'])} forms, {items} items, "
          f"{len(result['claims'])} claims; parse median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
