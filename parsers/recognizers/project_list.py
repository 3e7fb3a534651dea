"""Recognizer for project lists (项目清单): a header with 项目名称 and an amount column."""
from __future__ import annotations

import regex

from parsers.blocks import Cell
from parsers.recognizers.grid_form import column_map, texts
from parsers.recognizers.row_cut import is_amount
from parsers.recognizers.titles import match_title
from parsers.text import match_header, norm_key
from parsers.vocabulary import MONEY_UNITS, PROJECT_LIST_COLUMNS, PROJECT_LIST_TITLES, SERIAL_HEADERS, TOTAL_LABELS


def money_unit_of(header: str | None) -> str | None:
    key = norm_key(header)
    return next((u for u in sorted(MONEY_UNITS, key=len, reverse=True) if u in key), None)


def find_project_lists(rows: list[list[Cell]]) -> list[dict]:
    """Every project list: ``{"title", "money_unit", "source_line", "rows": [...]}``."""
    lists: list[dict] = []
    current: dict | None = None
    cols: dict[str, int] = {}
    values: list[str | None] = []
    for row in rows:
        previous, values = values, texts(row)
        header = column_map(row, PROJECT_LIST_COLUMNS)
        if {"project", "amount"} <= header.keys() and len(row) > 1:
            cols = header
            current = {"title": list_title(previous), "money_unit": money_unit_of(values[cols["amount"]]),
                       "source_line": row[0]["line"], "rows": []}
            lists.append(current)
            continue
        if current is None:
            continue
        if len(row) == 1:  # a text line ends the list; a title right after it names it
            current["title"] = current["title"] or list_title(values)
            current = None
            continue
        read_list_row(current, cols, row, values)
    return lists


def list_title(values: list[str | None]) -> str | None:
    """The text of a one-cell row naming a project list (the line before or after the list)."""
    if len(values) == 1 and any(t in norm_key(values[0]) for t in PROJECT_LIST_TITLES):
        return values[0]
    return None


def read_list_row(current: dict, cols: dict[str, int], row: list[Cell], values: list) -> None:
    project = values[cols["project"]] if cols["project"] < len(values) else None
    amount = values[cols["amount"]] if cols["amount"] < len(values) else None
    note = values[cols["note"]] if "note" in cols and cols["note"] < len(values) else None
    is_total = any(norm_key(v) in TOTAL_LABELS for v in values if v)
    if not (project or amount or note):
        return
    current["rows"].append({"project": None if is_total else project, "amount": amount, "note": note,
                            "is_total": is_total, "source_line": row[0]["line"],
                            "source_page": row[0].get("page")})


def find_flat_project_lists(stream: list[Cell]) -> list[dict]:
    """Project lists in a cell stream whose rows were lost (pipes, paragraphs, space-joined, run-on
    text): after a header naming 项目名称 and an amount, each row is its 序号 (where the header has
    one), the name, the amount and, with a 序号 column, a note up to the next number; the 合计 row's
    amount ends the list, and a list title right before the header or after the total names it."""
    lists = []
    i = 0
    while (at := flat_header(stream, i)) is not None:
        start, end, fields = at
        unit = money_unit_of(stream[start + fields.index("amount")]["text"])
        current = {"title": flat_title(stream, start - 1, -1), "money_unit": unit, "source_line": stream[start]["line"],
                   "rows": []}
        serial = fields[0] == "serial"
        glued = serial and stream[end:end + 1] and stream[end].get("glued")   # run-on text: cut by the numbers
        i = read_run_on_rows(current, stream, end) if glued else end
        if not current["rows"]:
            i = read_flat_rows(current, stream, end, serial=serial)
        current["title"] = current["title"] or flat_title(stream, i)
        if current["rows"]:
            lists.append(current)
    return lists


def flat_header(stream: list[Cell], start: int) -> tuple[int, int, list[str]] | None:
    """(first, past-last, fields) of the next run of list header cells holding project and amount."""
    for i in range(start, len(stream)):
        fields, j = [], i
        while j < len(stream) and (field := list_field(stream[j]["text"])):
            fields.append(field)
            j += 1
        if {"project", "amount"} <= set(fields):
            return i, j, fields
    return None


def list_field(text: str | None) -> str | None:
    return "serial" if norm_key(text) in SERIAL_HEADERS else match_header(text, PROJECT_LIST_COLUMNS)


def read_flat_rows(current: dict, stream: list[Cell], i: int, serial: bool) -> int:
    expected = 1
    while i < len(stream):
        text = norm_key(stream[i]["text"])
        if not text:
            i += 1
            continue
        if serial and text == str(expected):
            expected, i = expected + 1, i + 1
            continue
        if i + 1 >= len(stream) or not is_amount(stream[i + 1]["text"]):
            return i
        is_total = text in TOTAL_LABELS
        note, after = flat_note(stream, i + 2, expected) if serial and not is_total else (None, i + 2)
        current["rows"].append({"project": None if is_total else stream[i]["text"], "amount": stream[i + 1]["text"],
                                "note": note, "is_total": is_total, "source_line": stream[i]["line"],
                                "source_page": stream[i].get("page")})
        i = after
        if is_total:
            return i
    return i


def read_run_on_rows(current: dict, stream: list[Cell], i: int) -> int:
    """A list whose cells ran together (`1人大会议经费552代表工作经费12.553…合计138.83`): each row is its
    number, its name and its amount, the amount ending where the next row's number (one more) opens
    the next name; the 合计 amount ends the list. Returns where the list's text ends."""
    j, text = i, ""
    while j < len(stream) and stream[j]["text"] and not match_title(stream[j]["text"]):
        text += stream[j]["text"]
        j += 1
    number, pos, rows = 1, 0, []
    while m := _RUN_ON_ROW.match(text, pos) if text.startswith(str(number), pos) else None:
        if m["serial"] != str(number):
            break
        amount_end = next_row_at(text, m.end("name"), number + 1)
        if amount_end is None or not is_amount(text[m.end("name"):amount_end]):
            break
        rows.append((m["name"], text[m.end("name"):amount_end]))
        number, pos = number + 1, amount_end
    total = _RUN_ON_TOTAL.match(text, pos)
    if not rows or not total:
        return i
    base = stream[i]
    after = _ATTACHMENT_TAIL.sub("", text[total.end():])   # the list's title follows its total
    current["title"] = current["title"] or (after if any(t in after for t in PROJECT_LIST_TITLES) else None)
    current["rows"] = [{"project": name, "amount": amount, "note": None, "is_total": False,
                        "source_line": base["line"], "source_page": base.get("page")} for name, amount in rows]
    current["rows"].append({"project": None, "amount": total["amount"], "note": None, "is_total": True,
                            "source_line": base["line"], "source_page": base.get("page")})
    return j


def next_row_at(text: str, start: int, number: int) -> int | None:
    """Where the amount that starts at ``start`` ends: before the next row's number and its name, or
    before 合计."""
    m = _AMOUNT_THEN.match(text, start)
    if not m:
        return None
    digits = m["amount"]
    for end in range(len(digits), 0, -1):   # the longest amount that leaves the next number
        rest = digits[end:]
        if (rest == str(number) and m["next"]) or (not rest and m["total"]):
            return start + end
    return None


_RUN_ON_ROW = regex.compile(r"(?P<serial>\d{1,2})(?P<name>[^\d]+)")
_TOTALS = "|".join(map(regex.escape, sorted(TOTAL_LABELS, key=len, reverse=True)))
_AMOUNT_THEN = regex.compile(rf"(?P<amount>\d[\d.]*)(?:(?P<total>{_TOTALS})|(?P<next>[^\d.]))")
_RUN_ON_TOTAL = regex.compile(rf"(?:{_TOTALS})(?P<amount>\d+(?:\.\d+)?)")
_ATTACHMENT_TAIL = regex.compile(r"附件\d{0,2}[:：]?$")


def flat_note(stream: list[Cell], i: int, expected: int) -> tuple[str | None, int]:
    """The note after a row's amount: the text before the next row's number or the 合计 row."""
    if i < len(stream) and stream[i]["text"] and norm_key(stream[i]["text"]) not in (str(expected), *TOTAL_LABELS) \
            and i + 1 < len(stream) and norm_key(stream[i + 1]["text"]) in (str(expected), *TOTAL_LABELS):
        return stream[i]["text"], i + 1
    return None, i


def flat_title(stream: list[Cell], i: int, step: int = 1) -> str | None:
    """The list's title: the first non-empty cell from ``i`` on (``step`` -1: back from it)."""
    while 0 <= i < len(stream) and not stream[i]["text"]:
        i += step
    text = stream[i]["text"] if 0 <= i < len(stream) else None
    return text if text and any(t in norm_key(text) for t in PROJECT_LIST_TITLES) else None
