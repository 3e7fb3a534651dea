"""``jixiao`` (or ``python -m pipeline``): parses arguments and calls the library; nothing else.

Exit codes: 0 done; 1 done, but ``--fail-on`` found what it names (a failed file, an anomaly of
that severity); 2 the stage could not run (bad arguments, a missing or empty input, tables
missing or of another run, an output folder busy, read-only or full); 130 interrupted.
"""
from __future__ import annotations

import argparse
import re
import signal
import sys
import time
from collections import Counter
from pathlib import Path

from pipeline.memory import choose_allocators

choose_allocators()  # before pyarrow loads (pipeline.runlog imports it): it picks its allocator then
from pipeline.runlog import STATUSES, StageError, record_input, record_stage, run_line  # noqa: E402

EXIT_OK, EXIT_FOUND, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
FAIL_ON = ("failed", "error", "warning")  # what --fail-on may name, most severe first
SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


class Quietable:
    """Where a stage's messages go: its result line on stdout unless -q, details on stderr with -v."""

    def __init__(self, args: argparse.Namespace):
        self.verbosity = args.verbose - args.quiet

    def result(self, line: str) -> None:
        if self.verbosity >= 0:
            print(line)

    def note(self, line: str) -> None:
        if self.verbosity >= 0:
            print(line, file=sys.stderr)

    def detail(self, line: str) -> None:
        if self.verbosity > 0:
            print(line, file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.batch import run_batch

    say = Quietable(args)
    run = run_batch(Path(args.input), Path(args.out), jobs=args.jobs, executor=args.executor,
                    scheduler=args.scheduler, timeout=args.timeout, max_memory=args.max_memory or None,
                    allow_empty=args.allow_empty, retry_failed=args.retry_failed, page_timeout=args.page_timeout)
    record_stage(Path(args.out), "extract", run["seconds"], run["run_id"])
    record_input(Path(args.out), Path(args.input))
    for problem in run["manifest_problems"]:
        say.note(f"warning: {problem}")
    for doc in run["documents"]:
        if doc["status"] in ("failed", "unsupported", "partial"):
            say.detail(f"{doc['status']}: {doc['source_path']}: {doc['error']}")
    statuses = Counter(d["status"] for d in run["documents"])
    say.result(f"{len(run['documents'])} files: " + " / ".join(f"{statuses[s]} {s}" for s in STATUSES)
               + f"; {run['rows']['evaluations']} forms, {run['rows']['indicators']} indicators; "
               f"parsed {run['parsed']}, reused {run['reused']}"
               + (f" ({run['checked_again']} checked again)" if run["checked_again"] else "")
               + f"; {run['seconds']:.2f} s -> {args.out}")
    return EXIT_FOUND if args.fail_on == "failed" and statuses["failed"] else EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    import schemas

    path = Path(args.readme)
    current = path.read_text(encoding="utf-8")
    fresh = schemas.readme_with_tables(current)
    if args.check:
        print("README tables are current" if fresh == current else "README tables are stale: run `make docs`")
        return int(fresh != current)
    path.write_text(fresh, encoding="utf-8")
    return EXIT_OK


def cmd_suites(args: argparse.Namespace) -> int:
    from pipeline import suites

    if args.check:
        drift = suites.stale()
        print("suites are current" if not drift else "stale: " + ", ".join(p.name for p in drift)
              + " (run `make suites`)")
        return int(bool(drift))
    written = suites.write_suites()
    print(f"{len(written)} files -> {suites.EXPECTATIONS_DIR}")
    return 0


def cmd_summarize(args: argparse.Namespace) -> int:
    from pipeline.freshness import summarize_inputs, unchanged

    started, out = time.perf_counter(), Path(args.out)
    result = unchanged(out, "summarize", summarize_inputs(out, not args.no_report, args.lang), not args.no_report)
    if result is None:
        from pipeline.summarize import summarize

        try:
            with held(out):
                result = summarize(out, report=not args.no_report, lang=args.lang)["summary"]
        except Exception as exc:
            if type(exc).__name__ == "MissingCJKFont":  # pipeline.report, imported only when reporting
                raise StageError(str(exc)) from exc
            raise
    record_stage(out, "summarize", time.perf_counter() - started, result["run_id"])
    Quietable(args).result(f"{result['units']} units, {result['projects']} projects -> "
                           f"{out / 'unit_summary.parquet'}" + (f", {result['report']}" if result["report"] else ""))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from expectations import FOLDER as EXPECTATIONS_DIR
    from pipeline.freshness import unchanged, validate_inputs
    from pipeline.reviews import REVIEWS_FILE
    from pipeline.runlog import recorded_input

    say = Quietable(args)
    started, out = time.perf_counter(), Path(args.out)
    suites = Path(args.suites) if args.suites else EXPECTATIONS_DIR
    raw = Path(args.raw) if args.raw else recorded_input(out)
    reviews = Path(args.reviews) if args.reviews else out / REVIEWS_FILE
    report = unchanged(out, "validate", validate_inputs(out, suites, raw, reviews, args.lang, args.gx))
    if report is None:
        from pipeline.validate import validate

        with held(out):
            report = validate(out, suites, raw=raw, reviews_path=reviews, lang=args.lang, gx=args.gx,
                              with_anomalies=False)
    record_stage(out, "validate", time.perf_counter() - started, report["run_id"])
    by_severity = report["by_severity"]
    say.result(f"{report['checks']} checks, {sum(by_severity.values())} anomalies "
               f"({', '.join(f'{k} {v}' for k, v in sorted(by_severity.items())) or 'none'}) -> "
               f"{out / 'anomalies.parquet'}, {out / 'reports'}")
    evidence = report["evidence"]
    say.result(f"evidence: {evidence['quoted']} quoted from the source files, {evidence['images']} with page "
               f"images, {evidence['not_found']} without the source file at hand")
    for problem in report["problems"]:
        say.note(f"check not run: {problem}")
    for problem in report["review_problems"]:
        say.note(f"review not applied: {problem}")
    for review in report["stale_reviews"]:
        say.note(f"stale review: {review['anomaly_id']} ({review['decision']}): its anomaly is gone")
    return EXIT_FOUND if fails_on(args.fail_on, Counter(by_severity), out) else EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from pipeline.diff import diff_anomalies, diff_lines, load_anomalies

    result = diff_anomalies(load_anomalies(Path(args.old)), load_anomalies(Path(args.new)))
    Quietable(args).result("\n".join(diff_lines(result)))
    return EXIT_OK


def held(out_dir: Path):
    """The output folder's lock while a stage writes to it (none for a folder that is not there:
    the stage says so)."""
    from contextlib import nullcontext

    from pipeline.cache import out_lock

    return out_lock(out_dir) if out_dir.is_dir() else nullcontext()


def fails_on(level: str | None, by_severity: Counter, out_dir: Path) -> bool:
    """Whether validate's result meets ``--fail-on``: a failed file, or an anomaly at least as severe."""
    if level is None:
        return False
    if level == "failed":
        import pyarrow.parquet as pq

        return "failed" in pq.read_table(out_dir / "documents.parquet", columns=["status"]).column(0).to_pylist()
    return bool(by_severity["error"] or (level == "warning" and by_severity["warning"]))


def cmd_run(args: argparse.Namespace) -> int:
    """extract, validate, summarize and status in one process: one start-up, not four."""
    return max(cmd(args) for cmd in (cmd_extract, cmd_validate, cmd_summarize, cmd_status))


def cmd_status(args: argparse.Namespace) -> int:
    print(run_line(Path(args.out)))
    return EXIT_OK


def positive(kind: type):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
        return value
    return parse


def byte_size(text: str) -> int:
    """`2G`, `512M`, `1.5GiB`, a number of bytes, or 0 for no ceiling."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", text, flags=re.I)
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size (e.g. 2G, 512M)")
    size = int(float(m[1]) * SIZE_UNITS[m[2].upper()])
    if 0 < size < 64 << 20:
        raise argparse.ArgumentTypeError(f"{text!r} is too small for a worker (at least 64M, or 0 for none)")
    return size


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("jixiao")
    except PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    from pipeline.batch import DEFAULT_MAX_MEMORY, DEFAULT_PAGE_TIMEOUT, DEFAULT_TIMEOUT

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=0, help="say more (each file that is not ok)")
    common.add_argument("-q", "--quiet", action="count", default=0, help="say only what went wrong")
    parser = argparse.ArgumentParser(prog="jixiao", description=__doc__, parents=[common],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"jixiao {version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    out, reading, checking, summarizing = (argparse.ArgumentParser(add_help=False) for _ in range(4))
    out.add_argument("--out", default="curated/", help="folder of the curated tables, written to (default curated/)")
    reading.add_argument("input", help="folder of disclosures (raw/), or one file")
    reading.add_argument("--jobs", type=positive(int), default=None, help="worker processes (default: all cores)")
    reading.add_argument("--executor", choices=("local", "dask"), default="local",
                         help="local process pool, or a Dask cluster (see --scheduler)")
    reading.add_argument("--scheduler", default=None,
                         help="Dask scheduler address (tcp://host:8786); default: a local cluster")
    reading.add_argument("--timeout", type=positive(float), default=DEFAULT_TIMEOUT,
                         help=f"seconds one file may take (default {DEFAULT_TIMEOUT:g}), plus --page-timeout "
                              "per page OCR may read")
    reading.add_argument("--page-timeout", type=positive(float), default=DEFAULT_PAGE_TIMEOUT,
                         help="more seconds a PDF may take per page when the OCR extra is installed (any page "
                              f"may be a scan; default {DEFAULT_PAGE_TIMEOUT:g})")
    reading.add_argument("--max-memory", type=byte_size, default=DEFAULT_MAX_MEMORY,
                         help=f"memory ceiling per worker, e.g. 2G; 0 for none (default {DEFAULT_MAX_MEMORY >> 30}G)")
    reading.add_argument("--retry-failed", action="store_true",
                         help="read again the files that failed (timed out, too large) though unchanged")
    reading.add_argument("--allow-empty", action="store_true",
                         help="let a run that finds no forms replace tables that hold some")
    checking.add_argument("--suites", help="folder of expectation suites (default: the installed expectations/)")
    checking.add_argument("--raw",
                          help="folder of the source files, for the evidence (default: the one last extracted)")
    checking.add_argument("--reviews",
                          help="reviewers' decisions (default: <out>/reviews.csv; see pipeline/reviews.py)")
    checking.add_argument("--gx", action="store_true",
                          help="have Great Expectations itself evaluate the suites and write its results to "
                               "reports/validation (seconds slower; the verdict is the same)")
    summarizing.add_argument("--no-report", action="store_true", help="write unit_summary.parquet only, no HTML")
    for parents in ([checking], [summarizing]):
        parents[0].add_argument("--lang", choices=("zh", "en"), default="zh",
                                help="page labels and messages: zh (Chinese with English beside) or en")
    fail_on = "exit 1 when a file failed, or an anomaly is an error (or, for warning, a warning)"
    p = sub.add_parser("extract", parents=[common, reading, out], help="read disclosures and write the curated tables")
    p.add_argument("--fail-on", choices=("failed",), help="exit 1 when a file failed")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("validate", parents=[common, out, checking],
                       help="check the tables' arithmetic, write the anomaly list")
    p.add_argument("--fail-on", choices=FAIL_ON, help=fail_on)
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("run", parents=[common, reading, out, checking, summarizing], conflict_handler="resolve",
                       help="extract, validate and summarize in one process (what `make extract` runs); a stage "
                            "whose inputs are unchanged is skipped")
    p.add_argument("--fail-on", choices=FAIL_ON, help=fail_on)
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("diff", parents=[common], help="anomalies new, resolved and changed between two runs")
    p.add_argument("old", help="output folder of the earlier run")
    p.add_argument("new", help="output folder of the later run")
    p.set_defaults(func=cmd_diff)
    p = sub.add_parser("summarize", parents=[common, out, summarizing],
                       help="compare units: unit_summary.parquet, summary.html")
    p.set_defaults(func=cmd_summarize)
    p = sub.add_parser("suites", help="regenerate expectations/ from the rule declarations and rules.toml")
    p.add_argument("--check", action="store_true", help="only report whether the suites are current")
    p.set_defaults(func=cmd_suites)
    p = sub.add_parser("status", parents=[common], help="the one-line result of the last run in an output folder")
    p.add_argument("--out", default="curated/", help="folder of the curated tables (default curated/)")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("docs", parents=[common], help="regenerate the README's table documentation from schemas/")
    p.add_argument("--readme", default="README.md")
    p.add_argument("--check", action="store_true", help="only report whether the README is current")
    p.set_defaults(func=cmd_docs)
    return parser


def _terminate(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a run as Ctrl-C does: work done is kept


def main(argv: list[str] | None = None) -> int:
    """Run one command; every expected failure is one line on stderr and an exit code."""
    from pipeline.batch import InputError, Interrupted
    from pipeline.cache import Busy

    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    expected = (InputError, Busy, StageError, FileNotFoundError)
    try:
        return args.func(args)
    except Interrupted as exc:
        print(f"jixiao {args.command}: {exc}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print(f"jixiao {args.command}: interrupted; run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    except expected as exc:
        print(f"jixiao {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # a read-only or full output folder, a vanished input
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"jixiao {args.command}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
