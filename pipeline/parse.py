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
    """Recognize forms in a reader's blocks. Runs of pages without any table go to the
    flow-text parser when one is registered (their grid is lost, as in a text dump)."""
    issues = [b["text"] for b in blocks if b["type"] == "issue"]
    content = [b for b in blocks if b["type"] != "issue"]
    flow = TEXT_PARSERS.get(FLOW_TEXT)
    ruled, flowing = split_flowing_pages(content) if flow else (content, [])
    results = [recognize(ruled)] if ruled else []
    results += [flow_result(flow, run) for run in flowing]
    merged = {"forms": [], "project_lists": [], "claims": [], "titles": [], "issues": issues}
    for result in results:
        for key in merged:
            merged[key] += result.get(key, [])
    return merged


def split_flowing_pages(blocks: list[Block]) -> tuple[list[Block], list[list[Block]]]:
    """(blocks on pages with a table, runs of consecutive pages holding text only)."""
    ruled_pages = {cell["page"] for b in blocks if b["type"] == "table" for row in b["rows"] for cell in row}
    ruled, runs, last_page = [], [], None
    for block in blocks:
        if block["type"] == "table" or block.get("page") in ruled_pages:
            ruled.append(block)
            last_page = None
            continue
        if last_page is None:
            runs.append([])
        runs[-1].append(block)
        last_page = block.get("page")
    return ruled, runs


def flow_result(parse: Callable[[str], dict], run: list[Block]) -> dict:
    """Parse a run of text lines; blank lines in front keep the parser's line numbers equal to
    the reader's, and every record the parser left without a page gets the page of its line."""
    first = run[0]["line"]
    result = parse("\n" * (first - 1) + "\n".join(b["text"] for b in run))
    fill_pages(result, {b["line"]: b["page"] for b in run})
    return result


def fill_pages(result: dict, page_of_line: dict[int, int | None]) -> None:
    records = [r for f in result.get("forms", []) for r in (f, *f["funds"], *f["goals"], *f["items"])]
    records += [r for p in result.get("project_lists", []) for r in (p, *p["rows"])]
    records += result.get("claims", [])
    for record in records:
        if record.get("source_page") is None and record.get("source_line") in page_of_line:
            record["source_page"] = page_of_line[record["source_line"]]
