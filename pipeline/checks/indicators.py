"""Indicators: full marks only where the actual reached its target."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pipeline import precision as P
from pipeline.checks.base import Tables, cite, row, show_score

AT_LEAST, AT_MOST = ("≥", ">"), ("≤", "<")


def comparable(item: dict) -> bool:
    """A quantitative target with an actual in the same unit."""
    return (item.get("target_op") in AT_LEAST + AT_MOST and item.get("target_value") is not None
            and item.get("actual_value") is not None and item.get("target_unit") == item.get("actual_unit"))


def check_full_marks(t: Tables, ev: dict) -> Iterator[dict]:
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
                  evidence, ev.get("project"),
                  cites=cite(item, item["target_raw"], item["actual_raw"], show_score(item["score"])))


CHECKS = (check_full_marks,)
