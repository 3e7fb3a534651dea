"""Template families are data: every family file loads, its title rules compile, and a new family
is added from a data file alone (no code), then its forms are read."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import regex

from parsers.recognizers.titles import match_title
from parsers.templates import COMMON, load_templates, template_files
from tests.conftest import ROOT

# A province's made-up template: its own title, meta label, column words and budget line.
NEW_FAMILY = textwrap.dedent("""
    [family]
    name = "test_province"
    provinces = ["测试省"]
    description = "A template no built-in family knows."
    money_unit = "万元"

    [[titles]]
    pattern = "项目绩效考评单"
    kind = "selfeval"
    scope = "project"
    priority = 50

    [meta_labels]
    "考评项目" = "project"

    [columns.indicator]
    target = ["考评目标值"]
    actual = ["考评实现值"]
    weight = ["考评分值"]
    score = ["考评得分"]

    [columns.fund]
    budget_full_year = ["核定资金"]
    executed = ["使用资金"]

    [fund_lines]
    "资金合计" = "年度资金总额"
""")
FORM = textwrap.dedent("""
    测试县2023年度项目绩效考评单 |
    考评项目 | 乡村道路养护 |
    项目资金（万元） | 核定资金 | 使用资金 | 执行率 |
    资金合计 | 120 | 118 | 98.33% |
    一级指标 | 二级指标 | 三级指标 | 考评分值 | 考评目标值 | 考评实现值 | 考评得分 |
    产出指标 | 数量指标 | 养护里程 | 50 | ≥30公里 | 32公里 | 50 |
    效益指标 | 社会效益指标 | 群众满意度 | 50 | ≥90% | 95% | 48 |
    合计 | 100 | | | 98 |
""").strip()
READ = """
import json, sys
from pipeline.ingest import detect_layout
from pipeline.parse import parse_document
text = sys.stdin.read()
(form,) = parse_document({"format": "txt", "layout": detect_layout(text), "text": text})["forms"]
print(json.dumps({"kind": form["kind"], "project": form["project"], "funds": form["funds"][0],
                  "items": [[i["level3"], i["target"], i["actual"], i["weight"], i["score"]] for i in form["items"]],
                  "total": form["total_score"]}, ensure_ascii=False))
"""


def test_every_family_file_loads_and_its_title_rules_compile():
    templates = load_templates()
    names = [f.name for f in templates.families]
    assert names[0] == COMMON and len(names) == len(set(names)) == len(template_files())
    assert {"anhui_project", "sichuan_510000", "central_transfer", "yunnan_14", "hubei_project",
            "chongqing_dept", "hunan", "hybrid_scoring"} <= set(names)
    for rule in templates.titles:
        regex.compile(rule.pattern)
        assert rule.kind in ("selfeval", "scoring", "goal_completion", "any")


@pytest.mark.parametrize(("title", "kind"), [
    ("绩效目标自评表", "project_selfeval"),
    ("部门预算项目支出绩效自评表(2023年度)", "project_selfeval"),
    ("转移支付(项目)绩效目标自评表", "project_selfeval"),
    ("普惠金融发展专项资金区域绩效自评表", "project_selfeval"),
    ("XX公路养护资金绩效评价表(普通省道和农村公路)", "project_selfeval"),
    ("附件2：安岳县人大常委会办公室部门整体支出绩效目标完成情况表", "dept_goal_completion"),
    ("2020年项目支出绩效自评指标计分表", "project_scoring"),
    ("部门整体支出绩效评价指标表", "dept_scoring"),
    ("部门整体绩效自评表", "dept_selfeval"),
    ("项目自评表", "project_selfeval"),
])
def test_titles_match_by_family(title, kind):
    assert match_title(title).kind == kind


NOT_TITLES = ["滁州市人力资源和社会保障局本级单位项目绩效自评表清单", "根据《项目支出绩效自评表》评分，得分98分",
              "2023年度项目支出绩效自评报告", "绩效指标(90分)"]


@pytest.mark.parametrize("text", NOT_TITLES)
def test_lists_reports_and_sentences_are_not_titles(text):
    assert match_title(text) is None


def run_reader(env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", READ], input=FORM, capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True)
    return json.loads(out.stdout)


def test_a_new_family_is_read_from_its_data_file_alone(tmp_path):
    (tmp_path / "test_province.toml").write_text(NEW_FAMILY, encoding="utf-8")
    env = {**os.environ, "JIXIAO_TEMPLATE_PATH": str(tmp_path)}
    form = run_reader(env)
    assert form["kind"] == "project_selfeval" and form["project"] == "乡村道路养护"
    assert (form["funds"]["line"], form["funds"]["budget_full_year"], form["funds"]["executed"],
            form["funds"]["rate"]) == ("年度资金总额", "120", "118", "98.33%")
    assert form["items"] == [["养护里程", "≥30公里", "32公里", "50", "50"], ["群众满意度", "≥90%", "95%", "50", "48"]]
    assert form["total"] == "98"


def test_without_the_family_file_the_new_template_is_not_read():
    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_TEMPLATE_PATH"}
    with pytest.raises(subprocess.CalledProcessError):
        run_reader(env)


def test_a_weight_printed_in_the_score_header_is_the_execution_weight():
    """Hubei prints the budget-execution weight in the header: 得分（20分*执行率）. (Rows of x13, 鄂州.)"""
    from pipeline.ingest import detect_layout
    from pipeline.parse import parse_document

    text = "\n".join([
        "项目支出绩效自评表 |", "项目名称 | 市民中心运行维护费 |",
        "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 得分（20分*执行率） |",
        "年度资金总额 | 150万 | 150万 | 125.25万 | 83.5% | 16.7 |",
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |",
        "产出指标 | 数量指标 | 预算资金拨款率 | 100% | 100% | 10 | 10 |"])
    (form,) = parse_document({"format": "txt", "layout": detect_layout(text), "text": text})["forms"]
    total = form["funds"][0]
    assert (total["weight"], total["score"], total["rate"]) == ("20", "16.7", "83.5%")


CHONGQING = "\n".join([   # x11 (重庆 部门整体绩效自评表), its OCR mistakes undone, as pipes
    "部门整体绩效自评表 |", "主管部门 | 财政处室 | 自评总分(分) | 97.6 |",
    "指标名称 | 计量单位 | 指标性质 | 年初指标值 | 调整指标值 | 全年完成值 | 得分系数(%) | 指标权重(分) | 指标得分(分) "
    "| 是否核心指标 |",
    "财政供养人员控制率 | % | 定量指标 | 100% | | 92% | 100% | 2 | 2 | 否 |",
    "管理制度健全性 | | 定性指标 | 高 | | 高 | 100% | 3 | 3 | 否 |",
    "播发稿件数量 | 篇 | 定量指标 | 2200篇 | | 2859篇 | 100% | 10 | 10 | 是 |"])


def test_chongqing_table_without_levels():
    """指标名称 with its value columns is an indicator table; 指标性质 `定量指标` is not part of the
    target, nor a unit the value already prints; 自评总分 beside the title is the total score."""
    from pipeline.ingest import detect_layout
    from pipeline.parse import parse_document

    (form,) = parse_document({"format": "txt", "layout": detect_layout(CHONGQING), "text": CHONGQING})["forms"]
    assert (form["kind"], form["total_score"]) == ("dept_selfeval", "97.6")
    assert [(i["level3"], i["target"], i["actual"], i["weight"], i["score"]) for i in form["items"]] == [
        ("财政供养人员控制率", "100%", "92%", "2", "2"), ("管理制度健全性", "高", "高", "3", "3"),
        ("播发稿件数量", "2200篇", "2859篇", "10", "10")]
