"""The 总分/合计 row of an indicator table: its weight and score, one rule for every recognizer.

Where the row's figures stand under the 分值 and 得分 columns, they are read from there, as
printed (a `—` score stays `—`, its value null; the weight is never taken for it). Where the row lost its cells, two
figures are weight then score; a lone figure is the score or the weight only when the items'
own sums say which, else it stays unplaced and the form says so.
"""
from __future__ import annotations

import regex

from parsers.text import norm_key

_NUMBER = regex.compile(r"^-?\d+(?:\.\d+)?分?$")
SUM_TOLERANCE = 0.005


def is_figure(value: str | None) -> bool:
    return bool(value) and bool(_NUMBER.match(norm_key(value)))


def item_sum(items: list[dict], field: str) -> float | None:
    values = [i[field] for i in items]
    if not values or not all(is_figure(v) for v in values):
        return None
    return sum(float(norm_key(v).rstrip("分")) for v in values)


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
        lone = float(norm_key(figures[0]).rstrip("分"))
        scores, weights = item_sum(form["items"], "score"), item_sum(form["items"], "weight")
        if scores is not None and abs(scores - lone) <= SUM_TOLERANCE:
            form["total_score"] = figures[0]
        elif weights is not None and abs(weights - lone) <= SUM_TOLERANCE:
            form["total_weight"] = figures[0]
        else:
            form["issues"].append(f"total row: one figure {figures[0]}, not placed (weight or score?)")
