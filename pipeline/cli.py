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


def cmd_docs(args: argparse.Namespace) -> int:
    import schemas

    path = Path(args.readme)
    current = path.read_text(encoding="utf-8")
    fresh = schemas.readme_with_tables(current)
    if args.check:
        print("README tables are current" if fresh == current else "README tables are stale: run `make docs`")
        return int(fresh != current)
    path.write_text(fresh, encoding="utf-8")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="read disclosures and write the curated tables")
    p.add_argument("input", help="folder of disclosures (raw/)")
    p.add_argument("--out", default="curated/", help="output folder (default curated/)")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("docs", help="regenerate the README's table documentation from schemas/")
    p.add_argument("--readme", default="README.md")
    p.add_argument("--check", action="store_true", help="only report whether the README is current")
    p.set_defaults(func=cmd_docs)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
