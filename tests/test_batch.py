"""Batch runs: output independent of jobs, incremental, robust to files that hang or crash."""
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cache
from pipeline.batch import run_batch
from tests.conftest import RAW, XIANGSHAN, fixture_text

TABLES = ("documents", "evaluations", "indicators", "funds", "goals", "project_lists", "claims")


def assert_same_tables(a, b):
    for name in TABLES:
        assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes(), name


@pytest.fixture()
def corpus(tmp_path):
    """Four files: the 相山区 sample, a renamed copy in a subfolder, a project list, a dud."""
    raw = tmp_path / "raw"
    (raw / "county_b").mkdir(parents=True)
    text = (RAW / XIANGSHAN).read_text(encoding="utf-8-sig")
    (raw / XIANGSHAN).write_text(text, encoding="utf-8")
    (raw / "county_b" / "copy.txt").write_text(text.replace("相山区", "烈山区").replace("55.92", "56.92"),
                                               encoding="gb18030")
    (raw / "list.txt").write_text(fixture_text("xiangshan_project_list.txt"), encoding="utf-8")
    (raw / "empty.txt").write_text("", encoding="utf-8")
    return raw


def test_one_and_two_jobs_give_identical_tables(corpus, tmp_path):
    run_batch(corpus, tmp_path / "one", jobs=1)
    run_batch(corpus, tmp_path / "two", jobs=2)
    assert_same_tables(tmp_path / "one", tmp_path / "two")
    docs = pd.read_parquet(tmp_path / "one" / "documents.parquet")
    assert docs["source_path"].tolist() == [XIANGSHAN, "county_b/copy.txt", "empty.txt", "list.txt"]
    assert docs["region"].tolist()[:2] == ["相山区", "烈山区"]


def test_unchanged_files_are_not_parsed_again(corpus, tmp_path):
    out = tmp_path / "out"
    first = run_batch(corpus, out, jobs=1)
    before = {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}
    second = run_batch(corpus, out, jobs=1)
    assert (first["parsed"], second["parsed"], second["reused"]) == (4, 0, 4)
    assert {name: (out / f"{name}.parquet").read_bytes() for name in TABLES} == before


def test_changed_and_removed_files(corpus, tmp_path):
    out = tmp_path / "out"
    run_batch(corpus, out, jobs=1)
    (corpus / "list.txt").write_text(fixture_text("xiangshan_project_list.txt").replace("138.83", "138.84"))
    (corpus / "county_b" / "copy.txt").unlink()
    run = run_batch(corpus, out, jobs=1)
    assert (run["parsed"], run["reused"]) == (1, 2)
    lists = pd.read_parquet(out / "project_lists.parquet")
    assert lists.loc[lists["is_total"], "amount_raw"].tolist() == ["138.83", "138.84"]
    assert "county_b/copy.txt" not in pd.read_parquet(out / "documents.parquet")["source_path"].tolist()
    assert len(list((out / cache.CACHE_DIR / "rows").iterdir())) == 3  # stale rows pruned


def test_a_parser_change_reparses_what_it_affects(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_batch(corpus, out, jobs=1)
    changed = {"cell_lines": "changed"}
    real = cache.fingerprint
    monkeypatch.setattr(cache, "fingerprint", lambda key: changed.get(key) or real(key))
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "changed")   # a parser change changes the code
    run = run_batch(corpus, out, jobs=1)
    assert (run["parsed"], run["reused"]) == (3, 1)  # the three cell-per-line files, not the empty one


def test_fingerprint_is_per_reader():
    assert cache.fingerprint("cell_lines") != cache.fingerprint("flow_text")
    assert cache.fingerprint("cell_lines") == cache.fingerprint("cell_lines")


def pathological(doc):
    if "HANG" in (doc.get("text") or ""):
        time.sleep(600)
    if "CRASH" in (doc.get("text") or ""):
        os._exit(3)
    return real_parse(doc)


import pipeline.extract as extract_module  # noqa: E402

real_parse = extract_module.parse_document


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_or_crashing_file_does_not_stop_the_batch(corpus, tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(extract_module, "parse_document", pathological)  # workers are forked with it
    (corpus / "hang.txt").write_text("项目支出绩效自评表 HANG\n" * 3)
    (corpus / "crash.txt").write_text("项目支出绩效自评表 CRASH\n" * 3)
    started = time.perf_counter()
    run = run_batch(corpus, tmp_path / "out", jobs=jobs, timeout=3)
    assert time.perf_counter() - started < 60
    docs = {d["source_path"]: d for d in run["documents"]}
    assert docs["hang.txt"]["status"] == "failed" and "timed out after 3 s" in docs["hang.txt"]["error"]
    assert docs["crash.txt"]["status"] == "failed" and "worker died" in docs["crash.txt"]["error"]
    assert docs[XIANGSHAN]["status"] == "ok" and run["rows"]["evaluations"] == 12
    shutil.rmtree(tmp_path / "out")


def test_dask_local_cluster_gives_the_same_tables(corpus, tmp_path):
    pytest.importorskip("distributed")
    run_batch(corpus, tmp_path / "local", jobs=2)
    run = run_batch(corpus, tmp_path / "dask", jobs=2, executor="dask")
    assert run["parsed"] == 4
    assert_same_tables(tmp_path / "local", tmp_path / "dask")


def test_a_deleted_table_is_assembled_again_without_parsing(corpus, tmp_path):
    out = tmp_path / "out"
    run_batch(corpus, out, jobs=1)
    before = (out / "indicators.parquet").read_bytes()
    (out / "indicators.parquet").unlink()
    run = run_batch(corpus, out, jobs=1)
    assert run["parsed"] == 0 and (out / "indicators.parquet").read_bytes() == before


def test_the_check_code_is_not_part_of_the_parse_fingerprint(monkeypatch):
    """A change to the check code changes the check fingerprint only: the stored rows stay, and
    are checked again (tests/test_incremental_checks.py); a worker that never returned is retried."""
    fingerprints = (cache.fingerprint, cache.check_fingerprint)
    before = [cache.fingerprint("pdf"), cache.check_fingerprint(), cache.fingerprint(cache.ALL_CODE)]
    real, rules = Path.read_bytes, cache.ROOT / "pipeline" / "rules.py"
    monkeypatch.setattr(Path, "read_bytes", lambda p: real(p) + (b"# changed" if p == rules else b""))
    for f in fingerprints:
        f.cache_clear()
    try:
        after = [cache.fingerprint("pdf"), cache.check_fingerprint(), cache.fingerprint(cache.ALL_CODE)]
        assert after[0] == before[0] and after[1] != before[1] and after[2] != before[2]
    finally:
        monkeypatch.undo()
        for f in fingerprints:
            f.cache_clear()


def test_format_readers_have_their_own_fingerprint():
    assert len({cache.fingerprint(k) for k in ("cell_lines", "flow_text", "pdf", "html", "docx")}) == 5
    assert cache.fingerprint("docx") == cache.fingerprint("xlsx")  # one module reads both


def test_rows_of_an_older_cache_format_are_read_again_and_pruned(tmp_path):
    out = tmp_path / "out"
    run_batch(RAW, out, jobs=1)
    index = cache.load_index(out)
    for entry in index.values():
        old = out / cache.CACHE_DIR / entry["rows"].replace(cache.ROWS_SUFFIX, ".json.gz")
        (out / cache.CACHE_DIR / entry["rows"]).rename(old)
        entry["rows"] = f"rows/{old.name}"
    cache.save_index(out, index)
    assert run_batch(RAW, out, jobs=1)["parsed"] == len(index)
    stored = sorted(p.name for p in (out / cache.CACHE_DIR / "rows").iterdir())
    assert len(stored) == len(index) and all(name.endswith(cache.ROWS_SUFFIX) for name in stored)


def test_cached_rows_read_back_as_the_tables_hold_them(tmp_path):
    out = tmp_path / "out"
    run_batch(RAW, out, jobs=1)
    entry = cache.load_index(out)[XIANGSHAN]
    stored = cache.read_rows(out, entry["rows"], XIANGSHAN)
    written = pd.read_parquet(out / "evaluations.parquet")
    mine = written[written["doc_id"] == entry["document"]["doc_id"]].reset_index(drop=True)
    assert stored["evaluations"].num_rows == len(mine) == 6
    pd.testing.assert_frame_equal(stored["evaluations"].to_pandas(), mine)
    assert stored["documents"].to_pylist() == [entry["document"]]
