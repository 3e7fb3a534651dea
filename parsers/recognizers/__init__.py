"""Form recognizers: blocks in, plain records out.

``recognize(blocks)`` returns ``{"forms", "project_lists", "titles", "issues", "heading"}`` for
the blocks of any reader (claims and statements are read from every document's lines by
``pipeline.parse``): tables (true grids by column, flattened tables as cell
streams) and text lines (scoring sheets and goal tables by the flow recognizers, every other form
as a cell stream, one line a cell). A form record has the keys documented in
``parsers.recognizers.record``; ``titles`` are titles of parts that are not forms (reports),
``heading`` the page heading (``page_meta.page_heading``).
"""
from __future__ import annotations

from parsers.blocks import Block, Cell, iter_rows
from parsers.flow_lines import lines_of
from parsers.line_text import text_lines
from parsers.readers.spaced_cells import spaced_tokens, split_word
from parsers.recognizers.confusables import confirm_lookalikes
from parsers.recognizers.flat_form import read_flat_form
from parsers.recognizers.flow_text import FLOW_KINDS, recognize_flow
from parsers.recognizers.grid_form import read_grid_form, read_meta
from parsers.recognizers.kinds import settle_kind
from parsers.recognizers.page_meta import apply_codes, page_heading
from parsers.recognizers.project_list import find_flat_project_lists, find_project_lists
from parsers.recognizers.reading import reading_score
from parsers.recognizers.report import add_reports
from parsers.recognizers.row_cut import is_value
from parsers.recognizers.section_weights import apply_section_weight
from parsers.recognizers.segments import Segment, split_by_titles
from parsers.recognizers.titles import match_title
from parsers.text import clean_cell

PROJECT_KINDS = ("project_selfeval", "project_scoring", "project_goal_completion")
DEPT_KINDS = ("dept_selfeval", "dept_scoring", "dept_goal_completion")
COVER_FIELDS = ("org_unit", "budget_code")
RESULT_KEYS = ("forms", "project_lists", "titles", "issues")


def recognize(blocks: list[Block]) -> dict:
    """Find every form and project list among the blocks."""
    rows = list(iter_rows(blocks))
    segments = split_by_titles(rows)
    tables, flat = any(b["type"] == "table" for b in blocks), any(b.get("flat") for b in blocks)
    cell_rows = rows if tables else token_rows(rows)   # text lines: rows of their cells
    if tables:
        result = recognize_segments(segments, flat=flat)
    else:
        flow = recognize_flow(lines_of((b["line"], b["text"]) for b in blocks if b["type"] == "text"))
        # a scoring sheet or goal table the flow recognizers read is theirs; one they could not
        # read (its lines are rows of cells) is read as any other form
        by_flow = {f["source_line"] for f in flow["forms"]}
        unread = [s for s in split_by_titles(cell_rows) if s.kind not in FLOW_KINDS or s.line not in by_flow]
        read = recognize_segments(unread, flat=True, headless=False)
        result = {key: flow.get(key, []) + read.get(key, []) for key in RESULT_KEYS}
        result["forms"].sort(key=lambda f: f["source_line"] or 0)
    forms = result["forms"]
    result["heading"] = heading = page_heading(segments[0].rows)
    if heading and len(forms) == 1 and forms[0]["project"] is None and forms[0]["kind"] in PROJECT_KINDS:
        forms[0]["project"] = heading["project"]
    inherit_cover(forms, segments[0])
    add_reports(forms, text_lines(rows))
    for form in forms:
        confirm_lookalikes(form)
        form["reading_score"] = reading_score(form)
        form["family"] = family_of(form)
    result["project_lists"] = project_lists(cell_rows, grid=tables and not flat)
    return result


def project_lists(rows: list[list[Cell]], grid: bool) -> list[dict]:
    """Project lists by column in a true grid; where the rows are no grid (a flattened table, or
    text lines read as rows of their cells), by the order of their cells."""
    if grid:
        return find_project_lists(rows)
    return find_flat_project_lists([c for row in rows for c in row]) or find_project_lists(rows)


def token_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Text lines as rows of their space-separated cells: a table whose grid was lost prints a
    row on a line (`年度资金总额: 880 880 880 10 10`); a line without spaces stays one cell. A
    template word wrapped onto the next line (`… 一级` / `指标`) is mended into the first."""
    out = [[{**row[0], "text": token} for token in spaced_tokens(row[0]["text"])] or row
           if len(row) == 1 and row[0]["text"] else row for row in rows]
    for before, after in zip(out, out[1:], strict=False):
        if before and after and split_word(before[-1]["text"], after[0]["text"]):
            before[-1] = {**before[-1], "text": before[-1]["text"] + after[0]["text"]}
            after[0] = {**after[0], "text": ""}
    return out


def family_of(form: dict) -> str | None:
    """The template family whose title rule names the form; None for a form found by its
    structure alone, or a report."""
    title = match_title(form["title"]) if form.get("source_kind", "form") == "form" else None
    return title.family if title else None


def inherit_cover(forms: list[dict], cover: Segment) -> None:
    """A department's cover (部门(单位)名称, 预算编码 above its forms) labels its department-level
    forms that print no such label of their own."""
    labelled: dict = {"meta": {}}
    read_meta(labelled, [clean_cell(c["text"]) for row in cover.rows for c in row])
    for form in forms:
        if form["kind"] in DEPT_KINDS and form["source_line"] != cover.line:
            for field in COVER_FIELDS:
                if field in labelled["meta"]:
                    form["meta"].setdefault(field, labelled["meta"][field])


def recognize_segments(segments: list[Segment], flat: bool, headless: bool = True) -> dict:
    """Forms by segment: flattened tables (and text lines) as cell streams, true grids by column.
    A segment without a title is a form when its structure gives indicators or budget lines; with
    ``headless``, rows before the first title are read by the next form's header (a table cut off
    above; not for text lines, where a cover page's lines would read as rows)."""
    read = read_flat_form if flat else read_grid_form
    read_forms = [read(segment) for segment in segments]
    if read_forms and read_forms[0] is None and flat and headless and (header := next_header(read_forms[1:])):
        read_forms[0] = read_flat_form(segments[0], borrowed=header)
    forms = []
    for segment, form in zip(segments, read_forms, strict=True):
        if form is not None and (segment.title or form["items"] or form["funds"]):
            settle_kind(form, segment)
            apply_codes(form)
            apply_section_weight(form, segment)
            # a total printed beside the title (重庆: 自评总分(分) 97.6) where no total row is
            printed = form["meta"].pop("total_score", None)
            form["total_score"] = form["total_score"] or (printed if is_value(printed) else None)
            forms.append(form)
    for form in forms:
        form.pop("indicator_header", None)
    return {"forms": forms}


def next_header(forms: list[dict | None]) -> list[str] | None:
    """The indicator header of the first following form that prints one."""
    return next((form["indicator_header"] for form in forms if form and form.get("indicator_header")), None)
