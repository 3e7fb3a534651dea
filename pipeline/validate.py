"""Validate: check the curated tables' arithmetic with Great Expectations and list the anomalies.

curated tables -> check frames (``pipeline.checks``, one per rule family) -> the GX suites in
``expectations/<family>.json`` decide which check rows fail -> ``anomalies.parquet``,
``reports/anomalies.csv``, ``reports/anomalies.html`` and GX's own results in
``reports/validation/<family>.json``.

Great Expectations is imported inside ``run_suites`` only: its import costs seconds.
"""
from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import pyarrow.parquet as pq

import schemas
from pipeline.checks import CHECK_COLUMNS, check_frames
from pipeline.report_html import write_html
from pipeline.rules import FAMILIES, RULES, message, severity
from pipeline.write import to_arrow, write_atomic

EXPECTATIONS_DIR = Path(__file__).resolve().parent.parent / "expectations"
INPUT_TABLES = ("documents", "evaluations", "indicators", "funds", "project_lists", "claims")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def load_tables(curated: Path) -> dict[str, list[dict]]:
    """The curated tables as row dicts (missing is None, never NaN); absent tables are empty."""
    tables = {}
    for name in INPUT_TABLES:
        path = curated / f"{name}.parquet"
        rows = pq.read_table(path).to_pylist() if path.exists() else []
        tables[name] = [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()}
                        for r in rows]
    return tables


def load_suites(suites_dir: Path = EXPECTATIONS_DIR) -> dict[str, dict]:
    """Suite JSON by family name (file stem)."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(suites_dir.glob("*.json"))}


def run_suites(frames: dict[str, list[dict]], suites: dict[str, dict]) -> dict[str, dict]:
    """Validate each family's check frame against its suite; GX's result (JSON dict) by family."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # offline: no usage statistics
    import great_expectations as gx
    import pandas as pd
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("checks")
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": ["check_id"]}
    results = {}
    for family, suite_json in suites.items():
        frame = pd.DataFrame(frames.get(family, []), columns=list(CHECK_COLUMNS))
        numbers = ["deviation", "tolerance", "gap", "gap_as_printed"]
        frame[numbers] = frame[numbers].astype("float64")
        asset = source.add_dataframe_asset(family)
        batch = asset.add_batch_definition_whole_dataframe(family).get_batch(batch_parameters={"dataframe": frame})
        suite = ExpectationSuite(**{k: v for k, v in suite_json.items() if k in ("name", "expectations", "meta")})
        results[family] = batch.validate(suite, result_format=result_format).to_json_dict()
    return results


def failed_check_ids(results: dict[str, dict]) -> set[str]:
    """check_ids of the rows an expectation found unexpected."""
    failed = set()
    for result in results.values():
        for r in result["results"]:
            for index in (r.get("result") or {}).get("unexpected_index_list") or []:
                failed.add(index["check_id"])
    return failed


def anomaly_rows(frames: dict[str, list[dict]], failed: set[str], tables: dict[str, list[dict]]) -> list[dict]:
    docs = {d["doc_id"]: d for d in tables["documents"]}
    evals = {e["eval_id"]: e for e in tables["evaluations"]}
    rows = []
    for check in (c for frame in frames.values() for c in frame if c["check_id"] in failed):
        rule, doc, ev = RULES[check["rule_id"]], docs.get(check["doc_id"], {}), evals.get(check["eval_id"], {})
        partial, rounding = doc.get("status") == "partial", check["gap_as_printed"] <= 0
        ocr_conf = ev.get("ocr_conf") if ev.get("ocr") else None
        message_zh, message_en = message(rule.rule_id, check, partial, rounding, ocr_conf)
        rows.append({
            **{k: check[k] for k in ("rule_id", "doc_id", "eval_id", "project", "field", "expected", "observed",
                                     "deviation", "tolerance", "evidence", "source_page", "source_line")},
            "severity": severity(rule.rule_id, doc.get("status"), rounding, ocr_conf), "family": rule.family,
            "ocr": ocr_conf is not None,
            # The publishing unit (as on documents), so one disclosure's findings stay together.
            "region": doc.get("region") or ev.get("region"), "org_unit": doc.get("org_unit") or ev.get("org_unit"),
            "fiscal_year": doc.get("fiscal_year") or ev.get("fiscal_year"),
            "message_zh": message_zh, "message_en": message_en, "source_path": doc.get("source_path"),
        })
    rows.sort(key=lambda r: (r["doc_id"] or "", r["source_line"] or 0, SEVERITY_ORDER[r["severity"]], r["rule_id"]))
    counts: dict[tuple, int] = {}
    for r in rows:
        key = (r["doc_id"], r["rule_id"])
        counts[key] = counts.get(key, 0) + 1
        r["anomaly_id"] = f"{r['doc_id']}-{r['rule_id']}-{counts[key]:03d}"
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel opens Chinese text right
        writer = csv.DictWriter(f, fieldnames=schemas.column_names("anomalies"))
        writer.writeheader()
        writer.writerows({k: r.get(k) for k in writer.fieldnames} for r in rows)


def write_results(results: dict[str, dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for family, result in results.items():
        text = json.dumps(result, ensure_ascii=False, indent=2, default=str)
        (folder / f"{family}.json").write_text(text + "\n", encoding="utf-8")


def validate(curated: Path, suites_dir: Path = EXPECTATIONS_DIR) -> dict:
    """Run every suite over the curated tables and write the anomaly list and reports."""
    tables = load_tables(curated)
    problems: list[str] = []
    frames = check_frames(tables, problems)
    suites = load_suites(suites_dir)
    missing = sorted(set(FAMILIES) - set(suites))
    if missing:
        raise FileNotFoundError(f"no suite for rule families {missing} in {suites_dir}")
    results = run_suites(frames, suites)
    anomalies = anomaly_rows(frames, failed_check_ids(results), tables)
    reports = curated / "reports"
    write_atomic(to_arrow("anomalies", anomalies), curated / "anomalies.parquet")
    write_csv(anomalies, reports / "anomalies.csv")
    write_html(anomalies, reports / "anomalies.html")
    write_results(results, reports / "validation")
    (reports / "check_problems.json").write_text(
        json.dumps(problems, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {"checks": sum(len(f) for f in frames.values()), "anomalies": anomalies, "problems": problems,
            "suites": {family: r["success"] for family, r in results.items()}}
