"""The seam between readers and form recognizers: plain dicts, documented here.

A reader returns a list of blocks, in document order:

* ``{"type": "table", "rows": [[cell, ...], ...]}`` - a grid (or a run of rows where the grid
  boundaries are known only per row). A merged cell is given once, in its top-left position; the
  positions it covers hold empty cells, so recognizers carry values down.
* ``{"type": "table", "rows": [...], "flat": True}`` - cells in reading order from a table that
  was flattened to text (pipes, paragraphs, space-joined dumps): merged and often empty cells are
  *missing*, and rows are only where the source broke lines. Recognizers read such blocks as a
  stream of cells (``parsers.recognizers.flat_form``), aligning values by header words and value types.
* ``{"type": "text", "text": str, "line": int, "page": int | None}`` - a line of flowing text
  (with ``bbox``, as a cell's, where the reader knows it).
* ``{"type": "issue", "text": str, "page": int | None}`` - something the reader could not read
  (a damaged page, a scanned page): not content; it makes the document partial.

A cell is ``{"text": str, "line": int, "page": int | None}``; ``text`` keeps the line breaks of
the source (a recognizer decides whether a break is wrapping), ``line`` is the 1-based source
line (or row index for formats without lines), ``page`` the 1-based page where known. Readers
that know the geometry add ``bbox``: ``[x0, top, x1, bottom]`` in PDF points from the page's
top-left corner (of the page turned upright, when it was printed sideways). A cell or text line
read by OCR from a page image adds ``ocr_conf``, the lowest confidence (0-1) of its characters,
and ``ocr_chars``: ``[text, confidence]`` of each character (or run of digits) OCR read into it.
A cell of run-on text, whose boundaries the reader could only guess at header words and values,
adds ``glued``: it may hold the ends of its neighbours (``recognizers.typed_cells`` cuts them).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NotRequired, TypedDict


class Cell(TypedDict):
    text: str                      # as printed, line breaks kept
    line: int                      # 1-based source line (row index where a format has no lines)
    page: int | None               # 1-based page where known
    bbox: NotRequired[list[float]]      # [x0, top, x1, bottom] in PDF points, where known
    ocr_conf: NotRequired[float]        # the recognizer's confidence, for text read by OCR
    ocr_chars: NotRequired[list[list]]  # [text, confidence] of each character read by OCR
    glued: NotRequired[bool]            # boundaries unknown (run-on text): may hold its neighbours' ends


class Block(TypedDict, total=False):
    type: Literal["table", "text", "issue"]
    rows: list[list[Cell]]         # table
    flat: bool                     # table flattened to text: merged and empty cells missing
    text: str                      # text line, or what an issue says
    line: int
    page: int | None
    bbox: list[float]


# what a text line passes on to the one-cell row it is read as (its geometry, what OCR says of it)
LINE_EXTRAS = ("bbox", "ocr_conf", "ocr_chars")


def make_cell(text: str, line: int, page: int | None = None) -> Cell:
    return {"text": text, "line": line, "page": page}


def iter_rows(blocks: list[Block]) -> Iterator[list[Cell]]:
    """Every table row and every text line (as a one-cell row), in document order."""
    for block in blocks:
        if block["type"] == "table":
            yield from block["rows"]
        elif block["type"] == "text":
            cell = make_cell(block["text"], block["line"], block.get("page"))
            yield [{**cell, **{k: block[k] for k in LINE_EXTRAS if k in block}}]
