"""reports/summary.html: self-contained, Chinese drawn with a real CJK font, renders in headless Chromium."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from matplotlib import image

from pipeline.cli import main
from pipeline.report import MissingCJKFont, cjk_font, documents_section, write_report
from pipeline.summarize import prepare, projects_of, unit_rows
from tests.conftest import RAW, chromium, run_chromium
from tests.summary_frames import ANYUE, XIANGSHAN, anomalies_frame, frames, gold_tables, synthetic_rows


def report_tables() -> dict:
    """Both samples from gold, with the validate stage's outputs faked: rule scores and two anomalies."""
    tables = gold_tables(XIANGSHAN, ANYUE)
    ev = tables["evaluations"]
    scored = ev["kind"].isin(["project_selfeval", "project_scoring"])
    ev.loc[scored, "rule_score"] = ev.loc[scored, "total_score"] - 2
    first = ev.loc[scored, "eval_id"].iloc[0]
    tables["anomalies"] = anomalies_frame([
        {"anomaly_id": "a1", "rule_id": "execution_rate_mismatch", "severity": "error", "eval_id": first},
        {"anomaly_id": "a2", "rule_id": "score_sum_mismatch", "severity": "warning", "eval_id": first},
    ])
    return tables


def write(tables: dict, path: Path) -> str:
    tables = prepare(tables)
    projects = projects_of(tables)
    write_report(path, unit_rows(tables, projects), projects, tables)
    return path.read_text(encoding="utf-8")


def test_page_is_self_contained_with_all_charts(tmp_path):
    page = write(report_tables(), tmp_path / "summary.html")
    assert page.count('src="data:image/png;base64,') == 4
    assert "http://" not in page and "https://" not in page and "<script src" not in page
    for text in ("相山区人大办公室（2023）", "安岳县人民代表大会常务委员会办公室（2023）", "跨模板可比", "模板特定",
                 "152.29 万元", "138.83 万元"):
        assert text in page, text


def test_missing_validate_outputs_are_said_not_drawn(tmp_path):
    page = write(frames(synthetic_rows([("甲县", "甲县财政局", 2023), ("乙区", "乙区教育局", 2023),
                                        ("丙县", "丙县卫健委", 2023)])), tmp_path / "summary.html")
    assert page.count('src="data:image/png;base64,') == 2
    assert "rule_score is absent" in page and "anomalies.parquet is absent" in page
    assert "丙县卫健委（2023）" in page


def test_many_units_get_one_table_row_each(tmp_path):
    keys = [(f"{n}县", f"{n}县财政局", 2023) for n in "甲乙丙丁戊己庚辛壬癸子丑"]
    page = write(frames(synthetic_rows(keys, projects=1)), tmp_path / "summary.html")
    assert page.count('<tr class="unit">') == 12 and "癸县财政局（2023）" in page
    assert page.count('src="data:image/png;base64,') == 2


def test_documents_not_covered_are_listed():
    documents = pd.DataFrame([
        {"source_path": "a.txt", "status": "ok", "error": None, "forms": 6},
        {"source_path": "b.pdf", "status": "partial", "error": "未识别的表", "forms": 2},
        {"source_path": "c.txt", "status": "ok", "error": None, "forms": 0},
    ])
    section = documents_section(documents)
    assert "3 documents read, 1 fully summarized" in section
    assert "b.pdf" in section and "未识别的表" in section and "c.txt" in section and "a.txt" not in section


def test_no_cjk_font_is_a_clear_error():
    with pytest.raises(MissingCJKFont, match="fonts-noto-cjk"):
        cjk_font(("No Such Font Family",))


def test_a_font_without_chinese_glyphs_is_an_error_not_tofu(tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.report.cjk_font", lambda: "DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        write(report_tables(), tmp_path / "summary.html")


def test_cli_without_a_cjk_font_exits_with_the_reason(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "000_62b89d3619706223.txt", raw)
    main(["extract", str(raw), "--out", str(tmp_path / "curated"), "--jobs", "1"])
    monkeypatch.setattr("pipeline.report.cjk_font.__defaults__", (("No Such Font Family",),))
    assert main(["summarize", "--out", str(tmp_path / "curated")]) == 2
    assert re.search(r"^jixiao summarize: error: no CJK font .* fonts-noto-cjk", capsys.readouterr().err)


def test_a_corpus_with_no_forms_gives_an_empty_summary_and_page(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notes.txt").write_text("没有表格的文字。\n", encoding="utf-8")
    out = tmp_path / "curated"
    main(["extract", str(raw), "--out", str(out), "--jobs", "1"])
    assert main(["summarize", "--out", str(out)]) == 0
    assert pd.read_parquet(out / "unit_summary.parquet").empty
    page = (out / "reports" / "summary.html").read_text(encoding="utf-8")
    assert "0 units, 0 projects" in page and "notes.txt" in page


def test_cli_writes_summary_after_extract(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "000_62b89d3619706223.txt", raw)
    out = tmp_path / "curated"
    assert main(["extract", str(raw), "--out", str(out), "--jobs", "1"]) == 0
    assert main(["summarize", "--out", str(out)]) == 0
    assert "1 units, 6 projects" in capsys.readouterr().out
    assert (out / "unit_summary.parquet").exists() and (out / "reports" / "summary.html").exists()


def test_page_renders_in_headless_chromium(tmp_path):
    binary = chromium()
    if binary is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium; `make test` installs it)")
    page = tmp_path / "summary.html"
    write(report_tables(), page)
    dom = run_chromium(binary, page, tmp_path / "profile-dom", "--dump-dom")
    assert "预算绩效自评：单位对比" in dom.stdout, dom.stderr[-2000:]
    shot = tmp_path / "shot.png"
    run_chromium(binary, page, tmp_path / "profile-shot", "--window-size=1280,2400", f"--screenshot={shot}")
    pixels = image.imread(shot)[..., :3]
    ink = (pixels.min(axis=2) < 0.85).mean()  # share of pixels that are not (near) white
    assert pixels.shape[:2] == (2400, 1280)
    assert 0.02 < ink < 0.9, f"screenshot looks blank or broken: {ink:.3f} of pixels inked"
