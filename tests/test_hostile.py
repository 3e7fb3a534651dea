"""What scraped corpora throw at the batch: every file gets its documents row with a clear
status, the batch finishes, nothing else is lost, and memory stays under the ceiling."""
from __future__ import annotations

import codecs
import os
import stat
import subprocess
import sys
import textwrap

import pandas as pd
import pyarrow.parquet as pq
import pytest

import pipeline.extract as extract_module
from pipeline.batch import run_batch
from pipeline.cli import main
from pipeline.ingest import read_manifest
from pipeline.normalize import to_number, to_points
from pipeline.write import spreadsheet_safe
from tests.conftest import RAW, ROOT, XIANGSHAN, fixture_text
from tests.hostile import deep_html, empty_zip, html_colspan_bomb, pdf_stream_bomb, xlsx_corner_bomb

SAMPLE = (RAW / XIANGSHAN).read_text(encoding="utf-8-sig")
LIST = fixture_text("xiangshan_project_list.txt")
GRID = "<table><tr><td>项目名称</td><td>x</td></tr></table>"


def docs_by_path(out):
    return pd.read_parquet(out / "documents.parquet").set_index("source_path")


def write(raw, name, data):
    path = raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


@pytest.fixture()
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    write(folder, XIANGSHAN, SAMPLE)
    return folder


# ---------------------------------------------------------------- resource bounds

MEASURE = textwrap.dedent("""
    import resource, subprocess, sys
    code = subprocess.run([sys.executable, "-m", "pipeline", *sys.argv[1:]]).returncode
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, code)
""")


@pytest.mark.slow
def test_tiny_hostile_files_fail_fast_within_the_memory_ceiling(raw, tmp_path):
    write(raw, "span.html", html_colspan_bomb())
    write(raw, "corner.xlsx", xlsx_corner_bomb())
    write(raw, "bomb.pdf", pdf_stream_bomb())
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-c", MEASURE, "extract", str(raw), "--out", str(out), "--jobs", "2",
                          "--timeout", "60"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    peak, code = map(int, run.stdout.split()[-2:])
    assert code == 0, run.stderr
    assert peak < 1 << 30  # the ceiling is 2 GiB; the bounds keep every worker far below it
    docs = docs_by_path(out)
    assert docs.loc[XIANGSHAN, "status"] == "ok"
    assert docs.loc["span.html", "error"] == ("too large (a table's cells span 65,534,000 grid positions, "
                                              "more than 200,000)")
    assert docs.loc["corner.xlsx", "error"] == ("too large (sheet 'Sheet' spans 1,048,576 rows x 16,384 columns, "
                                                "more than 200,000 cells)")
    assert docs.loc["bomb.pdf", "error"] == "too large (a stream inflates to more than 268,435,456 bytes)"
    assert set(docs.loc[["span.html", "corner.xlsx", "bomb.pdf"], "status"]) == {"failed"}


def hog(doc):
    if "HOG" in (doc.get("text") or ""):
        bytearray(3 << 30)  # more than the ceiling below
    return real_parse(doc)


real_parse = extract_module.parse_document


def test_a_file_over_the_memory_ceiling_fails_and_is_remembered(raw, tmp_path, monkeypatch):
    monkeypatch.setattr(extract_module, "parse_document", hog)  # workers are forked with it
    write(raw, "hog.txt", "项目支出绩效自评表 HOG\n" * 3)
    out = tmp_path / "out"
    run = run_batch(raw, out, jobs=1, max_memory=1 << 30)
    docs = {d["source_path"]: d for d in run["documents"]}
    assert (docs["hog.txt"]["status"], docs["hog.txt"]["error"]) == (
        "failed", "too large (ran out of memory under the worker's --max-memory ceiling)")
    assert docs[XIANGSHAN]["status"] == "ok"
    assert run_batch(raw, out, jobs=1, max_memory=1 << 30)["parsed"] == 0  # not retried while unchanged
    assert run_batch(raw, out, jobs=1, max_memory=1 << 30, retry_failed=True)["parsed"] == 1


# ---------------------------------------------------------------- inputs that should be read

@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_text_is_read(tmp_path, codec):
    raw = tmp_path / "raw"
    write(raw, "list.txt", LIST.encode(codec))
    run = run_batch(raw, tmp_path / "out", jobs=1)
    doc = run["documents"][0]
    assert (doc["status"], doc["encoding"], run["rows"]["project_lists"]) == ("ok", codec, 7)


def test_stray_nuls_are_stripped_with_a_note(tmp_path):
    raw = tmp_path / "raw"
    write(raw, "list.txt", LIST.replace("\n", "\x00\n", 3).encode())
    run = run_batch(raw, tmp_path / "out", jobs=1)
    doc = run["documents"][0]
    assert (doc["status"], doc["notes"]) == ("ok", "3 control characters (NUL and the like) removed from the text")
    assert run["rows"]["project_lists"] == 7


@pytest.mark.parametrize("name, head, codec", [
    ("saved.htm", "<!-- saved from url=(0041)http://www.example.gov.cn/xxgk/123.html -->\r\n", "utf-8"),
    ("meta.shtml", '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n', "utf-8"),
    ("download", "<!-- saved from url -->\n<meta charset=utf-8>\n", "utf-8"),
    ("wide.htm", "<!-- saved from url -->\n", "utf-16"),
])
def test_html_is_sniffed_past_comments_and_meta(tmp_path, name, head, codec):
    from tests.spanned_forms import R02_DEPT, to_html

    page = to_html(R02_DEPT).decode().removeprefix("<!DOCTYPE html>")
    raw = tmp_path / "raw"
    write(raw, name, (head + page).encode(codec))
    doc = run_batch(raw, tmp_path / "out", jobs=1)["documents"][0]
    assert (doc["format"], doc["status"], doc["forms"]) == ("html", "ok", 1)


def test_html_nested_deeper_than_libxml2s_default_is_read():
    from parsers.readers.html_tables import read_html

    blocks = read_html(deep_html(1000, GRID))
    assert [c["text"] for c in blocks[0]["rows"][0]] == ["项目名称", "x"]


@pytest.mark.parametrize("name, data, error", [
    ("junk.txt", bytes(range(256)) * 4, "binary data, not text (no known file signature; starts 00 01 02 03 04 05 "
                                        "06 07)"),
    ("empty.zip", empty_zip(), "empty zip archive"),
    ("empty.pdf", b"", "empty file (0 bytes)"),
])
def test_files_without_a_reader_say_what_they_are(tmp_path, name, data, error):
    raw = tmp_path / "raw"
    write(raw, name, data)
    doc = run_batch(raw, tmp_path / "out", jobs=1)["documents"][0]
    assert (doc["status"], doc["error"]) == ("unsupported", error)


def test_a_file_name_that_is_not_utf8_is_kept_and_shown_escaped(raw, tmp_path):
    write(raw, os.fsdecode(b"\xb8\xbd\xbc\xfe.txt"), LIST)  # 附件 in GBK
    docs = docs_by_path_after(raw, tmp_path)
    assert docs.loc["\\xb8\\xbd\\xbc\\xfe.txt", ["status", "notes"]].tolist() == [
        "ok", "file name is not valid UTF-8 (bytes shown as \\xNN)"]


def docs_by_path_after(raw, tmp_path):
    run_batch(raw, tmp_path / "out", jobs=1)
    return docs_by_path(tmp_path / "out")


def test_manifest_rows_are_checked_one_by_one_in_any_encoding(raw, tmp_path):
    (raw / "manifest.csv").write_bytes(
        ("path,region,org_unit,fiscal_year,url\n"
         f"{XIANGSHAN},相山区,相山区人大办公室,2023年,https://example.org/a\n"
         "b.txt,,,20233,\nc.txt,,,二〇二三,\n").encode("gbk"))
    problems = []
    manifest = read_manifest(raw, problems)
    assert manifest[XIANGSHAN]["fiscal_year"] == 2023 and set(manifest) == {XIANGSHAN}
    assert problems == ["manifest.csv line 3: fiscal_year '20233' is not a year from 1950 to 2100; row ignored",
                        "manifest.csv line 4: fiscal_year '二〇二三' is not a year from 1950 to 2100; row ignored"]
    run = run_batch(raw, tmp_path / "out", jobs=1)
    assert run["documents"][0]["url"] == "https://example.org/a" and len(run["manifest_problems"]) == 2


# ---------------------------------------------------------------- input and output contract

def test_a_missing_or_empty_input_is_an_error_and_leaves_the_tables(raw, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(raw), "--out", str(out), "--jobs", "1", "-q"]) == 0
    before = (out / "evaluations.parquet").read_bytes()
    assert main(["extract", str(tmp_path / "rwa"), "--out", str(out)]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["extract", str(tmp_path / "empty"), "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"jixiao extract: error: input {tmp_path / 'rwa'} does not exist",
        f"jixiao extract: error: input folder {tmp_path / 'empty'} holds no files to read (hidden files and "
        "manifest.csv are not documents)"]
    assert (out / "evaluations.parquet").read_bytes() == before


def test_a_run_without_forms_does_not_empty_the_tables_unless_allowed(raw, tmp_path, capsys):
    out = tmp_path / "out"
    run_batch(raw, out, jobs=1)
    other = tmp_path / "other"
    write(other, "notes.txt", "没有表格的文字。\n")
    assert main(["extract", str(other), "--out", str(out), "--jobs", "1"]) == 2
    assert "tables left as they were (use --allow-empty" in capsys.readouterr().err
    assert len(pd.read_parquet(out / "evaluations.parquet")) == 6
    assert main(["extract", str(other), "--out", str(out), "--jobs", "1", "--allow-empty", "-q"]) == 0
    assert pd.read_parquet(out / "evaluations.parquet").empty


def test_a_single_file_is_read(raw, tmp_path):
    run = run_batch(raw / XIANGSHAN, tmp_path / "out", jobs=1)
    assert [d["source_path"] for d in run["documents"]] == [XIANGSHAN] and run["rows"]["evaluations"] == 6


def test_an_out_folder_inside_the_input_is_not_read_back(raw):
    out = raw / "curated"
    run_batch(raw, out, jobs=1)
    run = run_batch(raw, out, jobs=1)
    assert [d["source_path"] for d in run["documents"]] == [XIANGSHAN]


@pytest.mark.slow
def test_later_stages_refuse_missing_tables_or_another_run(raw, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(raw), "--out", str(out), "--jobs", "1", "-q"]) == 0
    assert main(["validate", "--out", str(out), "-q"]) == 0
    write(raw, "list.txt", LIST)
    assert main(["extract", str(raw), "--out", str(out), "--jobs", "1", "-q"]) == 0
    assert main(["summarize", "--out", str(out), "--no-report"]) == 2  # anomalies are the old run's
    assert main(["status", "--out", str(out)]) == 2
    (out / "documents.parquet").unlink()
    reports = sorted((out / "reports").rglob("*"))
    stamps = {p: p.stat().st_mtime_ns for p in reports}
    assert main(["validate", "--out", str(out)]) == 2
    assert {p: p.stat().st_mtime_ns for p in sorted((out / "reports").rglob("*"))} == stamps  # nothing rewritten
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("jixiao summarize: error: ") and "anomalies.parquet is from another run" in err[0]
    assert err[-1] == (f"jixiao validate: error: {out / 'documents.parquet'} is missing: "
                       f"run `jixiao extract <input> --out {out}` first")


# ---------------------------------------------------------------- printed values

def test_printed_weights_and_scores_keep_their_text_and_never_turn_into_other_numbers():
    assert (to_number("12,55"), to_number("1,242.81"), to_number("9" * 400)) == (None, 1242.81, None)
    assert (to_points("18分"), to_points("98分"), to_points("—")) == (18.0, 98.0, None)


def test_an_indicator_row_holds_no_infinite_or_misread_number():
    from pipeline.tables import indicator_row, unreadable_numbers

    item = {"level1": "产出指标", "level1_weight": float("9" * 400), "level2": "数量指标", "level2_weight": 20.0,
            "level3": "召开会议次数", "target": "≥" + "9" * 400 + "次", "actual": "5次", "weight": "12,55",
            "weight_inferred": False, "score": "18分", "note": None, "source_page": None, "source_line": 7}
    row = indicator_row("e-001", 1, item)
    assert (row["level1_weight"], row["level2_weight"], row["target_value"], row["actual_value"]) == (None, 20.0,
                                                                                                    None, 5.0)
    assert (row["weight"], row["weight_raw"], row["score"], row["score_raw"]) == (None, "12,55", 18.0, "18分")
    assert unreadable_numbers({"indicators": [row]}) == [
        "indicators.weight: printed '12,55' is not a number in range; left null"]


TOTAL_ROW = "\t总分\n\t\n\t\n\t100\n\t99\n"  # the first form's 总分 row: weight 100, score 99


def with_total_score(text: str) -> str:
    assert TOTAL_ROW in SAMPLE
    return SAMPLE.replace(TOTAL_ROW, f"\t总分\n\t\n\t\n\t100\n\t{text}\n", 1)


def test_a_number_out_of_range_is_null_with_an_issue(tmp_path):
    raw = tmp_path / "raw"
    write(raw, XIANGSHAN, with_total_score("9" * 400))
    run = run_batch(raw, tmp_path / "out", jobs=1)
    first = pd.read_parquet(tmp_path / "out" / "evaluations.parquet").iloc[0]
    assert pd.isna(first["total_score"]) and (first["total_score_raw"], first["total_weight"]) == ("9" * 400, 100.0)
    doc = run["documents"][0]
    assert doc["status"] == "partial" and doc["error"] == (
        f"evaluations.total_score: printed {'9' * 40!r} is not a number in range; left null")


@pytest.mark.parametrize("printed, score", [("98分", 98.0), ("—", None)])
def test_a_total_score_that_is_not_a_bare_number_is_not_replaced_by_the_weight(tmp_path, printed, score):
    raw = tmp_path / "raw"
    write(raw, XIANGSHAN, with_total_score(printed))
    run_batch(raw, tmp_path / "out", jobs=1)
    first = pd.read_parquet(tmp_path / "out" / "evaluations.parquet").iloc[0]
    assert first["total_score_raw"] == printed and first["total_weight"] == 100
    assert pd.isna(first["total_score"]) if score is None else first["total_score"] == score


# ---------------------------------------------------------------- safe outputs, CLI conventions

def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    from pipeline.validate import write_anomalies

    write_anomalies(iter([[{"anomaly_id": "a", "severity": "error", "rule_id": "R1", "deviation": -2.5,
                            "evidence": '=HYPERLINK("http://evil","x")', "project": "+cmd|' /C calc'!A0"}]]),
                    tmp_path, None)
    text = (tmp_path / "reports" / "anomalies.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in text and "'+cmd|" in text and ",-2.5," in text
    assert [spreadsheet_safe(v) for v in ("=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                          "\tx", "\rx", "相山区", 1.5, None)] == [
        "'=HYPERLINK(\"http://x\")", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "相山区", 1.5, None]


@pytest.mark.slow
def test_outputs_are_readable_by_all_and_fail_on_sets_the_exit_code(raw, tmp_path, capsys):
    write(raw, "bad.xlsx", b"PK\x03\x04 not really a workbook")
    out = tmp_path / "out"
    assert main(["extract", str(raw), "--out", str(out), "--jobs", "1", "-v", "--fail-on", "failed"]) == 1
    assert "failed: bad.xlsx: " in capsys.readouterr().err
    assert main(["validate", "--out", str(out), "-q", "--fail-on", "warning"]) in (0, 1)
    assert main(["summarize", "--out", str(out), "--no-report", "-q"]) == 0
    outputs = [p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts]
    assert outputs and {stat.S_IMODE(p.stat().st_mode) for p in outputs} == {0o666 & ~current_umask()}
    anomalies = pq.read_table(out / "anomalies.parquet")
    assert main(["validate", "--out", str(out), "-q", "--fail-on", "error"]) == int(
        "error" in anomalies.column("severity").to_pylist())


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("args", [["--jobs", "-1"], ["--jobs", "0"], ["--timeout", "0"], ["--max-memory", "2X"]])
def test_bad_numbers_on_the_command_line_are_refused(raw, tmp_path, args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(raw), "--out", str(tmp_path / "out"), *args])
    assert exc.value.code == 2 and "error: argument" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.startswith("jixiao 0.")


def test_a_bom_alone_is_not_a_document(tmp_path):
    raw = tmp_path / "raw"
    write(raw, "bom.txt", codecs.BOM_UTF8)
    assert run_batch(raw, tmp_path / "out", jobs=1)["documents"][0]["status"] == "unsupported"
