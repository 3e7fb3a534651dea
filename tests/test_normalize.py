import pytest

from pipeline.normalize import parse_measure, to_number, to_rate, to_yuan


@pytest.mark.parametrize("text, expected", [
    ("≥30次", ("≥", 30.0, "次")),
    ("≤12个月", ("≤", 12.0, "个月")),
    ("1800元/人/月", ("=", 1800.0, "元/人/月")),
    ("100%", ("=", 1.0, "%")),
    ("≤559200元", ("≤", 559200.0, "元")),
    ("≥20", ("≥", 20.0, None)),
    ("≥55万元", ("≥", 550000.0, "元")),
    ("≤10.368万元", ("≤", 103680.0, "元")),
    ("≥449 人次", ("≥", 449.0, "人次")),
    ("1年以内", ("≤", 1.0, "年")),
    ("9月前", ("≤", 9.0, "月")), ("10月底前", ("≤", 10.0, "月")),   # r02: a date to meet
    ("不低于95%", ("≥", 0.95, "%")),
])
def test_quantitative_targets(text, expected):
    m = parse_measure(text)
    assert (m["op"], m["value"], m["unit"]) == expected


@pytest.mark.parametrize("text", ["有效", "持续提升", "9月支付完成", "优良中低差", "达到预期目标", None, ""])
def test_qualitative_text_has_no_op(text):
    assert parse_measure(text) is None


def test_range_target():
    assert parse_measure("90%~100%") == {"op": "~", "value": 0.9, "value_max": 1.0, "unit": "%"}


def test_money_and_rates():
    assert to_yuan("10.368", "万元") == 103680.0
    assert to_yuan("12.55", "万元") == 125500.0
    assert to_yuan("10172", "百元") == 1017200.0
    assert to_yuan("1,242.81", "万元") == 12428100.0
    assert to_yuan("", "万元") is None
    assert to_yuan("55", None) is None  # no unit, no guess
    assert to_rate("62.75%") == 0.6275
    assert to_rate("74.3%") == 0.743
    assert to_rate("达到") is None
    assert to_number("98") == 98.0
    assert to_number("按时完成") is None
