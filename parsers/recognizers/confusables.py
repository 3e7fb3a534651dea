"""Letters printed (or OCR'd) inside a number: `1O0`, `I5`, `2O`. A letter is read as the digit it
looks like only where the form's own arithmetic confirms that reading: the items' scores (or
weights), with the budget line's where the total counts it, then add up to the printed total, and
no score exceeds its weight. Otherwise the value
stays null; the printed text is kept either way (``*_raw`` columns)."""
from __future__ import annotations

import regex

from parsers.vocabulary import FUND_TOTAL_LINES

LOOKALIKES = str.maketrans({"O": "0", "o": "0", "〇": "0", "D": "0", "I": "1", "l": "1", "|": "1", "S": "5",
                            "Z": "2", "B": "8"})
_NUMBER = regex.compile(r"^\d+(?:\.\d+)?$")
TOLERANCE = 0.005
FIELDS = ("weight", "score")
TOTALS = {"weight": "total_weight", "score": "total_score"}


def digit_reading(text: str | None) -> str | None:
    """`1O0` -> `100`; None when the text is a number already or does not read as one."""
    if not text or _NUMBER.match(text):
        return None
    reading = text.translate(LOOKALIKES)
    return reading if _NUMBER.match(reading) else None


def number(text: str | None) -> float | None:
    return float(text) if text and _NUMBER.match(text) else None


def confirm_lookalikes(form: dict) -> None:
    """Set ``<field>_read`` on the items whose printed weight/score reads as a number only through
    look-alike letters, where the form's sums confirm it."""
    for field in FIELDS:
        readings = {n: r for n, item in enumerate(form["items"]) if (r := digit_reading(item[field]))}
        total = number(form[TOTALS[field]])
        if not readings or total is None:
            continue
        values = [number(readings.get(n, item[field])) for n, item in enumerate(form["items"])]
        execution = number(next((f.get(field) for f in form["funds"] if f["line"] in FUND_TOTAL_LINES), None))
        sums = {sum(values)} | ({sum(values) + execution} if execution is not None and None not in values else set())
        if None in values or all(abs(s - total) > TOLERANCE for s in sums):
            continue
        if field == "score" and any(v > (number(i["weight"]) or float("inf")) + TOLERANCE
                                    for v, i in zip(values, form["items"], strict=True)):
            continue
        for n, reading in readings.items():
            form["items"][n][f"{field}_read"] = reading
