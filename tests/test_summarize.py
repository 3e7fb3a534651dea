"""unit_summary: figures checked against values worked out by hand from the gold annotations."""
from __future__ import annotations

import shutil

import pyarrow.parquet as pq
import pytest

import schemas
from pipeline.batch import run_batch
from pipeline.projects import canonical_unit, name_key
from pipeline.summarize import (
    is_vague,
    prepare,
    projects_of,
    summarize,
    unit_rows,
)
from tests.conftest import RAW
from tests.summary_frames import ANYUE, XIANGSHAN, anomalies_frame, frames, gold_tables, synthetic_rows

XIANGSHAN_RAW = RAW / "000_62b89d3619706223.txt"
XIANGSHAN_KEY = ("相山区", "相山区人大办公室", 2023)
ANYUE_KEY = ("安岳县", "安岳县人民代表大会常务委员会办公室", 2023)


def summary(tables: dict) -> dict[tuple, dict]:
    tables = prepare(tables)
    rows = unit_rows(tables, projects_of(tables))
    return {(r["region"], r["org_unit"], r["fiscal_year"]): r for r in rows}


# 相山区 by hand from the gold: six 项目支出绩效自评表, amounts in 万元.
#   budgets 55 + 20 + 1 + 10.368 + 55.92 + 10 = 152.288; executed 55 + 12.55 + 1 + 10.368 + 52.48 + 7.43 = 138.828
#   rates 1, .6275, 1, 1, 52.48/55.92, .743 -> median (52.48/55.92 + 1) / 2; self-scores 99 98 98 100 100 99
#   60 indicators, all with a numeric target; 35 actuals are phrases (有效, 持续提升, 按时完成, 已完成 …);
#   17 actuals can be checked against their target and one misses it (代表工作经费 群众满意度 ≥100% / 99%,
#   given 10 of 10); 6 indicators lose points, so 54 of 60 get full marks.
XIANGSHAN_EXPECTED = {
    "template": "selfeval", "documents": 1, "forms": 6, "project_forms": 6, "dept_forms": 0, "projects": 6,
    "projects_with_amounts": 6, "budget_yuan": 1522880.0, "executed_yuan": 1388280.0,
    "execution_rate_weighted": pytest.approx(138.828 / 152.288), "execution_rate_median":
    pytest.approx((52.48 / 55.92 + 1) / 2), "dept_budget_yuan": None, "project_list_total_yuan": 1388300.0,
    "self_score_mean": 99.0, "self_score_min": 98.0, "share_self_score_ge_90": 1.0, "dept_self_score": None,
    "rule_score_mean": None, "self_score_gap_mean": None, "indicators": 60, "indicators_per_project": 10.0,
    "share_quantitative_targets": 1.0, "share_vague_targets": 0.0, "share_vague_actuals": pytest.approx(35 / 60),
    "targets_checked": 17, "targets_missed": 1, "share_unverifiable": pytest.approx(43 / 60),
    "share_targets_missed": pytest.approx(1 / 17), "scored_items": 60, "share_full_marks": pytest.approx(54 / 60),
    "full_marks_while_missed": 1, "share_full_marks_target_missed": 1.0, "anomalies": None,
    "anomalies_error_per_form": None,
}
# 安岳县 by hand from the gold: 15 projects, each with a 计分表 and a 目标完成情况表 (amounts in 百元),
# plus one department-level form of each kind. Two projects print their name differently on their two
# forms (2021年换届选举经费 / …经费经费, 新增委员办公设备采购经费 / …经费项目).
#   budgets sum 67136 百元, executed 64465 百元; rates sorted put 1.0 in the middle (8th of 15)
#   self-scores 98 93 97 93 98 98 98 93 98 93 93 100 98 98 98: sum 1446, min 93
#   116 goal-table indicators: 15 targets are not comparisons (7 dates, 1 sentence, 7 phrases: 定性及时召开, 高,
#   按时, 保障会议需求, 按时完成 ×2, 有效发挥); actuals: 5 numbers in the first project and `40` (no unit),
#   7 × 未完成 (规范性文件… project, all with numeric targets), the other 103 are 已完成/及时召开;
#   checked = 5 met + 7 missed; 300 scoring items, 22 below full marks; goal tables carry no scores.
ANYUE_EXPECTED = {
    "template": "goal_completion+scoring", "forms": 32, "project_forms": 30, "dept_forms": 2, "projects": 15,
    "projects_with_amounts": 15, "budget_yuan": 6713600.0, "executed_yuan": 6446500.0,
    "execution_rate_weighted": pytest.approx(64465 / 67136), "execution_rate_median": 1.0,
    "dept_budget_yuan": 12531944.0, "dept_executed_yuan": 12531944.0, "project_list_total_yuan": None,
    "self_score_mean": pytest.approx(1446 / 15), "self_score_min": 93.0, "share_self_score_ge_90": 1.0,
    "dept_self_score": 97.48, "indicators": 116, "indicators_per_project": pytest.approx(116 / 15),
    "share_quantitative_targets": pytest.approx(101 / 116), "share_vague_targets": pytest.approx(7 / 116),
    "share_vague_actuals": pytest.approx(103 / 116), "share_unverifiable": pytest.approx(89 / 101),
    "targets_checked": 12, "targets_missed": 7, "share_targets_missed": pytest.approx(7 / 12),
    "scored_items": 300, "share_full_marks": pytest.approx(278 / 300), "full_marks_while_missed": None,
    "share_full_marks_target_missed": None, "anomalies": None,
}


def assert_figures(row: dict, expected: dict) -> None:
    for column, value in expected.items():
        assert row[column] == value, column


@pytest.fixture(scope="module")
def both_units() -> dict[tuple, dict]:
    return summary(gold_tables(XIANGSHAN, ANYUE))


def test_one_row_per_unit_from_gold(both_units):
    assert list(both_units) == [ANYUE_KEY, XIANGSHAN_KEY]


def test_xiangshan_figures(both_units):
    assert_figures(both_units[XIANGSHAN_KEY], XIANGSHAN_EXPECTED)


def test_anyue_figures(both_units):
    assert_figures(both_units[ANYUE_KEY], ANYUE_EXPECTED)


def test_real_extract_of_000_gives_the_gold_figures(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(XIANGSHAN_RAW, raw)
    run_batch(raw, tmp_path / "curated", jobs=1)
    summarize(tmp_path / "curated", report=False)
    table = pq.read_table(tmp_path / "curated" / "unit_summary.parquet")
    rows = table.to_pylist()
    assert len(rows) == 1 and (rows[0]["region"], rows[0]["org_unit"], rows[0]["fiscal_year"]) == XIANGSHAN_KEY
    # Rule scores by hand (execution rate x weight; quantitative items by actual/target, capped; the rest
    # keep their self-score): 99, 94.175 (6.275 + 群众满意度 9.9), 98, 100, 99.3848 (52.48/55.92 x 10),
    # 97.43 (7.43, and 工作经费 ≤100000元 met: 10 where 9 was given).
    rule_scores = [99, 94.175, 98, 100, 99.3848, 97.43]
    assert_figures(rows[0], {**XIANGSHAN_EXPECTED, "rule_score_mean": pytest.approx(sum(rule_scores) / 6),
                             "self_score_gap_mean": pytest.approx(99 - sum(rule_scores) / 6)})
    assert table.schema == schemas.arrow_schema("unit_summary")


def test_rule_score_and_anomalies_when_the_validate_stage_ran():
    tables = gold_tables(XIANGSHAN, ANYUE)
    ev = tables["evaluations"]
    scored = ev["kind"].isin(["project_selfeval", "project_scoring"])
    # 相山区 rule scores 97 and 95 alternating -> mean 96, gap 99 - 96 = 3; 安岳县 left unscored (null)
    xs = scored & (ev["region"] == "相山区")
    ev.loc[xs, "rule_score"] = [97.0, 95.0] * 3
    xs_forms = list(ev.loc[xs, "eval_id"])
    tables["anomalies"] = anomalies_frame([
        {"anomaly_id": "a1", "rule_id": "R1", "severity": "error", "eval_id": xs_forms[0]},
        {"anomaly_id": "a2", "rule_id": "R1", "severity": "error", "eval_id": xs_forms[1]},
        {"anomaly_id": "a3", "rule_id": "R2", "severity": "warning", "doc_id": ev.loc[xs, "doc_id"].iloc[0]},
    ])
    units = summary(tables)
    xiangshan, anyue = units[XIANGSHAN_KEY], units[ANYUE_KEY]
    assert xiangshan["rule_score_mean"] == 96.0 and xiangshan["self_score_gap_mean"] == 3.0
    assert anyue["rule_score_mean"] is None and anyue["self_score_gap_mean"] is None
    assert xiangshan["anomalies"] == 3
    assert xiangshan["anomalies_error_per_form"] == pytest.approx(2 / 6)
    assert xiangshan["anomalies_warning_per_form"] == pytest.approx(1 / 6)
    assert xiangshan["anomalies_info_per_form"] == 0.0
    # the stage ran and found nothing for 安岳县: zero, not null
    assert anyue["anomalies"] == 0 and anyue["anomalies_error_per_form"] == 0.0


def test_n_units_including_one_without_region():
    keys = [("甲县", "甲县财政局", 2023), ("乙区", "乙区教育局", 2023), (None, "某单位", 2022),
            ("甲县", "甲县财政局", 2022)]
    units = summary(frames(synthetic_rows(keys, projects=3)))
    assert len(units) == 4
    for u, key in enumerate(keys):
        row = units[key]
        # 3 projects of budget 100 万元, executed 80 + 10u; self-score 90 + u; per project one met and one vague
        assert row["projects"] == 3 and row["budget_yuan"] == 3_000_000.0
        assert row["execution_rate_weighted"] == pytest.approx((80 + 10 * u) / 100)
        assert row["self_score_mean"] == 90 + u
        assert row["indicators_per_project"] == 2.0 and row["share_vague_actuals"] == 0.5
        assert row["targets_checked"] == 3 and row["targets_missed"] == 0 and row["share_full_marks"] == 0.5
        assert row["full_marks_while_missed"] is None


def test_forms_printing_an_abbreviated_unit_name_stay_with_their_document():
    tables = gold_tables(ANYUE)
    ev = tables["evaluations"]
    # as printed on 003's 项目支出绩效自评计分表 (预算单位名称：安岳县人大常委会办公室)
    ev.loc[ev["kind"] == "project_scoring", "org_unit"] = "安岳县人大常委会办公室"
    ev.loc[ev["kind"] == "dept_scoring", "org_unit"] = "安岳县财政局"  # a form of another unit stays apart
    units = summary(tables)
    assert sorted(units) == [("安岳县", "安岳县人民代表大会常务委员会办公室", 2023), ("安岳县", "安岳县财政局", 2023)]
    assert units[ANYUE_KEY]["projects"] == 15 and units[ANYUE_KEY]["self_score_mean"] == pytest.approx(1446 / 15)


def test_vague_words_need_no_number():
    assert is_vague("有效") and is_vague("持续提升") and is_vague("达到预期") and is_vague("已完成")
    assert not is_vague("≥97%") and not is_vague("9月支付完成") and not is_vague("未完成") and not is_vague(None)


def test_project_names_match_across_forms_only_through_filler_words():
    names = ["2021年换届选举经费经费", "2021年换届选举经费", "新增委员办公设备采购经费项目", "新增委员办公设备采购经费",
             "工作经费", "代表工作经费", "人大代表工作经费", "人大代表工作经费补助", "机关会议室改造经费项目",
             "机关会议室改造经费"]
    keys = {n: name_key(n) for n in names}
    assert keys["2021年换届选举经费经费"] == keys["2021年换届选举经费"] == "2021年换届选举"
    assert keys["新增委员办公设备采购经费项目"] == keys["新增委员办公设备采购经费"]
    assert keys["机关会议室改造经费项目"] == keys["机关会议室改造经费"]
    assert keys["工作经费"] == "工作经费"  # 工作 alone names nothing
    assert len(set(keys.values())) == 7


def test_one_unit_printed_in_full_and_abbreviated_is_one_unit():
    full = "安岳县人民代表大会常务委员会办公室"
    assert canonical_unit("安岳县人大常委会办公室", full) == full
    assert canonical_unit("安岳县财政局", full) == "安岳县财政局"
    assert canonical_unit(None, "相山区人大办公室") == "相山区人大办公室"


@pytest.fixture(scope="module")
def both_extracted(tmp_path_factory):
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("curated")
    for path in RAW.glob("*.txt"):
        shutil.copy(path, raw)
    run_batch(raw, out, jobs=1)
    summarize(out, report=False)
    return out


def test_projects_join_every_form_of_both_samples(both_extracted):
    table = pq.read_table(both_extracted / "projects.parquet")
    assert table.schema == schemas.arrow_schema("projects")
    projects = table.to_pylist()
    by_unit = {}
    for p in projects:
        by_unit.setdefault(p["org_unit"], []).append(p)
    assert {u: len(ps) for u, ps in by_unit.items()} == {"相山区人大办公室": 6, ANYUE_KEY[1]: 15}
    # every 安岳县 project joins its 计分表 (score) and its 目标完成情况表 (amounts, targets)
    anyue = by_unit[ANYUE_KEY[1]]
    assert {(p["forms"], p["template"]) for p in anyue} == {(2, "goal_completion+scoring")}
    assert all(p["self_score"] is not None and p["budget_yuan"] is not None for p in anyue)
    # no project form left out: every eval_id of a project form is in exactly one project
    evaluations = pq.read_table(both_extracted / "evaluations.parquet").to_pylist()
    forms = [e for e in evaluations if e["project"] and e["source_kind"] == "form"]
    assert sorted(e for p in projects for e in p["eval_ids"].split(" / ")) == sorted(e["eval_id"] for e in forms)
    assert {e["project_key"] for e in forms} == {p["project_key"] for p in projects}
    # a report's row about a project joins that project's key (by name, else by the budget it states)
    reports = [e for e in evaluations if e["project"] and e["source_kind"] == "report"]
    assert reports and {e["project_key"] for e in reports} <= {p["project_key"] for p in projects}
    # every sentence of the 项目支出绩效自评报告 about a project's money joins its project (4 projects; the
    # report's 人大代表专项经费 is the form's 人大代表工作经费项目, by its budget of 84.67 万元)
    statements = pq.read_table(both_extracted / "statements.parquet").to_pylist()
    about_projects = [s for s in statements if s["figure"] in ("项目预算", "项目拨付", "项目执行率")
                      and s["part"] == "2023年度项目支出绩效自评报告"]
    assert len(about_projects) == 20 and all(s["project_key"] for s in about_projects)
    reported = {p["project"]: (p["report_budget_yuan"], p["report_executed_yuan"], p["report_rate"])
                for p in anyue if p["report_lines"]}
    assert reported == {"安岳县人民代表大会会议经费项目": (1020000.0, 1017200.0, 0.9973),
                        "人大代表工作经费项目": (846700.0, 742100.0, 0.8765),
                        "“人大代表之家”“人大代表联络站”建设经费项目": (2520000.0, 2505000.0, 0.9929),
                        "专题调研、视察经费项目": (527500.0, 526600.0, 0.9983)}
    election = next(p for p in anyue if p["project"] == "2021年换届选举经费项目")
    assert (election["names"], election["project_key"], election["budget_yuan"], election["self_score"]) == (
        "2021年换届选举经费经费项目 / 2021年换届选举经费项目", "安岳县人民代表大会常务委员会办公室|2023|2021年换届选举",
        370000.0, 98.0)


def test_every_column_is_documented_with_its_comparability():
    fields = schemas.load("unit_summary")["fields"]
    assert len({f["name"] for f in fields}) == len(fields)
    for field in fields:
        assert " · " in field["description"], field["name"]
        assert field["comparability"] in ("key", "comparable", "template_specific"), field["name"]
    assert set(XIANGSHAN_EXPECTED) <= {f["name"] for f in fields}
