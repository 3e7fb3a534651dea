"""Checks with extraction, incrementally: the anomaly list validate makes from the check table the
workers computed document by document (plus the rules across documents over the rows they read)
is the one of checking the whole corpus at once with every rule, Great Expectations deciding; an
unchanged corpus skips validate and summarize and leaves their outputs as they were."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipeline import cache
from pipeline.batch import run_batch
from pipeline.checks import CHECK_COLUMNS, CHECKED_TABLES, check_rows
from pipeline.cli import main
from pipeline.expect import Verdict, gx_failed, run_gx
from pipeline.validate import anomaly_rows, check_schema, load_suites, table_rows, validate
from scripts.synth_corpus import build

REPO = Path(__file__).resolve().parent.parent
RAW_OF: dict[Path, Path] = {}  # the raw folder each `curated` was extracted from
STAGE_OUTPUTS = ("anomalies.parquet", "reports/anomalies.csv", "reports/anomalies.html", "unit_summary.parquet",
                 "projects.parquet", "reports/summary.html")


@pytest.fixture(scope="module", params=["samples", "synthetic"])
def curated(request, tmp_path_factory) -> Path:
    """Both samples, or eight synthetic documents (two of them ruled PDFs), extracted and validated."""
    raw = REPO / "raw" if request.param == "samples" else tmp_path_factory.mktemp("raw")
    if request.param == "synthetic":
        build(raw, 8, pdf_every=4)
    out = tmp_path_factory.mktemp("curated")
    run_batch(raw, out, jobs=2)
    validate(out)
    RAW_OF[out] = raw
    return out


def whole_corpus_anomalies(curated: Path) -> list[dict]:
    """The previous implementation: every rule over all the tables at once, GX deciding."""
    tables = {t: table_rows(curated / f"{t}.parquet") for t in CHECKED_TABLES}
    rows = check_rows(tables)
    families = {r["family"] for r in rows}
    frames = {f: pa.Table.from_pylist([{k: r[k] for k in CHECK_COLUMNS} for r in rows if r["family"] == f],
                                      schema=check_schema()) for f in families}
    suites = {f: s for f, s in load_suites().items() if f in families}
    failed = dict(gx_failed(run_gx(frames, suites)))
    forms = {e["eval_id"]: e for e in tables["evaluations"]}
    docs = {d["doc_id"]: d for d in table_rows(curated / "documents.parquet")}
    return anomaly_rows([r for r in rows if r["check_id"] in failed], failed, docs, forms)


def test_the_anomaly_list_is_that_of_checking_the_whole_corpus_at_once(curated):
    expected = whole_corpus_anomalies(curated)
    found = pq.read_table(curated / "anomalies.parquet").to_pylist()
    assert len(found) == len(expected) > 20
    assert [{k: a[k] for k in expected[0]} for a in found] == expected


def test_the_check_table_is_the_workers_and_current(curated):
    checks = pq.read_table(curated / "checks.parquet")
    metadata = checks.schema.metadata
    assert metadata[b"jixiao_check_code"] == cache.check_fingerprint().encode()
    assert checks.num_rows > 500 and set(checks.column("family").to_pylist()) >= {"scores", "execution"}
    assert len(set(checks.column("check_id").to_pylist())) == checks.num_rows


def test_checks_of_other_code_are_computed_again_with_the_same_list(curated, tmp_path, monkeypatch):
    out = tmp_path / "curated"
    shutil.copytree(curated, out)
    before = pq.read_table(curated / "anomalies.parquet").drop_columns(["evidence_images"]).to_pylist()
    monkeypatch.setattr(cache, "check_fingerprint", lambda: "other check code")
    monkeypatch.setattr("pipeline.validate.check_fingerprint", lambda: "other check code")
    result = validate(out)
    kept = json.loads((curated / ".cache" / "stages" / "validate.json").read_text(encoding="utf-8"))["result"]
    assert result["checks"] == kept["checks"] > pq.ParquetFile(curated / "checks.parquet").metadata.num_rows
    assert pq.read_table(out / "anomalies.parquet").drop_columns(["evidence_images"]).to_pylist() == before


def no_reading(*args, **kwargs):
    raise AssertionError("a file was read")


def check_code_changed(monkeypatch, pipeline_checks=None) -> None:
    """Other check code (its fingerprint; ``pipeline_checks``: the per-document checks too), and no
    file may be read: the workers are forked with it."""
    monkeypatch.setattr(cache, "check_fingerprint", lambda: "other check code")
    monkeypatch.setattr("pipeline.validate.check_fingerprint", lambda: "other check code")
    monkeypatch.setattr("pipeline.batch.process_file", no_reading)
    if pipeline_checks:
        monkeypatch.setattr("pipeline.checks.document_checks", pipeline_checks)


def stored_rows(out: Path) -> list[str]:
    return sorted(p.name for p in (out / cache.CACHE_DIR / "rows").iterdir())


def test_a_check_code_change_checks_the_stored_rows_again_without_reading_a_file(curated, tmp_path, monkeypatch):
    out = tmp_path / "curated"
    shutil.copytree(curated, out)
    check_code_changed(monkeypatch)
    run = run_batch(RAW_OF[curated], out, jobs=2)
    documents = pq.read_table(curated / "documents.parquet").to_pylist()
    with_rows = [e for e in cache.load_index(out).values() if e["rows"]]
    assert (run["parsed"], run["checked_again"]) == (0, len(with_rows)) and run["documents"] == documents
    assert all(e["check_fingerprint"] == "other check code" for e in with_rows)
    assert stored_rows(out) == sorted(e["rows"].removeprefix("rows/") for e in with_rows)  # the old ones pruned
    checks = pq.read_table(out / "checks.parquet")
    assert checks.schema.metadata[b"jixiao_check_code"] == b"other check code"
    assert checks.to_pylist() == pq.read_table(curated / "checks.parquet").to_pylist()
    result = validate(out)
    assert result["checks"] > checks.num_rows  # extract's check table used, the corpus checks added
    drop = ["evidence_images"]
    assert pq.read_table(out / "anomalies.parquet").drop_columns(drop) == \
        pq.read_table(curated / "anomalies.parquet").drop_columns(drop)


def test_a_changed_check_gives_the_check_rows_of_the_new_code(curated, tmp_path, monkeypatch):
    from pipeline.checks import document_checks

    def without_scores(tables):
        rows, problems = document_checks(tables)
        return [r for r in rows if r["family"] != "scores"], problems

    out = tmp_path / "curated"
    shutil.copytree(curated, out)
    check_code_changed(monkeypatch, without_scores)
    assert run_batch(RAW_OF[curated], out, jobs=2)["parsed"] == 0
    before = pq.read_table(curated / "checks.parquet").to_pylist()
    assert pq.read_table(out / "checks.parquet").to_pylist() == [r for r in before if r["family"] != "scores"] != before


def test_direct_evaluation_is_what_great_expectations_decides(curated, tmp_path):
    """Every suite, and variants with bounds GX treats in its own ways (strict, a minimum, mostly),
    on the real check table with a null gap added: the same unexpected rows and the same success."""
    table = pq.read_table(curated / "checks.parquet").select(check_schema().names).cast(check_schema())
    null_gap = table.slice(0, 1).set_column(CHECK_COLUMNS.index("gap"), "gap", pa.array([None], pa.float64()))
    table = pa.concat_tables([table, null_gap.set_column(0, "check_id", pa.array(["null-gap"]))])
    suites = load_suites()
    variant = json.loads(json.dumps(suites["execution"]))
    for n, e in enumerate(variant["expectations"]):
        e["kwargs"].update([{"max_value": 0, "strict_max": True}, {"min_value": -0.5, "max_value": 3},
                            {"mostly": 0.5}, {"max_value": 1e9}][n % 4])
    suites["variant"] = variant | {"name": "variant"}
    execution = table.filter(pc.equal(table.column("family"), "execution"))
    family = execution.schema.get_field_index("family")
    table = pa.concat_tables([table, execution.set_column(family, "family", pa.array(["variant"] * len(execution)))])
    frames = {f: table.filter(pc.equal(table.column("family"), f)) for f in suites}
    gx = run_gx(frames, suites)
    verdict = Verdict(suites)
    for batch in table.to_batches(max_chunksize=97):
        verdict.add(batch)
    mine = verdict.results()
    for family, result in gx.items():
        assert mine[family]["success"] == result["success"], family
        for ours, theirs in zip(mine[family]["results"], result["results"], strict=True):
            ids = [i["check_id"] for i in theirs["result"].get("unexpected_index_list") or []]
            assert (ours["success"], sorted(ours["result"]["unexpected_check_ids"])) == (theirs["success"], sorted(ids))
    assert verdict.failed == dict(gx_failed(gx))


def test_an_unchanged_corpus_skips_validate_and_summarize(tmp_path, capsys):
    out = tmp_path / "curated"
    assert main(["run", str(REPO / "raw"), "--out", str(out), "--jobs", "1", "-q"]) == 0
    written = {name: (out / name).read_bytes() for name in STAGE_OUTPUTS}
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / ".cache" / "stages").iterdir()}
    assert main(["run", str(REPO / "raw"), "--out", str(out), "--jobs", "1"]) == 0
    assert "parsed 0, reused 2" in capsys.readouterr().out
    assert {p.name: p.stat().st_mtime_ns for p in (out / ".cache" / "stages").iterdir()} == stamps
    assert {name: (out / name).read_bytes() for name in STAGE_OUTPUTS} == written
    anomaly_id = pq.read_table(out / "anomalies.parquet").column("anomaly_id")[0].as_py()
    (out / "reviews.csv").write_text(f"anomaly_id,decision\n{anomaly_id},confirmed\n", encoding="utf-8")
    assert main(["run", str(REPO / "raw"), "--out", str(out), "--jobs", "1", "-q"]) == 0
    assert pq.read_table(out / "anomalies.parquet").column("review_decision")[0].as_py() == "confirmed"


def test_a_stage_runs_again_when_its_output_is_gone(tmp_path):
    out = tmp_path / "curated"
    assert main(["run", str(REPO / "raw"), "--out", str(out), "--jobs", "1", "-q", "--no-report"]) == 0
    (out / "reports" / "anomalies.csv").unlink()
    assert main(["validate", "--out", str(out), "-q"]) == 0
    assert (out / "reports" / "anomalies.csv").exists()


def test_validate_gx_decides_the_same_and_writes_its_own_results(curated, tmp_path):
    out = tmp_path / "curated"
    shutil.copytree(curated, out)
    before = pq.read_table(curated / "anomalies.parquet").drop_columns(["evidence_images"]).to_pylist()
    result = validate(out, gx=True)
    assert pq.read_table(out / "anomalies.parquet").drop_columns(["evidence_images"]).to_pylist() == before
    gx = json.loads((out / "reports" / "validation" / "execution.json").read_text(encoding="utf-8"))
    assert "unexpected_index_list" in json.dumps(gx) and result["suites"]["execution"] is False


def test_a_reason_repeated_across_documents_of_one_unit_and_year_is_reported_once(tmp_path):
    """boilerplate_reason compares the forms of one unit and year whatever document prints them:
    two documents of 2023 share the reason; the same unit's 2022 form does not count."""
    from tests.formkit import contract_tables, write_curated
    from tests.test_rule_edges import clean_items, selfeval

    def lost_points(project: str, year: int = 2023) -> dict:
        items = clean_items(quality_score="29", quality_note="资料归档不够及时")
        return selfeval(project, total_score="99", items=items) | {"fiscal_year": year}

    docs = [contract_tables([lost_points("第一经费")], doc_id="ffffffffffff0001"),
            contract_tables([lost_points("第二经费")], doc_id="ffffffffffff0002"),
            contract_tables([lost_points("第三经费", 2022)], doc_id="ffffffffffff0003")]
    tables = {t: [r for d in docs for r in d[t]] for t in docs[0]}
    anomalies = validate(write_curated(tables, tmp_path))["anomalies"]
    assert [(a["doc_id"], a["observed"], a["field"]) for a in anomalies if a["rule_id"] == "boilerplate_reason"] == [
        ("ffffffffffff0001", "2", "资料归档不够及时")]
