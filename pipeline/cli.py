"""``python -m pipeline``: parses arguments and calls the library; nothing else."""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.extract import extract

    tables = extract(Path(args.input), Path(args.out))
    statuses = Counter(d["status"] for d in tables["documents"])
    print(f"{len(tables['documents'])} files ({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}), "
          f"{len(tables['evaluations'])} forms, {len(tables['indicators'])} indicators -> {args.out}")
    return 0


def cmd_summarize(args: argparse.Namespace) -> int:
    from pipeline.summarize import summarize

    expected: tuple[type[Exception], ...] = (FileNotFoundError,)
    if not args.no_report:
        from pipeline.report import MissingCJKFont

        expected += (MissingCJKFont,)
    try:
        result = summarize(Path(args.out), report=not args.no_report)
    except expected as exc:  # no tables yet, or no CJK font: a clear message and a failing exit status
        raise SystemExit(f"summarize: {exc}") from exc
    print(f"{len(result['units'])} units, {len(result['projects'])} projects -> "
          f"{Path(args.out) / 'unit_summary.parquet'}" + (f", {result['report']}" if result["report"] else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="read disclosures and write the curated tables")
    p.add_argument("input", help="folder of disclosures (raw/)")
    p.add_argument("--out", default="curated/", help="output folder (default curated/)")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("summarize", help="compare units: unit_summary.parquet and reports/summary.html")
    p.add_argument("--out", default="curated/", help="folder of the curated tables, written to (default curated/)")
    p.add_argument("--no-report", action="store_true", help="write unit_summary.parquet only, no HTML")
    p.set_defaults(func=cmd_summarize)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
