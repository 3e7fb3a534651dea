"""Indicators: full marks only where the actual reached its target (``pipeline.outcome``)."""
from __future__ import annotations

from collections.abc import Iterator

from pipeline import precision as P
from pipeline.checks.base import Tables, row, show_score
from pipeline.outcome import target_outcome
from pipeline.rules import rule


def item_evidence(item: dict) -> str:
    return (f"{item['level3']}：年度指标值 {item['target_raw']}，实际完成值 {item['actual_raw']}，"
            f"分值 {show_score(item['weight'])}，得分 {show_score(item['score'])}")


@rule("full_marks_target_missed", "indicators", "error", ("未达标却得满分", "Full marks, target missed"),
      ("“{field}”目标 {expected}，实际 {observed}，未达标却得满分",
       "“{field}” has target {expected} and actual {observed}: the target was missed, yet it got full marks"))
def check_full_marks(t: Tables, ev: dict) -> Iterator[dict]:
    """An indicator whose actual missed its quantitative target does not get full marks."""
    for item in t.items.get(ev["eval_id"], []):
        decided = target_outcome(item)
        if decided is None or decided.shortfall is None or item["score"] is None or not item["weight"] \
                or item["score"] < item["weight"]:
            continue
        yield row("full_marks_target_missed", {**item, "doc_id": ev["doc_id"]}, item["level3"] or "—",
                  item["actual_raw"], item["target_raw"], P.excess(decided.shortfall, decided.tolerance),
                  item_evidence(item), ev.get("project"))
