"""Parse stage: pick the reader for a document's format/layout and recognize its forms."""
from __future__ import annotations

from collections.abc import Callable

from parsers.blocks import Block
from parsers.cell_lines import read_cell_lines
from parsers.forms import recognize
from parsers.pdf import NEEDS_OCR, PdfUnreadable, read_pdf

# layout -> reader from text to blocks. Readers for other formats join here.
TEXT_READERS: dict[str, Callable[[str], list]] = {
    "cell_lines": read_cell_lines,
}
# layout -> parser from text straight to a parse result (layouts where blocks are not enough).
TEXT_PARSERS: dict[str, Callable[[str], dict]] = {}
# format -> reader from the file's bytes to blocks (binary formats).
FORMAT_READERS: dict[str, Callable[[bytes], list[Block]]] = {
    "pdf": read_pdf,
}
# The text parser that takes lines of flowing text (pages of a binary format without a grid).
FLOW_TEXT = "flow_text"


class Unsupported(Exception):
    """The document is readable but not in a form the pipeline understands."""


class Unreadable(Exception):
    """The file cannot be read at all (encrypted, damaged)."""


def parse_document(doc: dict) -> dict:
    """``{"forms", "project_lists", "claims", "titles", "issues"}`` for one ingested document
    (see ``parsers.forms`` and ``parsers.forms.record`` for the record shapes)."""
    layout = doc.get("layout")
    if doc["format"] in FORMAT_READERS:
        result = parse_blocks(read_binary(doc))
    elif doc.get("text") is None:
        raise Unsupported(f"format {doc['format']!r} has no reader yet")
    elif layout in TEXT_PARSERS:
        result = TEXT_PARSERS[layout](doc["text"])
    elif layout in TEXT_READERS:
        result = recognize(TEXT_READERS[layout](doc["text"]))
    else:
        raise Unsupported(f"text layout {layout!r} is not understood (no table cells, no known form titles)")
    for key in ("claims", "issues", "titles"):
        result.setdefault(key, [])
    if not result["forms"] and not result["project_lists"]:
        raise Unsupported("no known form (项目支出绩效自评表, 计分表, 绩效目标完成情况表, 项目清单) found")
    return result


def read_binary(doc: dict) -> list[Block]:
    try:
        return FORMAT_READERS[doc["format"]](doc["data"])
    except PdfUnreadable as exc:
        if exc.reason == NEEDS_OCR:
            raise Unsupported(str(exc)) from exc
        raise Unreadable(str(exc)) from exc


def parse_blocks(blocks: list[Block]) -> dict:
    """Recognize forms in a reader's blocks. Runs of pages holding no table also go to the
    flow-text parser when one is registered (their grid is lost, as in a text dump)."""
    issues = [b["text"] for b in blocks if b["type"] == "issue"]
    content = [b for b in blocks if b["type"] != "issue"]
    results = [recognize(content)]
    if flow := TEXT_PARSERS.get(FLOW_TEXT):
        results += [flow_result(flow, run) for run in flowing_runs(content)]
    merged = {"forms": [], "project_lists": [], "claims": [], "titles": [], "issues": issues}
    for result in results:
        for key in merged:
            merged[key] += result.get(key, [])
    return merged


def flowing_runs(blocks: list[Block]) -> list[list[Block]]:
    """Runs of text lines on consecutive pages that hold no table."""
    ruled_pages = {cell["page"] for b in blocks if b["type"] == "table" for row in b["rows"] for cell in row}
    runs: list[list[Block]] = []
    in_run = False
    for block in blocks:
        flowing = block["type"] == "text" and block.get("page") not in ruled_pages
        if flowing and not in_run:
            runs.append([])
        if flowing:
            runs[-1].append(block)
        in_run = flowing
    return runs


def flow_result(parse: Callable[[str], dict], run: list[Block]) -> dict:
    """Parse a run of text lines; blank lines in front keep the parser's line numbers equal to
    the reader's, and every record the parser left without a page gets the page of its line.
    A form without content is dropped: a title on a text page whose table starts the next
    page is the grid recognizer's (it sees every block)."""
    first = run[0]["line"]
    result = parse("\n" * (first - 1) + "\n".join(b["text"] for b in run))
    result["forms"] = [f for f in result.get("forms", []) if f["items"] or f["funds"] or f["goals"]]
    fill_pages(result, {b["line"]: b["page"] for b in run})
    return result


def fill_pages(result: dict, page_of_line: dict[int, int | None]) -> None:
    records = [r for f in result.get("forms", []) for r in (f, *f["funds"], *f["goals"], *f["items"])]
    records += [r for p in result.get("project_lists", []) for r in (p, *p["rows"])]
    records += result.get("claims", [])
    for record in records:
        if record.get("source_page") is None and record.get("source_line") in page_of_line:
            record["source_page"] = page_of_line[record["source_line"]]
