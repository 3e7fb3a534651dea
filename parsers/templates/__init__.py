"""Template families as data: one TOML file per family in this folder (format: docs/formats.md).

``common.toml`` holds the vocabulary every template shares; each other file describes one family
(its titles, header synonyms, labels, level names, default money unit, execution-score rule) and
*adds* to the shared lists and tables. More folders can be given in ``JIXIAO_TEMPLATE_PATH``
(``os.pathsep``-separated), so a user adds a family without touching the package.
"""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent
COMMON = "common"
PATH_VARIABLE = "JIXIAO_TEMPLATE_PATH"


@dataclass(frozen=True)
class TitleRule:
    """A title family: ``pattern`` searched at the end of a cleaned title line."""
    pattern: str
    kind: str                 # selfeval | scoring | goal_completion | any
    priority: int
    family: str
    scope: str | None = None  # project | dept, else from the scope words
    whole: bool = False       # the pattern is the title's whole wording (run-on text takes no words before it)


@dataclass(frozen=True)
class Family:
    name: str
    description: str = ""
    provinces: tuple[str, ...] = ()
    money_unit: str | None = None        # assumed where a form of this family prints none
    execution_rule: str | None = None    # see pipeline/rescore.py
    path: str = ""


@dataclass
class Templates:
    families: list[Family] = field(default_factory=list)
    titles: list[TitleRule] = field(default_factory=list)
    vocabulary: dict = field(default_factory=dict)   # merged tables, common first


def template_files() -> list[Path]:
    """common.toml first, then every other family file, built-in before user folders."""
    dirs = [TEMPLATES_DIR] + [Path(p) for p in os.environ.get(PATH_VARIABLE, "").split(os.pathsep) if p]
    files = [f for d in dirs for f in sorted(d.glob("*.toml")) if f.stem != COMMON]
    return [TEMPLATES_DIR / f"{COMMON}.toml", *files]


def merge(into: dict, extra: dict) -> None:
    """Tables merge key by key; lists are extended with the words they do not hold yet."""
    for key, value in extra.items():
        if isinstance(value, dict):
            merge(into.setdefault(key, {}), value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] += [v for v in value if v not in into[key]]
        else:
            into.setdefault(key, value)


@cache
def load_templates() -> Templates:
    templates = Templates()
    for path in template_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        meta = data.pop("family", {})
        name = meta.get("name", path.stem)
        templates.families.append(Family(
            name=name, description=meta.get("description", ""), provinces=tuple(meta.get("provinces", ())),
            money_unit=meta.get("money_unit"), execution_rule=meta.get("execution_rule"), path=str(path)))
        templates.titles += [TitleRule(t["pattern"], t.get("kind", "any"), int(t.get("priority", 0)), name,
                                       t.get("scope"), bool(t.get("whole", False))) for t in data.pop("titles", [])]
        merge(templates.vocabulary, data)
    templates.titles.sort(key=lambda t: -t.priority)
    return templates


def family(name: str | None) -> Family | None:
    return next((f for f in load_templates().families if f.name == name), None)


@cache
def data(name: str) -> dict:
    """A JSON file of this folder holding knowledge that is not a template family (what prose
    states, ``statements.json``; published scoring rules, ``scoring_rules.json``)."""
    return json.loads((TEMPLATES_DIR / f"{name}.json").read_text(encoding="utf-8"))
