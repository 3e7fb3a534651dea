from parsers.readers.cell_lines import looks_like_cell_lines, read_cell_lines
from tests.conftest import fixture_text


def test_tab_starts_cell_blank_line_ends_row_and_untabbed_line_continues():
    blocks = read_cell_lines(fixture_text("xiangshan_form_daibiao.txt"))
    rows = [r for b in blocks if b["type"] == "table" for r in b["rows"]]
    header = next(r for r in rows if r[0]["text"].startswith("项目资金"))
    assert header[0]["text"] == "项目资金\n（万元）"  # the line without a TAB continued the cell
    assert [c["text"] for c in header[2:5]] == ["年初预算数", "全年预算数（A）", "全年执行数（B）"]
    total = next(r for r in rows if len(r) > 1 and r[1]["text"] == "年度资金总额：")
    assert [c["text"] for c in total] == ["", "年度资金总额：", "20", "20", "12.55", "10", "62.75%", "10"]


def test_vertical_level1_text_stays_in_one_cell():
    rows = [r for b in read_cell_lines(fixture_text("xiangshan_form_daibiao.txt")) if b["type"] == "table"
            for r in b["rows"]]
    first_indicator = next(r for r in rows if len(r) > 3 and r[3]["text"] == "指标1：开展活动次数")
    assert first_indicator[1]["text"] == "产\n出\n指\n标\n(50分)"


def test_line_without_tab_and_no_open_cell_is_text():
    blocks = read_cell_lines(fixture_text("xiangshan_project_list.txt"))
    texts = [b for b in blocks if b["type"] == "text"]
    assert [t["text"] for t in texts] == ["相山区人大办公室部门绩效自评项目清单"]
    assert texts[0]["line"] == 57


def test_cells_keep_their_source_line():
    blocks = read_cell_lines(fixture_text("xiangshan_project_list.txt"))
    first_row = blocks[0]["rows"][0]
    expected = [("序号", 1), ("项目名称", 2), ("金额（万元）", 3), ("备注", 4)]
    assert [(c["text"], c["line"]) for c in first_row] == expected


def test_layout_detection():
    assert looks_like_cell_lines(fixture_text("xiangshan_project_list.txt"))
    assert not looks_like_cell_lines("安岳县 2023年度项目支出绩效自评计分表\n（安岳县人民代表大会会议经费项目）\n")
