"""Run-on text (a document-sharing site's dump of a docx: every cell run together, often OCR'd)
is cut into cells by the column types the header declares and by the form's own arithmetic.
Fixtures are cut from the real pages x11 (重庆 部门整体绩效自评表, OCR'd), x06 (湖南 部门整体支出
绩效评价指标表) and x03 (县级专项资金绩效目标自评表); values as the gold gives them."""
from __future__ import annotations

import pytest

from parsers.recognizers.glued import points_hold, split_overfull_points, unglue
from parsers.recognizers.row_cut import column_fits, doubled, row_values
from parsers.recognizers.typed_cells import cut_name_cell
from parsers.text import match_header, scrambled
from parsers.vocabulary import INDICATOR_COLUMNS
from pipeline.ingest import detect_layout
from pipeline.parse import parse_document

# x11, lines 1-3 cut to the budget block and five indicator rows; OCR's mistakes as printed
# (`年成值全完值` for 全年完成值, `性标定指` for 定性指标, `tot扁` for 篇, `O` for a figure).
X11 = ("1、部门整体绩效自评表主管部门财政处室自评总分(分)97.6部门联系人曾雪莲联系电话部门预算执行情况相)预资5年初预算数"
       "全年(If整)预算数全年执行数执行率(%)执行率权重执行率得分(分)O76%107.6当年绩效目标年初绩效目标全年(调整)绩效目标"
       "全年目标实际完成情况无通过整合各级各类媒体、户外广告载体、宣传宣讲活动等,为建设成渝地区双城经济圈营造良好氛围。"
       "指标名称计量单位指标性质年初指标值调整指标值年成值全完值得分系数(%)指标权重(分)指标得分(分)是否核心指标"
       "财政供养人员控制率%定量指标100%92%100%22否“三公经费变动率%100%22否预算调整率%3%0100%22否"
       "管理制度健全性性标定指高高100%33否资金使用合规性好好100%55否播发稿件数量tot扁2200篇2859篇100%1010是"
       "业务保障能力提升%90%95%100%1010否公共服务")
# x06, lines 1-3: a scoring sheet whose criteria quote figures and header words.
X06 = ("1、雨花区2022年度部门(单位)整体支出绩效评价自评报告部门(单位)名称长沙市雨花区发展和改革局预算编码302001"
       "雨花区财政局(制)部门整体支出绩效评价指标表级指标分值二级指标分值三级指标分值评价标准指标说明得分投入13预算配置13"
       "在职人员控制率5以100%为标准。在职人员控制率W100%,计5分;每超过一个百分点扣0.5分,扣完为止。5“三公经费”变动率8"
       "“三公经费”变动率至0,计8分;每超过一个百分点扣0.8分,扣完为止。8过程61预算执行20预算完成率5100%计满分,每低于5%扣2分,"
       "扣完为止。预算完成率=(上年结转+年初预算+本年追加预算-年末结余/上年结转+年初预算+本年追加预算)X100%.5预算控制率5"
       "预算控制率=0,计5分;OTo%(含),计4分;10-20%(含),计3分;20-30%(含),计2分;大于30%不得分预算控制率=(本年追加预算/"
       "年初预算)100%o5新建楼堂馆所面积控制率5100%以下(含)计满分,每超出5%扣2分,扣完为止。5新建楼堂馆所投资")
# x03, lines 1-3: a rate glued inside a name, a qualitative pair glued to one.
X03 = ("1、2020年度县级专项资金绩效目标自评表专项资金名称县级储备粮负责人及电话旷建成、向建军"
       "县级主管部门衡山县商务和粮食局"
       "项目资金(万元)全年预算数(A)全年执行数(B)执行率(B/A)年度资金总额194.9194.9100%其他资金年度总体目标年初设定目标"
       "全年实际完成情况保持和稳定地方粮食储备机制地方储备粮食规模达标绩效指标一级指标二级指标三级指标年度指标值全年完成值"
       "未完成原因和改进措施效益指标经济效益指标利息费用保障率100%100%政策性挂账利息补贴保障率100%无没有轮换、动用库存"
       "可持续影响指标粮食储备设备维护及安全性高高满意度指标服务对象满意度指标市民满意度调查90%100%说明无")


def form_of(text: str) -> dict:
    doc = {"format": "txt", "layout": detect_layout(text), "text": text}
    assert doc["layout"] == "run_on"
    (form,) = [f for f in parse_document(doc)["forms"] if f["items"]]
    return form


def rows(form: dict) -> list[tuple]:
    return [(i["level3"], i["target"], i["actual"], i["weight"], i["score"]) for i in form["items"]]


def test_chongqing_ocr_run_on_rows_are_cut_by_column_type():
    form = form_of(X11)
    assert (form["kind"], form["total_score"]) == ("dept_selfeval", "97.6")
    assert rows(form) == [
        ("财政供养人员控制率", "100%", "92%", "2", "2"), ("“三公经费变动率", None, None, "2", "2"),
        ("预算调整率", "3%", "0", "2", "2"), ("管理制度健全性", "高", "高", "3", "3"),
        ("资金使用合规性", "好", "好", "5", "5"), ("播发稿件数量", "2200篇", "2859篇", "10", "10"),
        ("业务保障能力提升", "90%", "95%", "10", "10")]
    assert any("公共服务" in issue for issue in form["issues"])   # the page ends inside the next row


def test_a_budget_line_without_label_is_the_blocks_total():
    """重庆 prints one unlabelled line under 部门预算执行情况; OCR read its empty amounts as `O`
    (left blank, not read as 0) and glued 执行率权重 10 to 执行率得分 7.6."""
    (fund,) = form_of(X11)["funds"]
    assert (fund["line"], fund["rate"], fund["weight"], fund["score"]) == ("年度资金总额", "76%", "10", "7.6")
    assert fund["executed"] is None and fund["budget_full_year"] is None


def test_run_on_scoring_rows_are_found_by_their_ends():
    form = form_of(X06)
    assert form["kind"] == "dept_scoring"
    assert [(i["level1"], i["level1_weight"], i["level2"], i["level2_weight"], *r)
            for i, r in zip(form["items"], rows(form), strict=True)] == [
        ("投入", 13.0, "预算配置", 13.0, "在职人员控制率", None, None, "5", "5"),
        ("投入", 13.0, "预算配置", 13.0, "“三公经费”变动率", None, None, "8", "8"),
        ("过程", 61.0, "预算执行", 20.0, "预算完成率", None, None, "5", "5"),
        ("过程", 61.0, "预算执行", 20.0, "预算控制率", None, None, "5", "5"),
        ("过程", 61.0, "预算执行", 20.0, "新建楼堂馆所面积控制率", None, None, "5", "5")]


def test_values_glued_inside_a_name_cell():
    form = form_of(X03)
    assert rows(form)[:3] == [("利息费用保障率", "100%", "100%", None, None),
                              ("政策性挂账利息补贴保障率", "100%", "无", None, None),
                              ("粮食储备设备维护及安全性", "高", "高", None, None)]
    assert form["items"][1]["note"] == "没有轮换、动用库存"


@pytest.mark.parametrize("cell, field", [("年成值全完值", "actual"), ("指标值年度", "target"),
                                         ("全年完成值", "actual")])
def test_a_header_cell_ocr_scrambled_still_names_its_column(cell, field):
    assert match_header(cell, INDICATOR_COLUMNS) == field


@pytest.mark.parametrize("key, word", [("完成值", "全年完成值"), ("全年完成情况说明", "全年完成值"), ("得分", "分得")])
def test_scrambled_needs_every_character_and_a_long_word(key, word):
    assert not scrambled(key, word)


@pytest.mark.parametrize("text, parts", [
    ("否“三公经费变动率%", ["否", "“三公经费变动率", "%"]),
    ("财政供养人员控制率%定量指标", ["财政供养人员控制率", "%", "定量指标"]),
    ("是管理制度健全性性标定指高高", ["是", "管理制度健全性", "定性指标", "高", "高"]),
    ("党性教育培训次数次", ["党性教育培训次数", "次"]),
    ("制作宣传品数量份第O份", ["制作宣传品数量", "份", "第O份"]),
    ("播发稿件数量tot扁", ["播发稿件数量"]),
    ("组织宣传活动次数次到", ["组织宣传活动次数", "次", "到"]),   # a comparator OCR misread
    # a CJK character after a unit may be the name's own: no cut
    ("新增就业人数", ["新增就业人数"]),
    ("是否按时完成", ["是否按时完成"]),
])
def test_a_glued_name_cell_is_cut_only_into_the_header_columns(text, parts):
    units = {"%", "次", "份", "人"}
    assert cut_name_cell(text, {"yes_no", "unit", "nature"}, units) == parts


@pytest.mark.parametrize("text, parts", [   # r03 (安徽, 财政部 2020 template) run together
    ("经费支出合规性严格执行相关制度规定达成预期指标", ["经费支出合规性", "严格执行相关制度规定", "达成预期指标"]),
    ("对维护基建市场公平的影响程度效果明显达成预期指标", ["对维护基建市场公平的影响程度", "效果明显", "达成预期指标"]),
    # a target in the templates' own words marks the name's end, also where no name ending does
    ("单项业务成本符合相关规定达成预期指标", ["单项业务成本", "符合相关规定", "达成预期指标"]),
    ("对推动基建项目“四项制度”健全和落实的持续性影响效果明显达成预期指标",
     ["对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显", "达成预期指标"]),
    ("资金使用规范性较好达成预期指标", ["资金使用规范性", "较好", "达成预期指标"]),
])
def test_a_graded_actual_ends_a_qualitative_row(text, parts):
    assert cut_name_cell(text, {"measured"}, {"%"}) == parts


def test_name_cells_keep_their_ends_when_the_header_has_no_such_column():
    assert cut_name_cell("否“三公经费变动率%", set(), {"%"}) == ["否“三公经费变动率%"]


@pytest.mark.parametrize("cut, ok", [(["10", "10"], True), (["101", "0"], False), (["5", "4"], True),
                                     (["4", "5"], False), (["100%", "10"], True), (["——", "1"], False)])
def test_points_hold(cut, ok):
    assert points_hold(cut) is ok


def test_doubled_points_split_only_in_run_on_rows_short_of_cells():
    cols = ["target", "actual", "weight", "score"]
    assert row_values(["100%", "100%", "1010"], cols, glued=True) == ["100%", "100%", "10", "10"]
    assert row_values(["100%", "100%", "1010"], cols, glued=False) == ["100%", "100%", "1010"]
    assert row_values(["100%", "100%", "10", "10"], cols, glued=True) == ["100%", "100%", "10", "10"]
    assert row_values(["83.5%", "2018"], ["actual", "weight", "score"], glued=True) == ["83.5%", "20", "18"]
    # Anhui `≥50个5088`: actual, weight and score glued; the one cut whose last two read as points
    assert row_values(["≥50个", "5088"], cols, glued=True) == ["≥50个", "50", "8", "8"]
    assert doubled("1010") == "10" and doubled("1011") is None and doubled("22") == "2"


@pytest.mark.parametrize("value, cut", [   # r02 (安徽 金寨县) run together
    ("≤441010", ["≤4", "4", "10", "10"]), ("≥2002021010", ["≥200", "202", "10", "10"]),
    ("≥200030611010", ["≥2000", "3061", "10", "10"]), ("1001001010", ["100", "100", "10", "10"]),
    ("10010010100", None),   # the ending 0: a fifth cell, or 100 | 100101 | 0 | 0? not read
    ("≥5041010", None),   # missed (4 < 50) or 504 | 10 | 10 ... : no reading is the one
])
def test_a_met_target_glued_to_its_actual_and_full_marks(value, cut):
    from parsers.recognizers.row_cut import met_in_full

    assert met_in_full(value, 3) == cut


def test_a_unit_after_doubled_points_is_the_next_words():
    """r01 run together: `…100%1010家长满意度` is 10 | 10 | 家长满意度, not 1010家 | 长满意度."""
    from parsers.readers.run_on import split_values

    assert split_values("学生满意度≧95%100%1010家长满意度≧95%100%1010") == [
        "学生满意度", "≧95%", "100%", "1010", "家长满意度", "≧95%", "100%", "1010"]
    assert split_values("其中羊养殖数量180只180只其中猪") == ["其中羊养殖数量", "180只", "180只", "其中猪"]


def test_several_glued_values_split_each_by_its_own_rule():
    values = ["3%", "0100%", "22"]
    assert unglue(values, 2, lambda _: True, points_hold) == ["3%", "0", "100%", "22"]   # `22` is a number


def test_overfull_points_after_a_rate():
    assert split_overfull_points([None, "76%", "107.6"], 2) == [None, "76%", "10", "7.6"]
    assert split_overfull_points(["107.6", "100%"], 2) == ["107.6", "100%"]   # an amount, before the rate


@pytest.mark.parametrize("col, value, ok", [
    ("flag", "否", True), ("flag", "好", False), ("target_unit", "%", True), ("target_unit", "元/人", True),
    ("target_unit", "高", False), ("target_op", "定量指标", True), ("target_op", "≧", True),
    ("target_op", "100%", False), ("actual", "次", False), ("actual", "是", True), ("note", "%", True)])
def test_column_types_are_template_data(col, value, ok):
    assert column_fits(col, value) is ok


def test_row_labels_and_filler_rows_cut_a_run_on_table():
    """`指标1工程完工率1001001010指标2……` (廊坊 r04 run on): a row label opens a row, the template's
    `……` row holds nothing, a grade word ending in 指标 keeps its figures (`达成预期指标88`)."""
    from parsers.readers.run_on import term_cells

    cells = [c for _, c in term_cells("指标1工程完工率1001001010指标2工程验收合格率1001001010指标3……达成预期指标88")]
    assert cells == ["指标1工程完工率", "1001001010", "指标2工程验收合格率", "1001001010", "指标3",
                     "达成预期指标", "88"]


def test_a_weight_glued_to_a_met_target_splits_at_the_score():
    """`595% | 100% | 5` under 分值 | 年度指标值 | 实际完成值 | 得分 (x02 run on): 5 | 95% | 100% | 5, the
    full marks a met target gets; a missed target is not cut."""
    cols = ["weight", "target", "actual", "score"]
    assert row_values(["595%", "100%", "5"], cols, glued=True) == ["5", "95%", "100%", "5"]
    assert row_values(["595%", "90%", "5"], cols, glued=True) == ["595%", "90%", "5"]


def test_a_unit_after_figures_ending_in_full_marks_is_the_next_words():
    """`≤90万元9088单项业务成本` (r03 run on): 90 | 8 | 8, then 单项业务成本; `100单` ends in no points."""
    from parsers.readers.run_on import term_cells

    cells = [c for _, c in term_cells("项目总成本≤90万元9088单项业务成本")]
    assert cells == ["项目总成本", "≤90万元", "9088", "单项业务成本"]
    assert [c for _, c in term_cells("项目总成本≤90万元100单项业务成本")][-1] != "单项业务成本"


def test_a_label_word_opening_an_indicator_name_stays_in_it():
    """`预算资金拨款率100%100%1010` (x13 run on): 预算资金 is a budget label, here the start of the
    name; a level name before its row's name still opens a cell (`服务对象满意度指标等学生满意度`)."""
    from parsers.readers.run_on import term_cells

    cells = [c for _, c in term_cells("数量指标预算资金拨款率100%100%1010")]
    assert cells[:2] == ["数量指标", "预算资金拨款率"]
    cells = [c for _, c in term_cells("服务对象满意度指标等学生满意度≧95%")]
    assert cells[:2] == ["服务对象满意度指标等", "学生满意度"]


def test_decimal_figures_run_together_end_a_name_and_a_note_keeps_its_rate():
    """`工程资金金额43.237.24109已完工,剩余3%尾款未付…` (r04 run on): the amounts glued to the name are
    its values (43.2 | 37.24 | 10 | 9); the note after them keeps its `3%`."""
    from parsers.readers.run_on import term_cells

    cells = [c for _, c in term_cells("数量指标指标1工程资金金额43.237.24109已完工,剩余3%尾款未付。指标2质量指标")]
    assert cells[1:4] == ["指标1工程资金金额", "43.237.24109", "已完工,剩余3%尾款未付"]
    from parsers.recognizers.typed_cells import cut_glued

    cols = ["target", "actual", "weight", "score", "note"]
    assert cut_glued("已完工,剩余3%尾款未付", {"measured"}, cols, set()) == ["已完工,剩余3%尾款未付"]
    assert cut_glued("政策性挂账利息补贴保障率100%无没有轮换、动用库存", {"measured"}, cols, set()) == [
        "政策性挂账利息补贴保障率", "100%", "无", "没有轮换、动用库存"]


@pytest.mark.parametrize("text, name, label", [
    ("项目名称委托业务项目主管部门池州市贵池区", "委托业务项目", "主管部门"),   # r03 (安徽) run on
    ("项目名称2023年全县安可替代补助资金项目主管部门大英县司法局", "2023年全县安可替代补助资金项目", "主管部门"),
    ("政策(项目)名称人大代表之家建设项目主管部门梓潼县人大常委会办公室", "人大代表之家建设", "项目主管部门"),  # r07
    ("项目名称河西村特色种养补贴到户项目项目负责人及电话李宁", "河西村特色种养补贴到户项目", "项目负责人及电话"),  # x02
])
def test_a_project_name_ending_in_xiangmu_before_a_label(text, name, label):
    from parsers.readers.run_on import term_cells

    cells = [c for _, c in term_cells(text)]
    assert cells[1:3] == [name, label]


def test_a_title_after_an_attachment_marker_is_cut_out_of_run_on_text():
    """`…合计138.83相山区人大办公室部门绩效自评项目清单附件1:项目支出绩效自评表(2023年度)项目名称…`: a
    title of any rule's priority opens a form right after `附件N:`; the highest-priority titles are cut
    wherever they stand."""
    from parsers.readers.run_on import split_titles

    text = "合计138.83某区人大办公室部门绩效自评项目清单附件1:项目支出绩效自评表(2023年度)项目名称人大会议经费"
    assert split_titles(text) == ["合计138.83某区人大办公室部门绩效自评项目清单附件1:", "项目支出绩效自评表",
                                  "(2023年度)项目名称人大会议经费"]
