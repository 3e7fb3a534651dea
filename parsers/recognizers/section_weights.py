"""Weights printed in a section's label rather than in a cell of their own: `预算执行情况（20分）`,
`资金执行情况(10分)`, or in the score column's header `得分（20分*执行率）` (Hubei). They are the
budget-execution weight of a form whose budget line prints none."""
from __future__ import annotations

import regex

from parsers.recognizers.segments import Segment
from parsers.text import norm_key
from parsers.vocabulary import FUND_BLOCK_LABELS, FUND_COLUMNS, FUND_TOTAL_LINES, SECTION_LABELS

_POINTS = regex.compile(r"[(（](?P<w>\d+(?:\.\d+)?)分")
BUDGET_SECTIONS = tuple(norm_key(w) for w in (*FUND_BLOCK_LABELS, *SECTION_LABELS) if "预算" in w or "资金" in w)
SCORE_HEADERS = tuple(norm_key(w) for w in FUND_COLUMNS["score"])


def section_weight(segment: Segment) -> str | None:
    """The weight a budget section's label or score header prints, as printed (`20`)."""
    for row in segment.rows:
        for cell in row:
            key = norm_key(cell["text"])
            if key.startswith(BUDGET_SECTIONS + SCORE_HEADERS) and (m := _POINTS.search(key)):
                return m["w"]
    return None


def apply_section_weight(form: dict, segment: Segment) -> None:
    total = next((f for f in form["funds"] if f["line"] in FUND_TOTAL_LINES), None)
    if total is not None and not total.get("weight") and (weight := section_weight(segment)):
        total["weight"] = weight
