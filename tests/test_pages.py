"""Pages ready to publish: what they say about themselves (date, tool, coverage, links), the
unit sections and their anchors, deviation and tolerance in print, English labels, and what the
summary page does with many units."""
from __future__ import annotations

from html import escape

import pandas as pd

from pipeline.publish import colophon, generated_on, tool_version, unit_anchor
from pipeline.report import _top_units, render_charts
from pipeline.report_html import marked, render
from pipeline.summarize import prepare, projects_of, unit_rows
from tests.summary_frames import frames, synthetic_rows

DOCUMENTS = [
    {"doc_id": "a" * 16, "source_path": "相山区/自评.txt", "status": "ok", "error": None},
    {"doc_id": "b" * 16, "source_path": "扫描件.pdf", "status": "unsupported", "error": "needs OCR"},
    {"doc_id": "c" * 16, "source_path": "坏文件.pdf", "status": "failed", "error": "damaged: no pages"},
    {"doc_id": "d" * 16, "source_path": "半份.txt", "status": "partial", "error": "未识别的表"},
]
ANOMALY = {
    "anomaly_id": "aaaaaaaaaaaaaaaa-rate_formula-1234abcd", "rule_id": "rate_formula", "severity": "error",
    "doc_id": "a" * 16, "eval_id": "aaaaaaaaaaaaaaaa-002", "region": "相山区", "org_unit": "相山区人大办公室",
    "fiscal_year": 2023, "project": "区人大代表履职经费", "field": "年度资金总额", "observed": "100%",
    "expected": "52.48/55.92 = 93.85%", "deviation": 0.06152, "tolerance": 0.005173,
    "message_zh": "年度资金总额执行率印为 100%，按表中数字计算为 52.48/55.92 = 93.85%",
    "message_en": "The 年度资金总额 execution rate is printed as 100%, but the form's own figures give 93.85%",
    "evidence": "rebuilt", "source_path": "相山区/自评.txt", "url": "https://www.example.gov.cn/a.html",
    "source_page": None, "source_line": 1618, "evidence_source": "第1624行 line 1624: 100%",
    "evidence_cells": '[{"line": 1624, "match": "100%"}]', "evidence_images": None,
    "review_decision": "explained", "review_note": "调整预算后执行率按调整数计", "reviewer": "王",
    "review_date": "2024-05-31",
}


def test_colophon_says_when_with_what_and_what_was_not_checked(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717113600")
    assert generated_on() == "2024-05-31 00:00 UTC"
    html = colophon(DOCUMENTS, "anomalies", "zh")
    assert '<a href="summary.html">单位对比 Unit comparison</a>' in html
    assert '<a href="anomalies.csv">异常清单 CSV Anomalies as CSV</a>' in html and 'href="anomalies.html"' not in html
    assert "2024-05-31 00:00 UTC" in html and tool_version() in html and tool_version().startswith("jixiao ")
    assert "4 files read" in html and "1 读取失败 failed，1 不支持 unsupported，1 部分识别 partly understood" in html
    for d in DOCUMENTS[1:]:
        assert d["source_path"] in html and d["error"] in html
    assert "相山区/自评.txt" not in html


def test_anomalies_page_is_ready_to_publish(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717113600")
    page = render([ANOMALY], DOCUMENTS)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media (max-width:760px)" in page and "@media print" in page
    assert '<a href="https://www.example.gov.cn/a.html">相山区/自评.txt</a>' in page
    assert "偏差 deviation 0.06152 · 容差 tolerance 0.005173" in page  # printed, not only on hover
    anchor = unit_anchor("相山区", "相山区人大办公室", 2023)
    assert f'<section class="unit" id="{anchor}">' in page and f'href="#{anchor}"' in page
    assert '<tr class="row error" id="aaaaaaaaaaaaaaaa-rate_formula-1234abcd"' in page
    assert "第1624行 line 1624: <mark>100%</mark>" in page
    assert '<span class="review explained">有合理解释 explained</span>：调整预算后执行率按调整数计' in page


def test_english_page_has_english_labels_and_keeps_chinese_names():
    page = render([ANOMALY], DOCUMENTS, lang="en")
    assert '<html lang="en">' in page
    assert escape(ANOMALY["message_en"]) in page and ANOMALY["message_zh"] not in page
    for zh in ("级别", "规则", "证据", "出处", "偏差", "全部级别", "有合理解释"):
        assert zh not in page, zh
    for en in ("Severity", "Evidence", "deviation 0.06152", "explained", "4 files read"):
        assert en in page, en
    assert "区人大代表履职经费" in page and "相山区人大办公室" in page  # names stay as printed


def test_unit_anchors_agree_whatever_the_year_type():
    assert unit_anchor("甲县", "甲县财政局", 2023) == unit_anchor("甲县", "甲县财政局", 2023.0)
    assert unit_anchor("甲县", "甲县财政局", 2023) != unit_anchor("甲县", "甲县财政局", 2022)
    assert unit_anchor(None, "甲县财政局", float("nan")) == unit_anchor(None, "甲县财政局", None)


def many_units(n: int) -> dict:
    tables = frames(synthetic_rows([(f"{i:03d}县", f"{i:03d}县财政局", 2023) for i in range(n)], projects=1))
    return prepare(tables)


def test_summary_links_units_to_their_sections_and_sorts_with_a_frozen_column(monkeypatch):
    from pipeline.report import render_html

    tables = many_units(12)
    projects = projects_of(tables)
    page = render_html(unit_rows(tables, projects), projects, tables)
    anchor = unit_anchor("005县", "005县财政局", 2023)
    assert f'<a href="#{anchor}">005县财政局（2023）</a>' in page
    assert f'<details class="unit" id="{anchor}">' in page
    assert 'class="cmp sortable frozen"' in page and 'class="projects sortable frozen"' in page
    assert "function sortTable" in page and '<meta name="viewport"' in page
    assert 'data-sort="0.8"' in page  # execution rate sorted by value, not by its printed text


def test_many_units_aggregate_instead_of_a_bar_each():
    counts = pd.DataFrame({"score_total": range(40), "rate_formula": [1] * 40},
                          index=[f"单位{i}" for i in range(40)])
    top = _top_units(counts)
    assert len(top) == 25
    assert list(top.index[:2]) == ["单位39", "单位38"]
    assert top.index[-1] == "其余 16 个单位（平均）Other 16 units, mean"
    assert top.iloc[-1]["score_total"] == sum(range(16)) / 16 and top.iloc[-1]["rate_formula"] == 1
    assert _top_units(counts.head(10)).equals(counts.head(10))


def test_quality_chart_for_many_units_shows_the_spread_not_a_bar_per_unit(monkeypatch):
    drawn = []
    monkeypatch.setattr("pipeline.report._indicator_quality_spread", lambda units: drawn.append(len(units)) or "x")
    tables = many_units(30)
    projects = projects_of(tables)
    units = pd.DataFrame(unit_rows(tables, projects))
    units["unit_label"] = units["org_unit"]
    projects["unit_label"] = projects["org_unit"]
    charts = render_charts(units, projects, None)
    assert charts["indicator_quality"] == "x" and drawn == [30]
    assert charts["execution_vs_score"].startswith("data:image/png;base64,")


def test_quotes_mark_the_cited_figures_only_in_the_text_and_only_whole():
    assert marked("p.17 第173行 line 173: 合计 | 97 | 7分", ["97", "7"]) == \
        "p.17 第173行 line 173: 合计 | <mark>97</mark> | <mark>7</mark>分"
    assert marked("第20行 line 20: 拨付 <b>250.2</b> 万元", ["250.2", "50"]) == \
        "第20行 line 20: 拨付 &lt;b&gt;<mark>250.2</mark>&lt;/b&gt; 万元"
