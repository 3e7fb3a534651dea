"""Indicators: full marks only where the actual reached its target."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pipeline import precision as P
from pipeline.checks.base import Tables, row, show_score
from pipeline.rules import rule

AT_LEAST, AT_MOST = ("≥", ">"), ("≤", "<")


def comparable(item: dict) -> bool:
    """A quantitative target with an actual in the same unit."""
    return (item.get("target_op") in AT_LEAST + AT_MOST and item.get("target_value") is not None
            and item.get("actual_value") is not None and item.get("target_unit") == item.get("actual_unit"))


@rule("full_marks_target_missed", "indicators", "error", ("未达标却得满分", "Full marks, target missed"),
      ("“{field}”目标 {expected}，实际 {observed}，未达标却得满分",
       "“{field}” has target {expected} and actual {observed}: the target was missed, yet it got full marks"))
def check_full_marks(t: Tables, ev: dict) -> Iterator[dict]:
    """An indicator whose actual missed its quantitative target does not get full marks."""
    for item in t.items.get(ev["eval_id"], []):
        if not comparable(item) or item["score"] is None or not item["weight"] or item["score"] < item["weight"]:
            continue
        actual = P.measure(item["actual_raw"], item["actual_value"])
        target = P.from_float(item["target_value"])
        shortfall = target - actual.value if item["target_op"] in AT_LEAST else actual.value - target
        evidence = (f"{item['level3']}：年度指标值 {item['target_raw']}，实际完成值 {item['actual_raw']}，"
                    f"分值 {show_score(item['weight'])}，得分 {show_score(item['score'])}")
        yield row("full_marks_target_missed", {**item, "doc_id": ev["doc_id"]}, item["level3"] or "—",
                  item["actual_raw"], item["target_raw"], P.excess(max(shortfall, Decimal(0)), actual.half),
                  evidence, ev.get("project"))

