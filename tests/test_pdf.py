"""The PDF reader: 相山区 rendered to PDF reads back to the same tables as its text; merged cells,
vertical text, wrapping, continued tables and page furniture; unreadable PDFs get a status."""
import io
import json
import re
import shutil

import pytest
from reportlab.pdfgen import canvas

from parsers.blocks import iter_rows
from parsers.readers.cell_lines import read_cell_lines
from parsers.readers.ocr import ocr_available
from parsers.readers.pdf import read_pdf
from parsers.readers.text_lines import read_text_lines
from parsers.recognizers import recognize
from parsers.text import clean_cell
from pipeline import parse
from pipeline.batch import run_batch
from pipeline.extract import process_file
from pipeline.normalize import to_number
from tests import pdf_fixtures
from tests.conftest import ANYUE, GOLD, RAW, XIANGSHAN, score
from tests.pdf_fixtures import (
    A4,
    FONT,
    Cell,
    Grid,
    Renderer,
    Style,
    landscape,
    render_gold,
    render_lines,
    render_parsed,
)

PDF_NAME = XIANGSHAN.replace(".txt", ".pdf")
PROVENANCE = ("doc_id", "eval_id", "source_page", "source_line")
CONTENT_TABLES = ("evaluations", "indicators", "funds", "goals", "project_lists")
# Layouts that do not come from one generator setting: other orientation, column widths, page
# breaks inside forms with the top row repeated, rotated 一级指标 glyphs, other page numbers,
# borders drawn as thin filled bars or single strokes, running heads and 续表 lines, glyphs
# placed one by one and printed twice (fake bold), wide pages printed sideways on portrait ones.
VARIANTS = {
    "a4": {},
    "landscape_rotated_flowing": {
        "style": Style(pagesize=landscape(A4), rotate_vertical=True, form_page_break=False,
                       page_number="第 {n} 页 共 {total} 页"),
        "repeat_rows": 1},
    "narrow_columns_small_pages": {
        "style": Style(pagesize=(A4[0], A4[1] * 0.6), margin=30, form_page_break=False, page_number="{n}",
                       borders="lines"),
        "widths": {"project_selfeval": [0.8, 0.6, 0.9, 1.4, 0.8, 1.5, 0.5, 0.5, 0.9],
                   "project_list": [0.4, 1.2, 0.5, 2.0]},
        "placeholders": False},
    "running_heads_continued_labels": {
        "style": Style(running_head="相山区人大办公室2023年度部门决算公开", continued_label="续表",
                       form_page_break=False, page_number="第{n}页", glyph_by_glyph=True, fake_bold=True),
        "repeat_rows": 1},
    "sideways_on_portrait_pages": {
        "style": Style(pagesize=landscape(A4), sideways=True, borders="bars"),
        "widths": {"project_selfeval": [1.0, 0.8, 1.0, 2.6, 1.0, 1.4, 0.6, 0.6, 2.0]}},
    "wide_first_column_no_repeat": {
        "style": Style(font_size=7.5, form_page_break=False, page_number="", borders="bars"),
        "widths": {"project_selfeval": [2.0, 0.7, 1.6, 2.6, 1.0, 1.0, 0.6, 0.6, 1.2]}},
}


def xiangshan_parsed() -> dict:
    return recognize(read_cell_lines((RAW / XIANGSHAN).read_text(encoding="utf-8-sig")))


def xiangshan_pdf(variant: str) -> bytes:
    return render_parsed(xiangshan_parsed(), **VARIANTS[variant])


def content_rows(tables: dict) -> dict:
    """The rows of the content tables without ids and provenance."""
    return {name: [{k: v for k, v in row.items() if k not in PROVENANCE} for row in tables[name]]
            for name in CONTENT_TABLES}


def file_tables(tmp_path, name: str, data: bytes) -> dict:
    (tmp_path / name).write_bytes(data)
    return process_file(tmp_path, tmp_path / name, {})


def test_pdf_of_xiangshan_scores_exact(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / PDF_NAME).write_bytes(xiangshan_pdf("a4"))
    run_batch(raw, out, jobs=1)
    gold = json.loads((GOLD / XIANGSHAN.replace(".txt", ".gold.json")).read_text(encoding="utf-8"))
    gold["source"] = PDF_NAME
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    assert score(out, tmp_path / "gold.json") == "fidelity 100.00% (559/559 fields), spurious 0 rows"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_pdf_and_text_give_the_same_tables(tmp_path, variant):
    text_dir, pdf_dir = tmp_path / "txt", tmp_path / "pdf"
    text_dir.mkdir()
    pdf_dir.mkdir()
    shutil.copy(RAW / XIANGSHAN, text_dir / XIANGSHAN)
    from_text = process_file(text_dir, text_dir / XIANGSHAN, {})
    from_pdf = file_tables(pdf_dir, PDF_NAME, xiangshan_pdf(variant))
    assert from_pdf["documents"][0]["status"] == "ok"
    assert len(from_pdf["indicators"]) == 60
    assert content_rows(from_pdf) == content_rows(from_text)
    doc_pdf, doc_text = from_pdf["documents"][0], from_text["documents"][0]
    for key in ("region", "org_unit", "fiscal_year", "title", "forms"):
        assert doc_pdf[key] == doc_text[key]


def test_pdf_rows_carry_their_page(tmp_path):
    tables = file_tables(tmp_path, PDF_NAME, xiangshan_pdf("a4"))
    by_name = {}
    for row in tables["indicators"]:
        by_name.setdefault(row["level3"], row)
    # A4 portrait: the list fills page 1, 人大会议经费 starts page 2 and its 满意度 rows run onto page 3.
    assert by_name["召开会议次数"]["source_page"] == 2
    assert by_name["代表满意度"]["source_page"] == 3
    assert tables["evaluations"][0]["source_page"] == 2
    assert {r["source_page"] for r in tables["project_lists"]} == {1}


# --- 安岳县: scoring sheets and goal tables drawn from the gold annotation ---------------------

ANYUE_GOLD = GOLD / ANYUE.replace(".txt", ".gold.json")
SCORING_FIELDS = ("level1", "level1_weight", "level2", "level2_weight", "level3", "weight", "score")


@pytest.fixture(scope="module")
def anyue_pdf() -> bytes:
    if not ANYUE_GOLD.exists():
        pytest.skip("../shared/gold is not present")
    return render_gold(ANYUE_GOLD)


@pytest.fixture(scope="module")
def anyue_blocks(anyue_pdf) -> list:
    return read_pdf(anyue_pdf)


def test_anyue_scoring_sheets_read_back_item_by_item(anyue_blocks):
    """Long scoring sheets run over pages with their header repeated; every item comes back."""
    gold = json.loads(ANYUE_GOLD.read_text(encoding="utf-8"))
    blocks = anyue_blocks
    forms = recognize(blocks)["forms"]
    assert sum(1 for b in blocks if b["type"] == "table") == len(forms) == 32  # continued tables joined
    sheets = [f for f in forms if f["kind"].endswith("_scoring")]
    assert [f["kind"] for f in sheets] == [e["kind"] for e in gold["evaluations"]]
    for form, expected in zip(sheets, gold["evaluations"], strict=True):
        got = [tuple(to_number(i[k]) if k in ("weight", "score") else i[k] for k in SCORING_FIELDS)
               for i in form["items"]]
        assert got == [tuple(i[k] for k in SCORING_FIELDS) for i in expected["items"]]
        assert to_number(form["total_score"]) == expected["total_score"]


def test_anyue_goal_table_budget_rows_in_hundred_yuan(anyue_blocks):
    rows = [[clean_cell(c["text"]) for c in row] for row in iter_rows(anyue_blocks)]
    header = rows.index(["预算执行情况", "项目", "预算额（百元）", "执行额（百元）", "当年结转结余额（百元）",
                         "结转结余率%", "结转结余变动率%"])
    assert rows[header + 1] == [None, "合计", "125319.44", "125319.44", None, None, None]
    assert rows.index(["项目名称", "安岳县人民代表大会会议经费"] + [None] * 5) > header


def test_pdf_of_anyue_scores_exact(tmp_path, anyue_pdf):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / ANYUE.replace(".txt", ".pdf")).write_bytes(anyue_pdf)
    run_batch(raw, out, jobs=1)
    gold = json.loads(ANYUE_GOLD.read_text(encoding="utf-8"))
    gold["source"] = ANYUE.replace(".txt", ".pdf")
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    assert score(out, tmp_path / "gold.json") == "fidelity 100.00% (3048/3048 fields), spurious 0 rows"


def normalized(tables: dict) -> dict:
    """Content rows with whitespace removed from text (the grid recognizer cleans a title's
    `安岳县 2023年度` where the flow parser keeps it) and without weight_inferred (the PDF prints
    a weight the text only implied)."""
    def norm(value):
        return "".join(value.split()) if isinstance(value, str) else value
    return {name: [{k: norm(v) for k, v in row.items() if k != "weight_inferred"} for row in rows]
            for name, rows in content_rows(tables).items()}


def test_pdf_drawn_from_anyue_text_gives_the_same_tables(tmp_path):
    """安岳县 parsed from its text, drawn as ruled forms (scoring sheets over several pages, goal
    tables in 百元), read back by the grid recognizer: the tables the flow parser read."""
    if not (RAW / ANYUE).exists():
        pytest.skip("needs the 安岳县 text")
    text = (RAW / ANYUE).read_text(encoding="utf-8")
    (tmp_path / ANYUE).write_text(text, encoding="utf-8")
    from_text = process_file(tmp_path, tmp_path / ANYUE, {})
    parsed = recognize(read_text_lines(text))
    pdf = render_parsed({**parsed, "forms": [f for f in parsed["forms"] if f.get("source_kind") != "report"]})
    from_pdf = file_tables(tmp_path, ANYUE.replace(".txt", ".pdf"), pdf)
    assert from_pdf["documents"][0]["status"] == "ok"
    assert len(from_pdf["indicators"]) == 455
    assert normalized(from_pdf) == normalized(forms_only(from_text))


def forms_only(tables: dict) -> dict:
    """The tables without the rows of the 自评报告 prose (the drawn PDF holds the forms only)."""
    reports = {e["eval_id"] for e in tables["evaluations"] if e["source_kind"] == "report"}
    return {name: [r for r in rows if r.get("eval_id") not in reports] for name, rows in tables.items()}


def anyue_lines() -> list[str]:
    path = RAW / ANYUE
    if not path.exists():
        pytest.skip(f"{ANYUE} is not present")
    return path.read_text(encoding="utf-8").splitlines()


def test_flowing_pdf_gives_the_printed_lines():
    lines = anyue_lines()[:900]
    blocks = read_pdf(render_lines(lines))
    assert [b["type"] for b in blocks] == ["text"] * len(blocks)
    assert [b["text"] for b in blocks] == [ln.strip() for ln in lines if ln.strip()]
    assert [b["line"] for b in blocks] == list(range(1, len(blocks) + 1))
    assert blocks[-1]["page"] > 1


def test_flowing_pdf_of_anyue_gives_the_same_forms_as_its_text():
    lines = anyue_lines()
    from_text = recognize(read_text_lines("\n".join(lines)))
    from_pdf = parse.parse_blocks(read_pdf(render_lines(lines)))

    def content(result: dict) -> list:
        def strip(value):
            if isinstance(value, dict):
                return {k: strip(v) for k, v in value.items() if k not in PROVENANCE}
            return [strip(v) for v in value] if isinstance(value, list) else value
        return strip(result["forms"])

    assert from_pdf["forms"] and content(from_pdf) == content(from_text)


# --- reader details on small hand-drawn pages ----------------------------------------------

def draw(*grids_and_texts, style: Style | None = None) -> bytes:
    out = Renderer(style or Style(page_number="- {n} -"))
    for item in grids_and_texts:
        if isinstance(item, str):
            out.text(item, 14, center=True)
        else:
            out.table(item)
    return out.render()


def table_rows(blocks) -> list[list[str]]:
    return [[c["text"] for c in row] for b in blocks if b["type"] == "table" for row in b["rows"]]


def indicator_grid(rows: int = 3, vertical_text: str = "产出指标(50分)") -> Grid:
    grid = Grid([1, 1, 2, 1, 1])
    grid.add(Cell("一级指标"), Cell("二级指标"), Cell("三级指标"), Cell("分值"), Cell("得分"))
    grid.add(Cell(vertical_text, rowspan=rows, vertical=True), Cell("数量指标", rowspan=rows - 1),
             Cell("指标1：召开会议次数"), Cell("20"), Cell("20"))
    for n in range(2, rows):
        grid.add(Cell(f"指标{n}：第{n}项"), Cell("5"), Cell("5"))
    grid.add(Cell("质量指标"), Cell("经费使用合规率"), Cell("5"), Cell("4"))
    return grid


def test_merged_cells_are_given_once_at_top_left():
    grid = Grid([1, 1, 1, 1])
    grid.add(Cell("项目名称"), Cell("人大会议经费", colspan=3))
    grid.add(Cell("项目资金\n（万元）", rowspan=2), Cell("年初预算数"), Cell("全年预算数"), Cell("全年执行数"))
    grid.add(Cell("55"), Cell("55"), Cell("54.5"))
    assert table_rows(read_pdf(draw(grid))) == [
        ["项目名称", "人大会议经费", "", ""],
        ["项目资金\n（万元）", "年初预算数", "全年预算数", "全年执行数"],
        ["", "55", "55", "54.5"],
    ]


@pytest.mark.parametrize("rotate", [False, True])
def test_vertical_level1_text_reads_in_order(rotate):
    blocks = read_pdf(draw(indicator_grid(), style=Style(rotate_vertical=rotate)))
    rows = table_rows(blocks)
    assert "".join(rows[1][0].split()) == "产出指标(50分)"
    assert rows[2:] == [["", "", "指标2：第2项", "5", "5"], ["", "质量指标", "经费使用合规率", "5", "4"]]


def test_cells_keep_page_and_bbox():
    blocks = read_pdf(draw(indicator_grid()))
    cell = next(c for row in iter_rows(blocks) for c in row if c["text"] == "指标1：召开会议次数")
    x0, top, x1, bottom = cell["bbox"]
    assert cell["page"] == 1 and 0 < x0 < x1 < A4[0] and 0 < top < bottom < A4[1]


def test_wrapped_number_is_joined_and_wrapped_text_keeps_its_break():
    grid = Grid([1, 0.3, 0.6])
    grid.add(Cell("金额"), Cell("10172.35"), Cell("根据年初预算，人代会经费控制在预算范围内"))
    grid.add(Cell("x"), Cell("y"), Cell("z"))
    rows = table_rows(read_pdf(draw(grid, style=Style(font_size=9))))
    assert rows[0][1] == "10172.35"  # the narrow cell wraps the number; it reads back whole
    assert rows[0][2].count("\n") == 1 and clean_cell(rows[0][2]) == "根据年初预算，人代会经费控制在预算范围内"


@pytest.mark.parametrize("repeat", [0, 1])
def test_table_continued_over_a_page_is_one_table(repeat):
    grid = indicator_grid(rows=60)
    grid.repeat_rows = repeat
    blocks = read_pdf(draw("项目支出绩效自评表", grid))
    tables = [b for b in blocks if b["type"] == "table"]
    assert len(tables) == 1
    rows = table_rows(blocks)
    assert len(rows) == 61  # header, 59 rows of 数量指标, 质量指标: a repeated header is dropped
    assert [r[3] for r in rows[1:4]] == ["20", "5", "5"]
    pages = [row[0]["page"] for row in tables[0]["rows"]]
    assert pages[0] == 1 and pages[-1] == 2 and pages == sorted(pages)


def test_forms_on_their_own_pages_stay_apart_when_titled_inside_the_table():
    """Excel-style: the title is the table's first row; the next form starts the next page."""
    def form(project: str) -> Grid:
        grid = Grid([1, 1, 1, 1], repeat_rows=1)
        grid.add(Cell("项目支出绩效自评表", colspan=4))
        grid.add(Cell("项目名称"), Cell(project, colspan=3))
        grid.add(Cell("分值"), Cell("10"), Cell("得分"), Cell("9"))
        return grid

    out = Renderer(Style())
    out.table(form("人大会议经费"))
    out.new_page()
    out.table(form("代表工作经费"))
    blocks = read_pdf(out.render())
    assert [[row[0]["text"] for row in b["rows"]] for b in blocks] == [["项目支出绩效自评表", "项目名称", "分值"]] * 2


def test_titles_between_tables_and_page_numbers_dropped():
    blocks = read_pdf(draw("相山区人大办公室部门绩效自评项目清单", indicator_grid(), "项目支出绩效自评表",
                           indicator_grid()))
    texts = [b["text"] for b in blocks if b["type"] == "text"]
    assert texts == ["相山区人大办公室部门绩效自评项目清单", "项目支出绩效自评表"]
    assert [b["type"] for b in blocks] == ["text", "table", "text", "table"]
    assert [b["line"] for b in blocks if b["type"] == "text"] == [1, 6]  # the 4 rows of the table count as lines


def test_page_without_rulings_gives_lines_of_text():
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setFont(FONT, 10)
    for n, line in enumerate(["安岳县人大常委会办公室", "项目支出绩效自评表", "项目名称 安岳县人民代表大会会议经费"]):
        pdf.drawString(60, 700 - 14 * n, line)
    pdf.showPage()
    pdf.save()
    blocks = read_pdf(buf.getvalue())
    assert [(b["type"], b["text"], b["line"], b["page"]) for b in blocks] == [
        ("text", "安岳县人大常委会办公室", 1, 1), ("text", "项目支出绩效自评表", 2, 1),
        ("text", "项目名称 安岳县人民代表大会会议经费", 3, 1)]


def test_flowing_pages_are_recognized_as_text_lines(monkeypatch):
    seen = {}
    real = parse.recognize

    def spy(blocks: list) -> dict:
        if any(b["type"] == "table" for b in blocks):
            return real(blocks)
        seen["lines"] = [(b["line"], b["text"]) for b in blocks]
        line = blocks[-1]["line"]
        item = {"level3": "召开会议次数", "source_line": line, "source_page": None}
        return {"forms": [{"kind": "project_selfeval", "funds": [], "goals": [], "items": [item],
                           "source_line": line, "source_page": None},
                          {"kind": "project_selfeval", "funds": [], "goals": [], "items": [],
                           "source_line": line, "source_page": None}], "project_lists": []}

    monkeypatch.setattr(parse, "recognize", spy)
    grid = Grid([1, 1, 1, 1])
    grid.add(Cell("序号"), Cell("项目名称"), Cell("金额（万元）"), Cell("备注"))
    grid.add(Cell("1"), Cell("人大会议经费"), Cell("55"), Cell(""))
    out = Renderer(Style())
    out.text("项目清单", 14)
    out.table(grid)
    out.new_page()
    out.text("附件2")
    out.text("项目支出绩效自评表")
    result = parse.parse_blocks(read_pdf(out.render()))
    assert seen["lines"] == [(4, "附件2"), (5, "项目支出绩效自评表")]  # lines 1-3: list page
    assert len(result["forms"]) == 1  # the form without content is dropped
    assert result["forms"][0]["source_line"] == 5 and result["forms"][0]["source_page"] == 2
    assert result["forms"][0]["items"][0]["source_page"] == 2
    assert result["project_lists"][0]["rows"][0]["project"] == "人大会议经费"


def test_title_alone_on_a_text_page_still_names_the_table_on_the_next():
    form = xiangshan_parsed()["forms"][0]
    out = Renderer(Style())
    out.text("附件1")
    out.text("项目支出绩效自评表", 14, center=True)
    out.new_page()
    out.table(pdf_fixtures.selfeval_grid(form))
    forms = parse.parse_blocks(read_pdf(out.render()))["forms"]
    assert [(f["kind"], f["project"], f["source_page"], len(f["items"])) for f in forms] == [
        ("project_selfeval", "人大会议经费", 1, len(form["items"]))]


# --- unreadable PDFs ----------------------------------------------------------------------

def scanned_pdf() -> bytes:
    out = Renderer(Style())
    out.draw(scan)
    return out.render()  # with a page number: text, but no text layer to speak of


def encrypted_pdf(user_password: str) -> bytes:
    from reportlab.lib import pdfencrypt

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4,
                        encrypt=pdfencrypt.StandardEncryption(user_password, ownerPassword="owner"))
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, 700, "Project expenditure self-evaluation 2023")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


@pytest.mark.parametrize("make, status, error", [
    (lambda: scanned_pdf(), "unsupported", "needs OCR"),
    (lambda: encrypted_pdf("secret"), "failed", "encrypted"),
    (lambda: xiangshan_pdf("a4")[:3000], "failed", "damaged"),
    (lambda: b"%PDF-1.4\n" + b"\x00garbage" * 50, "failed", "damaged"),
], ids=["scanned", "encrypted", "truncated", "garbage"])
def test_unreadable_pdfs_get_a_status_not_an_exception(tmp_path, make, status, error):
    doc = file_tables(tmp_path, "bad.pdf", make())["documents"][0]
    assert doc["format"] == "pdf"
    assert doc["status"] == status
    assert doc["error"].startswith(error)


def test_pdf_with_only_an_owner_password_is_read():
    blocks = read_pdf(encrypted_pdf(""))
    assert [b["text"] for b in blocks] == ["Project expenditure self-evaluation 2023"]


def watermark(pdf: canvas.Canvas) -> None:
    pdf.saveState()
    pdf.translate(150, 500)
    pdf.rotate(30)
    pdf.setFont(FONT, 40)
    pdf.drawString(0, 0, "内部资料 注意保密")
    pdf.restoreState()


def scan(pdf: canvas.Canvas) -> None:
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(io.BytesIO(ONE_PIXEL_PNG)), 50, 50, 400, 600)


# A white pixel: a scanned blank page (OCR, where installed, finds nothing on it, quickly).
ONE_PIXEL_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
                              "0000000a49444154789c63f80f0001010100b138f6140000000049454e44ae426082")


def test_slanted_watermark_does_not_leak_into_cells():
    out = Renderer(Style())
    out.table(indicator_grid())
    clean = table_rows(read_pdf(out.render()))
    out.draw(watermark)
    marked = read_pdf(out.render())
    assert table_rows(marked) == clean
    assert not [b for b in marked if b["type"] == "text"]


def test_scanned_page_among_text_pages_makes_the_document_partial(tmp_path):
    parsed = xiangshan_parsed()
    parsed["forms"] = parsed["forms"][:1]
    out = Renderer(Style())
    out.text("项目支出绩效自评表", 14, center=True)
    out.table(pdf_fixtures.selfeval_grid(parsed["forms"][0]))
    out.new_page()
    out.draw(scan)
    doc = file_tables(tmp_path, "mixed.pdf", out.render())["documents"][0]
    pages = len(out.pages)
    assert (doc["status"], doc["forms"]) == ("partial", 1)
    # a blank image: OCR (where installed) finds nothing on it either
    why = ", and OCR found no text on it" if ocr_available() else "; install the OCR extra: pip install 'jixiao[ocr]'"
    assert doc["error"] == f"page {pages} needs OCR (an image, no text layer{why})"


def test_corrupted_page_stream_makes_the_document_partial_not_silent(tmp_path):
    data = bytearray(xiangshan_pdf("a4"))
    starts = [m.end() for m in re.finditer(rb"stream\r?\n", bytes(data)) if data[m.start() - 3:m.start()] != b"end"]
    middle = starts[-1] + 40  # inside the last page's compressed content
    data[middle:middle + 30] = b"\x00" * 30
    doc = file_tables(tmp_path, PDF_NAME, bytes(data))["documents"][0]
    assert doc["status"] == "partial"
    assert "damaged" in doc["error"]
    assert doc["forms"] >= 5


def test_pdf_with_bytes_before_its_header_is_still_a_pdf(tmp_path):
    tables = file_tables(tmp_path, "download.bin", b"\r\n\xef\xbb\xbf \n" + xiangshan_pdf("a4"))
    assert (tables["documents"][0]["format"], tables["documents"][0]["status"]) == ("pdf", "ok")
    assert len(tables["indicators"]) == 60


def test_pdf_cache_fingerprint_covers_the_text_line_recognizers(monkeypatch):
    """Text-only PDF pages are read by the flow recognizers: a change there must re-parse cached PDFs."""
    from pipeline import cache

    cache.fingerprint.cache_clear()
    with_flow = cache.fingerprint("pdf")
    files = cache._code_files()
    monkeypatch.setattr(cache, "_code_files", lambda: [f for f in files if f.name != "flow_text.py"])
    cache.fingerprint.cache_clear()
    without_flow = cache.fingerprint("pdf")
    cache.fingerprint.cache_clear()
    assert with_flow != without_flow
