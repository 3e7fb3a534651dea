"""Reader for tables whose cells were run together with no separator at all (a docx or PDF text
dump on a document-sharing site: `年度资金总额194.9194.9100%其中:中央…`).

The cells are recovered from what the forms themselves print: the header words, level names,
budget-line and meta labels of the template vocabulary (``parsers/templates``) open cells of
their own, and a run of values (`≥10%115.25%20%20`) at the end of a text is cut off it, value by
value. Values glued without a boundary (`194.9194.9`, `22`) stay one cell: the recognizer splits
them by the form's arithmetic (``parsers.recognizers.glued``). The cells form one *flat* table
block (``parsers.blocks``). Short lines (page furniture, file names) stay text lines; a page
continuation mark of such sites (`2、` opening a line) is dropped.
"""
from __future__ import annotations

import unicodedata
from functools import cache
from itertools import accumulate

import regex

from parsers.blocks import Block, make_cell
from parsers.recognizers.glued import doubled
from parsers.recognizers.titles import match_title
from parsers.text import norm_key
from parsers.vocabulary import (
    COMPARATOR_SUFFIXES,
    COMPARATORS,
    FUND_COLUMNS,
    GOAL_COLUMNS,
    INDICATOR_COLUMNS,
    LEVEL1_NAMES,
    LEVEL2_NAMES,
    LEVEL_NAME_SUFFIXES,
    MAX_TITLE_LEN,
    MEASURE_UNITS,
    META_LABELS,
    NAME_ENDINGS,
    TITLE_RULES,
    template_words,
)

MIN_LINE = 120          # a run-on line is long ...
MAX_SPACE_SHARE = 0.2   # ... and holds few spaces (space-joined dumps are spaced_cells)
MIN_TERMS = 4           # distinct header words in the long lines: a form, not prose
# A term this long is a cell of its own wherever it stands; shorter ones (得分, 投入, 经济效益)
# only where a cell boundary already is (after a value or another term).
STRONG_TERM = 4
ROW_LABEL_WORD = "指标"
PROJECT_NAME_LABEL, PROJECT_WORD, DEPARTMENT_FIELD = "项目名称", "项目", "department"
_CONTINUATION = regex.compile(r"^\d{1,3}、")
_SPACE = regex.compile(r"\s")
_INNER_SPACE = regex.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
# A value: a comparator, a number, a unit of measure (the templates' units) or a percent.
_UNIT = "(?:" + "|".join(regex.escape(u) for u in sorted(MEASURE_UNITS, key=len, reverse=True) if "/" not in u) + ")"
# Digits and dots together stay one value even when two numbers were glued (`194.9194.9100%`).
_OPS = sorted(COMPARATORS, key=len, reverse=True)
_SUFFIX = "(?:" + "|".join(map(regex.escape, sorted(COMPARATOR_SUFFIXES, key=len, reverse=True))) + ")"
_VALUE = "(?:" + "|".join(map(regex.escape, _OPS)) + r")?-?\d[\d.]*" + _UNIT + "?" + _SUFFIX + "?"
_SYMBOLS = "".join(sorted({op for op in _OPS if len(op) == 1}))
_TOKEN = regex.compile(f"(?P<value>{_VALUE})|[^\\d{regex.escape(_SYMBOLS)}]+|.")
MIN_VALUE_RUN = 2
# A bare figure (no unit) between a name and the next words, or opening a text: a scoring sheet's
# 分值/得分 cell (`在职人员控制率5以100%为标准`, `编制数。5“三公经费”变动率`, after a formula's end
# `X100%.5预算控制率` or an OCR'd full stop `o5`); not `第2`, not `至0,`, not a decimal's digits.
_BARE_FIGURE = regex.compile(r"(?:^|(?<=[\p{Han}。；;”」)）%.A-Za-z]))(?<!第)(?<!指标)(?<!\d\.)\d{1,3}(?:\.\d)?"
                             r"(?=[\p{Han}“「(（])(?!" + _UNIT + ")")
# Decimal figures run together (`43.237.24109`): values, never a number inside a name.
_DECIMALS_GLUED = regex.compile(r"\d\.\d+\.\d")
_BOUNDARY = regex.compile(_VALUE + "$|[)）]$")
_ATTACHMENT_MARK = regex.compile(r"附件\d{1,2}[:：]?")
_TITLE_HEAD = regex.compile(r"[\p{Han}\d]+$")   # the title's words before its pattern
_SENTENCE_END = "。;；"
_LABEL_COLON = regex.compile(r"[:：]")
_POINTS_WITH_UNIT = regex.compile(r"^(?P<digits>\d+)(?P<unit>\p{Han})$")
POINTS_UNIT = "分"
_CODE = regex.compile(r"^(?=[0-9A-Za-z]*\d{3})[0-9A-Za-z]{8,}[-－—_]")   # a budget code before a name
_LEADING_COLON = regex.compile(r"(?<=^[:：])")
# A template's row label (`指标1：`, `指标2`) opens a row: its name, and the previous row's values end.
_ROW_LABEL = regex.compile(rf"(?<=[^\p{{Han}}])(?={ROW_LABEL_WORD}\d{{1,2}}(?:[\p{{Han}}:：.…]|$))")
_FILLER = regex.compile(r"\.{3,}|…+")   # the template's `……` rows: nothing to read, a boundary
_BRACKETED = regex.compile(r"[(（][^()（）]{1,8}[)）]")
TITLE_PRIORITY = 20     # titles specific enough to be cut out of a run of text
_HEADER_FIELDS = ("level1", "level2", "level3", "target", "actual", "weight", "score")


@cache
def vocabulary_terms() -> tuple[frozenset[str], regex.Pattern]:
    """(the header words, a pattern finding any term): longest terms first."""
    header = {w for f in _HEADER_FIELDS for w in INDICATOR_COLUMNS.get(f, ())}
    header |= {w for ws in FUND_COLUMNS.values() for w in ws}
    keys = sorted(template_words(), key=len, reverse=True)
    return frozenset(norm_key(w) for w in header), regex.compile("|".join(map(regex.escape, keys)))


def flatten(line: str) -> str:
    """NFKC, and the spaces that wrapping put between CJK characters removed."""
    return _INNER_SPACE.sub("", unicodedata.normalize("NFKC", line).strip())


def looks_like_run_on(text: str) -> bool:
    lines = [line for _, line, in_run in run_lines(text) if in_run]
    if not lines or any(ln.count(" ") + ln.count("\t") > MAX_SPACE_SHARE * len(ln) for ln in lines):
        return False
    header, pattern = vocabulary_terms()
    found = {m[0] for ln in lines for m in pattern.finditer(flatten(ln)) if m[0] in header}
    return len(found) >= MIN_TERMS


def run_lines(text: str) -> list[tuple[int, str, bool]]:
    """(line number, stripped line, whether it belongs to a run of run-on text) for non-blank lines:
    long lines, and after one a page's continuation (`2、…`) or the unspaced tail of the table
    (a shorter last line that still holds the form's words)."""
    _, pattern = vocabulary_terms()
    out: list[tuple[int, str, bool]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        after_run = bool(out) and out[-1][2]
        tail = after_run and not _SPACE.search(line) and bool(pattern.search(flatten(line)))
        out.append((number, line, len(line) >= MIN_LINE or (after_run and bool(_CONTINUATION.match(line))) or tail))
    return out


def split_values(text: str) -> list[str]:
    """A text and the values printed in it: `增长率≥10%115.25%20%20资金足额拨付率100%100%10%10` ->
    [增长率, ≥10%, 115.25%, 20%, 20, 资金足额拨付率, 100%, 100%, 10%, 10]. Values are cut off where
    they end the text or stand two or more in a row (a row's target and actual); a lone number
    inside a text is part of a name (`5000吨稻谷、500吨成品粮储备到位率`)."""
    text = text.rstrip(_SENTENCE_END)
    if (code := _CODE.match(text)) and code.end() < len(text):   # `51092324T000…-2023年…项目`: one name
        rest = split_values(text[code.end():])
        return [code[0] + rest[0], *rest[1:]]
    tokens = [(m.group(), bool(m.group("value"))) for m in _TOKEN.finditer(text)]
    tokens = unit_to_next_word(tokens)
    bare = {m.start() for m in _BARE_FIGURE.finditer(text)}
    starts = list(accumulate((len(t) for t, _ in tokens), initial=0))
    cells: list[str] = []
    in_text = False   # the last cell is text that the next text continues
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j][1]:
            j += 1
        labelled = j == i + 1 and i > 0 and tokens[i - 1][0] == ROW_LABEL_WORD   # `指标2`: a label
        if j > i and not labelled and (j - i >= MIN_VALUE_RUN or j == len(tokens) or starts[i] in bare
                                       or compared(tokens[i][0]) or _DECIMALS_GLUED.search(tokens[i][0])
                                       or (not in_text and is_strong_value(tokens[i][0]))):
            cells += [t for t, _ in tokens[i:j]]
            i, in_text = j, False
            continue
        j = max(j, i + 1)
        part = "".join(t for t, _ in tokens[i:j])
        if in_text:
            cells[-1] += part
        else:
            cells.append(part)
        i, in_text = j, True
    return cells


_NUMBERED = regex.compile(r"^(?P<value>.*\d)(?P<number>\d\.)$")


def unit_to_next_word(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """A row's points carry no unit: after figures that end in a weight and score run together
    (`1010家长满意度`, `9088单项业务成本`: 90 | 8 | 8), a one-character unit is the next word's first
    character."""
    out = list(tokens)
    for n in range(len(out) - 1):
        (value, is_value), (after, after_is_value) = out[n], out[n + 1]
        m = _POINTS_WITH_UNIT.match(value) if is_value and not after_is_value else None
        if m and m["unit"] in MEASURE_UNITS and m["unit"] != POINTS_UNIT and ends_in_points(m["digits"]):
            out[n], out[n + 1] = (m["digits"], True), (m["unit"] + after, False)
    return out


def ends_in_points(digits: str) -> bool:
    """Figures whose last digits are a weight and its equal score (`1010`, `9088`)."""
    return any(doubled(digits[-k:]) not in (None, "0") for k in range(2, len(digits) + 1, 2))


def split_titles(text: str) -> list[str]:
    """The text cut around every form title glued inside it (`…财政局(制)部门整体支出绩效评价指标表`):
    a title runs from the end of its pattern back to the punctuation before it. A title right
    after an attachment marker (`附件1:`) is cut out whatever its rule's priority."""
    found = [span for span in (specific_title(text), attached_title(text)) if span]
    if not found:
        return [text] if text else []
    start, end = min(found)
    return [t for t in (text[:start], text[start:end]) if t] + split_titles(text[end:])


def specific_title(text: str) -> tuple[int, int] | None:
    for pattern, whole in title_patterns():
        if m := pattern.search(text):
            head = None if whole else _TITLE_HEAD.search(text, max(m.start() - MAX_TITLE_LEN, 0), m.start())
            start = head.start() if head else m.start()
            if marker := list(_ATTACHMENT_MARK.finditer(text, start, m.start())):
                start = marker[-1].end()   # `…附件72020年项目支出绩效自评指标计分表`: the title follows 附件7
            return start, m.end()
    return None


def attached_title(text: str) -> tuple[int, int] | None:
    """(start, end) of a title right after an attachment marker (`附件1:`), whatever its rule's
    priority: the marker says a form begins there."""
    for marker in _ATTACHMENT_MARK.finditer(text):
        window = text[marker.end():marker.end() + MAX_TITLE_LEN]
        for pattern in all_title_patterns():
            if (m := pattern.search(window)) and match_title(window[:m.end()]):
                return marker.end(), marker.end() + m.end()
    return None


@cache
def all_title_patterns() -> list[regex.Pattern]:
    return [regex.compile(f"(?:{rule.pattern})") for rule in TITLE_RULES]


@cache
def title_patterns() -> list[tuple[regex.Pattern, bool]]:
    """(pattern, whole) of the titles specific enough to cut out of run-on text."""
    return [(regex.compile(f"(?:{rule.pattern})"), rule.whole)
            for rule in TITLE_RULES if rule.priority >= TITLE_PRIORITY]


def run_on_cells(text: str) -> list[tuple[int, str]]:
    """(offset, cell) for the cells of one run-on stretch of text: form titles first (their words
    are not cut apart), then the vocabulary's terms and values in what lies between."""
    cells: list[tuple[int, str]] = []
    offset = 0
    for piece in split_titles(text):
        if match_title(piece):
            cells.append((offset, piece))
        else:
            cells += [(offset + at, cell) for at, cell in term_cells(piece)]
        offset += len(piece)
    return cells


def term_cells(text: str) -> list[tuple[int, str]]:
    """(offset, cell) for a run-on stretch without a title."""
    _, pattern = vocabulary_terms()
    cells: list[tuple[int, str]] = []
    pos = 0

    def free(end: int) -> None:
        offset = pos
        if cells and _BRACKETED.fullmatch(text[pos:end]):   # `全年预算数` + `(A)`
            cells[-1] = (cells[-1][0], cells[-1][1] + text[pos:end])
            return
        # a space left after flattening (between figures, `811.54 811.54 100%`) is a cell boundary
        chunks = (part for chunk in _FILLER.sub(" ", text[pos:end]).split()
                  for colon in _LEADING_COLON.split(chunk, maxsplit=1) for part in _ROW_LABEL.split(colon) if part)
        for cell in (c for chunk in chunks for c in split_values(chunk)):
            offset = text.index(cell, offset)
            if cells and _LABEL_COLON.fullmatch(cell):   # `年度资金总额` + `:`: the label's own colon
                cells[-1] = (cells[-1][0], cells[-1][1] + cell)
            else:
                cells.append((offset, cell))
            offset += len(cell)

    for m in pattern.finditer(text):
        between = text[pos:m.start()]
        if len(m[0]) < STRONG_TERM and between and not _BOUNDARY.search(between):
            continue  # a short word inside a name (`满意度` in `…机构满意度`)
        if opens_name(m[0], text[m.end():]):
            continue  # `预算资金拨款率100%`: a label's words opening an indicator's name
        start = m.start() + name_tail(m[0], between, cells)
        free(start)
        cells.append((start, text[start:m.end()]))
        pos = m.end()
    free(len(text))
    return numbering_to_next_cell(cells)


def name_tail(term: str, name: str, cells: list[tuple[int, str]]) -> int:
    """How much of a label belongs to the project name before it: after `项目名称`,
    `委托业务项目主管部门` is 委托业务项目 | 主管部门 (the template that prints 项目主管部门 names its project
    under 政策(项目)名称; 项目负责人 stays whole)."""
    if not (name and cells and cells[-1][1] == PROJECT_NAME_LABEL) or _BOUNDARY.search(name):
        return 0
    tail = PROJECT_WORD
    rest = term[len(tail):]
    return len(tail) if term.startswith(tail) and META_LABELS.get(rest) == DEPARTMENT_FIELD else 0


def numbering_to_next_cell(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A note's numbering glued to the figure before it (`…100.00%101.预算执行率=…`: 10, then
    `1.预算执行率…`): the digit before a closing dot opens the next cell."""
    out = list(cells)
    for n in range(len(out) - 1):
        m = _NUMBERED.match(out[n][1])
        if m and not _TOKEN.match(out[n + 1][1])["value"]:
            (at, _), (next_at, after) = out[n], out[n + 1]
            out[n], out[n + 1] = (at, m["value"]), (next_at - len(m["number"]), m["number"] + after)
    return out


def opens_name(term: str, after: str) -> bool:
    """A term that is no header word or level name, followed by words that end as an indicator's
    name does and then a value, is the start of that name."""
    if len(term) < STRONG_TERM or term in _COLUMN_TERMS() or term in _LEVEL_TERMS():
        return False
    m = _NAME_REST.match(after)
    return bool(m) and m["words"].endswith(NAME_ENDINGS)


@cache
def _COLUMN_TERMS() -> frozenset[str]:   # noqa: N802
    columns = (INDICATOR_COLUMNS, FUND_COLUMNS, GOAL_COLUMNS)
    return frozenset(norm_key(w) for synonyms in columns for words in synonyms.values() for w in words)


@cache
def _LEVEL_TERMS() -> frozenset[str]:   # noqa: N802
    names = (*LEVEL1_NAMES, *LEVEL2_NAMES)
    return frozenset(norm_key(n + s) for n in names for s in ("", *LEVEL_NAME_SUFFIXES))


_NAME_REST = regex.compile(f"(?P<words>\\p{{Han}}{{1,8}}?)(?=[{regex.escape(_SYMBOLS)}]?\\d)")


def compared(text: str) -> bool:
    """A value with its comparator (`≤30万元`) is a target, never a name's own words."""
    return text.startswith(tuple(_OPS)) and text[0] in _SYMBOLS


def is_strong_value(text: str) -> bool:
    """A value no name holds: a rate, or numbers glued together (`194.9194.9100%`)."""
    return text.endswith("%") or text.count(".") > 1


def read_run_on(text: str) -> list[Block]:
    """One flat table block for each run of long lines (joined: a page break cuts cells), text
    blocks for the other lines."""
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []
    for number, line, in_run in run_lines(text):
        if in_run:
            run.append((number, flatten(_CONTINUATION.sub("", line))))
            continue
        if run:
            blocks.append(run_block(run))
            run = []
        blocks.append({"type": "text", "text": line, "line": number, "page": None})
    if run:
        blocks.append(run_block(run))
    return blocks


def run_block(run: list[tuple[int, str]]) -> Block:
    starts, joined, pos = [], [], 0
    for number, line in run:
        starts.append((pos, number))
        joined.append(line)
        pos += len(line)
    text = "".join(joined)
    cells = []
    for offset, cell in run_on_cells(text):
        number = next(n for start, n in reversed(starts) if start <= offset)
        cells.append({**make_cell(cell, number), "glued": True})
    return {"type": "table", "rows": [cells], "flat": True}
