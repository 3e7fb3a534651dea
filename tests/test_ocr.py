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
from parsers.ocr_labels import snap_labels
from parsers.readers import ocr, pdf
from parsers.recognizers.record import new_form, new_item
from pipeline import batch, cache
from pipeline.extract import process_file
from pipeline.rules import severity
from tests.conftest import RAW, XIANGSHAN
from tests.scan_fixtures import ScanStyle, scan_pdf
from tests.test_pdf import xiangshan_pdf

needs_ocr = pytest.mark.skipif(not ocr.ocr_available(), reason="the OCR extra (.[ocr]) is not installed")
# Page 2 of the A4 rendering holds 人大会议经费's form, page 3 the rest of its indicators.
FORM_PAGES = [2, 3]
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
@pytest.mark.parametrize("quarter_turns", [0, 1, 3], ids=["upright", "sideways-left", "sideways-right"])
def test_scanned_form_reads_back_as_its_text(tmp_path, from_text, quarter_turns):
    """The lower resolution (150 dpi) of the two the fidelity targets name, upright and scanned
    sideways (turned a quarter either way, as a landscape form is); the 300 dpi figures for the
    whole samples come from scripts/bench_ocr.py."""
    tables = scanned_tables(tmp_path, 150, FORM_PAGES, quarter_turns)
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
