"""``python -m pipeline``: parses arguments and calls the library; nothing else."""
from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from pipeline.runlog import STATUSES, record_input, record_stage, run_line


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.batch import run_batch

    run = run_batch(Path(args.input), Path(args.out), jobs=args.jobs, executor=args.executor,
                    scheduler=args.scheduler, timeout=args.timeout)
    record_stage(Path(args.out), "extract", run["seconds"])
    record_input(Path(args.out), Path(args.input))
    statuses = Counter(d["status"] for d in run["documents"])
    print(f"{len(run['documents'])} files: " + " / ".join(f"{statuses[s]} {s}" for s in STATUSES)
          + f"; {run['rows']['evaluations']} forms, {run['rows']['indicators']} indicators; "
          f"parsed {run['parsed']}, reused {run['reused']}; {run['seconds']:.2f} s -> {args.out}")
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


def cmd_summarize(args: argparse.Namespace) -> int:
    from pipeline.summarize import summarize

    expected: tuple[type[Exception], ...] = (FileNotFoundError,)
    if not args.no_report:
        from pipeline.report import MissingCJKFont

        expected += (MissingCJKFont,)
    started = time.perf_counter()
    try:
        result = summarize(Path(args.out), report=not args.no_report, lang=args.lang)
        record_stage(Path(args.out), "summarize", time.perf_counter() - started)
    except expected as exc:  # no tables yet, or no CJK font: a clear message and a failing exit status
        raise SystemExit(f"summarize: {exc}") from exc
    print(f"{len(result['units'])} units, {len(result['projects'])} projects -> "
          f"{Path(args.out) / 'unit_summary.parquet'}" + (f", {result['report']}" if result["report"] else ""))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from pipeline.validate import EXPECTATIONS_DIR, validate

    started = time.perf_counter()
    report = validate(Path(args.out), Path(args.suites) if args.suites else EXPECTATIONS_DIR,
                      raw=Path(args.raw) if args.raw else None,
                      reviews_path=Path(args.reviews) if args.reviews else None, lang=args.lang)
    record_stage(Path(args.out), "validate", time.perf_counter() - started)
    by_severity = Counter(a["severity"] for a in report["anomalies"])
    print(f"{report['checks']} checks, {len(report['anomalies'])} anomalies "
          f"({', '.join(f'{k} {v}' for k, v in sorted(by_severity.items())) or 'none'}) -> "
          f"{Path(args.out) / 'anomalies.parquet'}, {Path(args.out) / 'reports'}")
    evidence = report["evidence"]
    print(f"evidence: {evidence['quoted']} quoted from the source files, {evidence['images']} with page images, "
          f"{evidence['not_found']} without the source file at hand")
    for problem in report["problems"]:
        print(f"check not run: {problem}")
    for problem in report["review_problems"]:
        print(f"review not applied: {problem}")
    for review in report["stale_reviews"]:
        print(f"stale review: {review['anomaly_id']} ({review['decision']}): its anomaly is gone")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from pipeline.diff import diff_anomalies, diff_lines, load_anomalies

    try:
        result = diff_anomalies(load_anomalies(Path(args.old)), load_anomalies(Path(args.new)))
    except FileNotFoundError as exc:
        raise SystemExit(f"diff: {exc}") from exc
    print("\n".join(diff_lines(result)))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    print(run_line(Path(args.out)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="read disclosures and write the curated tables")
    p.add_argument("input", help="folder of disclosures (raw/)")
    p.add_argument("--out", default="curated/", help="output folder (default curated/)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local process pool, or a Dask cluster (see --scheduler)")
    p.add_argument("--scheduler", default=None,
                   help="Dask scheduler address (tcp://host:8786); default: a local cluster")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds one file may take (default 120)")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("validate", help="check the curated tables' arithmetic and write the anomaly list")
    p.add_argument("--out", default="curated/", help="folder of the curated tables, written to (default curated/)")
    p.add_argument("--suites", help="folder of expectation suites (default: the repository's expectations/)")
    p.add_argument("--raw", help="folder of the source files, for the evidence (default: the one last extracted)")
    p.add_argument("--reviews", help="reviewers' decisions (default: <out>/reviews.csv; see pipeline/reviews.py)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="page labels and messages: zh (Chinese with English beside) or en")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("diff", help="anomalies new, resolved and changed between two output folders")
    p.add_argument("old", help="output folder of the earlier run")
    p.add_argument("new", help="output folder of the later run")
    p.set_defaults(func=cmd_diff)
    p = sub.add_parser("summarize", help="compare units: unit_summary.parquet and reports/summary.html")
    p.add_argument("--out", default="curated/", help="folder of the curated tables, written to (default curated/)")
    p.add_argument("--no-report", action="store_true", help="write unit_summary.parquet only, no HTML")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="page labels: zh (with English) or en")
    p.set_defaults(func=cmd_summarize)
    p = sub.add_parser("status", help="the one-line result of the last run in an output folder")
    p.add_argument("--out", default="curated/", help="folder of the curated tables (default curated/)")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("docs", help="regenerate the README's table documentation from schemas/")
    p.add_argument("--readme", default="README.md")
    p.add_argument("--check", action="store_true", help="only report whether the README is current")
    p.set_defaults(func=cmd_docs)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
