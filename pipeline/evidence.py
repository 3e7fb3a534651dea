"""Evidence a person can check: the cells an anomaly cites, read back from the raw file.

Every check row says where it read its figures (``cites``: a source line and the printed text,
see ``pipeline.checks.base.cite``). Here the raw file is read again with its own reader and each
cite is found among the cells of that line (or, for a total printed below its items, of the
first line after it that prints it). What comes out, per anomaly:

* ``evidence_cells``: JSON list of the cells found: line, page, text, the figure ``match``ed and,
  for PDF, ``bbox`` (points from the page's top-left, ``parsers.blocks``);
* ``evidence_source``: the source lines quoted as read from the file, with their line numbers
  (for text, the raw line; for tables, the row's cells joined by `` | ``);
* ``evidence_images``: for PDF, a PNG crop of each page involved with the cited cells boxed in
  red (``reports/evidence/<anomaly_id>-p<page>.png``, paths relative to ``reports/``), and
  beside them an annotated copy of the PDF with one highlight per anomaly whose note is the
  rule's message (``reports/evidence/<name>.<doc_id>.annotated.pdf``).

The raw file must be the one extracted (same sha256); otherwise nothing is quoted, and the
anomaly keeps the evidence rebuilt from the curated values. pypdfium2 (pdfplumber's own
renderer, Apache/BSD) rasterizes and writes annotations; it is imported where used.
"""
from __future__ import annotations

import ctypes
import hashlib
import io
import json
import shutil
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from functools import cache
from pathlib import Path

import regex

from parsers.blocks import Cell, iter_rows

EVIDENCE_DIR = "evidence"
SCALE = 2.0          # pixels per PDF point in the crops (144 dpi)
MARGIN = 24.0        # points of context above and below the cited cells
BOX_WIDTH = 3        # pixels of the red box
RED = (220, 0, 0)
PALETTE = 16         # colours of a crop
AFTER_ROWS = 80      # rows searched below an item line for its total
_NUMBER = regex.compile(r"^-?\d+(?:\.\d+)?")


# --- the raw file's rows -----------------------------------------------------------------------

class Geometry:
    """The PDF rows extract found (``cells.parquet``) of some documents: no PDF is read twice.
    Only which row groups hold each document's cells is held; one document's are read, cut out
    and sorted when asked for, so memory does not grow with the number of PDFs that have anomalies."""

    def __init__(self, cells_path: Path | None, doc_ids: set[str]):
        self.path, self.groups = cells_path, {}
        if not doc_ids or cells_path is None or not cells_path.exists():
            return
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        with pq.ParquetFile(cells_path) as f:  # not read_table's filters: they import pyarrow.dataset (~15 MiB)
            for group in range(f.num_row_groups):
                for doc_id in pc.unique(f.read_row_group(group, columns=["doc_id"]).column("doc_id")).to_pylist():
                    if doc_id in doc_ids:
                        self.groups.setdefault(doc_id, []).append(group)

    def rows(self, doc_id: str) -> list[list[Cell]] | None:
        if doc_id not in self.groups:
            return None
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        with pq.ParquetFile(self.path) as f:
            mine = pa.concat_tables([(t := f.read_row_group(g)).filter(pc.equal(t.column("doc_id"), doc_id))
                                     for g in self.groups[doc_id]])
        by_line: dict[int, list[Cell]] = {}
        for c in mine.sort_by([("line", "ascending"), ("col", "ascending")]).to_pylist():
            by_line.setdefault(c["line"], []).append({"text": c["text"], "line": c["line"], "page": c["page"],
                                                      "bbox": [c["x0"], c["top"], c["x1"], c["bottom"]]})
        return list(by_line.values())


def source_rows(doc: dict, data: bytes) -> list[list[Cell]]:
    """The file's rows as its reader reads them (one cell per line for text without a cell reader)."""
    from pipeline.ingest import decode
    from pipeline.parse import FORMAT_READERS, TEXT_READERS

    if doc["format"] in FORMAT_READERS:
        return list(iter_rows(FORMAT_READERS[doc["format"]](data)))
    text = (decode(data) or ("", ""))[0]
    if doc.get("layout") in TEXT_READERS:
        return list(iter_rows(TEXT_READERS[doc["layout"]](text)))
    return [[{"text": line, "line": n, "page": None}] for n, line in enumerate(text.splitlines(), start=1)]


def raw_lines(doc: dict, data: bytes) -> list[str] | None:
    """A text file's lines as printed (None for binary formats: their rows are quoted instead)."""
    from pipeline.ingest import decode

    if doc["format"] != "txt":
        return None
    return (decode(data) or ("", ""))[0].splitlines()


# --- finding the cited cells -------------------------------------------------------------------

def _spaced(text: str) -> str:
    """NFKC, thousands separators dropped, whitespace kept (it separates figures on a line)."""
    return unicodedata.normalize("NFKC", text or "").replace(",", "")


def _norm(text: str) -> str:
    return "".join(_spaced(text).split())


def _number(text: str) -> float | None:
    """The value of a cell that is one number, maybe with a short unit (`62.75%`, `97分`)."""
    s = _norm(text)
    m = _NUMBER.match(s)
    return float(m[0]) if m and len(s) - len(m[0]) <= 2 and not regex.search(r"\d", s[len(m[0]):]) else None


@cache
def _figure(cite_text: str) -> str:
    """What to look for: a figure's number when it is one (`5276 百元` -> `5276`), else the text."""
    s = _norm(cite_text)
    m = _NUMBER.match(s)
    return m[0] if m and not regex.search(r"\d", s[len(m[0]):]) else s


def figure_pattern(figure: str) -> str:
    """A regex for a figure as printed among other text: a number on its own (not the 5 of 15)."""
    if _number(figure) is None:
        return regex.escape(figure)
    return rf"(?<![\d.]){regex.escape(figure)}(?![\d.])"


@cache
def _standalone(figure: str) -> regex.Pattern:
    return regex.compile(figure_pattern(figure))


def match_in(cell: Cell, cite_text: str) -> tuple[bool, str] | None:
    """(whole, part): the part of the cell that prints the cited figure, and whether that is the
    whole cell; None when the cell does not print it."""
    figure, text = _figure(cite_text), _norm(cell["text"])
    if not figure or not text:
        return None
    value = _number(figure)
    if text == figure or (value is not None and _number(text) == value):
        return True, cell["text"].strip()
    if value is not None:  # a figure among others: on its own, not inside a longer number
        found = _standalone(figure).search(_spaced(cell["text"]))
    else:
        found = figure in text
    return (False, figure) if found else None


class SourceIndex:
    """The rows of one raw file, found by source line."""

    def __init__(self, rows: list[list[Cell]]):
        self.rows = rows
        self._first_line: list[int] | None = None
        self.row_of_line: dict[int, int] = {}
        for i, row in enumerate(rows):
            for c in row:
                self.row_of_line.setdefault(c["line"], i)

    def row_at(self, line: int) -> int | None:
        if line in self.row_of_line:
            return self.row_of_line[line]
        if self._first_line is None:
            self._first_line = [min((c["line"] for c in row), default=0) for row in self.rows]
        i = bisect_left(self._first_line, line)  # a record line inside a row's cells
        return i - 1 if i > 0 and i - 1 < len(self.rows) else None

    def wrapped_lines(self, i: int) -> list[int]:
        """The text lines around a line of text: a sentence the cite quotes may wrap onto them."""
        near = [j for j in (i - 1, i + 1, i - 2, i + 2) if 0 <= j < len(self.rows)]
        return [j for j in near if len(self.rows[i]) == 1 and len(self.rows[j]) == 1]

    def locate(self, cite: dict) -> list[dict]:
        """The cells printing a cite's figure (all of them in its row, or in the first row below that has one)."""
        if cite.get("line") is None or (start := self.row_at(cite["line"])) is None:
            return []
        rows = range(start + 1, min(start + 1 + AFTER_ROWS, len(self.rows))) if cite.get("after") else \
            [start, *self.wrapped_lines(start)]
        for i in rows:
            matches = [(c, m) for c in self.rows[i] if (m := match_in(c, cite["text"]))]
            whole = [(c, m) for c, m in matches if m[0]]  # a cell that is the figure beats one that mentions it
            if matches:
                return [{**{k: c.get(k) for k in ("line", "page", "bbox", "text")}, "match": m[1]}
                        for c, m in whole or matches]
        return []


def cited_cells(index: SourceIndex, cites: list[dict]) -> list[dict]:
    cells, seen = [], set()
    for cite in cites:
        for cell in index.locate(cite):
            key = (cell["line"], cell["page"], tuple(cell["bbox"] or ()), cell["text"], cell["match"])
            if key not in seen:
                seen.add(key)
                cells.append(cell)
    return cells


QUOTE_HEAD_CHARS = 24  # a row's label cell is quoted up to this length


def quote(cells: list[dict], index: SourceIndex, lines: list[str] | None) -> str:
    """The source rows holding the cells, as read from the file: for text the raw lines (the
    row's label line and the cited lines), for tables the row's label cell and the cited cells."""
    out = []
    for i in sorted({index.row_at(c["line"]) for c in cells}):
        row, cited = index.rows[i], [c for c in cells if index.row_at(c["line"]) == i]
        head = next((c for c in row if c["text"].strip()), None)
        if lines is not None:
            numbers = sorted({c["line"] for c in cited} | ({head["line"]} if head else set()))
            out += [f"第{n}行 line {n}: {lines[n - 1].strip()}" for n in numbers if 0 < n <= len(lines)]
            continue
        texts = [c["text"] for c in cited]
        if head and head["text"] not in texts:
            label = " ".join(head["text"].split())
            texts.insert(0, label[:QUOTE_HEAD_CHARS] + ("…" if len(label) > QUOTE_HEAD_CHARS else ""))
        page = cited[0]["page"]
        out.append((f"p.{page} " if page else "") + f"第{cited[0]['line']}行 line {cited[0]['line']}: "
                   + " | ".join(" ".join(t.split()) for t in dict.fromkeys(texts)))
    return "\n".join(out)


# --- PDF: crops and annotations ---------------------------------------------------------------

def crop_region(cells: list[dict], width: float, height: float) -> tuple[float, float, float, float]:
    """The page region shown: the page's width, from above the first cited cell to below the last."""
    top = max(0.0, min(c["bbox"][1] for c in cells) - MARGIN)
    bottom = min(height, max(c["bbox"][3] for c in cells) + MARGIN)
    return 0.0, top, width, bottom


class PdfPages:
    """The pages of one PDF, loaded once, and how each was turned to read upright: the cells'
    bbox are in upright coordinates (``parsers.blocks``). Where the cited cells fit the page as
    stored, it was not turned; otherwise the reader's own test says how (``PageGeometry``)."""

    def __init__(self, data: bytes):
        import pypdfium2 as pdfium

        self.data, self.pdf = data, pdfium.PdfDocument(data)
        self.pages: dict[int, object] = {}
        self.turns: dict[int, int] = {}

    def page(self, number: int):
        if number not in self.pages:
            self.pages[number] = self.pdf[number - 1]
        return self.pages[number]

    def learn_turns(self, cells_by_page: dict[int, list[dict]]) -> None:
        for number, cells in cells_by_page.items():
            width, height = self.page(number).get_size()
            fits = all(c["bbox"][2] <= width + 1 and c["bbox"][3] <= height + 1 for c in cells)
            self.turns[number] = 0 if fits else reader_turn(self.data, number)

    def upright_size(self, number: int) -> tuple[float, float]:
        width, height = self.page(number).get_size()
        return (height, width) if self.turns.get(number) else (width, height)

    def close(self) -> None:
        self.pdf.close()


def reader_turn(data: bytes, number: int) -> int:
    """Degrees (clockwise) the PDF reader turned a page to read it upright."""
    import pdfplumber

    from parsers.readers.pdf import PageGeometry

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return PageGeometry(pdf.pages[number - 1]).turned


def stored_bbox(bbox: list[float], turn: int, width: float, height: float) -> list[float]:
    """An upright bbox back on the page as stored (width, height: the stored page's size);
    the inverse of ``PageGeometry.turn_upright``."""
    x0, top, x1, bottom = bbox
    if turn == 90:
        return [top, height - x1, bottom, height - x0]
    if turn == 270:
        return [width - bottom, x0, width - top, x1]
    return list(bbox)


def write_crop(pages: PdfPages, page_no: int, cells: list[dict], path: Path) -> dict:
    """A PNG of the page region (upright) with each cell boxed in red; the region and scale, to map boxes back."""
    from PIL import Image, ImageDraw

    page, turn = pages.page(page_no), pages.turns.get(page_no, 0)
    width, height = pages.upright_size(page_no)
    x0, top, x1, bottom = crop_region(cells, width, height)
    if turn:  # render the page turned as the reader read it, then cut the region out
        image = page.render(scale=SCALE, rotation=turn).to_pil().crop(
            tuple(round(v * SCALE) for v in (x0, top, x1, bottom)))
    else:
        image = page.render(scale=SCALE, crop=(x0, height - bottom, width - x1, top)).to_pil()
    image = image.convert("RGB")
    draw = ImageDraw.Draw(image)
    for c in cells:
        bx0, btop, bx1, bbottom = c["bbox"]
        draw.rectangle([(bx0 - x0) * SCALE - 2, (btop - top) * SCALE - 2, (bx1 - x0) * SCALE + 2,
                        (bbottom - top) * SCALE + 2], outline=RED, width=BOX_WIDTH)
    path.parent.mkdir(parents=True, exist_ok=True)
    # 16 colours: black text, grey rulings and the red boxes survive; the file is a fifth the size
    image.quantize(PALETTE, method=Image.Quantize.FASTOCTREE).save(path, compress_level=6)
    return {"page": page_no, "region": [x0, top, x1, bottom], "scale": SCALE}


def _widestring(text: str):
    import pypdfium2.raw as raw

    buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
    return ctypes.cast(buffer, raw.FPDF_WIDESTRING), buffer


def add_highlight(pages: PdfPages, page_no: int, cells: list[dict], title: str, note: str) -> None:
    """One highlight annotation over the cells (one quad each), its note the rule's message."""
    import pypdfium2.raw as raw

    page = pages.page(page_no)
    width, height = page.get_size()
    boxes = [stored_bbox(c["bbox"], pages.turns.get(page_no, 0), width, height) for c in cells]
    annot = raw.FPDFPage_CreateAnnot(page.raw, raw.FPDF_ANNOT_HIGHLIGHT)
    raw.FPDFAnnot_SetColor(annot, raw.FPDFANNOT_COLORTYPE_Color, 255, 0, 0, 110)
    rect = (min(b[0] for b in boxes), height - max(b[3] for b in boxes), max(b[2] for b in boxes),
            height - min(b[1] for b in boxes))
    raw.FPDFAnnot_SetRect(annot, raw.FS_RECTF(rect[0], rect[3], rect[2], rect[1]))
    for x0, top, x1, bottom in boxes:
        y0, y1 = height - bottom, height - top
        raw.FPDFAnnot_AppendAttachmentPoints(annot, raw.FS_QUADPOINTSF(x0, y1, x1, y1, x0, y0, x1, y0))
    for key, value in ((b"T", title), (b"Contents", note)):
        text, keep = _widestring(value)
        raw.FPDFAnnot_SetStringValue(annot, key, text)
        del keep
    raw.FPDFPage_CloseAnnot(annot)


def cells_by_page(anomaly: dict) -> dict[int, list[dict]]:
    by_page: dict[int, list[dict]] = defaultdict(list)
    for c in json.loads(anomaly["evidence_cells"] or "[]"):
        if c.get("bbox") and c.get("page"):
            by_page[c["page"]].append(c)
    return dict(sorted(by_page.items()))


def pdf_evidence(data: bytes, anomalies: list[dict], folder: Path, annotated: Path) -> None:
    """Crops for each anomaly's pages and the annotated copy of the PDF."""
    pages = PdfPages(data)
    try:
        cited = [(a, cells_by_page(a)) for a in anomalies]
        every: dict[int, list[dict]] = defaultdict(list)
        for _, by_page in cited:
            for number, cells in by_page.items():
                every[number] += cells
        pages.learn_turns(every)
        for a, by_page in cited:
            crops = [write_crop(pages, p, cells, folder / f"{a['anomaly_id']}-p{p}.png") | {
                "path": f"{EVIDENCE_DIR}/{a['anomaly_id']}-p{p}.png"} for p, cells in by_page.items()]
            a["evidence_images"] = json.dumps(crops) if crops else None
            if by_page:
                first = min(by_page)
                others = "".join(f"；另见第{p}页" for p in by_page if p != first)
                add_highlight(pages, first, by_page[first], a["anomaly_id"],
                              f"{a['message_zh']}{others}\n{a['message_en']}")
        if any(a.get("evidence_images") for a in anomalies):
            pages.pdf.save(str(annotated))
    finally:
        pages.close()


# --- the stage -----------------------------------------------------------------------------------

def annotated_name(doc: dict) -> str:
    return f"{Path(doc['source_path']).stem}.{doc['doc_id']}.annotated.pdf"


def read_raw(doc: dict, raw_root: Path | None) -> bytes | None:
    """The raw file's bytes when it is still the file that was extracted."""
    path = raw_root / doc["source_path"] if raw_root and doc.get("source_path") else None
    if path is None or not path.is_file():
        return None
    data = path.read_bytes()
    return data if hashlib.sha256(data).hexdigest() == doc.get("sha256") else None


class Evidence:
    """Fills anomalies' evidence_cells / evidence_source / evidence_images from their raw files, one
    document's anomalies at a time (PDF rows from ``cells_path`` where extract stored them, for the
    PDFs among ``pdf_ids``), writing the crops and annotated PDFs under ``reports/evidence``;
    ``counts`` for the run line."""

    def __init__(self, documents: dict[str, dict], raw_root: Path | None, reports: Path,
                 cells_path: Path | None = None, pdf_ids: set[str] | None = None):
        self.folder = reports / EVIDENCE_DIR
        shutil.rmtree(self.folder, ignore_errors=True)  # crops of anomalies gone since the last run go too
        self.docs, self.raw_root = documents, raw_root
        self.geometry = Geometry(cells_path, pdf_ids or set())
        self.counts = {"quoted": 0, "not_found": 0, "images": 0}

    def attach(self, group: list[dict]) -> list[dict]:
        """Evidence for the anomalies of one document (in place; returns them)."""
        for a in group:
            a.update(evidence_cells=None, evidence_source=None, evidence_images=None)
        doc = self.docs.get(group[0]["doc_id"]) if group else None
        data = read_raw(doc, self.raw_root) if doc else None
        if data is None:
            self.counts["not_found"] += len(group)
            return group
        try:
            index = SourceIndex(self.geometry.rows(doc["doc_id"]) or source_rows(doc, data))
        except Exception:  # noqa: BLE001 - a file that no longer reads keeps the rebuilt evidence
            self.counts["not_found"] += len(group)
            return group
        lines = raw_lines(doc, data)
        for a in group:
            cells = cited_cells(index, json.loads(a.get("cites") or "[]"))
            if cells:
                a["evidence_cells"] = json.dumps(cells, ensure_ascii=False)
                a["evidence_source"] = quote(cells, index, lines)
                self.counts["quoted"] += 1
        if doc["format"] == "pdf":
            self.folder.mkdir(parents=True, exist_ok=True)
            pdf_evidence(data, group, self.folder, self.folder / annotated_name(doc))
            self.counts["images"] += sum(1 for a in group if a["evidence_images"])
        return group

