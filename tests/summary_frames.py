"""Contract-shaped tables built from gold annotations or by hand, for the summary tests.

Gold rows go through the pipeline's own row builders (pipeline.tables), so values are normalized
exactly as extraction would normalize them, then through the Parquet schemas (types as on disk).
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipeline.tables import evaluation_row, indicator_row, project_list_rows
from pipeline.write import to_arrow
from tests.conftest import GOLD

XIANGSHAN = GOLD / "000_62b89d3619706223.gold.json"
ANYUE = GOLD / "003_78bee95101de8744.gold.json"
ANOMALY_COLUMNS = ["anomaly_id", "rule_id", "severity", "doc_id", "eval_id", "region", "org_unit", "fiscal_year",
                   "project", "field", "expected", "observed", "message_zh", "message_en", "evidence",
                   "source_path", "source_page", "source_line"]


def text(value: object) -> str | None:
    """A gold number back to printed text (`10.368` -> '10.368')."""
    return None if value is None else str(value)


def gold_item(item: dict) -> dict:
    keys = ("level1", "level1_weight", "level2", "level2_weight", "level3", "target", "actual", "note")
    return {**{k: item.get(k) for k in keys}, "weight": text(item.get("weight")), "score": text(item.get("score")),
            "weight_inferred": False, "source_page": None, "source_line": None}


def gold_form(gold: dict, form: dict, goal_table: bool) -> dict:
    if goal_table:
        unit, funds = "百元", [{"line": "合计", "budget_full_year": text(form["budget_hundred_yuan"]),
                               "executed": text(form["executed_hundred_yuan"])}]
    else:
        unit = "万元"
        fund = {"line": "年度资金总额", "budget_initial": text(form["budget_initial_wan"]),
                "budget_full_year": text(form["budget_full_year_wan"]), "executed": text(form["executed_wan"]),
                "rate": form["execution_rate_reported"], "weight": text(form["execution_weight"]),
                "score": text(form["execution_score"])}
        funds = [fund] if any(v is not None for k, v in fund.items() if k != "line") else []
    meta = {"org_unit": gold["org_unit"], "budget_code": form.get("budget_code"), "grade": form.get("grade")}
    return {"kind": form["kind"], "title": None, "project": form["project"], "meta": meta,
            "fiscal_year": gold["fiscal_year"], "money_unit": unit, "funds": funds, "goals": [],
            "items": [gold_item(i) for i in form["items"]], "total_weight": text(form.get("total_weight")),
            "total_score": text(form.get("total_score")), "issues": [], "source_page": None, "source_line": None}


def gold_rows(path: Path) -> dict[str, list[dict]]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    doc = {"doc_id": path.name[:16], "region": gold["region"], "org_unit": gold["org_unit"],
           "fiscal_year": gold["fiscal_year"]}
    forms = [gold_form(gold, f, False) for f in gold.get("evaluations") or []]
    forms += [gold_form(gold, f, True) for f in gold.get("goal_tables") or []]
    out: dict[str, list[dict]] = {"documents": [doc], "evaluations": [], "indicators": [], "project_lists": []}
    for n, form in enumerate(forms, start=1):
        eval_id = f"{doc['doc_id']}-{n:03d}"
        out["evaluations"].append(evaluation_row(doc, form, eval_id))
        out["indicators"] += [indicator_row(eval_id, i, it) for i, it in enumerate(form["items"], start=1)]
    if gold.get("project_list"):
        rows = [{"project": p["name"], "amount": text(p["amount_wan"]), "is_total": False}
                for p in gold["project_list"]]
        rows.append({"project": None, "amount": text(gold["project_list_total_wan"]), "is_total": True})
        rows = [{**r, "note": None, "source_page": None, "source_line": None} for r in rows]
        out["project_lists"] = project_list_rows(doc, 1, {"title": "项目清单", "money_unit": "万元", "rows": rows})
    return out


def frames(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame | None]:
    """Rows as the DataFrames reading the Parquet files would give (documents kept as plain rows)."""
    out: dict[str, pd.DataFrame | None] = {"anomalies": None}
    for name, table_rows in rows.items():
        out[name] = pd.DataFrame(table_rows) if name == "documents" else to_arrow(name, table_rows).to_pandas()
    return out


def gold_tables(*paths: Path) -> dict[str, pd.DataFrame | None]:
    merged: dict[str, list[dict]] = {}
    for path in paths:
        for name, rows in gold_rows(path).items():
            merged.setdefault(name, []).extend(rows)
    return frames(merged)


def anomalies_frame(rows: list[dict]) -> pd.DataFrame:
    """A contract-shaped anomalies table (the validate stage's output) from a few fields per row."""
    return pd.DataFrame([{c: r.get(c) for c in ANOMALY_COLUMNS} for r in rows], columns=ANOMALY_COLUMNS)


def synthetic_rows(units: list[tuple[str | None, str, int]], projects: int = 2) -> dict[str, list[dict]]:
    """Small made-up units: project selfeval forms with budget 100/executed 80+10i (万元), self-score 90+i,
    and two indicators each (one met `≥10次`/`12次`, one vague `有效`)."""
    out: dict[str, list[dict]] = {"documents": [], "evaluations": [], "indicators": [], "project_lists": []}
    for u, (region, org, year) in enumerate(units):
        doc = {"doc_id": f"doc{u:013d}", "region": region, "org_unit": org, "fiscal_year": year}
        out["documents"].append(doc)
        for p in range(projects):
            items = [{"level1": "产出指标", "level1_weight": 50, "level2": "数量指标", "level2_weight": None,
                      "level3": "开展活动次数", "target": "≥10次", "actual": "12次", "weight": "10", "score": "10",
                      "note": None, "weight_inferred": False, "source_page": None, "source_line": None},
                     {"level1": "效益指标", "level1_weight": 30, "level2": "社会效益指标", "level2_weight": None,
                      "level3": "社会效益", "target": "≥95%", "actual": "有效", "weight": "10", "score": "9",
                      "note": None, "weight_inferred": False, "source_page": None, "source_line": None}]
            form = {"kind": "project_selfeval", "title": None, "project": f"项目{p + 1}", "meta": {},
                    "fiscal_year": year, "money_unit": "万元", "goals": [], "items": items, "issues": [],
                    "funds": [{"line": "年度资金总额", "budget_full_year": "100", "executed": str(80 + 10 * u)}],
                    "total_weight": "100", "total_score": str(90 + u), "source_page": None, "source_line": None}
            eval_id = f"{doc['doc_id']}-{p + 1:03d}"
            out["evaluations"].append(evaluation_row(doc, form, eval_id))
            out["indicators"] += [indicator_row(eval_id, i, it) for i, it in enumerate(items, start=1)]
    return out
