"""The 总分/合计 row of an indicator table: its weight and score, one rule for every recognizer.

Where the row's figures stand under the 分值 and 得分 columns, they are read from there, as
printed (a `—` score stays `—`, its value null; the weight is never taken for it). Where the row lost its cells, two
figures are weight then score; a lone figure is the score or the weight only when the items'
own sums say which, else it stays unplaced and the form says so.
"""
from __future__ import annotations

import regex

from parsers.text import norm_key
from parsers.vocabulary import FUND_TOTAL_LINES

_NUMBER = regex.compile(r"^-?\d+(?:\.\d+)?分?$")
SUM_TOLERANCE = 0.005


def is_figure(value: str | None) -> bool:
    return bool(value) and bool(_NUMBER.match(norm_key(value)))


def set_totals(form: dict, by_column: tuple[str | None, str | None] | None, values: list[str | None]) -> None:
    """``by_column``: (weight, score) as they stand under their columns, when the row kept its
    cells; ``values``: the row's figures in order otherwise."""
    if by_column is not None and any(is_figure(v) for v in by_column):
        weight, score = by_column
        form["total_weight"], form["total_score"] = weight or None, score or None   # as printed: `—` stays `—`
        return
    figures = [v for v in values if is_figure(v)]
    if len(figures) >= 2:
        form["total_weight"], form["total_score"] = figures[-2], figures[-1]
    elif figures:
        lone = points(figures[0])
        fund = total_fund_line(form)
        if adds_up(form["items"], fund, "score", lone):
            form["total_score"] = figures[0]
        elif adds_up(form["items"], fund, "weight", lone):
            form["total_weight"] = figures[0]
        else:
            form["issues"].append(f"total row: one figure {figures[0]}, not placed (weight or score?)")


def settle_points(form: dict, total_row: list[str | None]) -> None:
    """Rows that lost cells leave a figure between their weight and score (and actual) in doubt
    (``points_in_doubt``, on items and the budget total line); the form's own sum decides: when
    the figures add up to the total row's lone figure as weights (or as scores), that is what
    they are. Else they stay unplaced."""
    fund = total_fund_line(form)
    doubted = [r for r in [*form["items"], fund] if r and "points_in_doubt" in r]
    figures = [v for v in total_row if is_figure(v)]
    if doubted and len(figures) == 1:
        total = points(figures[0])
        for field in ("weight", "score"):
            if adds_up(form["items"], fund, field, total):
                for row in doubted:
                    if field in row["points_in_doubt"][1]:
                        row[field] = row["points_in_doubt"][0]
                break
    for row in doubted:
        row.pop("points_in_doubt")


def total_fund_line(form: dict) -> dict | None:
    return next((f for f in form["funds"] if f["line"] in FUND_TOTAL_LINES), None)


def adds_up(items: list[dict], fund: dict | None, field: str, total: float) -> bool:
    values = [figure_of(item, field) for item in items]
    if not values or None in values:
        return False
    execution = figure_of(fund, field) if fund else None
    sums = {sum(values)} | ({sum(values) + execution} if execution is not None else set())
    return any(abs(s - total) <= SUM_TOLERANCE for s in sums)


def figure_of(row: dict, field: str) -> float | None:
    """A row's figure for ``field``: as placed, else the one in doubt that could be it."""
    value = row.get(field)
    doubt = row.get("points_in_doubt")
    if value is None and doubt and field in doubt[1]:
        value = doubt[0]
    return points(value) if is_figure(value) else None


def points(value: str) -> float:
    return float(norm_key(value).rstrip("分"))
