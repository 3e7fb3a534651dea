"""Form recognizers: blocks in, plain records out.

``recognize(blocks)`` returns ``{"forms": [...], "project_lists": [...]}``; a parse result may
also carry ``"titles": [{"text", "line"}]`` (titles of parts that are not forms, e.g. reports),
``"heading"`` (the page heading, see ``page_meta.page_heading``) and ``"claims"``.
A form record is a dict with the keys documented in ``parsers.recognizers.record``.
"""
from __future__ import annotations

from parsers.blocks import Block, iter_rows
from parsers.line_text import text_lines
from parsers.recognizers.flat_form import read_flat_form
from parsers.recognizers.grid_form import read_grid_form
from parsers.recognizers.page_meta import apply_codes, page_heading
from parsers.recognizers.project_list import find_project_lists
from parsers.recognizers.report import add_reports
from parsers.recognizers.segments import split_by_titles

PROJECT_KINDS = ("project_selfeval", "project_scoring", "project_goal_completion")


def recognize(blocks: list[Block]) -> dict:
    """Find every known form and project list among the blocks. Tables flattened to text
    (``flat`` blocks) are read as cell streams, true grids by column."""
    rows = list(iter_rows(blocks))
    segments = split_by_titles(rows)
    read = read_flat_form if any(b.get("flat") for b in blocks) else read_grid_form
    forms = [f for seg in segments if seg["kind"] and (f := read(seg)) is not None]
    heading = page_heading(segments[0]["rows"])
    for form in forms:
        apply_codes(form)
    if heading and len(forms) == 1 and forms[0]["project"] is None and forms[0]["kind"] in PROJECT_KINDS:
        forms[0]["project"] = heading["project"]
    add_reports(forms, text_lines(segments[0]["rows"]))
    return {"forms": forms, "project_lists": find_project_lists(rows), "heading": heading}

