"""Rule scores: each form's score recomputed where the published scoring rule is mechanical.

- Budget execution: execution rate × weight, capped at the weight (rate = B/A where both are
  printed, else the printed rate).
- A quantitative indicator (target and actual numbers in the same unit): actual/target × weight
  for a ≥ (or =, >) target, target/actual × weight for a ≤ (or <) target, below/above the bounds
  of a range target likewise; capped at the weight.
- Anything else (qualitative targets, actuals like 已完成, units that differ) keeps its self-score.

``rule_score`` beside ``score``/``total_score`` shows how far a self-assessment exceeds the rule
(the summary's self-score inflation). Works on the contract rows before they are written.
"""
from __future__ import annotations

from collections import defaultdict

AT_LEAST, AT_MOST = ("≥", ">", "="), ("≤", "<")
RATIO, SELF = "ratio", "self"


def achievement(op: str | None, target: float | None, actual: float | None, target_max: float | None) -> float | None:
    """The share of its target an actual achieves (1.0 = met), or None when not mechanical."""
    if op is None or target is None or actual is None:
        return None
    if op == "~":
        low, high = target, target_max if target_max is not None else target
        if actual < low:
            return actual / low if low > 0 else 1.0
        return high / actual if actual > high and actual > 0 else 1.0
    if op in AT_LEAST:
        return 1.0 if target <= 0 else max(actual, 0.0) / target
    if op in AT_MOST:
        return 1.0 if actual <= target else (max(target, 0.0) / actual)
    return None


def indicator_rule_score(item: dict) -> tuple[float | None, str]:
    """(rule score, basis) of one indicator row."""
    weight, score = item.get("weight"), item.get("score")
    same_unit = item.get("target_unit") == item.get("actual_unit")
    share = achievement(item.get("target_op"), item.get("target_value"), item.get("actual_value"),
                        item.get("target_value_max")) if same_unit else None
    if weight is None or share is None:
        return score, SELF
    return round(min(share, 1.0) * weight, 4), RATIO


def execution_rule_score(ev: dict) -> float | None:
    weight = ev.get("execution_weight")
    budget, executed = ev.get("budget_full_year_yuan"), ev.get("executed_yuan")
    rate = executed / budget if budget and executed is not None else ev.get("execution_rate_reported")
    if weight is None or rate is None:
        return None
    return round(min(rate, 1.0) * weight, 4)


def add_rule_scores(evaluations: list[dict], indicators: list[dict]) -> None:
    """Set ``rule_score``/``rule_basis`` on indicator rows and ``rule_score``/
    ``execution_rule_score`` on evaluation rows (in place)."""
    by_eval: dict[str, list[dict]] = defaultdict(list)
    for item in indicators:
        item["rule_score"], item["rule_basis"] = indicator_rule_score(item)
        by_eval[item["eval_id"]].append(item)
    for ev in evaluations:
        items = by_eval.get(ev["eval_id"], [])
        ev["execution_rule_score"] = execution_rule_score(ev)
        execution = ev["execution_rule_score"] if ev["execution_rule_score"] is not None else ev.get("execution_score")
        scored = items and all(i.get("score") is not None for i in items)
        if not scored and execution is None:
            ev["rule_score"] = None
            continue
        parts = [i["rule_score"] for i in items] if scored else []
        ev["rule_score"] = round(sum(parts) + (execution or 0.0), 4) if scored or not items else None
