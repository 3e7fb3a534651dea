"""Matching one project across forms, project lists, titles and prose, whose names differ in
quotes, spacing or filler words (``pipeline.projects.name_key``)."""
from __future__ import annotations

import regex

from pipeline.checks.base import Tables
from pipeline.projects import name_key

_TITLE_PROJECT = regex.compile(r"[（(]\s*(?P<p>[^（）()]+?)\s*[)）]")
_YEAR_ONLY = regex.compile(r"\d{4}\s*年度?")


def same_project(a: str | None, b: str | None) -> bool:
    ka, kb = name_key(a), name_key(b)
    return bool(ka and kb) and (ka in kb or kb in ka)


def forms_of(t: Tables, doc_id: str, project: str | None) -> list[dict]:
    """The forms of one document about a project: same name key, else the one project whose name
    contains (or is contained in) it. `工作经费` is not `代表工作经费` when both have forms."""
    forms = [e for e in t.evaluations if e["doc_id"] == doc_id and e.get("project")]
    exact = [e for e in forms if name_key(e["project"]) == name_key(project)]
    if exact:
        return exact
    near = [e for e in forms if same_project(e["project"], project)]
    return near if len({name_key(e["project"]) for e in near}) == 1 else []


def title_project(ev: dict) -> str | None:
    """The project a form's title names (`……完成情况表（X项目）`), if any."""
    if ev.get("title_project"):
        return ev["title_project"]
    m = _TITLE_PROJECT.search(ev.get("title") or "")
    return m["p"] if m and regex.search(r"\p{Han}", m["p"]) and not _YEAR_ONLY.fullmatch(m["p"]) else None
