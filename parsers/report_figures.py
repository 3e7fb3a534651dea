"""The figures a 自评报告 states in prose: budget, money received and spent, execution rate,
self-score, grade and indicators with target and actual. Which phrase gives which figure is data
(``templates/report.toml``); a figure no phrase claims stays unread.
"""
from __future__ import annotations

from functools import cache

import regex

from parsers.line_text import LineText
from parsers.templates import load_templates
from parsers.vocabulary import GRADES, MONEY_UNITS

FIGURES = ("budget_initial", "budget_full_year", "received", "executed")
_UNITS = "|".join(sorted(MONEY_UNITS, key=len, reverse=True))
_AMOUNT = regex.compile(r"(?P<n>\d[\d,]*(?:\.\d+)?)(?P<u>" + _UNITS + ")")
_PERCENT = regex.compile(r"(?P<n>\d+(?:\.\d+)?)%")
_CLAUSE = regex.compile(r"(?:[^，,。；;、\n()（）]|(?<=\d),(?=\d))+")   # `1,242.81` is one figure
_SENTENCE = regex.compile(r"[^。；;！？\n]+[。；;！？\n]?")
_SCORE = r"(?P<n>\d{1,3}(?:\.\d+)?)分"
_GAP_CHARS = "为是了:：“”\"'\n"


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _phrases() -> tuple[regex.Pattern, dict[str, str]]:
    spec = load_templates().vocabulary["report"]["figures"]
    field_of = {w: f for f in (*FIGURES, "rate") for w in spec[f]}
    field_of.update({w: "" for w in spec.get("neutral", [])})
    return regex.compile(_alternation(field_of)), field_of


def figure(m: regex.Match, joined: LineText, at: int) -> dict:
    line = joined.line_at(at)
    return {"value": m["n"].replace(",", ""), "unit": m.groupdict().get("u"), "line": line["line"],
            "page": line.get("page")}


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence (ends at 。；！？ or a heading's line break)."""
    return [m.span() for m in _SENTENCE.finditer(text)]


_ENUMERATOR = r"(?:[（(]?[一二三四五六七八九十\d]{1,2}[）)、.．])"


def _subject_spec() -> dict:
    return load_templates().vocabulary["report"]["subject"]


@cache
def _project_subject() -> regex.Pattern:
    spec = load_templates().vocabulary["report"]
    words = _alternation(spec["subject"]["project_words"])
    phrases = _alternation(w for f in FIGURES for w in spec["figures"][f])
    return regex.compile(rf"^{_ENUMERATOR}?(?P<name>[\p{{Han}}“”\"、]{{2,40}}?"
                         rf"(?:{words}))(?=(?:由[^，,。；;]{{0,20}}?)?(?:{phrases}))")


@cache
def _project_heading() -> regex.Pattern:
    words = _alternation(_subject_spec()["project_words"])
    return regex.compile(rf"^{_ENUMERATOR}(?P<name>[\p{{Han}}“”\"][\p{{Han}}“”\"、()（）A-Za-z\d]{{1,40}}?(?:{words}))"
                         r"[。：:\n]?$")


def _project_name(name: str | None) -> str | None:
    if name is None or name.startswith(tuple(_subject_spec()["pronouns"])):
        return None
    for suffix in _subject_spec()["drop_suffixes"]:
        name = name.removesuffix(suffix)
    return name or None


def project_subject(text: str) -> str | None:
    """The project a sentence opens with, its figures following (`专题调研、视察经费项目预算为52.75万元`)."""
    m = _project_subject().match(text)
    return _project_name(m["name"] if m else None)


def project_heading(text: str) -> str | None:
    """The project a numbered sentence or heading consists of (`(1)“数说红河”展厅运维经费。`): the
    sentences under it are about that project."""
    m = _project_heading().match(text)
    return _project_name(m["name"] if m else None)


def read_figures(joined: LineText, spans: list[tuple[int, int]] | None = None) -> dict[str, dict]:
    """field -> {"value", "unit", "line", "page"}: each figure as the sentence stating the most
    figures says it (a sentence's figures agree with each other), others filling the rest, in
    text order; only the given sentence spans when there are some."""
    stated = [sentence_figures(joined, a, b) for a, b in (spans or sentences(joined.text))]
    found: dict[str, dict] = {}
    for figures in sorted(stated, key=len, reverse=True):   # stable: text order among equals
        for field, value in figures.items():
            found.setdefault(field, value)
    return found


def sentence_figures(joined: LineText, start: int, end: int) -> dict[str, dict]:
    """The first statement of each figure in one sentence. A phrase takes the first amount (a
    percentage for the rate) after it in its clause, before the next phrase."""
    pattern, field_of = _phrases()
    skip = load_templates().vocabulary["report"]["figures"]["skip_words"]
    found: dict[str, dict] = {}
    for clause in _CLAUSE.finditer(joined.text, start, end):
        text = clause[0]
        if any(w in text for w in skip):
            continue
        for m in pattern.finditer(text):
            field = field_of[m[0]]
            if not field or field in found:
                continue
            rest = text[m.end():]
            nxt = pattern.search(rest)
            value = (_PERCENT if field == "rate" else _AMOUNT).search(rest[:nxt.start()] if nxt else rest)
            if value:
                found[field] = figure(value, joined, clause.start() + m.end() + value.start())
    return found


def _labelled(joined: LineText, section: str, value: str) -> regex.Match | None:
    spec = load_templates().vocabulary["report"][section]
    gap = f"[{regex.escape(_GAP_CHARS)}]{{0,{spec['max_gap']}}}"
    return regex.search(f"(?:{_alternation(spec['labels'])}){gap}{value}", joined.text)


def read_score(joined: LineText) -> dict | None:
    """The self-score (`自评得分为98分`, or `（一）自评得分` with `100分。` on the next line)."""
    m = _labelled(joined, "score", _SCORE)
    if m is None or float(m["n"]) > load_templates().vocabulary["report"]["score"]["max_score"]:
        return None
    return figure(m, joined, m.start("n"))


def read_grade(joined: LineText) -> str | None:
    m = _labelled(joined, "grade", f"(?P<n>{_alternation(GRADES)})")
    return m["n"] if m else None


@cache
def _indicator_pattern() -> regex.Pattern:
    spec = load_templates().vocabulary["report"]["indicators"]
    return regex.compile(
        rf"(?:(?P<level2>{_alternation(spec['level2'])})[:：])?(?P<name>[^，,。；;:：\n]{{2,30}}?)"
        rf"(?:{_alternation(spec['target_labels'])})为?(?P<target>[^，,。；;\n]{{1,30}}?)[，,]?"
        rf"(?:{_alternation(spec['actual_labels'])})为?(?P<actual>[^，,。；;\n]{{1,30}})")


def read_indicators(joined: LineText) -> list[dict]:
    """Indicators stated with target and actual (`年初目标值300万，实际完成值300万`): level3,
    level2 (a `数量指标：` before it), level1 (the heading it is under), target, actual, line."""
    level1_words = load_templates().vocabulary["report"]["indicators"]["level1"]
    out = []
    for m in _indicator_pattern().finditer(joined.text):
        section = joined.section_at(m.start("name")) or ""
        line = joined.line_at(m.start("name"))
        out.append({"level1": next((w for w in level1_words if w in section), None), "level2": m["level2"],
                    "level3": m["name"], "target": m["target"], "actual": m["actual"],
                    "source_line": line["line"], "source_page": line.get("page")})
    return out
