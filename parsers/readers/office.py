"""Readers for Office files: .docx (python-docx), .xlsx (openpyxl), .xls (xlrd).

Each table or sheet becomes a grid table block where a merged cell is given once at its top-left
and the positions it covers are empty; paragraphs outside tables become text blocks. ``line``
counts the document's paragraphs and table rows (docx) or is the sheet row number (xlsx/xls).
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import regex

from parsers.blocks import Block, make_cell
from parsers.readers import MAX_GRID_CELLS, MAX_UNPACKED_BYTES, TooLarge

DOCX_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> list[Block]:
    """Paragraphs and tables of the document body, in order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_unpacked_size(data)
    document = docx.Document(io.BytesIO(data))
    blocks: list[Block] = []
    line = 0
    for el in document.element.body.iterchildren():
        if el.tag == DOCX_NS + "p":
            line += 1
            if text := Paragraph(el, document).text.strip():
                blocks.append({"type": "text", "text": text, "line": line, "page": None})
        elif el.tag == DOCX_NS + "tbl":
            rows, line = _docx_rows(Table(el, document), line)
            blocks.append({"type": "table", "rows": rows})
    return blocks


def _docx_rows(table, line: int) -> tuple[list[list[dict]], int]:
    """python-docx repeats a merged cell at every grid position it covers (gridSpan, vMerge):
    the first sighting keeps the text, the repeats become empty cells. (The elements are kept in
    ``seen`` so that their ids stay theirs while we compare.)"""
    seen: dict[int, object] = {}
    rows = []
    for row in table.rows:
        line += 1
        cells = []
        for cell in row.cells:
            first = id(cell._tc) not in seen
            seen[id(cell._tc)] = cell._tc
            cells.append(make_cell(cell.text if first else "", line))
        rows.append(cells)
    return rows, line


def check_unpacked_size(data: bytes) -> None:
    """TooLarge when an Office file's parts unpack to more than MAX_UNPACKED_BYTES (the sizes
    are in the zip directory: nothing is unpacked to find out)."""
    try:
        size = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError):
        return  # the reader itself reports a damaged file
    if size > MAX_UNPACKED_BYTES:
        raise TooLarge(f"its parts unpack to {size:,} bytes, more than {MAX_UNPACKED_BYTES:,}")


def check_grid(sheet: str, rows: int, columns: int) -> None:
    if rows * columns > MAX_GRID_CELLS:
        raise TooLarge(f"sheet {sheet!r} spans {rows:,} rows x {columns:,} columns, "
                       f"more than {MAX_GRID_CELLS:,} cells")


def format_value(value, number_format: str = "") -> str:
    """A spreadsheet value as it would print: 10.0 -> `10`, 1 with format `0.00%` -> `100.00%`,
    0 with `0.00` -> `0.00` (thousands separators are left out)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, int | float):
        m = regex.search(r"\.(0+)", number_format or "")
        decimals = len(m[1]) if m else None
        if "%" in (number_format or ""):
            return f"{value * 100:.{decimals or 0}f}%"
        if decimals:
            return f"{value:.{decimals}f}"
        return f"{round(float(value), 10):.10g}" if isinstance(value, float) else str(value)
    return str(value)


def read_xlsx(data: bytes) -> list[Block]:
    """One grid table block per sheet (openpyxl leaves merged ranges empty but the top-left)."""
    import openpyxl

    check_unpacked_size(data)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    blocks: list[Block] = []
    for sheet in book.worksheets:
        check_grid(sheet.title, sheet.max_row, sheet.max_column)
        rows = [[make_cell(format_value(c.value, c.number_format), c.row) for c in row]
                for row in sheet.iter_rows()]
        if rows:
            blocks.append({"type": "table", "rows": rows})
    return blocks


def read_xls(data: bytes) -> list[Block]:
    """One grid table block per sheet of a legacy .xls (xlrd); merged ranges keep the top-left."""
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    blocks: list[Block] = []
    for sheet in book.sheets():
        check_grid(sheet.name, sheet.nrows, sheet.ncols)
        covered = {(r, c) for r0, r1, c0, c1 in sheet.merged_cells for r in range(r0, r1)
                   for c in range(c0, c1) if (r, c) != (r0, c0)}
        rows = []
        for r in range(sheet.nrows):
            cells = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
                text = "" if (r, c) in covered else _xls_value(book, cell, fmt.format_str if fmt else "")
                cells.append(make_cell(text, r + 1))
            rows.append(cells)
        if rows:
            blocks.append({"type": "table", "rows": rows})
    return blocks


def _xls_value(book, cell, number_format: str) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return format_value(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return format_value(cell.value, number_format)
