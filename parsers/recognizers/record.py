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


def new_form(kind: str, title: str | None, line: int | None, page: int | None) -> dict:
    return {
        "kind": kind, "title": title, "project": None, "meta": {}, "fiscal_year": None,
        "money_unit": None, "funds": [], "goals": [], "items": [],
        "total_weight": None, "total_score": None, "issues": [],
        "source_line": line, "source_page": page,
    }


def new_item(**values) -> dict:
    item = {
        "level1": None, "level1_weight": None, "level2": None, "level2_weight": None,
        "level3": None, "target": None, "actual": None, "weight": None, "score": None,
        "note": None, "weight_inferred": False, "source_line": None, "source_page": None,
    }
    item.update(values)
    return item
