"""A form's kind where its title does not say it (no title, or `…评价指标表`): from its columns.

Targets or actuals -> a self-evaluation table (自评表); weights and scores without targets -> a
scoring sheet (计分表). The scope is the title's, else department-wide when the form's own
opening rows say 部门整体 (or the like), else a project.
"""
from __future__ import annotations

from parsers.recognizers.segments import Segment
from parsers.recognizers.titles import form_kind
from parsers.text import norm_key
from parsers.vocabulary import TITLE_SCOPE_DEPT_WORDS

OPENING_ROWS = 12
SELFEVAL, SCORING = "selfeval", "scoring"   # the rows that name what a form is about (title block, meta rows)


def segment_scope(segment: Segment) -> str:
    if segment.title:
        return segment.title.scope
    opening = "".join(norm_key(c["text"]) for row in segment.rows[:OPENING_ROWS] for c in row)
    return "dept" if any(word in opening for word in TITLE_SCOPE_DEPT_WORDS) else "project"


def kind_from_columns(form: dict) -> str:
    items = form["items"]
    if any(i["target"] or i["actual"] for i in items) or not items:
        return SELFEVAL
    return SCORING


def settle_kind(form: dict, segment: Segment) -> None:
    """Give a form read from a segment without a kind-naming title its kind. A title that says
    自评表 over a scoring sheet's columns (指标分值 | 评分标准 | 自评得分, no targets) names a
    scoring sheet (`部门整体支出绩效评价自评表` of 安徽 寿县)."""
    if form["kind"] is None:
        form["kind"] = form_kind(segment_scope(segment), kind_from_columns(form))
    elif form["kind"].endswith(SELFEVAL) and scoring_columns(form.get("indicator_header") or []) \
            and kind_from_columns(form) == SCORING:
        form["kind"] = form["kind"].removesuffix(SELFEVAL) + SCORING


def scoring_columns(fields: list[str]) -> bool:
    return "criteria" in fields and not {"target", "actual"} & set(fields)
