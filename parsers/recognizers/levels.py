"""一级/二级 indicator names carried down the rows they span (merged cells, or names printed once
in flattened text). One rule for every recognizer: a new 一级 name starts its own 二级 groups, so
the 二级 name of the previous group is not carried into it."""
from __future__ import annotations

from parsers.text import split_weight

LEVELS = ("level1", "level2")


def with_level_weights(fields: list[str | None]) -> list[str | None]:
    """Header fields in print order, a 分值 column right after 一级指标 or 二级指标 named as that
    level's weight (`一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | 评价标准 | 得分`)."""
    out: list[str | None] = []
    for field in fields:
        previous = next((f for f in reversed(out) if f), None)
        out.append(f"{previous}_weight" if field == "weight" and previous in LEVELS else field)
    return out


def set_level_weight(state: dict, level: str, text: str | None) -> None:
    """The figure printed in a level's own 分值 column."""
    name, weight = state[level]
    try:
        state[level] = (name, float(text))
    except (TypeError, ValueError):
        state[level] = (name, weight)


def new_levels() -> dict[str, tuple[str | None, float | None]]:
    return dict.fromkeys(LEVELS, (None, None))


def carry(state: dict, level: str, text: str | None) -> None:
    """A row (or cell) names ``level``: it holds from here down, with its `（N分）` weight."""
    state[level] = split_weight(text)
    if level == "level1":
        state["level2"] = (None, None)


VALUE_FIELDS = frozenset({"target", "actual", "weight", "score"})
MIN_VALUE_COLUMNS = 2


def is_indicator_header(fields: set[str]) -> bool:
    """The header of an indicator table: 一级/二级/三级指标, or (templates without levels, such
    as 重庆's 指标名称 | … | 权重 | 得分) a name column with two or more value columns."""
    return {"level1", "level2", "level3"} <= fields or (
        "level3" in fields and len(fields & VALUE_FIELDS) >= MIN_VALUE_COLUMNS)
