"""Identity: byte-identical files at several paths are read once; every path keeps one documents
row, so joins on doc_id never multiply rows, and validate/summarize see each document once."""
import shutil

import pandas as pd
import pytest

from pipeline.batch import run_batch
from pipeline.extract import path_id
from pipeline.summarize import summarize
from pipeline.validate import validate
from tests.conftest import ANYUE, RAW, XIANGSHAN

COPIES = ("a/copy1.txt", "b/c/copy2.txt", "z.txt")
CONTENT_TABLES = ("evaluations", "indicators", "funds", "goals", "project_lists", "claims", "anomalies",
                  "unit_summary")


def all_stages(raw, out, jobs):
    run_batch(raw, out, jobs=jobs)
    validate(out)
    summarize(out, report=False)
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in (*CONTENT_TABLES, "documents")}


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    root = tmp_path_factory.mktemp("single")
    raw = root / "raw"
    raw.mkdir()
    for name in (XIANGSHAN, ANYUE):
        shutil.copy(RAW / name, raw / name)
    return all_stages(raw, root / "out", jobs=1)


def copied_corpus(raw):
    for name in (XIANGSHAN, ANYUE):
        shutil.copy(RAW / name, raw / name)
        for copy in COPIES:
            (raw / name.removesuffix(".txt")).joinpath(copy).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(RAW / name, raw / name.removesuffix(".txt") / copy)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_copies_give_the_single_copy_tables(single, tmp_path, jobs):
    raw = tmp_path / "raw"
    raw.mkdir()
    copied_corpus(raw)
    tables = all_stages(raw, tmp_path / "out", jobs)
    for name in CONTENT_TABLES:
        pd.testing.assert_frame_equal(tables[name], single[name], obj=name)
    docs = tables["documents"]
    assert len(docs) == 8 and docs["doc_id"].is_unique
    assert docs["status"].value_counts().to_dict() == {"duplicate": 6, "ok": 2}
    first = docs.set_index("source_path")
    for name in (XIANGSHAN, ANYUE):
        for copy in COPIES:
            row = first.loc[f"{name.removesuffix('.txt')}/{copy}"]
            assert (row["status"], row["duplicate_of"], row["forms"]) == ("duplicate", first.loc[name, "doc_id"], 0)
            assert row["doc_id"] == path_id(f"{name.removesuffix('.txt')}/{copy}")
    joined = tables["evaluations"].merge(docs, on="doc_id")
    assert len(joined) == len(single["evaluations"]) > 6


def test_deleting_the_document_keeps_a_copy_s_rows(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(RAW / XIANGSHAN, raw / "a.txt")
    shutil.copy(RAW / XIANGSHAN, raw / "sub" / "b.txt")
    first = run_batch(raw, out, jobs=1)
    assert [(d["source_path"], d["status"]) for d in first["documents"]] == [("a.txt", "ok"),
                                                                              ("sub/b.txt", "duplicate")]
    (raw / "a.txt").unlink()
    second = run_batch(raw, out, jobs=1)
    assert [(d["source_path"], d["status"], d["duplicate_of"]) for d in second["documents"]] == [
        ("sub/b.txt", "ok", None)]
    assert second["rows"]["evaluations"] == first["rows"]["evaluations"] == 6
