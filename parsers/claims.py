"""Arithmetic stated in a report's prose, each claim recomputed from the text's own numbers.

Two shapes: explicit formulas (`固定资产利用率=（181.07/181.19）×100%=99.93%`) and stated
execution rates (`预算为 102 万元，当年拨付 101.72 万元，预算执行率 99.73%`). Rates are
fractions. A claim is ok when the stated value equals the recomputed one within the precision
it is printed with; a claim that is not ok is kept as printed (the document is not corrected).
"""
from __future__ import annotations

import regex

from parsers.blocks import Block
from parsers.expr import ExprError, evaluate, normalize
from parsers.line_text import LineText, join_lines

_NUM = r"\d[\d,]*(?:\.\d+)?"
# An expression: opens with a number or bracket, holds at least one operator, then `=`/`≈` value.
_FORMULA = regex.compile(
    rf"(?P<expr>[\d(（\[【][\d.,+\-−*/×xX÷%()（）\[\]【】]*?[+\-−*/×xX÷][\d.,+\-−*/×xX÷%()（）\[\]【】]*?)"
    rf"(?:=|＝|≈)(?P<value>-?{_NUM})(?P<pct>%?)")
# 预算为 102 万元，当年拨付 101.72 万元，预算执行率 99.73%
_EXECUTION = regex.compile(
    rf"预算(?:数|金额|资金)?为?(?P<budget>{_NUM})(?P<bu>万元|元)[，,]?(?:当年|实际|全年)?"
    rf"(?:拨付|到位|执行|支出|使用)(?:资金)?(?P<spent>{_NUM})(?P<su>万元|元)[，,]?"
    rf"(?:预算)?执行率(?:为|达)?(?P<rate>-?{_NUM})%")
_SENTENCE_END = "。；！？\n"
UNIT_YUAN = {"元": 1.0, "万元": 10000.0}


def sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    right = min((i for ch in _SENTENCE_END if (i := text.find(ch, end)) >= 0), default=len(text))
    return text[left:right + 1]


def agrees(stated: float, computed: float, printed: str, percent: bool) -> bool:
    """Equal within half a unit of the stated value's last printed digit."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    tolerance = 0.5 * 10 ** -decimals / (100 if percent else 1)
    return abs(stated - computed) <= tolerance + 1e-9


def find_claims(lines: list[Block]) -> list[dict]:
    """Every claim in the line blocks (of any reader), in text order."""
    joined = join_lines(lines)
    text = joined.text
    found = [_claim(joined, m.start(), m.end(), m["expr"], m["value"], bool(m["pct"]))
             for m in _FORMULA.finditer(text)]
    for m in _EXECUTION.finditer(text):
        spent = f"{m['spent']}*{UNIT_YUAN[m['su']]:g}" if m["su"] != m["bu"] else m["spent"]
        budget = f"{m['budget']}*{UNIT_YUAN[m['bu']]:g}" if m["su"] != m["bu"] else m["budget"]
        found.append(_claim(joined, m.start(), m.end(), f"{spent}/{budget}", m["rate"], True))
    claims = sorted((c for c in found if c), key=lambda c: c["_at"])
    return [{k: v for k, v in c.items() if k != "_at"} for c in claims]


def _claim(joined: LineText, start: int, end: int, expression: str, value: str, percent: bool) -> dict | None:
    try:
        computed = evaluate(expression)
    except ExprError:
        return None
    stated = float(value.replace(",", "")) / (100 if percent else 1)
    line = joined.line_at(start)
    return {"section": joined.section_at(start), "text": sentence(joined.text, start, end),
            "expression": normalize(expression), "stated_value": stated, "computed_value": computed,
            "ok": agrees(stated, computed, value, percent), "source_line": line["line"],
            "source_page": line.get("page"), "_at": start}
