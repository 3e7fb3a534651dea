"""Printed precision: what a printed figure tells about the value behind it.

A figure printed as ``99.73%`` stands for any value that rounds to it, 99.725% to 99.735%: half a
unit of its last printed digit either way. Checks compare intervals built this way, so rounding
never raises an alarm and no blanket tolerance hides a real error.

Conventions (they are the rules of the checks; tests pin them):
- Money: half a unit of the last printed decimal, and at most half a fen of the printed unit's
  customary two decimals: spreadsheets drop trailing zeros, so ``55`` beside ``12.55`` (万元) is
  55.00 ± 0.005, while ``10.368`` keeps its ± 0.0005. Where every amount a check reads is a
  whole number and the break would vanish if they were read at their own precision (``55`` =
  54.5..55.5: sheets formatted to whole 万元), the check says so and the finding is only info.
- Rates: half a unit of the last printed decimal of the percentage (``100%`` is ± 0.5 points).
- One amount printed twice on the same grid must read the same, and an amount no larger than
  another cannot print larger on the same grid: rounding is a monotone function.
- Scores and weights are assigned, not measured: an integer score or weight is exact. A score
  printed with decimals, or one derived by a formula and printed rounded, gets half a unit.
All arithmetic is in ``Decimal`` on the printed digits, so an edge case lands exactly on its edge.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

import regex

from parsers.vocabulary import MONEY_UNITS

MONEY_DECIMALS = 2
_money_decimals: ContextVar[int] = ContextVar("money_decimals", default=MONEY_DECIMALS)
_decimals_seen: ContextVar[list[bool] | None] = ContextVar("decimals_seen", default=None)
_NUMBER = regex.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Printed:
    """A printed figure: its value and half the unit of its last printed digit."""
    value: Decimal
    half: Decimal
    text: str

    @property
    def lo(self) -> Decimal:
        return self.value - self.half

    @property
    def hi(self) -> Decimal:
        return self.value + self.half


def clean_number(text: str | None) -> str:
    """NFKC, no whitespace, no thousands separators: `1,242.81 ` -> `1242.81`."""
    if text is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).replace(",", "")


def decimals_of(digits: str) -> int:
    return len(digits.partition(".")[2])


def half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-(decimals + 1))


def from_float(value: float) -> Decimal:
    """The decimal a float was parsed from. Floats computed on the way (99.93 / 100 =
    0.9993000000000001) are cut back to 10 decimals, far below any printed precision."""
    return Decimal(repr(round(float(value), 10))).normalize()


def money(raw: str | None) -> Printed | None:
    """A printed amount, in the unit it is printed in (`12.55` -> 12.55 ± 0.005)."""
    s = clean_number(raw)
    if not _NUMBER.fullmatch(s):
        return None
    if (seen := _decimals_seen.get()) is not None:
        seen.append(decimals_of(s) > 0)
    return Printed(Decimal(s), half_unit(max(decimals_of(s), _money_decimals.get())), str(raw).strip())


@contextmanager
def whole_numbers_as_printed() -> Iterator[None]:
    """Within: money printed without decimals is read at its own precision (``55`` ± 0.5)."""
    token = _money_decimals.set(0)
    try:
        yield
    finally:
        _money_decimals.reset(token)


@contextmanager
def noting_decimals() -> Iterator[list[bool]]:
    """Within: each money figure read notes whether it was printed with decimals (a table that
    prints some amounts with decimals is not formatted to whole units)."""
    seen: list[bool] = []
    token = _decimals_seen.set(seen)
    try:
        yield seen
    finally:
        _decimals_seen.reset(token)


def money_from_yuan(yuan: float | None, unit: str | None) -> Printed | None:
    """Fallback when only the normalized yuan value is at hand: back to the printed unit."""
    if yuan is None or unit not in MONEY_UNITS:
        return None
    value = (from_float(yuan) / from_float(MONEY_UNITS[unit])).normalize()
    text = format(value, "f")
    return money(text)


def rate(raw: str | None) -> Printed | None:
    """A printed percentage as a fraction: `62.75%` -> 0.6275 ± 0.00005."""
    s = clean_number(raw)
    if not s.endswith("%") or not _NUMBER.fullmatch(s[:-1]):
        return None
    digits = s[:-1]
    return Printed(Decimal(digits) / 100, half_unit(decimals_of(digits)) / 100, str(raw).strip())


def score(value: float | None, rounded: bool = False) -> Printed | None:
    """A printed score or weight (read back from its float). Integers are exact unless the
    figure is the rounded result of a formula (``rounded``)."""
    if value is None:
        return None
    digits = format(from_float(value), "f")
    n = decimals_of(digits)
    half = half_unit(n) if (n or rounded) else Decimal(0)
    return Printed(Decimal(digits), half, digits)


def measure(raw: str | None, value: float | None) -> Printed | None:
    """A parsed target/actual (`99%` -> 0.99): half a unit of the number as printed, scaled
    like the value was (percent -> fraction, 万元 -> 元)."""
    if raw is None or value is None:
        return None
    m = _NUMBER.search(clean_number(raw))
    if not m:
        return None
    number, exact = Decimal(m[0]), from_float(value)
    scale = exact / number if number else (Decimal("0.01") if "%" in raw else Decimal(1))
    return Printed(exact, half_unit(decimals_of(m[0])) * abs(scale), str(raw).strip())


def total(figures: list[Printed]) -> Printed:
    """The sum of printed figures, with the sum of their uncertainties."""
    value = sum((f.value for f in figures), Decimal(0))
    return Printed(value, sum((f.half for f in figures), Decimal(0)), show(value))


def ratio(num: Printed, den: Printed) -> tuple[Decimal, Decimal] | None:
    """The interval of num/den given both figures' uncertainty; None when den may be 0."""
    if den.lo <= 0:
        return None
    lo, hi = max(num.lo, Decimal(0)) / den.hi, num.hi / den.lo
    return lo, hi


Verdict = tuple[Decimal, Decimal, Decimal]  # (deviation, tolerance, gap)


def compare(observed: Printed, lo: Decimal, hi: Decimal) -> Verdict:
    """An observed figure against an expected interval: how far apart their middles are
    (deviation), how far printed precision lets them be (tolerance), and by how much the two
    intervals miss each other (gap; <= 0 when they touch or overlap, so the check holds)."""
    mid, spread = (lo + hi) / 2, (hi - lo) / 2
    gap = max(lo - observed.hi, observed.lo - hi)
    return abs(observed.value - mid), observed.half + spread, gap


def excess(deviation: Decimal, tolerance: Decimal = Decimal(0)) -> Verdict:
    """A one-sided or exact check: the deviation beyond the tolerance is the gap."""
    return deviation, tolerance, deviation - tolerance


def same_amount(observed: Printed, other: Printed) -> Verdict:
    """Two printings of one amount. Rounded to the same grid they must read alike (rounding is a
    function of the value); on different grids their intervals must meet."""
    if observed.half == other.half:
        return excess(abs(observed.value - other.value))
    return compare(observed, other.lo, other.hi)


def at_most(small: Printed, large: Printed) -> Verdict:
    """small <= large. On the same grid rounding keeps order, so the printed figures must keep
    it too; on different grids the two half units may make up the difference."""
    over = max(Decimal(0), small.value - large.value)
    return excess(over, Decimal(0) if small.half == large.half else small.half + large.half)


def as_float(value: Decimal) -> float:
    """Rounded far below any printed precision (an edge computed exactly stays on its edge)."""
    return float(value.quantize(Decimal("1e-12")))


def show(value: Decimal | float | None, places: int | None = None) -> str:
    """A Decimal as plain text without exponent or trailing zeros (`12.5500` -> `12.55`)."""
    if value is None:
        return ""
    d = value if isinstance(value, Decimal) else from_float(value)
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places))
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


def show_rate(value: Decimal, places: int = 2) -> str:
    """A fraction as a percentage: 0.938483 -> `93.85%`."""
    return show(value * 100, places) + "%"
