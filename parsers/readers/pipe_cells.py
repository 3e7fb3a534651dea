"""Reader for HTML tables flattened to `|`-separated text (scraped pages saved as text).

Two styles are common: bordered rows (`| a | b |`, one table row per line) and cells closed by a
pipe (`a |`, often one cell per line, `||||` for the empty cells of merged columns). Either way a
line's cells are one row of a *flat* table block: merged cells are missing, not empty, and a row
may be broken over lines, so the row boundaries are only hints (see ``parsers.blocks``).
Lines without a pipe are flowing text.
"""
from __future__ import annotations

from parsers.blocks import Block, Cell, make_cell

PIPE = "|"
MIN_PIPE_LINE_SHARE = 0.25


def looks_like_pipe_cells(text: str) -> bool:
    """True when a good share of the non-blank lines carry cell separators."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return False
    return sum(1 for ln in lines if PIPE in ln) / len(lines) >= MIN_PIPE_LINE_SHARE


def line_cells(line: str, bordered: bool) -> list[str]:
    """`| a | b |` -> [a, b]; `a | b |` -> [a, b]; `|` -> ['']; `||` -> ['', '']."""
    parts = line.strip().split(PIPE)
    parts = parts[:-1] if parts[-1].strip() == "" and len(parts) > 1 else parts
    if bordered and len(parts) > 1 and parts[0].strip() == "":
        parts = parts[1:]
    return [p.strip() for p in parts]


def read_pipe_cells(text: str) -> list[Block]:
    """Table blocks (flat) for the runs of pipe lines, text blocks for the other lines."""
    lines = text.splitlines()
    piped = [ln.strip() for ln in lines if PIPE in ln]
    bordered = bool(piped) and sum(1 for ln in piped if ln.startswith(PIPE) and len(ln) > 1) / len(piped) >= 0.5
    blocks: list[Block] = []
    rows: list[list[Cell]] = []
    for number, line in enumerate(lines, start=1):
        if PIPE in line:
            rows.append([make_cell(cell, number) for cell in line_cells(line, bordered)])
            continue
        if not line.strip():
            continue
        if rows:
            blocks.append({"type": "table", "rows": rows, "flat": True})
            rows = []
        blocks.append({"type": "text", "text": line.strip(), "line": number, "page": None})
    if rows:
        blocks.append({"type": "table", "rows": rows, "flat": True})
    return blocks
