"""Recognizer for 计分表 (部门整体 / 项目支出绩效自评计分表) in flow text.

A scoring row prints, cell after cell: [一级 name（N分）] [二级 name（N分）] 三级 name（N分）,
指标解释, 评分标准, 自评分数 (a number alone on its line), 自评依据. Cells wrap over lines, so
a row is found from its weighted names; the name that opens a group of names can follow the
previous row's 自评依据 with nothing but a line break between them. Where the break is not
marked (no sentence end, no score before it), the document's own other occurrences of the
name decide (``known_scoring_names``). A 三级 name printed without weight (`可持续影响`) is
found from its rule text (`可持续影响程度*5 分`), its weight recorded as inferred.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

import regex

from parsers.flow_lines import Line, ends_sentence, is_number_line, join_cell, width
from parsers.meta_text import read_labelled
from parsers.recognizers.record import new_form, new_item
from parsers.text import norm_key
from parsers.vocabulary import SCORING_HEADER_WORDS, SCORING_NAMES, TOTAL_LABELS

# `（5分）`, `（2\n5\n分\n）`, `(5 分）`: the weight that closes a name cell.
_WEIGHT = regex.compile(r"[（(]\s*(?P<w>\d[\d\s]*(?:\.[\d\s]*\d)?)\s*分\s*[）)]")
# A weight in rule text follows punctuation: `立；（1分）`; a name's weight follows its name.
_RULE_PUNCT = "；;。，,、：:）)】]"
_NAME_BREAKERS = regex.compile(r"[\d。；;，,：:、()（）]")
MAX_NAME_LEN = 25
COLUMN_SLACK = 2       # a name line may be one character wider than its `（N分）` lines
MAJORITY = 0.8         # share of a name's occurrences that must agree on a reading
MAX_LEVELS = 3
WEIGHT_TOLERANCE = 0.005
HEADER_OPENER = "一级"
HEADER_CLOSER = "说明"
MIN_HEADER_RUN = 3
_HEADER = regex.compile("^(?:" + "|".join(sorted(map(regex.escape, SCORING_HEADER_WORDS), key=len, reverse=True))
                        + ")+$")
_HEADER_FIRST = frozenset(word[0] for word in SCORING_HEADER_WORDS)
_TOTAL_FIRST = frozenset(label[0] for label in TOTAL_LABELS)
_TOTAL = regex.compile(r"^(?:" + "|".join(TOTAL_LABELS) + r")(?P<v>-?\d+(?:\.\d+)?)$")
# `按经济效益实现程度*5 分` in 评分标准: a 三级 name and its weight.
_RULE_WEIGHT = regex.compile(r"^(?:按)?(?P<name>\p{Han}[\p{Han}“”\"]{1,15}?)(?:实现)?程度\s*[*×xX]\s*"
                             r"(?P<w>\d+(?:\.\d+)?)\s*分")
_SCORE_IN_LINE = regex.compile(r"^(?:(?P<before>.*[。；;）)%])\s+)?(?P<score>\d+(?:\.\d+)?)(?:\s+(?P<after>\D.*))?$")
_BRACKETED = regex.compile(r"^[（(](?P<name>.+)[）)]$")


@dataclass
class Mark:
    """A weighted name's `（N分）`: body lines start..end; ``prefix`` is the name's text on the
    line of `（` (the rest of the name is on the lines above)."""
    start: int        # index of the line holding `（`
    end: int          # index of the line holding `）`
    prefix: str
    weight: float


def is_header_line(text: str) -> bool:
    return text.lstrip()[:1] in _HEADER_FIRST and bool(_HEADER.match(norm_key(text)))


def split_sheet(part) -> tuple[list[Line], list[Line], str | None, Line | None]:
    """Cached form of ``_split_sheet``."""
    if "sheet" not in part.derived:
        part.derived["sheet"] = _split_sheet(part)
    return part.derived["sheet"]


def _split_sheet(part) -> tuple[list[Line], list[Line], str | None, Line | None]:
    """(head lines before the first column header, body lines without the column headers that
    every page repeats, printed 合计, its line)."""
    lines = part.lines
    end = next((i for i, line in enumerate(lines) if line.text.lstrip()[:1] in _TOTAL_FIRST
                and _TOTAL.match(norm_key(line.text)) and any(is_header_line(x.text) for x in lines[:i])),
               len(lines))
    header = header_lines(lines[:end])
    first = min(header, default=end)
    body = [line for i, line in enumerate(lines[first:end], start=first) if i not in header]
    total = _TOTAL.match(norm_key(lines[end].text))["v"] if end < len(lines) else None
    return lines[:first], body, total, lines[end] if end < len(lines) else None


def header_lines(lines: list[Line]) -> set[int]:
    """Indexes of column-header lines: in each run of header-word lines, every stretch that ends
    with `…说明`, from its `一级` on (a name fragment such as `指标` may touch a header)."""
    found, run = set(), []
    for i, line in enumerate(lines + [Line(0, "")]):
        if i < len(lines) and is_header_line(line.text):
            run.append((i, norm_key(line.text)))
            if run[-1][1].endswith(HEADER_CLOSER):
                found.update(_header_stretch(run))
                run = []
            continue
        found.update(_header_stretch(run))
        run = []
    return found


def _header_stretch(run: list[tuple[int, str]]) -> list[int]:
    opener = next((k for k, (_, key) in enumerate(run) if key.startswith(HEADER_OPENER)), None)
    closed = bool(run) and run[-1][1].endswith(HEADER_CLOSER)
    if opener is not None:   # before `一级`: a header cut by a page break, or a name fragment
        return [i for i, _ in run[0 if opener >= MIN_HEADER_RUN else opener:]]
    return [i for i, _ in run] if closed or len(run) >= MIN_HEADER_RUN else []


def find_marks(body: list[Line]) -> list[Mark]:
    text = "\n".join(line.text for line in body)
    starts = [0]
    for line in body[:-1]:
        starts.append(starts[-1] + len(line.text) + 1)
    marks = []
    for m in _WEIGHT.finditer(text):
        closes_cell = m.end() == len(text) or text[m.end()] == "\n"
        j = m.start() - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        if not closes_cell or j < 0 or text[j] in _RULE_PUNCT:
            continue
        first = bisect.bisect_right(starts, m.start()) - 1
        last = bisect.bisect_right(starts, m.end() - 1) - 1
        marks.append(Mark(first, last, text[starts[first]:m.start()].strip(), float("".join(m["w"].split()))))
    return marks


def name_candidates(body: list[Line], mark: Mark, floor: int) -> tuple[list[str], str]:
    """Possible names for a mark whose name may start after line ``floor`` (exclusive), shortest
    first, and how the longest one ends: "strong" when the line before it closes a sentence or
    is a score (or nothing is left), else "weak" (that line only cannot be in the name: too wide
    for the name's column, unevenly filled, digits or punctuation)."""
    names, name = [], mark.prefix
    if name:
        names.append(name)
    # The `（N分）` lines show the column's width only when the name shares them.
    column = max(width(line.text) for line in body[mark.start:mark.end + 1]) + COLUMN_SLACK \
        if mark.prefix else None
    i, fill = mark.start - 1, None
    while i > floor:
        text = body[i].text
        if _NAME_BREAKERS.search(text) or len(name) + len(text) > MAX_NAME_LEN or column and width(text) > column:
            break
        fill = width(text) if fill is None else fill
        if abs(width(text) - fill) > 1:   # a wrapped name fills its lines evenly; this is another cell
            break
        name = norm_key(text) + name
        names.append(name)
        i -= 1
    if i <= floor or is_number_line(body[i].text) or ends_sentence(body[i].text):
        return names, "strong"
    return names, "weak"


def boundary(body: list[Line], marks: list[Mark], k: int, start: int) -> tuple[int, bool]:
    """(floor line, chained): a name starts after the previous mark if nothing but name lines lie
    between them, else after the last number line (a score) between them."""
    prev_end = marks[k - 1].end if k else start - 1
    between = body[prev_end + 1:marks[k].start]
    numbers = [prev_end + 1 + i for i, line in enumerate(between) if is_number_line(line.text)]
    if numbers:
        return numbers[-1], False
    gap = "".join(norm_key(line.text) for line in between) + marks[k].prefix
    chained = k > 0 and len(gap) <= MAX_NAME_LEN and not _NAME_BREAKERS.search(gap)
    return prev_end, chained


@dataclass
class NameEvidence:
    """Readings of the same weighted name across the document, keyed by its shortest reading and
    weight. The true name is a reading most occurrences share, or one whose start is plain
    somewhere; 依据 text glued in front of a name rarely recurs in every sheet."""
    readings: dict = field(default_factory=lambda: defaultdict(list))   # key -> [names lists]
    strong: set = field(default_factory=set)

    def choose(self, key: tuple, names: list[str]) -> int:
        for evidence in (SCORING_NAMES, self.strong):
            hits = [i for i, n in enumerate(names) if n in evidence and (i or len(names) == 1)]
            if hits:
                return hits[-1]
        group = self.readings.get(key, [])
        need = max(2, MAJORITY * len(group))
        shared = [i for i, n in enumerate(names) if sum(n in r for r in group) >= need]
        return shared[-1] if shared else len(names) - 1


def known_scoring_names(parts: list) -> NameEvidence:
    evidence = NameEvidence()
    for part in parts:
        _, body, _, _ = split_sheet(part)
        marks = find_marks(body)
        for k in range(len(marks)):
            floor, _ = boundary(body, marks, k, 0)
            names, end = name_candidates(body, marks[k], floor)
            if names:
                evidence.readings[(names[0], marks[k].weight)].append(set(names))
                if end == "strong":
                    evidence.strong.add(names[-1])
    return evidence


def choose_name(body: list[Line], mark: Mark, floor: int, known: NameEvidence) -> tuple[str | None, int]:
    """(name, index of its first line): the whole run when its start is plain, else the reading
    the document supports."""
    names, end = name_candidates(body, mark, floor)
    if not names:
        return None, mark.start
    pick = len(names) - 1 if end == "strong" else known.choose((names[0], mark.weight), names)
    first = mark.start - (pick if mark.prefix else pick + 1)
    return names[pick], first


@dataclass
class Row:
    names: list[tuple[str, float]]   # (name, weight) from level 1 down; last is the 三级
    first: int                       # index of the first line of the row's names
    after: int                       # index of the last line of the row's names
    inferred: bool = False


def find_rows(body: list[Line], known: NameEvidence) -> list[Row]:
    marks = find_marks(body)
    rows: list[Row] = []
    for k, mark in enumerate(marks):
        floor, chained = boundary(body, marks, k, 0)
        name, first = choose_name(body, mark, floor, known)
        if chained and rows and len(rows[-1].names) < MAX_LEVELS:
            rows[-1].names.append((name, mark.weight))
            rows[-1].after = mark.end
        else:
            rows.append(Row([(name, mark.weight)], first, mark.end))
    return rows


def rule_named_rows(body: list[Line], rows: list[Row]) -> list[Row]:
    """三级 rows printed without `（N分）`, found where their rule text names them."""
    named = {r.names[-1][0] for r in rows}
    rule_text = "".join(norm_key(line.text) for line in body)
    found = []
    for piece in regex.split(r"[、，,（(；;]", rule_text):
        m = _RULE_WEIGHT.match(piece)
        if not m or m["name"] in named:
            continue
        at = _whole_lines(body, m["name"], rows)
        if at is not None:
            found.append(Row([(m["name"], float(m["w"]))], at[0], at[1], inferred=True))
            named.add(m["name"])
    return found


def _whole_lines(body: list[Line], name: str, rows: list[Row]) -> tuple[int, int] | None:
    """Consecutive whole lines spelling ``name``, outside any row's names."""
    taken = {i for r in rows for i in range(r.first, r.after + 1)}
    for i in range(len(body)):
        text = ""
        for j in range(i, min(i + 8, len(body))):
            if j in taken:
                break
            text += norm_key(body[j].text)
            if text == name:
                return i, j
            if not name.startswith(text):
                break
    return None


def read_scoring_sheet(part, known: NameEvidence) -> dict:
    form = new_form(part.kind, part.title, part.line, None)
    head, body, total, _ = split_sheet(part)
    read_head(form, head)
    rows = find_rows(body, known)
    rows = sorted(rows + rule_named_rows(body, rows), key=lambda r: r.first)
    levels: list[tuple[str | None, float | None]] = [(None, None)] * MAX_LEVELS
    for n, row in enumerate(rows):
        levels = levels[:MAX_LEVELS - len(row.names)] + list(row.names)
        end = rows[n + 1].first if n + 1 < len(rows) else len(body)
        form["items"].append(row_item(body, row, levels, end))
    form["total_score"] = total
    if not form["items"]:
        form["issues"].append(f"{form['title']}: no scoring rows (`名称（N分）` … 自评分数) found")
    check_inferred(form)
    check_sums(form)
    return form


def check_inferred(form: dict) -> None:
    """An inferred weight must be what its 二级 weight leaves to it; when it is not, say so."""
    for item in (i for i in form["items"] if i["weight_inferred"] and i["level2_weight"] is not None):
        siblings = [i for i in form["items"] if (i["level1"], i["level2"]) == (item["level1"], item["level2"])]
        rest = item["level2_weight"] - sum(float(i["weight"]) for i in siblings if i is not item and i["weight"])
        if item["weight"] is None:
            item["weight"] = _num_text(rest)


def find_score(cells: list[Line], weight: float | None) -> tuple[int, str, str, str] | None:
    """(line index, score, text before it, text after it) of the row's 自评分数: a number alone on
    its line, or sharing it with the neighbouring cell (`…×100%。 5`, `0 （0/0.6`), never above
    the row's weight."""
    for i, line in enumerate(cells):
        m = _SCORE_IN_LINE.match(line.text)
        if m and (weight is None or float(m["score"]) <= weight):
            return i, m["score"], m["before"] or "", m["after"] or ""
    return None


def row_item(body: list[Line], row: Row, levels: list, end: int) -> dict:
    (l1, w1), (l2, w2), (l3, w3) = levels
    cells = body[row.after + 1:end]
    item = new_item(level1=l1, level1_weight=w1, level2=l2, level2_weight=w2, level3=l3,
                    weight=_num_text(w3), weight_inferred=row.inferred,
                    source_line=body[row.first].no, source_page=None)
    found = find_score(cells, w3)
    if found is None:
        item["explanation"], item["rule"] = split_explanation([c.text for c in cells])
        return item
    at, item["score"], before, after = found
    item["explanation"], item["rule"] = split_explanation([c.text for c in cells[:at]] + [before])
    item["note"] = join_cell([after] + [c.text for c in cells[at + 1:]])
    return item


def split_explanation(texts: list[str]) -> tuple[str | None, str | None]:
    """指标解释 is one sentence; the 评分标准 follows it."""
    cut = next((i + 1 for i, t in enumerate(texts) if ends_sentence(t)), len(texts))
    return join_cell(texts[:cut]), join_cell(texts[cut:])


def _num_text(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if value == int(value) else str(value)


def read_head(form: dict, head: list[Line]) -> None:
    """The subtitle `（X项目）` and the labelled cells go to the meta (``project_name`` settles)."""
    bracketed = next((norm_key(m["name"]) for line in head if (m := _BRACKETED.match(line.text.strip()))), None)
    if bracketed:
        form["meta"]["title_project"] = bracketed
    form["meta"].update(read_labelled([line.text for line in head]))


def check_sums(form: dict) -> None:
    """A row whose 自评分数 was not found is a reading gap. (Sums that disagree with the printed
    合计 are the document's own contradiction: the validate stage reports them.)"""
    missing = [i["level3"] for i in form["items"] if i["score"] is None]
    if missing:
        form["issues"].append(f"{form['title']}: no 自评分数 found for {', '.join(map(str, missing))}")
