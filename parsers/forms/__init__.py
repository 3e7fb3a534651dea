"""Form recognizers: blocks in, plain records out.

``recognize(blocks)`` returns ``{"forms": [...], "project_lists": [...]}``; a parse result may
also carry ``"titles": [{"text", "line"}]`` (titles of parts that are not forms, e.g. reports)
and ``"claims"``.
A form record is a dict with the keys documented in ``parsers.forms.record``.
"""
from __future__ import annotations

from parsers.blocks import Block, iter_rows
from parsers.forms.grid_form import read_grid_form
from parsers.forms.project_list import find_project_lists
from parsers.forms.segments import split_by_titles


def recognize(blocks: list[Block]) -> dict:
    """Find every known form and project list among the blocks."""
    rows = list(iter_rows(blocks))
    segments = split_by_titles(rows)
    forms = [read_grid_form(seg) for seg in segments if seg["kind"]]
    return {
        "forms": [f for f in forms if f is not None],
        "project_lists": find_project_lists(rows),
    }
