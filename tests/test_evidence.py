"""Evidence a person can check: 安岳县 drawn as the ruled PDF its text describes, extracted and
validated; every PDF anomaly shows a crop of its page with the cited cells boxed in red (checked
in headless Chromium and pixel by pixel against the cells' bbox), and the annotated PDF holds
one highlight per anomaly. Text input quotes its raw lines."""
from __future__ import annotations

import json
import re
import shutil

import pdfplumber
import pytest
from PIL import Image

from parsers.readers.cell_lines import read_cell_lines
from parsers.readers.text_lines import read_text_lines
from parsers.recognizers import recognize
from pipeline.batch import run_batch
from pipeline.evidence import EVIDENCE_DIR, Geometry, SourceIndex, annotated_name, match_in
from pipeline.validate import validate
from tests.conftest import ANYUE, RAW, XIANGSHAN, chromium, run_chromium
from tests.pdf_fixtures import A4, Style, landscape, render_parsed
from tests.spanned_forms import R02_DEPT, to_docx, to_html, to_xlsx

PDF_NAME = "anyue.pdf"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """安岳县 as PDF and 相山区 as text, extracted and validated."""
    if not (RAW / ANYUE).exists():
        pytest.skip("needs the 安岳县 text")
    root = tmp_path_factory.mktemp("evidence")
    raw, out = root / "raw", root / "out"
    raw.mkdir()
    text = (RAW / ANYUE).read_text(encoding="utf-8")
    (raw / PDF_NAME).write_bytes(render_parsed(recognize(read_text_lines(text))))
    shutil.copy(RAW / XIANGSHAN, raw / XIANGSHAN)
    run_batch(raw, out, jobs=1)
    result = validate(out, raw=raw)
    return {"raw": raw, "out": out, "anomalies": result["anomalies"], "evidence": result["evidence"]}


def pdf_anomalies(run) -> list[dict]:
    return [a for a in run["anomalies"] if a["source_path"] == PDF_NAME]


def test_every_pdf_anomaly_gets_page_images(run):
    anomalies = pdf_anomalies(run)
    assert {"executed_within_budget", "score_total", "title_project"} <= {a["rule_id"] for a in anomalies}
    assert all(a["evidence_images"] for a in anomalies), [a["rule_id"] for a in anomalies if not a["evidence_images"]]
    assert run["evidence"]["images"] == len(anomalies) and run["evidence"]["not_found"] == 0


def test_the_cited_cells_are_the_printed_figures(run):
    """Executed above budget on the 合计 line: the two cells boxed are 5275 (budget) and 5276 (spent)."""
    a = next(a for a in pdf_anomalies(run) if a["rule_id"] == "executed_within_budget" and a["field"] == "合计")
    cells = json.loads(a["evidence_cells"])
    assert [c["text"] for c in cells] == ["5275", "5276"]
    assert a["evidence_source"] == "p.30 第313行 line 313: 合计 | 5275 | 5276"
    with pdfplumber.open(run["raw"] / PDF_NAME) as pdf:
        for c in cells:  # the bbox holds the figure on the page itself
            assert pdf.pages[c["page"] - 1].crop(c["bbox"]).extract_text().strip() == c["text"]


def test_score_total_boxes_every_item_score_and_the_total(run):
    a = next(a for a in pdf_anomalies(run) if a["rule_id"] == "score_total" and a["observed"] == "97")
    cells = json.loads(a["evidence_cells"])
    assert len(cells) == 21 and cells[-1]["text"] == "97"
    assert [c["text"] for c in cells[:3]] == ["5", "4", "6"]
    assert sorted({c["page"] for c in cells}) == [i["page"] for i in json.loads(a["evidence_images"])]


def red(pixel: tuple) -> bool:
    r, g, b = pixel[:3]
    return r > 180 and g < 80 and b < 80


def test_red_boxes_frame_the_cells_bbox(run):
    assert_boxes_frame_cells(pdf_anomalies(run), run["out"] / "reports")


def assert_boxes_frame_cells(anomalies: list[dict], reports) -> None:
    for a in anomalies:
        cells = json.loads(a["evidence_cells"])
        for shot in json.loads(a["evidence_images"]):
            image = Image.open(reports / shot["path"]).convert("RGB")
            x0, top, _, _ = shot["region"]
            scale = shot["scale"]
            for c in (c for c in cells if c["page"] == shot["page"]):
                bx0, btop, bx1, bbottom = ((v - o) * scale for v, o in zip(c["bbox"], (x0, top, x0, top),
                                                                             strict=True))
                mid_x, mid_y = (bx0 + bx1) / 2, (btop + bbottom) / 2
                # just outside each side of the cell: red; its middle: not red (the figure shows)
                for x, y in ((mid_x, btop - 1), (mid_x, bbottom + 1), (bx0 - 1, mid_y), (bx1 + 1, mid_y)):
                    assert red(image.getpixel((int(x), int(y)))), (a["anomaly_id"], c, x, y)
                assert not red(image.getpixel((int(mid_x), int(mid_y))))


def test_annotated_pdf_has_one_highlight_per_anomaly(run):
    anomalies = pdf_anomalies(run)
    doc = {"source_path": PDF_NAME, "doc_id": anomalies[0]["doc_id"]}
    path = run["out"] / "reports" / EVIDENCE_DIR / annotated_name(doc)
    with pdfplumber.open(path) as pdf:
        annots = [(page.page_number, a) for page in pdf.pages for a in page.annots]
    assert sorted(a["title"] for _, a in annots) == sorted(a["anomaly_id"] for a in anomalies)
    by_id = {a["anomaly_id"]: a for a in anomalies}
    for page_number, annot in annots:
        anomaly = by_id[annot["title"]]
        assert annot["contents"].startswith(anomaly["message_zh"])
        first = min(c["page"] for c in json.loads(anomaly["evidence_cells"]))
        assert page_number == first
        assert annot["data"]["Subtype"].name == "Highlight"


def test_pages_printed_sideways_are_shown_upright_and_annotated_where_printed(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    parsed = recognize(read_cell_lines((RAW / XIANGSHAN).read_text(encoding="utf-8-sig")))
    (raw / "sideways.pdf").write_bytes(render_parsed(parsed, style=Style(pagesize=landscape(A4), sideways=True)))
    run_batch(raw, out, jobs=1)
    anomalies = validate(out, raw=raw)["anomalies"]
    assert {a["rule_id"] for a in anomalies} >= {"execution_score_rule", "rate_formula", "full_marks_target_missed"}
    assert all(a["evidence_images"] for a in anomalies)
    assert_boxes_frame_cells(anomalies, out / "reports")
    a = next(a for a in anomalies if a["rule_id"] == "full_marks_target_missed")
    path = out / "reports" / EVIDENCE_DIR / annotated_name({"source_path": "sideways.pdf", "doc_id": a["doc_id"]})
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[json.loads(a["evidence_cells"])[0]["page"] - 1]
        assert page.width < page.height  # stored portrait, printed sideways
        annot = next(x for x in page.annots if x["title"] == a["anomaly_id"])
        box = page.crop((annot["x0"], annot["top"], annot["x1"], annot["bottom"]))
        assert "".join(c["text"] for c in box.chars) == "≥100%99%1010"


def test_text_input_quotes_its_raw_lines(run):
    a = next(a for a in run["anomalies"] if a["source_path"] == XIANGSHAN and a["rule_id"] == "rate_formula")
    raw_lines = (run["raw"] / XIANGSHAN).read_text(encoding="utf-8").splitlines()
    assert a["evidence_images"] is None
    for line in a["evidence_source"].splitlines():
        number, text = re.match(r"第(\d+)行 line \d+: (.*)$", line).groups()
        assert raw_lines[int(number) - 1].strip() == text
    assert [c["match"] for c in json.loads(a["evidence_cells"])] == ["100%", "55.92", "55.92", "52.48"]


def test_a_changed_raw_file_is_not_quoted(run, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(run["raw"], raw)
    (raw / XIANGSHAN).write_text("另一份文件", encoding="utf-8")
    out = tmp_path / "out"
    shutil.copytree(run["out"], out)
    anomalies = validate(out, raw=raw)["anomalies"]
    text = [a for a in anomalies if a["source_path"] == XIANGSHAN]
    assert text and all(a["evidence_source"] is None for a in text)
    assert all(a["evidence_images"] for a in anomalies if a["source_path"] == PDF_NAME)


def test_a_documents_cells_are_read_from_the_row_groups_that_hold_them(tmp_path):
    """Geometry keeps only where each document's cells are: across row groups, in line and column order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cells = [{"doc_id": doc, "line": line, "col": col, "page": 1, "x0": 1.0 * col, "top": 2.0 * line,
              "x1": 1.0 * col + 1, "bottom": 2.0 * line + 1, "text": f"{doc}{line}.{col}"}
             for doc, line, col in [("a", 2, 1), ("b", 1, 0), ("a", 1, 0), ("a", 2, 0), ("c", 1, 0), ("a", 3, 0)]]
    pq.write_table(pa.Table.from_pylist(cells), tmp_path / "cells.parquet", row_group_size=2)
    geometry = Geometry(tmp_path / "cells.parquet", {"a", "c"})
    assert geometry.groups == {"a": [0, 1, 2], "c": [2]}
    assert [[c["text"] for c in row] for row in geometry.rows("a")] == [["a1.0"], ["a2.0", "a2.1"], ["a3.0"]]
    assert geometry.rows("a")[1][1] == {"text": "a2.1", "line": 2, "page": 1, "bbox": [1.0, 4.0, 2.0, 5.0]}
    assert geometry.rows("b") is None  # not asked for


def test_matching_prefers_the_figure_to_text_that_mentions_it():
    index = SourceIndex([[{"text": "项目立项规范\n性（5分）", "line": 7, "page": 1},
                          {"text": "5", "line": 7, "page": 1}, {"text": "5.00", "line": 7, "page": 1}]])
    assert [c["text"] for c in index.locate({"line": 7, "text": "5"})] == ["5", "5.00"]
    assert match_in({"text": "合 计 5275 5276"}, "5276 百元") == (False, "5276")
    assert match_in({"text": "合计 52755"}, "5275") is None


LOADED_IMAGES = """<script>var imgs=Array.from(document.querySelectorAll('tr.row img'));
  imgs.forEach(function(i){i.loading='eager';});
  function report(){if(!imgs.every(function(i){return i.complete;})){setTimeout(report,100);return;}
    var out=imgs.map(function(i){return [i.closest('tr').id,i.naturalWidth,i.getBoundingClientRect().width];});
    var pre=document.createElement('pre');pre.id='loaded';pre.textContent=JSON.stringify(out);
    document.body.appendChild(pre);}
  window.addEventListener('load',report);</script>"""


def test_page_shows_each_pdf_anomaly_with_its_image_in_chromium(run):
    binary = chromium()
    if binary is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium; `make test` installs it)")
    reports = run["out"] / "reports"
    page = reports / "anomalies.check.html"  # beside the page, so its relative image paths resolve
    page.write_text((reports / "anomalies.html").read_text(encoding="utf-8").replace(
        "</body>", LOADED_IMAGES + "</body>"), encoding="utf-8")
    dom = run_chromium(binary, page, run["out"].parent / "profile", "--virtual-time-budget=20000",
                       "--window-size=1280,2000", "--allow-file-access-from-files", "--dump-dom")
    found = re.search(r'<pre id="loaded">(.*?)</pre>', dom.stdout)
    assert found, dom.stderr[-2000:]
    loaded = json.loads(found.group(1).replace("&quot;", '"'))
    for a in pdf_anomalies(run):
        shown = [(w, shown_w) for row, w, shown_w in loaded if row == a["anomaly_id"]]
        assert len(shown) == len(json.loads(a["evidence_images"])), a["anomaly_id"]
        assert all(w > 100 and shown_w > 50 for w, shown_w in shown), (a["anomaly_id"], shown)


def test_html_and_office_input_quote_the_cells_read_back_with_their_rows(tmp_path):
    """The same form as HTML, DOCX and XLSX: the anomaly quotes its row as each file prints it."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for render, suffix in ((to_html, "html"), (to_docx, "docx"), (to_xlsx, "xlsx")):
        data = render(R02_DEPT)
        (raw / f"r02.{suffix}").write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    run_batch(raw, out, jobs=1)
    anomalies = validate(out, raw=raw)["anomalies"]
    quoted = {(a["source_path"], a["field"]): a["evidence_source"] for a in anomalies
              if a["rule_id"] == "executed_within_budget"}
    # HTML: lines of the page source; DOCX: rows counted over the document's tables; XLSX: sheet rows
    assert quoted == {
        ("r02.html", "年度资金总额"): "第6行 line 6: 年度资金总额 | 329.77 | 338.31",
        ("r02.html", "本年财政拨款"): "第7行 line 7: 其中:当年财政拨款 | 329.77 | 338.31",
        ("r02.docx", "年度资金总额"): "第6行 line 6: 年度资金总额 | 329.77 | 338.31",
        ("r02.docx", "本年财政拨款"): "第7行 line 7: 其中:当年财政拨款 | 329.77 | 338.31",
        ("r02.xlsx", "年度资金总额"): "第5行 line 5: 年度资金总额 | 329.77 | 338.31",
        ("r02.xlsx", "本年财政拨款"): "第6行 line 6: 其中:当年财政拨款 | 329.77 | 338.31",
    }
    assert all(a["evidence_source"] for a in anomalies)
