"""Whether an indicator met its target: the one meaning of "met" that rule scores
(``pipeline.rescore``), the checks (``full_marks_target_missed``) and the summary share.

- ``met``: the actual, as printed, reaches the target. Printed precision counts in the form's
  favour: `94%` may be 94.5%, so it meets `≥94.5%` (the anomaly list raises nothing rounding explains).
- ``missed``: it does not, or the actual says so in words (`未完成`).
- ``unverifiable``: the target is qualitative, the actual is not a number, or they are printed in
  different units (`≥1` against `100%`).
- None: the row has no target (scoring-sheet items).

Targets: `≥ X` and `> X` are reached at X or above, `≤ X` and `< X` at X or below (a strict
bound counts as its closed one: printed figures cannot tell 100% from 100.004%), `X~Y` within the
range. **`= X`** is what the parser gives a target printed as a bare value (`98%`, `12次`) or as
`=X`; in these templates it means *reach X*: met at X or above, like `≥ X` (a 满意度 of 99% meets a
`98%` target; a cost cap is printed with `≤`).

``share`` is how much of its target the actual achieves (1.0 when met), for rule scores.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parsers.text import norm_key
from pipeline import precision as P

MET, MISSED, UNVERIFIABLE = "met", "missed", "unverifiable"
REACH, CAP, RANGE = ("≥", ">", "="), ("≤", "<"), ("~",)
# Actuals that say outright the target was not reached.
MISSED_TERMS = ("未完成", "未达到", "未达标", "没有完成")


@dataclass(frozen=True)
class Outcome:
    outcome: str
    reason: str
    share: float | None = None  # of the target achieved (1.0 = met); None unless compared
    shortfall: Decimal | None = None  # how far the actual falls short, in the target's unit
    tolerance: Decimal | None = None  # what the actual's printed precision allows


def target_outcome(item: dict) -> Outcome | None:
    """The outcome of one indicator row (contract columns), or None when it has no target."""
    if item.get("target_raw") is None and item.get("target_op") is None:
        return None
    actual_raw = item.get("actual_raw")
    if any(t in norm_key(actual_raw) for t in MISSED_TERMS):
        return Outcome(MISSED, f"the actual says so: {actual_raw}", 0.0)
    op, target, actual = item.get("target_op"), item.get("target_value"), item.get("actual_value")
    if op not in REACH + CAP + RANGE or target is None:
        return Outcome(UNVERIFIABLE, "qualitative target")
    if actual is None:
        return Outcome(UNVERIFIABLE, "the actual is not a number")
    if item.get("target_unit") != item.get("actual_unit"):
        return Outcome(UNVERIFIABLE, f"target in {item.get('target_unit') or 'no unit'}, "
                                     f"actual in {item.get('actual_unit') or 'no unit'}")
    return compared(item, op, target, actual)


def printed_outcome(target: str | None, actual: str | None) -> str | None:
    """The outcome of a target and an actual as printed (`≥200`, `202`): met, missed, unverifiable."""
    from pipeline.normalize import parse_measure

    t, a = parse_measure(target) or {}, parse_measure(actual) or {}
    result = target_outcome({"target_raw": target, "actual_raw": actual, "target_op": t.get("op"),
                             "target_value": t.get("value"), "target_value_max": t.get("value_max"),
                             "target_unit": t.get("unit"), "actual_value": a.get("value"),
                             "actual_unit": a.get("unit")})
    return result.outcome if result else None


def compared(item: dict, op: str, target: float, actual: float) -> Outcome:
    actual_raw, target_max = item.get("actual_raw"), item.get("target_value_max")
    printed = P.measure(actual_raw, actual) or P.Printed(P.from_float(actual), Decimal(0), str(actual))
    low = P.from_float(target)
    high = P.from_float(target_max) if op in RANGE and target_max is not None else low
    short_below = low - printed.value if op in REACH + RANGE else Decimal(0)
    short_above = printed.value - high if op in CAP + RANGE else Decimal(0)
    shortfall = max(short_below, short_above, Decimal(0))
    where = f"actual {actual_raw} against target {item.get('target_raw') or op + P.show(low)}"
    if shortfall <= printed.half:
        return Outcome(MET, f"{where}: reached", 1.0, shortfall, printed.half)
    unit = item.get("target_unit") or ""
    gap = P.show_rate(shortfall) if unit == "%" else f"{P.show(shortfall)}{unit}"
    return Outcome(MISSED, f"{where}: short by {gap}", share(op, target, actual, target_max),
                   shortfall, printed.half)


def share(op: str, target: float, actual: float, target_max: float | None) -> float:
    """The share of its target a missing actual achieves: actual/target below a floor,
    bound/actual above a cap."""
    if op in RANGE and target_max is not None and actual > target_max:
        return target_max / actual if actual > 0 else 0.0
    if op in CAP:
        return max(target, 0.0) / actual if actual > 0 else 0.0
    return max(actual, 0.0) / target if target > 0 else 0.0
