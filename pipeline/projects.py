"""Which unit and which project a form is about, across the forms and reports of a unit.

A unit prints its name in full on some forms and abbreviated on others (安岳县人大常委会办公室 for
安岳县人民代表大会常务委员会办公室); a project's name differs between forms in quotes, spacing and
filler words (`2021年换届选举经费经费项目` on the 计分表, `2021年换届选举经费项目` on the goal table).
``name_key`` is the one name key (checks match forms, lists and prose by it; the summary groups
projects by it); ``project_key`` identifies a project of a unit and year (evaluations.project_key,
projects.parquet).
"""
from __future__ import annotations

import regex

from parsers.recognizers.project_name import MIN_CORE, name_key
from parsers.recognizers.report import SOURCE_KIND as REPORT_KIND

# What prose drops from a form's name (`建设项目` for the form's `建设经费`).
GENERIC_TAIL = regex.compile(r"(?:专项经费|工作经费|经费|项目|资金)+$")
BUDGET_FIGURE = "项目预算"  # parsers/templates/statements.json


def is_abbreviation(short: str, long: str) -> bool:
    """Chinese abbreviations keep characters of the full name in order: 人大常委会 < 人民代表大会常务委员会."""
    chars = iter(long)
    return all(ch in chars for ch in short)


def canonical_unit(form_unit: str | None, document_unit: str | None) -> str | None:
    """The unit a form belongs to: its document's when it names none, the same one or an
    abbreviation of it; its own when it names another (a combined disclosure)."""
    if not document_unit:
        return form_unit
    if not form_unit:
        return document_unit
    a, b = sorted((name_key(form_unit), name_key(document_unit)), key=len)
    return document_unit if is_abbreviation(a, b) else form_unit


def project_key(org_unit: str | None, fiscal_year: int | None, project: str | None) -> str | None:
    """`<unit>|<year>|<name key>`: one project of one unit and year, whatever form it is printed on.
    None for a department-level form (no project)."""
    if not project:
        return None
    return f"{name_key(org_unit)}|{fiscal_year or ''}|{name_key(project)}"


def core_key(name: str | None) -> str:
    """A project name without its generic tail (经费, 项目, 资金). Too short a core (`工作` of
    工作经费) names nothing: ''."""
    core = GENERIC_TAIL.sub("", name_key(name))
    return core if len(core) >= MIN_CORE else ""


def named_in(forms: list[dict], text: str) -> list[dict]:
    """The forms (evaluation rows with a project) of the project a sentence names: by full name,
    else by name core; the longest name wins (`代表工作经费` over `工作经费`)."""
    key = name_key(text)
    for name_of in (name_key, core_key):
        named = [e for e in forms if name_of(e["project"]) and name_of(e["project"]) in key]
        if named:
            longest = max(len(name_of(e["project"])) for e in named)
            return [e for e in named if len(name_of(e["project"])) == longest]
    return []


def stated_project(forms: list[dict], sentence: str, budget_yuan: float | None) -> str | None:
    """The project_key of the project a report sentence is about: the one it names, else the one
    project whose budget it states exactly (`人大代表专项经费…安排84.67万元` for the form
    `人大代表工作经费项目` of 846,700 元)."""
    keys = {e["project_key"] for e in named_in(forms, sentence)}
    if not keys and budget_yuan is not None:
        keys = {e["project_key"] for e in forms if e.get("budget_full_year_yuan") == budget_yuan}
    return keys.pop() if len(keys) == 1 else None


def attach_projects(statements: list[dict], evaluations: list[dict], project_figures: set[str]) -> None:
    """Set ``project_key`` on each statement of a project figure made in a report (in place)."""
    forms = [e for e in evaluations if e.get("project")]
    by_sentence: dict[str, list[dict]] = {}
    for s in statements:
        s["project_key"] = None
        if s["figure"] in project_figures and (s.get("part") or "").endswith("报告"):
            by_sentence.setdefault(s["text"], []).append(s)
    for sentence, stated in by_sentence.items():
        budget = next((s["value"] for s in stated if s["figure"] == BUDGET_FIGURE), None)
        key = stated_project(forms, sentence, budget)
        for s in stated:
            s["project_key"] = key


def attach_report_rows(evaluations: list[dict]) -> None:
    """A report's row about a project joins that project's forms: the one the report's name for
    it names, else the one whose budget it states (`人大代表专项经费` for `人大代表工作经费项目`).
    A report row that matches no form keeps its own key."""
    forms = [e for e in evaluations if e.get("project") and e.get("source_kind") != REPORT_KIND]
    for row in evaluations:
        if row.get("source_kind") == REPORT_KIND and row.get("project") and forms:
            key = stated_project(forms, row["project"], row.get("budget_full_year_yuan"))
            row["project_key"] = key or row["project_key"]
