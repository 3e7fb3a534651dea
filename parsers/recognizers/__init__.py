"""Form recognizers: blocks in, plain records out.

``recognize(blocks)`` returns ``{"forms", "project_lists", "claims", "titles", "statements",
"issues", "heading"}`` for the blocks of any reader: tables (true grids by column, flattened tables as cell
streams) and text lines (scoring sheets and goal tables by the flow recognizers, every other form
as a cell stream, one line a cell). A form record has the keys documented in
``parsers.recognizers.record``; ``titles`` are titles of parts that are not forms (reports),
``heading`` the page heading (``page_meta.page_heading``).
"""
from __future__ import annotations

from parsers.blocks import Block, iter_rows
from parsers.flow_lines import lines_of
from parsers.recognizers.flat_form import read_flat_form
from parsers.recognizers.flow_text import FLOW_KINDS, recognize_flow
from parsers.recognizers.grid_form import read_grid_form
from parsers.recognizers.kinds import settle_kind
from parsers.recognizers.page_meta import apply_codes, page_heading
from parsers.recognizers.project_list import find_project_lists
from parsers.recognizers.reading import reading_score
from parsers.recognizers.report_budget import add_stated, report_form, report_title, stated_budget
from parsers.recognizers.segments import Segment, split_by_titles
from parsers.recognizers.statements import find_statements

PROJECT_KINDS = ("project_selfeval", "project_scoring", "project_goal_completion")
RESULT_KEYS = ("forms", "project_lists", "claims", "titles", "issues")


def recognize(blocks: list[Block]) -> dict:
    """Find every form and project list among the blocks."""
    rows = list(iter_rows(blocks))
    segments = split_by_titles(rows)
    if any(b["type"] == "table" for b in blocks):
        result = recognize_segments(segments, flat=any(b.get("flat") for b in blocks))
    else:
        flow = recognize_flow(lines_of((b["line"], b["text"]) for b in blocks if b["type"] == "text"))
        read = recognize_segments(segments, flat=True, skip_kinds=FLOW_KINDS)
        result = {key: flow.get(key, []) + read.get(key, []) for key in RESULT_KEYS}
        result["forms"].sort(key=lambda f: f["source_line"] or 0)
    forms = result["forms"]
    result["heading"] = heading = page_heading(segments[0].rows)
    if heading and len(forms) == 1 and forms[0]["project"] is None and forms[0]["kind"] in PROJECT_KINDS:
        forms[0]["project"] = heading["project"]
    add_report_budget(forms, [r for r in segments[0].rows if len(r) == 1])
    for form in forms:
        form["reading_score"] = reading_score(form)
    result["project_lists"] = find_project_lists(rows)
    # figures stated in words, wherever they are printed (statements.py)
    result["statements"] = find_statements(lines_of((b["line"], b["text"]) for b in blocks if b["type"] == "text"))
    return result


def recognize_segments(segments: list[Segment], flat: bool, skip_kinds: tuple[str, ...] = ()) -> dict:
    """Forms by segment: flattened tables (and text lines) as cell streams, true grids by column.
    A segment without a title is a form when its structure gives indicators or budget lines."""
    read = read_flat_form if flat else read_grid_form
    forms = []
    for segment in segments:
        if segment.kind is not None and segment.kind in skip_kinds:
            continue
        if (form := read(segment)) is not None and (segment.title or form["items"] or form["funds"]):
            settle_kind(form, segment)
            apply_codes(form)
            forms.append(form)
    return {"forms": forms}


def add_report_budget(forms: list[dict], prose: list) -> None:
    """Budget figures in the prose before the forms complete a lone form; a 自评报告 without a
    form becomes the report's own record."""
    if not forms:
        if report_title(prose) and (form := report_form(prose)):
            forms.append(form)
    elif len(forms) == 1 and (stated := stated_budget(prose)):
        add_stated(forms[0], stated)
