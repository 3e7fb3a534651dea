"""The plain record every form recognizer returns. Values are text as printed (cleaned of
line wrapping) unless the name says otherwise; normalization happens in ``pipeline.normalize``.

form = {
  "kind": contract kind, "title": printed title, "project": name or None,
  "meta": {field: text} from labelled cells (org_unit, budget_code, grade, department, ...;
           title_project: the project a bracketed line under the title names, if any),
  "fiscal_year": int | None, "money_unit": "万元" | "元" | "百元" | None,
  "funds": [{"line", "budget_initial", "budget_full_year", "executed", "weight", "rate",
             "score", "source_line", "source_page"}],
  "goals": [{"goal", "result", "deviation", "source_line", "source_page"}],
  "items": [{"level1", "level1_weight", "level2", "level2_weight", "level3", "target",
             "actual", "weight", "score", "note", "weight_inferred", "source_line",
             "source_page"}],            # level*_weight are floats parsed from `（N分）`;
                                         # weight_read/score_read: the digits a printed `1O` was
                                         # confirmed to be by the form's sums (confusables.py)
  "total_weight": text | None, "total_score": text | None,
  "issues": [text],                      # what was not understood: makes the document partial
  "source_line", "source_page": where the form starts,
}
"""
from __future__ import annotations

from typing import NotRequired, TypedDict


class Fund(TypedDict, total=False):
    line: str                      # contract line: 年度资金总额, 本年财政拨款, 合计, ...
    budget_initial: str | None
    budget_full_year: str | None
    executed: str | None
    weight: str | None
    rate: str | None
    score: str | None
    source_line: int | None
    source_page: int | None


class Goal(TypedDict):
    goal: str | None
    result: str | None
    deviation: str | None
    source_line: int | None
    source_page: int | None


class Item(TypedDict):
    level1: str | None
    level1_weight: float | None
    level2: str | None
    level2_weight: float | None
    level3: str | None
    target: str | None
    actual: str | None
    weight: str | None
    score: str | None
    note: str | None
    weight_inferred: bool
    source_line: int | None
    source_page: int | None
    weight_read: NotRequired[str]
    score_read: NotRequired[str]


class Form(TypedDict):
    kind: str | None
    title: str | None
    project: str | None
    meta: dict[str, str]
    fiscal_year: int | None
    money_unit: str | None
    funds: list[Fund]
    goals: list[Goal]
    items: list[Item]
    total_weight: str | None
    total_score: str | None
    issues: list[str]
    source_line: int | None
    source_page: int | None
    reading_score: NotRequired[float | None]
    source_kind: NotRequired[str]


def new_form(kind: str | None, title: str | None, line: int | None, page: int | None) -> Form:
    return {
        "kind": kind, "title": title, "project": None, "meta": {}, "fiscal_year": None,
        "money_unit": None, "funds": [], "goals": [], "items": [],
        "total_weight": None, "total_score": None, "issues": [],
        "source_line": line, "source_page": page,
    }


def new_item(**values) -> Item:
    item: Item = {
        "level1": None, "level1_weight": None, "level2": None, "level2_weight": None,
        "level3": None, "target": None, "actual": None, "weight": None, "score": None,
        "note": None, "weight_inferred": False, "source_line": None, "source_page": None,
    }
    item.update(values)
    return item


def finished(form: Form) -> Form | None:
    """The form a recognizer read, or None when it read neither indicators nor budget lines."""
    if not form["items"] and not form["funds"]:
        return None
    if form["money_unit"] is None and form["funds"]:
        form["issues"].append("money unit not printed in the budget header")
    return form
