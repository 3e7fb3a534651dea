"""Build small disclosures as parse results (the plain records recognizers return) and turn them
into contract tables through the pipeline's own ``document_tables``: the validate stage sees
exactly what it sees after ``make extract``, for any template, before its parser exists."""
from __future__ import annotations

from pathlib import Path

from parsers.flow_lines import Line
from parsers.recognizers.record import new_form, new_item
from parsers.recognizers.statements import find_statements
from pipeline.rescore import add_rule_scores
from pipeline.tables import document_tables
from pipeline.write import to_arrow, write_atomic

TITLES = {"project_selfeval": "项目支出绩效自评表", "project_scoring": "项目支出绩效自评计分表",
          "project_goal_completion": "项目支出绩效目标完成情况表", "dept_scoring": "部门整体支出绩效自评计分表",
          "dept_goal_completion": "部门整体支出绩效目标完成情况表", "dept_selfeval": "部门整体支出绩效自评表"}


def fund(line: str, a: str | None = None, b: str | None = None, rate: str | None = None,
         weight: str | None = None, score: str | None = None, initial: str | None = "same", src: int = 0) -> dict:
    return {"line": line, "budget_initial": a if initial == "same" else initial, "budget_full_year": a,
            "executed": b, "rate": rate, "weight": weight, "score": score, "source_line": src or None,
            "source_page": None}


def item(level1: str, level3: str, weight: str | None, score: str | None, target: str | None = None,
         actual: str | None = None, level1_weight: float | None = None, level2: str | None = None,
         level2_weight: float | None = None, src: int = 0, note: str | None = None) -> dict:
    return new_item(level1=level1, level1_weight=level1_weight, level2=level2 or level1, level2_weight=level2_weight,
                    level3=level3, target=target, actual=actual, weight=weight, score=score, source_line=src or None,
                    note=note)


def form(project: str | None, kind: str = "project_selfeval", unit: str | None = "万元", funds=(), items=(),
         total_score: str | None = None, total_weight: str | None = None, title: str | None = None,
         line: int = 1, title_project: str | None = None) -> dict:
    f = new_form(kind, title or TITLES[kind], line, None)
    f.update(project=project, money_unit=unit, funds=list(funds), items=list(items), total_score=total_score,
             total_weight=total_weight, fiscal_year=2023)
    f["meta"] = {"org_unit": "测试县测试局", "title_project": title_project}
    return f


def project_list(rows: list[tuple[str | None, str]], unit: str = "万元", title: str = "测试局项目清单") -> dict:
    return {"title": title, "money_unit": unit, "source_line": 1, "source_page": None,
            "rows": [{"project": p, "amount": a, "note": None, "is_total": p is None, "source_line": n,
                      "source_page": None} for n, (p, a) in enumerate(rows, start=2)]}


def claim(text: str, stated: float, computed: float, expression: str | None = None, line: int = 900) -> dict:
    """A claim of the report; its sentence is a report line too (see contract_tables)."""
    return {"section": "二、绩效目标实现情况", "text": text, "expression": expression, "stated_value": stated,
            "computed_value": computed, "ok": None, "source_line": line, "source_page": None}


REPORT_TITLE = "2023年度项目支出绩效自评报告"


def report_statements(claims: list[dict], report: list[str]) -> list[dict]:
    """The statements of a report made of the claims' sentences and more lines (from line 800)."""
    lines = [Line(799, REPORT_TITLE), *(Line(800 + n, text) for n, text in enumerate(report))]
    lines += [Line(c["source_line"], c["text"]) for c in claims]
    return find_statements(sorted(lines))


def contract_tables(forms: list[dict], lists: list[dict] = (), claims: list[dict] = (),
                    doc_id: str = "ffffffffffff0001", region: str = "测试县", report: list[str] = ()
                    ) -> dict[str, list[dict]]:
    """The tables of one document of forms, project lists and a report (its claims' sentences and
    the ``report`` lines)."""
    doc = {"doc_id": doc_id, "source_path": f"{doc_id}.txt", "region": region, "org_unit": "测试县测试局",
           "fiscal_year": 2023, "sha256": doc_id * 4, "format": "txt", "layout": "cell_lines", "status": "ok"}
    parsed = {"forms": forms, "project_lists": list(lists), "claims": list(claims),
              "statements": report_statements(list(claims), list(report))}
    tables = document_tables(doc, parsed)
    add_rule_scores(tables["evaluations"], tables["indicators"])
    tables["documents"] = [doc]
    return tables


def write_curated(tables: dict[str, list[dict]], folder: Path) -> Path:
    for name, rows in tables.items():
        write_atomic(to_arrow(name, rows), folder / f"{name}.parquet")
    return folder
