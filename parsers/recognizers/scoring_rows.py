"""Scoring sheets (name | 分值 | 评价标准 | 得分) in run-on text: rows found by their ends.

The run-on reader cuts criteria texts at every header word and figure they quote (`…年初预算…`,
`10 | -20% | (含),计3分;`), so a row is found by its ends instead: a name followed by its weight
opens it, the last figure before the next row (or level) is its score, and all between is one
criteria cell.
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

import regex

from parsers.recognizers.glued import MAX_POINTS
from parsers.text import WEIGHT_MARK, norm_key
from parsers.vocabulary import LEVEL_NAMES, SCORING_NAMES, TOTAL_LABELS

_NAME = regex.compile(r"^[\p{Han}“”\"「」]{2,24}$")
_GLUED_WEIGHT = regex.compile(r"^(?P<name>[\p{Han}“”\"「」]{2,24}?)(?P<digits>\d+)(?P<rest>%?\p{Han}.*)$", regex.S)
_FIGURE = regex.compile(r"^\d{1,3}(?:\.\d+)?$")
MAX_NAME_LEN = 20   # a weighted name or heading; longer pieces hold criteria
_TOTAL = regex.compile("|".join(map(regex.escape, sorted(TOTAL_LABELS, key=len, reverse=True))))
_TOTAL_FIGURES = regex.compile(r"\d{1,3}(?:\.\d+)?")


def join_criteria(stream: list[dict], cols: list[str | None]) -> list[dict]:
    """Rows of a glued scoring sheet as name, weight, criteria, score (or, where the names carry
    their weights, as headings, name, score, criteria)."""
    if "criteria" not in cols or not any(c.get("glued") for c in stream):
        return stream
    if "weight" not in cols and "score" in cols and weighted_names(stream):
        return weighted_name_rows(stream)
    if not {"weight", "score"} <= set(cols):
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


# --- sheets whose names carry their weights (`决策依据(4分)4有关法律法规…符合法律法规(1分)…`) ---------

MIN_WEIGHTED_NAMES = 3
_MARK_THEN_SCORE = regex.compile(WEIGHT_MARK + r"(?P<score>\d{1,3}(?:\.\d+)?(?![\d%.]))?")
_CLAUSE_END = regex.compile(r"[;；。,，:：、]")


def weighted_names(stream: list[dict]) -> bool:
    return len(_MARK_THEN_SCORE.findall("".join(c.get("text") or "" for c in stream))) >= MIN_WEIGHTED_NAMES


def weighted_name_rows(stream: list[dict]) -> list[dict]:
    """The run-on text re-cut at its weights: a weighted name followed by a figure is a row (the
    figure its score); the weighted pieces before it whose weights rise (`项目决策(15分)决策过程(8分)`)
    are its level headings; what lies between one row's score and the next row's headings is one
    criteria cell (their `(1分)` items add up to the row's weight, below the headings'). Each new
    cell keeps the line and page of the cell its text starts in."""
    texts = [c.get("text") or "" for c in stream]
    starts = list(accumulate(map(len, texts), initial=0))
    pieces = weighted_pieces("".join(texts))
    at = list(accumulate((len(p[0]) + len(p[2] or "") for p in pieces), initial=0))

    def cell(n: int, text: str, offset: int = 0) -> dict:
        source = stream[min(bisect_right(starts, at[n] + offset) - 1, len(stream) - 1)]
        return {**source, "text": text}

    rows = [n for n, (_, weight, score) in enumerate(pieces) if weight is not None and score is not None]
    out: list[dict] = []
    done = 0
    for n in rows:
        start = n
        while start - 1 >= done and is_heading(pieces[start - 1], pieces[start][1]):
            start -= 1
        if start > done:
            out.append(cell(done, "".join(p[0] for p in pieces[done:start])))
        out += [cell(k, pieces[k][0]) for k in range(start, n + 1)]
        out.append(cell(n, pieces[n][2], len(pieces[n][0])))
        done = n + 1
    if done < len(pieces):
        out += [{**cell(done, ""), "text": t} for t in tail_texts("".join(p[0] for p in pieces[done:]))]
    return out


def weighted_pieces(text: str) -> list[tuple[str, float | None, str | None]]:
    """(text, weight, score) pieces: each ends at a `(N分)` (and its score figure, kept apart)."""
    pieces, pos = [], 0
    for m in _MARK_THEN_SCORE.finditer(text):
        head = text[pos:m.start("score") if m["score"] else m.end()]
        pieces.append((head, float(m["w"]), m["score"]))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], None, None))
    return [p for piece in pieces for p in name_apart(piece)]


def name_apart(piece: tuple[str, float | None, str | None]) -> list[tuple[str, float | None, str | None]]:
    """A row's weighted name printed right after the last row's criteria (`…计算得分到位时效(2分)`):
    the name is what follows the criteria's last clause mark (or a known scoring-item name)."""
    text, weight, score = piece
    if weight is None or score is None or len(norm_key(text)) <= MAX_NAME_LEN:
        return [piece]
    body = text[: text.rfind("(") if "(" in text else len(text)]
    known = [n for n in SCORING_NAMES if body.endswith(n)]
    cut = len(body) - max(map(len, known)) if known else max((m.end() for m in _CLAUSE_END.finditer(body)), default=0)
    return [(text[:cut], None, None), (text[cut:], weight, score)] if 0 < cut < len(body) else [piece]


def is_heading(piece: tuple[str, float | None, str | None], below: float | None) -> bool:
    text, weight, score = piece
    return (weight is not None and score is None and below is not None and weight > below
            and len(norm_key(text)) <= MAX_NAME_LEN and not _CLAUSE_END.search(text))


def tail_texts(text: str) -> list[str]:
    """What follows the last row: its criteria, then the total row (`合计100`) as its own cells."""
    m = _TOTAL.search(text)
    if not m:
        return [text] if text else []
    return [t for t in (text[:m.start()], m[0], *_TOTAL_FIGURES.findall(text[m.end():])) if t]
