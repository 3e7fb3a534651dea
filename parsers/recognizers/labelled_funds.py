"""Budget blocks printed as labelled amounts instead of a table (区域绩效目标自评表: `资金情况(万元)
年度金额:208万元 资金使用情况(万元) 合计:109.8万元 中央财政165万元 中央财政84.5万元 …`).

A section label (``[fund_sections]`` in the templates) names a column of amounts (资金情况: the
budget, 资金使用情况: what was spent); each `label amount` pair is a budget line (``[fund_lines]``).
The same line in two sections is one line with both amounts; the total lines (年度金额, 合计) are
one line, the block's total.
"""
from __future__ import annotations

import regex

from parsers.text import norm_key
from parsers.vocabulary import FUND_COLUMNS, FUND_LINES, FUND_SECTIONS, FUND_TOTAL_LINES, MONEY_UNITS

FUNDS_WORD = "资金"
_MONEY = "|".join(sorted(map(regex.escape, MONEY_UNITS), key=len, reverse=True))
_PAIR = regex.compile(r"(?P<label>[\p{Han}]+?)[:：]?(?P<amount>\d+(?:\.\d+)?)(?P<unit>" + _MONEY + ")")
_BRACKETS = regex.compile(r"[(（][^()（）]*[)）]")
_SECTIONS = regex.compile("|".join(sorted(map(regex.escape, FUND_SECTIONS), key=len, reverse=True)) or "(?!)")


def section_at(texts: list[str | None]) -> int | None:
    """Where a block of labelled amounts opens: a section label followed by a labelled amount."""
    for i, text in enumerate(texts):
        key = norm_key(text)
        if key and _SECTIONS.match(key) and _PAIR.search(_BRACKETS.sub("", "".join(map(norm_key, texts[i:i + 4])))):
            return i
    return None


def labelled_funds(texts: list[str | None]) -> list[dict]:
    """The budget lines of a block of labelled amounts, in print order. The sections stand side by
    side (budget | spent, a row for each line), so a line's n-th amount fills the n-th section's
    column."""
    text = _BRACKETS.sub("", "".join(map(norm_key, texts)))
    fields = [FUND_SECTIONS[m[0]] for m in _SECTIONS.finditer(text)]
    lines: dict[str, dict] = {}
    seen: dict[str, int] = {}
    for m in _PAIR.finditer(_SECTIONS.sub("|", text)):
        line = line_of(m["label"])
        n = seen.get(line, 0)
        if line and n < len(fields):
            lines.setdefault(line, dict.fromkeys(FUND_COLUMNS) | {"line": line})[fields[n]] = m["amount"] + m["unit"]
            seen[line] = n + 1
    return list(lines.values())


def line_of(label: str) -> str | None:
    """The contract line a label names, also shortened (`中央财政` for 中央财政资金); every total
    label is the block's one total line."""
    for end in range(len(label)):   # the label is the end of the text before the amount
        key = label[end:]
        line = FUND_LINES.get(key) or (key if key in FUND_TOTAL_LINES else None) or shortened(key)
        if line:
            return FUND_TOTAL_LINES[0] if line in FUND_TOTAL_LINES else line
    return None


def shortened(key: str) -> str | None:
    """The line of the one budget-line label that starts with ``key`` and ends in 资金."""
    lines = {line for label, line in FUND_LINES.items() if label.startswith(key) and label == key + FUNDS_WORD}
    return lines.pop() if len(lines) == 1 else None
