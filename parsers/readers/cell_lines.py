"""Reader for the one-cell-per-line text layout (tables exported cell by cell).

A TAB starts a cell, a line without one continues the open cell, a blank line ends the row.
A line without a TAB when no cell is open is flowing text (titles, notes between tables).
"""
from __future__ import annotations

from parsers.blocks import Block, Cell, make_cell

TAB = "\t"


def looks_like_cell_lines(text: str) -> bool:
    """True when most non-blank lines open a cell with a TAB."""
    lines = [ln for ln in text.splitlines() if ln.strip() or TAB in ln]
    if not lines:
        return False
    tabbed = sum(1 for ln in lines if TAB in ln)
    return tabbed / len(lines) >= 0.5


def read_cell_lines(text: str) -> list[Block]:
    """Turn the text into table blocks (runs of rows) and text blocks."""
    blocks: list[Block] = []
    rows: list[list[Cell]] = []
    row: list[Cell] = []

    def end_row() -> None:
        nonlocal row
        if row:
            rows.append(row)
            row = []

    def end_table() -> None:
        nonlocal rows
        end_row()
        if rows:
            blocks.append({"type": "table", "rows": rows})
            rows = []

    for number, line in enumerate(text.splitlines(), start=1):
        if TAB in line:
            head, *cells = line.split(TAB)
            if head.strip() and row:
                row[-1]["text"] += "\n" + head
            for cell_text in cells:
                row.append(make_cell(cell_text, number))
        elif not line.strip():
            end_row()
        elif row:
            row[-1]["text"] += "\n" + line
        else:
            end_table()
            blocks.append({"type": "text", "text": line, "line": number, "page": None})
    end_table()
    return blocks
