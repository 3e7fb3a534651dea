"""Arithmetic stated in a report's prose, each claim recomputed from the text's own numbers.

Two shapes: explicit formulas (`固定资产利用率=（181.07/181.19）×100%=99.93%`) and stated
execution rates (`预算为 102 万元，当年拨付 101.72 万元，预算执行率 99.73%`). Rates are
fractions. A claim is ok when the stated value equals the recomputed one within the precision
it is printed with; a claim that is not ok is kept as printed (the document is not corrected).
"""
from __future__ import annotations

import bisect

import regex

from parsers.expr import ExprError, evaluate, normalize
from parsers.flow_lines import Line

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
_HEADING = regex.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[．.、])")
_HEADING_END = regex.compile(r"[。：:；]")
_SENTENCE_END = "。；！？\n"
MAX_SECTION_LEN = 40
HEADING_STOP = "\n"             # marks the end of a heading line in the flattened text
UNIT_YUAN = {"元": 1.0, "万元": 10000.0}


def section_title(text: str) -> str:
    return _HEADING_END.split(text, maxsplit=1)[0][:MAX_SECTION_LEN]


def flatten(lines: list[Line]) -> tuple[str, list[int], list[Line], list[str | None]]:
    """The report as one string without whitespace (formulas wrap across lines), with the offset
    where each line starts, and the section each line is in. A heading line without a sentence
    end gets one, so a claim's sentence does not run into it."""
    parts, starts, sections, section, pos = [], [], [], None, 0
    for line in lines:
        text = "".join(line.text.split())
        if _HEADING.match(text):
            section = section_title(text)
            if not _HEADING_END.search(text):
                text += HEADING_STOP
        starts.append(pos)
        sections.append(section)
        parts.append(text)
        pos += len(text)
    return "".join(parts), starts, lines, sections


def sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    right = min((i for ch in _SENTENCE_END if (i := text.find(ch, end)) >= 0), default=len(text))
    return text[left:right + 1]


def agrees(stated: float, computed: float, printed: str, percent: bool) -> bool:
    """Equal within half a unit of the stated value's last printed digit."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    tolerance = 0.5 * 10 ** -decimals / (100 if percent else 1)
    return abs(stated - computed) <= tolerance + 1e-9


def find_claims(lines: list[Line]) -> list[dict]:
    text, starts, lines, sections = flatten(lines)
    found = []
    for m in _FORMULA.finditer(text):
        found.append(_claim(text, starts, lines, sections, m.start(), m.end(), m["expr"],
                            m["value"], bool(m["pct"])))
    for m in _EXECUTION.finditer(text):
        spent = f"{m['spent']}*{UNIT_YUAN[m['su']]:g}" if m["su"] != m["bu"] else m["spent"]
        budget = f"{m['budget']}*{UNIT_YUAN[m['bu']]:g}" if m["su"] != m["bu"] else m["budget"]
        found.append(_claim(text, starts, lines, sections, m.start(), m.end(), f"{spent}/{budget}",
                            m["rate"], True))
    claims = sorted((c for c in found if c), key=lambda c: c["_at"])
    return [{k: v for k, v in c.items() if k != "_at"} for c in claims]


def _claim(text, starts, lines, sections, start, end, expression, value, percent) -> dict | None:
    try:
        computed = evaluate(expression)
    except ExprError:
        return None
    stated = float(value.replace(",", "")) / (100 if percent else 1)
    n = bisect.bisect_right(starts, start) - 1
    return {"section": sections[n], "text": sentence(text, start, end), "expression": normalize(expression),
            "stated_value": stated, "computed_value": computed,
            "ok": agrees(stated, computed, value, percent), "source_line": lines[n].no, "source_page": None,
            "_at": start}
