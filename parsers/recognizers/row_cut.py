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

from parsers.recognizers.glued import FIGURE, MAX_POINTS, cuts, doubled, overfull_points, points_hold, unglue
from parsers.recognizers.placement import candidates, place
from parsers.text import is_placeholder, norm_key, weight_marks
from parsers.vocabulary import (
    COLUMN_TYPES,
    COMPARATORS,
    INDICATOR_FIELDS,
    INDICATOR_NATURES,
    MEASURE_UNITS,
    MONEY_UNITS,
    TARGET_PARTS,
)

_VALUE = regex.compile(r"^[-+]?\d+(?:\.\d+)?%?$|^[—\-－/／]+$")
_AMOUNT = regex.compile(r"^[-+]?\d+(?:\.\d+)?(?:" + "|".join(sorted(MONEY_UNITS, key=len, reverse=True)) + ")$")
_MEASURE = regex.compile(r"^[≥≤<>=]?\d+(?:\.\d+)?[%\p{Han}]{0,2}$")   # `0起`, `≥90%`: a value, not a name
_OPS = "|".join(map(regex.escape, sorted(COMPARATORS, key=len, reverse=True)))
_COMPARATOR = regex.compile(f"^(?:{_OPS})+$")
YES_NO = ("是", "否")
_PLAIN = regex.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")   # a number as printed: no leading zero
_SENTENCE = regex.compile(r"[。；;=*×÷]")   # a sentence or a formula: criteria, not a name
_INDICATOR_LABEL = regex.compile(r"^指标\s*\d+")
# Costs of the row cut (lower is better); only their order matters.
ROW_COST, SKIP_EMPTY_COST, SKIP_TEXT_COST = 1.0, 0.1, 3.0
BAD_NUMBER_COST, LABEL_AS_VALUE_COST, NUMBER_AS_NAME_COST, SENTENCE_NAME_COST = 5.0, 10.0, 10.0, 1.0
FILLER_AS_VALUE_COST = 3.0   # `……` in a value cell: template filler, or an explanation left blank
MISSING_CELLS_COST, MISSING_CELL_COST = 2.0, 0.5
TYPE_MISMATCH_COST = 3.0
NUMBER_FIELDS = ("weight", "score")
# What leaving a column empty costs when a row's values are placed by type: the value columns
# alike (a value that could stand in either stays unplaced), the trailing note less, the points
# more (a row's weight and score are the cells it least often leaves empty).
SKIP_COLUMN_COST = {"note": 0.5, None: 0.2, "weight": 2.0, "score": 2.0}
DEFAULT_SKIP_COST = 1.0


def is_amount(text: str | None) -> bool:
    """A cell of a budget line: a value, or an amount printed with its unit (`150万`, `1,200元`)."""
    return is_value(text) or bool(_AMOUNT.match(norm_key(text).replace(",", "")))


def looks_measured(text: str | None) -> bool:
    """A number with a short unit (`0起`, `≥90%`, `26次`): a value, not a name."""
    return bool(_MEASURE.match(norm_key(text)))


def is_value(text: str | None) -> bool:
    """A cell that can stand in a number column: a number, a rate, a dash, or nothing."""
    return not text or bool(_VALUE.match(norm_key(text).replace(",", "")))


def align(values: list[str | None], cols: list[str | None], lossy: bool = True) -> tuple[dict, int]:
    """Indicator fields from a row's values, and how many required cells are missing."""
    placed, missing = placement(values, cols, lossy)
    return fields_of(placed), missing


def fields_of(placed: list | None) -> dict:
    """Indicator fields from (column, value) pairs; the target joined from its parts."""
    fields: dict = {f: None for f in INDICATOR_FIELDS}
    parts = {c: v for c, v in (placed or []) if c}
    fields.update({c: v for c, v in parts.items() if c in fields})
    if "target_op" in parts or "target_unit" in parts:
        fields["target"] = join_target(parts)
    return fields


def placement(values: list[str | None], cols: list[str | None], lossy: bool = True) -> tuple[list | None, int]:
    """(column, value) pairs of a row, None where no value has a column of its own, and how
    many required cells are missing. A full row (or one short of a trailing note, or the last row
    of a cut-off page) stands in column order. A row that lost cells: a qualitative target that
    filled the 指标性质/指标值/度量单位 cells as one, else the values go where their types put them
    unambiguously (``placement``)."""
    last = max((i + 1 for i, c in enumerate(cols) if c in NUMBER_FIELDS), default=1)
    required = sum(1 for c in cols[:last] if c is not None) or 1   # an unnamed column is often empty
    missing = max(0, required - len(values) - joined_target_cells(values, cols))
    lossy = lossy or missing == 0   # a row the page cut off after all its cells reads like any other
    optional = 1 if cols and cols[-1] == "note" else 0
    merged = merged_target(values, cols) if lossy else None
    if merged and fits(merged):
        return merged, 0
    if lossy and joined_target_cells(values, cols):   # `=100% | 60`: the target whole, then the rest by type
        tail = cols[cols.index("target_unit") + 1:]
        return [("target", values[0]), *((tail[i], v) for i, v in place(values[1:], tail, column_fits, skip_cost))], \
            missing
    if not lossy or len(values) >= len(cols) - optional:
        return list(zip(cols, values, strict=False)), missing
    placed = [(cols[i], v) for i, v in place(values, cols, column_fits, skip_cost)]
    return (placed if placed or not any(values) else None), missing   # None: nothing placed


POINT_COLUMNS = frozenset({"actual", "weight", "score"})
NOT_PLACED: list = []   # a sentinel: placement not computed yet


def points_in_doubt(values: list[str | None], cols: list[str | None],
                    placed: list | None = NOT_PLACED) -> tuple[str, frozenset[str]] | None:
    """The one bare figure of a row that lost cells whose column the types leave open between its
    actual, weight and score (`=100% | 60` under 指标值 … 完成值 | 权重 | 得分): (figure, fields).
    ``placed``: the row's ``placement`` where the caller has it."""
    if placed is NOT_PLACED:
        placed, _ = placement(values, cols)
    if (placed is not None and len(placed) >= len(values)) or len(values) >= len(cols) - (cols[-1:] == ["note"]):
        return None   # nothing left open, or a row short of its trailing note only
    doubt = [(v, frozenset(cols[c] for c in at)) for v, at in zip(
        values, candidates(values, cols, column_fits, skip_cost), strict=True) if len(at) > 1]
    doubt = [(v, f) for v, f in doubt if FIGURE.match(norm_key(v)) and f <= POINT_COLUMNS and f & set(NUMBER_FIELDS)]
    return doubt[0] if len(doubt) == 1 else None


def join_target(parts: dict) -> str | None:
    """指标性质 + 指标值 + 度量单位 -> `≥735人次`; a 指标性质 that names the kind of indicator
    (`定量指标`, 重庆) is not part of the target, nor a unit the value already prints."""
    op = norm_key(parts.get("target_op"))
    if not parts.get("target") and (not op or op in INDICATOR_NATURES or _COMPARATOR.match(op)):
        return None   # a comparator or a unit alone is no target (a merged qualitative target stands in 指标性质)
    if norm_key(parts.get("target_op")) in INDICATOR_NATURES:
        parts = {**parts, "target_op": None}
    if parts.get("target") and parts.get("target_unit") and parts["target"].endswith(parts["target_unit"]):
        parts = {**parts, "target_unit": None}   # `100%` under a 计量单位 of `%`
    return "".join(parts.get(c) or "" for c in TARGET_PARTS) or None


def joined_target_cells(values: list[str | None], cols: list[str | None]) -> int:
    """The cells beyond one that a row's first value, a target printed whole, fills where the header
    splits it into 指标性质 | 指标值 | 度量单位 (`=100%`, run-on text joining them): not cells lost."""
    if not {"target_op", "target_unit"} <= set(cols):
        return 0
    m = _COMPARED_VALUE.match(norm_key(values[0])) if values else None
    return (1 + bool(m["unit"])) if m and m["op"] else 0


_COMPARED_VALUE = regex.compile(f"^(?P<op>{_OPS})?" r"\d+(?:\.\d+)?(?P<unit>\D+)?$")


def merged_target(values: list[str | None], cols: list[str | None]) -> list[tuple] | None:
    """The placement where a qualitative target filled the 指标性质/指标值/度量单位 cells as one."""
    if "target_unit" not in cols or len(values) >= len(cols) - 1:
        return None
    tail = [c for c in cols[cols.index("target_unit") + 1:] if c != "note"]
    head = len(values) - len(tail)
    if head < 1:
        return None
    return [("target", "".join(v for v in values[:head] if v) or None), *zip(tail, values[head:], strict=True)]


def column_fits(col: str | None, value: str | None) -> bool:
    """What the column's type (``[column_types]``) allows; untyped columns hold any text."""
    kind = COLUMN_TYPES.get(col)
    key = norm_key(value)
    if kind is None or not key:
        return True
    return {"number": lambda: is_points(key), "rate": lambda: is_value(key), "yes_no": lambda: key in YES_NO,
            "measured": lambda: key not in MEASURE_UNITS,
            "unit": lambda: all(part in MEASURE_UNITS for part in key.split("/")),
            "nature": lambda: key in INDICATOR_NATURES or bool(_COMPARATOR.match(key))}[kind]()


def skip_cost(col: str | None) -> float:
    return SKIP_COLUMN_COST.get(col, DEFAULT_SKIP_COST)


def fits(placed: list[tuple]) -> bool:
    return all(column_fits(c, v) for c, v in placed)


def row_values(values: list[str | None], cols: list[str | None], glued: bool = False) -> list[str | None]:
    """A row's values with values glued together split where the cut is unique (`100%100%`). In
    run-on text (``glued``) a row short of cells also splits a doubled figure in two equal ones
    (`22`, `1010`: weight and score of a full-marks row, or a target met exactly)."""
    width = sum(1 for c in cols if c and c != "note")
    values = unglue(values, width - len(values), lambda _: True, points_hold)
    room = width - len(values)
    if not glued or room < 1:
        return values
    out: list[str | None] = []
    for value in reversed(values):
        if room > 0 and (half := doubled(value)):
            out += [half, half]
            room -= 1
        else:
            out.append(value)
    out.reverse()
    # the row's last figure above a form's 100 ends in its weight and score (`107` -> 10 | 7;
    # `≥50个 | 5088` -> 50 | 8 | 8): cut into the cells the row lacks, where one cut reads as points
    last = max((n for n, v in enumerate(out) if FIGURE.match(norm_key(v))), default=0)   # a note may follow
    if room > 0 and last > 0 and (cut := overfull_points(out[last], room, out[last - 1])):
        out[last:last + 1] = cut
        room -= len(cut) - 1
    # a target glued to its actual and points (`≤441010` -> ≤4 | 4 | 10 | 10)
    if room > 0 and out and cols and "target" in cols and (cut := met_in_full(out[0], room)):
        out[:1] = cut
        room -= len(cut) - 1
    # a header with 分值 before 年度指标值 glues the weight to the target (`2029.5亩 | 29.5亩` ->
    # 20 | 29.5亩 | 29.5亩): cut where the rest is the actual printed next, the target met exactly
    if room > 0 and len(out) > 1 and cols and cols[0] in NUMBER_FIELDS and (
            cut := leading_points(out[0], out[1], out[-1] if len(out) > 2 else None)):
        out[:1] = cut
    return out


_LEADING_FIGURE = regex.compile(r"^(?P<value>\d+(?:\.\d+)?)(?P<unit>\D+)$")


def leading_points(value: str | None, following: str | None, score: str | None = None) -> list[str] | None:
    """`2029.5亩` before `29.5亩` -> [20, 29.5亩]: points (at most 100), then the value printed next
    (the target met exactly); else, with the row's score, the one cut whose points are that score
    and whose target the actual meets (`595% | 100% | 5` -> 5 | 95%: full marks for a met target)."""
    from pipeline.outcome import printed_outcome

    m = _LEADING_FIGURE.match(norm_key(value))
    if not m:
        return None
    digits = m["value"]
    cuts = [[digits[:k], digits[k:] + m["unit"]] for k in range(1, len(digits))
            if float(digits[:k]) <= MAX_POINTS and _PLAIN.match(digits[k:])]
    exact = [c for c in cuts if c[1] == norm_key(following)]
    if not exact and score is not None:
        exact = [c for c in cuts if c[0] == norm_key(score) and printed_outcome(c[1], following) == MET]
    return exact[0] if len(exact) == 1 else None


_COMPARED_DIGITS = regex.compile(r"^(?P<op>[≥≤<>=＝≧≦═]?)(?P<digits>\d{4,})$")
MET = "met"


def met_in_full(value: str | None, room: int) -> list[str] | None:
    """A target's figures run into the actual, weight and score (`≥2002021010`, `1001001010`):
    the one cut whose actual meets the target and scores full marks (score = weight), the reading
    a met target gives; a missed target is not read."""
    from pipeline.outcome import printed_outcome

    m = _COMPARED_DIGITS.match(norm_key(value))
    if not m or room < 3 or (not m["op"] and float(m["digits"]) <= MAX_POINTS):
        return None
    found = [[m["op"] + c[0], *c[1:]] for c in cuts(m["digits"], 4)
             if points_hold(c[2:]) and c[2] == c[3] != "0" and printed_outcome(m["op"] + c[0], c[1]) == MET]
    return found[0] if len(found) == 1 else None


def is_points(key: str) -> bool:
    """A weight or score: a value no higher than a form's 100 (`20`, `20%`, `—`)."""
    number = key.rstrip("%")
    return is_value(key) and not (FIGURE.match(number) and float(number) > MAX_POINTS)


def is_typed_word(text: str, cols: list[str | None]) -> bool:
    """A cell that can only be the value of one of the header's typed columns (`否`, `%`, `定量指标`)."""
    key = norm_key(text)
    kinds = {COLUMN_TYPES.get(c) for c in cols}
    return (("yes_no" in kinds and key in YES_NO) or ("unit" in kinds and key in MEASURE_UNITS)
            or ("nature" in kinds and key in INDICATOR_NATURES))


def row_cost(name: str, values: list[str | None], cols: list[str | None], at_end: bool) -> float:
    placed, missing = placement(values, cols, lossy=not at_end)
    fields = fields_of(placed)
    cost = ROW_COST
    if is_value(name) or looks_measured(name) or is_typed_word(name, cols):
        cost += NUMBER_AS_NAME_COST
    if _SENTENCE.search(name) or weight_marks(name) > 1:   # a sentence or a list of criteria
        cost += SENTENCE_NAME_COST
    cost += sum(LABEL_AS_VALUE_COST for v in values if v and _INDICATOR_LABEL.match(v))   # `指标2:` opens a row
    cost += sum(FILLER_AS_VALUE_COST for v in values if v and is_placeholder(v))
    cost += sum(BAD_NUMBER_COST for f in NUMBER_FIELDS if not is_value(fields.get(f)))
    # the values must fit the columns they stand in (none fit: every value is out of place)
    misfits = (0 if points_in_doubt(values, cols, placed) else len(values)) if placed is None else sum(
        1 for c, v in placed if c not in NUMBER_FIELDS and not column_fits(c, v))
    cost += TYPE_MISMATCH_COST * misfits
    if missing and not at_end:
        cost += MISSING_CELLS_COST + MISSING_CELL_COST * missing
    return cost


def cut_rows(run: list[dict], cols: list[str | None], truncated: bool) -> list[tuple[dict, list]]:
    """The cut of a run of cells into (name cell, values) rows with the lowest total cost."""
    n, width = len(run), len(cols)
    glued = any(c.get("glued") for c in run)
    best: list[tuple[float, int | None]] = [(0.0, None)] * (n + 1)
    for i in range(n - 1, -1, -1):
        skip = SKIP_TEXT_COST if run[i]["text"] else SKIP_EMPTY_COST
        options = [(skip + best[i + 1][0], None)]
        if run[i]["text"]:
            for m in range(min(width, n - i - 1) + 1):
                values = row_values([c["text"] for c in run[i + 1:i + 1 + m]], cols, glued)
                cost = row_cost(run[i]["text"], values, cols, at_end=truncated and i + 1 + m == n)
                options.append((cost + best[i + 1 + m][0], m))
        best[i] = min(options, key=lambda o: o[0])
    rows, i = [], 0
    while i < n:
        m = best[i][1]
        if m is None:
            i += 1
            continue
        rows.append((run[i], row_values([c["text"] for c in run[i + 1:i + 1 + m]], cols, glued)))
        i += 1 + m
    return rows
