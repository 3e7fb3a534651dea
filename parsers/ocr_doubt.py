"""What OCR read, and which of its values it doubted: per record, per value.

A value is read from one cell (or text line): the OCR cell on the record's line whose text holds
it, else (a 一级指标 carried down from a merged cell, a form's 项目名称 under its title) the nearest
such cell of the record's form. The value's confidence is the lowest of the characters of that
cell it is made of (``ocr_chars``: a character OCR read with confidence below ``LOW_CONF``, or one
next to ink it did not read); below ``LOW_CONF`` the value is doubtful. A value the pipeline
derives from a line rather than reads (a document's unit from its title) is as sure as the
least sure character of that line. Nothing is put right here: a doubtful name is flagged
(``ocr_doubt``), not guessed at.

Records get ``ocr_conf`` (the lowest confidence of their line's cells, as before), ``ocr_confs``
(value field -> confidence) and ``ocr_doubt`` (the value fields below ``LOW_CONF``). Where OCR
saw ink in a cell and read nothing there (``pdf.ocr_marks``: a character without text), the
record of that line has its empty values doubted: one of them was printed and not read.
"""
from __future__ import annotations

from collections.abc import Iterable

from parsers.blocks import Block, Cell, iter_rows
from parsers.readers.ocr import LOW_CONF

# record kind -> its fields that hold text as printed
ITEM_FIELDS = ("level1", "level2", "level3", "target", "actual", "weight", "score", "note")
FUND_FIELDS = ("budget_initial", "budget_full_year", "executed", "weight", "rate", "score")
GOAL_FIELDS = ("goal", "result", "deviation")
FORM_FIELDS = ("title", "project", "total_weight", "total_score")
LIST_ROW_FIELDS = ("project", "amount", "note")


def compact(text: str) -> str:
    return "".join(text.split())


class OcrCells:
    """The cells and text lines OCR read, by line."""

    def __init__(self, blocks: list[Block]):
        self.by_line: dict[int, list[Cell]] = {}
        self.unread: dict[int, float] = {}  # line -> confidence of ink OCR saw in an empty cell there
        for row in iter_rows(blocks):
            for cell in row:
                if "ocr_conf" in cell and cell["text"].strip():
                    self.by_line.setdefault(cell["line"], []).append(cell)
                elif "ocr_conf" in cell:
                    self.unread[cell["line"]] = min(self.unread.get(cell["line"], 1.0), cell["ocr_conf"])

    def __bool__(self) -> bool:
        return bool(self.by_line or self.unread)

    def line_conf(self, line: int | None) -> float | None:
        cells = self.by_line.get(line, [])
        return min(c["ocr_conf"] for c in cells) if cells else None

    def sources(self, value: str, lines: Iterable[int]) -> list[Cell]:
        """The cells holding ``value`` on the first of ``lines`` that has any: the cells that are
        the value, else those it is part of."""
        wanted = compact(value)
        for line in lines:
            texts = [(c, compact(c["text"])) for c in self.by_line.get(line, [])]
            found = [c for c, text in texts if text == wanted] or [c for c, text in texts if wanted in text]
            if found:
                return found
        return []

    def value_conf(self, value: str, lines: Iterable[int], derived: bool = False) -> float | None:
        """How surely OCR read ``value`` (None when it was not read by OCR from those lines)."""
        cells = self.sources(value, lines)
        if not cells:
            return None
        if derived:
            return min(c["ocr_conf"] for c in cells)
        return min(char_conf(c, value) for c in cells)


def char_conf(cell: Cell, value: str) -> float:
    """The lowest confidence of the cell's characters that ``value`` is made of."""
    confs = [conf for text, conf in cell.get("ocr_chars", []) if any(ch in value for ch in text)]
    return min(confs) if confs else cell["ocr_conf"]


def mark_record(record: dict, fields: Iterable[str], cells: OcrCells, lines: list[int],
                values: dict | None = None) -> None:
    """Set a record's per-value confidences and doubts from the cells on ``lines`` (nearest first)."""
    values = record if values is None else values
    note_confs(record, {f: conf for f in fields if has_text(values.get(f))
                        and (conf := cells.value_conf(values[f], lines)) is not None})


def note_confs(record: dict, confs: dict[str, float]) -> None:
    if confs:
        record.setdefault("ocr_confs", {}).update(confs)
        record["ocr_doubt"] = [f for f, conf in record["ocr_confs"].items() if conf < LOW_CONF]


def has_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def mark_ocr(result: dict, blocks: list[Block]) -> None:
    """Mark every record of a parse result read by OCR (in place); text input is left alone."""
    cells = OcrCells(blocks)
    if not cells:
        return
    forms, lists = result["forms"], result["project_lists"]
    starts = sorted({r["source_line"] for r in (*forms, *lists) if r.get("source_line") is not None})
    for form in forms:
        span = form_lines(form.get("source_line"), starts, cells)
        for item in form["items"]:
            mark_line(item, ITEM_FIELDS, cells, before(item.get("source_line"), span))
        for fund in form["funds"]:
            mark_line(fund, FUND_FIELDS, cells, own_line(fund))
        for goal in form["goals"]:
            mark_line(goal, GOAL_FIELDS, cells, own_line(goal))
        mark_record(form, FORM_FIELDS, cells, span)
        mark_record(form, form["meta"], cells, span, values=form["meta"])
        least(form, (*form["funds"], *form["goals"], *form["items"]), cells)
    for plist in lists:
        for row in plist["rows"]:
            mark_line(row, LIST_ROW_FIELDS, cells, own_line(row))
        mark_record(plist, ("title",), cells, form_lines(plist.get("source_line"), starts, cells))
        least(plist, plist["rows"], cells)


def mark_line(record: dict, fields: Iterable[str], cells: OcrCells, lines: list[int]) -> None:
    """Mark a record read from one line; a value found in no cell takes the line's confidence, and
    where OCR saw ink it could not read in an empty cell of that line, the record's empty values
    are doubtful too (one of them may be that ink)."""
    line = record.get("source_line")
    confs = [c for c in (cells.line_conf(line), cells.unread.get(line)) if c is not None]
    if confs:
        record["ocr_conf"] = min(confs)
    mark_record(record, fields, cells, lines)
    found, read = record.get("ocr_confs", {}), cells.line_conf(line)
    if read is not None:  # a value found in no one cell (put together, or respelled) is as sure as its line
        note_confs(record, {f: read for f in fields if has_text(record.get(f)) and f not in found})
    if line in cells.unread:
        note_confs(record, {f: cells.unread[line] for f in fields if not has_text(record.get(f))})


def least(record: dict, parts: Iterable[dict], cells: OcrCells) -> None:
    """A form or list is as sure as its least sure row or value."""
    confs = [r["ocr_conf"] for r in parts if "ocr_conf" in r] + list(record.get("ocr_confs", {}).values())
    if (own := cells.line_conf(record.get("source_line"))) is not None:
        confs.append(own)
    if confs:
        record["ocr_conf"] = min(confs)


def own_line(record: dict) -> list[int]:
    return [record["source_line"]] if record.get("source_line") is not None else []


def before(line: int | None, span: list[int]) -> list[int]:
    """The record's line, then the form's lines above it, nearest first (a value carried down)."""
    if line is None:
        return []
    return [line, *sorted((n for n in span if n < line), reverse=True)]


def form_lines(start: int | None, starts: list[int], cells: OcrCells) -> list[int]:
    """The OCR lines of a form or list: from where it starts to where the next one does."""
    if start is None:
        return []
    end = next((s for s in starts if s > start), None)
    return sorted(n for n in cells.by_line if n >= start and (end is None or n < end))


def line_doubts(values: dict[str, str | None], lines: list[Block]) -> list[str]:
    """The fields of ``values`` (a document's unit, region, title, derived from its lines) whose
    source line OCR read with a character below LOW_CONF."""
    cells = OcrCells(lines)
    if not cells:
        return []
    numbers = sorted(cells.by_line)
    return [f for f, v in values.items() if isinstance(v, str) and v
            and (conf := cells.value_conf(v, numbers, derived=True)) is not None and conf < LOW_CONF]
