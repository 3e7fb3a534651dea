"""Rule scores: each form's score recomputed where the published scoring rule is mechanical.

- Budget execution: execution rate × weight, capped at the weight (rate = B/A where both are
  printed, else the printed rate).
- A quantitative indicator (target and actual numbers in the same unit): the share of its target
  achieved (``pipeline.outcome``: 1 when met, actual/target below a ≥ or = target, target/actual
  above a ≤ target, likewise outside a range) × weight.
- Anything else (qualitative targets, actuals like 已完成, units that differ) keeps its self-score.

``rule_score`` beside ``score``/``total_score`` shows how far a self-assessment exceeds the rule
(the summary's self-score inflation). Works on the contract rows before they are written.
"""
from __future__ import annotations

from collections import defaultdict

from pipeline.outcome import MET, MISSED, target_outcome

RATIO, SELF = "ratio", "self"


def indicator_rule_score(item: dict) -> tuple[float | None, str]:
    """(rule score, basis) of one indicator row: its target's share achieved × weight where the
    outcome was decided by comparing numbers (``pipeline.outcome``), else its self-score."""
    weight, score = item.get("weight"), item.get("score")
    decided = target_outcome(item)
    compared = decided is not None and decided.outcome in (MET, MISSED) and decided.shortfall is not None
    if weight is None or not compared:
        return score, SELF
    return round(min(decided.share, 1.0) * weight, 4), RATIO


def execution_rule_score(ev: dict) -> float | None:
    weight = ev.get("execution_weight")
    budget, executed = ev.get("budget_full_year_yuan"), ev.get("executed_yuan")
    rate = executed / budget if budget and executed is not None else ev.get("execution_rate_reported")
    if weight is None or rate is None:
        return None
    return round(min(rate, 1.0) * weight, 4)


def add_rule_scores(evaluations: list[dict], indicators: list[dict]) -> None:
    """Set ``outcome``/``outcome_reason`` and ``rule_score``/``rule_basis`` on indicator rows and
    ``rule_score``/``execution_rule_score`` on evaluation rows (in place)."""
    by_eval: dict[str, list[dict]] = defaultdict(list)
    for item in indicators:
        decided = target_outcome(item)
        item["outcome"], item["outcome_reason"] = (decided.outcome, decided.reason) if decided else (None, None)
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
