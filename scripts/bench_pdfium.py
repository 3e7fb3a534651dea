"""pypdfium2 against pdfminer (pdfplumber) on the same pages, on one core:

1. what a reader needs from a page before table finding (characters with boxes, rules and
   rectangles): pages/s of each, and whether both see the same characters;
2. the reader's own page step (``parsers.readers.pdf.page_items``: pdfplumber's table finder and
   the cell assignment) on a ``PageGeometry`` read by each: pages/s, and whether the tables and
   lines come out the same.

    python scripts/bench_pdfium.py PDF... [--repeat 3]

Not a reader: it measures whether a pypdfium2 reader path is worth adopting (the result is in
docs/performance.md).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def plumber_objects(data: bytes) -> tuple[int, str, int]:
    """(pages, text of the characters, rules + rectangles) as pdfplumber gets them from pdfminer."""
    import io

    import pdfplumber

    text, shapes = [], 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            text += [c["text"] for c in page.chars]
            shapes += len(page.lines) + len(page.rects)
        return len(pdf.pages), "".join(text), shapes


def pdfium_objects(data: bytes) -> tuple[int, str, int]:
    """The same from pypdfium2: each character with its box, each path object with its bounds."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(data)
    text, shapes = [], 0
    try:
        for page in doc:
            textpage = page.get_textpage()
            count = textpage.count_chars()
            text.append(textpage.get_text_range(0, count))
            for i in range(count):
                textpage.get_charbox(i)
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
                obj.get_bounds()
                shapes += 1
        return len(doc), "".join(text), shapes
    finally:
        doc.close()


def pdfium_geometries(data: bytes) -> list:
    """A PageGeometry per page, its characters, edges and images read by pypdfium2."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return [PdfiumGeometry(page) for page in doc]
    finally:
        doc.close()


def plumber_geometries(data: bytes) -> list:
    import io

    import pdfplumber

    from parsers.readers.pdf import PageGeometry

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [PageGeometry(page) for page in pdf.pages]


def page_step(geometries: list) -> list[dict]:
    from parsers.readers.pdf import page_items

    return [item for number, g in enumerate(geometries, start=1) for item in page_items(g, number)]


def comparable(items: list[dict]) -> list[tuple]:
    """What the later steps use of a page's items: kind, page, text or the cells' texts."""
    out = []
    for item in items:
        content = item.get("text") or tuple(tuple(c and c[0] for c in r["cells"]) for r in item.get("rows", []))
        out.append((item["kind"], item["page"], content))
    return out


def _pdfium_geometry_class():
    import ctypes

    import pypdfium2.raw as pdfium_c

    from parsers.readers.pdf import PageGeometry

    class Geometry(PageGeometry):
        """PageGeometry's fields from pypdfium2: loose character boxes (the font's ascent and
        descent, as pdfminer's), path segments in page space, image bounds."""

        def __init__(self, page):
            left, bottom, right, top = page.get_mediabox()
            self.width, self.height = page.get_width(), page.get_height()
            self.bbox = (0, 0, self.width, self.height)
            self._x, self._y = left, bottom + self.height
            self.chars, self.edges, self.image_area = [], [], 0.0
            self.read_chars(page)
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    x0, y0, x1, y1 = obj.get_bounds()
                    self.image_area += (x1 - x0) * (y1 - y0)
                else:
                    self.read_path(obj)
            self.turn_upright()

        def read_chars(self, page) -> None:
            textpage = page.get_textpage()
            matrix = pdfium_c.FS_MATRIX()
            for i in range(textpage.count_chars()):
                if pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
                    continue
                x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
                pdfium_c.FPDFText_GetMatrix(textpage.raw, i, matrix)
                m = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                self.chars.append({"x0": x0 + self._x, "x1": x1 + self._x, "top": self._y - y1,
                                   "bottom": self._y - y0, "text": chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)),
                                   "size": pdfium_c.FPDFText_GetFontSize(textpage.raw, i),
                                   "upright": 0 < m[0] * m[3] and m[1] * m[2] <= 0, "matrix": m})

        def read_path(self, obj) -> None:
            a, b, c, d, e, f = obj.get_matrix().get()
            x, y = ctypes.c_float(), ctypes.c_float()
            pts: list[tuple[float, float]] = []
            for j in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
                segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, j)
                pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
                point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
                if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO and pts:
                    self.add_edges(pts, closed=False)
                    pts = []
                pts.append(point)
                if pdfium_c.FPDFPathSegment_GetClose(segment):
                    self.add_edges(pts, closed=True)
                    pts = []
            if pts:
                self.add_edges(pts, closed=False)

    return Geometry


def PdfiumGeometry(page):  # noqa: N802 - stands for the class, built on first use (lazy imports)
    global _GEOMETRY
    _GEOMETRY = globals().get("_GEOMETRY") or _pdfium_geometry_class()
    return _GEOMETRY(page)


def best_seconds(func, data: bytes, repeat: int) -> tuple[float, tuple]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(data)
        best = min(best, time.perf_counter() - start)
    return best, result


def visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    totals = dict.fromkeys(("pages", "plumber", "pdfium", "plumber_step", "pdfium_step"), 0.0)
    for path in args.pdfs:
        data = path.read_bytes()
        t_plumber, (pages, text_a, shapes_a) = best_seconds(plumber_objects, data, args.repeat)
        t_pdfium, (_, text_b, shapes_b) = best_seconds(pdfium_objects, data, args.repeat)
        s_plumber, items_a = best_seconds(lambda d: page_step(plumber_geometries(d)), data, args.repeat)
        s_pdfium, items_b = best_seconds(lambda d: page_step(pdfium_geometries(d)), data, args.repeat)
        print(f"{path.name:24} {pages:3d} pages: objects pdfminer {pages / t_plumber:5.1f} p/s, pdfium "
              f"{pages / t_pdfium:5.1f} p/s ({t_plumber / t_pdfium:.1f}x), same characters "
              f"{visible(text_a) == visible(text_b)}, paths {shapes_a} vs {shapes_b}; reader page step pdfminer "
              f"{pages / s_plumber:5.1f} p/s, pdfium {pages / s_pdfium:5.1f} p/s ({s_plumber / s_pdfium:.1f}x), "
              f"same tables and lines {comparable(items_a) == comparable(items_b)}")
        for key, value in (("pages", pages), ("plumber", t_plumber), ("pdfium", t_pdfium),
                           ("plumber_step", s_plumber), ("pdfium_step", s_pdfium)):
            totals[key] += value
    n = totals["pages"]
    print(f"all: {n:.0f} pages; objects pdfminer {n / totals['plumber']:.1f} p/s, pdfium {n / totals['pdfium']:.1f} "
          f"p/s ({totals['plumber'] / totals['pdfium']:.1f}x); reader page step pdfminer "
          f"{n / totals['plumber_step']:.1f} p/s, pdfium {n / totals['pdfium_step']:.1f} p/s "
          f"({totals['plumber_step'] / totals['pdfium_step']:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
