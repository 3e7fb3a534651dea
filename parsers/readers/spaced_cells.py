"""Reader for tables dumped as cells joined by spaces on one long line (docx/xlsx text dumps).

Each whitespace-separated token is taken as a cell; empty cells are lost in such dumps, so the
table block is *flat* (see ``parsers.blocks``): recognizers align values by header words and
value types, not by position. Short lines are flowing text.
"""
from __future__ import annotations

import regex

from parsers.blocks import Block, make_cell
from parsers.text import weight_label
from parsers.vocabulary import template_words

MIN_TOKENS = 40  # a table row dump; a prose line wrapped at page width has far fewer tokens
MIN_SHARE = 0.5  # of the text's characters in such lines
_UNCLOSED = regex.compile(r"[(（][^)）]*$")
_HAN_END = regex.compile(r"\p{Han}$")   # a name ends before its weight, a figure does not


def _token_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if len(ln.split()) >= MIN_TOKENS]


def looks_like_spaced_cells(text: str) -> bool:
    """True when most of the text sits in long lines of space-joined tokens."""
    total = sum(len(ln.strip()) for ln in text.splitlines())
    return total > 0 and sum(len(ln.strip()) for ln in _token_lines(text)) / total >= MIN_SHARE


def spaced_tokens(line: str) -> list[str]:
    """The space-separated cells of a line. A bracket the line opens closes its cell (PDF text
    spaces `相关性(5 分)`), a weight ends the name before it (`规划 (15分)`); a template word the
    spacing cut in two is one cell (`一级 指标`)."""
    cells: list[str] = []
    for token in line.split():
        if cells and (_UNCLOSED.search(cells[-1]) or split_word(cells[-1], token)
                      or (weight_label(token) is not None and _HAN_END.search(cells[-1]))):
            cells[-1] += token
        else:
            cells.append(token)
    return cells


def split_word(head: str, tail: str) -> bool:
    """Neither half is a template word, together they are one."""
    words = template_words()
    return head + tail in words and head not in words and tail not in words


def read_spaced_cells(text: str) -> list[Block]:
    """One flat table row per long line; short lines as text blocks."""
    blocks: list[Block] = []
    for number, line in enumerate(text.splitlines(), start=1):
        tokens = spaced_tokens(line)
        if len(tokens) >= MIN_TOKENS:
            blocks.append({"type": "table", "rows": [[make_cell(t, number) for t in tokens]], "flat": True})
        elif tokens:
            blocks.append({"type": "text", "text": line.strip(), "line": number, "page": None})
    return blocks
