"""区域绩效目标自评表 prints its budget as labelled amounts, two columns side by side (资金情况 |
资金使用情况), not as a table with a header (x16, 四川 普惠金融发展专项资金). The same block reads
the same from run-on text, pipes and an HTML grid."""
from __future__ import annotations

import pytest

from parsers.recognizers.labelled_funds import labelled_funds, section_at
from pipeline.ingest import detect_layout
from pipeline.parse import parse_document
from tests.test_structure_first import page_text

ROWS = [["区域绩效目标自评表"], ["专项名称", "普惠金融发展专项资金", "省级主管部门", "四川省财政厅"],
        ["资金情况(万元)", "年度金额(提前下达):", "208万元", "资金使用情况(万元)", "合计:", "109.8万元"],
        ["", "中央财政", "165万元", "", "中央财政", "84.5万元"], ["", "省级财政", "43万元", "", "省级财政", "25.3万元"],
        ["一级指标", "二级指标", "三级指标", "指标值", "完成值", "权重", "得分"],
        ["产出指标", "数量指标", "创业担保贷款发放额增长率", "≥10%", "115.25%", "20%", "20"]]
WANT = [("年度资金总额", "208万元", "109.8万元"), ("中央财政资金", "165万元", "84.5万元"),
        ("地方资金", "43万元", "25.3万元")]


def funds_of(doc: dict) -> list[tuple]:
    (form,) = parse_document(doc)["forms"]
    return [(f["line"], f["budget_full_year"], f["executed"]) for f in form["funds"]]


def test_the_real_run_on_page_reads_its_budget_and_spending():
    text = page_text("real2/x16")
    assert funds_of({"format": "txt", "layout": detect_layout(text), "text": text}) == WANT


@pytest.mark.parametrize("style", ["pipes", "html"])
def test_the_block_reads_the_same_as_a_table(style):
    if style == "pipes":
        text = "\n".join(" | ".join(row) + " |" for row in ROWS)
        doc = {"format": "txt", "layout": detect_layout(text), "text": text}
    else:
        html = "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in ROWS) + "</table>"
        doc = {"format": "html", "layout": None, "text": html, "data": html.encode()}
    assert funds_of(doc) == WANT


def test_amounts_need_their_section_label():
    texts = ["年度金额:", "208万元", "合计:", "109.8万元"]
    assert section_at(texts) is None
    assert labelled_funds(["资金情况(万元)", "年度金额:208万元"]) == [
        {"line": "年度资金总额", "budget_initial": None, "budget_full_year": "208万元", "executed": None,
         "weight": None, "rate": None, "score": None}]
