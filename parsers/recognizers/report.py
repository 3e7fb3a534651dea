"""Report recognizer: 自评报告 prose (web paragraphs, PDF text lines, DOCX paragraphs, run-on
dumps) in, one form record per report subject out (``source_kind`` = ``report``).

A report is found by its title family (…绩效自评报告, …评价报告, …自评结果, …资金管理使用情况
with 绩效 content), also inside a long line or followed by a bracket naming the project, or,
when its title is cut off, by its section headings. Its project comes from a 项目名称 statement,
the title's bracket, the line under the title or the title itself (minus unit, `2021年度` and
suffix); its figures from ``parsers.report_figures``. Vocabulary: ``templates/report.toml``.

Next to a lone form, an untitled report is the form's own preamble: its figures fill what the
form left blank. A titled report stays its own record, so the consistency checks compare it with
the forms of the same project.
"""
from __future__ import annotations

import bisect
from decimal import Decimal
from functools import cache

import regex

from parsers.blocks import Block
from parsers.document_meta import RUN_ON_LEN, clean_unit, places, title_unit, year_of
from parsers.line_text import HEADING_STOP, LineText, is_heading, join_lines
from parsers.meta_text import _label_pattern
from parsers.recognizers.project_name import name_key
from parsers.recognizers.record import new_form, new_item
from parsers.report_figures import (
    FIGURES,
    project_heading,
    project_subject,
    read_figures,
    read_grade,
    read_indicators,
    read_score,
    sentences,
)
from parsers.templates import load_templates
from parsers.text import norm_key
from parsers.vocabulary import FUND_TOTAL_LINES, MONEY_UNITS

SOURCE_KIND = "report"
REPORT_FUND_LINE = "自评报告"
YUAN = "元"
_BEFORE_TITLE = regex.compile(r"[。，,；;]")
_SUBJECT_STOP = regex.compile(r"[。，,；;:：|【】]")
_FISCAL_PREFIX = regex.compile(r"^20\d\d\s*年度")
MAX_SUBJECT_LEN = 40
MAX_WRAPPED_TITLE = 40   # the first line of a title PDF text wrapped is short


def _spec(section: str) -> dict:
    return load_templates().vocabulary["report"][section]


@cache
def _title_pattern() -> regex.Pattern:
    spec = _spec("titles")
    alt = "|".join(regex.escape(w) for w in sorted(spec["suffixes"] + spec["conditional_suffixes"],
                                                  key=len, reverse=True))
    tails = "|".join(regex.escape(w) for w in spec["tails"])
    return regex.compile(
        rf"(?P<title>[\p{{Han}}\dA-Za-z()（）“”\"]{{2,{spec['max_len']}}}?(?P<suffix>{alt}))(?:{tails})?"
        r"(?P<bracket>[(（](?:[^()（）]|[(（][^()（）]*[)）])+[)）])?")


@cache
def _suffix_ends() -> frozenset[str]:
    spec = _spec("titles")
    return frozenset(w[-2:] for w in spec["suffixes"] + spec["conditional_suffixes"])


def find_title(line: Block, speaks_of_performance: bool) -> dict | None:
    """``{"text", "bracket", "line", "page"}`` when the line is (or, in a run-on dump, holds) a
    report title: not quoted, not inside a sentence, more than its family suffix."""
    if not any(end in line["text"] for end in _suffix_ends()):   # cheap test first: most lines are not titles
        return None
    key = norm_key(line["text"])
    for m in _title_pattern().finditer(key):
        before, after = key[:m.start()], key[m.end():]
        if before.endswith(("《", "“")) or after.startswith(("》", "”")) or not name_part(m["title"]):
            continue
        if _BEFORE_TITLE.search(before.split(":")[-1].split("：")[-1]):
            continue
        if after and not after.startswith(".") and len(key) < RUN_ON_LEN:   # `….docx` is a file name
            continue
        if m["suffix"] in _spec("titles")["conditional_suffixes"] and not speaks_of_performance:
            continue
        bracket = m["bracket"][1:-1] if m["bracket"] else None
        return {"text": m["title"], "bracket": bracket, "line": line["line"], "page": line.get("page")}
    return None


def has_report_sections(lines: list[Block]) -> bool:
    words = _spec("sections")["words"]
    headings = [ln for ln in lines if is_heading(norm_key(ln["text"])) and any(w in ln["text"] for w in words)]
    return len(headings) >= _spec("sections")["min_headings"]


def line_title(lines: list[Block], n: int, performance: bool) -> dict | None:
    """The report title line ``n`` is, or begins when PDF text wrapped it (`…项目绩效自` / `评报告`)."""
    line = lines[n]
    if title := find_title(line, performance):
        return title
    key = norm_key(line["text"])
    if n + 1 == len(lines) or len(key) > MAX_WRAPPED_TITLE or _BEFORE_TITLE.search(key):
        return None
    rest = norm_key(lines[n + 1]["text"])
    if any(w in rest for w in _spec("titles")["suffixes"]):   # the next line holds a title of its own
        return None
    title = find_title({**line, "text": key + rest}, performance)
    return {**title, "wrapped": True} if title else None


def report_parts(lines: list[Block], form_lines: list[int]) -> list[tuple[dict | None, int, list[Block]]]:
    """``(title, index, lines)`` of every report: from its title to the next report title or the
    next form (``form_lines``: where the forms start). A title repeated before the first heading
    (page furniture, then the document's own) is one report; without any title, the lines before
    the first form holding the report sections are one untitled report."""
    performance = any(_spec("titles")["conditional_word"] in ln["text"] for ln in lines)
    titles, seen_heading = [], True
    for n, line in enumerate(lines):
        if (title := line_title(lines, n, performance)) and seen_heading:
            titles.append((n, title))
            seen_heading = False
        seen_heading = seen_heading or is_heading(norm_key(line["text"]))
    numbers = [line["line"] for line in lines]
    # Index of the first line at or after each form's start: a report ends there.
    form_at = sorted({bisect.bisect_left(numbers, start) for start in form_lines if start is not None})
    if not titles:
        end = form_at[0] if form_at else len(lines)
        return [(None, -1, lines[:end])] if has_report_sections(lines[:end]) else []
    bounds = sorted({*form_at, *(n for n, _ in titles)})
    return [(title, n, lines[n:next((m for m in bounds if m > n), len(lines))]) for n, title in titles]


def is_dept(title: dict | None) -> bool:
    text = norm_key((title or {}).get("text", "")) + norm_key((title or {}).get("bracket") or "")
    return any(norm_key(w) in text for w in _spec("titles")["dept_words"])


def generic_name(name: str) -> bool:
    """True when nothing but template words remain (the title names no project)."""
    for word in sorted(_spec("titles")["generic"], key=len, reverse=True):
        name = name.replace(norm_key(word), "")
    return not name


def name_part(title: str) -> str:
    """The title minus a `名称：` label, a `关于`, its unit (or place), a leading `2021年度` and its
    family suffix."""
    text = norm_key(title).split(":")[-1].split("：")[-1]
    for prefix in _spec("titles")["prefixes"]:
        text = text.removeprefix(prefix)
    unit = title_unit(text)
    if unit and text.startswith(unit):
        text = text[len(unit):]
    place = "".join(places(text))
    if place and _FISCAL_PREFIX.match(text[len(place):]):   # `XX县2022年度…`: the place names no project
        text = text[len(place):]
    suffixes = sorted(_spec("titles")["suffixes"] + _spec("titles")["conditional_suffixes"], key=len, reverse=True)
    suffix = next((s for s in suffixes if text.endswith(s)), "")
    return _FISCAL_PREFIX.sub("", text.removesuffix(suffix))


def name_from_title(title: dict) -> str | None:
    name = name_part(title["text"])
    return None if generic_name(name) else name


def stated_project(joined: LineText) -> str | None:
    """A 项目名称 statement in the prose: `项目名称小额贷款贴息项目,预算金额…`."""
    labels = "|".join(_label_pattern(w) for w in _spec("subject")["labels"])
    m = regex.search(rf"(?:{labels})[:：为是]?(?P<name>[^，,。；;:：\s|]{{2,{MAX_SUBJECT_LEN}}})", joined.text)
    return m["name"] if m else None


def subject_line(lines: list[Block], at: int, title: dict) -> str | None:
    """A short line right under the title (or its repetition) naming the project."""
    first = at + (2 if title.get("wrapped") else 1)
    for line in lines[first:first + 2]:
        key = norm_key(line["text"])
        if find_title(line, True) or key == norm_key(title["text"]):
            continue
        if key and len(key) <= MAX_SUBJECT_LEN and not _SUBJECT_STOP.search(key) and not is_heading(key):
            return key
        return None
    return None


def report_project(lines: list[Block], at: int, title: dict | None, joined: LineText) -> str | None:
    if is_dept(title):
        return None
    candidates = [stated_project(joined)]
    if title:
        candidates += [title["bracket"], subject_line(lines, at, title), name_from_title(title)]
    return next((c for c in candidates if c), None)


def report_records(lines: list[Block], form_lines: tuple[int, ...] = ()) -> list[dict]:
    """The form records of the reports among the lines (``form_lines``: where the document's
    forms start): one per report, plus one per project a report states figures for under the
    project's own name."""
    return [rec for title, at, body in report_parts(lines, list(form_lines))
            for rec in report_subjects(lines, title, at, body)]


def report_subjects(lines: list[Block], title: dict | None, at: int, body: list[Block]) -> list[dict]:
    joined = join_lines(body)
    start = body[0] if body else {"line": None}
    kind = "dept_selfeval" if is_dept(title) else "project_selfeval"
    form = new_form(kind, title["text"] if title else None, start["line"], start.get("page"))
    form.update(source_kind=SOURCE_KIND, project=report_project(lines, at, title, joined),
                fiscal_year=year_of(title["text"]) if title else None)
    if title and (unit := title_unit(title["text"].split(":")[-1].split("：")[-1])):
        form["meta"]["org_unit"] = clean_unit(unit)
    own, by_project = split_by_project(joined, form["project"])
    add_figures(form, joined, own, scored=not by_project)
    form["meta"].update(cover_labels(joined))
    projects = [project_form(form, name, joined, spans) for name, spans in by_project.items()]
    return [form] + [p for p in projects if p["funds"]]


def split_by_project(joined: LineText, own_project: str | None) -> tuple[list, dict[str, list]]:
    """The sentence spans about the report's own subject, and those about each other project: a
    sentence opening with a project's name, or under a numbered heading that is one. Any other
    heading ends the project's part."""
    own: list[tuple[int, int]] = []
    by_project: dict[str, list[tuple[int, int]]] = {}
    current = None
    for a, b in sentences(joined.text):
        text = joined.text[a:b]
        if (heading := project_heading(text)) or text.endswith(HEADING_STOP):
            current = heading
        name = project_subject(text) or current
        if name and name_key(name) != name_key(own_project):
            by_project.setdefault(name, []).append((a, b))
        else:
            own.append((a, b))
    return own, by_project


def project_form(report: dict, name: str, joined: LineText, spans: list[tuple[int, int]]) -> dict:
    """The row of one project a unit-wide report states figures for."""
    line = joined.line_at(spans[0][0])
    form = new_form("project_selfeval", report["title"], line["line"], line.get("page"))
    form.update(source_kind=SOURCE_KIND, project=name, fiscal_year=report["fiscal_year"])
    form["meta"].update({k: v for k, v in report["meta"].items() if k == "org_unit"})
    add_money(form, read_figures(joined, spans))
    return form


def add_figures(form: dict, joined: LineText, spans: list[tuple[int, int]], scored: bool) -> None:
    """Figures, indicators and, when ``scored`` (a unit-wide report's scores belong to its
    projects: whose is not guessed), score and grade."""
    if scored and (score := read_score(joined)):
        form["total_score"] = score["value"]
    if scored and (grade := read_grade(joined)):
        form["meta"]["grade"] = grade
    form["items"] = [new_item(**item) for item in read_indicators(joined)]
    add_money(form, read_figures(joined, spans))


def add_money(form: dict, stated: dict[str, dict]) -> None:
    """The stated figures as the record's fund line, in the money unit they are printed in; figures
    printed in several units (`2700万元` and `14280元`) are all given in 元, exactly."""
    money = {f: s for f, s in stated.items() if f in FIGURES}
    units = {s["unit"] for s in money.values()}
    unit = units.pop() if len(units) == 1 else YUAN if units else None
    values = {f: s["value"] if s["unit"] == unit else in_yuan(s["value"], s["unit"]) for f, s in money.items()}
    form["money_unit"] = unit
    rate = stated.get("rate")
    if money or rate:
        first = min(s["line"] for s in [*money.values(), *([rate] if rate else [])])
        form["funds"].append({"line": REPORT_FUND_LINE, **values,
                              "rate": f"{rate['value']}%" if rate else None, "source_line": first,
                              "source_page": None})


def in_yuan(value: str, unit: str) -> str:
    """A printed amount in 元, as exact decimal text (`2.584271` 万元 -> `25842.71`)."""
    text = format(Decimal(value) * Decimal(str(MONEY_UNITS[unit])), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cover_labels(joined: LineText) -> dict[str, str]:
    """Labelled codes on a report's cover (`预 算 编 码: 906017`)."""
    out = {}
    for label, field in _spec("cover")["labels"].items():
        if m := regex.search(_label_pattern(label) + r"[:：]?(?P<v>[0-9A-Za-z\-]{3,})", joined.text):
            out.setdefault(field, m["v"])
    return out


def add_reports(forms: list[dict], lines: list[Block]) -> None:
    """Add the reports among the document's text lines to its forms, or let an untitled report
    (the prose before the first form) complete the document's lone form."""
    reports = report_records(lines, tuple(f["source_line"] for f in forms))
    if len(forms) == 1 and len(reports) == 1 and reports[0]["title"] is None:
        complete_form(forms[0], reports[0])
    elif not forms:   # the report is all the page has: its title alone says who reported on what
        forms += reports
    else:             # beside forms, a report's row is worth its figures
        forms += [r for r in reports if r["title"] is not None and states_something(r)]


def states_something(report: dict) -> bool:
    return bool(report["funds"] or report["items"] or report["total_score"]
                or {"grade", "budget_code"} & set(report["meta"]))


def complete_form(form: dict, report: dict) -> None:
    """Fill the form's blank totals from the report, adopting the report's money unit when the
    form printed none and the figures agree; the report's figures stay as their own fund line."""
    if not report["funds"]:
        return
    stated, unit = report["funds"][0], report["money_unit"]
    total = next((f for f in form["funds"] if f["line"] in FUND_TOTAL_LINES), None)
    money = {f: stated[f] for f in FIGURES if stated.get(f)}
    if total is None or unit is None or not money:
        return
    if form["money_unit"] is None:
        printed = {total.get(f) for f in FIGURES} - {None}
        if not printed & set(money.values()):
            return
        form["issues"] = [i for i in form["issues"] if "money unit" not in i]
        form["issues"].append(f"money unit not printed in the form; {unit} from the report text")
    elif form["money_unit"] != unit:
        return
    form["money_unit"] = unit
    for field, value in money.items():
        if total.get(field) is None and field != "received":
            total[field] = value
    form["funds"].append(stated)
