"""Budget figures stated in the prose of a 自评报告 (`财政年初预算40万元`, `调整预算后项目预算861.46万元`).

A report without a form still tells the unit, the year and its budget: it becomes a form record
with those figures (kind from the report title). Next to a form, the prose fills only what the
form left blank and names the money unit the form did not print; each figure keeps its line.
"""
from __future__ import annotations

import regex

from parsers.blocks import Cell
from parsers.recognizers.record import new_form
from parsers.text import norm_key
from parsers.vocabulary import FUND_TOTAL_LINES, MONEY_UNITS, REPORT_BUDGET_PHRASES, REPORT_DEPT_WORDS, REPORT_TITLES

_UNITS = "|".join(sorted(MONEY_UNITS, key=len, reverse=True))
_AMOUNT = r"[^。；;，,]{0,12}?(?P<n>\d+(?:\.\d+)?)\s*(?P<u>" + _UNITS + ")"
_YEAR = regex.compile(r"(20\d{2})\s*年度?")
MAX_TITLE_LEN = 60
FIELDS = ("budget_initial", "budget_full_year", "executed")


def report_title(rows: list[list[Cell]]) -> dict | None:
    for row in rows:
        if len(row) == 1 and (key := norm_key(row[0]["text"])) and len(key) <= MAX_TITLE_LEN \
                and key.endswith(REPORT_TITLES):
            return row[0]
    return None


def stated_budget(rows: list[list[Cell]]) -> dict:
    """field -> {"value", "unit", "line", "page"} for the first statement of each field."""
    found: dict = {}
    for row in rows:
        if len(row) != 1:
            continue
        text = norm_key(row[0]["text"])
        for field, phrases in REPORT_BUDGET_PHRASES.items():
            if field in found:
                continue
            for phrase in phrases:
                if m := regex.search(regex.escape(phrase) + _AMOUNT, text):
                    found[field] = {"value": m["n"], "unit": m["u"], "line": row[0]["line"],
                                    "page": row[0].get("page")}
                    break
    return found


def report_form(rows: list[list[Cell]]) -> dict | None:
    """A form record for a report that has no form, or None when it states no budget."""
    title = report_title(rows)
    stated = stated_budget(rows)
    if title is None or not stated:
        return None
    key = norm_key(title["text"])
    kind = "dept_selfeval" if any(w in key for w in REPORT_DEPT_WORDS) else "project_selfeval"
    form = new_form(kind, key, title["line"], title.get("page"))
    if m := _YEAR.search(key):
        form["fiscal_year"] = int(m[1])
    add_stated(form, stated)
    return form


def add_stated(form: dict, stated: dict) -> None:
    """Fill the form's blank totals from the prose, adopting the prose unit when the form printed
    none and the figures agree; the prose figures are kept as their own fund line."""
    units = {s["unit"] for s in stated.values()}
    if len(units) != 1:
        return
    unit = units.pop()
    total = next((f for f in form["funds"] if f["line"] in FUND_TOTAL_LINES), None)
    if form["money_unit"] is None and total:
        printed = {total.get(f) for f in FIELDS} - {None}
        if not printed & {s["value"] for s in stated.values()}:
            return
        form["money_unit"] = unit
        form["issues"] = [i for i in form["issues"] if "money unit" not in i]
        form["issues"].append(f"money unit not printed in the form; {unit} from the report text")
    elif form["money_unit"] not in (None, unit):
        return
    form["money_unit"] = unit
    first = min(s["line"] for s in stated.values())
    if total is None:  # a report without a form: the prose is the budget line
        form["funds"].insert(0, {"line": FUND_TOTAL_LINES[0], **{f: s["value"] for f, s in stated.items()},
                                 "source_line": first, "source_page": None})
        return
    for field, s in stated.items():
        if total.get(field) is None:
            total[field] = s["value"]
    form["funds"].append({"line": "自评报告", **{f: s["value"] for f, s in stated.items()},
                          "source_line": first, "source_page": None})
