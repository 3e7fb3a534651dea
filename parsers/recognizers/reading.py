"""How well a form was read (as camelot scores each table): a number from 0 to 1 that tells a
user which forms to look at first.

It is the mean of two shares: the cells placed (of the value columns a form's indicator rows
use, the share its rows fill) and the form's own arithmetic that holds (indicator scores add up
to the printed total, no score above its weight, a budget line's rate is executed / budget). A
sum the document itself gets wrong lowers the score too: the validate stage says which.
"""
from __future__ import annotations

from parsers.recognizers.glued import rate_holds
from parsers.vocabulary import FUND_TOTAL_LINES

VALUE_FIELDS = ("target", "actual", "weight", "score")
SUM_TOLERANCE = 0.005


def number(text: str | None) -> float | None:
    try:
        return float(str(text).rstrip("分%"))
    except (TypeError, ValueError):
        return None


def placed_share(form: dict) -> float | None:
    items = form["items"]
    used = [f for f in VALUE_FIELDS if any(i[f] for i in items)]
    if not items or not used:
        return None
    return sum(1 for i in items for f in used if i[f]) / (len(items) * len(used))


def checks(form: dict) -> list[bool]:
    """The form's own arithmetic, each check that can be made: True where it holds."""
    results = []
    scores = [number(i["score"]) for i in form["items"]]
    total = number(form["total_score"])
    if total is not None and scores and None not in scores:
        results.append(abs(sum(scores) - total) <= SUM_TOLERANCE)
    for item in form["items"]:
        weight, score = number(item["weight"]), number(item["score"])
        if weight is not None and score is not None:
            results.append(score <= weight + SUM_TOLERANCE)
    for fund in form["funds"]:
        if fund["line"] in FUND_TOTAL_LINES and fund.get("rate"):
            budget = fund.get("budget_full_year") or fund.get("budget_initial")
            if number(budget) and number(fund.get("executed")) is not None:
                results.append(rate_holds(budget, fund.get("executed"), fund["rate"]))
    return results


def reading_score(form: dict) -> float | None:
    """0..1, or None for a form with nothing to score (no indicators and no checkable sums)."""
    parts = [p for p in (placed_share(form),) if p is not None]
    held = checks(form)
    if held:
        parts.append(sum(held) / len(held))
    return round(sum(parts) / len(parts), 4) if parts else None
