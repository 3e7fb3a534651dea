"""Figures a disclosure states in words: `1-12支付进度率为99.83%`, `基本支出实现606.85万元`,
`在职人员控制率=（24/21）x100%=114.29%`, `按功能分类，一般公共服务支出1044.48万元，…`.

Reports and the notes of scoring sheets print the same department-level figures as the
attachments' tables; reading them lets the checks compare the places a figure is printed and
add up its breakdowns. The labels are data (``parsers/templates/statements.json``). A statement
keeps its sentence, its line and the part of the document it is in (the last report or form
title above it). Text in, records out; nothing here judges a figure.
"""
from __future__ import annotations

import bisect
from functools import cache

import regex

from parsers import templates
from parsers.expr import ExprError, evaluate
from parsers.flow_lines import Line

_NUMBER = r"-?\d[\d,]*(?:\.\d+)?"
_UNIT = r"%|亿元|万元|千元|百元|元"
# `=（59.66/44.07）×100%=` or `=[（17-22.50）/22.50]×100%=` between a label and its value.
_FORMULA = r"(?:[=＝](?P<expr>[\[【(（][\d.,+\-−*/×xX÷()（）\[\]【】]+?[×xX*]100%)(?:[=＝≈]))?"
_PERIOD = r"(?P<q>1-\d{1,2})月?"
_BLANKS = regex.compile(r"[\s“”\"'‘’]")
_SENTENCE_END = "。；;\n"
MAX_TITLE_LEN = 60
MAX_PERCENT = 1000
_GENERIC_SPENDING = regex.compile(rf"(?P<name>\p{{Han}}{{2,20}}?支出)(?P<n>{_NUMBER})(?P<u>{_UNIT})")


def vocabulary() -> dict:
    return templates.data("statements")


@cache
def figure_patterns() -> tuple[tuple[str, regex.Pattern], ...]:
    """(figure, pattern) for every label, longest label first (`基本支出实现` before `基本支出`)."""
    labelled = [(label, figure, spec) for figure, spec in vocabulary()["figures"].items() for label in spec["labels"]]
    out = []
    for label, figure, spec in sorted(labelled, key=lambda x: -len(x[0])):
        period = _PERIOD if spec.get("qualifier") == "period" else ""
        pattern = rf"{period}{regex.escape(label)}(?:为|是|达到|达|实现|共计)?{_FORMULA}" \
                  rf"(?P<n>{_NUMBER})(?P<u>{_UNIT})"
        out.append((figure, regex.compile(pattern)))
    return tuple(out)


def project_figures() -> frozenset[str]:
    """Figures a report states about one project (its name is in the sentence)."""
    return frozenset(f for f, spec in vocabulary()["figures"].items() if spec.get("about") == "project")


def plausible(m: regex.Match) -> bool:
    """Not digits of two cells run together (`预算完成率5100%` of a flattened table: 5 | 100%)."""
    return m["u"] != "%" or abs(float(m["n"].replace(",", ""))) <= MAX_PERCENT


def flatten(lines: list[Line]) -> tuple[str, list[int], list[Line]]:
    """The lines as one string without blanks or quotes (figures wrap across lines), and where
    each line starts in it."""
    parts, starts, pos = [], [], 0
    for line in lines:
        text = _BLANKS.sub("", line.text)
        starts.append(pos)
        parts.append(text + ("\n" if is_part_title(text) else ""))
        pos += len(parts[-1])
    return "".join(parts), starts, lines


def is_part_title(text: str) -> bool:
    return len(text) <= MAX_TITLE_LEN and text.endswith(tuple(vocabulary()["part_title_endings"]))


def sentence_at(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    right = min((i for ch in _SENTENCE_END if (i := text.find(ch, end)) >= 0), default=len(text))
    return text[left:right + 1].strip()


def find_statements(lines: list[Line]) -> list[dict]:
    """Every labelled figure and every part of a breakdown sentence, in text order."""
    text, starts, lines = flatten(lines)
    titles = [(n, line) for n, line in enumerate(lines) if is_part_title(_BLANKS.sub("", line.text))]
    taken: list[tuple[int, int]] = []
    found = []
    for figure, pattern in figure_patterns():
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken) or not plausible(m):
                continue  # a longer label already read this figure
            taken.append((m.start(), m.end()))
            found.append(statement(figure, m, text, starts, lines, titles, group=None))
    found += breakdown_parts(text, starts, lines, titles, taken)
    found.sort(key=lambda s: s.pop("_at"))
    return found


def breakdown_parts(text: str, starts: list[int], lines: list[Line], titles: list, taken: list) -> list[dict]:
    """The spending figures of a sentence that opens a breakdown (`按功能分类，…支出 X 万元，…`):
    labelled ones get the breakdown's name, unlabelled ones (function classes) become figures."""
    out = []
    for group, spec in vocabulary()["breakdowns"].items():
        for opener in spec["openers"]:
            for m in regex.finditer(regex.escape(opener), text):
                end = min((i for ch in "。；;" if (i := text.find(ch, m.end())) >= 0), default=len(text))
                for part in _GENERIC_SPENDING.finditer(text, m.end(), end):
                    if not any(a <= part.start("n") < b for a, b in taken):
                        taken.append((part.start(), part.end()))
                        out.append(statement(part["name"], part, text, starts, lines, titles, group=group))
    return out


def statement(figure: str, m: regex.Match, text: str, starts: list[int], lines: list[Line], titles: list,
              group: str | None) -> dict:
    n = bisect.bisect_right(starts, m.start()) - 1
    part = next((line for i, line in reversed(titles) if i <= n), None)
    groups = m.groupdict()
    return {"figure": figure, "qualifier": f"{groups['q']}月" if groups.get("q") else None,
            "value_raw": m["n"], "unit": m["u"], "computed": formula_value(groups.get("expr")), "group": group,
            "text": sentence_at(text, m.start(), m.end()), "part": part.text if part else None,
            "part_line": part.no if part else None, "source_line": lines[n].no, "source_page": None,
            "_at": m.start()}


def formula_value(expression: str | None) -> float | None:
    """The value of `（24/21）x100%` as a fraction (the figure the text's own arithmetic gives)."""
    if not expression:
        return None
    try:
        return evaluate(regex.sub(r"[×xX*]100%$", "", expression))
    except ExprError:
        return None


_BARE_FORMULA = regex.compile(r"[（(](?P<a>\d+(?:\.\d+)?)/(?P<b>\d+(?:\.\d+)?)[）)][×xX*]100%")


def bare_formula(text: str | None) -> float | None:
    """The value of the first `（101.72/102）×100%` of a text that names no figure (a scoring
    sheet's note under 资金到位率), as a fraction."""
    m = _BARE_FORMULA.search(_BLANKS.sub("", text or ""))
    return float(m["a"]) / float(m["b"]) if m and float(m["b"]) else None


def statements_in(text: str | None, line: int | None = None) -> list[dict]:
    """The statements of one text (a scoring sheet's note), all on its line."""
    return find_statements([Line(line or 0, text)]) if text else []
