"""Reader for tables saved one cell per paragraph: cells separated by blank lines, empty cells
written as a no-break space (Word/WPS "save as text" of a table).

A paragraph is a cell; a cell's own line breaks (`项目资金\\n(万元)`) stay inside it. Row ends are
not marked, so the one table block is *flat* (see ``parsers.blocks``). A cell that Word split in
two paragraphs (`年初` / `预算数`) is joined back by the recognizer, which knows the header words.
"""
from __future__ import annotations

import regex

from parsers.blocks import Block, Cell, make_cell

NBSP = "\u00a0"
MIN_EMPTY_CELLS = 3  # NBSP-only paragraphs: the mark of a table exported cell by cell
MIN_SHORT_SHARE = 0.9  # or: nearly all paragraphs are short cell texts, not wrapped prose
SHORT = 12
_BLANK_RUN = regex.compile(r"\n[ \t]*\n")


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of every paragraph, NBSP-only ones kept as ''."""
    found: list[tuple[int, str]] = []
    start, lines = None, []
    for number, line in enumerate(text.splitlines() + [""], start=1):
        if line.strip(" \t") == "":
            if start is not None:
                found.append((start, "\n".join(lines)))
            start, lines = None, []
            continue
        start = start or number
        lines.append(line)
    return [(n, "" if not p.replace(NBSP, "").strip() else p.strip()) for n, p in found]


def looks_like_paragraph_cells(text: str) -> bool:
    paragraphs = _paragraphs(text)
    if len(paragraphs) < 10 or not _BLANK_RUN.search(text):
        return False
    empty = sum(1 for _, p in paragraphs if p == "")
    short = sum(1 for _, p in paragraphs if len(p) <= SHORT) / len(paragraphs)
    return empty >= MIN_EMPTY_CELLS or short >= MIN_SHORT_SHARE


def read_paragraph_cells(text: str) -> list[Block]:
    """One flat table block: each paragraph a cell on its own row."""
    rows: list[list[Cell]] = [[make_cell(p, number)] for number, p in _paragraphs(text)]
    return [{"type": "table", "rows": rows, "flat": True}] if rows else []
