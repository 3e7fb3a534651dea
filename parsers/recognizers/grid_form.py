"""Recognizer for forms laid out as a grid of cells (项目支出绩效自评表 and kin).

Works on the rows of one title segment. Each part of the form is found by its header words
(``parsers.vocabulary``), and its columns are mapped by header name, so the same code reads
cell-per-line text, HTML, DOCX and XLSX grids.
"""
from __future__ import annotations

import regex

from parsers.blocks import Cell
from parsers.meta_text import read_labelled
from parsers.recognizers.labelled_funds import labelled_funds, section_at
from parsers.recognizers.levels import (
    LEVELS,
    carry,
    is_indicator_header,
    new_levels,
    set_level_weight,
    with_level_weights,
)
from parsers.recognizers.project_name import settle_project, subtitle_project
from parsers.recognizers.record import Form, finished, new_form, new_item
from parsers.recognizers.row_cut import join_target
from parsers.recognizers.segments import Segment
from parsers.recognizers.totals import set_totals
from parsers.text import clean_cell, find_year, is_placeholder, match_header, norm_key, split_weight, strip_label
from parsers.vocabulary import (
    FUND_BLOCK_LABELS,
    FUND_COLUMNS,
    FUND_LINES,
    FUND_TOTAL_LINES,
    GOAL_COLUMNS,
    GOAL_HEADERS,
    GRADES,
    INDICATOR_COLUMNS,
    INDICATOR_FIELDS,
    META_LABELS,
    MONEY_UNITS,
    PROJECT_LIST_COLUMNS,
    TARGET_PARTS,
    TOTAL_LABELS,
)

_UNIT = regex.compile(r"[(（]\s*(" + "|".join(sorted(MONEY_UNITS, key=len, reverse=True)) + r")\s*[)）]")
MAX_YEAR_LINE = 20   # `（2023年度）`; a longer cell may name another year (`2021年换届选举`)


def texts(row: list[Cell]) -> list[str | None]:
    return [clean_cell(c["text"]) for c in row]


def column_map(row: list[Cell], synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field -> column index for a header row (first match of each field)."""
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        field = match_header(cell["text"], synonyms)
        if field and field not in found:
            found[field] = i
    return found


def indicator_column_map(row: list[Cell]) -> dict[str, int]:
    """Field -> column of an indicator header, a level's own 分值 column named as its weight."""
    fields = with_level_weights([match_header(c["text"], INDICATOR_COLUMNS) for c in row])
    found: dict[str, int] = {}
    for i, field in enumerate(fields):
        if field and field not in found:
            found[field] = i
    return found


def at(values: list[str | None], index: int | None) -> str | None:
    return values[index] if index is not None and index < len(values) else None


COLUMN_HEADERS = frozenset(norm_key(w) for table in (INDICATOR_COLUMNS, FUND_COLUMNS, PROJECT_LIST_COLUMNS)
                           for words in table.values() for w in words) | {"序号"}
_REMARK = regex.compile(r"[(（][^()（）]*[)）]$")  # `实施单位（盖章）`
_INLINE = regex.compile(r"^(?P<label>[^:：]{2,12})[:：](?P<value>.+)$")  # `部门：X` in one cell


def label_of(value: str | None) -> str | None:
    key = norm_key(value).rstrip(":：")
    return META_LABELS.get(key) or META_LABELS.get(_REMARK.sub("", key))


def is_column_header(value: str | None) -> bool:
    """A table's column header (`备注`, `金额`, `年度指标值`): never a labelled value."""
    key = norm_key(value)
    return bool(key) and key in COLUMN_HEADERS


def opens_fund_block(value: str | None) -> bool:
    return norm_key(value).startswith(FUND_BLOCK_LABELS)


def read_meta(form: dict, values: list[str | None]) -> None:
    """Labelled cells (`项目名称 | X`): the value is the first non-empty cell before the next label;
    `部门：X` in one cell counts too."""
    for i, value in enumerate(values):
        if value and (m := _INLINE.match(value)) and (field := label_of(m["label"])):
            form["meta"].setdefault(field, m["value"].strip())
            continue
        field = label_of(value)
        if not field or field in form["meta"]:
            continue
        for following in values[i + 1:]:
            if label_of(following) or opens_fund_block(following) or is_column_header(following) \
                    or (following or "").rstrip().endswith((":", "：")):   # another label (财务负责人:), left blank
                break
            if following:
                form["meta"][field] = following
                break


def read_title_year(form: dict, title: str | None) -> None:
    """`部门预算项目支出绩效自评表(2023年度)`: a title is short enough to trust its year."""
    if form["fiscal_year"] is None:
        form["fiscal_year"] = find_year(title)


def read_unit_and_year(form: dict, values: list[str | None]) -> None:
    for value in values:
        if not value:
            continue
        if form["money_unit"] is None and (m := _UNIT.search(value)):
            form["money_unit"] = m[1]
        if form["fiscal_year"] is None and len(value) <= MAX_YEAR_LINE:
            form["fiscal_year"] = find_year(value)


def fund_line(values: list[str | None]) -> str | None:
    for value in values:
        key = norm_key(value).rstrip(":：")
        key = key.removeprefix("其中:").removeprefix("其中：")
        if key in FUND_LINES:
            return FUND_LINES[key]
        if key in FUND_TOTAL_LINES:  # 目标完成情况表: 合计 | 预算额 | 执行额
            return key
    return None


def is_fund_header(cols: dict[str, int]) -> bool:
    """Three budget columns, or 预算额 and 执行额 side by side (目标完成情况表)."""
    return len(cols) >= 3 or cols.keys() >= {"budget_full_year", "executed"}


def read_text_line(form: dict, text: str | None) -> None:
    """A line outside the grid under the title: `预算单位名称：X 预算单位编码：Y 自评等级：优`,
    or the subtitle `（X项目）` naming the project of a sheet without a 项目名称 cell."""
    if project := subtitle_project(text):
        form["meta"].setdefault("title_project", project)
        return
    for field, value in read_labelled([text or ""]).items():
        form["meta"].setdefault(field, value)


def read_grid_form(segment: Segment) -> Form | None:
    """One form record from a title segment, or None when the segment holds no form."""
    title = segment.title.text if segment.title else None
    form = new_form(segment.kind, title, segment.line, segment.page)
    fund_cols = goal_cols = ind_cols = None
    above: dict[str, int] = {}  # an indicator header row above the one naming the levels
    loose: list[tuple[str | None, Cell]] = []   # cells of rows read for labels, in order
    state = new_levels()
    read_title_year(form, title)
    for row in segment.rows:
        values = texts(row)
        read_unit_and_year(form, values)
        cols = indicator_column_map(row)
        if is_indicator_header(set(cols)):
            ind_cols, goal_cols = {**above, **cols}, None
            form["indicator_header"] = list(ind_cols)   # what the columns say of the form's kind
            continue
        if ind_cols is not None and cols.keys() & {"target_op", "target_unit"} and not form["items"]:
            ind_cols.update(cols)  # 年度指标值 split below its header: 指标性质 | 指标值 | 度量单位
            continue
        above = cols if ind_cols is None and len(cols) >= 2 else {}
        if ind_cols is None and is_fund_header(cols := column_map(row, FUND_COLUMNS)):
            fund_cols = cols
            continue
        if any(norm_key(v).startswith(GOAL_HEADERS) for v in values if v):
            goal_cols, fund_cols = column_map(row, GOAL_COLUMNS), None
            continue
        if ind_cols is not None:
            read_indicator_row(form, ind_cols, row, values, state)
        elif goal_cols:
            read_goal_row(form, goal_cols, row, values)
        elif fund_cols and (line := fund_line(values)):
            read_fund_row(form, fund_cols, row, values, line)
        elif len(row) == 1 and not form["meta"].keys() - {"project", "title_project"}:
            read_text_line(form, row[0]["text"])
        else:
            read_meta(form, values)
            loose += [(v, row[0]) for v in values]
    if not form["funds"]:
        read_labelled_funds(form, loose)
    settle_project(form)
    return finished(form)


def read_labelled_funds(form: dict, loose: list[tuple[str | None, Cell]]) -> None:
    """A budget block printed as labelled amounts in the rows above the indicators (``labelled_funds``)."""
    texts = [text for text, _ in loose]
    if (at := section_at(texts)) is not None:
        cell = loose[at][1]
        form["funds"] += [{**fund, "source_line": cell["line"], "source_page": cell.get("page")}
                          for fund in labelled_funds(texts[at:])]


def read_fund_row(form: dict, cols: dict[str, int], row: list[Cell], values: list, line: str) -> None:
    fund = {field: at(values, i) for field, i in cols.items()}
    fund.update(line=line, source_line=row[0]["line"], source_page=row[0].get("page"))
    form["funds"].append(fund)


def read_goal_row(form: dict, cols: dict[str, int], row: list[Cell], values: list) -> None:
    goal, result = at(values, cols.get("goal")), at(values, cols.get("result"))
    if goal or result:
        form["goals"].append({"goal": goal, "result": result, "deviation": at(values, cols.get("deviation")),
                              "source_line": row[0]["line"], "source_page": row[0].get("page")})


def read_total_row(form: dict, cols: dict[str, int], values: list) -> None:
    """总分/合计: the figures under the 分值 and 得分 columns (``totals``), then a grade word. A row
    shorter than the header had its label merged over the 一级/二级/三级 columns: its cells after
    the label stand from the column after 三级指标 on."""
    label = next(i for i, v in enumerate(values) if norm_key(v) in TOTAL_LABELS)
    short = len(values) <= max(cols.values())
    shift = cols.get("level3", label) - label if short else 0
    figures = tuple(at(values, cols[f] - shift) if f in cols else None for f in ("weight", "score"))
    set_totals(form, figures, values)
    if grade := next((v for v in values if norm_key(v) in GRADES), None):
        form["meta"].setdefault("grade", grade)


def read_indicator_row(form: dict, cols: dict[str, int], row: list[Cell], values: list,
                       state: dict) -> None:
    if any(norm_key(v) in TOTAL_LABELS for v in values if v):
        read_total_row(form, cols, values)
        return
    for level in LEVELS:
        if text := at(values, cols.get(level)):
            carry(state, level, text)
            if f"{level}_weight" in cols:
                set_level_weight(state, level, at(values, cols[f"{level}_weight"]))
    fields = {f: at(values, cols.get(f)) for f in INDICATOR_FIELDS}
    if cols.keys() & {"target_op", "target_unit"}:
        fields["target"] = join_target({f: at(values, cols.get(f)) for f in TARGET_PARTS})
    raw_name = at(values, cols.get("level3"))
    name = strip_label(raw_name)
    if (name is None or is_placeholder(name)) and not any(fields.values()):
        return  # template filler: `指标2：`, `……`, blank rows
    (l1, l1w), (l2, l2w) = state["level1"], state["level2"]
    name, weight_in_name = split_weight(name) if name else (None, None)
    item = new_item(level1=l1, level1_weight=l1w, level2=l2, level2_weight=l2w, level3=name,
                    source_line=row[0]["line"], source_page=row[0].get("page"), **fields)
    if item["weight"] is None and weight_in_name is not None:
        item["weight"] = f"{weight_in_name:g}"
    form["items"].append(item)
