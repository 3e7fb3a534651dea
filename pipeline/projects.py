"""Which unit and which project a form is about, across the forms and reports of a unit.

A unit prints its name in full on some forms and abbreviated on others (安岳县人大常委会办公室 for
安岳县人民代表大会常务委员会办公室); a project's name differs between forms in quotes, spacing and
filler words (`2021年换届选举经费经费项目` on the 计分表, `2021年换届选举经费项目` on the goal table).
``name_key`` is the one name key (checks match forms, lists and prose by it; the summary groups
projects by it); ``project_key`` identifies a project of a unit and year (evaluations.project_key,
projects.parquet).
"""
from __future__ import annotations

import unicodedata

import regex

_QUOTES = regex.compile(r"[\s“”\"'‘’《》「」〈〉]")
_DOUBLED_TAIL = regex.compile(r"(\p{Han}{2,4})\1$")
# Words a form may add to a project's name (`…经费项目`, `…经费经费`) without naming another project ...
FILLER_TAILS = ("项目", "经费")
# ... but a name is not cut below this: `工作经费` names a project, `工作` names nothing.
MIN_CORE = 4


def name_key(name: str | None) -> str:
    """A project name for matching: NFKC, no spaces or quotes, a doubled trailing word once, no
    trailing 项目/经费 while four characters remain (`2021年换届选举经费经费项目` and
    `2021年换届选举经费项目` -> `2021年换届选举`; `工作经费` stays)."""
    key = _QUOTES.sub("", unicodedata.normalize("NFKC", name or ""))
    while True:
        shorter = _DOUBLED_TAIL.sub(r"\1", key)
        for tail in FILLER_TAILS:
            if shorter.endswith(tail) and len(shorter) - len(tail) >= MIN_CORE:
                shorter = shorter.removesuffix(tail)
        if shorter == key:
            return key
        key = shorter


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
