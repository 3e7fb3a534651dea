"""Cut a stream of rows into form segments at form titles (vocabulary, not position)."""
from __future__ import annotations

import regex

from parsers.blocks import Cell
from parsers.text import clean_cell, norm_key
from parsers.vocabulary import FORM_TITLES

MAX_TITLE_LEN = 60  # a title cell is short; a sentence quoting a title's name is not one
_QUOTED = regex.compile(r"《[^》]*》")
_ATTACHMENT = regex.compile(r"^附件\s*[\d\-－—.]*\s*[：:]?\s*")


def title_kind(text: str | None) -> str | None:
    """The form kind a title line names, or None."""
    key = norm_key(text)
    if not key or len(key) > MAX_TITLE_LEN:
        return None
    key = _QUOTED.sub("", key)
    for kind, titles in FORM_TITLES:
        if any(t in key for t in titles):
            return kind
    return None


def split_by_titles(rows: list[list[Cell]]) -> list[dict]:
    """Segments ``{"kind", "title", "line", "page", "rows"}``; the first may have kind None."""
    segments = [{"kind": None, "title": None, "line": None, "page": None, "rows": []}]
    for row in rows:
        hit = next(((n, k) for n, c in enumerate(row) if (k := title_kind(c["text"]))), None)
        if hit is None:
            segments[-1]["rows"].append(row)
            continue
        n, kind = hit
        cell = row[n]
        if any(c["text"].strip() for c in row[:n]):  # cells before the title belong to what came before
            segments[-1]["rows"].append(row[:n])
        segments.append({"kind": kind, "title": _ATTACHMENT.sub("", clean_cell(cell["text"])),
                         "line": cell["line"], "page": cell.get("page"), "rows": []})
        if any(c["text"].strip() for c in row[n + 1:]):  # e.g. `部门：X` beside the title
            segments[-1]["rows"].append(row[n + 1:])
    return segments
