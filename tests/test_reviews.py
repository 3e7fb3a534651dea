"""The review loop: decisions in reviews.csv survive re-runs, anomaly_id does not move when other
files change, and `diff` lists what a changed input resolved and added."""
from __future__ import annotations

import csv
import shutil

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.diff import diff_anomalies, load_anomalies
from tests.conftest import ANYUE, RAW, XIANGSHAN

REVIEWERS = [
    {"rule_id": "full_marks_target_missed", "decision": "confirmed", "note": "原表如此", "reviewer": "王",
     "date": "2024-05-31"},
    {"rule_id": "title_project", "decision": "explained", "note": "标题沿用模板", "reviewer": "李",
     "date": "2024-06-01"},
]


def run(raw, out, *extra: str) -> None:
    assert main(["extract", str(raw), "--out", str(out), "--jobs", "1"]) == 0
    assert main(["validate", "--out", str(out), *extra]) == 0


def anomalies(out) -> dict[str, dict]:
    return {a["anomaly_id"]: a for a in pq.read_table(out / "anomalies.parquet").to_pylist()}


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    root = tmp_path_factory.mktemp("reviews")
    raw, out = root / "raw", root / "out"
    raw.mkdir()
    for name in (XIANGSHAN, ANYUE):
        shutil.copy(RAW / name, raw / name)
    run(raw, out)
    return {"root": root, "raw": raw, "out": out, "anomalies": anomalies(out)}


def write_reviews(path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["anomaly_id", "decision", "note", "reviewer", "date"])
        writer.writeheader()
        writer.writerows(rows)


def test_reviews_are_applied_on_the_next_run_and_stale_ones_reported(first, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(first["out"], out)
    by_rule = {a["rule_id"]: a["anomaly_id"] for a in first["anomalies"].values()}
    rows = [{"anomaly_id": by_rule[r["rule_id"]], **{k: v for k, v in r.items() if k != "rule_id"}}
            for r in REVIEWERS]
    write_reviews(out / "reviews.csv", [*rows, {"anomaly_id": "0000000000000000-score_total-deadbeef",
                                                "decision": "false_positive", "note": "", "reviewer": "王",
                                                "date": "2024-05-30"},
                                        {"anomaly_id": by_rule["score_total"], "decision": "maybe"}])
    capsys.readouterr()
    run(first["raw"], out)
    printed = capsys.readouterr().err  # notes go to stderr
    after = anomalies(out)
    assert after.keys() == first["anomalies"].keys()  # the same input: the same ids
    for row in rows:
        a = after[row["anomaly_id"]]
        assert (a["review_decision"], a["review_note"], a["reviewer"], a["review_date"]) == (
            row["decision"], row["note"], row["reviewer"], row["date"])
    assert sum(a["review_decision"] is not None for a in after.values()) == 2
    assert "stale review: 0000000000000000-score_total-deadbeef (false_positive): its anomaly is gone" in printed
    assert "decision 'maybe' is not one of confirmed, false_positive, explained" in printed
    page = (out / "reports" / "anomalies.html").read_text(encoding="utf-8")
    assert page.count('class="review confirmed"') == 1 and page.count('class="review explained"') == 1
    assert "0000000000000000-score_total-deadbeef" in page
    stale = (out / "reports" / "stale_reviews.csv").read_text(encoding="utf-8-sig").splitlines()
    assert stale[1].startswith("0000000000000000-score_total-deadbeef,false_positive")


def test_changing_one_file_keeps_every_other_id_and_diff_lists_the_change(first, tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(first["raw"], raw)
    shutil.copytree(first["out"], out)
    path = raw / XIANGSHAN
    lines = path.read_text(encoding="utf-8").split("\n")
    assert (lines[478], lines[786]) == ("\t10", "\t99%")
    lines[478] = "\t6.28"   # budget-execution score now follows 62.75% × 10: that anomaly resolves ...
    lines[786] = "\t100%"   # ... and 群众满意度 reached its target; the form's total no longer adds up
    path.write_text("\n".join(lines), encoding="utf-8")
    run(raw, out)
    before, after = first["anomalies"], anomalies(out)
    untouched = {i for i, a in before.items() if a["source_path"] != XIANGSHAN}
    assert untouched and untouched <= after.keys()
    result = diff_anomalies(load_anomalies(first["out"]), load_anomalies(out))
    assert [(a["rule_id"], a["field"]) for a in result["resolved"]] == [
        ("execution_score_rule", "预算执行得分"), ("full_marks_target_missed", "群众满意度"),
        ("missed_without_reason", "群众满意度")]
    assert [(a["rule_id"], a["observed"], a["expected"]) for a in result["new"]] == [("score_total", "98", "94.28")]
    assert sorted(n["rule_id"] for _, n in result["changed"]) == [
        "execution_score_rule", "execution_score_rule", "rate_formula"]
    assert result["unchanged"] == len(untouched)
    capsys.readouterr()
    assert main(["diff", str(first["out"]), str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"1 new, 3 resolved, 3 changed, {len(untouched)} unchanged"
    assert sum(line.startswith("+ ") for line in printed) == 1
    assert sum(line.startswith("- ") for line in printed) == 3


def test_diff_of_a_folder_without_anomalies_is_a_clear_error(tmp_path, first, capsys):
    assert main(["diff", str(tmp_path), str(first["out"])]) == 2
    assert "jixiao diff: error: no anomalies.parquet in" in capsys.readouterr().err
