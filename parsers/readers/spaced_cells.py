"""Reader for tables dumped as cells joined by spaces on one long line (docx/xlsx text dumps).

Each whitespace-separated token is taken as a cell; empty cells are lost in such dumps, so the
table block is *flat* (see ``parsers.blocks``): recognizers align values by header words and
value types, not by position. Short lines are flowing text.
"""
from __future__ import annotations

from parsers.blocks import Block, make_cell

MIN_TOKENS = 40  # a table row dump; a prose line wrapped at page width has far fewer tokens
MIN_SHARE = 0.5  # of the text's characters in such lines


def _token_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if len(ln.split()) >= MIN_TOKENS]


def looks_like_spaced_cells(text: str) -> bool:
    """True when most of the text sits in long lines of space-joined tokens."""
    total = sum(len(ln.strip()) for ln in text.splitlines())
    return total > 0 and sum(len(ln.strip()) for ln in _token_lines(text)) / total >= MIN_SHARE


def read_spaced_cells(text: str) -> list[Block]:
    """One flat table row per long line; short lines as text blocks."""
    blocks: list[Block] = []
    for number, line in enumerate(text.splitlines(), start=1):
        tokens = line.split()
        if len(tokens) >= MIN_TOKENS:
            blocks.append({"type": "table", "rows": [[make_cell(t, number) for t in tokens]], "flat": True})
        elif tokens:
            blocks.append({"type": "text", "text": line.strip(), "line": number, "page": None})
    return blocks
