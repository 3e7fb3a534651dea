"""Turn parse results into the rows of the contract tables (normalizing every value)."""
from __future__ import annotations

from parsers.blocks import iter_rows
from parsers.recognizers.statements import project_figures
from parsers.vocabulary import FUND_TOTAL_LINES
from pipeline.normalize import in_range, is_placeholder, parse_measure, to_points, to_rate, to_yuan
from pipeline.projects import attach_projects, attach_report_rows, canonical_unit, project_key

# Typed columns beside the printed text they come from, by table: a printed value that gives no
# number (`98分x`, `12,55`, a 400-digit cell) leaves the column null, and the document says so.
PRINTED_NUMBERS: dict[str, tuple[tuple[str, str], ...]] = {
    "evaluations": (("execution_weight", "execution_weight_raw"), ("execution_score", "execution_score_raw"),
                    ("total_weight", "total_weight_raw"), ("total_score", "total_score_raw")),
    "indicators": (("weight", "weight_raw"), ("score", "score_raw")),
    "funds": (("weight", "weight_raw"), ("score", "score_raw"), ("budget_initial_yuan", "budget_initial_raw"),
              ("budget_full_year_yuan", "budget_full_year_raw"), ("executed_yuan", "executed_raw")),
}


# a document's values an evaluation row repeats where its form names none
DOC_VALUES = ("region", "org_unit")


def evaluation_row(doc: dict, form: dict, eval_id: str) -> dict:
    unit = form["money_unit"]
    total = next((f for f in form["funds"] if f["line"] in FUND_TOTAL_LINES), None) \
        or (form["funds"][0] if form["funds"] else {})
    meta = form["meta"]
    year = form["fiscal_year"] or doc["fiscal_year"]
    return {
        "eval_id": eval_id, "doc_id": doc["doc_id"], "kind": form["kind"], "title": form["title"],
        "template_family": form.get("family"),
        "source_kind": form.get("source_kind", "form"),
        "region": doc["region"], "org_unit": meta.get("org_unit") or doc["org_unit"],
        "fiscal_year": year, "project": form["project"],
        "project_key": project_key(canonical_unit(meta.get("org_unit"), doc["org_unit"]), year, form["project"]),
        "title_project": meta.get("title_project"),
        "department": meta.get("department"), "implementer": meta.get("implementer"),
        "budget_code": meta.get("budget_code"), "project_code": meta.get("project_code"),
        "report_date": meta.get("report_date"),
        "money_unit": unit,
        "budget_initial_yuan": to_yuan(total.get("budget_initial"), unit),
        "budget_full_year_yuan": to_yuan(total.get("budget_full_year"), unit),
        "executed_yuan": to_yuan(total.get("executed"), unit),
        "received_yuan": to_yuan(total.get("received"), unit),
        "execution_rate_reported": to_rate(total.get("rate")), "execution_rate_raw": total.get("rate"),
        "execution_weight": to_points(total.get("weight")), "execution_weight_raw": total.get("weight"),
        "execution_score": to_points(total.get("score")), "execution_score_raw": total.get("score"),
        "total_weight": to_points(form["total_weight"]), "total_weight_raw": form["total_weight"],
        "total_score": to_points(form["total_score"]), "total_score_raw": form["total_score"],
        "grade": meta.get("grade"), "items": len(form["items"]), "reading_score": form.get("reading_score"),
        "source_page": form["source_page"], "source_line": form["source_line"],
        **ocr_columns(form, "evaluations", (total, "evaluation_funds"),
                      ({"ocr_doubt": [f for f in doc.get("ocr_doubt") or [] if f in DOC_VALUES and not meta.get(f)]},
                       "documents")),
    }


# A value OCR doubted (parsers.ocr_doubt), by record field -> the columns it fills, per table;
# a field not named fills the column of its own name.
DOUBT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "evaluations": {"total_weight": ("total_weight", "total_weight_raw"),
                    "total_score": ("total_score", "total_score_raw")},
    "evaluation_funds": {"budget_initial": ("budget_initial_yuan",), "budget_full_year": ("budget_full_year_yuan",),
                         "executed": ("executed_yuan",), "rate": ("execution_rate_reported", "execution_rate_raw"),
                         "weight": ("execution_weight", "execution_weight_raw"),
                         "score": ("execution_score", "execution_score_raw")},
    "indicators": {"level1": ("level1", "level1_weight"), "level2": ("level2", "level2_weight"),
                   "target": ("target_raw", "target_op", "target_value", "target_value_max", "target_unit"),
                   "actual": ("actual_raw", "actual_value", "actual_unit"),
                   "weight": ("weight", "weight_raw"), "score": ("score", "score_raw")},
    "funds": {"budget_initial": ("budget_initial_yuan", "budget_initial_raw"),
              "budget_full_year": ("budget_full_year_yuan", "budget_full_year_raw"),
              "executed": ("executed_yuan", "executed_raw"), "rate": ("rate_reported", "rate_raw"),
              "weight": ("weight", "weight_raw"), "score": ("score", "score_raw")},
    "project_lists": {"amount": ("amount_yuan", "amount_raw")},
}


def ocr_columns(record: dict, table: str, *more: tuple[dict, str]) -> dict:
    """Whether a row's values were read by OCR, the lowest confidence among them, and the columns
    whose value OCR doubted (comma-separated); ``more``: other records the row takes values from,
    each with the DOUBT_COLUMNS key of its fields."""
    columns = [c for rec, key in ((record, table), *more) for field in rec.get("ocr_doubt", [])
               for c in DOUBT_COLUMNS.get(key, {}).get(field, (field,))]
    return {"ocr": "ocr_conf" in record, "ocr_conf": record.get("ocr_conf"),
            "ocr_doubt": ",".join(dict.fromkeys(columns)) or None}


def indicator_row(eval_id: str, seq: int, item: dict) -> dict:
    target = parse_measure(item["target"]) or {}
    actual = parse_measure(item["actual"]) or {}
    return {
        "eval_id": eval_id, "seq": seq,
        "level1": item["level1"], "level1_weight": in_range(item["level1_weight"]),
        "level2": item["level2"], "level2_weight": in_range(item["level2_weight"]), "level3": item["level3"],
        "target_raw": item["target"], "target_op": target.get("op"), "target_value": target.get("value"),
        "target_value_max": target.get("value_max"), "target_unit": target.get("unit"),
        "actual_raw": item["actual"], "actual_value": actual.get("value"), "actual_unit": actual.get("unit"),
        "weight": to_points(item.get("weight_read", item["weight"])), "weight_raw": item["weight"],
        "weight_inferred": bool(item["weight_inferred"]),
        "score": to_points(item.get("score_read", item["score"])), "score_raw": item["score"],
        "note": item["note"],
        "source_page": item["source_page"], "source_line": item["source_line"], **ocr_columns(item, "indicators"),
        "ocr_note": item.get("ocr_note"),
    }


def fund_row(eval_id: str, seq: int, fund: dict, unit: str | None) -> dict:
    return {
        "eval_id": eval_id, "seq": seq, "line": fund["line"],
        "budget_initial_yuan": to_yuan(fund.get("budget_initial"), unit),
        "budget_full_year_yuan": to_yuan(fund.get("budget_full_year"), unit),
        "executed_yuan": to_yuan(fund.get("executed"), unit),
        "rate_reported": to_rate(fund.get("rate")),
        "weight": to_points(fund.get("weight")), "weight_raw": fund.get("weight"),
        "score": to_points(fund.get("score")), "score_raw": fund.get("score"),
        "budget_initial_raw": fund.get("budget_initial"), "budget_full_year_raw": fund.get("budget_full_year"),
        "executed_raw": fund.get("executed"), "rate_raw": fund.get("rate"), "money_unit": unit,
        "source_page": fund.get("source_page"), "source_line": fund.get("source_line"), **ocr_columns(fund, "funds"),
    }


def goal_row(eval_id: str, seq: int, goal: dict) -> dict:
    return {"eval_id": eval_id, "seq": seq, **{k: goal.get(k) for k in
            ("goal", "result", "deviation", "source_page", "source_line")}}


def project_list_rows(doc: dict, list_seq: int, plist: dict) -> list[dict]:
    unit = plist["money_unit"]
    list_title = {"ocr_doubt": [f for f in plist.get("ocr_doubt", []) if f == "title"]}
    return [{
        "doc_id": doc["doc_id"], "list_seq": list_seq, "seq": seq, "title": plist["title"],
        "project": row["project"], "amount_yuan": to_yuan(row["amount"], unit), "amount_raw": row["amount"],
        "money_unit": unit, "note": row["note"], "is_total": row["is_total"],
        "source_page": row["source_page"], "source_line": row["source_line"],
        **ocr_columns(row, "project_lists", (list_title, "project_lists")),
    } for seq, row in enumerate(plist["rows"], start=1)]


def claim_rows(doc: dict, claims: list[dict]) -> list[dict]:
    keys = ("section", "text", "expression", "stated_value", "computed_value", "ok", "source_page", "source_line")
    return [{"doc_id": doc["doc_id"], "seq": seq, **{k: c.get(k) for k in keys}}
            for seq, c in enumerate(claims, start=1)]


def cell_rows(doc: dict, blocks: list[dict]) -> list[dict]:
    """The page geometry of a reader's blocks: every non-empty cell or line with a bbox."""
    return [{"doc_id": doc["doc_id"], "line": c["line"], "col": col, "page": c["page"],
             **dict(zip(("x0", "top", "x1", "bottom"), c["bbox"], strict=True)), "text": c["text"]}
            for row in iter_rows(blocks) for col, c in enumerate(row) if c.get("bbox") and c["text"].strip()]


def statement_rows(doc: dict, statements: list[dict], evaluations: list[dict]) -> list[dict]:
    """Statements with their value normalized and, for a report's sentence about a project, the
    project_key of the project it is about."""
    keys = ("figure", "qualifier", "value_raw", "unit", "computed", "text", "part", "part_line", "source_page",
            "source_line")
    rows = [{"doc_id": doc["doc_id"], "seq": seq, **{k: s.get(k) for k in keys}, "breakdown": s.get("group"),
             "value": to_rate(s["value_raw"] + "%") if s["unit"] == "%" else to_yuan(s["value_raw"], s["unit"])}
            for seq, s in enumerate(statements, start=1)]
    attach_projects(rows, evaluations, project_figures())
    return rows


def document_tables(doc: dict, parsed: dict) -> dict[str, list[dict]]:
    """All contract rows one parsed document contributes (documents row excluded)."""
    out: dict[str, list[dict]] = {t: [] for t in ("evaluations", "indicators", "funds", "goals",
                                                  "project_lists", "claims", "statements", "cells")}
    for n, form in enumerate(parsed["forms"], start=1):
        eval_id = f"{doc['doc_id']}-{n:03d}"
        out["evaluations"].append(evaluation_row(doc, form, eval_id))
        out["indicators"] += [indicator_row(eval_id, i, it) for i, it in enumerate(form["items"], start=1)]
        out["funds"] += [fund_row(eval_id, i, f, form["money_unit"]) for i, f in enumerate(form["funds"], start=1)]
        out["goals"] += [goal_row(eval_id, i, g) for i, g in enumerate(form["goals"], start=1)]
    attach_report_rows(out["evaluations"])
    for n, plist in enumerate(parsed["project_lists"], start=1):
        out["project_lists"] += project_list_rows(doc, n, plist)
    out["claims"] = claim_rows(doc, parsed.get("claims", []))
    out["statements"] = statement_rows(doc, parsed.get("statements", []), out["evaluations"])
    out["cells"] = cell_rows(doc, parsed.get("blocks", []))
    return out


def unreadable_numbers(tables: dict[str, list[dict]]) -> list[str]:
    """What a document printed where a number belongs that gives none (placeholders such as
    `—` and amounts without a money unit aside): one issue per column and text."""
    issues = []
    for table, pairs in PRINTED_NUMBERS.items():
        for row in tables.get(table, []):
            for column, raw in pairs:
                text = row.get(raw)
                if row.get(column) is None and not is_placeholder(text) and (
                        not column.endswith("_yuan") or row.get("money_unit")):
                    issues.append(f"{table}.{column}: printed {str(text)[:40]!r} is not a number in range; left null")
    return list(dict.fromkeys(issues))
