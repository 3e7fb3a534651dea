"""Recognizer for project lists (项目清单): a header with 项目名称 and an amount column."""
from __future__ import annotations

from parsers.blocks import Cell
from parsers.recognizers.grid_form import column_map, texts
from parsers.text import norm_key
from parsers.vocabulary import MONEY_UNITS, PROJECT_LIST_COLUMNS, PROJECT_LIST_TITLES, TOTAL_LABELS


def money_unit_of(header: str | None) -> str | None:
    key = norm_key(header)
    return next((u for u in sorted(MONEY_UNITS, key=len, reverse=True) if u in key), None)


def find_project_lists(rows: list[list[Cell]]) -> list[dict]:
    """Every project list: ``{"title", "money_unit", "source_line", "rows": [...]}``."""
    lists: list[dict] = []
    current: dict | None = None
    cols: dict[str, int] = {}
    values: list[str | None] = []
    for row in rows:
        previous, values = values, texts(row)
        header = column_map(row, PROJECT_LIST_COLUMNS)
        if {"project", "amount"} <= header.keys() and len(row) > 1:
            cols = header
            current = {"title": list_title(previous), "money_unit": money_unit_of(values[cols["amount"]]),
                       "source_line": row[0]["line"], "rows": []}
            lists.append(current)
            continue
        if current is None:
            continue
        if len(row) == 1:  # a text line ends the list; a title right after it names it
            current["title"] = current["title"] or list_title(values)
            current = None
            continue
        read_list_row(current, cols, row, values)
    return lists


def list_title(values: list[str | None]) -> str | None:
    """The text of a one-cell row naming a project list (the line before or after the list)."""
    if len(values) == 1 and any(t in norm_key(values[0]) for t in PROJECT_LIST_TITLES):
        return values[0]
    return None


def read_list_row(current: dict, cols: dict[str, int], row: list[Cell], values: list) -> None:
    project = values[cols["project"]] if cols["project"] < len(values) else None
    amount = values[cols["amount"]] if cols["amount"] < len(values) else None
    note = values[cols["note"]] if "note" in cols and cols["note"] < len(values) else None
    is_total = any(norm_key(v) in TOTAL_LABELS for v in values if v)
    if not (project or amount or note):
        return
    current["rows"].append({"project": None if is_total else project, "amount": amount, "note": note,
                            "is_total": is_total, "source_line": row[0]["line"],
                            "source_page": row[0].get("page")})
