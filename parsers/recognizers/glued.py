"""Values that lost the separator between them (`194.9194.9100%`, `00`): split by the form's own
arithmetic, or not at all.

Every way to cut the text into the wanted number of well-formed values is tried (no leading
zeros, at most two decimals, a percent sign only at the end of a value); a cut is kept when the
form's arithmetic holds for it (a budget line's rate = executed / budget). When exactly one cut
holds, it is the reading; otherwise the text stays as printed and the caller leaves the fields
null. Never a guess.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import regex

from parsers.text import norm_key

_PART = regex.compile(r"(?:0|[1-9]\d*)(?:\.\d{1,2})?%?")
_TARGET_FIGURE = regex.compile(r"(?<=^\D*)\d+(?:\.\d+)?")   # the figure of a target: `≧735人次` -> 735
FIGURE = regex.compile(r"^\d+(?:\.\d+)?$")
_GLUED = regex.compile(r"[\d.]+%?")
_PRECISE = regex.compile(r"(?:0|[1-9]\d*)\.\d{3,}")   # one amount to the yuan in 万元 (`89.974`): not glued
MAX_PARTS = 6   # a budget line's cells: 年初 | 全年 | 执行数 | 分值 | 执行率 | 得分
MAX_POINTS = 100
RANK_TOLERANCE = 0.5   # a ranked cut is taken only where its row keeps the rule (half a point)
MAX_RATE_PERCENT = 1000   # execution rates pass 100% (102.59%), never tenfold


def is_glued(text: str | None) -> bool:
    """Digits, dots and a percent sign that do not read as one value, or as no rate a form prints
    (`99999910100%`: amounts glued to their rate)."""
    if not text or not _GLUED.fullmatch(text) or _PRECISE.fullmatch(text):
        return False
    return not well_formed(text)


def cuts(text: str, parts: int) -> Iterator[list[str]]:
    """Every cut of ``text`` into ``parts`` well-formed values, in order."""
    if parts == 1:
        if well_formed(text):
            yield [text]
        return
    for i in range(1, len(text)):
        head = text[:i]
        if well_formed(head):
            for rest in cuts(text[i:], parts - 1):
                yield [head, *rest]


def well_formed(part: str) -> bool:
    """A value as forms print one: no leading zero, two decimals at most, a rate no more than tenfold."""
    return bool(_PART.fullmatch(part)) and not (part.endswith("%") and float(part[:-1]) > MAX_RATE_PERCENT)


def holding_cuts(text: str, parts: int, holds: Callable[[list[str]], bool]) -> list[list[str]]:
    return [cut for cut in cuts(text, parts) if holds(cut)] if parts <= MAX_PARTS else []


def unglue(values: list[str | None], room: int, holds: Callable[[list], bool],
           cut_holds: Callable[[list[str]], bool] | None = None,
           rank: Callable[[list], float] | None = None) -> list[str | None]:
    """The row's values with a glued value split into up to ``room`` more values, where exactly
    one cut makes ``holds(values)`` true; else the values as they are. With ``cut_holds`` (a rule
    on the parts alone, such as points that add up), every glued value of the row is split that
    way. With ``rank`` (how far a row is from a rule the form keeps), where no part count gives one
    cut, the one cut of any part count whose row keeps that rule is taken."""
    glued = [n for n, v in enumerate(values) if is_glued(v)]
    if not glued or room < 1 or (len(glued) > 1 and cut_holds is None):
        return values
    for n in reversed(glued):
        before, after = values[:n], values[n + 1:]
        ranked: list[list[str]] = []
        for extra in range(1, room + 1):
            found = holding_cuts(values[n], extra + 1, lambda c, b=before, a=after: (
                cut_holds is None or cut_holds(c)) and holds(b + c + a))
            ranked += [c for c in found if rank and rank(before + c + after) <= RANK_TOLERANCE]
            if len(found) == 1:
                ranked = found
                break
        if len(ranked) == 1:
            values, room = before + ranked[0] + after, room - len(ranked[0]) + 1
        if room < 1:
            break
    return values


def doubled(value: str | None) -> str | None:
    """`1010` -> `10`: a figure printed twice with nothing between."""
    key = norm_key(value)
    half = len(key) // 2
    if key and len(key) % 2 == 0 and key[:half] == key[half:] and _PART.fullmatch(key[:half]):
        return key[:half]
    return None


def overfull_points(value: str | None, room: int, before: str | None = None) -> list[str] | None:
    """The one cut of a figure above 100 whose last two parts read as points; among several, the
    one whose actual is the target printed before it (`≧735人次 | 7351010` -> 735 | 10 | 10)."""
    key = norm_key(value)
    if not FIGURE.match(key) or float(key) <= MAX_POINTS:
        return None
    found = [c for parts in range(min(room + 1, MAX_PARTS), 1, -1) for c in cuts(key, parts) if points_hold(c[-2:])]
    target = _TARGET_FIGURE.search(norm_key(before))
    if len(found) > 1 and target:
        found = [c for c in found if len(c) > 2 and c[0] == target[0]]
        found = [c for c in found if len(c) == min(map(len, found))]   # the fewest cells: actual, weight, score
    return found[0] if len(found) == 1 else None


def split_overfull_points(values: list[str | None], room: int) -> list[str | None]:
    """After a rate come points (a budget line's 权重 | 得分); a figure there above a form's 100 is
    two of them glued (`76% | 107.6` -> 10 | 7.6), split where one cut reads as points."""
    rate_at = max((n for n, v in enumerate(values) if v and v.endswith("%")), default=None)
    if rate_at is None or room < 1:
        return values
    for n in range(rate_at + 1, len(values)):
        if cut := overfull_points(values[n], 1):
            return values[:n] + cut + values[n + 1:]
    return values


def points_hold(cut: list[str]) -> bool:
    """A cut that reads as points: no bare number above a form's 100, and a score (the second of
    two bare numbers: weight, then score) no higher than its weight (`1010` -> 10 | 10, not 101 | 0)."""
    if not all(p and _PART.fullmatch(p) for p in cut):
        return False
    bare = [float(p) for p in cut if not p.endswith("%")]
    return all(b <= MAX_POINTS for b in bare) and all(b <= a for a, b in zip(bare, bare[1:], strict=False))


def rate_holds(budget: str | None, executed: str | None, rate: str | None) -> bool:
    """A budget line's printed rate equals executed / budget within the rate's printed precision."""
    try:
        b, e = float(budget), float(executed)
        r = float(rate.rstrip("%")) / (100 if rate.endswith("%") else 1)
    except (TypeError, ValueError, AttributeError):
        return False
    decimals = len(rate.rstrip("%").split(".")[1]) if "." in rate else 0
    tolerance = 0.5 * 10 ** -decimals / (100 if rate.endswith("%") else 1)
    if b == 0:
        return e == 0 and r == 0   # nothing budgeted, nothing spent: the rate printed as 0%
    return b > 0 and abs(e / b - r) <= tolerance + 1e-9
