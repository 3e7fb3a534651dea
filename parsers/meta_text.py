"""Labelled values in flowing text: `预算单位名称：X 预算单位编码：Y 自评等级： 优`, or a label
wrapped over lines (`部门（单\\n位）名称\\nX`). Labels come from ``vocabulary.META_LABELS``."""
from __future__ import annotations

import regex

from parsers.text import clean_cell
from parsers.vocabulary import META_LABELS

_VARIANTS = {"(": "[(（]", ")": "[)）]", ":": "[:：]"}


def _label_pattern(label: str) -> str:
    return r"\s*".join(_VARIANTS.get(ch, regex.escape(ch)) for ch in label)


# A label opens a line or follows a space, and is followed by a colon, a space or a line end: a
# label word inside a value (`…部门…`) is not a label.
_LABELS = regex.compile(r"(?<=^|\s)(?:" + "|".join(
    f"(?P<f{i}>{_label_pattern(label)})" for i, label in enumerate(sorted(META_LABELS, key=len, reverse=True)))
    + r")(?=\s*[:：]|\s|$)")
_FIELDS = [META_LABELS[label] for label in sorted(META_LABELS, key=len, reverse=True)]


def read_labelled(lines: list[str], raw: tuple[str, ...] = ()) -> dict[str, str]:
    """field -> value for every label found (first occurrence wins); fields in ``raw`` keep
    their line breaks and spaces (they separate options)."""
    text = "\n".join(lines)
    hits = []
    for m in _LABELS.finditer(text):
        index = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        hits.append((m.start(), m.end(), _FIELDS[index]))
    found: dict[str, str] = {}
    for n, (_, end, field) in enumerate(hits):
        stop = hits[n + 1][0] if n + 1 < len(hits) else len(text)
        value = text[end:stop].strip(":： \n")
        value = (value or None) if field in raw else clean_cell(value)
        if value and field not in found:
            found[field] = value
    return found
