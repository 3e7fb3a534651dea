"""Figures OCR read unsurely, decided by the form's own arithmetic.

A form's item scores add up to its 总分 and its item weights to the total weight. Where OCR read
a score or weight with a confidence below ``LOW_CONF``: if the figures as read add up, they
stand; if exactly one is unsure and the total was read surely, the total minus the others
decides it, provided that reading differs from what OCR saw in one character at most (a misread
digit); otherwise the unsure figure is left null. Each decision is noted on the item
(``ocr_note``: what was read, with what confidence, and what became of it); the decision is the
item's ``<field>_read`` (the reading ``pipeline.tables`` takes the value from, None for null) and
the text as OCR read it stays the raw column.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from parsers.blocks import Block
from parsers.ocr_doubt import OcrCells
from parsers.readers.ocr import LOW_CONF
from parsers.vocabulary import FUND_TOTAL_LINES

# item field -> the form field its values add up to, and the field's name on the form
SUMS = {"score": ("total_score", "得分"), "weight": ("total_weight", "分值")}


def decide_unsure_figures(forms: list[dict], blocks: list[Block]) -> None:
    """Settle the unsure OCR figures of every form (in place); text input is left alone."""
    cells = OcrCells(blocks)
    if not cells:
        return
    for form in forms:
        for field, (total_field, label) in SUMS.items():
            decide(form, field, total_field, label, cells)


def confidence(value: str | None, lines: list[int | None], cells: OcrCells) -> float:
    """How surely OCR read ``value`` on the first of ``lines`` that has it (1.0 when not read by OCR)."""
    conf = cells.value_conf(value, [n for n in lines if n is not None]) if value else None
    return 1.0 if conf is None else conf


def number(text: str | None) -> Decimal | None:
    try:
        return Decimal(text.strip()) if text else None
    except InvalidOperation:
        return None


def decide(form: dict, field: str, total_field: str, label: str, cells: OcrCells) -> None:
    items = [i for i in form["items"] if i.get(field)]
    total = number(form.get(total_field))
    unsure = [i for i in items if confidence(i[field], [i["source_line"]], cells) < LOW_CONF]
    if not unsure or total is None:
        return
    values = [number(i[field]) for i in items]
    rest = total - budget_part(form, field)  # 总分 counts the budget-execution line's weight and score
    if None not in values and sum(values) == rest:
        return  # the figures as read add up: the arithmetic confirms them
    after_items = [line for line in sorted(cells.by_line) if line > max(i["source_line"] or 0 for i in items)]
    if len(unsure) == 1 and confidence(form[total_field], after_items, cells) >= LOW_CONF:
        item = unsure[0]
        others = [v for i, v in zip(items, values, strict=True) if i is not item]
        if None not in others and fits(item[field], rest - sum(others)):
            decided = str(rest - sum(others))
            return settle(item, field, label, cells, decided, f"set to {decided} by the form's total")
    for item in unsure:
        settle(item, field, label, cells, None, "unsure, left null")


def budget_part(form: dict, field: str) -> Decimal:
    """The weight or score of the form's budget-execution (资金总额) line, 0 where it has none."""
    total = next((f for f in form["funds"] if f["line"] in FUND_TOTAL_LINES), {})
    return number(total.get(field)) or Decimal(0)


def fits(read: str, decided: Decimal) -> bool:
    """The decided figure could be what OCR misread: not negative, and one character apart."""
    text = str(decided)
    return decided >= 0 and len(text) == len(read) and sum(a != b for a, b in zip(text, read, strict=True)) <= 1


def settle(item: dict, field: str, label: str, cells: OcrCells, value: str | None, how: str) -> None:
    conf = confidence(item[field], [item["source_line"]], cells)
    note = f"{label} read as {item[field]} (confidence {conf:.2f}): {how}"
    item["ocr_note"] = "; ".join(filter(None, (item.get("ocr_note"), note)))
    item[f"{field}_read"] = value  # the reading the value is taken from; the text as OCR read it stays raw
