"""The validate stage on real disclosures: 000 (相山区) as extracted, 003 (安岳县) as its gold
annotation shaped into contract tables (until its parser lands), and the stage's outputs."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.batch import run_batch
from pipeline.validate import EXPECTATIONS_DIR, validate
from tests.formkit import claim, contract_tables, form, fund, item, write_curated

REPO = Path(__file__).resolve().parent.parent
SAMPLE_000 = "000_62b89d3619706223.txt"
GOLD_003 = REPO.parent / "shared" / "gold" / "003_78bee95101de8744.gold.json"
FAULTLESS_000 = ("人大会议经费", "招商引资工作经费", "乡村振兴下派干部补贴")


@pytest.fixture(scope="module")
def curated_000(tmp_path_factory) -> Path:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("curated")
    (raw / SAMPLE_000).write_bytes((REPO / "raw" / SAMPLE_000).read_bytes())
    run_batch(raw, out, jobs=1)
    validate(out)
    return out


@pytest.fixture(scope="module")
def anomalies_000(curated_000) -> list[dict]:
    return pq.read_table(curated_000 / "anomalies.parquet").to_pylist()


def test_full_execution_score_at_62_75_percent_is_reported(anomalies_000):
    found = [a for a in anomalies_000 if a["project"] == "代表工作经费" and a["rule_id"] == "execution_score_rule"]
    assert len(found) == 1
    a = found[0]
    assert (a["severity"], a["observed"], a["source_path"], a["source_line"]) == ("error", "10", SAMPLE_000, 472)
    assert a["expected"] == "62.75% × 10 = 6.275（12.55/20）"
    assert a["evidence"] == ("年度资金总额（万元）：年初预算数 20，全年预算数 20，全年执行数 12.55，执行率 62.75%，"
                             "分值 10，得分 10")


def test_100_percent_printed_for_52_48_of_55_92_is_reported(anomalies_000):
    found = [a for a in anomalies_000 if a["project"] == "区人大代表履职经费" and a["rule_id"] == "rate_formula"]
    assert [(a["severity"], a["observed"], a["expected"], a["source_line"]) for a in found] == [
        ("error", "100%", "52.48/55.92 = 93.85%", 1618)]


def test_the_full_anomaly_list_of_000(anomalies_000):
    assert [(a["project"], a["rule_id"], a["field"]) for a in anomalies_000] == [
        ("代表工作经费", "execution_score_rule", "预算执行得分"),
        ("代表工作经费", "full_marks_target_missed", "群众满意度"),   # ≥100% target, 99% actual, 10/10
        ("代表工作经费", "missed_without_reason", "群众满意度"),      # ... and no 偏差原因 for it
        ("区人大代表履职经费", "execution_score_rule", "预算执行得分"),  # 93.85% yet 10/10
        ("区人大代表履职经费", "rate_formula", "年度资金总额"),
        ("工作经费", "execution_score_rule", "预算执行得分"),          # 74.3% yet 10/10
    ]
    assert {a["severity"] for a in anomalies_000 if a["rule_id"] != "missed_without_reason"} == {"error"}


def test_faultless_forms_raise_no_error(anomalies_000):
    assert not [a for a in anomalies_000 if a["project"] in FAULTLESS_000 and a["severity"] == "error"]


def test_rule_scores_of_000(curated_000):
    evaluations = {e["project"]: e for e in pq.read_table(curated_000 / "evaluations.parquet").to_pylist()}
    # 20 + 5 + 5 (met targets) + 10 + 9 + 9 + 5 + 5 + 10 (self-scores kept) + 9.9 (99% of ≥100%) + 6.275 (62.75%)
    assert evaluations["代表工作经费"]["rule_score"] == pytest.approx(94.175)
    assert evaluations["代表工作经费"]["execution_rule_score"] == pytest.approx(6.275)
    assert evaluations["人大会议经费"]["rule_score"] == pytest.approx(99.0)
    items = [i for i in pq.read_table(curated_000 / "indicators.parquet").to_pylist()
             if i["eval_id"] == evaluations["代表工作经费"]["eval_id"]]
    assert [(i["rule_score"], i["rule_basis"]) for i in items if i["level3"] in ("群众满意度", "活动经费")] == [
        (9.0, "self"), (pytest.approx(9.9), "ratio")]


def test_gx_results_and_reports_are_written(curated_000):
    reports = curated_000 / "reports"
    results = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (reports / "validation").glob("*.json")}
    assert set(results) == {"scores", "execution", "indicators", "consistency", "department"}
    assert results["scores"]["success"] is True and results["execution"]["success"] is False
    assert (reports / "anomalies.csv").read_text(encoding="utf-8-sig").count("\n") == 7
    page = (reports / "anomalies.html").read_text(encoding="utf-8")
    assert "代表工作经费" in page and "<script>" in page and "http" not in page


def test_cli_validate(curated_000, capsys):
    from pipeline.cli import main

    assert main(["validate", "--out", str(curated_000)]) == 0
    assert "6 anomalies (error 5, warning 1)" in capsys.readouterr().out


def test_the_suites_decide(curated_000, tmp_path):
    """Editing a suite changes the verdict: accept execution-rate gaps up to 10 (percentage points, the
    rate's printed unit)."""
    suites = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, suites)
    path = suites / "execution.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    for e in suite["expectations"]:
        if e["meta"]["rule_id"] == "rate_formula":
            e["kwargs"]["max_value"] = 10
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "curated"
    shutil.copytree(curated_000, out)
    rules = {a["rule_id"] for a in validate(out, suites)["anomalies"]}
    assert "rate_formula" not in rules and "execution_score_rule" in rules


def test_document_text_is_escaped_in_the_html(tmp_path):
    forms = [form("<script>alert(1)</script>经费", funds=[fund("年度资金总额", "20", "12.55", "62.75%", "10", "10")],
                  items=[item("产出指标", "次数&<b>", "90", "90", "≥1次", "1次")], total_score="100")]
    validate(write_curated(contract_tables(forms), tmp_path))
    page = (tmp_path / "reports" / "anomalies.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;经费" in page and "<script>alert" not in page


@pytest.mark.skipif(not GOLD_003.exists(), reason="shared gold annotations absent")
def test_anyue_sheets_that_do_not_add_up_are_reported(tmp_path):
    """安岳县 as annotated in gold (printed values kept), plus three 投入 sentences of its report."""
    gold = json.loads(GOLD_003.read_text(encoding="utf-8"))
    forms = [form(e["project"], kind=e["kind"], unit=None, total_score=printed(e["total_score"]),
                  items=[item(i["level1"], i["level3"], printed(i["weight"]), printed(i["score"]), None, None,
                              i["level1_weight"], i["level2"], i["level2_weight"]) for i in e["items"]])
             for e in gold["evaluations"]]
    forms += [form(t["project"], kind=t["kind"], unit="百元", funds=[
        fund("合计", printed(t["budget_hundred_yuan"]), printed(t["executed_hundred_yuan"]), initial=None)])
        for t in gold["goal_tables"]]
    claims = [claim("安岳县人民代表大会会议经费预算为 102 万元，当年拨付 101.72 万元，预算执行率 99.73%。",
                    0.9973, 101.72 / 102),
              claim("“人大代表之家”“人大代表联络站”建设项目预算为 252 万元，当年拨付 250.2 万元，预算执行率 99.29%。",
                    0.9929, 250.2 / 252),
              claim("专题调研、视察经费项目预算为 52.75 万元，当年拨付 52.66 万元，预算执行率 99.83%。",
                    0.9983, 52.66 / 52.75)]
    anomalies = validate(write_curated(contract_tables(forms, claims=claims, region="安岳县"), tmp_path))["anomalies"]
    assert sorted((a["rule_id"], a["project"], a["observed"], a["expected"]) for a in anomalies) == [
        ("claim_vs_form", "“人大代表之家”“人大代表联络站”建设经费", "250.2 万元", "25050 百元"),
        ("claim_vs_form", "专题调研、视察经费", "52.66 万元", "5276 百元"),
        ("executed_within_budget", "专题调研、视察经费", "5276 百元", "5275 百元"),
        ("score_total", "2021年换届选举经费经费", "98", "93"),
        ("score_total", "“人大代表之家”“人大代表联络站”建设经费", "97", "96"),
    ]


def printed(value: float | int | None) -> str | None:
    return None if value is None else format(Decimal(repr(value)).normalize(), "f")


SAMPLE_003 = "003_78bee95101de8744.txt"


@pytest.fixture(scope="module")
def anyue_extracted(tmp_path_factory) -> Path:
    raw, out = tmp_path_factory.mktemp("raw003"), tmp_path_factory.mktemp("curated003")
    (raw / SAMPLE_003).write_bytes((REPO / "raw" / SAMPLE_003).read_bytes())
    run_batch(raw, out, jobs=1)
    if pq.read_table(out / "documents.parquet").to_pylist()[0]["status"] not in ("ok", "partial"):
        pytest.skip("the flow-text (安岳县) parser is not on this branch yet")
    validate(out)
    return out


def test_anyue_as_extracted(anyue_extracted):
    """Once the flow-text parser is merged: the same findings on the real extraction."""
    from pipeline.projects import name_key

    anomalies = pq.read_table(anyue_extracted / "anomalies.parquet").to_pylist()
    found = {(a["rule_id"], name_key(a["project"])) for a in anomalies if a["severity"] == "error"}
    assert found == {("score_total", "人大代表之家人大代表联络站建设"), ("score_total", "2021年换届选举"),
                     ("claim_vs_form", "人大代表之家人大代表联络站建设"), ("claim_vs_form", "专题调研、视察"),
                     # the report's 当年拨付 250.5 万元 (第2378行) and 250.2 万元 (第2683行) for one project
                     ("figure_agreement", "人大代表之家人大代表联络站建设"),
                     # department level: see test_anyue_department_findings
                     ("figure_agreement", ""), ("breakdown_total", ""), ("threshold_score", "")}
    assert ("executed_within_budget", "专题调研、视察") in {(a["rule_id"], name_key(a["project"]))
                                                        for a in anomalies}
    evaluations = pq.read_table(anyue_extracted / "evaluations.parquet").to_pylist()
    if any(e["title_project"] for e in evaluations):  # the subtitle is carried in meta.title_project
        assert ("title_project", "机关会议室改造") in {(a["rule_id"], name_key(a["project"])) for a in anomalies}


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_report_script_parses(tmp_path):
    import subprocess

    from pipeline.publish import SORT_SCRIPT
    from pipeline.report_html import FILTER_SCRIPT

    (tmp_path / "report.js").write_text(SORT_SCRIPT + FILTER_SCRIPT, encoding="utf-8")
    subprocess.run(["node", "--check", str(tmp_path / "report.js")], check=True)


def test_anyue_department_findings(anyue_extracted):
    """What a careful reader finds in 安岳县's department-level parts, with quote and line."""
    anomalies = pq.read_table(anyue_extracted / "anomalies.parquet").to_pylist()
    found = [(a["rule_id"], a["field"], a["observed"], a["expected"], a["source_line"]) for a in anomalies
             if a["family"] == "department" or a["rule_id"] == "threshold_score"]
    assert found == [
        # 按功能分类 1044.48 + 147.01 + 59.67 + 2.02 元 (sic) + 38.18 against 实现支出 1253.19 万元
        ("breakdown_total", "按功能分类", "1253.19 万元", "1289.34 万元", 73),
        # 在职人员控制率 114.29% scored 5 of 5; the rule (≤1 full, else in proportion) gives 5 × 21/24
        ("threshold_score", "在职人员控制率", "5", "4.375", 684),
        # the report's 基本支出 606.85 / 项目支出 646.33 万元 against the goal table's 60,839.21 / 64,480.23 百元
        ("figure_agreement", "基本支出", "60,839.21 百元", "606.85 万元", 2087),
        ("figure_agreement", "项目支出", "64,480.23 百元", "646.33 万元", 2089),
        # the 15 project goal tables spend 64,465 百元; the department table's 政策和项目支出 is 64,480.23
        ("projects_total", "政策和项目支出", "64,480.23 百元", "64465 百元", 2089),
        ("figure_agreement", "项目拨付", "250.2 万元", "250.5 万元", 2683),
    ]
    breakdown = anomalies[[a["rule_id"] for a in anomalies].index("breakdown_total")]
    assert "巩固脱贫攻坚成果衔接乡村振兴支出 2.02 元" in breakdown["evidence"]


def test_anyue_title_and_project_name_checked_both_ways(anyue_extracted):
    """The 目标完成情况表 at line 18762 is titled for 换届后县人大代表及人大干部培训经费项目, which has its
    own two forms, while its 项目名称 机关会议室改造经费 has only its 计分表."""
    anomalies = pq.read_table(anyue_extracted / "anomalies.parquet").to_pylist()
    found = [a for a in anomalies if a["rule_id"] == "title_project"]
    assert [(a["source_line"], a["observed"], a["expected"]) for a in found] == [
        (18762, "机关会议室改造经费", "换届后县人大代表及人大干部培训经费项目")]
    assert found[0]["evidence"].endswith("标题所指项目的其他表：第16318行、第17438行；"
                                         "项目名称所指项目的其他表：第17667行")
