"""The text styles of real disclosures (../shared/corpus/real): layout detection, readers and
the flat-form recognizer, checked against gold values."""
from __future__ import annotations

import pytest

from parsers.readers.paragraph_cells import read_paragraph_cells
from parsers.readers.pipe_cells import line_cells, read_pipe_cells
from parsers.readers.spaced_cells import read_spaced_cells
from parsers.recognizers import recognize
from pipeline.ingest import detect_layout
from pipeline.parse import TEXT_READERS
from tests.conftest import ROOT, real_text


@pytest.mark.parametrize("name, layout", [
    ("r01.txt", "pipe_cells"), ("r02.txt", "pipe_cells"), ("r03.txt", "spaced_cells"),
    ("r04.txt", "paragraph_cells"), ("r05.txt", "pipe_cells"), ("r06.txt", "pipe_cells"),
    ("r07.txt", "pipe_cells"), ("r08.txt", "prose"),
])
def test_layout_of_real_pages(name, layout):
    assert detect_layout(real_text(name)) == layout


def test_samples_keep_their_layouts():
    assert detect_layout((ROOT / "raw/000_62b89d3619706223.txt").read_text(encoding="utf-8")) == "cell_lines"
    assert detect_layout((ROOT / "raw/003_78bee95101de8744.txt").read_text(encoding="utf-8")) == "flow_text"


def test_pipe_line_styles():
    assert line_cells("| 年初预算数 | 全年预算数 |", bordered=True) == ["年初预算数", "全年预算数"]
    assert line_cells("年度资金总额 | 329.77 | ||", bordered=False) == ["年度资金总额", "329.77", "", ""]
    assert line_cells("|", bordered=False) == [""]


def test_paragraph_cells_keep_nbsp_cells_empty():
    text = "项目资金\n(万元)\n\n\u00a0\n\n年初\n\n预算数\n\n" + "\n\n".join(["x"] * 10)
    cells = [row[0]["text"] for row in read_paragraph_cells(text)[0]["rows"]]
    assert cells[:4] == ["项目资金\n(万元)", "", "年初", "预算数"]


def form_of(name: str) -> dict:
    text = real_text(name)
    forms = recognize(TEXT_READERS[detect_layout(text)](text))["forms"]
    assert len(forms) == 1
    return forms[0]


def item(form: dict, level3: str) -> dict:
    return next(i for i in form["items"] if i["level3"] == level3)


def test_yunnan_pipe_form_with_split_targets():
    form = form_of("r01.txt")
    assert form["project"] == "义务教育营养改善计划专项资金"
    assert (form["money_unit"], form["fiscal_year"]) == ("元", 2022)
    assert form["meta"]["org_unit"] == "临沧市永德县明朗中学"
    total = form["funds"][0]
    assert (total["budget_initial"], total["budget_full_year"], total["executed"]) == (None, "387664.62", "387664.62")
    assert (total["weight"], total["rate"], total["score"]) == ("10", "100%", "10")
    policy = item(form, "政策知晓率")
    assert (policy["level1"], policy["level2"], policy["target"], policy["actual"], policy["score"]) == \
        ("效益指标", "社会效益指标", "═100%", "98%", "9")
    assert item(form, "减轻贫困学生家庭经济负担")["target"] == "有效"
    assert item(form, "家长满意度")["level2"] == "服务对象满意度指标等"
    assert (form["total_weight"], form["total_score"], form["meta"]["grade"]) == ("100", "96", "优")
    assert form["issues"] == []


def test_truncated_dept_form_is_partial_and_total_stays_null():
    form = form_of("r02.txt")
    assert form["kind"] == "dept_selfeval" and form["project"] is None
    assert len(form["items"]) == 8
    assert item(form, "完成户用卫生厕所改造验收时间")["actual"] == "10月"
    assert form["total_score"] is None and form["total_weight"] is None
    assert any("cut off" in issue for issue in form["issues"])


def test_space_joined_dump_with_weighted_level1():
    form = form_of("r03.txt")
    assert form["meta"]["budget_code"] == "219001"
    assert form["meta"]["implementer"] == "池州市贵池区棠溪镇人民政府"
    compliance = item(form, "经费支出合规性")
    assert (compliance["level1"], compliance["level1_weight"], compliance["target"], compliance["actual"]) == \
        ("产出指标", 50.0, "严格执行相关制度规定", "达成预期指标")
    assert [i["level3"] for i in form["items"]][-1] == "对推动基建项目“四项制度”健全和落实的持续性影响"
    assert any("公众满" in issue for issue in form["issues"])  # the cut-off last row is reported, not kept


def test_paragraph_cells_join_split_headers_and_drop_placeholders():
    form = form_of("r04.txt")
    assert form["funds"][0]["budget_initial"] == "43.2" and form["funds"][0]["score"] == "9"
    assert [i["level3"] for i in form["items"]][:3] == ["工程资金金额", "工程完工率", "工程验收合格率"]
    assert item(form, "安全率")["note"] == "0"
    assert item(form, "学生满意度")["level1"] == "满意度指标"


def test_sichuan_template_project_code_and_empty_cells():
    form = form_of("r05.txt")
    assert (form["project"], form["meta"]["project_code"]) == ("工资性支出", "51000021R000000019951")
    assert form["meta"]["implementer"] == "青神县发展和改革局"
    cover = item(form, "发放(缴纳)覆盖率")
    assert (cover["target"], cover["actual"], cover["weight"], cover["score"]) == ("=100%", None, "60", None)
    assert (form["total_weight"], form["total_score"]) == ("100", None)


def test_scoring_sheet_levels_from_weighted_headings():
    form = form_of("r06.txt")
    assert form["kind"] == "project_scoring" and form["project"] == "持证残疾人基本状况调查"
    rows = [(i["level1"], i["level1_weight"], i["level2"], i["level2_weight"], i["level3"], i["weight"], i["score"])
            for i in form["items"]]
    assert rows[1] == ("项目决策", 15.0, "决策过程", 8.0, "决策程序", "4", "4")
    assert rows[-1] == ("项目管理", 25.0, "资金管理", 10.0, "财务管理", "3", "3")
    assert len(rows) == 8


def test_report_prose_budget_fills_the_lone_form():
    form = form_of("r07.txt")
    total = form["funds"][0]
    assert form["money_unit"] == "万元"
    assert (total["budget_initial"], total["budget_full_year"], total["executed"]) == ("40", "40", "40")


def test_report_without_form_becomes_its_own_record():
    form = form_of("r08.txt")
    assert (form["kind"], form["project"], form["fiscal_year"]) == ("project_selfeval", None, 2024)
    assert (form["funds"][0]["budget_initial"], form["funds"][0]["budget_full_year"]) == ("985", "861.46")
    assert form["funds"][0].get("executed") is None  # 实际到位资金 is money received, not spent


SPACED = " ".join([
    "附件: 项目支出绩效自评表 (2022年度) 项目名称 委托业务项目 项目资金 (万元)",
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0",
    "绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施",
    "产出指标(50分) 数量指标 基建工程委托业务项目数量 ≥50个 50 8 8",
    "质量指标 委托业务报告合格率 ≥100百分比 100 8 8",
    "经费支出合规性 严格执行相关制度规定 达成预期指标 8 8 总分 100 90",
])


def test_spaced_fixture_cuts_rows_by_value_types():
    form = recognize(read_spaced_cells(SPACED))["forms"][0]
    assert [(i["level3"], i["target"], i["actual"], i["weight"], i["score"]) for i in form["items"]] == [
        ("基建工程委托业务项目数量", "≥50个", "50", "8", "8"),
        ("委托业务报告合格率", "≥100百分比", "100", "8", "8"),
        ("经费支出合规性", "严格执行相关制度规定", "达成预期指标", "8", "8"),
    ]
    assert (form["total_weight"], form["total_score"], form["issues"]) == ("100", "90", [])


def test_pipe_fixture_reads_a_note_cell():
    text = "\n".join([
        "项目支出绩效自评表 |",
        "项目名称 | 测试项目 |",
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |",
        "产出指标 | 数量指标 | 指标1:工程资金金额 | 43.2 | 37.24 | 10 | 9 | 剩余尾款未付 |",
        "指标2:工程完工率 | 100 | 100 | 10 | 10 | |",
        "合计 | 20 | 19 |",
    ])
    form = recognize(read_pipe_cells(text))["forms"][0]
    assert [(i["level3"], i["note"]) for i in form["items"]] == [("工程资金金额", "剩余尾款未付"), ("工程完工率", None)]


def test_codes_before_names_and_date_under_the_form():
    from parsers.recognizers.page_meta import split_code

    assert split_code("51000021R000000019951-工资性支出") == ("51000021R000000019951", "工资性支出")
    assert split_code("219-池州市贵池区棠溪镇人民政府") == ("219", "池州市贵池区棠溪镇人民政府")
    assert split_code("2023-2025年农村公路养护") == (None, "2023-2025年农村公路养护")
    text = "\n".join([
        "项目支出绩效自评表 | 单位名称：某县教育局 |",
        "项目名称 | 219001-校舍维修 |",
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |",
        "产出指标 | 数量指标 | 维修校舍面积 | ≥500平方米 | 520平方米 | 10 | 10 |",
        "合计 | 10 | 10 |",
        "填报日期：2024年3月5日 |",
    ])
    form = recognize(read_pipe_cells(text))["forms"][0]
    assert (form["project"], form["meta"]["project_code"]) == ("校舍维修", "219001")
    assert form["meta"]["org_unit"] == "某县教育局"
    assert form["meta"]["report_date"] == "2024年3月5日"
    assert (form["total_weight"], form["total_score"], form["issues"]) == ("10", "10", [])


def test_header_repeated_at_a_page_break_is_not_an_indicator():
    text = real_text("r02.txt")
    header = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |"
    cut = text.index("质量指标 |")
    form = only_form_of(text[:cut] + "- 2 -\n" + header + "\n" + text[cut:])
    assert [i["level3"] for i in form["items"]] == [i["level3"] for i in form_of("r02.txt")["items"]]


def only_form_of(text: str) -> dict:
    forms = recognize(read_pipe_cells(text))["forms"]
    assert len(forms) == 1
    return forms[0]
