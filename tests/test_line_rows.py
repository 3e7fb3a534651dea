"""A web page's text keeps a table's rows as lines whose cells are separated by spaces (安徽 项目支出
绩效自评表 pages saved as text: `年度资金总额: 880 880 880 10 10`). Such a form is read as any other
flattened table: each line a row of its cells. Its budget sub-lines (其中：本年财政拨款 …) print
amounts only, and template rows left empty (`指标2：`, `……`, `指标1：/ / /`) are no indicators.
The layout follows a 天长市 page; names and figures are changed."""
from __future__ import annotations

import pytest

from parsers.recognizers.titles import match_title
from pipeline.ingest import detect_layout
from pipeline.parse import parse_document

LINE_ROWS = """某市水利局防汛股项目支出绩效自评

    项目支出绩效自评表
    (2022年度)
    项目名称 防汛抗旱经费
    主管部门 实施单位 某市水利局
    项目资金
    (万元)
    年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分
    年度资金总额: 640 640 620 10 96.88% 9.7
     其中:本年财政拨款 640 640 620 - -
        上年结转资金 - -
           其他资金 - -
    年度总体目标完成情况 预期目标 实际完成情况
     完成年度防汛工作,完成灌区节水改造项目。 完成年度目标。
    年度绩效指标完成情况 一级
    指标
    二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施


    (50分)
    数量指标 指标1:完成灌区节水改造项目数量 2 2 20 20
    指标2:
    ……
    质量指标 指标1:工程质量合格率 100% 100% 20 20
    指标2:
    ……
    时效指标 指标1:资金支付及时 10 10
    ……


    (30分)
    社会效益
    指标
    指标1:保护人口财产安全 30 30
    指标2:
    ……
    生态效益
    指标
    指标1:/ / /
    指标2:
    ……
    满意度指标
    (10分)
    服务对象
    满意度指标
    指标1:服务对象满意度 90% 95% 10 10
    总分 100 99.7
"""
FUNDS = [("年度资金总额", "640", "640", "620", "10", "96.88%", "9.7"),
         ("本年财政拨款", "640", "640", "620", None, None, None),
         ("上年结转资金", None, None, None, None, None, None),
         ("其他资金", None, None, None, None, None, None)]
ITEMS = [("数量指标", "完成灌区节水改造项目数量", "2", "2", "20", "20"),
         ("质量指标", "工程质量合格率", "100%", "100%", "20", "20"),
         ("时效指标", "资金支付及时", None, None, "10", "10"),
         ("社会效益指标", "保护人口财产安全", None, None, "30", "30"),
         ("服务对象满意度指标", "服务对象满意度", "90%", "95%", "10", "10")]


def only_form(text: str) -> dict:
    (form,) = parse_document({"format": "txt", "layout": detect_layout(text), "text": text})["forms"]
    return form


def funds(form: dict) -> list[tuple]:
    fields = ("line", "budget_initial", "budget_full_year", "executed", "weight", "rate", "score")
    return [tuple(f[k] if f[k] not in ("-",) else None for k in fields) for f in form["funds"]]


def test_a_form_whose_rows_are_lines_of_spaced_cells_is_read():
    form = only_form(LINE_ROWS)
    assert (form["kind"], form["project"], form["fiscal_year"]) == ("project_selfeval", "防汛抗旱经费", 2022)
    assert funds(form) == FUNDS
    assert [(i["level2"], i["level3"], i["target"], i["actual"], i["weight"], i["score"])
            for i in form["items"]] == ITEMS
    assert (form["total_weight"], form["total_score"]) == ("100", "99.7")


@pytest.mark.parametrize("style", ["pipes", "paragraphs"])
def test_a_budget_sub_line_that_lost_cells_holds_amounts_not_points(style):
    rows = [["项目支出绩效自评表"], ["项目名称", "办公楼暖通改造经费"],
            ["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", "43.2", "43.2", "37.24", "10", "86%", "9"],
            ["其中:当年财政拨款", "43.2", "43.2", "37.24", "", ""], ["上年结转资金", "", "", "", ""]]
    if style == "pipes":
        text = "\n".join(" | ".join(row) + " |" for row in rows)
    else:
        text = "\n\n".join("\n\n".join(c or "\u00a0" for c in row) for row in rows)
    got = funds(only_form(text))
    assert got[:2] == [("年度资金总额", "43.2", "43.2", "37.24", "10", "86%", "9"),
                       ("本年财政拨款", "43.2", "43.2", "37.24", None, None, None)]


@pytest.mark.parametrize("title", ["2017年部门整体支出绩效评价得分表", "项目支出绩效自评得分表"])
def test_a_score_sheet_titled_defen_biao_is_a_scoring_form(title):
    assert match_title(title).kind.endswith("_scoring")


# A department's scoring sheet whose title says 自评表 (安徽 寿县 layout: 序号, free level names with
# their weights, two criteria columns); an HTML table saved as text breaks its rows over lines.
SCORING_ROWS = [["2023年度部门整体支出绩效评价自评表"],
                ["序号", "一级 指标", "二级 指标", "三级 指标", "指标分值", "指标解释", "指标说明及评分标准",
                 "自评得分"],
                ["1", "规划 (15分)", "基础信息 (3分)", "基础信息 完整性", "3", "预算基础信息是否真实、完整。",
                 "1、信息是否真实(1分); 2、信息是否完整(1分); 3、信息是否准确(1分)。", "3"],
                ["2", "工作计划 (6分)", "年度工作 计划完整性", "3", "年度工作计划是否完整可行。",
                 "计划完整可行(3分)", "2"],
                ["3", "执行 (35分)", "预算执行 (18分)", "预算执行率", "5", "预算执行数与预算数的比率。",
                 "执行率100%得满分(5分)", "4.5"],
                ["合计", "", "", "", "100", "", "", "95"]]
SCORED = [("规划", 15.0, "基础信息", 3.0, "基础信息完整性", "3", "3"),
          ("规划", 15.0, "工作计划", 6.0, "年度工作计划完整性", "3", "2"),
          ("执行", 35.0, "预算执行", 18.0, "预算执行率", "5", "4.5")]


@pytest.mark.parametrize("style", ["broken_pipes", "html"])
def test_a_scoring_sheet_titled_zipingbiao_with_free_level_names(style):
    if style == "html":   # 规划 spans the rows of its second-level headings
        cells = [[f"<td>{c}</td>" for c in r] for r in SCORING_ROWS]
        cells[2][1] = cells[2][1].replace("<td>", '<td rowspan="2">')
        html = "<table>" + "".join("<tr>" + "".join(r) + "</tr>" for r in cells) + "</table>"
        doc = {"format": "html", "layout": None, "text": html, "data": html.encode()}
    else:   # each row's cells after its level names wrap to the next line, as the page printed them
        lines = [" | ".join(r[:2]) + " |\n" + " | ".join(r[2:]) + " |" if len(r) > 2 else r[0] for r in SCORING_ROWS]
        text = "\n".join(lines)
        doc = {"format": "txt", "layout": detect_layout(text), "text": text}
    (form,) = parse_document(doc)["forms"]
    assert form["kind"] == "dept_scoring"
    assert [(i["level1"], i["level1_weight"], i["level2"], i["level2_weight"], i["level3"], i["weight"], i["score"])
            for i in form["items"]] == SCORED
    assert (form["total_weight"], form["total_score"]) == ("100", "95")


# 四川 衔接资金 绩效目标自评表 as a document-sharing site dumps it: every cell run together, 分值
# printed before the targets (中江县 layout; names and figures changed).
RUN_ON = ("绩效目标自评表(2022年度)项目名称某县农村供水保障项目主管部门某县水利局实施单位某县水利局"
          "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:303010100.00%10"
          "其中:本年财政拨款3030其他资金年度总体目标年初设定目标年度总体目标完成情况综述完成农村供水设施改造。"
          "完成农村供水设施改造。绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及拟采取的改进措施"
          "产出指标(70分)数量指标安装水位标尺10≥120米≥120米10标尺宽度10≥30厘米≥30厘米10"
          "质量指标工程验收合格率20100%100%20效益指标(20分)社会效益指标群众生活条件改善状况10显著提升显著提升10"
          "满意度指标(10分)服务对象满意度指标受益群众满意度10≥95%≥95%10总分100100")


def test_a_run_on_budget_line_is_cut_where_its_score_keeps_the_execution_rule():
    form = only_form(RUN_ON)
    total = form["funds"][0]
    assert [total[k] for k in ("budget_full_year", "executed", "weight", "rate", "score")] == \
        ["30", "30", "10", "100.00%", "10"]
    assert [(i["level3"], i["target"], i["actual"], i["weight"], i["score"]) for i in form["items"]] == [
        ("安装水位标尺", "≥120米", "≥120米", "10", "10"), ("标尺宽度", "≥30厘米", "≥30厘米", "10", "10"),
        ("工程验收合格率", "100%", "100%", "20", "20"), ("群众生活条件改善状况", "显著提升", "显著提升", "10", "10"),
        ("受益群众满意度", "≥95%", "≥95%", "10", "10")]
    assert (form["total_weight"], form["total_score"]) == ("100", "100")   # `总分100100`


def test_glued_amounts_that_two_cuts_read_alike_stay_unread():
    """`99999910100%` is 99 | 99 | 99 | 10 | 100% or 999 | 999 | 10 | 100%: both keep every rule,
    so no amount is read (never invent a value)."""
    text = ("绩效目标自评表项目名称某项目资金情况(万元)年初预算数全年预算数(A)全年执行数(B)分值执行率(B/A)得分"
            "年度资金总额:99999910100%10其他资金年度总体目标年初设定目标年度总体目标完成情况综述完成。完成。"
            "绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分产出指标数量指标培训人数≥50人52人9090总分100100")
    total = only_form(text)["funds"][0]
    assert [total[k] for k in ("budget_initial", "budget_full_year", "executed")] == [None, None, None]


def test_a_form_for_a_unit_or_project_opens_after_an_indicator_table():
    """`单位名称/项目名称` below one scoring sheet opens the next, with its own columns (达州 layout)."""
    rows = [["一级指标", "二级指标", "三级指标", "得分"],
            ["部门决策(25分)", "目标任务(15分)", "相关性(5分)", "5"], ["明确性(10分)", "9"],
            ["单位名称/项目名称", ""], ["一级指标", "二级指标", "三级指标", "分值", "得分"],
            ["项目决策(20分)", "项目目标(10分)", "必要性", "5", "4"], ["可行性", "5", "5"], ["总分", "10", "9"]]
    text = "\n".join("| " + " | ".join(r) + " |" for r in rows)
    first, second = parse_document({"format": "txt", "layout": detect_layout(text), "text": text})["forms"]
    assert [(i["level1"], i["level2"], i["level3"], i["weight"], i["score"]) for i in first["items"]] == [
        ("部门决策", "目标任务", "相关性", "5", "5"), ("部门决策", "目标任务", "明确性", "10", "9")]
    assert [(i["level1"], i["level2"], i["level3"], i["weight"], i["score"]) for i in second["items"]] == [
        ("项目决策", "项目目标", "必要性", "5", "4"), ("项目决策", "项目目标", "可行性", "5", "5")]
    assert (second["total_weight"], second["total_score"]) == ("10", "9")


def test_a_scoring_sheet_with_criteria_lists_reads_the_same_space_joined():
    """r06 (项目支出绩效自评指标计分表: names carry their weights, criteria list `(1分)` items) dumped
    with its cells joined by spaces: a criteria cell with several `(N分)` is no row and no heading."""
    from scripts.text_styles import as_spaced, cells_of
    from tests.test_structure_first import page_text, read

    text = page_text("real/r06")
    assert read(as_spaced(cells_of(text))) == read(text)


def test_a_sichuan_510000_form_reads_the_same_run_on():
    """r05 with every cell run together: `总额238.93251.89251.89100.00%101.预算执行率=…` (the total
    line's weight, then its note's numbering) and `覆盖率=100%60` (指标性质 | 指标值 | 度量单位 printed
    as one target, then the weight) read as the page does."""
    from scripts.text_styles import as_run_on, cells_of
    from tests.test_structure_first import page_text, read

    text = page_text("real/r05")
    assert read(as_run_on(cells_of(text))) == read(text)
    form = only_form(as_run_on(cells_of(text)))
    assert [form["funds"][0][k] for k in ("budget_initial", "budget_full_year", "executed", "rate", "weight")] == \
        ["238.93", "251.89", "251.89", "100.00%", "10"]


def test_a_scoring_sheet_with_serial_numbers_reads_the_same_space_joined():
    """序号 opens each row with a running number; joined by spaces it stands right after the last
    row's score (`… 3 2 工作计划(6分) …`): it is no value, in every text style."""
    from scripts.text_styles import STYLES, cells_of

    pipes = "\n".join(" | ".join(r) + " |" for r in SCORING_ROWS)
    cells = cells_of(pipes)
    want = [(i["level1"], i["level2"], i["level3"], i["weight"], i["score"]) for i in only_form(pipes)["items"]]
    for style in ("paragraphs", "spaced"):   # a dump's line is long: notes follow the form
        form = only_form(STYLES[style](cells + ["注:"] + ["说明"] * 40))
        assert [(i["level1"], i["level2"], i["level3"], i["weight"], i["score"]) for i in form["items"]] == want


def test_rows_that_print_one_figure_under_weight_and_score_keep_their_names():
    """`必要性 5 可行性 5` under 分值 | 得分 with no total row: each row is read, its figure left in doubt
    (no sum says whether it is the weight or the score), never paired with the next row's name."""
    text = "项目支出绩效评价得分表 一级指标 二级指标 三级指标 分值 得分 项目决策 项目立项 必要性 5 可行性 5 明确性 4"
    form = only_form(text + " " + " ".join(["说明"] * 40))
    assert [(i["level3"], i["weight"], i["score"]) for i in form["items"]] == [
        ("必要性", None, None), ("可行性", None, None), ("明确性", None, None)]


def test_a_scoring_sheet_whose_names_carry_their_weights_reads_the_same_run_on():
    """r06 with every cell run together (`项目决策(15分)决策过程(8分)决策依据(4分)4有关法律法规…(1分)…`):
    re-cut at its weights, a weighted name before a figure is a row, the rising weights before it
    its levels, the `(1分)` items after it its criteria; the title follows `附件7`."""
    from scripts.text_styles import as_run_on, cells_of
    from tests.test_structure_first import page_text, read

    text = page_text("real/r06")
    assert read(as_run_on(cells_of(text))) == read(text)


def test_a_template_word_wrapped_onto_the_next_line_is_mended():
    from parsers.recognizers import token_rows

    lines = ["年度绩效指标完成情况 一级", "指标", "二级 指标 三级指标 分值"]
    rows = [[{"text": text, "line": n, "page": None}] for n, text in enumerate(lines, start=1)]
    assert [[c["text"] for c in row] for row in token_rows(rows)] == [
        ["年度绩效指标完成情况", "一级指标"], [""], ["二级指标", "三级指标", "分值"]]


@pytest.mark.parametrize("style", ["pipes", "paragraphs", "spaced"])
def test_a_project_list_reads_in_every_text_style(style):
    """A 项目清单 (序号 | 项目名称 | 金额（万元） | 备注, then 合计, then its title: 相山区 layout, figures
    changed) read by the order of its cells where the dump lost its rows. (Run-on text, which glues
    each amount to the next row's number, is not read.)"""
    from scripts.text_styles import STYLES

    cells = ["序号", "项目名称", "金额（万元）", "备注", "1", "人大会议经费", "55", "", "2", "代表工作经费", "12.55",
             "尚未支付完毕", "3", "招商引资工作经费", "1", "", "合计", "68.55", "",
             "某区人大办公室部门绩效自评项目清单"]
    text = STYLES[style](cells + ["附件1:"] + ["说明"] * 40)
    (plist,) = parse_document({"format": "txt", "layout": detect_layout(text), "text": text})["project_lists"]
    assert plist["title"] == "某区人大办公室部门绩效自评项目清单"
    assert [(r["project"], r["amount"], r["note"], r["is_total"]) for r in plist["rows"]] == [
        ("人大会议经费", "55", None, False), ("代表工作经费", "12.55", "尚未支付完毕", False),
        ("招商引资工作经费", "1", None, False), (None, "68.55", None, True)]


def test_a_run_on_project_list_is_cut_by_its_row_numbers():
    """`序号项目名称金额(万元)备注1人大会议经费552代表工作经费12.553…合计68.55…项目清单附件1:` (相山区
    run on, figures changed): each amount ends where the next row's number opens the next name."""
    text = ("序号项目名称金额(万元)备注1人大会议经费552代表工作经费12.553招商引资工作经费1合计68.55"
            "某区人大办公室部门绩效自评项目清单附件1:项目支出绩效自评表(2023年度)项目名称人大会议经费主管部门实施单位"
            "人大办公室项目资金(万元)年初预算数全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:"
            "55555510100%10其中:本年财政拨款555555上年结转资金其他资金年度总体目标完成情况预期目标实际完成情况"
            "会议如期召开。会议如期召开。年度绩效指标完成情况一级指标二级指标三级指标年度指标值实际完成值分值得分"
            "偏差原因分析及改进措施产出指标数量指标召开会议次数≥1次1次1010总分10099")
    plist = parse_document({"format": "txt", "layout": detect_layout(text), "text": text})["project_lists"][0]
    assert plist["title"] == "某区人大办公室部门绩效自评项目清单"
    assert [(r["project"], r["amount"], r["is_total"]) for r in plist["rows"]] == [
        ("人大会议经费", "55", False), ("代表工作经费", "12.55", False), ("招商引资工作经费", "1", False),
        (None, "68.55", True)]
