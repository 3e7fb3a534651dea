"""Matching one project across forms, project lists, titles and prose, whose names differ in
quotes, spacing, a trailing 项目 or a doubled word."""
from __future__ import annotations

import unicodedata

import regex

from pipeline.checks.base import Tables

_QUOTES = regex.compile(r"[\s“”\"'‘’《》「」〈〉]")
_DOUBLED_TAIL = regex.compile(r"(\p{Han}{2,4})\1$")
GENERIC_TAIL = regex.compile(r"(?:专项经费|工作经费|经费|项目|资金)+$")
MIN_CORE = 4
_TITLE_PROJECT = regex.compile(r"[（(]\s*(?P<p>[^（）()]+?)\s*[)）]")
_YEAR_ONLY = regex.compile(r"\d{4}\s*年度?")


def project_key(name: str | None) -> str:
    """A name for matching one project across forms, lists and prose: no spaces or quotes, no
    trailing 项目, a doubled trailing word once (`选举经费经费项目` -> `选举经费`)."""
    key = _QUOTES.sub("", unicodedata.normalize("NFKC", name or ""))
    key = key.removesuffix("项目")
    return _DOUBLED_TAIL.sub(r"\1", key)


def same_project(a: str | None, b: str | None) -> bool:
    ka, kb = project_key(a), project_key(b)
    return bool(ka and kb) and (ka in kb or kb in ka)


def core_key(name: str | None) -> str:
    """A project name without its generic tail (经费, 项目, 资金): prose says `建设项目` for the
    form's `建设经费`. Too short a core (`工作` of 工作经费) names nothing: ''."""
    core = GENERIC_TAIL.sub("", project_key(name))
    return core if len(core) >= MIN_CORE else ""


def forms_of(t: Tables, doc_id: str, project: str | None) -> list[dict]:
    """The forms of one document about a project: same name key, else the one project whose name
    contains (or is contained in) it. `工作经费` is not `代表工作经费` when both have forms."""
    forms = [e for e in t.evaluations if e["doc_id"] == doc_id and e.get("project")]
    exact = [e for e in forms if project_key(e["project"]) == project_key(project)]
    if exact:
        return exact
    near = [e for e in forms if same_project(e["project"], project)]
    return near if len({project_key(e["project"]) for e in near}) == 1 else []


def forms_named_in(t: Tables, doc_id: str, text: str) -> list[dict]:
    """The forms (not report rows) of the project a sentence names: by full name, else by name
    core; the longest name wins (`代表工作经费` over `工作经费`)."""
    key = project_key(text)
    # A report's own rows are read from its sentences: a sentence is checked against the forms.
    forms = [e for e in t.evaluations
             if e["doc_id"] == doc_id and e.get("project") and e.get("source_kind") != "report"]
    for name_of in (project_key, core_key):
        named = [e for e in forms if name_of(e["project"]) and name_of(e["project"]) in key]
        if named:
            longest = max(len(name_of(e["project"])) for e in named)
            return [e for e in named if len(name_of(e["project"])) == longest]
    return []


def title_project(ev: dict) -> str | None:
    """The project a form's title names (`……完成情况表（X项目）`), if any."""
    if ev.get("title_project"):
        return ev["title_project"]
    m = _TITLE_PROJECT.search(ev.get("title") or "")
    return m["p"] if m and regex.search(r"\p{Han}", m["p"]) and not _YEAR_ONLY.fullmatch(m["p"]) else None
