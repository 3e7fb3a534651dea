"""Numbers as counties print them: a weight as `20%` or `20分`, an amount with its unit (`150万`),
comparators `≧ ≦ ═`, full-width digits, and a letter inside a number (`2O`), read as a digit only
where the form's own sums confirm it."""
from __future__ import annotations

import pytest

from pipeline.ingest import detect_layout
from pipeline.normalize import parse_measure, to_points, to_yuan
from pipeline.parse import parse_document
from pipeline.tables import document_tables
from tests.conftest import RAW, XIANGSHAN

SCORE_ROW = "\t指标1：召开会议次数\n\t≥1\n\t100%\n\t20\n\t20\n"   # 000's first indicator: weight 20, score 20


@pytest.mark.parametrize(("printed", "points"), [("20", 20.0), ("20%", 20.0), ("20分", 20.0), ("２０", 20.0),
                                                 ("—", None), ("12,55", None)])
def test_points_as_printed(printed, points):
    assert to_points(printed) == points


@pytest.mark.parametrize(("printed", "unit", "yuan"), [("150万", "万元", 1_500_000.0), ("125.25万", None, 1_252_500.0),
                                                       ("1,200元", "万元", 1200.0), ("3.36", "万元", 33_600.0)])
def test_amounts_printed_with_their_unit(printed, unit, yuan):
    assert to_yuan(printed, unit) == yuan


@pytest.mark.parametrize(("printed", "op"), [("≧735人次", "≥"), ("≦12个月", "≤"), ("═100%", "="), ("＝100%", "=")])
def test_comparators_as_printed(printed, op):
    assert parse_measure(printed)["op"] == op


def first_indicator(text: str) -> dict:
    doc = {"doc_id": "0" * 16, "source_path": "x.txt", "region": None, "org_unit": None, "fiscal_year": None,
           "format": "txt", "layout": detect_layout(text), "text": text}
    return document_tables(doc, parse_document(doc))["indicators"][0]


def sample() -> str:
    path = RAW / XIANGSHAN
    if not path.exists():
        pytest.skip(f"{XIANGSHAN} is not present")
    text = path.read_text(encoding="utf-8-sig")
    assert SCORE_ROW in text
    return text


def test_a_letter_in_a_score_is_a_digit_where_the_total_confirms_it():
    row = first_indicator(sample().replace(SCORE_ROW, SCORE_ROW.replace("\t20\n\t20\n", "\t20\n\t2O\n"), 1))
    assert (row["score_raw"], row["score"]) == ("2O", 20.0)


def test_a_letter_in_a_score_stays_null_where_the_total_does_not_confirm_it():
    row = first_indicator(sample().replace(SCORE_ROW, SCORE_ROW.replace("\t20\n\t20\n", "\t20\n\t1O\n"), 1))
    assert row["score_raw"] == "1O" and row["score"] is None
