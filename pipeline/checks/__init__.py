"""The check table: one row per thing a rule can check, derived from the curated tables.

Each row says what was observed (as printed), what the document's own figures imply, and the two
numbers behind a verdict: ``deviation`` (how far apart), ``tolerance`` (what printed precision
allows, see ``pipeline.precision``) and ``gap`` (how far outside the tolerance; the suites expect
it to be <= 0). Whether a row passes is for the Great Expectations suites to decide; nothing here
flags anything. Rows carry the evidence (the printed figures, quoted) and where they
are printed.

The rules of one form or one document run per document, with its extraction (``document_checks``,
in the worker; the rows are cached with the document's); the rules across documents run at the
end, one group of forms at a time (``corpus_checks``).
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import schemas
from pipeline import precision as P
from pipeline.checks import consistency, department, execution, indicators, scores  # noqa: F401 - they declare rules
from pipeline.checks.base import Tables
from pipeline.checks.names import title_project
from pipeline.rules import CORPUS, FORM, RULES, Across, Rule

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["CHECK_COLUMNS", "CHECKED_TABLES", "check_rows", "corpus_checks", "document_checks", "plain_rows",
           "title_project"]

CHECK_COLUMNS = tuple(schemas.column_names("checks"))
# The curated tables the checks read.
CHECKED_TABLES = ("evaluations", "indicators", "funds", "project_lists", "claims", "statements")


def plain_rows(table: pa.Table | pa.RecordBatch) -> list[dict]:
    """A table's rows as the checks read them: dicts, missing as None (never NaN)."""
    return [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()}
            for r in table.to_pylist()]


def run_check(check: Callable, args: tuple, problems: list[str]) -> list[dict]:
    """A check's rows, each with ``gap_as_printed``: the gap when every amount the check read was a
    whole number and these are read at their own precision (see ``pipeline.precision``; the check
    runs a second time for that), else the gap. Odd data that breaks one check is noted and skips
    only that check."""
    try:
        with P.noting_decimals() as decimals:
            rows = list(check(*args))
    except Exception as exc:  # noqa: BLE001 - one odd form must not stop the validation
        where = args[1].get("eval_id") if len(args) > 1 else "the document (or, across documents, the unit)"
        problems.append(f"{check.__name__} on {where}: {type(exc).__name__}: {exc}")
        return []
    as_printed: dict[tuple, float] = {}
    if decimals and not any(decimals):
        try:
            with P.whole_numbers_as_printed():
                again = list(check(*args))
            as_printed = {key: r["gap"] for key, r in zip(row_keys(again), again, strict=True)}
        except Exception:  # noqa: BLE001 - it ran once: its rows keep their gap
            as_printed = {}
    for key, r in zip(row_keys(rows), rows, strict=True):
        r["gap_as_printed"] = as_printed.get(key, r["gap"])
    return rows


def row_keys(rows: list[dict]) -> list[tuple[str, int]]:
    """(form or document, n): the nth row of a check about it, which both runs of the check share."""
    counts: dict[str, int] = defaultdict(int)
    keys = []
    for r in rows:
        base = f"{r['rule_id']}:{r['eval_id'] or r['doc_id']}"
        counts[base] += 1
        keys.append((base, counts[base]))
    return keys


def check_rows(tables: dict[str, list[dict]], problems: list[str] | None = None,
               rules: list[Rule] | None = None) -> list[dict]:
    """The check rows of these rules (default: all) over these tables, with a stable check_id and
    ``gap_as_printed`` (``run_check``). Checks that could not run are in ``problems``. Over one
    document's tables with its rules of one form or document, these are the document's rows
    (``document_checks``); over a whole corpus, every row at once."""
    problems = [] if problems is None else problems
    rules = list(RULES.values()) if rules is None else rules
    t = Tables(tables)
    per_form = [r.check for r in rules if r.scope == FORM]
    whole = [r.check for r in rules if r.scope != FORM]
    rows = [r for ev in t.evaluations for check in per_form for r in run_check(check, (t, ev), problems)]
    rows += [r for check in whole for r in run_check(check, (t,), problems)]
    for (base, n), r in zip(row_keys(rows), rows, strict=True):
        r["check_id"], r["family"] = f"{base}:{n}", RULES[r["rule_id"]].family
    return rows


def document_checks(tables: dict[str, list[dict]]) -> tuple[list[dict], list[str]]:
    """(check rows, problems) of one document: every rule that reads one document's forms, run
    with its extraction. Rows have the check table's columns (``schemas/checks.json``)."""
    problems: list[str] = []
    rows = check_rows(tables, problems, [r for r in RULES.values() if r.scope != CORPUS])
    return [{k: r[k] for k in CHECK_COLUMNS} for r in rows], problems


def corpus_checks(groups: Callable[[Across], Iterable[dict[str, list[dict]]]]) -> tuple[list[dict], list[str]]:
    """(check rows, problems) of the rules across documents, each run on every group of forms that
    ``groups`` gives for what it compares (``pipeline.rules.Across``)."""
    problems: list[str] = []
    rows = [r for rule in RULES.values() if rule.scope == CORPUS for tables in groups(rule.across)
            for r in check_rows(tables, problems, [rule])]
    return [{k: r[k] for k in CHECK_COLUMNS} for r in rows], problems
