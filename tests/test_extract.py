"""End to end on the 相山区 sample: fidelity, determinism, documented columns, bad input."""
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

import schemas
from parsers.readers.legacy_office import soffice
from pipeline.batch import run_batch
from tests.conftest import GOLD, RAW, XIANGSHAN, score


@pytest.fixture(scope="module")
def xiangshan_out(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(RAW / XIANGSHAN, raw / XIANGSHAN)
    out = tmp_path_factory.mktemp("curated")
    run_batch(raw, out, jobs=1)
    return out


def test_fidelity_is_exact(xiangshan_out):
    line = score(xiangshan_out, GOLD / XIANGSHAN.replace(".txt", ".gold.json"))
    assert line == "fidelity 100.00% (559/559 fields), spurious 0 rows"


def test_document_metadata_inferred_from_text(xiangshan_out):
    doc = pd.read_parquet(xiangshan_out / "documents.parquet").iloc[0]
    assert (doc["region"], doc["org_unit"], doc["fiscal_year"]) == ("相山区", "相山区人大办公室", 2023)
    assert (doc["layout"], doc["status"], doc["forms"]) == ("cell_lines", "ok", 6)
    assert pd.isna(doc["error"])


def test_money_in_yuan_rates_as_fractions(xiangshan_out):
    ev = pd.read_parquet(xiangshan_out / "evaluations.parquet").set_index("project")
    row = ev.loc["代表工作经费"]
    assert (row["budget_full_year_yuan"], row["executed_yuan"]) == (200000.0, 125500.0)
    assert row["execution_rate_reported"] == pytest.approx(0.6275)
    assert row["execution_rate_raw"] == "62.75%"
    ind = pd.read_parquet(xiangshan_out / "indicators.parquet")
    row = ind[ind["target_raw"] == "≤559200元"].iloc[0]
    assert (row["target_op"], row["target_value"], row["target_unit"]) == ("≤", 559200.0, "元")
    assert (row["actual_value"], row["actual_unit"]) == (524800.0, "元")
    lists = pd.read_parquet(xiangshan_out / "project_lists.parquet")
    assert lists.loc[lists["is_total"], "amount_yuan"].tolist() == [1388300.0]


def test_every_table_matches_its_schema_and_documents_columns(xiangshan_out):
    for name in ("documents", "evaluations", "indicators", "funds", "goals", "project_lists", "claims"):
        table = pq.read_table(xiangshan_out / f"{name}.parquet")
        assert table.schema.names == schemas.column_names(name)
        for field in table.schema:
            assert field.metadata[b"description"], f"{name}.{field.name} has no description"


def test_missing_is_null_never_empty_string(xiangshan_out):
    for name in ("evaluations", "indicators", "funds", "goals"):
        frame = pd.read_parquet(xiangshan_out / f"{name}.parquet")
        for column in frame.select_dtypes(include=["object", "string"]).columns:
            assert not (frame[column] == "").any(), f"{name}.{column} holds ''"


def test_same_input_gives_byte_identical_tables(xiangshan_out, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / XIANGSHAN, raw / XIANGSHAN)
    run_batch(raw, tmp_path / "again", jobs=2)
    for path in sorted(xiangshan_out.glob("*.parquet")):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_bad_files_get_a_status_and_the_batch_goes_on(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / XIANGSHAN, raw / XIANGSHAN)
    (raw / "binary.bin").write_bytes(b"\x00\x01garbage")
    (raw / "notes.txt").write_text("nothing to see here", encoding="utf-8")
    (raw / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    run = run_batch(raw, tmp_path / "out", jobs=1)
    docs = {d["source_path"]: d for d in run["documents"]}
    assert docs[XIANGSHAN]["status"] == "ok"
    for name in ("binary.bin", "notes.txt"):
        assert docs[name]["status"] == "unsupported" and docs[name]["error"], name
    # a damaged .doc: LibreOffice (where installed) cannot convert it
    assert docs["old.doc"]["status"] == ("failed" if soffice() else "unsupported") and docs["old.doc"]["error"]
    assert run["rows"]["evaluations"] == 6


def test_a_crashing_parser_marks_the_file_failed(tmp_path, monkeypatch):
    import pipeline.extract as extract_module

    def boom(doc):
        raise ValueError("bad table")

    monkeypatch.setattr(extract_module, "parse_document", boom)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / XIANGSHAN, raw / XIANGSHAN)
    doc = run_batch(raw, tmp_path / "out", jobs=1)["documents"][0]
    assert doc["status"] == "failed" and "ValueError: bad table" in doc["error"]


def test_manifest_overrides_inferred_metadata(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / XIANGSHAN, raw / XIANGSHAN)
    (raw / "manifest.csv").write_text(f"path,region,org_unit,fiscal_year,url\n{XIANGSHAN},相山区,,2024,https://x.example/a\n",
                                      encoding="utf-8")
    doc = run_batch(raw, tmp_path / "out", jobs=1)["documents"][0]
    assert (doc["region"], doc["org_unit"], doc["fiscal_year"], doc["url"]) == (
        "相山区", "相山区人大办公室", 2024, "https://x.example/a")


def test_interrupted_write_keeps_the_old_table(tmp_path, monkeypatch):
    import pipeline.write as write_module

    good = write_module.to_arrow("goals", [{"eval_id": "e", "seq": 1, "goal": "g"}])
    target = tmp_path / "goals.parquet"
    write_module.write_atomic(good, target)
    before = target.read_bytes()

    def interrupted(table, where, **kwargs):
        open(where, "wb").write(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(write_module.pq, "write_table", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_module.write_atomic(good, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["goals.parquet"]
