"""Recognizer for forms laid out as a grid of cells (项目支出绩效自评表 and kin).

Works on the rows of one title segment. Each part of the form is found by its header words
(``parsers.vocabulary``), and its columns are mapped by header name, so the same code reads
cell-per-line text, HTML, DOCX and XLSX grids.
"""
from __future__ import annotations

import regex

from parsers.blocks import Cell
from parsers.meta_text import read_labelled
from parsers.recognizers.record import new_form, new_item
from parsers.recognizers.segments import Segment
from parsers.text import clean_cell, is_placeholder, match_header, norm_key, split_weight, strip_label
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
    TARGET_PARTS,
    TOTAL_LABELS,
)

_YEAR = regex.compile(r"(20\d{2})\s*年")
_UNIT = regex.compile(r"[(（]\s*(" + "|".join(sorted(MONEY_UNITS, key=len, reverse=True)) + r")\s*[)）]")
_NUMBER = regex.compile(r"^-?\d+(?:\.\d+)?$")
_SUBTITLE = regex.compile(r"^[（(](?P<name>.+)[）)]$")
PROJECT_SUFFIX = "项目"


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


def at(values: list[str | None], index: int | None) -> str | None:
    return values[index] if index is not None and index < len(values) else None


_REMARK = regex.compile(r"[(（][^()（）]*[)）]$")  # `实施单位（盖章）`
_INLINE = regex.compile(r"^(?P<label>[^:：]{2,12})[:：](?P<value>.+)$")  # `部门：X` in one cell


def label_of(value: str | None) -> str | None:
    key = norm_key(value).rstrip(":：")
    return META_LABELS.get(key) or META_LABELS.get(_REMARK.sub("", key))


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
            if label_of(following) or opens_fund_block(following):
                break
            if following:
                form["meta"][field] = following
                break


def read_title_year(form: dict, title: str | None) -> None:
    """`部门预算项目支出绩效自评表(2023年度)`: a title is short enough to trust its year."""
    if form["fiscal_year"] is None and title and (m := _YEAR.search(title)):
        form["fiscal_year"] = int(m[1])


def read_unit_and_year(form: dict, values: list[str | None]) -> None:
    for value in values:
        if not value:
            continue
        if form["money_unit"] is None and (m := _UNIT.search(value)):
            form["money_unit"] = m[1]
        if form["fiscal_year"] is None and len(value) <= 20 and (m := _YEAR.search(value)):
            form["fiscal_year"] = int(m[1])


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
    if (m := _SUBTITLE.match(norm_key(text))) and m["name"].endswith(PROJECT_SUFFIX):
        form["meta"].setdefault("title_project", m["name"])
        return
    for field, value in read_labelled([text or ""]).items():
        form["meta"].setdefault(field, value)


def total_numbers(values: list[str | None]) -> list[str]:
    return [v for v in values if v and _NUMBER.match(norm_key(v))]


def read_grid_form(segment: Segment) -> dict | None:
    """One form record from a title segment, or None when the segment holds no form."""
    title = segment.title.text if segment.title else None
    form = new_form(segment.kind, title, segment.line, segment.page)
    fund_cols = goal_cols = ind_cols = None
    above: dict[str, int] = {}  # an indicator header row above the one naming the levels
    state = {"level1": (None, None), "level2": (None, None)}
    read_title_year(form, title)
    for row in segment.rows:
        values = texts(row)
        read_unit_and_year(form, values)
        cols = column_map(row, INDICATOR_COLUMNS)
        if cols.keys() >= {"level1", "level2", "level3"}:
            ind_cols, goal_cols = {**above, **cols}, None
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
    settle_project(form)
    if not form["items"] and not form["funds"]:
        return None
    if form["money_unit"] is None and form["funds"]:
        form["issues"].append("money unit not printed in the budget header")
    return form


def settle_project(form: dict) -> None:
    """The 项目名称 cell names the project, else the subtitle; the subtitle stays beside a cell
    (``title_project``) so the checks can say when the two disagree."""
    named, titled = form["meta"].pop("project", None), form["meta"].pop("title_project", None)
    form["project"] = named or titled
    if named and titled:
        form["meta"]["title_project"] = titled


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
    """总分/合计: the figures under the 分值 and 得分 columns; when the row is not aligned with
    them, its last two numbers (one number is the score)."""
    weight, score = at(values, cols.get("weight")), at(values, cols.get("score"))
    if total_numbers([weight, score]):
        form["total_weight"] = weight if total_numbers([weight]) else None
        form["total_score"] = score if total_numbers([score]) else None
    else:
        numbers = total_numbers(values)
        if len(numbers) >= 2:
            form["total_weight"], form["total_score"] = numbers[-2], numbers[-1]
        elif numbers:
            form["total_score"] = numbers[0]
    if grade := next((v for v in values if norm_key(v) in GRADES), None):
        form["meta"].setdefault("grade", grade)


def read_indicator_row(form: dict, cols: dict[str, int], row: list[Cell], values: list,
                       state: dict) -> None:
    if any(norm_key(v) in TOTAL_LABELS for v in values if v):
        read_total_row(form, cols, values)
        return
    for level in ("level1", "level2"):
        if text := at(values, cols.get(level)):
            state[level] = split_weight(text)
    fields = {f: at(values, cols.get(f)) for f in INDICATOR_FIELDS}
    if cols.keys() & {"target_op", "target_unit"}:
        fields["target"] = "".join(at(values, cols.get(f)) or "" for f in TARGET_PARTS) or None
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
