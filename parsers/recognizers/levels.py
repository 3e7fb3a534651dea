"""一级/二级 indicator names carried down the rows they span (merged cells, or names printed once
in flattened text). One rule for every recognizer: a new 一级 name starts its own 二级 groups, so
the 二级 name of the previous group is not carried into it."""
from __future__ import annotations

from parsers.text import split_weight

LEVELS = ("level1", "level2")


def new_levels() -> dict[str, tuple[str | None, float | None]]:
    return dict.fromkeys(LEVELS, (None, None))


def carry(state: dict, level: str, text: str | None) -> None:
    """A row (or cell) names ``level``: it holds from here down, with its `（N分）` weight."""
    state[level] = split_weight(text)
    if level == "level1":
        state["level2"] = (None, None)
