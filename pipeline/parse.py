"""Parse stage: pick the reader for a document's format/layout and recognize its forms."""
from __future__ import annotations

from collections.abc import Callable

from parsers.blocks import Block
from parsers.claims import find_claims
from parsers.flow_lines import lines_of
from parsers.ocr_digits import decide_unsure_figures
from parsers.ocr_doubt import mark_ocr
from parsers.ocr_labels import snap_labels
from parsers.readers import TooLarge
from parsers.readers.cell_lines import read_cell_lines
from parsers.readers.html_tables import read_html
from parsers.readers.legacy_office import (
    ConversionFailed,
    ConverterMissing,
    read_doc,
    read_et,
    read_legacy_xls,
    read_wps,
)
from parsers.readers.office import read_docx, read_xlsx
from parsers.readers.paragraph_cells import read_paragraph_cells
from parsers.readers.pdf import NEEDS_OCR, PdfUnreadable, read_pdf
from parsers.readers.pipe_cells import read_pipe_cells
from parsers.readers.prose_lines import read_prose_lines
from parsers.readers.run_on import read_run_on
from parsers.readers.spaced_cells import read_spaced_cells
from parsers.readers.text_lines import read_text_lines
from parsers.recognizers import recognize
from parsers.recognizers.report import SOURCE_KIND as REPORT_KIND
from parsers.recognizers.segments import title_kind
from parsers.recognizers.statements import find_statements

# layout -> reader from text to blocks.
TEXT_READERS: dict[str, Callable[[str], list]] = {
    "cell_lines": read_cell_lines,
    "pipe_cells": read_pipe_cells,
    "spaced_cells": read_spaced_cells,
    "paragraph_cells": read_paragraph_cells,
    "run_on": read_run_on,
    "prose": read_prose_lines,
    "flow_text": read_text_lines,
}
# format -> reader from the file's bytes to blocks.
FORMAT_READERS: dict[str, Callable[[bytes], list[Block]]] = {
    "pdf": read_pdf,
    "html": read_html,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "xls": read_legacy_xls,
    "doc": read_doc,
    "wps": read_wps,
    "et": read_et,
}
# formats we recognize but do not read: the error says what to do instead.
UNSUPPORTED_FORMATS: dict[str, str] = {
    "ofd": "OFD (GB/T 33190) is not read: no well-kept Python reader exists yet; export it to PDF first",
}


def registered_readers() -> dict[str, Callable]:
    """Every reader or parser by the key that selects it (a text layout or a file format)."""
    return {**TEXT_READERS, **FORMAT_READERS}


def reader_key(doc: dict) -> str:
    """What selects a document's reader: its text layout, else its format."""
    return doc.get("layout") or doc["format"]


class Unsupported(Exception):
    """The document is readable but not in a form the pipeline understands. ``partial`` is what
    was still read: its text ``lines`` (who published it, when) and the ``claims`` they state."""

    def __init__(self, message: str, partial: dict | None = None):
        super().__init__(message)
        self.partial = partial or {"lines": [], "claims": []}


class Unreadable(Exception):
    """The file cannot be read at all (encrypted, damaged)."""


def parse_document(doc: dict) -> dict:
    """``{"forms", "project_lists", "claims", "statements", "titles", "issues", "lines"}`` for one
    ingested document (see ``parsers.recognizers`` and ``parsers.recognizers.record`` for the
    record shapes); ``lines`` are its text lines as line blocks, ``claims`` the arithmetic they
    state, ``statements`` the figures they state in words."""
    layout = doc.get("layout")
    if doc.get("unreadable"):  # what ingest found the file to be: empty, binary, a zip of other things
        raise Unsupported(doc["unreadable"])
    if doc["format"] in UNSUPPORTED_FORMATS:
        raise Unsupported(UNSUPPORTED_FORMATS[doc["format"]])
    if doc["format"] in FORMAT_READERS:
        blocks = read_binary(doc)
        result, lines = parse_file_blocks(blocks), [b for b in blocks if b["type"] == "text"]
        result["blocks"] = blocks  # kept for the page geometry (pipeline.tables.cell_rows)
    elif doc.get("text") is None:
        raise Unsupported(f"format {doc['format']!r} has no reader yet")
    else:
        lines = read_text_lines(doc["text"])
        if layout not in TEXT_READERS:
            raise Unsupported(f"text layout {layout!r} is not understood (no table cells, no known form titles)",
                              prose_only(lines))
        result = recognize(TEXT_READERS[layout](doc["text"]))
    for key in ("issues", "titles"):
        result.setdefault(key, [])
    result.update(prose_only(lines))
    if not result["forms"] and not result["project_lists"]:
        raise Unsupported("no known form (项目支出绩效自评表, 计分表, 绩效目标完成情况表, 项目清单) or 自评报告 found",
                          result)
    return result


def prose_only(lines: list[Block]) -> dict:
    """What a document's text lines give whatever else is read: the lines, their claims and the
    figures they state in words."""
    numbered = lines_of((b["line"], b["text"]) for b in lines)
    return {"lines": lines, "claims": find_claims(lines), "statements": find_statements(numbered)}


def read_binary(doc: dict) -> list[Block]:
    try:
        return FORMAT_READERS[doc["format"]](doc["data"])
    except PdfUnreadable as exc:
        if exc.reason == NEEDS_OCR:
            raise Unsupported(str(exc)) from exc
        raise Unreadable(str(exc)) from exc
    except TooLarge as exc:
        raise Unreadable(f"too large ({exc})") from exc
    except ConverterMissing as exc:
        raise Unsupported(str(exc)) from exc
    except ConversionFailed as exc:
        raise Unreadable(str(exc)) from exc


def parse_file_blocks(blocks: list[Block]) -> dict:
    """Recognize forms in a file reader's blocks; what OCR read is checked against the template
    labels first and its records are marked (confidence and doubt per value,
    ``parsers.ocr_doubt``) and their unsure figures settled after."""
    snap_labels(blocks)
    result = parse_blocks(blocks)
    mark_ocr(result, blocks)
    decide_unsure_figures(result["forms"], blocks)
    return result


def parse_blocks(blocks: list[Block]) -> dict:
    """Recognize forms in a reader's blocks. Runs of pages holding no table are recognized on
    their own, as text lines (their grid is lost, as in a text dump)."""
    issues = [b["text"] for b in blocks if b["type"] == "issue"]
    content = [b for b in blocks if b["type"] != "issue"]
    runs = flowing_runs(content)
    in_runs = {id(b) for run in runs for b in run}
    ruled = [b for b in content if id(b) not in in_runs]
    results = [recognize(ruled)] if ruled else []
    results += [flow_result(run) for run in runs if run]
    merged = {"forms": [], "project_lists": [], "claims": [], "titles": [], "issues": issues}
    for result in results:
        for key in merged:
            merged[key] += result.get(key, [])
    return merged


def flowing_runs(blocks: list[Block]) -> list[list[Block]]:
    """Runs of text lines on consecutive pages that hold no table (formats without pages have
    none). A form title that ends a run right before a table stays with the table."""
    ruled_pages = {cell["page"] for b in blocks if b["type"] == "table" for row in b["rows"] for cell in row}
    runs: list[list[Block]] = []
    in_run = False
    for block in blocks:
        page = block.get("page")
        flowing = block["type"] == "text" and page is not None and page not in ruled_pages
        if flowing and not in_run:
            runs.append([])
        elif in_run and not flowing and block["type"] == "table":
            runs[-1] = without_trailing_title(runs[-1])
        if flowing:
            runs[-1].append(block)
        in_run = flowing
    return runs


def without_trailing_title(run: list[Block]) -> list[Block]:
    """The run up to the last form title on its last page (that title heads the next table)."""
    last_page = run[-1]["page"]
    for i in range(len(run) - 1, -1, -1):
        if run[i]["page"] != last_page:
            break
        if title_kind(run[i]["text"]):
            return run[:i]
    return run


def flow_result(run: list[Block]) -> dict:
    """Recognize a run of text lines; every record left without a page gets the page of its
    line. A form without content is dropped (the ruled pages' forms are read from their grid);
    a report's row stays (its title alone says who reported on what)."""
    result = recognize(run)
    result["forms"] = [f for f in result.get("forms", [])
                       if f["items"] or f["funds"] or f["goals"] or f.get("source_kind") == REPORT_KIND]
    fill_pages(result, {b["line"]: b["page"] for b in run})
    return result


def records_of(result: dict) -> list[dict]:
    """Every record of a parse result that carries a source line: forms and what they hold,
    project lists and their rows, claims."""
    records = [r for f in result.get("forms", []) for r in (f, *f["funds"], *f["goals"], *f["items"])]
    records += [r for p in result.get("project_lists", []) for r in (p, *p["rows"])]
    return records + result.get("claims", [])


def fill_pages(result: dict, page_of_line: dict[int, int | None]) -> None:
    for record in records_of(result):
        if record.get("source_page") is None and record.get("source_line") in page_of_line:
            record["source_page"] = page_of_line[record["source_line"]]
