"""Which project a form names: one rule for every recognizer.

A form may name its project twice: in its 项目名称 cell and in a bracketed subtitle under the title
(`（X项目）`). Documents copy a table and forget to rename one of the two, so where they disagree
the name the companion form (the scoring sheet printed just before, which scores the same
project) carries decides; without one the 项目名称 cell stands. Two spellings of one name
(`X` and `X项目`) give the fuller. The other name stays beside it
(``meta["title_project"]``) so the checks can say the two disagree.
"""
from __future__ import annotations

import regex

from parsers.text import norm_key

PROJECT_SUFFIX = "项目"
SUBTITLE = regex.compile(r"^[（(](?P<name>.+)[）)]$")


def bare_name(name: str | None) -> str:
    """A project name compared without its `项目` ending and whitespace."""
    return norm_key(name).removesuffix(PROJECT_SUFFIX)


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
    if companion is not None and companion.get("project") and bare_name(titled) == bare_name(companion["project"]):
        form["project"] = titled


def agree(a: str, b: str) -> bool:
    return bare_name(a) in bare_name(b) or bare_name(b) in bare_name(a)
