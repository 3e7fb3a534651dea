from parsers.readers.cell_lines import read_cell_lines
from parsers.recognizers import recognize
from tests.conftest import fixture_text


def test_project_list_rows_total_and_title():
    lists = recognize(read_cell_lines(fixture_text("xiangshan_project_list.txt")))["project_lists"]
    assert len(lists) == 1
    plist = lists[0]
    assert plist["title"] == "相山区人大办公室部门绩效自评项目清单"
    assert plist["money_unit"] == "万元"
    rows = [(r["project"], r["amount"], r["is_total"]) for r in plist["rows"]]
    assert rows == [("人大会议经费", "55", False), ("代表工作经费", "12.55", False), ("招商引资工作经费", "1", False),
                    ("乡村振兴下派干部补贴", "10.368", False), ("区人大代表履职经费", "52.48", False),
                    ("工作经费", "7.43", False), (None, "138.83", True)]  # blank rows dropped
