"""Template labels in what OCR read, put right from the template vocabulary.

A scanned 主管部门 read as `主管部内` no longer names a field, and the department's name then
swallows it. An OCR cell (or text line) that OCR itself doubted (confidence below ``LOW_CONF``)
and whose whole text is one character away from a word the templates know
(``parsers.vocabulary``: meta labels, column headers, section and total labels, level and fund
line names), is none itself and is near no other, becomes that word. A surely read cell is
never changed: template words one character apart abound (年初/年度预算数, 时效/绩效指标). Words
shorter than ``MIN_LABEL`` characters are left alone: one character is too much of them to guess.

OCR also loses the gap between `label：value` pairs printed on one line (`预算单位名称：X  预算单位
编码：Y`): a meta label with its colon inside an OCR line gets its space back.
"""
from __future__ import annotations

from functools import cache

import regex

from parsers import vocabulary as V
from parsers.blocks import Block
from parsers.readers.ocr import LOW_CONF

MIN_LABEL = 4


@cache
def inline_label():
    """A meta label and its colon (longest label first, so 主管部门 is not cut to 部门)."""
    labels = sorted(V.META_LABELS, key=len, reverse=True)
    return regex.compile(r"(?:" + "|".join(regex.escape(label) for label in labels) + r")[:：]")


def spaced_labels(text: str) -> str:
    """A space before every meta label (with its colon) that follows other text directly."""
    def spaced(m: regex.Match) -> str:
        return " " + m[0] if m.start() > 0 and not text[m.start() - 1].isspace() else m[0]
    return inline_label().sub(spaced, text)


@cache
def known_labels() -> dict[int, tuple[str, ...]]:
    """Template words of at least MIN_LABEL characters, by length: labels, column headers, and the
    indicator level and fund line names (so that one of them is never taken for a misread label)."""
    words = [*V.META_LABELS, *V.SECTION_LABELS, *V.FUND_BLOCK_LABELS, *V.TOTAL_LABELS, *V.GOAL_HEADERS,
             *V.LEVEL1_NAMES, *V.LEVEL2_NAMES, *V.GOAL_LEVEL1_NAMES, *V.GOAL_LEVEL2_NAMES, *V.FUND_LINES]
    words += [w for names in (*V.INDICATOR_COLUMNS.values(), *V.FUND_COLUMNS.values()) for w in names]
    by_length: dict[int, list[str]] = {}
    for word in dict.fromkeys(w for w in words if len(w) >= MIN_LABEL):
        by_length.setdefault(len(word), []).append(word)
    return {n: tuple(ws) for n, ws in by_length.items()}


def nearest_label(text: str) -> str | None:
    """The one template word that ``text`` (itself none) differs from in exactly one character."""
    same_length = known_labels().get(len(text), ())
    if text in same_length:
        return None
    near = [w for w in same_length if sum(a != b for a, b in zip(w, text, strict=True)) == 1]
    return near[0] if len(near) == 1 else None


def snap_labels(blocks: list[Block]) -> None:
    """Put right (in place) the OCR cells and lines that are a misread template label."""
    for block in blocks:
        cells = [c for row in block["rows"] for c in row] if block["type"] == "table" else [block]
        for cell in (c for c in cells if "ocr_conf" in c):
            doubted = cell["ocr_conf"] < LOW_CONF and nearest_label(cell["text"].strip())
            cell["text"] = doubted or spaced_labels(cell["text"])
