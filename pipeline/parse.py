"""Parse stage: pick the reader for a document's format/layout and recognize its forms."""
from __future__ import annotations

from collections.abc import Callable

from parsers.cell_lines import read_cell_lines
from parsers.flow_text import parse_flow_text
from parsers.forms import recognize
from parsers.html_tables import read_html
from parsers.office import read_docx, read_xls, read_xlsx
from parsers.paragraph_cells import read_paragraph_cells
from parsers.pipe_cells import read_pipe_cells
from parsers.prose_lines import read_prose_lines
from parsers.spaced_cells import read_spaced_cells

# layout -> reader from text to blocks.
TEXT_READERS: dict[str, Callable[[str], list]] = {
    "cell_lines": read_cell_lines,
    "pipe_cells": read_pipe_cells,
    "spaced_cells": read_spaced_cells,
    "paragraph_cells": read_paragraph_cells,
    "prose": read_prose_lines,
}
# format -> reader from the file's bytes to blocks.
FORMAT_READERS: dict[str, Callable[[bytes], list]] = {
    "html": read_html,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "xls": read_xls,
}
# formats we recognize but do not read: the error says how to convert them.
CONVERT_HINT = "convert it first: libreoffice --headless --convert-to docx <file>"
UNSUPPORTED_FORMATS: dict[str, str] = {
    "doc": f"legacy Word .doc is not read; {CONVERT_HINT}",
    "wps": f"WPS .wps is not read; {CONVERT_HINT}",
    "et": "WPS .et is not read; convert it first: libreoffice --headless --convert-to xlsx <file>",
}
# layout -> parser from text straight to a parse result (layouts where blocks are not enough).
TEXT_PARSERS: dict[str, Callable[[str], dict]] = {
    "flow_text": parse_flow_text,
}


def registered_readers() -> dict[str, Callable]:
    """Every reader or parser by the key that selects it (a text layout or a file format)."""
    return {**TEXT_READERS, **TEXT_PARSERS}


def reader_key(doc: dict) -> str:
    """What selects a document's reader: its text layout, else its format."""
    return doc.get("layout") or doc["format"]


class Unsupported(Exception):
    """The document is readable but not in a form the pipeline understands."""


def parse_document(doc: dict) -> dict:
    """``{"forms", "project_lists", "claims", "titles", "issues"}`` for one ingested document
    (see ``parsers.forms`` and ``parsers.forms.record`` for the record shapes)."""
    layout = doc.get("layout")
    if doc["format"] in UNSUPPORTED_FORMATS:
        raise Unsupported(UNSUPPORTED_FORMATS[doc["format"]])
    if doc["format"] in FORMAT_READERS:
        result = recognize(FORMAT_READERS[doc["format"]](doc["data"]))
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
