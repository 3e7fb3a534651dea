"""Printed precision and rule scores: the conventions the checks rest on."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from pipeline import precision as P


@pytest.mark.parametrize(("raw", "value", "half"), [
    ("55", "55", "0.005"),          # trailing zeros dropped: read as 55.00
    ("12.55", "12.55", "0.005"),
    ("10.368", "10.368", "0.0005"),
    ("1,242.81", "1242.81", "0.005"),
    ("125,319.44", "125319.44", "0.005"),
])
def test_money(raw, value, half):
    fig = P.money(raw)
    assert (fig.value, fig.half) == (D(value), D(half))


def test_not_a_number_is_none():
    assert P.money("—") is None and P.rate("100") is None and P.money(None) is None


@pytest.mark.parametrize(("raw", "value", "half"), [
    ("99.73%", "0.9973", "0.00005"), ("100%", "1", "0.005"), ("74.3%", "0.743", "0.0005")])
def test_rate(raw, value, half):
    fig = P.rate(raw)
    assert (fig.value, fig.half) == (D(value), D(half))


def test_scores_integers_exact_unless_rounded_by_a_formula():
    assert P.score(10.0).half == 0 and P.score(9.5).half == D("0.05") and P.score(97.48).half == D("0.005")
    assert P.score(10.0, rounded=True).half == D("0.5")


def test_measure_scales_half_a_unit_like_its_value():
    assert P.measure("10.5万元", 105000.0).half == D(500)
    assert P.measure("99%", 0.99).half == D("0.005")
    assert P.measure("37次", 37.0).half == D("0.5")


def test_ratio_and_compare():
    lo, hi = P.ratio(P.money("9.9984997"), P.money("20"))
    assert hi == D("0.50005")
    deviation, tolerance, gap = P.compare(P.rate("50.01%"), lo, hi)
    assert gap == 0 and deviation == tolerance
    assert P.ratio(P.money("1"), P.money("0")) is None


def test_float_noise_from_computation_is_not_precision():
    """A parser that stores 99.93% as 99.93 / 100 = 0.9993000000000001 still means 99.93%."""
    assert P.score(0.9993000000000001, rounded=True) == P.Printed(D("0.9993"), D("0.00005"), "0.9993")


def test_one_grid_keeps_order_and_identity():
    assert P.at_most(P.money("5276"), P.money("5275"))[2] > 0       # overspent, however rounded
    assert P.at_most(P.money("10.0049"), P.money("10"))[2] < 0      # finer grid: may be 10.004 <= 10.004
    assert P.same_amount(P.money("101.73"), P.money("101.72"))[2] > 0
    assert P.same_amount(P.money("101.72"), P.money("101.72"))[2] == 0
