"""Form titles by family pattern (``parsers/templates``), not by a closed list.

A title is a short line or cell. It is cleaned of an `附件N：` prefix, 《quoted names》 and
trailing brackets (`（2023年度）`, `(普通省道和农村公路)`), then the template title rules are
tried, highest priority first: each names the kind (or leaves it to the columns) and the family.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from parsers.text import clean_cell, norm_key
from parsers.vocabulary import MAX_TITLE_LEN, TITLE_EXCLUDES, TITLE_RULES, TITLE_SCOPE_DEPT_WORDS

_ATTACHMENT = regex.compile(r"^(?:附件|附表)\s*[\d\-－—.一二三四五六七八九十]*\s*[：:、]?\s*")
_ENUMERATION = regex.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．]")
_QUOTED = regex.compile(r"《[^》]*》")
_TRAILING_BRACKET = regex.compile(r"[(（【\[][^()（）【】\[\]]*[)）】\]]$")
_CLAUSE_MARK = regex.compile(r"[,，。;；:：!！?？]")   # a title is not a clause of a sentence


@dataclass(frozen=True)
class Title:
    text: str            # the title as printed (cleaned of wrapping and the attachment prefix)
    kind: str | None     # contract kind, or None where the columns decide (`…评价指标表`)
    scope: str           # project | dept
    family: str          # the template family whose rule matched


@cache
def _rule_patterns() -> list[tuple[regex.Pattern, object]]:
    return [(regex.compile(f"(?:{rule.pattern})$"), rule) for rule in TITLE_RULES]


def core_title(text: str | None) -> str:
    """The title's key: attachment prefix, quotes and trailing brackets removed."""
    key = _QUOTED.sub("", _ATTACHMENT.sub("", norm_key(text)))
    while (stripped := _TRAILING_BRACKET.sub("", key)) != key:
        key = stripped
    return key


@lru_cache(maxsize=65536)
def match_title(text: str | None) -> Title | None:
    """The form a title line names, or None (not a title, or a list/report/notice title)."""
    key = norm_key(text)
    if not key or len(key) > MAX_TITLE_LEN or any(word in key for word in TITLE_EXCLUDES):
        return None
    core = core_title(key)
    if _CLAUSE_MARK.search(_ENUMERATION.sub("", core)):
        return None
    for pattern, rule in _rule_patterns():
        if pattern.search(core):
            scope = rule.scope or ("dept" if any(w in core for w in TITLE_SCOPE_DEPT_WORDS) else "project")
            kind = None if rule.kind == "any" else f"{scope}_{rule.kind}"
            printed = _ATTACHMENT.sub("", clean_cell(text) or "")
            return Title(printed, kind, scope, rule.family)
    return None


def form_kind(scope: str, kind: str) -> str:
    """`project` + `selfeval` -> `project_selfeval`."""
    return f"{scope}_{kind}"
