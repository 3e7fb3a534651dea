"""Cells that a run-on dump glued across columns, cut apart by the column types the header declares.

A run-on reader (``parsers.readers.run_on``) finds cell boundaries only at header words and at
values; what it cannot cut stays one *glued* cell. In an indicator row that means the yes/no of
the last column (是否核心指标) runs into the next row's name, and the name carries its 计量单位,
its 指标性质 and, for a qualitative indicator, its target and actual (`否资金使用合规性好好`,
`财政供养人员控制率%定量指标`). Those ends are cut off only where the header has the column they
belong to and the cut leaves a name; a cell that reads no other way stays as it is.
"""
from __future__ import annotations

import regex

from parsers.recognizers.row_cut import YES_NO, is_value, looks_measured
from parsers.text import norm_key, scrambled
from parsers.vocabulary import (
    COLUMN_TYPES,
    GRADED_ACTUALS,
    INDICATOR_NATURES,
    LEVEL_NAMES,
    MEASURE_UNITS,
    NAME_ENDINGS,
    QUALITATIVE_TARGETS,
    QUALITATIVE_VALUES,
)

MIN_NAME = 2
MIN_NOTE = 4
# A unit is cut off a name only when what follows it is nothing, or OCR debris (a Latin letter or a
# digit: `份第O份`); a CJK character after a unit may be the name's own (`新增就业人数`).
_DEBRIS = regex.compile(r"[A-Za-z0-9]")
_LATIN_TAIL = regex.compile(r"(?<=\p{Han})[A-Za-z]{2,}\p{Han}?$")   # `播发稿件数量tot扁`: a unit OCR'd as letters
_UNIT_OF_VALUE = regex.compile(r"\d(?P<unit>\D{1,4})$")


MIN_PAIR_HALF = 2


def typed_fields(cols: list[str | None]) -> dict[str, str]:
    """field -> type for the header's columns that have one (``[column_types]`` in the templates)."""
    return {c: COLUMN_TYPES[c] for c in cols if c in COLUMN_TYPES}


def split_glued_cells(stream: list[dict], cols: list[str | None], has_levels: bool) -> list[dict]:
    """The stream with every glued name cell cut into the cells the header says it holds. In a
    table without level columns a level word the reader cut out (`资产管理` + `安全好好`) is the
    start of a name."""
    types = set(typed_fields(cols).values())
    if not types & {"yes_no", "unit", "nature", "measured"} or not any(c.get("glued") for c in stream):
        return stream
    if not has_levels:
        stream = join_level_words(stream)
    out: list[dict] = []
    for i, cell in enumerate(stream):
        text = cell.get("text")
        if not cell.get("glued") or not is_name(text):
            out.append(cell)
        elif (pair := printed_twice(text)) and i and is_value(stream[i - 1].get("text")):
            out += [{**cell, "text": half} for half in pair]   # after the weight: target and actual alike
        else:
            out += [{**cell, "text": piece} for piece in cut_glued(text, types, cols, row_units(stream, i))]
    return out


def printed_twice(text: str) -> list[str] | None:
    """`显著提升显著提升` -> [`显著提升`, `显著提升`]: a qualitative target and its actual, printed alike."""
    half = len(text) // 2
    return [text[:half]] * 2 if len(text) % 2 == 0 and half >= MIN_PAIR_HALF and text[:half] == text[half:] else None


def cut_glued(text: str, types: set[str], cols: list[str | None], units: set[str]) -> list[str]:
    """One glued name cell as the cells it holds."""
    name, rate, rest = cut_rate_inside(text) if "note" in cols else (text, None, None)
    return cut_name_cell(name, types, units) + ([rate, *cut_leading_actual(rest)] if rate else [])


# the name holds no sentence punctuation (`已完工,剩余3%尾款未付` is a note, not a name and its rate)
_RATE_INSIDE = regex.compile(r"^(?P<name>[^\d,，。;；]{4,}\p{Han})(?P<rate>\d+(?:\.\d+)?%)(?P<rest>\p{Han}.*)$",
                            regex.S)


def cut_rate_inside(text: str) -> tuple[str, str | None, str | None]:
    """`政策性挂账利息补贴保障率100%无没有轮换、动用库存` -> (name, 100%, 无没有轮换、动用库存): a rate
    between a name and a text is the row's target, the text its actual and note."""
    m = _RATE_INSIDE.match(text)
    return (m["name"], m["rate"], m["rest"]) if m else (text, None, None)


def cut_leading_actual(text: str) -> list[str]:
    """`无没有轮换、动用库存` after a target -> 无 | 没有轮换、动用库存: a one-word qualitative actual
    glued to the note that explains it."""
    for value in sorted(QUALITATIVE_VALUES, key=len, reverse=True):
        rest = text[len(value):]
        if text.startswith(value) and len(rest) >= MIN_NOTE and not rest.startswith(value):
            return [value, rest]
    return [text]


def join_level_words(stream: list[dict]) -> list[dict]:
    out: list[dict] = []
    for cell in stream:
        before = out[-1] if out else None
        if (before and before.get("glued") and cell.get("glued") and is_name(cell.get("text"))
                and norm_key(before.get("text")) in LEVEL_NAMES):
            out[-1] = {**before, "text": before["text"] + cell["text"]}
            continue
        out.append(cell)
    return out


def is_name(text: str | None) -> bool:
    return bool(text) and not is_value(text) and not looks_measured(text)


def cut_name_cell(text: str, types: set[str], units: set[str]) -> list[str]:
    """[flag of the row before, name, unit, nature, target, actual], the parts that are there."""
    head: list[str] = []
    if "yes_no" in types and text[0] in YES_NO and len(text) > MIN_NAME and not text.startswith("是否"):
        head, text = [text[0]], text[1:]
    text, tail = cut_qualitative_pair(text)
    if not tail:
        text, tail = cut_graded_actual(text)
    if "nature" in types:
        text, nature = cut_nature(text)
        tail = [nature, *tail] if nature else tail
    if "unit" in types:
        text, unit = cut_unit(text, units)
        tail = [*unit, *tail]
    return [*head, text, *tail]


def cut_graded_actual(text: str) -> tuple[str, list[str]]:
    """`经费支出合规性严格执行相关制度规定达成预期指标` -> (`经费支出合规性`, [`严格执行相关制度规定`,
    `达成预期指标`]): a qualitative row's graded actual (the template's own words) at the end, and
    the target after the first place the text ends as an indicator name does; the name and target
    stay one where no such place is."""
    actual = next((a for a in sorted(GRADED_ACTUALS, key=len, reverse=True) if text.endswith(a)), None)
    if actual is None or len(text) - len(actual) < MIN_NAME:
        return text, []
    rest = text[: -len(actual)]
    worded = next((t for t in sorted(QUALITATIVE_TARGETS, key=len, reverse=True)
                   if rest.endswith(t) and len(rest) - len(t) >= MIN_NAME and balanced(rest[: -len(t)])), None)
    if worded:   # a target in the templates' own words: the name ends where it begins
        return rest[: -len(worded)], [worded, actual]
    for at in range(MIN_NAME, len(rest) - MIN_NAME + 1):
        if rest[:at].endswith(NAME_ENDINGS) and balanced(rest[:at]):
            return rest[:at], [rest[at:], actual]
    return rest, [actual]


def balanced(text: str) -> bool:
    """No quote or bracket left open (`对推动“四项制度` is no name)."""
    return all(text.count(a) == text.count(b) for a, b in ("“”", "()", "（）", "「」"))


def cut_qualitative_pair(text: str) -> tuple[str, list[str]]:
    """`资金使用合规性好好` -> (`资金使用合规性`, [`好`, `好`]): a qualitative target and its actual,
    printed alike, at the end of a name."""
    for value in sorted(QUALITATIVE_VALUES, key=len, reverse=True):
        if text.endswith(value * 2) and len(text) - 2 * len(value) >= MIN_NAME:
            return text[: -2 * len(value)], [value, value]
    return text, []


def cut_nature(text: str) -> tuple[str, str | None]:
    """A 指标性质 word at the end of a name, as printed or with its characters scrambled by OCR
    (`性标定指`: given as the word it spells, since the column is not kept but its type is read)."""
    for nature in sorted(INDICATOR_NATURES, key=len, reverse=True):
        end = text[-len(nature):]
        if len(text) - len(nature) >= MIN_NAME and (end == nature or scrambled(end, nature)):
            return text[: -len(nature)], nature
    return text, None


def cut_unit(text: str, units: set[str]) -> tuple[str, list[str]]:
    """The name before its 计量单位, at the first unit followed by nothing or by OCR debris (then
    a cell of its own: `份第O份` -> 份 | 第O份; `次数次到` -> 次 | 到, a comparator OCR misread,
    where the name ends as indicator names do and the row's values print that unit). Letters where
    the unit stands (`数量tot扁`) are a unit OCR could not read: they go, as no column can hold them."""
    for at in range(MIN_NAME, len(text)):
        for unit in sorted(units, key=len, reverse=True):
            rest = text[at + len(unit):]
            if text.startswith(unit, at) and (not rest or _DEBRIS.search(rest) or stray_comparator(
                    text[:at], unit, rest, units)):
                return text[:at], [unit, rest] if rest else [unit]
    if m := _LATIN_TAIL.search(text):
        return text[: m.start()], []
    return text, []


def stray_comparator(name: str, unit: str, rest: str, units: set[str]) -> bool:
    return len(rest) == 1 and unit != "%" and unit in units and name.endswith(NAME_ENDINGS)


def row_units(stream: list[dict], i: int) -> set[str]:
    """The units this row's values print (`26次` -> 次), and `%`: what its 计量单位 cell can be."""
    units = {"%"}
    for cell in stream[i + 1:]:
        text = norm_key(cell.get("text"))
        if not text or not (is_value(text) or looks_measured(text)):
            break
        if (m := _UNIT_OF_VALUE.search(text)) and m["unit"] in MEASURE_UNITS:
            units.add(m["unit"])
    return units
