"""Cut a run of flattened cells into indicator rows (name, values...) when the row ends are lost.

Between two level names a flattened table gives cells like `A ≥50个 50 8 8 B 严格执行 达成 8 8`;
the empty note column may or may not be there, a qualitative target may span the 指标性质/指标值/
度量单位 columns. Every way to cut the run into rows of at most as many values as the header has
columns is scored by how well each row fits the columns (weights and scores are numbers, a name is
not a number, `指标2` and `……` start rows, not end them), and the cheapest cut wins (dynamic
programming, linear in the run length).
"""
from __future__ import annotations

import regex

from parsers.text import is_placeholder, norm_key
from parsers.vocabulary import INDICATOR_FIELDS, MONEY_UNITS, TARGET_PARTS

_VALUE = regex.compile(r"^[-+]?\d+(?:\.\d+)?%?$|^[—\-－/／]+$")
_AMOUNT = regex.compile(r"^[-+]?\d+(?:\.\d+)?(?:" + "|".join(sorted(MONEY_UNITS, key=len, reverse=True)) + ")$")
_MEASURE = regex.compile(r"^[≥≤<>=]?\d+(?:\.\d+)?[%\p{Han}]{0,2}$")   # `0起`, `≥90%`: a value, not a name
_SENTENCE = regex.compile(r"[。；;]")
_INDICATOR_LABEL = regex.compile(r"^指标\s*\d+")
# Costs of the row cut (lower is better); only their order matters.
ROW_COST, SKIP_EMPTY_COST, SKIP_TEXT_COST = 1.0, 0.1, 3.0
BAD_NUMBER_COST, LABEL_AS_VALUE_COST, NUMBER_AS_NAME_COST, SENTENCE_NAME_COST = 5.0, 3.0, 10.0, 1.0
MISSING_CELLS_COST, MISSING_CELL_COST = 2.0, 0.5
NUMBER_FIELDS = ("weight", "score")
# What leaving a column empty costs when a row's values are placed by type.
SKIP_COLUMN_COST = {"weight": 1.0, "score": 1.0, "note": 0.5, "target": 2.0, "actual": 2.0,
                    "target_op": 1.5, "target_unit": 1.5}
DEFAULT_SKIP_COST = 0.2


def is_amount(text: str | None) -> bool:
    """A cell of a budget line: a value, or an amount printed with its unit (`150万`, `1,200元`)."""
    return is_value(text) or bool(_AMOUNT.match(norm_key(text).replace(",", "")))


def is_value(text: str | None) -> bool:
    """A cell that can stand in a number column: a number, a rate, a dash, or nothing."""
    return not text or bool(_VALUE.match(norm_key(text).replace(",", "")))


def align(values: list[str | None], cols: list[str | None]) -> tuple[dict, int]:
    """Indicator fields from a row's values, and how many required cells are missing.
    Values stand in column order; a trailing empty note may be missing. When a split target's
    parts were merged into one cell (qualitative targets), the columns after it are right-aligned.
    When a row left out cells and the values in order would put text in a number column, the
    values go to the columns their types fit (``typed_columns``)."""
    required = max((i + 1 for i, c in enumerate(cols) if c in NUMBER_FIELDS), default=1)
    fields: dict = {f: None for f in INDICATOR_FIELDS}
    if "target_unit" in cols and len(values) < len(cols) - 1:
        tail = [c for c in cols[cols.index("target_unit") + 1:] if c != "note"]
        head = len(values) - len(tail)
        if head >= 1:
            fields["target"] = "".join(v for v in values[:head] if v) or None
            fields.update({c: v for c, v in zip(tail, values[head:], strict=True) if c in fields})
            return fields, 0
    placed = list(zip(cols, values, strict=False))
    if len(values) < len(cols) and any(c in NUMBER_FIELDS and not is_value(v) for c, v in placed):
        if typed := typed_columns(values, cols):
            placed = [(cols[i], v) for i, v in zip(typed, values, strict=True)]
    parts = {c: v for c, v in placed if c}
    fields.update({c: v for c, v in parts.items() if c in fields})
    if "target_op" in parts or "target_unit" in parts:
        fields["target"] = "".join(parts.get(c) or "" for c in TARGET_PARTS) or None
    return fields, max(0, required - len(values))


def typed_columns(values: list[str | None], cols: list[str | None]) -> list[int]:
    """The column of each value, in order, such that number columns hold numbers and the columns
    left empty cost least (a blank weight or score is common on sub-rows, a blank actual is not);
    [] when no placement fits."""
    n, m = len(values), len(cols)
    inf = float("inf")
    # best[i][j]: cost of placing values[i:] into cols[j:]
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    best[n][m] = 0.0
    for j in range(m - 1, -1, -1):
        best[n][j] = best[n][j + 1] + SKIP_COLUMN_COST.get(cols[j], DEFAULT_SKIP_COST)
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            skip = best[i][j + 1] + SKIP_COLUMN_COST.get(cols[j], DEFAULT_SKIP_COST)
            fits = cols[j] not in NUMBER_FIELDS or is_value(values[i])
            best[i][j] = min(skip, best[i + 1][j + 1] if fits else inf)
    if best[0][0] == inf:
        return []
    out, j = [], 0
    for i in range(n):
        while best[i][j] != best[i + 1][j + 1] or (cols[j] in NUMBER_FIELDS and not is_value(values[i])):
            j += 1
        out.append(j)
        j += 1
    return out


def row_cost(name: str, values: list[str | None], cols: list[str | None], at_end: bool) -> float:
    fields, missing = align(values, cols)
    cost = ROW_COST
    if is_value(name) or _MEASURE.match(norm_key(name)):
        cost += NUMBER_AS_NAME_COST
    if _SENTENCE.search(name):
        cost += SENTENCE_NAME_COST
    cost += sum(LABEL_AS_VALUE_COST for v in values if v and (_INDICATOR_LABEL.match(v) or is_placeholder(v)))
    cost += sum(BAD_NUMBER_COST for f in NUMBER_FIELDS if not is_value(fields.get(f)))
    if missing and not at_end:
        cost += MISSING_CELLS_COST + MISSING_CELL_COST * missing
    return cost


def cut_rows(run: list[dict], cols: list[str | None], truncated: bool) -> list[tuple[dict, list]]:
    """The cut of a run of cells into (name cell, values) rows with the lowest total cost."""
    n, width = len(run), len(cols)
    best: list[tuple[float, int | None]] = [(0.0, None)] * (n + 1)
    for i in range(n - 1, -1, -1):
        skip = SKIP_TEXT_COST if run[i]["text"] else SKIP_EMPTY_COST
        options = [(skip + best[i + 1][0], None)]
        if run[i]["text"]:
            for m in range(min(width, n - i - 1) + 1):
                values = [c["text"] for c in run[i + 1:i + 1 + m]]
                cost = row_cost(run[i]["text"], values, cols, at_end=truncated and i + 1 + m == n)
                options.append((cost + best[i + 1 + m][0], m))
        best[i] = min(options, key=lambda o: o[0])
    rows, i = [], 0
    while i < n:
        m = best[i][1]
        if m is None:
            i += 1
            continue
        rows.append((run[i], [c["text"] for c in run[i + 1:i + 1 + m]]))
        i += 1 + m
    return rows
