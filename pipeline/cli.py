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


def cmd_validate(args: argparse.Namespace) -> int:
    from pipeline.validate import EXPECTATIONS_DIR, validate

    report = validate(Path(args.curated), Path(args.suites) if args.suites else EXPECTATIONS_DIR)
    by_severity = Counter(a["severity"] for a in report["anomalies"])
    print(f"{report['checks']} checks, {len(report['anomalies'])} anomalies "
          f"({', '.join(f'{k} {v}' for k, v in sorted(by_severity.items())) or 'none'}) -> "
          f"{Path(args.curated) / 'anomalies.parquet'}, {Path(args.curated) / 'reports'}")
    for problem in report["problems"]:
        print(f"check not run: {problem}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="read disclosures and write the curated tables")
    p.add_argument("input", help="folder of disclosures (raw/)")
    p.add_argument("--out", default="curated/", help="output folder (default curated/)")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("validate", help="check the curated tables' arithmetic and write the anomaly list")
    p.add_argument("curated", nargs="?", default="curated/", help="folder of curated tables (default curated/)")
    p.add_argument("--suites", help="folder of expectation suites (default: the repository's expectations/)")
    p.set_defaults(func=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
