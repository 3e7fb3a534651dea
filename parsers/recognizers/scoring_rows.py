"""Scoring sheets (name | 分值 | 评价标准 | 得分) in run-on text: rows found by their ends.

The run-on reader cuts criteria texts at every header word and figure they quote (`…年初预算…`,
`10 | -20% | (含),计3分;`), so a row is found by its ends instead: a name followed by its weight
opens it, the last figure before the next row (or level) is its score, and all between is one
criteria cell.
"""
from __future__ import annotations

import regex

from parsers.recognizers.glued import MAX_POINTS
from parsers.text import norm_key
from parsers.vocabulary import LEVEL_NAMES

_NAME = regex.compile(r"^[\p{Han}“”\"「」]{2,24}$")
_GLUED_WEIGHT = regex.compile(r"^(?P<name>[\p{Han}“”\"「」]{2,24}?)(?P<digits>\d+)(?P<rest>%?\p{Han}.*)$", regex.S)
_FIGURE = regex.compile(r"^\d{1,3}(?:\.\d+)?$")


def join_criteria(stream: list[dict], cols: list[str | None]) -> list[dict]:
    """Rows of a glued scoring sheet as name, weight, criteria, score."""
    if "criteria" not in cols or not {"weight", "score"} <= set(cols) or not any(c.get("glued") for c in stream):
        return stream
    stream = split_glued_weights(stream)
    out: list[dict] = []
    criteria: list[dict] = []
    for i, cell in enumerate(stream):
        if opens_row(stream, i) or is_level_word(cell):
            out += close_row(criteria)
            criteria = []
            out.append(cell)
        elif criteria or (out and is_figure(out[-1]) and not is_level_word(out[-2] if len(out) > 1 else None)):
            criteria.append(cell)
        else:
            out.append(cell)
    return out + close_row(criteria)


def close_row(criteria: list[dict]) -> list[dict]:
    """The criteria cells joined, then the score: the last figure among them."""
    if not criteria:
        return []
    at = max((n for n, c in enumerate(criteria) if is_figure(c)), default=None)
    if at is None or at == 0:
        return [join(criteria)]
    return [join(criteria[:at]), criteria[at], *([join(criteria[at + 1:])] if criteria[at + 1:] else [])]


def join(cells: list[dict]) -> dict:
    return {**cells[0], "text": "".join(c["text"] or "" for c in cells)}


def opens_row(stream: list[dict], i: int) -> bool:
    """A name followed by its weight."""
    text = norm_key(stream[i].get("text"))
    return (bool(_NAME.match(text)) and not is_level_word(stream[i]) and i + 1 < len(stream)
            and is_figure(stream[i + 1]))


def is_figure(cell: dict | None) -> bool:
    return bool(cell) and bool(_FIGURE.match(norm_key(cell.get("text"))))


def is_level_word(cell: dict | None) -> bool:
    return bool(cell) and norm_key(cell.get("text")) in LEVEL_NAMES


def split_glued_weights(stream: list[dict]) -> list[dict]:
    """`预算完成率5100%计满分…` -> 预算完成率 | 5 | 100%计满分…: the weight is the one prefix of
    the digits no higher than the weight of the level above (`预算执行 | 20`)."""
    out: list[dict] = []
    limit = float(MAX_POINTS)
    for cell in stream:
        if is_figure(cell) and is_level_word(out[-1] if out else None):
            limit = float(norm_key(cell["text"]))
        m = _GLUED_WEIGHT.match(norm_key(cell.get("text"))) if cell.get("glued") else None
        weights = [k for k in range(1, len(m["digits"]) + 1) if m and weight_cut(m["digits"], k, limit)] if m else []
        if len(weights) != 1:
            out.append(cell)
            continue
        k = weights[0]
        out += [{**cell, "text": m["name"]}, {**cell, "text": m["digits"][:k]},
                {**cell, "text": m["digits"][k:] + m["rest"]}]
    return out


def weight_cut(digits: str, k: int, limit: float) -> bool:
    weight, rest = digits[:k], digits[k:]
    return float(weight) <= limit and not (len(rest) > 1 and rest.startswith("0")) and bool(rest)
