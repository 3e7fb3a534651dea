"""自评报告 prose: the report recognizer, document metadata from lines, claims on every path.
Fixtures are short excerpts of the real dev pages (../shared/corpus/real2) and the 安岳县 sample."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from parsers.claims import find_claims
from parsers.document_meta import county_of, read_document_meta
from parsers.line_text import is_heading, join_lines
from parsers.readers.prose_lines import read_prose_lines
from parsers.recognizers.report import add_reports, report_records
from parsers.report_figures import read_figures, sentence_figures, sentences
from pipeline.batch import run_batch
from pipeline.metadata import infer_metadata
from scripts.metadata_accuracy import agrees, compare
from tests.conftest import GOLD, RAW, REAL, SCORE, SHARED
from tests.test_real_score import score

REAL2 = SHARED / "corpus" / "real2"
PROSE_PAGES = ("r07", "r08", "x05", "x14", "x17", "x29", "x32")


def lines_of(text: str) -> list[dict]:
    return read_prose_lines(text)


def only_report(text: str) -> dict:
    (record,) = report_records(lines_of(text))
    return record


X05 = """发布机构 区交通运输局 发文日期 2022-08-05

2021年美丽经济交通走廊项目专项资金绩效自评报告

字体:【大】 【小】

一、项目基本情况

二、资金使用情况

2021年预算安排2700万元,全年实际支出1723.62万元,其中溪南线提升改造工程支出1078.81万元,其他路域环境提升工程支支出644.81万元。

宁波市奉化区交通运输局

2022年08月01日
"""


def test_project_report_from_title_with_budget_and_spending():
    record = only_report(X05)
    assert (record["kind"], record["source_kind"], record["project"]) == \
        ("project_selfeval", "report", "2021年美丽经济交通走廊项目专项资金")
    assert record["fiscal_year"] == 2021 and record["money_unit"] == "万元"
    assert {k: record["funds"][0].get(k) for k in ("budget_full_year", "executed")} == \
        {"budget_full_year": "2700", "executed": "1723.62"}


def test_unit_from_signature_and_region_of_county():
    meta = infer_metadata({"lines": lines_of(X05)}, [])
    assert meta == {"region": "奉化区", "org_unit": "宁波市奉化区交通运输局", "fiscal_year": 2021}


def test_score_under_heading_project_in_title_bracket_unit_from_title():
    text = ("• 发布机构\n  • 保山市文化和旅游局\n"
            "保山市图书馆2022年度项目支出绩效自评报告(2022年公共图书馆文化馆(站)免费开放市级补助经费)\n\n"
            "一、自评结论\n\n(一)自评得分\n\n100分。\n\n1.预算执行情况分析(包括完成情况和偏差原因等)。\n\n预算执行率100%、设施设备及场地免")
    record = only_report(text)
    assert record["project"] == "2022年公共图书馆文化馆(站)免费开放市级补助经费"
    assert (record["total_score"], record["funds"][0]["rate"]) == ("100", "100%")
    assert infer_metadata({"lines": lines_of(text)}, []) == {"region": None, "org_unit": "保山市图书馆",
                                                          "fiscal_year": 2022}


def test_score_and_grade_from_the_conclusion_year_prefix_dropped():
    text = ("2021年度市级就业资金配套项目资金绩效自评报告\n发布时间:2022-04-29 14:59 作者: 来源:市人社\n\n"
            "一、项目概况\n\n"
            "三、综合评价结论\n\n2021年度市级就业资金配套项目资金绩效自评得分为98分,自评结论为“优秀")
    record = only_report(text)
    assert (record["project"], record["total_score"], record["meta"]["grade"]) == \
        ("市级就业资金配套项目资金", "98", "优秀")
    assert infer_metadata({"lines": lines_of(text)}, []) == {"region": None, "org_unit": None, "fiscal_year": 2021}


def test_project_named_in_a_sentence_wins_over_the_title():
    text = ("名称:卢龙县人民政府办公室2022年财政衔接推进乡村振兴补助资金绩效自评报告\n\n"
            "卢龙县人民政府办公室2022年财政衔接推进乡村振兴补助资金绩效自评报告\n\n一、绩效自评工作组织开展情况\n\n"
            "2022年我办管理的财政衔接推进乡村振兴补助资金项目1个,项目名称小额贷款贴息项目,预算金额2.584271万元,"
            "实际支出2.584271万元。")
    record = only_report(text)
    assert (record["project"], record["meta"]["org_unit"]) == ("小额贷款贴息项目", "卢龙县人民政府办公室")
    assert (record["funds"][0]["budget_full_year"], record["funds"][0]["executed"]) == ("2.584271", "2.584271")


def test_received_is_neither_budget_nor_spending_and_subject_line_names_the_project():
    text = ("攀枝花市仁和区同德镇2021年度部门预算项目支出绩效自评报告\n\n2021年城乡临时救助备用金\n\n一、项目概况\n\n"
            "2.资金到位。\n\n已在2021年年1231日之前困难群众得到救助。到位资金14280元。\n\n3.资金使用。\n\n"
            "已兑现困难群众因突发性急难情况后基本生活救助资金14280元。")
    record = only_report(text)
    fund = record["funds"][0]
    assert record["project"] == "2021年城乡临时救助备用金"
    assert (fund.get("budget_full_year"), fund["received"], fund["executed"], record["money_unit"]) == \
        (None, "14280", "14280", "元")


def test_unit_wide_report_names_no_project_and_keeps_initial_and_adjusted_budget():
    text = ("红河州数据发展中心2024年度项目支出绩效单位自评报告\n一、基本情况\n"
            "2024年,红河州数据发展中心(以下简称“州数据发展中心”)"
            "实施项目共15个,年初批复预算8个项目985万元(含1个年初结转结余项目50万元),调整预算后项目预算861.46万元,"
            "实际到位资金334.67万元。")
    record = only_report(text)
    fund = record["funds"][0]
    assert record["project"] is None and record["meta"]["org_unit"] == "红河州数据发展中心"
    assert (fund["budget_initial"], fund["budget_full_year"], fund["received"], fund.get("executed")) == \
        ("985", "861.46", "334.67", None)
    assert county_of("红河州数据发展中心") is None


def test_unit_wide_report_gives_a_row_per_project_with_figures():
    text = ("2023年度项目支出绩效自评报告\n一、项目基本情况\n"
            "安岳县人民代表大会会议经费预算为102万元，当年拨付101.72万元，"
            "预算执行率99.73%。\n专题调研、视察经费项目预算为52.75万元，当年拨付52.66万元，预算执行率99.83%。")
    unit, first, second = report_records(lines_of(text))
    assert unit["project"] is None and not unit["funds"]
    assert (first["project"], first["funds"][0]["budget_full_year"], first["funds"][0]["executed"],
            first["funds"][0]["rate"]) == ("安岳县人民代表大会会议经费", "102", "101.72", "99.73%")
    assert (second["project"], second["funds"][0]["executed"]) == ("专题调研、视察经费项目", "52.66")


def test_department_report_cover_code_and_kind():
    text = ("岳阳市城市管理监督指挥中心2018绩效评价自评报告及评分表(整体支出和数字城管信息采集服务费专项支出)\n"
            "来源:财务科   2019-07-09 16:55\n部门(单位)名称:  岳阳市城市管理监督指挥中心\n预 算 编 码:   906017\n"
            "一、部门(单位)基本概况\n")
    record = only_report(text)
    assert (record["kind"], record["project"], record["meta"]["budget_code"]) == ("dept_selfeval", None, "906017")
    assert infer_metadata({"lines": lines_of(text)}, [])["org_unit"] == "岳阳市城市管理监督指挥中心"


def test_indicator_stated_with_target_and_actual():
    text = ("某县2023年度项目支出绩效自评报告\n一、产出指标完成情况\n"
            "数量指标：培训人数年初目标值300人，实际完成值310人。")
    (item,) = only_report(text)["items"]
    assert (item["level1"], item["level2"], item["level3"], item["target"], item["actual"]) == \
        ("产出指标", "数量指标", "培训人数", "300人", "310人")


def test_untitled_report_completes_the_lone_form():
    form = {"kind": "project_selfeval", "money_unit": None, "issues": [], "source_line": 9, "funds": [
        {"line": "年度资金总额", "budget_initial": None, "budget_full_year": "40", "executed": "40"}]}
    text = ("一、项目基本情况\n(二)资金安排情况\n财政年初预算40万元。\n二、绩效目标完成情况分析\n"
            "2023年该项目预算40万元,实际支出40万元。\n建议2024年度安排预算资金40万元。")
    forms = [form]
    add_reports(forms, lines_of(text))
    assert forms == [form] and form["money_unit"] == "万元"
    assert form["funds"][0]["budget_initial"] == "40"


def test_quoted_or_sentence_titles_are_not_reports():
    assert report_records(lines_of("根据《2021年度绩效自评报告》要求，我单位完成了项目绩效评价报告的撰写。")) == []


def test_run_on_labels_take_full_names_only():
    line = ("1、2020年度县级专项资金绩效目标自评表专项资金名称县级储备粮负责人及电话旷建成、向建军"
            "县级主管部门衡山县商务和粮食局"
            "实施单位粮食调控储备与产业发展股项目资金(万元)全年预算数(A)") * 3
    assert read_document_meta([line])["units"] == {"department": ["衡山县商务和粮食局"] * 3}
    province = "专项名称普惠金融发展专项资金省级主管部门四川省财政厅资金情况(万元)年度金额(提前下达):208万元" * 3
    assert read_document_meta([province])["units"] == {}


def test_wrapped_number_is_not_a_heading():
    assert not is_heading("01.72万元，预算执行率99.73%。") and is_heading("1.预算执行情况") and is_heading("（二）资金")


def test_claims_read_line_blocks_of_any_reader():
    lines = [{"type": "text", "text": t, "line": n, "page": 3} for n, t in enumerate(
        ["（1）投入", "公用经费控制率=（59.66/44.07）×", "100%=125.38%。",
         "安岳县人民代表大会会议经费预算为102万元，当年拨付1",
         "01.72万元，预算执行率99.73%。"], start=1)]
    first, second = find_claims(lines)
    assert (first["source_line"], first["source_page"], first["section"], first["ok"]) == (2, 3, "（1）投入", False)
    assert (second["expression"], second["source_line"], second["ok"]) == ("101.72/102", 4, True)


ANYUE_REPORT = (2288, 2796)   # the 安岳县 unit-wide 项目支出绩效自评报告: lines of raw/003


def rewrapped(lines: list[dict], width: int) -> list[dict]:
    """Each line wrapped at ``width`` characters, as PDF text wraps a paragraph."""
    out = []
    for line in lines:
        text = "".join(line["text"].split())
        out += [{**line, "text": text[i:i + width]} for i in range(0, len(text), width)]
    return out


def cut_at(lines: list[dict], size: int) -> list[dict]:
    """The first ``size`` characters of the lines (as a 2,000-byte page is cut), mid-line."""
    out = []
    for line in lines:
        if size <= 0:
            break
        out.append({**line, "text": line["text"][:size]})
        size -= len(line["text"])
    return out


def all_statements(lines: list[dict]) -> dict[str, set[str]]:
    joined = join_lines(lines)
    out: dict[str, set[str]] = {}
    for a, b in sentences(joined.text):
        for field, fig in sentence_figures(joined, a, b).items():
            out.setdefault(field, set()).add(fig["value"])
    return out


def report_pages() -> list[list[dict]]:
    anyue = [b for b in lines_of((RAW / "003_78bee95101de8744.txt").read_text(encoding="utf-8"))
             if ANYUE_REPORT[0] <= b["line"] <= ANYUE_REPORT[1]]
    prose = [REAL2 / f"{n}.txt" for n in PROSE_PAGES if n.startswith("x")]
    return [anyue] + [lines_of(p.read_text(encoding="utf-8")) for p in prose if p.exists()]


@pytest.mark.parametrize("width", [13, 38, 80])
def test_cut_anywhere_and_rewrapped_reads_the_same(width: int):
    """Cut a report anywhere and re-wrap it: no exception, only figures the whole report
    states, each figure stated once and wholly before the cut read as the whole report reads it,
    and every claim whose sentence is whole still found."""
    for page in report_pages():
        whole = rewrapped(page, width)
        text = "".join(line["text"] for line in whole)
        whole_figures, statements = read_figures(join_lines(whole)), all_statements(whole)
        whole_claims = find_claims(whole)
        for size in range(0, len(text) + 1, max(1, len(text) // 29)):
            part = cut_at(whole, size)
            records, meta = report_records(part), read_document_meta([ln["text"] for ln in part])
            assert all(r["source_kind"] == "report" for r in records) and isinstance(meta["units"], dict)
            figures = read_figures(join_lines(part))
            for field, fig in figures.items():
                assert fig["value"] in statements[field]
                if len(statements[field]) == 1:
                    assert fig["value"] == whole_figures[field]["value"]
            claims = {(c["expression"], c["stated_value"]) for c in find_claims(part)}
            for claim in whole_claims:
                if text.find(claim["text"].rstrip("\n")) + len(claim["text"]) <= size:
                    assert (claim["expression"], claim["stated_value"]) in claims


def copy_pages(root: Path, names) -> Path:
    raw, gold = root / "raw", root / "gold"
    raw.mkdir()
    gold.mkdir()
    for name in names:
        folder = REAL if name.startswith("r") else REAL2
        shutil.copy(folder / f"{name}.txt", raw)
        shutil.copy(GOLD / folder.name / f"{name}.gold.json", gold)
    return raw


@pytest.fixture(scope="module")
def dev_run(tmp_path_factory) -> Path:
    """Every dev page (../shared/corpus/real and real2) extracted once."""
    if not (REAL2.exists() and REAL.exists() and SCORE.exists()):
        pytest.skip("../shared absent")
    root = tmp_path_factory.mktemp("dev")
    raw = copy_pages(root, [p.stem for p in [*REAL.glob("*.txt"), *REAL2.glob("*.txt")]])
    run_batch(raw, root / "out", jobs=1)
    return root


REAL2_TABLE_PAGES = ("x01", "x02", "x03", "x06", "x11", "x13", "x16", "x25", "x31")


def test_prose_pages_score(dev_run: Path, tmp_path: Path):
    for name in PROSE_PAGES:
        shutil.copy(dev_run / "gold" / f"{name}.gold.json", tmp_path)
    assert score(dev_run / "out", tmp_path)[0] >= 95.0


def test_dev_pages_keep_their_score(dev_run: Path):
    """All 23 pages, tables and reports: 84.73% when the report recognizer came in, 86.06% with
    the structure-first recognizers, 100% with run-on cells cut by column type and budgets printed
    as labelled amounts."""
    fidelity, spurious = score(dev_run / "out", dev_run / "gold")
    assert fidelity >= 99.9 and spurious == 0


def test_real2_table_pages_keep_their_score(dev_run: Path, tmp_path: Path):
    """The 9 table pages of real2: 10% before structure-first recognition, 73.97% with it, 100%
    with run-on cells cut by column type (x03, x06, x11) and labelled budget amounts (x16)."""
    for name in REAL2_TABLE_PAGES:
        shutil.copy(dev_run / "gold" / f"{name}.gold.json", tmp_path)
    fidelity, spurious = score(dev_run / "out", tmp_path)
    assert fidelity >= 99.9 and spurious == 0


def test_both_dev_sets_meet_the_bar(dev_run: Path, tmp_path: Path):
    """Issue 11's bar: real and real2 each at 98% or more, spurious rows at most 1%."""
    for subset in ("real", "real2"):
        gold = tmp_path / subset
        gold.mkdir()
        for path in (SHARED / "gold" / subset).glob("*.gold.json"):
            shutil.copy(path, gold)
        fidelity, spurious = score(dev_run / "out", gold)
        rows = sum(len(ev["items"]) for path in gold.glob("*.gold.json")
                   for ev in json.loads(path.read_text(encoding="utf-8"))["evaluations"])
        assert fidelity >= 98.0 and spurious <= rows / 100, subset


def test_metadata_right_on_all_dev_pages(dev_run: Path):
    import pandas as pd

    rows = compare(pd.read_parquet(dev_run / "out" / "documents.parquet"), dev_run / "gold")
    assert len(rows) == 69 and sum(agrees(gold, got) for *_, gold, got in rows) >= 0.95 * len(rows)


def test_html_report_page_gives_its_report_row(tmp_path: Path):
    from pipeline.extract import process_file

    html = ("<html><head><meta charset='utf-8'></head><body><p>发布机构：区交通运输局</p>"
            "<h2>2021年美丽经济交通走廊项目专项资金绩效自评报告</h2><p>一、项目基本情况</p>"
            "<p>2021年预算安排2700万元,全年实际支出1723.62万元。</p><p>宁波市奉化区交通运输局</p>"
            "<p>2022年08月01日</p></body></html>")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    out = process_file(tmp_path, tmp_path / "page.html", {})
    (row,) = out["evaluations"]
    assert (row["source_kind"], row["project"], row["budget_full_year_yuan"], row["executed_yuan"]) == \
        ("report", "2021年美丽经济交通走廊项目专项资金", 27000000.0, 17236200.0)
    doc = out["documents"][0]
    assert (doc["status"], doc["region"], doc["org_unit"], doc["fiscal_year"]) == \
        ("ok", "奉化区", "宁波市奉化区交通运输局", 2021)


def test_unsupported_page_keeps_its_metadata_and_claims(tmp_path: Path):
    from pipeline.extract import process_file

    text = ("部门(单位)名称:  岳阳市城市管理监督指挥中心\n( 2018 年度)\n"
            "2018年本单位实际支出公用经费59.66万元，预算安排公用经费44.07万元，公用经费控制率=（59.66/44.07）×100%=125.38%。\n")
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    out = process_file(tmp_path, tmp_path / "page.txt", {})
    doc = out["documents"][0]
    assert (doc["status"], doc["org_unit"], doc["fiscal_year"], doc["region"]) == \
        ("unsupported", "岳阳市城市管理监督指挥中心", 2018, None)
    (claim,) = out["claims"]
    assert (claim["expression"], claim["ok"]) == ("(59.66/44.07)*100%", False)


def test_unit_above_the_title_and_unit_naming_itself():
    head = "安岳县人大常委会办公室\n2023年度项目支出绩效自评报告\n一、项目基本情况\n"
    assert infer_metadata({"lines": lines_of(head)}, [])["org_unit"] == "安岳县人大常委会办公室"
    self_named = "我局（南召县民政局）2022年度部门预算年初预算数为1234.5万元。"
    assert read_document_meta([self_named])["units"] == {"sentence": ["南召县民政局"]}


def test_sentences_under_a_numbered_project_heading_are_that_projects():
    text = ("红河州数据发展中心2024年度项目支出绩效单位自评报告\n一、基本情况\n"
            "2024年,红河州数据发展中心实施项目共15个,年初批复预算8个项目985万元,调整预算后项目预算861.46万元。\n"
            "(一)项目概况\n(1)“数说红河”展厅运维经费。该展厅位于蒙自市。该项目年初预算50万元，实际支出48.5万元。\n"
            "二、绩效目标完成情况\n单位整体预算执行率95%。")
    unit, project = report_records(lines_of(text))
    assert (unit["funds"][0]["budget_initial"], unit["funds"][0]["rate"]) == ("985", "95%")
    assert (project["project"], project["funds"][0]["budget_initial"], project["funds"][0]["executed"]) == \
        ("“数说红河”展厅运维经费", "50", "48.5")


def test_beside_forms_a_report_row_needs_figures():
    forms = [{"kind": "project_selfeval", "source_line": 5}, {"kind": "project_scoring", "source_line": 9}]
    text = "附件1：人大代表之家建设项目绩效自评报告\n一、项目基本情况\n项目按计划实施。\n二、绩效目标完成情况\n完成。"
    add_reports(forms, lines_of(text))
    assert len(forms) == 2
    add_reports(forms, lines_of(text.replace("项目按计划实施。", "项目预算40万元，实际支出40万元。")))
    assert forms[-1]["project"] == "人大代表之家建设项目" and forms[-1]["source_kind"] == "report"


def test_title_wrapped_by_pdf_text_and_led_by_its_place():
    text = ("衡山县2022年度农村饮水安全巩固提升工程项目绩效自\n评报告\n一、项目基本情况\n"
            "项目预算120万元，实际支出118万元。")
    (record,) = report_records(lines_of(text))
    assert (record["title"], record["project"], record["fiscal_year"]) == \
        ("衡山县2022年度农村饮水安全巩固提升工程项目绩效自评报告", "农村饮水安全巩固提升工程项目", 2022)


def test_figures_in_two_money_units_are_given_in_yuan():
    text = ("某县2021年度城乡救助资金绩效自评报告\n一、项目概况\n"
            "2021年预算安排2.5万元，已兑现救助资金14280元，已支付100元。")
    record = only_report(text)
    assert record["money_unit"] == "元"
    assert (record["funds"][0]["budget_full_year"], record["funds"][0]["executed"]) == ("25000", "14280")
