"""The 项目支出绩效自评表 recognizer on a form cut from the 相山区 sample; values from gold."""
import pytest

from parsers.readers.cell_lines import read_cell_lines
from parsers.recognizers import recognize
from parsers.text import clean_cell, split_weight, strip_label
from tests.conftest import fixture_text


@pytest.fixture(scope="module")
def form():
    forms = recognize(read_cell_lines(fixture_text("xiangshan_form_daibiao.txt")))["forms"]
    assert len(forms) == 1
    return forms[0]


def test_header(form):
    assert form["kind"] == "project_selfeval"
    assert form["project"] == "代表工作经费"
    assert form["meta"] == {"implementer": "人大办公室"}  # 主管部门 is printed empty
    assert form["money_unit"] == "万元"
    assert form["fiscal_year"] == 2023


def test_fund_rows(form):
    lines = [f["line"] for f in form["funds"]]
    assert lines == ["年度资金总额", "本年财政拨款", "上年结转资金", "其他资金"]
    total = form["funds"][0]
    assert (total["budget_initial"], total["budget_full_year"], total["executed"]) == ("20", "20", "12.55")
    assert (total["weight"], total["rate"], total["score"]) == ("10", "62.75%", "10")
    assert form["funds"][2]["executed"] is None


def test_goal(form):
    assert form["goals"][0]["goal"] == "履行代表职务，为社会发展建言献策，提升政府决策水平，促进社会经济发展"
    assert form["goals"][0]["result"] == "达到预期目标"


def test_vertical_level1_and_carried_down_merged_cells(form):
    items = form["items"]
    assert [(i["level1"], i["level1_weight"]) for i in items[:5]] == [("产出指标", 50.0)] * 5
    assert items[2]["level2"] == "质量指标"  # 代表参与率: its 二级指标 cell is merged from the row above
    assert items[2]["level3"] == "代表参与率"
    assert items[5]["level2"] == "经济效益指标"  # `经济效益\n指标` wrapped in its cell


def test_placeholders_dropped_and_labels_stripped(form):
    names = [i["level3"] for i in form["items"]]
    assert names == ["开展活动次数", "代表提出建议数", "代表参与率", "经费支出时效性", "活动经费",
                     "履行代表职责，为社会发展建言献策，促进全区经济健康发展", "社会效益影响程度",
                     "生态环境质量持续提升", "可持续影响程度", "群众满意度"]


def test_indicator_values_and_note(form):
    cost = form["items"][4]
    assert (cost["target"], cost["actual"], cost["weight"], cost["score"]) == ("≥20", "12.55万元", "10", "9")
    assert cost["note"] == "进一步加大调研视察力度，加快支付进度"
    assert form["items"][3]["actual"] == "按时完成"  # `按时  完成`: layout spaces removed


def test_total_row(form):
    assert (form["total_weight"], form["total_score"]) == ("100", "98")


def test_text_helpers():
    assert split_weight("产\n出\n指\n标\n(50分)") == ("产出指标", 50.0)
    assert split_weight("项目立项（15分）") == ("项目立项", 15.0)
    assert split_weight("数量指标") == ("数量指标", None)
    assert strip_label("指标1：召开会议次数") == "召开会议次数"
    assert strip_label("指标2：") is None
    assert clean_cell("持续\n提升") == "持续提升"
    assert clean_cell("人大会议经费\u3000") == "人大会议经费"


def anyue_goal_blocks() -> list:
    """A 安岳县 goal table as a grid (values from the gold annotation), with its subtitle and
    unit line as text above it, the way the PDF prints them."""
    def row(line: int, *texts: str) -> list[dict]:
        return [{"text": t, "line": line, "page": 1} for t in texts]

    text = ["安岳县 2023年度项目支出绩效目标完成情况表", "（安岳县人民代表大会会议经费项目）",
            "预算单位名称：安岳县人大常委会办公室  预算单位编码：114001  自评等级： 优"]
    grid = [row(4, "预算执行情况", "项目", "预算额（百元）", "执行额（百元）", "当年结转结余额（百元）", "结转结余率%"),
            row(5, "", "合计", "10200", "10172", "", ""),
            row(6, "年度绩效指标", "一级指标", "二级指标", "三级指标", "预算指标值（包含数字及文字描述）",
                "预算指标值执行结果（包含数字及文字描述）"),
            row(7, "", "项目完成", "数量指标", "计划参会人数", "≥449 人次", "449 人次")]
    return [{"type": "text", "text": t, "line": n, "page": 1} for n, t in enumerate(text, start=1)] + [
        {"type": "table", "rows": grid}]


def test_goal_table_subtitle_unit_line_hundred_yuan_and_execution_column():
    [form] = recognize(anyue_goal_blocks())["forms"]
    assert (form["kind"], form["project"]) == ("project_goal_completion", "安岳县人民代表大会会议经费项目")
    assert form["meta"] == {"org_unit": "安岳县人大常委会办公室", "budget_code": "114001", "grade": "优"}
    assert form["money_unit"] == "百元"
    assert [(f["line"], f["budget_full_year"], f["executed"]) for f in form["funds"]] == [("合计", "10200", "10172")]
    [item] = form["items"]
    assert (item["level3"], item["target"], item["actual"]) == ("计划参会人数", "≥449人次", "449人次")
