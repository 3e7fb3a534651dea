"""Lay spanned cells (HTML rowspan/colspan, Word merges) onto the grid the seam expects: a merged
cell is given once at its top-left position and the positions it covers hold empty cells."""
from __future__ import annotations

from parsers.blocks import Cell, make_cell
from parsers.readers import MAX_GRID_CELLS, TooLarge

# (text, line, rowspan, colspan) as the source lists them row by row, covered positions omitted.
SpannedCell = tuple[str, int, int, int]


def place_spans(rows: list[list[SpannedCell]], page: int | None = None) -> list[list[Cell]]:
    """Rows of equal width with every covered position an empty cell. TooLarge when the spans
    cover more than MAX_GRID_CELLS positions (checked before any is laid out)."""
    area = sum(max(1, rowspan) * max(1, colspan) for row in rows for _, _, rowspan, colspan in row)
    if area > MAX_GRID_CELLS:
        raise TooLarge(f"a table's cells span {area:,} grid positions, more than {MAX_GRID_CELLS:,}")
    taken: dict[tuple[int, int], Cell] = {}
    width = 0
    # A row's own line (its first listed cell's): a position a cell from above covers is on it,
    # so every cell of a row says where that row is (the records' source_line comes from them).
    lines = [row[0][1] if row else 0 for row in rows]
    for r, row in enumerate(rows):
        c = 0
        for text, line, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            for dr in range(max(1, rowspan)):
                own = lines[r + dr] if dr and r + dr < len(lines) and lines[r + dr] else line
                for dc in range(max(1, colspan)):
                    taken[(r + dr, c + dc)] = make_cell("" if (dr or dc) else text, own, page)
            c += max(1, colspan)
            width = max(width, c)
    height = max([r for r, _ in taken] + [len(rows) - 1]) + 1
    return [[taken.get((r, c)) or make_cell("", lines[min(r, len(lines) - 1)] if lines else r + 1, page)
             for c in range(width)] for r in range(height)]
