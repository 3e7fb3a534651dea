"""Which project a form names: one rule for every recognizer.

A form may name its project twice: in its 项目名称 cell and in a bracketed subtitle under the title
(`（X项目）`). Documents copy a table and forget to rename one of the two, so where they disagree
the name the companion form (the scoring sheet printed just before, which scores the same
project) carries decides; without one the 项目名称 cell stands. Two spellings of one name
(`X` and `X项目`) give the fuller. The other name stays beside it
(``meta["title_project"]``) so the checks can say the two disagree.
"""
from __future__ import annotations

import unicodedata

import regex

from parsers.text import norm_key

PROJECT_SUFFIX = "项目"
SUBTITLE = regex.compile(r"^[（(](?P<name>.+)[）)]$")
_QUOTES = regex.compile(r"[\s“”\"'‘’《》「」〈〉]")
_DOUBLED_TAIL = regex.compile(r"(\p{Han}{2,4})\1$")
# Words a form may add to a project's name (`…经费项目`, `…经费经费`) without naming another project ...
FILLER_TAILS = (PROJECT_SUFFIX, "经费")
# ... but a name is not cut below this: `工作经费` names a project, `工作` names nothing.
MIN_CORE = 4


def name_key(name: str | None) -> str:
    """The one key projects are matched by (forms, lists, prose, ``project_key``): NFKC, no spaces or
    quotes, a doubled trailing word once, no trailing 项目/经费 while four characters remain
    (`2021年换届选举经费经费项目` and `2021年换届选举经费项目` -> `2021年换届选举`; `工作经费` stays)."""
    key = _QUOTES.sub("", unicodedata.normalize("NFKC", name or ""))
    while True:
        shorter = _DOUBLED_TAIL.sub(r"\1", key)
        for tail in FILLER_TAILS:
            if shorter.endswith(tail) and len(shorter) - len(tail) >= MIN_CORE:
                shorter = shorter.removesuffix(tail)
        if shorter == key:
            return key
        key = shorter


def subtitle_project(text: str | None) -> str | None:
    """`（X项目）` -> X项目: a bracketed line that names a project."""
    m = SUBTITLE.match(norm_key(text))
    return m["name"] if m and m["name"].endswith(PROJECT_SUFFIX) else None


def settle_project(form: dict, companion: dict | None = None) -> None:
    """Set ``form["project"]`` from its 项目名称 cell (``meta["project"]``) and its subtitle
    (``meta["title_project"]``)."""
    named, titled = form["meta"].pop("project", None), form["meta"].pop("title_project", None)
    form["project"] = named or titled
    if not (named and titled):
        return
    form["meta"]["title_project"] = titled
    if agree(named, titled):
        form["project"] = max(named, titled, key=len)   # the fuller of two spellings of one name
        return
    if companion is not None and companion.get("project") and name_key(titled) == name_key(companion["project"]):
        form["project"] = titled


def agree(a: str, b: str) -> bool:
    return name_key(a) in name_key(b) or name_key(b) in name_key(a)
