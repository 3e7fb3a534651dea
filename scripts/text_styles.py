"""A form written back out in another text style: the cells of a page in reading order (as its own
reader gives them), laid out as pipes, one cell per paragraph, space-joined or run together.
Used by the robustness tests and by ``scripts/family_coverage.py``."""
from __future__ import annotations

from pipeline.ingest import detect_layout
from pipeline.parse import TEXT_READERS

NBSP = "\u00a0"
CELLS_PER_PIPE_LINE = 10
MIN_SPACED_TOKENS = 40
RUN_ON_LINE = 600   # a document-sharing site's dump: one long line per page excerpt


def cells_of(text: str) -> list[str]:
    """The page's cells in reading order, as its own reader gives them."""
    blocks = TEXT_READERS[detect_layout(text)](text)
    cells = []
    for block in blocks:
        if block["type"] == "table":
            cells += ["".join(c["text"].split()) for row in block["rows"] for c in row]
        elif block["type"] == "text":
            cells.append("".join(block["text"].split()))
    return cells


def as_pipes(cells: list[str]) -> str:
    lines = [cells[i:i + CELLS_PER_PIPE_LINE] for i in range(0, len(cells), CELLS_PER_PIPE_LINE)]
    return "\n".join(" | ".join(c or "" for c in line) + " |" for line in lines)


def as_paragraphs(cells: list[str]) -> str:
    return "\n\n".join(c or NBSP for c in cells) + "\n"


def as_spaced(cells: list[str]) -> str:
    tokens = [c for c in cells if c]
    width = max(MIN_SPACED_TOKENS, len(tokens))
    return "\n".join(" ".join(tokens[i:i + width]) for i in range(0, len(tokens), width))


def as_run_on(cells: list[str]) -> str:
    text = "".join(c for c in cells if c)
    return "\n".join(text[i:i + RUN_ON_LINE] for i in range(0, len(text), RUN_ON_LINE))


STYLES = {"pipes": as_pipes, "paragraphs": as_paragraphs, "spaced": as_spaced, "run_on": as_run_on}
