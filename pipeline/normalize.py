"""Normalize printed values: money to yuan, rates to fractions, targets to op/value/unit.

Every function takes the printed text and returns typed values; the caller keeps the text
beside them. Unparseable text gives None, never 0; so does a number out of range (a 400-digit
cell is not a score), and a comma that is not a thousands separator (`12,55` is not 1255).
"""
from __future__ import annotations

import math
import unicodedata

import regex

from parsers.vocabulary import COMPARATORS, MEASURE_UNITS, MONEY_UNITS

# Comparators as printed -> contract op (template data: common.toml [comparators]).
OPS: dict[str, str] = COMPARATORS
# Trailing words that carry the comparator: `1年以内` is `≤1年`.
SUFFIX_OPS: dict[str, str] = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤"}
# Units a measured value may carry (a compound like 元/人/月 is made of these): template data.
UNITS = MEASURE_UNITS
_RANGE = regex.compile(r"^(?P<a>-?\d+(?:\.\d+)?)\s*(?P<ua>[^\d~～\-—至]*)\s*(?:~|～|-|—|至)\s*"
                       r"(?P<b>-?\d+(?:\.\d+)?)\s*(?P<u>.*)$")
_NUMBER = regex.compile(r"^(?P<n>-?\d+(?:\.\d+)?)\s*(?P<u>.*)$")
_THOUSANDS = regex.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")  # `1,242.81`, `1，000`: not `12,55`
MAX_MAGNITUDE = 1e15  # no printed amount, weight or score reaches this: a value beyond is a broken cell
# What a form prints for "nothing here": no number, and nothing to report either.
_PLACEHOLDER = regex.compile(r"[-—–－~/／\\、.。*×xX]*|无|空|暂无|不适用")


def _clean(text: str | None) -> str:
    if text is None:
        return ""
    return _THOUSANDS.sub("", "".join(unicodedata.normalize("NFKC", text).split()))


def in_range(value: float | None) -> float | None:
    """The value, or None for one no printed figure can be (inf, nan, beyond MAX_MAGNITUDE)."""
    return value if value is not None and math.isfinite(value) and abs(value) < MAX_MAGNITUDE else None


def to_number(text: str | None) -> float | None:
    """`1,242.81` -> 1242.81; anything that is not just a number in range -> None."""
    m = regex.fullmatch(r"-?\d+(?:\.\d+)?", _clean(text))
    return in_range(float(m[0])) if m else None


def is_placeholder(text: str | None) -> bool:
    """Empty, or a dash, slash or 无 standing for no value."""
    return bool(_PLACEHOLDER.fullmatch(_clean(text)))


_AMOUNT = regex.compile(r"^(?P<n>-?\d+(?:\.\d+)?)(?P<u>" + "|".join(sorted(MONEY_UNITS, key=len, reverse=True)) + ")?$")


POINT_SUFFIXES = ("分", "%")   # `20分`; `20%` where a weight is printed as its share of 100 points


def to_points(text: str | None) -> float | None:
    """A weight or score as printed (`20`, `20分`, `20%`) -> 20.0."""
    s = _clean(text)
    for suffix in POINT_SUFFIXES:
        s = s.removesuffix(suffix)
    return to_number(s)


def to_yuan(text: str | None, unit: str | None) -> float | None:
    """A printed amount in ``unit`` (万元, 百元, 元) as yuan rounded to the fen; an amount printed
    with its own unit (`150万`, `1,200元`) is in that unit."""
    m = _AMOUNT.match(_clean(text))
    value, unit = (in_range(float(m["n"])), m["u"] or unit) if m else (None, unit)
    if value is None or unit not in MONEY_UNITS:
        return None
    return round(value * MONEY_UNITS[unit], 2)


def to_rate(text: str | None) -> float | None:
    """`62.75%` -> 0.6275. A bare number is taken as printed percent only with a % sign, except
    zero, which is 0 whatever the unit (`执行率 0`)."""
    s = _clean(text)
    if to_number(s) == 0:
        return 0.0
    if not s.endswith("%"):
        return None
    value = to_number(s[:-1])
    return None if value is None else round(value / 100.0, 10)


def is_unit(unit: str) -> bool:
    return unit == "" or unit in UNITS or all(part in UNITS for part in unit.split("/"))


def scale_unit(value: float, unit: str) -> tuple[float, str | None]:
    """Rates to fractions, money to yuan; other units unchanged ('' -> None)."""
    if unit == "%":
        return round(value / 100.0, 10), "%"
    head, _, rest = unit.partition("/")
    if head in MONEY_UNITS:
        return round(value * MONEY_UNITS[head], 2), "元" + (f"/{rest}" if rest else "")
    return value, unit or None


def parse_measure(text: str | None) -> dict | None:
    """`≥30次` -> {op: ≥, value: 30, value_max: None, unit: 次}; qualitative text -> None."""
    s = _clean(text)
    op = None
    for word in sorted(OPS, key=len, reverse=True):
        if s.startswith(word):
            op, s = OPS[word], s[len(word):]
            break
    for word in sorted(SUFFIX_OPS, key=len, reverse=True):
        if s.endswith(word) and op is None:
            op, s = SUFFIX_OPS[word], s[: -len(word)]
            break
    if m := _RANGE.match(s):
        unit = m["u"] or m["ua"]
        if is_unit(unit) and op is None:
            low, unit_out = scale_unit(float(m["a"]), unit)
            high, _ = scale_unit(float(m["b"]), unit)
            if in_range(low) is None or in_range(high) is None:
                return None
            return {"op": "~", "value": low, "value_max": high, "unit": unit_out}
    m = _NUMBER.match(s)
    if not m or not is_unit(m["u"]) or in_range(float(m["n"])) is None:
        return None
    value, unit = scale_unit(float(m["n"]), m["u"])
    return {"op": op or "=", "value": value, "value_max": None, "unit": unit}
