"""Parse stage: pick the reader for a document's format/layout and recognize its forms."""
from __future__ import annotations

from collections.abc import Callable

from parsers.cell_lines import read_cell_lines
from parsers.flow_text import parse_flow_text
from parsers.forms import recognize

# layout -> reader from text to blocks. Readers for other formats join here.
TEXT_READERS: dict[str, Callable[[str], list]] = {
    "cell_lines": read_cell_lines,
}
# layout -> parser from text straight to a parse result (layouts where blocks are not enough).
TEXT_PARSERS: dict[str, Callable[[str], dict]] = {
    "flow_text": parse_flow_text,
}


class Unsupported(Exception):
    """The document is readable but not in a form the pipeline understands."""


def parse_document(doc: dict) -> dict:
    """``{"forms", "project_lists", "claims", "titles", "issues"}`` for one ingested document
    (see ``parsers.forms`` and ``parsers.forms.record`` for the record shapes)."""
    layout = doc.get("layout")
    if doc.get("text") is None:
        raise Unsupported(f"format {doc['format']!r} has no reader yet")
    if layout in TEXT_PARSERS:
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
