"""One meaning of "met" (pipeline.outcome), and the rule scores built on it."""
from __future__ import annotations

import pytest

from pipeline.outcome import target_outcome
from pipeline.rescore import indicator_rule_score


def row(target_raw, op, target, actual_raw, actual, unit="%", actual_unit=None, target_max=None):
    return {"target_raw": target_raw, "target_op": op, "target_value": target, "target_value_max": target_max,
            "target_unit": unit, "actual_raw": actual_raw, "actual_value": actual,
            "actual_unit": unit if actual_unit is None else actual_unit}


@pytest.mark.parametrize(("item", "outcome", "share"), [
    (row("≥100%", "≥", 1.0, "99%", 0.99), "missed", 0.99),
    (row("≥30次", "≥", 30, "37次", 37, "次"), "met", 1.0),
    (row("≤12个月", "≤", 12, "9个月", 9, "个月"), "met", 1.0),
    (row("≤100人", "≤", 100, "125人", 125, "人"), "missed", 0.8),
    (row("≤0件", "≤", 0, "2件", 2, "件"), "missed", 0.0),
    (row("≥0件", "≥", 0, "5件", 5, "件"), "met", 1.0),
    # A bare target means reach it: 99% meets 98%, 97% does not.
    (row("98%", "=", 0.98, "99%", 0.99), "met", 1.0),
    (row("98%", "=", 0.98, "97%", 0.97), "missed", pytest.approx(0.97 / 0.98)),
    (row("10~20次", "~", 10, "25次", 25, "次", target_max=20), "missed", 0.8),
    (row("10~20次", "~", 10, "8次", 8, "次", target_max=20), "missed", 0.8),
    (row("10~20次", "~", 10, "15次", 15, "次", target_max=20), "met", 1.0),
    # Printed precision counts for the form: 94% may be 94.5%, 10.5万元 may be 10.45万元.
    (row("≥94.5%", "≥", 0.945, "94%", 0.94), "met", 1.0),
    (row("≤10.45万元", "≤", 104500, "10.5万元", 105000, "元"), "met", 1.0),
    (row("≤1次", "≤", 1, "未完成", None, "次", actual_unit=""), "missed", 0.0),
])
def test_outcomes_of_comparable_targets(item, outcome, share):
    decided = target_outcome(item)
    assert (decided.outcome, decided.share) == (outcome, share)


def test_unverifiable_outcomes_say_why():
    reasons = [target_outcome(r).reason for r in (
        row("≥1", "≥", 1.0, "100%", 1.0, None, "%"), row("≥97%", "≥", 0.97, "有效", None, actual_unit=""),
        row("持续提升", None, None, "有效", None))]
    assert reasons == ["target in no unit, actual in %", "the actual is not a number", "qualitative target"]
    assert {target_outcome(r).outcome for r in (row("≥1", "≥", 1.0, "100%", 1.0, None, "%"),)} == {"unverifiable"}


def test_a_row_without_target_has_no_outcome():
    assert target_outcome(row(None, None, None, None, None)) is None


def test_the_reason_of_a_miss_quotes_the_figures():
    assert target_outcome(row("≥100%", "≥", 1.0, "99%", 0.99)).reason == \
        "actual 99% against target ≥100%: short by 1%"


def test_indicator_rule_scores():
    base = {**row("≥100%", "≥", 1.0, "99%", 0.99), "weight": 10.0, "score": 10.0}
    assert indicator_rule_score(base) == (pytest.approx(9.9), "ratio")
    assert indicator_rule_score({**base, "actual_raw": "120%", "actual_value": 1.2}) == (10.0, "ratio")
    assert indicator_rule_score({**base, "actual_unit": "元"}) == (10.0, "self")  # units differ
    assert indicator_rule_score({**base, "target_op": None}) == (10.0, "self")  # qualitative
    assert indicator_rule_score({**base, "actual_raw": "未完成", "actual_value": None}) == (10.0, "self")
