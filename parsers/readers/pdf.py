"""Reader for PDF files: ruled tables from the page geometry, everything else as lines of text.

pdfplumber's table finder finds the cells of a ruled table from its ruling lines (read here
straight from pdfminer's layout, see ``PageGeometry``). A merged cell is one cell whose top-left
corner starts a grid position; the positions it covers come back empty, which is the seam's
convention (``parsers.blocks``), so recognizers carry 一级指标 and friends down. Characters are
assigned to cells by position (no cropping per cell, which is slow); vertical text (stacked or
turned glyphs) and wrapped lines are joined; a table that runs on over a page break is joined
to its start, with a repeated header dropped. Pages without usable rulings give lines of
flowing text (``pipeline.parse`` hands runs of them to the flow-text parser). Page numbers,
running heads, `续表` lines, slanted watermarks and fake-bold double printing are dropped; a
page printed sideways is turned upright first. What cannot be read becomes an ``issue`` block
(a damaged or scanned page, content pdfminer reports lost) or ``PdfUnreadable`` for the file.
"""
from __future__ import annotations

import io
import logging
import zlib
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import groupby

import regex

from parsers.blocks import Block, Cell
from parsers.readers import MAX_PDF_PAGES, MAX_UNPACKED_BYTES, TooLarge
from parsers.readers.ocr import ocr_available, ocr_page

NEEDS_OCR = "needs OCR"
ENCRYPTED = "encrypted"
DAMAGED = "damaged"
NO_TEXT = "empty"
MARGIN_ZONE = 0.08  # top/bottom share of a page where page numbers live
HEAD_ZONE = 0.055   # top/bottom share of a page where running heads live (above where titles start)
_PAGE_NUMBER = regex.compile(r"^(?:[-—–－\s]*\d+[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
                             r"|\d+\s*/\s*\d+|(?i:page)\s*\d+(?:\s*of\s*\d+)?)$")
# `续表`, `（续表1）`: the line over a table's part on the next page.
_CONTINUED = regex.compile(r"^[(（]?\s*续\s*表?\s*\d*\s*[)）]?\s*[:：]?$")
SIDEWAYS_MIN_CHARS = 20  # a page with at least this many glyphs, most turned a quarter, is sideways
SCAN_MAX_CHARS = 20   # a page with fewer characters (a page number, a stamp) ...
SCAN_MIN_COVER = 0.4  # ... and images over this share of its area is a scanned page
_GARBAGE = regex.compile(r"\(cid:\d+\)|\ufffd")  # glyphs without a Unicode mapping
_HAN = regex.compile(r"\p{Han}")
GARBAGE_SHARE = 0.3   # a text layer with this share of unmapped glyphs is read from the image
OCR_HINT = "install the OCR extra: pip install 'jixiao[ocr]'"
DATA_LOSS_SIGNS = ("Data-loss", "corrupt", "Not adding object", "Unexpected EOF")  # in pdfminer's warnings
ROW_GAP = 0.5     # chars whose tops differ by less than this share of their size share a line
WORD_GAP = 0.35   # a horizontal gap wider than this share of the size is a space
SAME_EDGE = 3.0   # points: tables on consecutive pages with edges this close are one table ...
RUNS_TO_FOOT = 0.7  # ... when the first ends below this share of its page's height
WRAP_ROOM = 1.5   # a line ending within this many char widths of the cell edge was wrapped


class PdfUnreadable(Exception):
    """The PDF cannot be read: ``reason`` is NEEDS_OCR, ENCRYPTED, DAMAGED or NO_TEXT."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def read_pdf(data: bytes) -> list[Block]:
    """Blocks of every page in reading order; ``{"type": "issue"}`` blocks for pages that could
    not be read (or only in part). Raises PdfUnreadable when no page can be."""
    with data_loss_log() as lost, bounded_inflate():
        pdf = open_pdf(data)
        issues = [issue(None, f"{DAMAGED}: {m}") for m in lost.take()]
        with pdf:
            items = read_pages(pdf.pages, issues, lost, data)
    if not any(i["kind"] != "furniture" for i in items):
        raise no_text(issues)
    return number_lines(join_continued_tables(drop_running_heads(items))) + issues


def open_pdf(data: bytes):
    import pdfplumber  # imported here: only PDF input pays for it
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        if len(pdf.pages) > MAX_PDF_PAGES:  # reads the page tree: a broken one fails here, not later
            raise TooLarge(f"{len(pdf.pages):,} pages, more than {MAX_PDF_PAGES:,}")
        return pdf
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for broken files
        raise_too_large(exc)
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in causes(exc)):
            raise PdfUnreadable(ENCRYPTED, "a password is needed to open it") from exc
        raise PdfUnreadable(DAMAGED, describe(exc)) from exc


def read_pages(pages: list, issues: list[Block], lost: DataLossLog, data: bytes) -> list[dict]:
    """Items of every page; a page that breaks, lost content or is a scan adds an issue."""
    items: list[dict] = []
    for number, page in enumerate(pages, start=1):
        try:
            found, lacking = read_page(page, number, data)
            items += found
        except Exception as exc:  # noqa: BLE001 - one broken page must not lose the others
            raise_too_large(exc)
            issues.append(issue(number, f"page {number} {DAMAGED}: {describe(exc)}"))
            continue
        finally:
            page.close()  # drop the page's cached layout: memory stays flat over long files
        issues += [issue(number, f"page {number} {DAMAGED}: {m}") for m in lost.take()[:1]]
        if lacking:
            issues.append(issue(number, f"page {number} {NEEDS_OCR} ({lacking})"))
    return items


def read_page(page, number: int, data: bytes) -> tuple[list[dict], str | None]:
    """The items of one page and, when its text is missing, why. A page without a usable text
    layer is read from its image where the OCR extra is installed."""
    geometry = PageGeometry(page)
    lacking = missing_text_layer(geometry)
    if not lacking:
        return page_items(geometry, number), None
    if not ocr_available():
        return page_items(geometry, number), f"{lacking}; {OCR_HINT}"
    found = page_items(ocr_page(data, number), number)
    return found, None if any(i["kind"] != "furniture" for i in found) else f"{lacking}, and OCR found no text on it"


def issue(page: int | None, text: str) -> Block:
    return {"type": "issue", "text": text, "page": page}


class DataLossLog(logging.Handler):
    """pdfminer's warnings that mean content was lost: it logs them and carries on."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(sign in message for sign in DATA_LOSS_SIGNS):
            self.messages.append(message[:120])

    def take(self) -> list[str]:
        taken, self.messages = list(dict.fromkeys(self.messages)), []
        return taken


@contextmanager
def data_loss_log() -> Iterator[DataLossLog]:
    """Listen to pdfminer while reading (its other warnings, e.g. about font boxes, stay quiet)."""
    handler, logger = DataLossLog(), logging.getLogger("pdfminer")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


class _Inflater:
    """A zlib decompressor that raises TooLarge past MAX_UNPACKED_BYTES of output."""

    def __init__(self):
        self.inner, self.size = zlib.decompressobj(), 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self.inner.decompress(data, MAX_UNPACKED_BYTES + 1 - self.size)
        self.size += len(out)
        if self.size > MAX_UNPACKED_BYTES or self.inner.unconsumed_tail:
            raise TooLarge(f"a stream inflates to more than {MAX_UNPACKED_BYTES:,} bytes")
        return out

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


class _BoundedZlib:
    """What pdfminer sees as ``zlib``: the same, but no stream inflates past the bound (a 3 MB
    file can hold a stream of gigabytes of zeros)."""

    error = zlib.error
    decompressobj = _Inflater

    @staticmethod
    def decompress(data: bytes) -> bytes:
        inflater = _Inflater()
        out = inflater.decompress(data)
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")  # as zlib.decompress says
        return out

    def __getattr__(self, name: str):
        return getattr(zlib, name)


@contextmanager
def bounded_inflate() -> Iterator[None]:
    """pdfminer inflates its streams with the bounded zlib while a PDF is read."""
    from pdfminer import pdftypes

    pdftypes.zlib, original = _BoundedZlib(), pdftypes.zlib
    try:
        yield
    finally:
        pdftypes.zlib = original


def raise_too_large(exc: BaseException) -> None:
    """A bound was hit somewhere below (pdfplumber wraps pdfminer's errors): the file fails."""
    if too_large := next((e for e in causes(exc) if isinstance(e, TooLarge)), None):
        raise too_large from None


def describe(exc: BaseException) -> str:
    """What went wrong, from the innermost exception that says something."""
    said = [e for e in causes(exc) if str(e)]
    if not said:
        return type(exc).__name__
    message = "".join(ch if ch.isprintable() else "?" for ch in str(said[-1])[:120])
    return f"{type(said[-1]).__name__}: {message}"


def causes(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (pdfplumber wraps pdfminer's errors in its args) and its causes."""
    found: list[BaseException] = []
    todo = [exc]
    while todo and len(found) < 10:
        e = todo.pop()
        found.append(e)
        todo += [a for a in e.args if isinstance(a, BaseException)]
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
    return found


class PageGeometry:
    """The characters, ruling edges and images of a page, read straight from pdfminer's layout.

    pdfplumber's own ``page.chars``/``page.edges`` copy and resolve every attribute of every
    object, which costs a quarter of the time on a densely ruled page; this keeps only what the
    reader needs, in pdfplumber's coordinates (points from the top-left), and stands in for the
    page in pdfplumber's TableFinder (which reads ``edges`` and ``bbox``).
    """

    def __init__(self, page):
        from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTRect

        self.bbox = page.bbox
        self.width, self.height = page.width, page.height
        self.chars: list[dict] = []
        self.edges: list[dict] = []
        self.image_area = 0.0
        self.turned = 0  # degrees clockwise the page was turned to read upright (0, 90 or 270)
        self._x, self._y = page.mediabox[0], page.mediabox[1] + page.height
        todo = list(page.layout)
        while todo:
            obj = todo.pop()
            if isinstance(obj, LTChar):
                self.chars.append(dict(self.box(obj), text=obj.get_text(), size=obj.size, upright=obj.upright,
                                       matrix=obj.matrix))
            elif isinstance(obj, LTCurve):  # LTRect and LTLine are curves too
                self.add_edges(obj.pts, closed=isinstance(obj, LTRect))
            elif isinstance(obj, LTImage):
                self.image_area += obj.width * obj.height
            if isinstance(obj, LTContainer):
                todo += list(obj)
        self.turn_upright()

    def turn_upright(self) -> None:
        """A page printed sideways (most glyphs turned a quarter) is turned so its text reads left
        to right: coordinates rotate, edges swap orientation, turned glyphs become upright."""
        turned = [c for c in self.chars if not c["upright"]]
        if len(turned) < SIDEWAYS_MIN_CHARS or len(turned) * 2 <= len(self.chars):
            return
        upward = sum(1 for c in turned if c["matrix"][1] > 0) * 2 > len(turned)
        w, h = self.width, self.height
        for obj in self.chars + self.edges:
            x0, x1, top, bottom = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
            if upward:  # reads bottom to top: turn the page a quarter clockwise
                obj.update(x0=h - bottom, x1=h - top, top=x0, bottom=x1)
            else:
                obj.update(x0=top, x1=bottom, top=w - x1, bottom=w - x0)
        turned_ids = {id(c) for c in turned}
        for char in self.chars:
            char["upright"] = id(char) in turned_ids
        for edge in self.edges:
            edge.update(orientation="v" if edge["orientation"] == "h" else "h", width=edge["x1"] - edge["x0"],
                        height=edge["bottom"] - edge["top"])
        self.width, self.height = h, w
        self.bbox = (0, 0, h, w)
        self.turned = 90 if upward else 270

    def box(self, obj) -> dict:
        return {"x0": obj.x0 + self._x, "x1": obj.x1 + self._x, "top": self._y - obj.y1, "bottom": self._y - obj.y0}

    def add_edges(self, pts: list[tuple[float, float]], closed: bool) -> None:
        """Horizontal and vertical segments of a path (a rectangle's four sides, a line)."""
        if closed:  # a rectangle lists its corners only
            pts = [*pts, pts[0]]
        for (xa, ya), (xb, yb) in zip(pts, pts[1:], strict=False):
            if ya == yb or xa == xb:
                x0, x1 = min(xa, xb) + self._x, max(xa, xb) + self._x
                top, bottom = self._y - max(ya, yb), self._y - min(ya, yb)
                self.edges.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
                                   "height": bottom - top, "orientation": "h" if ya == yb else "v",
                                   "object_type": "edge"})


def is_slanted(char: dict) -> bool:
    """A glyph turned by other than a right angle: a watermark, not content."""
    a, b, c, d = char["matrix"][:4]
    return not ((b == 0 and c == 0) or (a == 0 and d == 0))


def is_scanned(geometry: PageGeometry) -> bool:
    """An image covers most of the page and there is (almost) no text: a scan."""
    if sum(1 for c in geometry.chars if c["text"].strip()) >= SCAN_MAX_CHARS:
        return False
    return is_mostly_image(geometry)


def is_mostly_image(geometry: PageGeometry) -> bool:
    return geometry.image_area >= SCAN_MIN_COVER * geometry.width * geometry.height


def missing_text_layer(geometry: PageGeometry) -> str | None:
    """Why the page must be read from its image, or None: a scan without text, a text layer of
    unmapped glyphs (`(cid:12)`, U+FFFD), or one without Chinese over a page-sized image (an
    OCR layer of Latin garbage)."""
    if is_scanned(geometry):
        return "an image, no text layer"
    texts = [c["text"] for c in geometry.chars if c["text"].strip()]
    if texts and sum(1 for t in texts if _GARBAGE.search(t)) >= len(texts) * GARBAGE_SHARE:
        return "its text layer is unmapped glyphs"
    if is_mostly_image(geometry) and not any(_HAN.search(t) for t in texts):
        return "an image under a text layer without Chinese"
    return None


def no_text(issues: list[Block]) -> PdfUnreadable:
    """Why a PDF gave no text at all."""
    if any(NEEDS_OCR in i["text"] for i in issues):
        return PdfUnreadable(NEEDS_OCR, "no text layer on any page (scanned images)")
    if issues:
        return PdfUnreadable(DAMAGED, "no page could be read")
    return PdfUnreadable(NO_TEXT, "the PDF holds no text and no images")


# --- one page -------------------------------------------------------------------------------

def page_items(geometry: PageGeometry, number: int) -> list[dict]:
    """Tables and text lines of a page, top to bottom: ``{"kind", "top", "bottom", ...}``."""
    from pdfplumber.table import TableFinder, TableSettings

    chars = [c for c in geometry.chars if not is_slanted(c)]
    finder = TableFinder(geometry, TableSettings.resolve(None))  # ruling lines only (the default)
    tables = [t for t in finder.tables if len(t.cells) >= 2]  # one box round a title is no table
    items, loose = [], chars
    for table in tables:
        grid = CellGrid(table.cells)
        loose = [c for c in loose if not grid.take(c)]
        items.append({"kind": "table", "top": table.bbox[1], "bottom": table.bbox[3], "page": number,
                      "x0": table.bbox[0], "x1": table.bbox[2], "rows": grid.rows(number),
                      "page_height": geometry.height})
    for line in text_lines(printed(loose)):
        text, top = line_text(line), min(c["top"] for c in line)
        if text:
            items.append({"kind": "furniture" if _CONTINUED.match(text) else "text", "top": top,
                          "bottom": line[0]["bottom"], "page": number, "text": text, "ocr": ocr_marks(line),
                          "bbox": [round(v, 1) for v in (line[0]["x0"], top, line[-1]["x1"], line[0]["bottom"])]})
    items.sort(key=lambda i: i["top"])
    mark_page_margins(items, geometry.height)
    return items


def mark_page_margins(items: list[dict], height: float) -> None:
    """The first and last line of a page may be margin matter: a page number there is dropped;
    a running head is known only by recurring (``drop_running_heads``)."""
    for item in {id(i): i for i in items[:1] + items[-1:]}.values():
        if item["kind"] != "text":
            continue
        top = item["top"]
        if (top < height * MARGIN_ZONE or top > height * (1 - MARGIN_ZONE)) and _PAGE_NUMBER.match(item["text"]):
            item["kind"] = "furniture"
        item["in_head"] = top < height * HEAD_ZONE or top > height * (1 - HEAD_ZONE)


def drop_running_heads(items: list[dict]) -> list[dict]:
    """Lines at a page's very top or bottom that recur on at least half the pages (running heads
    and feet) are furniture; a form title lower down on many pages is not touched."""
    pages: dict[str, set[int]] = {}
    for item in items:
        if item.get("in_head"):
            pages.setdefault(item["text"], set()).add(item["page"])
    page_count = len({item["page"] for item in items})

    def recurs(item: dict) -> bool:
        seen = len(pages[item["text"]]) if item.get("in_head") else 0
        return seen > 1 and seen * 2 >= page_count
    return [dict(item, kind="furniture") if recurs(item) else item for item in items]


class CellGrid:
    """The cells of one table, with characters dropped into them by position."""

    def __init__(self, cells: list[tuple[float, float, float, float]]):
        self.cells = cells
        self.xs = sorted({c[0] for c in cells} | {c[2] for c in cells})
        self.ys = sorted({c[1] for c in cells} | {c[3] for c in cells})
        x_at = {x: i for i, x in enumerate(self.xs)}
        y_at = {y: i for i, y in enumerate(self.ys)}
        self.owner: dict[tuple[int, int], int] = {}
        for k, (x0, top, x1, bottom) in enumerate(cells):
            for i in range(x_at[x0], x_at[x1]):
                for j in range(y_at[top], y_at[bottom]):
                    self.owner[i, j] = k
        self.chars: list[list[dict]] = [[] for _ in cells]

    def take(self, char: dict) -> bool:
        """Put a character into the cell under its centre; False when it lies in no cell."""
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        i, j = bisect_right(self.xs, cx) - 1, bisect_right(self.ys, cy) - 1
        k = self.owner.get((i, j))
        if k is None:
            return False
        self.chars[k].append(char)
        return True

    def rows(self, page: int) -> list[dict]:
        """Grid rows (one per distinct cell top, one position per distinct cell left):
        ``{"top", "cells": [(text, bbox, ocr_marks) | None]}``."""
        lefts = sorted({c[0] for c in self.cells})
        by_corner = {(c[0], c[1]): k for k, c in enumerate(self.cells)}
        rows = []
        for top in sorted({c[1] for c in self.cells}):
            row = []
            for x in lefts:
                k = by_corner.get((x, top))
                row.append(None if k is None else (cell_text(printed(self.chars[k]), self.cells[k]),
                                                   self.cells[k], ocr_marks(self.chars[k])))
            rows.append({"page": page, "lefts": lefts, "cells": row})
        return rows


# --- characters -> text -------------------------------------------------------------------

def printed(chars: list[dict]) -> list[dict]:
    """The characters that have text (OCR adds textless ones where it saw ink it could not read)."""
    return [c for c in chars if c["text"]]


def ocr_marks(chars: list[dict]) -> dict:
    """What OCR says of characters read from an image: ``ocr_conf``, the lowest confidence, and
    ``ocr_chars``, each character (or run of digits) with its own; nothing for a text layer."""
    read = [[c["text"], c["conf"]] for c in chars if "conf" in c]
    return {"ocr_conf": min(conf for _, conf in read), "ocr_chars": read} if read else {}


def text_lines(chars: list[dict]) -> list[list[dict]]:
    """Upright characters grouped into lines (by top), each sorted left to right."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        size = char["size"] or 1.0
        if lines and abs(lines[-1][0]["top"] - char["top"]) < size * ROW_GAP:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [dedupe(sorted(line, key=lambda c: c["x0"])) for line in lines]


def dedupe(line: list[dict]) -> list[dict]:
    """Drop characters printed twice on top of each other (fake bold)."""
    out: list[dict] = []
    for char in line:
        if out and out[-1]["text"] == char["text"] and abs(out[-1]["x0"] - char["x0"]) < 1:
            continue
        out.append(char)
    return out


def line_text(line: list[dict]) -> str:
    """The characters of a line; a printed space or a wide gap gives one space."""
    parts: list[str] = []
    for prev, char in zip([None, *line], line, strict=False):
        gap = prev is not None and char["x0"] - prev["x1"] > (char["size"] or 1.0) * WORD_GAP
        if gap and parts[-1] != " ":
            parts.append(" ")
        if not char["text"].isspace() or (parts and parts[-1] != " "):
            parts.append(" " if char["text"].isspace() else char["text"])
    return "".join(parts).strip()


def cell_text(chars: list[dict], bbox: tuple[float, float, float, float]) -> str:
    """The text of one cell: rotated glyphs read along their direction; lines joined by a break,
    except a wrap inside a number or an ASCII word, which is joined directly."""
    if not chars:
        return ""
    if sum(1 for c in chars if not c["upright"]) > len(chars) / 2:
        return rotated_text(chars)
    lines = text_lines(chars)
    out = line_text(lines[0])
    for prev, line in zip(lines, lines[1:], strict=False):
        text = line_text(line)
        wrapped = bbox[2] - prev[-1]["x1"] < (prev[-1]["size"] or 1.0) * WRAP_ROOM
        glued = wrapped and out[-1:].isascii() and out[-1:].isalnum() and text[:1].isascii() and text[:1].isalnum()
        out += ("" if glued else "\n") + text
    return out


def rotated_text(chars: list[dict]) -> str:
    """Glyphs turned 90°: columns left to right, read bottom-up (or top-down when turned -90°)."""
    columns = []
    for _, column in groupby(sorted(chars, key=lambda c: round(c["x0"])), key=lambda c: round(c["x0"])):
        column = list(column)
        upward = column[0]["matrix"][1] > 0
        column.sort(key=lambda c: -c["top"] if upward else c["top"])
        columns.append("".join(c["text"] for c in column))
    return "\n".join(columns)


# --- pages -> blocks ----------------------------------------------------------------------

def join_continued_tables(items: list[dict]) -> list[dict]:
    """Join a table that starts a page to the one that ran to the foot of the page before when
    they share their left and right edges; leading rows repeating its top rows are dropped."""
    out: list[dict] = []
    for item in items:
        if item["kind"] == "furniture":
            continue
        prev = out[-1] if out else None
        if item["kind"] == "table" and prev and prev["kind"] == "table" and continues(prev, item, items):
            prev["rows"] += without_repeated_header(prev["rows"], item["rows"])
            prev.update(page=item["page"], bottom=item["bottom"], page_height=item["page_height"])
            continue
        out.append(dict(item, rows=list(item["rows"])) if item["kind"] == "table" else item)
    return out


def continues(prev: dict, table: dict, items: list[dict]) -> bool:
    """The table goes on from prev: next page, first thing on it, same edges, and prev reached
    the foot of its page (a form that ends higher up is followed by a new form, not its rest)."""
    return (table["page"] == prev["page"] + 1 and first_on_page(items, table)
            and prev["bottom"] >= prev["page_height"] * RUNS_TO_FOOT
            and abs(prev["x0"] - table["x0"]) < SAME_EDGE and abs(prev["x1"] - table["x1"]) < SAME_EDGE)


def first_on_page(items: list[dict], item: dict) -> bool:
    return next(i for i in items if i["page"] == item["page"] and i["kind"] != "furniture") is item


def row_texts(row: dict) -> list[str]:
    """The non-empty texts of a row, whitespace removed: equal for a header repeated on another
    page even when that page's part of the table is cut into other columns."""
    return ["".join(c[0].split()) for c in row["cells"] if c and c[0].strip()]


def without_repeated_header(first: list[dict], rows: list[dict]) -> list[dict]:
    n = 0
    while n < len(rows) and n < len(first) and row_texts(rows[n]) and row_texts(rows[n]) == row_texts(first[n]):
        n += 1
    return rows[n:]


def number_lines(items: list[dict]) -> list[Block]:
    """Blocks with a running line number (rows and text lines in reading order) and the page."""
    blocks: list[Block] = []
    line = 0
    for item in items:
        if item["kind"] == "text":
            line += 1
            blocks.append(with_conf({"type": "text", "text": item["text"], "line": line, "page": item["page"],
                                     "bbox": item["bbox"]}, item["ocr"]))
            continue
        lefts = column_lefts(item["rows"])
        rows = []
        for row in item["rows"]:
            line += 1
            rows.append(grid_row(row, lefts, line))
        blocks.append({"type": "table", "rows": rows})
    return blocks


def column_lefts(rows: list[dict]) -> list[float]:
    """The column grid of a table joined from parts on several pages: every part's column
    lefts, those closer than SAME_EDGE taken as one."""
    lefts: list[float] = []
    for x in sorted({x for row in rows for x in row["lefts"]}):
        if not lefts or x - lefts[-1] >= SAME_EDGE:
            lefts.append(x)
    return lefts


def grid_row(row: dict, lefts: list[float], line: int) -> list[Cell]:
    """Cells of a row on the table's column grid (each cell at the column nearest its left)."""
    cells: list[Cell] = [{"text": "", "line": line, "page": row["page"]} for _ in lefts]
    for x, cell in zip(row["lefts"], row["cells"], strict=True):
        if cell is None:
            continue
        col = min(range(len(lefts)), key=lambda i: abs(lefts[i] - x))
        text, bbox, marks = cell
        cells[col] = with_conf({"text": text, "line": line, "page": row["page"], "bbox": [round(v, 1) for v in bbox]},
                               marks)
    return cells


def with_conf(block: dict, marks: dict) -> dict:
    """A cell or text line read by OCR carries ``ocr_conf`` and ``ocr_chars`` (see ``parsers.blocks``)."""
    block.update(marks)
    return block
