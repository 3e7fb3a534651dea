"""Figures stated in words (parsers.recognizers.statements), on text cut from 安岳县's 自评报告 and
its 部门整体支出绩效自评计分表 (003), wrapped as printed."""
from __future__ import annotations

from parsers.flow_lines import read_lines
from parsers.recognizers.statements import bare_formula, find_statements, statements_in

REPORT = """2023 年度整体支出绩效自评报告
（二）部门财政资金支出情况。2023 年度，实现支出 1253.19
万元。
按支出性质和经济分类分，基本支出实现 606.85 万元（其
中人员支出 573.32 万元，日常公用经费支出 33.53 万元），项
目支出 646.33 万元。
按功能分类，一般公共服务支出 1044.48 万元，社会保障和
就业支出 147.01 万元，卫生健康支出 59.67 万元，巩固脱贫攻
坚成果衔接乡村振兴支出 2.02 元，住房保障支出 38.18 万元。
（3）支付进度率（2分）
2023年本单位 1-3月支付进度率为 50.97%，1-6支付进度率
为 64.32%，1-9 月支付进度率为 80.99%，1-12 支付进度率为
100%，符合序时支付进度。根据评分标准，该项自评得 2分。
安岳县 2023年度部门整体支出绩效自评计分表
2023年本单位在职人
员控制率=（24/21）
x100%=114.29%，大于
1，但有 4人属于单列
编制，未超三定方案既
定人数。故得 5分。
"""


def stated(text: str) -> list[tuple]:
    return [(s["figure"], s["qualifier"], s["value_raw"], s["unit"], s["group"], s["source_line"])
            for s in find_statements(read_lines(text))]


def test_report_and_scoring_sheet_figures_with_their_lines():
    assert stated(REPORT) == [
        ("支出合计", None, "1253.19", "万元", None, 2),
        ("基本支出", None, "606.85", "万元", None, 4),
        ("人员支出", None, "573.32", "万元", None, 5),
        ("日常公用经费支出", None, "33.53", "万元", None, 5),
        ("项目支出", None, "646.33", "万元", None, 5),
        ("一般公共服务支出", None, "1044.48", "万元", "按功能分类", 7),
        ("社会保障和就业支出", None, "147.01", "万元", "按功能分类", 7),
        ("卫生健康支出", None, "59.67", "万元", "按功能分类", 8),
        ("巩固脱贫攻坚成果衔接乡村振兴支出", None, "2.02", "元", "按功能分类", 8),
        ("住房保障支出", None, "38.18", "万元", "按功能分类", 9),
        ("支付进度率", "1-3月", "50.97", "%", None, 11),
        ("支付进度率", "1-6月", "64.32", "%", None, 11),
        ("支付进度率", "1-9月", "80.99", "%", None, 12),
        ("支付进度率", "1-12月", "100", "%", None, 12),
        ("在职人员控制率", None, "114.29", "%", None, 15),
    ]


def test_each_statement_knows_its_part_and_formula():
    found = find_statements(read_lines(REPORT))
    assert {s["part"] for s in found[:14]} == {"2023 年度整体支出绩效自评报告"}
    assert (found[-1]["part"], found[-1]["part_line"]) == ("安岳县 2023年度部门整体支出绩效自评计分表", 14)
    assert found[-1]["computed"] == 24 / 21


def test_a_note_without_a_label_gives_its_formula():
    assert bare_formula("（101.72/102）×100%≈100%") == 101.72 / 102
    assert bare_formula("根据财政拨款进度，资金到位有所迟缓") is None
    assert statements_in("预算调整率=（1.78/818.04）x100%=0.22%。故得1.99分。")[0]["computed"] == 1.78 / 818.04


def test_digits_of_two_cells_run_together_are_no_rate():
    """x06 (a run-on table dump): 预算完成率 | 5 | 100%计满分 reads as 5100%."""
    assert stated("过程61预算执行20预算完成率5100%计满分") == []
