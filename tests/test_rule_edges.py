"""Every rule broken once, and every rule satisfied exactly at its rounding edge.

Each broken form is clean except for one fault, named by its project; the edge document holds
forms whose figures sit exactly on the limit printed precision allows (checked: gap == 0).
"""
from __future__ import annotations

from collections import defaultdict

import pytest

from pipeline.checks import check_rows
from pipeline.rules import RULES
from pipeline.validate import validate
from tests.formkit import claim, contract_tables, form, fund, item, project_list, write_curated


def clean_items(satisfaction_actual: str = "95%", quantity_weight: str = "20", quantity_score: str = "20",
                quality_score: str = "30", l1_output: float = 50, l2_quantity: float = 20,
                l1_effect: float = 30, satisfaction_score: str = "10", quality_note: str | None = None,
                satisfaction_note: str | None = None) -> list[dict]:
    return [
        item("产出指标", "开展活动次数", quantity_weight, quantity_score, "≥30次", "37次", l1_output, "数量指标",
             l2_quantity, src=20),
        item("产出指标", "资金使用合规率", "30", quality_score, "合规", "合规", l1_output, "质量指标", src=21,
             note=quality_note),
        item("效益指标", "社会效益", "30", "30", "持续提升", "有效", l1_effect, "社会效益指标", src=22),
        item("满意度指标", "群众满意度", "10", satisfaction_score, "≥90%", satisfaction_actual, 10, "满意度指标",
             src=23, note=satisfaction_note),
    ]


def selfeval(project: str, a: str = "20", b: str = "20", rate: str | None = "100%", score: str = "10",
             total_score: str = "100", items: list[dict] | None = None, lines: list[dict] | None = None,
             **kw) -> dict:
    funds = [fund("年度资金总额", a, b, rate, "10", score, src=10)]
    funds += lines if lines is not None else [fund("本年财政拨款", a, b, src=11)]
    items = clean_items() if items is None else items
    return form(project, funds=funds, items=items, total_score=total_score, **kw)


def goal_table(project: str, a: str, b: str, title_project: str | None = None) -> dict:
    return form(project, kind="project_goal_completion", unit="百元", funds=[fund("合计", a, b, initial=None)],
                items=[item("项目完成", "参会人数", None, None, "≥449人次", "449人次")], title_project=title_project,
                line=500)


def broken_document() -> dict[str, list[dict]]:
    forms = [
        selfeval("score_total经费", total_score="99"),
        selfeval("weight_total经费", total_weight="90"),
        selfeval("weight_level1经费", items=clean_items(l1_effect=35)),
        selfeval("weight_level2经费", items=clean_items(l2_quantity=25)),
        selfeval("score_range经费", items=clean_items(quantity_score="21", quality_score="29")),
        selfeval("rate_formula经费", b="19.5", rate="100%"),
        selfeval("executed_within_budget经费", b="20.01", rate="100.05%"),
        selfeval("fund_lines_sum经费", lines=[fund("本年财政拨款", "15.5", "15.5"), fund("上年结转资金", "4", "4")]),
        selfeval("execution_score_rule经费", b="12.55", rate="62.75%"),
        selfeval("full_marks_target_missed经费", items=clean_items(satisfaction_actual="85%",
                                                               satisfaction_note="部分群众对活动安排不够了解")),
        selfeval("missed_without_reason经费", total_score="95",
                 items=clean_items(satisfaction_actual="85%", satisfaction_score="5")),
        # The same reason for lost points, word for word, in two projects.
        selfeval("boilerplate_reason经费", total_score="99", items=clean_items(quality_score="29",
                                                                            quality_note="资料归档不够及时")),
        selfeval("boilerplate_reason另一经费", total_score="99", items=clean_items(quality_score="29",
                                                                              quality_note="资料归档不够及时")),
        # 80% in place earns 0 of 100 by the rule (1 point off per point short), yet scores 100.
        form("threshold_score经费", kind="project_scoring", total_score="100", funds=[fund("合计", "1", "1")],
             items=[item("决策", "资金到位率", "100", "100", note="（80/100）×100%=80%")]),
        # projects_total: the projects spend far more than the 40.05 万元 of project spending printed here.
        form(None, kind="dept_goal_completion", line=700, funds=[
            fund("合计", "100.05", "100.05", initial=None), fund("基本支出", "60", "60", initial=None),
            fund("政策和项目支出", "40.05", "40.05", initial=None)]),
        selfeval("cross_form经费"), goal_table("cross_form经费", "2100", "2100"),
        selfeval("claim_vs_form经费"),
        selfeval("title_project经费"),
        goal_table("title_project经费", "2000", "2000", title_project="别的工程项目"),
        selfeval("list_vs_form经费"),
    ]
    lists = [project_list([("list_vs_form经费", "25"), ("score_total经费", "20"), ("未填表项目", "5"),
                           (None, "50")]),  # list_total: 25 + 20 + 5 = 50 holds ...
             project_list([("甲项目", "1.5"), ("乙项目", "2"), (None, "4")])]  # ... this one does not
    claims = [claim("预算为 102 万元，当年拨付 101.72 万元，预算执行率 99.74%。", 0.9974, 101.72 / 102, "101.72/102"),
              claim("claim_vs_form经费预算为 20 万元，当年拨付 19.5 万元，预算执行率 97.5%。", 0.975, 0.975, "19.5/20")]
    report = ["2023年度，实现支出100.00万元。按支出性质和经济分类分，基本支出实现60.00万元（其中人员支出50.00万元，"
              "日常公用经费支出10.00万元），项目支出40.05万元。",  # breakdown_total: 60 + 40.05 is not 100
              "1-12月支付进度率为99.5%。", "全年支付进度：1-12月支付进度率为99.83%。"]  # figure_agreement
    return contract_tables(forms, lists, claims, doc_id="bbbbbbbbbbbb0001", report=report)


def department_on_the_edge() -> dict[str, list[dict]]:
    """Three projects that spend 10 万元 each may spend 30.015 万元, the least 30.02 may be."""
    forms = [form(f"边缘项目{n}", kind="project_goal_completion", funds=[fund("合计", "10", "10", initial=None)])
             for n in "甲乙丙"]
    forms.append(form(None, kind="dept_goal_completion", line=700, funds=[
        fund("合计", "30.02", "30.02", initial=None), fund("基本支出", "0", "0", initial=None),
        fund("政策和项目支出", "30.02", "30.02", initial=None)]))
    return contract_tables(forms, doc_id="eeeeeeeeeeee0002")


def edge_document() -> dict[str, list[dict]]:
    decimal_items = [item("产出指标", "甲", "30", "1.5"), item("产出指标", "乙", "30", "1.5"),
                     item("效益指标", "丙", "40", "1.5")]
    forms = [
        # 1.5 + 1.5 + 1.5 printed to one decimal may be 4.65, printed 4.7.
        form("score_total经费", items=decimal_items, total_score="4.7", total_weight="100"),
        # B/A may be up to 9.9985/19.995 = 50.005%, the low end of 50.01%; score 5.001 at 5.0005.
        selfeval("rate_formula经费", b="9.9984997", rate="50.01%", score="5.001", total_score="95.001",
                 lines=[], items=clean_items()[:3] + [item("满意度指标", "群众满意度", "10", "10", "≥90%", "95%",
                                                          10, "满意度指标")]),
        # Spent all of it (on one grid, 10.01 would be more than 10: rounding keeps order).
        selfeval("executed_within_budget经费", a="10", b="10", rate=None),
        # 10 + 10 + 10 may be 30.015, the least 30.02 may be.
        form("fund_lines_sum经费", funds=[fund(line, amount, initial=None) for line, amount in (
            ("年度资金总额", "30.02"), ("本年财政拨款", "10"), ("上年结转资金", "10"), ("其他资金", "10"))]),
        # rate 90% may be 90.5%: 9.05 of 10, the least 9.1 may be.
        selfeval("execution_score_rule经费", a=None, b=None, rate="90%", score="9.1", total_score="99.1", lines=[]),
        # 94% may be 94.5%; 10.5万元 may be 10.45万元.
        selfeval("full_marks_target_missed经费", items=clean_items()[:3] + [
            item("满意度指标", "群众满意度", "5", "5", "≥94.5%", "94%", 10, "满意度指标"),
            item("满意度指标", "成本控制", "5", "5", "≤10.45万元", "10.5万元", 10, "满意度指标")]),
        # One amount on one grid reads alike; 101.72 万元 may be 1017250 元 (10172.5 百元).
        selfeval("cross_form经费", a="102", b="101.72", rate="99.73%"),
        form("cross_form经费", kind="project_goal_completion", funds=[fund("合计", "102", "101.72", initial=None)],
             line=600),
        goal_table("cross_form经费", "10200", "10172.5"),
        selfeval("claim_vs_form经费", a="102", b="101.72", rate="99.73%"),
        form("2021年换届选举经费", kind="project_goal_completion", unit="百元", funds=[fund("合计", "3700", "3700")],
             title="项目支出绩效目标完成情况表（2021 年换届选举经费经费项目）"),
        selfeval("list_vs_form经费", b="12.55", rate="62.75%", score="6.275", total_score="96.275"),
        # A missed target with its reason, given once.
        selfeval("missed_without_reason经费", total_score="95", items=clean_items(
            satisfaction_actual="85%", satisfaction_score="5", satisfaction_note="部分群众对活动安排不够了解")),
        # 99.5% in place is not a whole point short: full marks by the rule.
        form("threshold_score经费", kind="project_scoring", total_score="100", funds=[fund("合计", "1", "1")],
             items=[item("决策", "资金到位率", "100", "100", note="（99.5/100）×100%≈100%")]),
    ]
    # 12.55 + 10 + 10 may be 32.565, the least 32.57 may be.
    lists = [project_list([("list_vs_form经费", "12.55"), ("未填表项目甲", "10"), ("未填表项目乙", "10"),
                           (None, "32.57")])]
    claims = [claim("预算为 102 万元，当年拨付 101.725 万元，预算执行率 99.73%。", 0.9973, 0.99725, "101.725/102"),
              claim("claim_vs_form经费预算为 102 万元，当年拨付 101.72 万元。", 0.9973, 101.72 / 102, "101.72/102")]
    # 60 + 30 + 10 may be 100.015, the least 100.02 may be; one figure printed alike twice.
    report = ["2023年度，实现支出100.02万元。按功能分类，一般公共服务支出60.00万元，社会保障和就业支出30.00万元，"
              "卫生健康支出10.00万元。", "1-12月支付进度率为99.83%。", "全年支付进度：1-12月支付进度率为99.83%。"]
    tables = contract_tables(forms, lists, claims, doc_id="eeeeeeeeeeee0001", report=report)
    second = department_on_the_edge()
    return {name: rows + second[name] for name, rows in tables.items()}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    folder = write_curated(broken_document(), tmp_path_factory.mktemp("broken"))
    return validate(folder)["anomalies"]


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    tables = edge_document()
    folder = write_curated(tables, tmp_path_factory.mktemp("edge"))
    return tables, validate(folder)["anomalies"]


def test_every_rule_is_broken_and_reported(broken):
    assert {a["rule_id"] for a in broken} == set(RULES)


def test_breaks_keep_their_severity(broken):
    """Every break here involves an amount printed with decimals: rounding to whole amounts
    cannot explain it."""
    assert {(a["rule_id"], a["severity"]) for a in broken} == {(r.rule_id, r.severity) for r in RULES.values()}


def test_each_break_is_reported_where_it_is(broken):
    by_project = defaultdict(set)
    for a in broken:
        by_project[a["project"]].add(a["rule_id"])
    doc_level_rules = {"claim_arithmetic", "list_total", "boilerplate_reason", "figure_agreement", "breakdown_total",
                       "projects_total"}
    for rule_id in set(RULES) - doc_level_rules:
        assert by_project[f"{rule_id}经费"] == {rule_id}, rule_id
    doc_level = {a["rule_id"] for a in broken if a["project"] is None}
    assert doc_level == doc_level_rules
    # Only the faulty list is reported, once; and only the claim whose arithmetic is wrong.
    assert [a["observed"] for a in broken if a["rule_id"] == "list_total"] == ["4"]  # 1.5 + 2
    assert [a["observed"] for a in broken if a["rule_id"] == "claim_arithmetic"] == ["99.74%"]
    assert [(a["observed"], a["field"]) for a in broken if a["rule_id"] == "boilerplate_reason"] == [
        ("2", "资料归档不够及时")]


def test_no_edge_case_is_reported(edge):
    _, anomalies = edge
    assert anomalies == []


def test_edge_cases_sit_exactly_on_their_edge(edge):
    tables, _ = edge
    on_edge = {r["rule_id"] for r in check_rows(tables) if r["gap"] == 0}
    assert on_edge == set(RULES)


def test_messages_are_bilingual_and_cite_the_source(broken):
    a = next(a for a in broken if a["rule_id"] == "execution_score_rule")
    assert a["message_zh"].startswith("预算执行得分为 10") and "62.75%" in a["message_zh"]
    assert "rate × weight" in a["message_en"]
    assert "执行率 62.75%" in a["evidence"] and a["source_line"] == 10
    assert a["source_path"] == "bbbbbbbbbbbb0001.txt" and a["region"] == "测试县"


def test_the_project_a_title_names():
    from pipeline.checks import title_project
    assert title_project({"title": "项目支出绩效目标完成情况表（机关会议室改造经费项目）"}) == "机关会议室改造经费项目"
    assert title_project({"title": "项目支出绩效自评表（2023年度）"}) is None
    assert title_project({"title": "项目支出绩效自评表", "title_project": "甲项目"}) == "甲项目"


def test_sums_on_a_partly_understood_document_are_info(tmp_path):
    tables = contract_tables([selfeval("截断的项目", total_score="99")])
    tables["documents"][0]["status"] = "partial"
    anomalies = validate(write_curated(tables, tmp_path))["anomalies"]
    assert [(a["rule_id"], a["severity"]) for a in anomalies] == [("score_total", "info")]
    assert anomalies[0]["message_en"].endswith("the form may be incomplete)")


def test_odd_data_never_stops_the_checks():
    forms = [selfeval("怪数据项目", a="—", b="1.2.3", rate="%", score="10", total_score="-5"),
             form("零目标项目", items=[item("产出指标", "投诉", "10", "10", "≤0件", "0件")], total_score="10")]
    tables = contract_tables(forms)
    tables["evaluations"].append({"doc_id": tables["documents"][0]["doc_id"], "project": "缺编号的表"})
    problems: list[str] = []
    rows = check_rows(tables, problems)
    assert rows and problems and all("KeyError" in p for p in problems)
    assert not [r for r in rows if r["gap"] > 0 and r["rule_id"] not in ("score_total", "weight_total")]


def test_a_break_rounding_to_whole_amounts_could_explain_is_info(tmp_path):
    """8 + 3 is not 12 at two decimals, but 8.4 + 3.4 printed in whole 万元 is."""
    lines = [fund("本年财政拨款", "8", "8"), fund("上年结转资金", "3", "3")]
    tables = contract_tables([selfeval("整数万元项目", a="12", b="12", lines=lines)])
    anomalies = validate(write_curated(tables, tmp_path))["anomalies"]
    assert {(a["rule_id"], a["severity"]) for a in anomalies} == {("fund_lines_sum", "info")}
    assert all(a["message_en"].endswith("whole-number amounts were rounded)") for a in anomalies)


def test_deviation_and_tolerance_are_in_the_checked_figures_printed_unit(broken):
    found = {a["rule_id"]: (a["deviation"], a["tolerance"]) for a in broken}
    # 2100 百元 on the goal table against 20 万元 (2000 百元) on the self-evaluation: 100 百元 apart
    assert found["cross_form"] == (pytest.approx(100), pytest.approx(0.5 + 0.005))  # half of 0.01 万元, of 0.01 百元
    # 100% printed, 19.5/20 = 97.5% computed: 2.5 percentage points
    assert found["rate_formula"][0] == pytest.approx(2.5, abs=0.03)
    # 85% against ≥90%: 5 points short, 0.5 point of printed precision
    assert found["full_marks_target_missed"] == (pytest.approx(5), pytest.approx(0.5))
