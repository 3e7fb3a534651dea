"""Place a row's values in its columns when the row lost cells (merged or empty cells dropped by a
text export): by what each column can hold, by the form's arithmetic, and never by a guess.

Every order-keeping placement whose values fit their columns is ranked by the check it passes
(``holds``: True before unknown before False) and by what the columns it leaves empty cost (a
template's optional column costs less). A value that all best placements put in the same column
is placed; one they disagree on is left out, so its field stays null.
"""
from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from math import comb

MAX_PLACEMENTS = 5000   # rows are short; a longer one keeps its values in order
TIE = 1e-9


def place(values: list, cols: list, fits: Callable[[object, object], bool],
          skip_cost: Callable[[object], float],
          holds: Callable[[dict], bool | None] | None = None) -> list[tuple[int, object]]:
    """(column index, value) for each value that has one unambiguous column."""
    if len(values) > len(cols) or comb(len(cols), len(values)) > MAX_PLACEMENTS:
        return list(enumerate(values))[:len(cols)]
    optimal = best_placements(values, cols, fits, skip_cost, holds)
    return [(optimal[0][i], v) for i, v in enumerate(values) if optimal and len({p[i] for p in optimal}) == 1]


def candidates(values: list, cols: list, fits: Callable[[object, object], bool],
               skip_cost: Callable[[object], float],
               holds: Callable[[dict], bool | None] | None = None) -> list[set[int]]:
    """For each value, the columns the best placements put it in (one column: placed; more: in doubt)."""
    if len(values) > len(cols) or comb(len(cols), len(values)) > MAX_PLACEMENTS:
        return [set() for _ in values]
    optimal = best_placements(values, cols, fits, skip_cost, holds)
    return [{p[i] for p in optimal} for i in range(len(values))]


def best_placements(values: list, cols: list, fits: Callable[[object, object], bool],
                    skip_cost: Callable[[object], float],
                    holds: Callable[[dict], bool | None] | None) -> list[tuple[int, ...]]:
    ranked = []
    for chosen in combinations(range(len(cols)), len(values)):
        if not all(fits(cols[c], v) for c, v in zip(chosen, values, strict=True)):
            continue
        check = holds({cols[c]: v for c, v in zip(chosen, values, strict=True)}) if holds else None
        cost = sum(skip_cost(cols[c]) for c in range(len(cols)) if c not in chosen)
        ranked.append(((0 if check else 1 if check is None else 2), cost, chosen))
    if not ranked:
        return []
    best = min(ranked)
    return [r[2] for r in ranked if r[0] == best[0] and abs(r[1] - best[1]) <= TIE]
