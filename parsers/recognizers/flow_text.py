"""Recognizer for scoring sheets and goal tables in text lines whose grid was lost (PDF text,
text dumps: ``parsers.readers.text_lines``).

The text is cut into parts at form titles and report titles (vocabulary, never position or
attachment numbers); each form part goes to the recognizer of its template family
(``flow_scoring`` for 计分表, ``flow_goals`` for 目标完成情况表); of a narrative report the title is
kept (the claims of every line are read by ``pipeline.parse``). Returns the parse result
``{"forms", "project_lists", "titles", "issues"}``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from parsers.flow_lines import Line, ends_sentence
from parsers.recognizers.flow_goals import known_goal_names, read_goal_table
from parsers.recognizers.flow_scoring import known_scoring_names, read_scoring_sheet
from parsers.recognizers.project_name import settle_project
from parsers.recognizers.titles import match_title
from parsers.text import find_year, norm_key
from parsers.vocabulary import REPORT_TITLE_WORDS

MAX_TITLE_LEN = 60
MAX_TITLE_HEAD_LEN = 30          # a report title's first line (the unit's name) is short
_ATTACHMENT = regex.compile(r"^附件\s*[\d\-－—.]*\s*[：:]?\s*")
_ATTACHMENT_LINE = regex.compile(r"^附件\s*[\d\-－—.]+\s*[：:]?$")
_CLAUSE_MARK = regex.compile(r"[,，。;；:：、]")    # a title is not a clause of a sentence
_TITLE_LAST_CHARS = ("表", ")", "）", "】", "]")
REPORT_WORD = "报告"
SCORING_KINDS = ("dept_scoring", "project_scoring")
GOAL_KINDS = ("dept_goal_completion", "project_goal_completion")
FLOW_KINDS = SCORING_KINDS + GOAL_KINDS   # what these recognizers read; other forms are cell streams


@dataclass
class Part:
    kind: str | None               # a form kind, "report", or None (text before any title)
    title: str | None
    line: int | None
    lines: list[Line] = field(default_factory=list)
    derived: dict = field(default_factory=dict)   # what recognizers compute once per part


def form_title_kind(text: str) -> str | None:
    """The form kind a title line names: the line must END with the title (a sentence that
    quotes a title, `…计分表》评分，得分 98 分`, is not a title)."""
    if not text.rstrip().endswith(_TITLE_LAST_CHARS):   # cheap test first: most lines are cells
        return None
    title = match_title(text)
    return title.kind if title else None


def is_report_title(text: str) -> bool:
    if not text.rstrip().endswith(REPORT_WORD[-1]):
        return False
    key = norm_key(text)
    return (len(key) <= MAX_TITLE_LEN and key.endswith(REPORT_WORD) and not _CLAUSE_MARK.search(key)
            and any(w in key for w in REPORT_TITLE_WORDS))


def split_parts(lines: list[Line]) -> list[Part]:
    parts = [Part(None, None, None)]
    opening: set[int] = set()      # lines that open a part: first of the text or after `附件 N`
    for line in lines:
        if _ATTACHMENT_LINE.match(line.text):
            opening.add(-1)
            continue
        if -1 in opening or (parts[-1].kind is None and not parts[-1].lines):
            opening.discard(-1)
            opening.add(line.no)
        kind = form_title_kind(line.text)
        if kind:
            parts.append(Part(kind, _ATTACHMENT.sub("", line.text).strip(), line.no))
        elif is_report_title(line.text):
            parts.append(Part("report", report_title(parts[-1], line, opening), line.no))
        else:
            parts[-1].lines.append(line)
    return parts


def report_title(previous: Part, line: Line, opening: set[int]) -> str:
    """A report title may wrap: `安岳县人大常委会办公室` / `2023年度项目支出绩效自评报告`.
    The head line is taken when it opens a part and is short (a unit's name, not a sentence)."""
    head = previous.lines[-1] if previous.lines else None
    if head and head.no in opening and len(norm_key(head.text)) <= MAX_TITLE_HEAD_LEN \
            and not ends_sentence(head.text):
        previous.lines.pop()
        return norm_key(head.text) + norm_key(line.text)
    return norm_key(line.text)


def recognize_flow(lines: list[Line]) -> dict:
    """Parse result for the text lines of one document (or one run of text-only pages)."""
    parts = split_parts(lines)
    scoring = [p for p in parts if p.kind in SCORING_KINDS]
    goals = [p for p in parts if p.kind in GOAL_KINDS]
    scoring_names = known_scoring_names(scoring)
    goal_names = known_goal_names(goals)
    forms, titles = [], []
    for part in parts:
        if part.kind in SCORING_KINDS:
            forms.append(read_scoring_sheet(part, scoring_names))
        elif part.kind in GOAL_KINDS:
            forms.append(read_goal_table(part, goal_names))
        elif part.kind == "report":
            titles.append({"text": part.title, "line": part.line})
    for n, form in enumerate(forms):
        form["fiscal_year"] = form["fiscal_year"] or find_year(form["title"])
        previous = forms[n - 1] if n else None
        settle_project(form, previous if previous and previous["kind"] in SCORING_KINDS else None)
    # A title with nothing read under it is not a form (its issue says what was missing).
    read = [bool(f["items"] or f["funds"] or f["total_score"]) for f in forms]
    issues = [i for f, ok in zip(forms, read, strict=True) if not ok for i in f["issues"]]
    forms = [f for f, ok in zip(forms, read, strict=True) if ok]
    return {"forms": forms, "project_lists": [], "titles": titles, "issues": issues}
