"""Check frames: one row per thing a rule can check, derived from the curated tables.

Each row says what was observed (as printed), what the document's own figures imply, and the two
numbers behind a verdict: ``deviation`` (how far apart), ``tolerance`` (what printed precision
allows, see ``pipeline.precision``) and ``gap`` (how far outside the tolerance; the suites expect
it to be <= 0). Whether a row passes is for the Great Expectations suites to decide; nothing here
flags anything. Rows carry the evidence (the printed figures, quoted) and where they
are printed.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from pipeline import precision as P
from pipeline.checks import consistency, department, execution, indicators, scores  # noqa: F401 - they declare rules
from pipeline.checks.base import Tables
from pipeline.checks.names import title_project
from pipeline.rules import DOCUMENT, FORM, RULES

__all__ = ["CHECK_COLUMNS", "check_frames", "check_rows", "title_project"]

CHECK_COLUMNS = ("check_id", "rule_id", "doc_id", "eval_id", "project", "field", "field_en", "observed",
                 "expected", "deviation", "tolerance", "gap", "gap_as_printed", "evidence", "source_page",
                 "source_line", "cites")


def run_check(check: Callable, args: tuple, problems: list[str]) -> list[dict]:
    """A check's rows, each saying whether all the amounts it read were whole numbers. Odd data
    that breaks one check is noted and skips only that check."""
    try:
        with P.noting_decimals() as decimals:
            rows = list(check(*args))
    except Exception as exc:  # noqa: BLE001 - one odd form must not stop the validation
        where = args[1].get("eval_id") if len(args) > 1 else "all documents"
        problems.append(f"{check.__name__} on {where}: {type(exc).__name__}: {exc}")
        return []
    for r in rows:
        r["whole_amounts"] = not any(decimals)
    return rows


def check_rows(tables: dict[str, list[dict]], problems: list[str] | None = None) -> list[dict]:
    """Every check row of every rule, with a stable check_id and ``gap_as_printed``: the gap
    when the check read whole-number amounts only and these are read at their own precision
    (see ``pipeline.precision``), else the gap. Checks that could not run are in ``problems``."""
    problems = [] if problems is None else problems
    rows = rows_of(Tables(tables), problems)
    with P.whole_numbers_as_printed():
        as_printed = {r["check_id"]: r["gap"] for r in rows_of(Tables(tables), [])}
    for r in rows:
        r["gap_as_printed"] = as_printed.get(r["check_id"], r["gap"]) if r["whole_amounts"] else r["gap"]
    return rows


def rows_of(t: Tables, problems: list[str]) -> list[dict]:
    per_form = [r.check for r in RULES.values() if r.scope == FORM]
    per_document = [r.check for r in RULES.values() if r.scope == DOCUMENT]
    rows = [r for ev in t.evaluations for check in per_form for r in run_check(check, (t, ev), problems)]
    rows += [r for check in per_document for r in run_check(check, (t,), problems)]
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        base = f"{r['rule_id']}:{r['eval_id'] or r['doc_id']}"
        counts[base] += 1
        r["check_id"] = f"{base}:{counts[base]}"
    return rows


def check_frames(tables: dict[str, list[dict]], problems: list[str] | None = None) -> dict[str, list[dict]]:
    """Check rows grouped by rule family (one frame per suite)."""
    frames: dict[str, list[dict]] = {}
    for r in check_rows(tables, problems):
        frames.setdefault(RULES[r["rule_id"]].family, []).append({k: r[k] for k in CHECK_COLUMNS})
    return frames
