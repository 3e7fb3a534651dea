"""HTML, DOCX and XLSX renderings of a real form (with merged cells) give the same tables as the
text of that form; legacy formats are refused with a converter hint."""
from __future__ import annotations

from pathlib import Path

import pytest

from parsers.readers.html_tables import read_html
from parsers.readers.office import format_value, read_docx, read_xls, read_xlsx
from parsers.readers.pipe_cells import read_pipe_cells
from parsers.recognizers import recognize
from pipeline.extract import process_file
from tests.conftest import real_text
from tests.spanned_forms import (
    R01_YUNNAN,
    R02_DEPT,
    R05_SICHUAN,
    R06_HEADING,
    R06_SCORING,
    to_docx,
    to_html,
    to_xls,
    to_xlsx,
)

ITEM_FIELDS = ("level1", "level1_weight", "level2", "level2_weight", "level3", "target", "actual", "weight",
               "score", "note")
FUND_FIELDS = ("budget_initial", "budget_full_year", "executed", "weight", "rate", "score")


def tables(form: dict) -> dict:
    """What a form says, without where it says it (lines differ between formats)."""
    total = form["funds"][0]
    return {
        "kind": form["kind"], "project": form["project"], "fiscal_year": form["fiscal_year"],
        "money_unit": form["money_unit"], "org_unit": form["meta"].get("org_unit"),
        "implementer": form["meta"].get("implementer"), "grade": form["meta"].get("grade"),
        "total": (form["total_weight"], form["total_score"]),
        "fund_total": (total["line"], *(total.get(f) for f in FUND_FIELDS)),
        "items": [tuple(i[f] for f in ITEM_FIELDS) for i in form["items"]],
    }


def only_form(blocks: list) -> dict:
    forms = recognize(blocks)["forms"]
    assert len(forms) == 1
    return forms[0]


@pytest.fixture(scope="module")
def text_form() -> dict:
    return tables(only_form(read_pipe_cells(real_text("r01.txt"))))


@pytest.mark.parametrize("render, read", [(to_html, read_html), (to_docx, read_docx), (to_xlsx, read_xlsx)],
                         ids=["html", "docx", "xlsx"])
def test_rendered_form_matches_its_text(render, read, text_form):
    assert tables(only_form(read(render(R01_YUNNAN)))) == text_form


@pytest.mark.parametrize("render, read", [(to_html, read_html), (to_docx, read_docx), (to_xlsx, read_xlsx)],
                         ids=["html", "docx", "xlsx"])
def test_rendered_form_values_from_gold(render, read):
    form = only_form(read(render(R01_YUNNAN)))
    got = {i["level3"]: (i["level1"], i["level2"], i["target"], i["actual"], i["weight"], i["score"])
           for i in form["items"]}
    assert len(got) == 9
    assert got["资金到位及时率"] == ("产出指标", "时效指标", "≧100%", "100%", "10", "7")
    assert got["减轻贫困学生家庭经济负担"] == ("效益指标", "经济效益指标", "有效", "有效", "10", "10")
    assert got["家长满意度"] == ("满意度指标", "服务对象满意度指标等", "≧95%", "100%", "10", "10")
    assert (form["total_weight"], form["total_score"], form["meta"]["grade"]) == ("100", "96", "优")
    assert form["funds"][0]["budget_full_year"] == "387664.62" and form["money_unit"] == "元"


@pytest.mark.parametrize("render, read", [(to_docx, read_docx), (to_xlsx, read_xlsx), (to_xls, read_xls)],
                         ids=["docx", "xlsx", "xls"])
def test_sichuan_form_matches_its_text(render, read):
    office = tables(only_form(read(render(R05_SICHUAN))))
    assert office == tables(only_form(read_pipe_cells(real_text("r05.txt"))))
    assert office["total"] == ("100", None)
    assert office["fund_total"] == ("年度资金总额", "238.93", "251.89", "251.89", "10", "100.00%", None)


def test_dept_form_as_html_matches_its_text():
    html_form = only_form(read_html(to_html(R02_DEPT)))
    assert tables(html_form) == tables(only_form(read_pipe_cells(real_text("r02.txt"))))
    assert (html_form["kind"], html_form["meta"]["org_unit"], html_form["money_unit"]) == \
        ("dept_selfeval", "金寨县茶谷和美丽乡村建设服务中心", "万元")
    assert html_form["issues"] == []  # the grid is whole; only the text page was cut off


def test_form_inside_a_page_layout_table():
    blocks = read_html(to_html(R01_YUNNAN, layout_table=True))
    assert tables(only_form(blocks)) == tables(only_form(read_html(to_html(R01_YUNNAN))))


def test_scoring_sheet_as_html_matches_its_text():
    html_form = only_form(read_html(to_html(R06_SCORING, before=tuple(R06_HEADING))))
    text_form = only_form(read_pipe_cells(real_text("r06.txt")))
    fields = ("level1", "level1_weight", "level2", "level2_weight", "level3", "weight", "score")
    assert [tuple(i[f] for f in fields) for i in html_form["items"]] == \
        [tuple(i[f] for f in fields) for i in text_form["items"]]
    assert (html_form["kind"], html_form["project"]) == ("project_scoring", "持证残疾人基本状况调查")
    assert [html_form["items"][6][f] for f in ("level3", "weight", "score")] == ["资金使用", "7", "7"]


def test_merged_cells_are_given_once():
    blocks = read_html(to_html(R01_YUNNAN))
    grid = blocks[-1]["rows"]
    assert len({len(r) for r in grid}) == 1  # a full grid
    effect_rows = [r for r in grid if r[0]["text"] == "效益指标"]
    assert len(effect_rows) == 1
    below = grid[grid.index(effect_rows[0]) + 1]
    assert below[0]["text"] == "" and below[1]["text"] == "社会效益 指标"


def test_spreadsheet_values_print_as_on_paper():
    assert format_value(1.0, "0%") == "100%"
    assert format_value(1.0259, "0.00%") == "102.59%"
    assert format_value(0.0, "#,##0.00") == "0.00"
    assert format_value(387664.62) == "387664.62"
    assert format_value(10.0) == "10"
    assert format_value(None) == ""


def test_a_broken_office_file_fails_alone(tmp_path: Path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    doc = process_file(tmp_path, path, {})["documents"][0]
    assert doc["status"] == "failed" and doc["error"]


def test_office_file_without_its_extension_is_read(tmp_path: Path):
    path = tmp_path / "download_id_502364"
    path.write_bytes(to_docx(R01_YUNNAN))
    out = process_file(tmp_path, path, {})
    assert out["documents"][0]["format"] == "docx"
    assert out["documents"][0]["status"] == "ok"
    assert len(out["indicators"]) == 9
