"""Recognizer for 绩效目标完成情况表 (部门整体 / 项目支出) in flow text.

The table is a run of labelled blocks (`预算执行情况`, `财政拨款结构`, `年度总体目标`,
`年度绩效指标`, each label wrapped over lines). Money is in 百元. An indicator row prints its
wrapped names (一级, 二级 only where they change), then 预算指标值, 执行结果 and 偏差; the row
ends where an 执行结果 is printed. 一级/二级 names are read against the vocabulary; where a long
target has no comparator to show where it starts, the document's other rows tell the 三级 name.
"""
from __future__ import annotations

import regex

from parsers.flow_lines import Line, ends_sentence, join_cell, width
from parsers.meta_text import read_labelled
from parsers.recognizers.record import new_form, new_item
from parsers.text import clean_cell, norm_key
from parsers.vocabulary import (
    FUND_LINES,
    GOAL_ACTUAL_WORDS,
    GOAL_BLOCK_LABEL,
    GOAL_DEVIATION_WORDS,
    GOAL_LEVEL1_NAMES,
    GOAL_LEVEL2_NAMES,
    GOAL_TARGET_OPENERS,
    MONEY_UNITS,
)

# Block labels of the table -> block.
BLOCKS = {"预算执行情况": "funds", "财政拨款结构": "sources", "预算结构": "sources",
          "年度总体目标": "goals", GOAL_BLOCK_LABEL: "indicators"}
# Columns of the 预算执行情况 block, longest words first.
FUND_COLUMNS = (("carryover_change", "结转结余变动率"), ("carryover_rate", "结转结余率"),
                ("carryover", "结转结余额"), ("budget_full_year", "预算额"), ("executed", "执行额"))
FUND_TOTAL = "合计"
SOURCE_SUFFIX = "安排"
SOURCE_ROWS = ("预算额", "预算数")          # 一般公共预算安排, 政府性基金预算安排, …
_AMOUNT = r"-?\d[\d,]*(?:\.\d+)?%?"
_AMOUNTS_LINE = regex.compile(rf"^(?P<name>\D*?)\s*(?P<nums>{_AMOUNT}(?:\s+{_AMOUNT})*)$")
_UNIT = regex.compile(r"[(（]\s*(" + "|".join(sorted(MONEY_UNITS, key=len, reverse=True)) + r")\s*[)）]")
_BRACKETED = regex.compile(r"^[（(](?P<name>.+)[）)]$")
_GOAL_START = regex.compile(r"^目标\s*\d+\s*[：:]")
_CELL_GAP = regex.compile(r"(?<![0-9A-Za-z%])\s+(?![0-9A-Za-z])")
_NUMBER_START = regex.compile(r"^\d")
MAX_LABEL_LINES = 3
CHECKBOXES = ("□", "☐", "√", "☑", "■", "✓", "✔")
TICKED = ("√", "☑", "■", "✓", "✔")
MAX_HEADER_LINES = 16
HEADER_END = "原因分析"      # the indicator header's last column: 偏差情况及原因分析
SHORT_LINE = 0.75               # a line this much narrower than its neighbour ends its cell


def split_blocks(lines: list[Line]) -> dict[str, list[Line]]:
    """Block -> its lines (a block label repeated after a page break continues the block)."""
    blocks: dict[str, list[Line]] = {"head": []}
    current, i = "head", 0
    while i < len(lines):
        label, used = block_label(lines, i)
        if label:
            current = label
            blocks.setdefault(current, [])
            i += used
            continue
        blocks[current].append(lines[i])
        i += 1
    return blocks


def block_label(lines: list[Line], i: int) -> tuple[str | None, int]:
    key = ""
    for n in range(MAX_LABEL_LINES):
        if i + n >= len(lines):
            break
        key += norm_key(lines[i + n].text)
        if key in BLOCKS:
            return BLOCKS[key], n + 1
        if not any(label.startswith(key) for label in BLOCKS):
            break
    return None, 0


def read_goal_table(part, known: set[str]) -> dict:
    form = new_form(part.kind, part.title, part.line, None)
    blocks = split_blocks(part.lines)
    read_head(form, blocks["head"])
    unit = _UNIT.search("".join(line.text for line in part.lines))
    form["money_unit"] = unit[1] if unit else None
    form["funds"] = read_funds(blocks.get("funds", []))
    form["fund_sources"] = read_sources(blocks.get("sources", []))
    form["goals"] = read_goals(blocks.get("goals", []))
    form["items"] = read_indicators(blocks.get("indicators", []), known, form["issues"])
    if not form["items"]:
        form["issues"].append(f"{form['title']} {form['project'] or ''}: no indicator rows found")
    return form


def read_head(form: dict, head: list[Line]) -> None:
    """The 项目名称 cell and the subtitle `（X项目）` that names the table go to the meta; which
    names the project is ``project_name.settle_project``'s rule (with the companion form)."""
    meta = read_labelled([line.text for line in head], raw=("project_type",))
    bracketed = next((norm_key(m["name"]) for line in head if (m := _BRACKETED.match(line.text))), None)
    if bracketed:
        form["meta"]["title_project"] = bracketed
    if meta.get("project_type"):
        meta["project_type"] = checked_option(meta["project_type"])
    form["meta"].update({k: v for k, v in meta.items() if v})


def checked_option(text: str) -> str | None:
    """`产业发展 民生 保障 基础设施 行政运行 □ □ □ √` -> 行政运行: the option under the tick.
    Wrapped options (`民生`/`保障`) are rejoined until options and boxes pair up."""
    tokens = text.replace("\n", " ").split()
    boxes = [t for t in tokens if t in CHECKBOXES]
    options = [t for t in tokens if t not in CHECKBOXES]
    while len(options) > len(boxes) > 0:
        shortest = min(range(len(options) - 1), key=lambda i: len(options[i]) + len(options[i + 1]))
        options[shortest:shortest + 2] = [options[shortest] + options[shortest + 1]]
    ticked = [o for o, b in zip(options, boxes, strict=False) if b in TICKED]
    return ticked[0] if len(options) == len(boxes) and len(ticked) == 1 else None


# --- 预算执行情况 -------------------------------------------------------------------------

def column_order(header: str, columns: tuple[tuple[str, str], ...]) -> list[str]:
    """Fields in the order their words appear in the header text."""
    found, key = [], norm_key(header)
    for field, word in columns:
        at = key.find(word)
        if at >= 0:
            found.append((at, field))
            key = key[:at] + "#" * len(word) + key[at + len(word):]
    return [f for _, f in sorted(found)]


def read_funds(lines: list[Line]) -> list[dict]:
    """Rows `合 计 10200 10172`, `财政拨款 …`, names wrapped before their amounts (`政策和项\\n目支出`)."""
    start = next((i for i, line in enumerate(lines) if norm_key(line.text).startswith(FUND_TOTAL)), None)
    if start is None:
        return []
    order = column_order(" ".join(line.text for line in lines[:start]), FUND_COLUMNS)
    funds, names = [], []
    for line in lines[start:]:
        m = _AMOUNTS_LINE.match(line.text)
        if not m:
            names.append(line)
            continue
        name = clean_cell(" ".join([n.text for n in names] + [m["name"]]))
        first = names[0] if names else line
        funds.append(fund(name, m["nums"].split(), order, first))
        names = []
    funds += [fund(clean_cell(n.text), [], order, n) for n in names]   # a line printed without amounts
    return funds


def fund(name: str | None, amounts: list[str], order: list[str], line: Line) -> dict:
    row = {"line": FUND_LINES.get(name, name), "budget_initial": None, "budget_full_year": None,
           "executed": None, "weight": None, "rate": None, "score": None,
           "source_line": line.no, "source_page": None}
    row.update(zip(order, amounts, strict=False))
    return row


def read_sources(lines: list[Line]) -> list[dict]:
    """财政拨款结构: a header of source columns (合计, then each ending in 安排), then labelled rows
    of amounts (`预算额 (百元) 10200 10200`)."""
    start = next((i for i, line in enumerate(lines) if norm_key(line.text).startswith(SOURCE_ROWS)), None)
    if start is None:
        return []
    header = "".join(norm_key(line.text) for line in lines[:start]).removeprefix("项目")
    columns = [FUND_TOTAL] if header.startswith(FUND_TOTAL) else []
    columns += [c + SOURCE_SUFFIX for c in header.removeprefix(FUND_TOTAL).split(SOURCE_SUFFIX) if c]
    rows, names = [], []
    for line in lines[start:]:
        m = _AMOUNTS_LINE.match(line.text)
        if not m:
            names.append(line.text)
            continue
        values = dict(zip(columns, m["nums"].split(), strict=False))
        rows.append({"line": clean_cell(" ".join(names + [m["name"]])), "values": values, "source_line": line.no})
        names = []
    return rows


# --- 年度总体目标 -------------------------------------------------------------------------

def read_goals(lines: list[Line]) -> list[dict]:
    """Rows of 预算总体目标 | 执行结果 | 偏差; a cell ends on a line clearly shorter than its
    neighbour, a sentence end, or where two cells share a line."""
    body = [line for line in lines if not _is_goal_header(line.text)]
    goals, cells = [], []
    for line in body:
        if _GOAL_START.match(line.text) and cells:
            goals.append(goal_row(cells))
            cells = []
        cells.append(line)
        if line.text.split()[-1] in GOAL_DEVIATION_WORDS:
            goals.append(goal_row(cells))
            cells = []
    if cells:
        goals.append(goal_row(cells))
    return [g for g in goals if g["goal"]]


def _is_goal_header(text: str) -> bool:
    key = norm_key(text)
    return key.startswith("预算总体目标") or "原因分析" in key or key.startswith("差情况")


def goal_row(lines: list[Line]) -> dict:
    pieces = [(part, k < len(parts) - 1) for line in lines
              for parts in [_cells_in_line(line.text)] for k, part in enumerate(parts)]
    cells, current = [], []
    for i, (text, shares_line) in enumerate(pieces):
        current.append(text)
        following = pieces[i + 1][0] if i + 1 < len(pieces) else None
        if following is None or shares_line or ends_sentence(text) or width(text) < SHORT_LINE * width(following) \
                or following in GOAL_DEVIATION_WORDS:
            cells.append(join_cell(current))
            current = []
    deviation = cells.pop() if len(cells) > 1 and cells[-1] in GOAL_DEVIATION_WORDS else None
    goal = cells[0] if cells else None
    result = join_cell(cells[1:]) if len(cells) > 1 else None
    return {"goal": goal, "result": result, "deviation": deviation,
            "source_line": lines[0].no, "source_page": None}


def _cells_in_line(text: str) -> list[str]:
    """`目标 5：人大监督 依法开展人大各项监督职能。 无偏差`: cells sharing a line. A space next
    to a number is PDF spacing (`对 2023年度`), not a cell border."""
    head = _GOAL_START.match(text)
    rest = text[head.end():] if head else text
    parts = [p for p in _CELL_GAP.split(rest.strip()) if p]
    if head and parts:
        parts[0] = head[0] + parts[0]
    return parts or [text]


# --- 年度绩效指标 -------------------------------------------------------------------------

def indicator_lines(lines: list[Line]) -> list[Line]:
    """The block without its column header (`一级指标 … 原因分析`, a few wrapped lines)."""
    end = next((i for i, line in enumerate(lines[:MAX_HEADER_LINES]) if HEADER_END in norm_key(line.text)), None)
    return lines[end + 1:] if end is not None else lines


def value_groups(text: str) -> list[str]:
    """`≥449 人次 449 人次` -> [`≥449 人次`, `449 人次`]: a unit token joins the number before it."""
    groups: list[str] = []
    for token in text.split():
        if groups and regex.search(r"\d$", groups[-1]) and not regex.search(r"\d", token) \
                and len(token) <= 3 and not token.startswith(GOAL_TARGET_OPENERS) \
                and token not in GOAL_ACTUAL_WORDS + GOAL_DEVIATION_WORDS:
            groups[-1] += " " + token
        else:
            groups.append(token)
    return groups


def opens_target(text: str) -> bool:
    return text.startswith(GOAL_TARGET_OPENERS)


def ends_row(text: str) -> bool:
    """A row ends on the line that prints its 执行结果 (and 偏差)."""
    groups = value_groups(text)
    if groups[-1] in GOAL_ACTUAL_WORDS + GOAL_DEVIATION_WORDS:
        return True
    return len(groups) >= 2 and any(opens_target(g) for g in groups[:-1])


def split_rows(lines: list[Line]) -> tuple[list[list[Line]], list[Line]]:
    """Rows, and the lines after the last row end (names of empty 二级 groups, or a row whose
    执行结果 was never printed)."""
    rows, current = [], []
    for line in lines:
        current.append(line)
        if ends_row(line.text):
            rows.append(current)
            current = []
    return rows, current


def row_values(row: list[Line]) -> tuple[list[str], str | None, str | None, str | None]:
    """(name and target lines, target printed on the last line, actual, deviation)."""
    groups = value_groups(row[-1].text)
    deviation = groups.pop() if len(groups) > 1 and groups[-1] in GOAL_DEVIATION_WORDS else None
    actual = groups.pop() if groups else None
    before = [line.text for line in row[:-1]]
    opener = next((i for i, g in enumerate(groups) if opens_target(g)), None)
    if opener is not None:
        return before + groups[:opener], " ".join(groups[opener:]), actual, deviation
    if len(groups) >= 2:
        return before + groups[:-1], groups[-1], actual, deviation
    if groups and before:
        return before, groups[0], actual, deviation
    return before + groups, None, actual, deviation


def split_levels(texts: list[str]) -> tuple[list[tuple[int, str]], list[str]]:
    """Leading 一级/二级 names (level, name) read against the vocabulary at line boundaries, and
    the lines left (the 三级 name, maybe a target)."""
    found, i = [], 0
    while i < len(texts):
        hit = _vocab_at(texts, i)
        if hit is None:
            break
        name, used = hit
        found.append(name)
        i += used
    return _levels(found), texts[i:]


def _vocab_at(texts: list[str], i: int) -> tuple[str, int] | None:
    key, best = "", None
    for n in range(i, min(i + 4, len(texts))):
        key += norm_key(texts[n])
        if key in GOAL_LEVEL1_NAMES or key in GOAL_LEVEL2_NAMES:
            best = (key, n - i + 1)
    return best


def _levels(names: list[str]) -> list[tuple[int, str]]:
    """A name in both lists is 一级 when a 二级 name follows it."""
    out = []
    for k, name in enumerate(names):
        nxt = names[k + 1] if k + 1 < len(names) else None
        level1 = name in GOAL_LEVEL1_NAMES and (name not in GOAL_LEVEL2_NAMES or nxt in GOAL_LEVEL2_NAMES)
        out.append((1 if level1 else 2, name))
    return out


def split_name_target(texts: list[str], target: str | None, known: set[str]) -> tuple[str | None, str | None]:
    """The 三级 name and the target when the target wraps over lines before the 执行结果."""
    if target is not None or not texts:
        return join_cell(texts), target
    opener = next((i for i, t in enumerate(texts) if i and (opens_target(t) or _NUMBER_START.match(t))), None)
    if opener is None:
        joined = [norm_key("".join(texts[:n])) for n in range(1, len(texts))]
        opener = next((n for n in range(len(joined), 0, -1) if joined[n - 1] in known), 1 if len(texts) > 1 else None)
    if opener is None:
        return join_cell(texts), None
    return join_cell(texts[:opener]), join_cell(texts[opener:])


def read_indicators(lines: list[Line], known: set[str], issues: list[str]) -> list[dict]:
    items, level1, level2 = [], None, None
    rows, rest = split_rows(indicator_lines(lines))
    _, unread = split_levels([line.text for line in rest])
    if unread:
        issues.append(f"indicator lines without 执行结果 from line {rest[0].no}: {join_cell(unread)}")
    for row in rows:
        texts, target, actual, deviation = row_values(row)
        levels, rest = split_levels(texts)
        for level, name in levels:
            level1, level2 = (name, None) if level == 1 else (level1, name)
        name, target = split_name_target(rest, target, known)
        if not name:
            continue
        items.append(new_item(level1=level1, level2=level2, level3=name, target=clean_cell(target),
                              actual=clean_cell(actual), note=deviation, source_line=row[0].no,
                              source_page=None))
    return items


def known_goal_names(parts: list) -> set[str]:
    """三级 names of rows whose target plainly starts (a comparator or a number)."""
    known = set()
    for part in parts:
        for row in split_rows(indicator_lines(split_blocks(part.lines).get("indicators", [])))[0]:
            texts, target, _, _ = row_values(row)
            _, rest = split_levels(texts)
            if target is not None and rest:
                known.add(norm_key("".join(rest)))
    return known
