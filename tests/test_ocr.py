"""Scanned pages read by OCR: scans made here from the project's own rendering of 相山区
(rasterized, noise, a slight turn, a red seal over cells) give the tables of its text, flagged as
OCR; nothing is fetched at run time; pages whose text layer is garbage are read from the image;
unsure figures are decided by the form's arithmetic; anomalies on OCR figures are warnings."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from parsers.ocr_digits import decide_unsure_figures
from parsers.ocr_doubt import line_doubts, mark_ocr
from parsers.ocr_labels import snap_labels
from parsers.readers import ocr, pdf
from parsers.recognizers.record import new_form, new_item
from pipeline import batch, cache
from pipeline.extract import process_file
from pipeline.rules import severity
from pipeline.tables import indicator_row
from tests.conftest import RAW, XIANGSHAN
from tests.scan_fixtures import ScanStyle, scan_pdf
from tests.test_pdf import xiangshan_pdf

needs_ocr = pytest.mark.skipif(not ocr.ocr_available(), reason="the OCR extra (.[ocr]) is not installed")
# Page 2 of the A4 rendering holds 人大会议经费's form, page 3 the rest of its indicators.
FORM_PAGES = [2, 3]
SIDEWAYS_ITEMS = 9  # of its 11 indicators, those on page 2
COMPARED = ("level1", "level1_weight", "level2", "level2_weight", "level3", "target_raw", "actual_raw",
            "weight", "score")


def first_form(tables: dict) -> tuple[dict, list[dict]]:
    evaluation = tables["evaluations"][0]
    return evaluation, [i for i in tables["indicators"] if i["eval_id"] == evaluation["eval_id"]]


@pytest.fixture(scope="module")
def from_text(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("text")
    shutil.copy(RAW / XIANGSHAN, folder / XIANGSHAN)
    return process_file(folder, folder / XIANGSHAN, {})


def scanned_tables(folder, dpi: int, pages: list[int], quarter_turns: int = 0) -> dict:
    style = ScanStyle(dpi=dpi, quarter_turns=quarter_turns)
    (folder / "scan.pdf").write_bytes(scan_pdf(xiangshan_pdf("a4"), style, pages=pages))
    return process_file(folder, folder / "scan.pdf", {})


@needs_ocr
@pytest.mark.slow
def test_scanned_form_reads_back_as_its_text(tmp_path, from_text):
    """The lower resolution (150 dpi) of the two the fidelity targets name; the 300 dpi figures
    for the whole samples come from scripts/bench_ocr.py."""
    tables = scanned_tables(tmp_path, 150, FORM_PAGES)
    assert tables["documents"][0]["status"] == "ok"
    evaluation, items = first_form(tables)
    text_evaluation, text_items = first_form(from_text)
    assert len(items) == len(text_items) == 11
    assert all(i["ocr"] and 0 < i["ocr_conf"] <= 1 for i in items)
    assert evaluation["ocr"] and not text_evaluation["ocr"]
    for item, expected in zip(items, text_items, strict=True):
        wrong = {k for k in COMPARED if item[k] != expected[k]}
        # a value that differs must be one OCR doubted
        assert wrong <= set((item["ocr_doubt"] or "").split(",")), (wrong, item)
    for key in ("project", "total_score", "total_weight", "budget_full_year_yuan", "executed_yuan"):
        assert evaluation[key] == text_evaluation[key], key


@needs_ocr
@pytest.mark.slow
@pytest.mark.parametrize("quarter_turns", [1, 3], ids=["turned-left", "turned-right"])
def test_a_form_scanned_sideways_reads_as_upright(tmp_path, from_text, quarter_turns):
    """Page 2 scanned sideways (a quarter turn either way, as a landscape 自评表 printed across
    the sheet is): read turned upright, its rows as the text's."""
    tables = scanned_tables(tmp_path, 150, FORM_PAGES[:1], quarter_turns)
    evaluation, items = first_form(tables)
    text_evaluation, text_items = first_form(from_text)
    assert len(items) == SIDEWAYS_ITEMS
    for item, expected in zip(items, text_items, strict=False):
        assert {k for k in COMPARED if item[k] != expected[k]} <= set((item["ocr_doubt"] or "").split(","))
    for key in ("project", "budget_full_year_yuan", "executed_yuan"):
        assert evaluation[key] == text_evaluation[key], key
    page = max(tables["cells"], key=lambda c: c["bottom"])
    assert page["bottom"] > 595  # cells laid out on the page turned upright (portrait)


@needs_ocr
@pytest.mark.slow
def test_scanned_project_list_reads_back_as_its_text(tmp_path, from_text):
    """Page 1 (the 项目清单) scanned at 300 dpi: every row and amount as in the text."""
    tables = scanned_tables(tmp_path, 300, [1])
    fields = ("seq", "project", "amount_yuan", "amount_raw", "is_total")
    assert [tuple(r[k] for k in fields) for r in tables["project_lists"]] == \
        [tuple(r[k] for k in fields) for r in from_text["project_lists"]]


@needs_ocr
def test_ocr_models_ship_with_the_package(monkeypatch):
    """Any attempt to fetch a model fails here, yet the engine loads and reads."""
    import numpy as np
    import requests

    def no_network(*args, **kwargs):
        raise AssertionError(f"network use: {args[:2]}")

    monkeypatch.setattr(requests, "get", no_network)
    monkeypatch.setattr(requests.Session, "request", no_network)
    ocr.engine.cache_clear()
    try:
        blank = np.full((64, 64, 3), 255, np.uint8)
        assert ocr.engine()(blank).boxes is None
    finally:
        ocr.engine.cache_clear()


@needs_ocr
@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare is not available")
def test_ocr_runs_with_the_network_cut():
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    code = ("import numpy as np; from parsers.readers.ocr import engine; "
            "print(engine()(np.full((64, 64, 3), 255, np.uint8)).boxes is None)")
    result = subprocess.run(["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, cwd=str(RAW.parent))
    assert result.stdout.strip() == "True", result.stderr[-2000:]


class Geometry:
    """The parts of pdf.PageGeometry that decide whether a page needs OCR."""

    def __init__(self, texts: list[str], image_share: float):
        self.chars = [{"text": t} for t in texts]
        self.width, self.height = 100.0, 100.0
        self.image_area = image_share * self.width * self.height


@pytest.mark.parametrize("texts, image_share, why", [
    (["- 1 -"], 0.9, "an image, no text layer"),
    (["(cid:12)", "(cid:40)", "5", "(cid:7)"] * 10, 0.0, "its text layer is unmapped glyphs"),
    (["\ufffd"] * 30 + ["2023"], 0.0, "its text layer is unmapped glyphs"),
    (list("Ixl Sdf 0ue1 qwe ertz uiop asdf"), 0.95, "an image under a text layer without Chinese"),
    (list("项目支出绩效自评表（2023年度）项目名称人大会议经费"), 0.95, None),
    (list("Ixl Sdf 0ue1 qwe ertz uiop asdf"), 0.1, None),
], ids=["scan", "cid", "fffd", "latin-over-image", "chinese-over-image", "latin-only"])
def test_pages_that_need_ocr(texts, image_share, why):
    assert pdf.missing_text_layer(Geometry(texts, image_share)) == why


def test_without_the_ocr_extra_a_scan_says_how_to_read_it(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "ocr_available", lambda: False)
    scan = scan_pdf(xiangshan_pdf("a4"), ScanStyle(dpi=72, stamp=False), pages=[2])
    (tmp_path / "scan.pdf").write_bytes(scan)
    doc = process_file(tmp_path, tmp_path / "scan.pdf", {})["documents"][0]
    assert doc["status"] == "unsupported"
    assert doc["error"] == "needs OCR: no text layer on any page (scanned images)"


# --- unsure figures and the form's arithmetic -----------------------------------------------

def ocr_form(scores: list[tuple[str, float]], total: tuple[str, float]) -> tuple[dict, list]:
    """A form whose item scores (text, OCR confidence) sit one per line, its total on the last."""
    form = new_form("project_scoring", "项目支出绩效自评计分表", 1, None)
    rows = []
    for line, (score, conf) in enumerate(scores, start=2):
        form["items"].append(new_item(level3=f"指标{line}", weight="10", score=score, source_line=line))
        rows.append([{"text": f"指标{line}", "line": line, "page": 1, "ocr_conf": 0.99},
                     {"text": "10", "line": line, "page": 1, "ocr_conf": 0.99},
                     {"text": score, "line": line, "page": 1, "ocr_conf": conf}])
    end = len(scores) + 2
    rows.append([{"text": "合计", "line": end, "page": 1, "ocr_conf": 0.99},
                 {"text": total[0], "line": end, "page": 1, "ocr_conf": total[1]}])
    form["total_score"] = total[0]
    return form, [{"type": "table", "rows": rows}]


def test_one_unsure_digit_is_decided_by_the_total():
    form, blocks = ocr_form([("9", 0.99), ("3", 0.62), ("10", 0.98)], ("27", 0.99))
    decide_unsure_figures([form], blocks)
    assert [i.get("score_read", i["score"]) for i in form["items"]] == ["9", "8", "10"]
    assert form["items"][1]["ocr_note"] == "得分 read as 3 (confidence 0.62): set to 8 by the form's total"
    assert form["items"][1]["score"] == "3"  # as OCR read it: the raw column


def test_unsure_figures_that_add_up_stand():
    form, blocks = ocr_form([("9", 0.99), ("8", 0.62), ("10", 0.7)], ("27", 0.99))
    decide_unsure_figures([form], blocks)
    assert [(i.get("score_read"), i.get("ocr_note")) for i in form["items"]] == [(None, None)] * 3


@pytest.mark.parametrize("scores, total", [
    ([("9", 0.99), ("3", 0.62), ("1", 0.7)], ("27", 0.99)),   # two unsure: no one reading
    ([("9", 0.99), ("3", 0.62), ("10", 0.99)], ("27", 0.5)),  # the total itself unsure
    ([("9", 0.99), ("3", 0.62), ("10", 0.99)], ("34", 0.99)),  # 15 is no misread of 3
], ids=["two-unsure", "unsure-total", "too-far"])
def test_undecidable_unsure_figures_are_left_null_with_a_note(scores, total):
    form, blocks = ocr_form(scores, total)
    decide_unsure_figures([form], blocks)
    unsure = [i for i, (_, conf) in zip(form["items"], scores, strict=True) if conf < ocr.LOW_CONF]
    assert all(i["score_read"] is None and i["ocr_note"].endswith("unsure, left null") for i in unsure)
    assert [i["score"] for i in unsure] == [text for text, conf in scores if conf < ocr.LOW_CONF]
    assert "score_read" not in form["items"][0]


def test_text_input_is_left_alone():
    form, blocks = ocr_form([("9", 0.99), ("3", 0.62)], ("27", 0.99))
    for row in blocks[0]["rows"]:
        for cell in row:
            cell.pop("ocr_conf", None)
    decide_unsure_figures([form], blocks)
    assert [i.get("score_read") for i in form["items"]] == [None, None]


def test_errors_on_unsure_ocr_figures_are_warnings():
    assert severity("score_total", "error", "ok") == "error"
    assert severity("score_total", "error", "ok", ocr_conf=0.91) == "warning"
    assert severity("score_total", "error", "ok", ocr_conf=0.995) == "error"
    assert severity("list_vs_form", "warning", "ok", ocr_conf=0.5) == "warning"


def test_a_label_misread_by_one_character_is_put_right():
    """`主管部门` read as `主管部内` (a 150 dpi scan of 相山区); names and text input stay."""
    row = [{"text": "主管部内", "line": 3, "page": 1, "ocr_conf": 0.77},
           {"text": "人大办公室", "line": 3, "page": 1, "ocr_conf": 0.99},
           {"text": "实施单竝", "line": 3, "page": 1},
           {"text": "年初预算数", "line": 3, "page": 1, "ocr_conf": 0.99},  # surely read: no 年度预算数
           {"text": "时效指标", "line": 3, "page": 1, "ocr_conf": 0.6},  # no label, though 绩效指标 is
           {"text": "分值", "line": 3, "page": 1, "ocr_conf": 0.5}]
    blocks = [{"type": "table", "rows": [row]}, {"type": "text", "text": "实施单竝", "line": 4, "page": 1,
                                                 "ocr_conf": 0.8}]
    snap_labels(blocks)
    assert [c["text"] for c in row] == ["主管部门", "人大办公室", "实施单竝", "年初预算数", "时效指标", "分值"]
    assert blocks[1]["text"] == "实施单位"


def test_label_value_pairs_on_one_ocr_line_are_spaced_again():
    line = {"type": "text", "text": "预算单位名称：安岳县人大办公室预算单位编码：114101自评等级：优", "line": 2,
            "page": 1, "ocr_conf": 0.99}
    snap_labels([line])
    assert line["text"] == "预算单位名称：安岳县人大办公室 预算单位编码：114101 自评等级：优"


# --- the batch: time per OCR page, a cache that knows whether OCR is installed --------------

@pytest.fixture()
def scan_folder(tmp_path):
    """A raw folder holding one small scan (page 2 of 相山区, 72 dpi) and the 相山区 text."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "scan.pdf").write_bytes(scan_pdf(xiangshan_pdf("a4"), ScanStyle(dpi=72, stamp=False), pages=[2, 3]))
    shutil.copy(RAW / XIANGSHAN, raw / XIANGSHAN)
    return raw


def test_a_pdf_gets_time_for_each_page_ocr_may_read(scan_folder, monkeypatch):
    workers = batch.Workers(scan_folder, scan_folder, {}, 1, (10.0, 2.5), None, "local", None, False)
    monkeypatch.setattr(ocr, "extra_version", lambda: "rapidocr=3.10.0 onnxruntime=1.20 opencv-python-headless=4.10")
    assert (workers.timeout("scan.pdf"), workers.timeout(XIANGSHAN)) == (15.0, 10.0)
    monkeypatch.setattr(ocr, "extra_version", lambda: "rapidocr=none onnxruntime=1.20 opencv-python-headless=4.10")
    assert workers.timeout("scan.pdf") == 10.0  # no OCR: a scan is turned away at once


@needs_ocr
@pytest.mark.slow
def test_a_scan_is_not_timed_out_by_the_budget_of_a_text_file(scan_folder, tmp_path):
    """A per-file budget of 1 s stops the two-page scan; 60 s per page lets OCR finish it."""
    run = batch.run_batch(scan_folder / "scan.pdf", tmp_path / "short", jobs=1, timeout=1, page_timeout=0.001)
    assert run["documents"][0]["error"] == "timed out after 1.002 s: worker stopped"
    run = batch.run_batch(scan_folder / "scan.pdf", tmp_path / "long", jobs=1, timeout=1, page_timeout=60)
    assert run["documents"][0]["status"] == "partial", run["documents"][0]["error"]  # read, at 72 dpi in part
    assert run["rows"]["evaluations"] == 1 and run["rows"]["indicators"] == 11


def test_installing_the_ocr_extra_reads_cached_scans_again(scan_folder, tmp_path, monkeypatch):
    """A scan cached as `needs OCR` while the extra was missing is read again once it is there;
    the text file is not (its reader does not depend on the extra)."""
    out = tmp_path / "out"
    monkeypatch.setattr(pdf, "ocr_available", lambda: False)  # workers are forked with it: no OCR run here
    installed = {"version": "rapidocr=none"}
    monkeypatch.setitem(cache.EXTRAS, "pdf", lambda: installed["version"])
    cache.fingerprint.cache_clear()
    first = batch.run_batch(scan_folder, out, jobs=1)
    assert [d["status"] for d in first["documents"]] == ["ok", "unsupported"]
    assert batch.run_batch(scan_folder, out, jobs=1)["parsed"] == 0
    installed["version"] = "rapidocr=3.10.0"
    cache.fingerprint.cache_clear()
    again = batch.run_batch(scan_folder, out, jobs=1)
    cache.fingerprint.cache_clear()
    assert (again["parsed"], again["reused"]) == (1, 1)


# --- confidence per value -------------------------------------------------------------------

@pytest.mark.parametrize("text, confs, words, boxes, expected", [
    # a space has a confidence and no box: the boxes after it got their neighbour's
    ("总分 95", [0.99, 0.98, 0.97, 0.6, 0.99], [["总", "分"], ["9", "5"]], 4, [0.99, 0.98, 0.6, 0.99]),
    # digits only: one box per run, as sure as its least sure digit
    ("12.5 100", [1.0, 1.0, 1.0, 0.5, 0.9, 1.0, 1.0, 1.0], [["1", "2", ".", "5"], ["1", "0", "0"]], 2, [0.5, 1.0]),
], ids=["after-a-space", "runs-of-digits"])
def test_each_ocr_box_gets_its_own_confidence(text, confs, words, boxes, expected):
    assert ocr.word_confidences(text, words, confs, boxes) == expected


def test_ink_no_text_box_covers_makes_its_neighbour_unsure():
    """相山区 at 300 dpi: the `，` after 履行代表职责 wrapped to the next line's start, where the text
    detector left it out; a `……` leader's dots are no such mark."""
    import numpy as np

    scale = 300 / 72
    gray = np.full((400, 600), 255, np.uint8)
    gray[100:110, 20:26] = 0       # a comma, 1.4 x 2.4 pt, outside every box
    gray[300:304, 20:24] = 0       # a leader dot, 1 x 1 pt
    gray[100:130, 40:200] = 0      # ink inside the text box below
    box = np.array([[36, 96], [204, 96], [204, 134], [36, 134]], np.float32)
    marks = ocr.unread_ink(gray, [box], scale)
    assert [tuple(round(v, 1) for v in m) for m in marks] == [(4.8, 24.0, 6.2, 26.4)]
    near = {"text": "为", "x0": 9.6, "x1": 19.2, "top": 23.0, "bottom": 32.0, "size": 9.0, "conf": 0.99}
    far = {"text": "促", "x0": 100.0, "x1": 109.0, "top": 23.0, "bottom": 32.0, "size": 9.0, "conf": 0.99}
    ocr.doubt_unread_ink([near, far], marks)
    assert (near["conf"], far["conf"]) == (ocr.UNREAD_CONF, 0.99)


def ocr_cell(text: str, line: int, low: dict[str, float] | None = None) -> dict:
    """A cell as the PDF reader gives it from OCR: each character with its confidence."""
    chars = [[ch, (low or {}).get(ch, 0.99)] for ch in text if not ch.isspace()]
    return {"text": text, "line": line, "page": 1, "ocr_conf": min(c for _, c in chars), "ocr_chars": chars}


def test_a_value_is_doubted_where_one_of_its_characters_is():
    """相山区, 代表工作经费: the level 3 name lost a `，` (its neighbour unsure), the 一级指标 carried
    down from the merged cell two lines up, the project named in a meta cell under the title."""
    rows = [[ocr_cell("项目名称", 2), ocr_cell("代表工作经费", 2, {"费": 0.7})],
            [ocr_cell("效益指标", 3, {"效": 0.8}), ocr_cell("经济效益指标", 3), ocr_cell("指标1", 3),
             ocr_cell("10", 3)],
            [{"text": "", "line": 4, "page": 1}, {"text": "", "line": 4, "page": 1},
             ocr_cell("履行代表职责为社会发展建言献策", 4, {"为": 0.5}), ocr_cell("10", 4)]]
    blocks = [{"type": "text", "text": "项目支出绩效自评表", "line": 1, "page": 1, "ocr_conf": 0.99,
               "ocr_chars": [[ch, 0.99] for ch in "项目支出绩效自评表"]}, {"type": "table", "rows": rows}]
    form = new_form("project_selfeval", "项目支出绩效自评表", 1, 1)
    form["project"] = "代表工作经费"
    form["items"] = [new_item(level1="效益指标", level2="经济效益指标", level3="指标1", target="≥95%", weight="10",
                              source_line=3),
                     new_item(level1="效益指标", level2="经济效益指标", level3="履行代表职责为社会发展建言献策",
                              weight="10", source_line=4)]
    mark_ocr({"forms": [form], "project_lists": []}, blocks)
    # the target is in no cell (as if put together from two): as sure as its line, whose 效 is not
    assert [i["ocr_doubt"] for i in form["items"]] == [["level1", "target"], ["level1", "level3"]]
    assert form["items"][1]["ocr_confs"] == {"level1": 0.8, "level2": 0.99, "level3": 0.5, "weight": 0.99}
    assert (form["ocr_doubt"], form["ocr_conf"]) == (["project"], 0.5)


def test_doubted_values_name_the_columns_they_fill():
    item = new_item(level3="指标1", target="≥95%", score="9", source_line=3)
    item.update(ocr_conf=0.6, ocr_doubt=["target", "score"])
    row = indicator_row("e-001", 1, item)
    assert row["ocr_doubt"] == "target_raw,target_op,target_value,target_value_max,target_unit,score,score_raw"
    assert indicator_row("e-001", 1, new_item(level3="指标1"))["ocr_doubt"] is None


def test_a_title_read_unsurely_makes_what_is_inferred_from_it_doubtful():
    """`相山区人大办公室部门…` read as `…部内…` (内 at 0.66): the unit inferred from it is wrong."""
    title = "相山区人大办公室部内绩效自评项目清单"
    line = {"type": "text", "text": title, "line": 1, "page": 1, "ocr_conf": 0.66,
            "ocr_chars": [[ch, 0.66 if ch == "内" else 0.99] for ch in title]}
    values = {"title": title, "region": "相山区", "org_unit": "人大办公室", "grade": None}
    assert line_doubts(values, [line]) == ["title", "region", "org_unit"]
    line.pop("ocr_conf")  # the same line from a text layer
    assert line_doubts(values, [line]) == []


def test_pages_up_to_a3_are_rendered_at_the_ocr_dpi_larger_ones_capped():
    a4, a3 = (595.44, 841.92), (841.92, 1190.64)
    assert ocr.raster_scale(*a4, 300) == ocr.raster_scale(*a3, 300) == 300 / 72
    poster = ocr.raster_scale(2384.0, 3370.0, 300)  # A0
    assert 2384.0 * 3370.0 * poster ** 2 == pytest.approx(ocr.MAX_RASTER_PIXELS)


def test_ink_read_as_nothing_doubts_the_empty_values_of_its_row():
    """相山区 at 300 dpi, 群众满意度: its 得分 `10` was no text box at all; the cell is empty, but the
    ink in it makes the row's empty values doubtful, and its text stays empty."""
    score_ink = (520.0, 600.0, 530.0, 610.0)
    chars = [ocr.ocr_char("群", 0.99, [(200.0, 601.0), (209.0, 601.0), (209.0, 610.0), (200.0, 610.0)], 9.0, 1.0)]
    ocr.doubt_unread_ink(chars, [score_ink])
    assert (chars[0]["conf"], chars[1]["text"], chars[1]["conf"]) == (0.99, "", ocr.UNREAD_CONF)
    grid = pdf.CellGrid([(190.0, 595.0, 300.0, 615.0), (510.0, 595.0, 545.0, 615.0)])
    assert all(grid.take(c) for c in chars)
    assert [(text, marks) for text, _, marks in grid.rows(1)[0]["cells"]] == [
        ("群", {"ocr_conf": 0.99, "ocr_chars": [["群", 0.99]]}),
        ("", {"ocr_conf": ocr.UNREAD_CONF, "ocr_chars": [["", ocr.UNREAD_CONF]]})]
    row = [ocr_cell("群众满意度", 5), ocr_cell("10", 5), {"text": "", "line": 5, "page": 1, "ocr_conf": 0.5,
                                                          "ocr_chars": [["", 0.5]]}]
    form = new_form("project_scoring", "项目支出绩效自评计分表", 5, 1)
    form["items"] = [new_item(level1="满意度指标", level2="服务对象满意度指标", level3="群众满意度", weight="10",
                              source_line=5)]
    mark_ocr({"forms": [form], "project_lists": []}, [{"type": "table", "rows": [row]}])
    assert form["items"][0]["ocr_doubt"] == ["target", "actual", "score", "note"]
    assert form["items"][0]["ocr_conf"] == 0.5
