"""Recognizer for forms whose grid was flattened to a stream of cells (pipe, paragraph and
space-joined text, see ``parsers.blocks``).

Such text loses merged cells (一级/二级指标 printed once for many rows) and often empty ones, so
positions cannot be trusted. The form is read as a stream instead: the sections are found by
their header words (``parsers.vocabulary``), level-1/2 names by the indicator vocabulary, and the
cells between two names are cut into indicator rows by ``parsers.recognizers.row_cut``. Values stay text.
"""
from __future__ import annotations

import regex

from parsers.blocks import Cell
from parsers.recognizers.confusables import digit_reading
from parsers.recognizers.glued import is_glued, overfull_points, points_hold, rate_holds, split_overfull_points, unglue
from parsers.recognizers.grid_form import fund_line, read_meta, read_title_year, read_unit_and_year
from parsers.recognizers.labelled_funds import labelled_funds, section_at
from parsers.recognizers.levels import carry, is_indicator_header, new_levels, set_level_weight, with_level_weights
from parsers.recognizers.placement import candidates, place
from parsers.recognizers.project_name import settle_project
from parsers.recognizers.record import Form, finished, new_form, new_item
from parsers.recognizers.row_cut import align, cut_rows, is_amount, is_points, is_value, points_in_doubt
from parsers.recognizers.scoring_rows import join_criteria
from parsers.recognizers.segments import Segment
from parsers.recognizers.totals import is_figure, set_totals, settle_points
from parsers.recognizers.typed_cells import split_glued_cells
from parsers.text import (
    clean_cell,
    is_placeholder,
    match_header,
    norm_key,
    split_weight,
    strip_label,
    weight_label,
    weight_marks,
)
from parsers.vocabulary import (
    FUND_COLUMNS,
    FUND_LINES,
    FUND_TOTAL_LINES,
    GOAL_COLUMNS,
    GOAL_HEADERS,
    GRADES,
    INDICATOR_COLUMNS,
    INDICATOR_END_LABELS,
    LEVEL1_NAMES,
    LEVEL2_NAMES,
    LEVEL_NAME_SUFFIXES,
    META_LABELS,
    SECTION_LABELS,
    SERIAL_HEADERS,
    TARGET_PARTS,
    TOTAL_LABELS,
)

Stream = list[dict]  # [{"text": cleaned text or None, "line", "page"}]

_DASH = regex.compile(r"^[—\-－/／]+$")
_NUMBERING = regex.compile(r"^\d{1,2}[.、．]$")
MIN_FUND_COLUMNS = 3
LEVEL_WEIGHT_FIELDS = frozenset({"level1_weight", "level2_weight"})
LEVEL_FIELDS = frozenset({"level1", "level2"})
AMOUNT_FIELDS = ("budget_initial", "budget_full_year", "executed")
FUND_POINT_FIELDS = frozenset({"weight", "score"})
OPTIONAL_FUND_COST = 0.5
MAX_HEADING_LEN = 20  # `资金分配(7分)`; a criteria text with `（1分）` at its end is longer


def _terms() -> frozenset[str]:
    words = [w for table in (INDICATOR_COLUMNS, FUND_COLUMNS, GOAL_COLUMNS) for ws in table.values() for w in ws]
    words += [*LEVEL1_NAMES, *LEVEL2_NAMES, *FUND_LINES, *META_LABELS, *GOAL_HEADERS]
    return frozenset(norm_key(w) for w in words)


KNOWN_TERMS = _terms()
# Cells repeated where the table crosses a page: column headers and section labels.
HEADER_WORDS = frozenset(norm_key(w) for ws in INDICATOR_COLUMNS.values() for w in ws) | frozenset(SECTION_LABELS)


def cell_stream(rows: list[list[Cell]]) -> Stream:
    stream = [{"text": clean_cell(c["text"]), "line": c["line"], "page": c.get("page"), "glued": c.get("glued", False)}
              for row in rows for c in row]
    return merge_fragments(stream)


def merge_fragments(stream: Stream) -> Stream:
    """Join a header or name that the export split in two cells (`年初` + `预算数`)."""
    out: Stream = []
    i = 0
    while i < len(stream):
        cur, nxt = stream[i], stream[i + 1] if i + 1 < len(stream) else None
        if (cur["text"] and nxt and nxt["text"] and norm_key(cur["text"] + nxt["text"]) in KNOWN_TERMS
                and not (norm_key(cur["text"]) in KNOWN_TERMS and norm_key(nxt["text"]) in KNOWN_TERMS)):
            out.append({**cur, "text": cur["text"] + nxt["text"]})
            i += 2
            continue
        out.append(cur)
        i += 1
    return out


def level_key(text: str | None) -> str | None:
    name, _ = split_weight(text)
    key = norm_key(name)
    for suffix in LEVEL_NAME_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in LEVEL2_NAMES:
            return key[: -len(suffix)]
    return key if key in LEVEL1_NAMES or key in LEVEL2_NAMES else None


def next_text(stream: Stream, i: int) -> str | None:
    return next((c["text"] for c in stream[i + 1:] if c["text"]), None)


def level_of(stream: Stream, i: int) -> str | None:
    """`level1`, `level2` or None for the cell at i."""
    text = stream[i]["text"]
    if not text:
        return None
    key = level_key(text)
    if key is None:
        return heading_level(stream, i)
    if key in LEVEL1_NAMES and key in LEVEL2_NAMES:
        following = level_key(next_text(stream, i))
        return "level1" if following in LEVEL2_NAMES else "level2"
    return "level1" if key in LEVEL1_NAMES else "level2"


def heading_level(stream: Stream, i: int) -> str | None:
    """Scoring sheets name their levels freely (`规划(15分)`, `基础信息(3分)`): a chain of short
    weighted headings before the row's name. Where the chain ends at a value, its last cell is the
    row's own weighted name (`相关性(5分) | 5`); two headings left are level 1 and level 2, one is level 2."""
    end = i
    while end < len(stream) and weighted_heading(stream[end]["text"]):
        end += 1
    after = stream[end]["text"] if end < len(stream) else None
    headings = end - i - (1 if not after or is_value(after) or len(norm_key(after)) > MAX_HEADING_LEN else 0)
    return "level1" if headings >= 2 else "level2" if headings == 1 else None


def weighted_heading(text: str | None) -> bool:
    return (bool(text) and len(norm_key(text)) <= MAX_HEADING_LEN and split_weight(text)[1] is not None
            and weight_marks(text) == 1)


def header_run(stream: Stream, synonyms: dict, start: int = 0, around: str | None = None) -> tuple[int, int] | None:
    """(start, end) of the first run of header cells (empties allowed inside). With ``around``,
    the run around the first cell of that field; else the first run naming 3+ fields."""
    i = start
    while i < len(stream):
        field = match_header(stream[i]["text"], synonyms)
        if field is None or (around and field != around):
            i += 1
            continue
        lo = i
        if around:
            while lo > start and (not stream[lo - 1]["text"] or match_header(stream[lo - 1]["text"], synonyms)):
                lo -= 1
            while not stream[lo]["text"]:
                lo += 1
        hi = i
        while hi < len(stream) and (not stream[hi]["text"] or match_header(stream[hi]["text"], synonyms)):
            hi += 1
        while hi > lo and not stream[hi - 1]["text"]:
            hi -= 1
        fields = {match_header(c["text"], synonyms) for c in stream[lo:hi]} - {None}
        if around or len(fields) >= MIN_FUND_COLUMNS:
            return lo, hi
        i = hi
    return None


def indicator_header_run(stream: Stream) -> tuple[int, int] | None:
    """The indicator header: the run around 一级指标, else (templates without levels) a run around
    the name column that holds its value columns too."""
    if run := header_run(stream, INDICATOR_COLUMNS, around="level1"):
        return run
    run = header_run(stream, INDICATOR_COLUMNS, around="level3")
    return run if run and is_indicator_header(set(header_fields(stream, run, INDICATOR_COLUMNS))) else None


def header_fields(stream: Stream, run: tuple[int, int], synonyms: dict) -> list[str]:
    matched = [(f, c["text"]) for c in stream[run[0]:run[1]] if (f := match_header(c["text"], synonyms))]
    fields = [f for field, text in matched for f, _ in compound(field, text, matched, synonyms)]
    return with_level_weights(fields) if synonyms is INDICATOR_COLUMNS else fields


def compound(field: str, text: str, matched: list[tuple[str, str]], synonyms: dict) -> list[tuple[str, str]]:
    """A header cell that is two header words run together (`执行率得分`: 执行率 | 得分, where one
    family prints 执行率得分 as one column) is two columns when the header has no other cell for the
    first word's field."""
    key = norm_key(text)
    for cut in range(2, len(key) - 1):
        head, tail = match_header(key[:cut], synonyms), match_header(key[cut:], synonyms)
        if (head and tail and head != tail and norm_key(key[:cut]) in synonyms[head]
                and all(f != head for f, _ in matched)):
            return [(head, key[:cut]), (tail, key[cut:])]
    return [(field, text)]


def indicator_columns(fields: list[str]) -> list[str | None]:
    """The value columns after 三级指标, in print order; a repeated field keeps its position as None.
    When 年度指标值 is split into 指标性质/指标值/度量单位 on a sub-header printed after the main one,
    the parts stand where 年度指标值 stands; parts printed side by side keep their own order
    (重庆: 计量单位 | 指标性质 | 年初指标值 | 调整指标值)."""
    values = [f for f in fields if not f.startswith("level")]
    split = any(f in values for f in TARGET_PARTS if f != "target")
    cols: list[str | None] = []
    for f in values:
        if split and f in TARGET_PARTS and not side_by_side(values):
            if TARGET_PARTS[0] not in cols:
                cols += list(TARGET_PARTS)  # where 年度指标值 (or its first part) stands
            continue
        cols.append(None if f in cols else f)
    return cols


def side_by_side(values: list[str]) -> bool:
    """The target's parts are one run of adjacent columns."""
    at = [i for i, f in enumerate(values) if f in TARGET_PARTS]
    return bool(at) and at[-1] - at[0] + 1 == len(at)


def read_flat_form(segment: Segment, borrowed: list[str] | None = None) -> Form | None:
    """One form record from a title segment of a flat table, or None when it holds no form.
    ``borrowed``: the indicator header of a neighbouring form, for the rows of a table whose
    title and header were cut off (a page that starts mid-table: rows, then 合计)."""
    title = segment.title.text if segment.title else None
    form = new_form(segment.kind, title, segment.line, segment.page)
    stream = cell_stream(segment.rows)
    texts = [c["text"] for c in stream]
    fund_run = header_run(stream, FUND_COLUMNS)
    ind_run = indicator_header_run(stream)
    if ind_run and fund_run and fund_run[0] > ind_run[0]:
        fund_run = None
    goal_at = next((i for i, t in enumerate(texts) if t and norm_key(t).startswith(GOAL_HEADERS)), None)
    body_end = ind_run[0] if ind_run else len(stream)
    starts = [x for x in (fund_run and fund_run[0], goal_at, ind_run and ind_run[0]) if x is not None]
    read_title_year(form, title)
    read_unit_and_year(form, texts[:body_end])
    read_meta(form, texts[: min(starts, default=len(stream))])
    if fund_run:
        fund_end = min([x for x in (goal_at, body_end) if x is not None and x > fund_run[1]], default=body_end)
        read_fund_lines(form, stream, fund_run, fund_end)
    elif (at := section_at(texts[:body_end])) is not None:
        end = goal_at if goal_at is not None and goal_at > at else body_end
        form["funds"] += [{**fund, "source_line": stream[at]["line"], "source_page": stream[at]["page"]}
                          for fund in labelled_funds(texts[at:end])]
    if goal_at is not None and goal_at < body_end:
        read_goals(form, stream[goal_at:body_end])
    if ind_run:
        fields = header_fields(stream, ind_run, INDICATOR_COLUMNS)
        form["indicator_header"] = fields
        cols = indicator_columns(fields)
        body = stream[ind_run[1]:]
        body = without_serials(body) if serial_column(stream, ind_run) else body
        body = split_glued_cells(body, cols, has_levels=bool(LEVEL_FIELDS & set(fields)))
        body = join_criteria(body, cols)
        read_indicators(form, body, cols, set(fields))
    elif borrowed and not fund_run and headless_rows(stream):
        form["issues"].append("indicator rows without a header: the columns of the next form's header assumed")
        read_indicators(form, stream, indicator_columns(borrowed), set(borrowed))
        if any(broken_name(item["level3"]) for item in form["items"]):
            return None   # rows whose names are pieces of wrapped cells: the borrowed columns do not fit
    elif form["funds"]:
        form["issues"].append("no indicator table after the budget lines (page cut off?)")
    settle_points(form, [])   # a form without a total row leaves its doubts unsettled
    settle_project(form)
    return finished(form)


def broken_name(name: str | None) -> bool:
    """A name whose brackets do not pair (`(`, `分)项目管理(7分)`): a cell cut by line wrapping."""
    key = norm_key(name)
    return key.count("(") != key.count(")")


def serial_column(stream: Stream, run: tuple[int, int]) -> bool:
    """The header opens with 序号 (the cell right before its first column)."""
    before = next((c["text"] for c in reversed(stream[:run[0]]) if c["text"]), None)
    return norm_key(before) in SERIAL_HEADERS


def without_serials(body: Stream) -> Stream:
    """A 序号 column's running number (1, 2, 3 …) where it opens a row, before a name: no value
    (a dump that lost the cell breaks puts it right after the last row's score)."""
    out: Stream = []
    expected = 1
    for i, cell in enumerate(body):
        following = next_text(body, i)
        before = next((c["text"] for c in reversed(out) if c["text"]), None)
        if (norm_key(cell["text"]) == str(expected) and following and not is_value(following)
                and (before is None or is_value(before))):   # after the last row's score, before a name
            expected += 1
            continue
        out.append(cell)
    return out


def headless_rows(stream: Stream) -> bool:
    """Indicator rows without their header: level names and a 合计/总分 row."""
    return any(level_of(stream, i) for i in range(len(stream))) and any(
        is_label(c["text"], TOTAL_LABELS) for c in stream)


def read_fund_lines(form: dict, stream: Stream, run: tuple[int, int], end: int) -> None:
    """The budget lines under a budget header. Values right under the header, with no line label,
    are the block's one line, its total (重庆 部门预算执行情况: 年初预算数 | … | 执行率得分)."""
    fields = header_fields(stream, run, FUND_COLUMNS)
    i = run[1]
    first = next((k for k in range(i, end) if stream[k]["text"]), None)
    if first is not None and is_fund_value(stream[first]["text"]):
        i = read_fund_line(form, stream, fields, first - 1, end, FUND_TOTAL_LINES[0])
    while i < end:
        line = fund_line([stream[i]["text"]])
        if line is not None and i and _NUMBERING.match(stream[i - 1]["text"] or ""):
            line = None   # `3.其他资金包括：…`: a note's item that names a line, not the line
        i = i + 1 if line is None else read_fund_line(form, stream, fields, i, end, line)


def read_fund_line(form: dict, stream: Stream, fields: list[str], at: int, end: int, line: str) -> int:
    """The values after the label at ``at``; returns where the next line may start."""
    j = at + 1
    while j < end and is_fund_value(stream[j]["text"]) and fund_line([stream[j]["text"]]) is None:
        j += 1
    fields, printed = line_fields(fields, line, values_of(stream[at + 1:j]))
    # points after the rate first (`…100.00% | 1010`): the amounts' cut is checked with them in place
    printed = split_overfull_points(printed, len(fields) - len(printed))
    values = unglue(printed, len(fields) - len(printed), lambda row: fund_holds(fields, row),
                    rank=lambda row: execution_gap(place_fund(fields, row)))
    values = split_overfull_points(values, len(fields) - len(values))
    values = [None if is_glued(v) else v for v in values]   # figures run together that no cut reads: unread
    fund: dict = dict.fromkeys(FUND_COLUMNS)
    for field, value in place_fund(fields, values).items():
        fund[field] = fund[field] or value
    if doubt := fund_points_in_doubt(fields, values):
        fund["points_in_doubt"] = doubt   # settled by the form's totals (``totals.settle_points``)
    cell = stream[at] if fund_line([stream[at]["text"]]) else stream[at + 1]
    fund.update(line=line, source_line=cell["line"], source_page=cell["page"])
    form["funds"].append(fund)
    return j


def line_fields(fields: list[str], line: str, printed: list[str | None]) -> tuple[list[str], list[str | None]]:
    """The columns a budget line can fill, and its values. The total line (年度资金总额) is the
    scored one: a sub-line (其中：本年财政拨款 …) that lost cells lost its empty 分值/得分 cells, so
    its figures are amounts (a sub-line glued together may still print points: it is cut by all
    columns)."""
    unscored = [f for f in fields if f not in FUND_POINT_FIELDS]
    filled = [v for v in printed if not is_blank(v)]
    if line in FUND_TOTAL_LINES or len(printed) >= len(fields) or len(filled) > len(unscored) \
            or any(is_glued(v) for v in printed):
        return fields, printed
    return unscored, filled


def fund_points_in_doubt(fields: list[str], values: list[str | None]) -> tuple[str, frozenset[str]] | None:
    """The one figure of a budget line that lost cells whose column is left open between 分值 and 得分."""
    if len(values) >= len(fields):
        return None
    doubt = [(v, frozenset(fields[c] for c in at)) for v, at in zip(
        values, candidates(values, fields, fund_fits, fund_skip_cost, rate_check), strict=True) if len(at) > 1]
    doubt = [(v, f) for v, f in doubt if is_figure(v) and f <= {"weight", "score"}]
    return doubt[0] if len(doubt) == 1 else None


def is_fund_value(text: str | None) -> bool:
    """An amount, amounts glued together, or a figure OCR read as letters (`O`: left blank)."""
    return is_amount(text) or is_glued(text) or digit_reading(text) is not None


def values_of(cells: Stream) -> list[str | None]:
    """The cells' texts; one that reads as a figure only through look-alike letters stays blank."""
    return [None if digit_reading(c["text"]) else c["text"] for c in cells]


def fund_holds(fields: list[str], values: list[str | None]) -> bool:
    """A budget line's rate is its executed / budget (the check that splits glued amounts); where
    the line prints no amounts, its points must read as points (`107.6` -> 10 | 7.6)."""
    got = place_fund(fields, values)
    if not points_plausible(got):
        return False
    check = rate_check(got)
    if check is not None:
        return check
    return bool(got.get("weight") and got.get("score")) and points_hold([got["weight"], got["score"]])


def execution_gap(got: dict) -> float:
    """How far a budget line's score is from its weight × execution rate (``pipeline.rescore``, the
    common rule): of several cuts of glued figures that hold, the likeliest is the one that keeps
    the rule (`202010100.00%10` is 20 | 20 | 10 | 100.00% | 10, not 2020 | 10 | 100.0 | 0% | 10)."""
    from pipeline.normalize import to_rate
    from pipeline.rescore import execution_rule_score

    figure = {f: float(key) if is_figure(key := norm_key(got.get(f))) else None for f in FUND_COLUMNS}
    expected = execution_rule_score({
        "execution_weight": figure["weight"], "executed_yuan": figure["executed"],
        "budget_full_year_yuan": figure["budget_full_year"] or figure["budget_initial"],
        "execution_rate_reported": to_rate(got.get("rate"))})   # B / A where both are placed
    if expected is None or figure["score"] is None or figure["executed"] is None:
        return float("inf")
    return abs(figure["score"] - expected)


def points_plausible(got: dict) -> bool:
    """Values that fit their columns (a rate with `%`), points no higher than 100, a score no
    higher than its weight."""
    if not all(fund_fits(field, value) for field, value in got.items()):
        return False
    weight, score = (norm_key(got.get(f)) for f in ("weight", "score"))
    if not all(is_points(v) for v in (weight, score) if v):
        return False
    return not (is_figure(weight) and is_figure(score) and float(score) > float(weight))


def rate_check(got: dict) -> bool | None:
    """True/False where a budget line prints its rate and both amounts, else None."""
    budget = got.get("budget_full_year") or got.get("budget_initial")
    if not (got.get("rate") and budget and got.get("executed")) or is_blank(got["rate"]):
        return None
    return rate_holds(budget, got["executed"], got["rate"])


def place_fund(fields: list[str], values: list[str | None]) -> dict:
    """field -> value of a budget line. A line that lost cells (flattening drops empty ones) is
    placed by type (amounts, a rate with `%`, points) and by rate = executed / budget; 年初预算数 is
    the column templates leave blank most. A value whose column stays ambiguous is left out."""
    if len(values) >= len(fields):
        return dict(zip(fields, values, strict=False))
    return {fields[c]: v for c, v in place(values, fields, fund_fits, fund_skip_cost, rate_check)}


def is_blank(value: str | None) -> bool:
    return not value or bool(_DASH.match(value))


def fund_fits(field: str, value: str | None) -> bool:
    if is_blank(value):
        return True
    if field == "rate":
        return value.endswith("%") and not value.startswith("-")   # `-100%`: a dash cell glued to the rate
    if field in FUND_POINT_FIELDS:
        return not value.endswith("%") and is_points(norm_key(value))
    return not value.endswith("%") and (is_amount(value) if field in AMOUNT_FIELDS else is_value(value))


def fund_skip_cost(field: str) -> float:
    return OPTIONAL_FUND_COST if field == "budget_initial" else 1.0


def read_goals(form: dict, part: Stream) -> None:
    headers = {norm_key(w) for ws in GOAL_COLUMNS.values() for w in ws} | {norm_key(w) for w in GOAL_HEADERS}
    headers |= {norm_key(w) for w in SECTION_LABELS}
    texts = [c for c in part if c["text"] and norm_key(c["text"]) not in headers]
    if texts:
        result = texts[1]["text"] if len(texts) > 1 else None
        form["goals"].append({"goal": texts[0]["text"], "result": result, "deviation": None,
                              "source_line": texts[0]["line"], "source_page": texts[0]["page"]})


def is_label(text: str | None, labels: tuple[str, ...], prefix: bool = False) -> bool:
    key = norm_key(text).rstrip(":：")
    return bool(key) and (key.startswith(labels) if prefix else key in labels)


def read_indicators(form: dict, body: Stream, cols: list[str | None], header: set[str]) -> None:
    levels = new_levels()
    run: Stream = []
    weight_of: str | None = None   # the level whose own 分值 cell comes next
    named: str | None = None       # the level the last cell named (its rows not begun)
    for i, cell in enumerate(body):
        text = cell["text"]
        if weight_of and is_value(text):
            set_level_weight(levels, weight_of, text)
            weight_of = None
            continue
        weight_of = None
        ended = is_label(text, INDICATOR_END_LABELS, prefix=True)
        if ended or is_label(text, TOTAL_LABELS):
            add_rows(form, run, cols, levels, truncated=False)
            read_total(form, body[i:], cols)
            read_meta(form, [c["text"] for c in body[i:]])  # 填报人 / 填报日期 under the form
            return
        if norm_key(text) in HEADER_WORDS:
            continue  # the header repeated where the table crosses a page
        if (lone := weight_label(text)) is not None:
            if named:   # `产出指标 (50分)`: the level just named prints its weight apart
                set_level_weight(levels, named, f"{lone:g}")
            continue
        level = level_of(body, i) if header & LEVEL_FIELDS else None
        if level and not (named == level == "level2" and stem_of(levels["level2"][0], text)):
            add_rows(form, run, cols, levels, truncated=False)
            run = []
            carry(levels, level, text)
            named = level
            # a sheet that gives one level its own 分值 column gives the other too (a header may be garbled)
            weight_of = level if header & LEVEL_WEIGHT_FIELDS else None
            continue
        named = None if text else named
        run.append(cell)
    add_rows(form, run, cols, levels, truncated=True)
    form["issues"].append(f"form cut off before its total row ({len(form['items'])} indicators read)")


def stem_of(level_name: str | None, text: str | None) -> bool:
    """`服务对象满意度` right under `服务对象满意度指标`: the row's own name, the level's without 指标."""
    return bool(level_name and text) and norm_key(level_name) != norm_key(text) \
        and norm_key(level_name).startswith(norm_key(text))


def read_total(form: dict, tail: Stream, cols: list[str | None]) -> None:
    """`总分 | 100 | 96 | 优`: a row with a cell for each value column is read by column; else the
    label spans the columns before 分值, so its cells are weight then score (``totals``). Then a
    grade word. Looks a few cells past an end label."""
    start = next((i for i, c in enumerate(tail[:8]) if is_label(c["text"], TOTAL_LABELS)), None)
    if start is None:
        return
    values, i = [], start + 1
    while i < len(tail) and is_value(tail[i]["text"]):
        values.append(tail[i]["text"])
        i += 1
    if len(values) == 1 and tail[start + 1].get("glued") and (cut := overfull_points(values[0], 1)):
        values = cut   # `总分100100` run together: 100 | 100 (a total is no more than 100 points)
    if len(values) == len(cols) and {"weight", "score"} <= set(cols):
        by_column = (values[cols.index("weight")], values[cols.index("score")])
    else:
        by_column = (values[0], values[1]) if len(values) >= 2 else None
    settle_points(form, values)
    set_totals(form, by_column, values)
    if i < len(tail) and norm_key(tail[i]["text"]) in GRADES:
        form["meta"].setdefault("grade", tail[i]["text"])


def add_rows(form: dict, run: Stream, cols: list[str | None], levels: dict, truncated: bool) -> None:
    (l1, l1w), (l2, l2w) = levels["level1"], levels["level2"]
    rows = cut_rows(run, cols, truncated)
    for n, (name_cell, values) in enumerate(rows):
        cut_off = truncated and n == len(rows) - 1   # the page ends inside this row: its cells stand in order
        fields = align(values, cols, lossy=not cut_off)[0]
        name, weight_in_name = split_weight(strip_label(name_cell["text"]))
        if name is not None and is_placeholder(name):
            continue  # template filler (`……`): what stands beside it is not its own
        if (name is None or is_blank(name)) and all(is_blank(v) or is_placeholder(v) for v in fields.values()):
            continue  # a template row left empty (`指标2： ……`, `指标1：/ / /`)
        if not any(fields.values()):
            if name is None:
                continue  # a label without a name (`指标2：`), a blank row
            if not values and (weight_in_name is None or cut_off):   # `相关性(5分)`: its weight is its own
                if truncated:
                    form["issues"].append(f"last indicator {name!r} cut off before its values")
                continue
        item = new_item(level1=l1, level1_weight=l1w, level2=l2, level2_weight=l2w, level3=name,
                        source_line=name_cell["line"], source_page=name_cell["page"], **fields)
        if item["weight"] is None and weight_in_name is not None:
            item["weight"] = f"{weight_in_name:g}"
        if not cut_off and (doubt := points_in_doubt(values, cols)):
            item["points_in_doubt"] = doubt   # settled by the form's totals (``totals.settle_points``)
        form["items"].append(item)
