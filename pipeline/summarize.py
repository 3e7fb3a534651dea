"""Summarize: one row per budget unit (region, org_unit, fiscal_year) to compare units side by side.

Reads the curated tables, writes ``unit_summary.parquet``, ``projects.parquet`` (one row per project
of a unit and year, across its forms) and ``reports/summary.html``.

Two template families are in use and they do not measure the same things:
- Anhui-style 项目支出绩效自评表 (``selfeval``): one form per project carrying the budget, the
  performance indicators with target, actual, weight and score, and the total self-score.
- Sichuan-style 自评计分表 + 目标完成情况表 (``scoring`` + ``goal_completion``): a generic scoring sheet
  (weights and scores, no targets) and a separate goal table (budget, targets and actuals, no scores)
  per project.
So a project's figures are gathered from all its forms (matched by name), "performance indicators"
are the rows that carry a target (selfeval or goal_completion forms), and each column of
``schemas/unit_summary.json`` says in its ``comparability`` whether it means the same on both.

Tables that a later stage writes (``anomalies.parquet``, ``evaluations.rule_score``) are used when
present; when absent the columns that need them are null, never 0.
"""
from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

import schemas
from parsers.recognizers.report import SOURCE_KIND as REPORT_KIND
from parsers.text import norm_key
from pipeline import freshness
from pipeline.outcome import MET, MISSED, MISSED_TERMS, OUTCOME_COLUMNS, UNVERIFIABLE, target_outcome
from pipeline.projects import canonical_unit, project_key
from pipeline.runlog import require_run
from pipeline.write import to_arrow, write_atomic

UNIT_KEY = ["region", "org_unit", "fiscal_year"]
# Form kind -> template family (see module docstring).
TEMPLATE_FAMILY: dict[str, str] = {
    "project_selfeval": "selfeval", "dept_selfeval": "selfeval",
    "project_scoring": "scoring", "dept_scoring": "scoring",
    "project_goal_completion": "goal_completion", "dept_goal_completion": "goal_completion",
}
PROJECT_KINDS = ("project_selfeval", "project_scoring", "project_goal_completion")
DEPT_KINDS = ("dept_selfeval", "dept_scoring", "dept_goal_completion")
# Forms whose total is a self-assigned score out of 100.
SCORED_KINDS = ("project_selfeval", "project_scoring")
DEPT_SCORED_KINDS = ("dept_selfeval", "dept_scoring")
# Forms whose indicator rows carry a target (年度指标值): the performance indicators.
TARGET_KINDS = ("project_selfeval", "project_goal_completion")
# Words that make a target or a reported actual unverifiable when no number comes with them.
VAGUE_TERMS = (
    "有效", "持续提升", "达到预期", "提升", "提高", "加强", "改善", "促进", "推动", "助推", "带动",
    "明显", "显著", "积极", "有力", "可持续", "稳定", "良好", "较好", "满意", "优良中低差", "高",
    "按时", "及时", "按期", "已完成", "完成", "保障", "规范", "合规", "严格", "定性",
)
# Statement figures about a project (parsers/templates/statements.json) -> projects.parquet columns.
REPORT_FIGURES = {"项目预算": "report_budget_yuan", "项目拨付": "report_executed_yuan", "项目执行率": "report_rate"}
FULL_SCORE_THRESHOLD = 90.0  # 优 starts at 90 in both templates' grading
_EPS = 1e-9


def load_tables(out_dir: Path) -> dict[str, pd.DataFrame | None]:
    """The curated tables the summary reads; None for a table not written (yet)."""
    names = ("documents", "evaluations", "indicators", "project_lists", "anomalies", "statements")
    return {n: pd.read_parquet(out_dir / f"{n}.parquet") if (out_dir / f"{n}.parquet").exists() else None
            for n in names}


# --- indicators ------------------------------------------------------------------------------

def _key(text: object) -> str:
    """norm_key for a table cell (null may come as None or NaN)."""
    return norm_key(text) if isinstance(text, str) else ""


def is_vague(text: str | None) -> bool:
    """`有效`, `持续提升`, `已完成`: a vocabulary word and no number to check it by."""
    key = _key(text)
    if not key or any(ch.isdigit() for ch in key) or any(t in key for t in MISSED_TERMS):
        return False
    return any(t in key for t in VAGUE_TERMS)


def outcome_of(row: dict) -> str | None:
    """``pipeline.outcome`` on a frame row (whose nulls may be NaN)."""
    decided = target_outcome({k: None if not isinstance(v, str) and pd.isna(v) else v for k, v in row.items()})
    return decided.outcome if decided else None


def indicator_flags(indicators: pd.DataFrame, evaluations: pd.DataFrame) -> pd.DataFrame:
    """Indicators of project-level forms with the quality flags the summary counts."""
    forms = evaluations[["eval_id", "kind"]]
    df = indicators.merge(forms, on="eval_id", how="inner")
    df = df[df["kind"].isin(PROJECT_KINDS)].copy()
    df["has_target"] = df["kind"].isin(TARGET_KINDS)
    df["quantitative"] = df["has_target"] & df["target_op"].notna()
    df["vague_target"] = df["has_target"] & _per_value(is_vague, df["target_raw"])
    df["vague_actual"] = df["has_target"] & _per_value(is_vague, df["actual_raw"])
    rows = df[list(OUTCOME_COLUMNS)].to_dict("records")  # plain dicts: iterrows costs a Series a row
    df["outcome"] = [outcome_of(r) if t else None for t, r in zip(df["has_target"], rows, strict=True)]
    df["scored"] = df["weight"].notna() & df["score"].notna()
    df["full_marks"] = df["scored"] & (df["score"] >= df["weight"] - _EPS)
    return df


def _per_value(func: object, column: pd.Series) -> np.ndarray:
    """``func`` of each value, called once per distinct value (indicator texts repeat a lot); null is None."""
    codes, uniques = pd.factorize(column)
    return np.array([func(v) for v in uniques] + [func(None)], dtype=bool)[codes]


# --- projects --------------------------------------------------------------------------------

def project_frame(evaluations: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """One row per (unit, project): amounts, self-score, rule score and indicator counts, from its
    forms (a report's figures join from its statements: report_* columns)."""
    forms = evaluations[evaluations["kind"].isin(PROJECT_KINDS) & evaluations["project"].notna()
                        & (evaluations["source_kind"] != REPORT_KIND)].copy()
    forms["template"] = forms["kind"].map(TEMPLATE_FAMILY)
    scored = forms[forms["kind"].isin(SCORED_KINDS)]
    by = [*UNIT_KEY, "project_key"]
    out = forms.groupby(by, dropna=False, sort=False).agg(
        project=("project", _shortest), names=("project", _distinct), forms=("eval_id", "size"),
        eval_ids=("eval_id", _distinct), template=("template", lambda s: "+".join(sorted(set(s)))),
        budget_yuan=("budget_full_year_yuan", "first"), executed_yuan=("executed_yuan", "first"),
        rate_reported=("execution_rate_reported", "first"))  # first non-null, as _first
    scores = scored.groupby(by, dropna=False, sort=False).agg(
        self_score=("total_score", "first"), rule_score=("rule_score", "first"))
    out = out.join(scores, how="left")
    out["execution_rate"] = [_rate(b, e, r) for b, e, r in
                             zip(out["budget_yuan"], out["executed_yuan"], out["rate_reported"], strict=True)]
    counts = _indicator_counts(flags.merge(forms[["eval_id", *UNIT_KEY, "project_key"]], on="eval_id"), by)
    return out.join(counts, how="left").reset_index()


def _indicator_counts(flags: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    flags = flags.assign(
        met=flags["outcome"] == MET, missed=flags["outcome"] == MISSED, checked=flags["outcome"].isin((MET, MISSED)),
        unverifiable=flags["quantitative"] & (flags["outcome"] == UNVERIFIABLE),
        full_marks_missed=flags["full_marks"] & (flags["outcome"] == MISSED),
        missed_scored=flags["scored"] & (flags["outcome"] == MISSED))
    cols = ["has_target", "quantitative", "vague_target", "vague_actual", "checked", "met", "missed", "unverifiable",
            "scored", "full_marks", "full_marks_missed", "missed_scored"]
    return flags.groupby(by, dropna=False, sort=False)[cols].sum()


def _first(s: pd.Series) -> object:
    s = s.dropna()
    return s.iloc[0] if len(s) else None


def _distinct(s: pd.Series) -> str:
    return " / ".join(dict.fromkeys(s.dropna()))


def _shortest(s: pd.Series) -> str:
    return min(s.dropna(), key=len)


def _rate(budget: object, executed: object, reported: object) -> float | None:
    """Executed / budget from the amounts; the printed rate only when an amount is missing."""
    if not pd.isna(budget) and not pd.isna(executed) and budget > 0:
        return executed / budget
    return None if pd.isna(reported) else float(reported)


# --- units -----------------------------------------------------------------------------------

def prepare(tables: dict[str, pd.DataFrame | None]) -> dict[str, pd.DataFrame | None]:
    """The tables with each form's unit settled (see form_units) and a rule_score column on evaluations
    (null when the validate stage has not added it). Every summary function takes prepared tables."""
    evaluations = tables["evaluations"]
    if "rule_score" not in evaluations:
        evaluations = evaluations.assign(rule_score=float("nan"))
    return {**tables, "evaluations": form_units(evaluations, tables.get("documents"))}


def form_units(evaluations: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """Each form with the canonical unit (``pipeline.projects.canonical_unit``: 项目计分表 print
    安岳县人大常委会办公室 where the department forms print 安岳县人民代表大会常务委员会办公室) and
    its project_key (as extraction wrote it; computed for tables written before it had one)."""
    out = evaluations.copy()
    if documents is not None and not documents.empty:
        doc_unit = out["doc_id"].map(dict(zip(documents["doc_id"], documents["org_unit"], strict=True)))
        doc_region = out["doc_id"].map(dict(zip(documents["doc_id"], documents["region"], strict=True)))
        same = pd.Series([not pd.isna(d) and canonical_unit(None if pd.isna(f) else f, d) == d
                          for f, d in zip(out["org_unit"], doc_unit, strict=True)], index=out.index, dtype=bool)
        out.loc[same, "org_unit"] = doc_unit[same]
        out.loc[same, "region"] = doc_region[same].where(doc_region[same].notna(), out.loc[same, "region"])
    if "project_key" not in out:
        out["project_key"] = [project_key(u, y, p) for u, y, p in zip(out["org_unit"], out["fiscal_year"],
                                                                      out["project"], strict=True)]
    return out


def projects_of(tables: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """One row per (unit, project), from prepared tables."""
    evaluations = tables["evaluations"]
    return project_frame(evaluations, indicator_flags(tables["indicators"], evaluations))


def project_rows(projects: pd.DataFrame, anomalies: pd.DataFrame | None,
                 statements: pd.DataFrame | None) -> list[dict]:
    """The projects.parquet rows (``schemas/projects.json``) from projects_of(), with the report's
    figures about each project and the anomalies on it."""
    found = anomalies["project_key"].value_counts() if anomalies is not None and "project_key" in anomalies \
        else None
    reported = _report_figures(statements)
    rows = []
    for row in projects.rename(columns={"has_target": "indicators"}).to_dict("records"):
        row.update(reported.get(row["project_key"], {}))
        if found is not None:
            row["anomalies"] = int(found.get(row["project_key"], 0))
        rows.append(_nulls(row))
    return rows


def _report_figures(statements: pd.DataFrame | None) -> dict[str, dict]:
    """project_key -> the first budget, spending and rate the report states for it, and the lines."""
    if statements is None or statements.empty:
        return {}
    out: dict[str, dict] = {}
    for key, stated in statements[statements["project_key"].notna()].groupby("project_key", sort=False):
        first = {figure: s["value"].iloc[0] for figure, s in stated.groupby("figure", sort=False)}
        out[key] = {column: first.get(figure) for figure, column in REPORT_FIGURES.items()}
        out[key]["report_lines"] = ", ".join(str(n) for n in dict.fromkeys(stated["source_line"]))
    return out


def unit_rows(tables: dict[str, pd.DataFrame | None], projects: pd.DataFrame) -> list[dict]:
    """The unit_summary rows, in (region, org_unit, fiscal_year) order, from prepared tables and projects_of()."""
    evaluations = tables["evaluations"]
    anomalies = anomaly_counts(anomalies_by_unit(tables["anomalies"], evaluations))
    lists = _project_list_totals(tables["project_lists"], evaluations)
    by_unit = {unit_key(k): g for k, g in projects.groupby(UNIT_KEY, dropna=False, sort=False)}
    rows = []
    for key, forms in evaluations.groupby(UNIT_KEY, dropna=False, sort=True):
        unit = dict(zip(UNIT_KEY, key, strict=True))
        mine = by_unit.get(unit_key(key), projects.iloc[:0])
        row = {**unit, **_coverage(forms, mine), **_money(forms, mine), **_scores(forms, mine),
               **_indicator_quality(mine), "project_list_total_yuan": lists.get(key)}
        row.update(_anomaly_rates(anomalies, key, len(forms)))
        rows.append(_nulls(row))
    return rows


def _coverage(forms: pd.DataFrame, projects: pd.DataFrame) -> dict:
    return {
        "template": "+".join(sorted(set(forms["kind"].map(TEMPLATE_FAMILY).dropna()))),
        "documents": forms["doc_id"].nunique(), "forms": len(forms),
        "project_forms": int(forms["kind"].isin(PROJECT_KINDS).sum()),
        "dept_forms": int(forms["kind"].isin(DEPT_KINDS).sum()), "projects": len(projects),
    }


def _money(forms: pd.DataFrame, projects: pd.DataFrame) -> dict:
    both = projects[projects["budget_yuan"].notna() & projects["executed_yuan"].notna()]
    budget, executed = both["budget_yuan"].sum(), both["executed_yuan"].sum()
    dept = forms[forms["kind"].isin(DEPT_KINDS)]
    return {
        "projects_with_amounts": len(both),
        "budget_yuan": round(budget, 2) if len(both) else None,
        "executed_yuan": round(executed, 2) if len(both) else None,
        "execution_rate_weighted": executed / budget if len(both) and budget > 0 else None,
        "execution_rate_median": projects["execution_rate"].median() if projects["execution_rate"].notna().any()
        else None,
        "dept_budget_yuan": _first(dept["budget_full_year_yuan"]), "dept_executed_yuan": _first(dept["executed_yuan"]),
    }


def _scores(forms: pd.DataFrame, projects: pd.DataFrame) -> dict:
    scores = projects["self_score"].dropna()
    both = projects[projects["self_score"].notna() & projects["rule_score"].notna()]
    dept = forms[forms["kind"].isin(DEPT_SCORED_KINDS)]["total_score"].dropna()
    return {
        "self_score_mean": scores.mean() if len(scores) else None,
        "self_score_min": scores.min() if len(scores) else None,
        "share_self_score_ge_90": (scores >= FULL_SCORE_THRESHOLD).mean() if len(scores) else None,
        "dept_self_score": dept.iloc[0] if len(dept) else None,
        "rule_score_mean": both["rule_score"].mean() if len(both) else None,
        "self_score_gap_mean": (both["self_score"] - both["rule_score"]).mean() if len(both) else None,
    }


def _indicator_quality(projects: pd.DataFrame) -> dict:
    total = projects.sum(numeric_only=True)
    targets, scored = total.get("has_target", 0), total.get("scored", 0)
    return {
        "indicators": int(targets), "indicators_per_project": targets / len(projects) if len(projects) else None,
        "share_quantitative_targets": _share(total.get("quantitative", 0), targets),
        "share_vague_targets": _share(total.get("vague_target", 0), targets),
        "share_vague_actuals": _share(total.get("vague_actual", 0), targets),
        "share_unverifiable": _share(total.get("unverifiable", 0), total.get("quantitative", 0)),
        "targets_checked": int(total.get("checked", 0)), "targets_missed": int(total.get("missed", 0)),
        "share_targets_missed": _share(total.get("missed", 0), total.get("checked", 0)),
        "scored_items": int(scored), "share_full_marks": _share(total.get("full_marks", 0), scored),
        "full_marks_while_missed": int(total.get("full_marks_missed", 0)) if total.get("missed_scored", 0) else None,
        "share_full_marks_target_missed": _share(total.get("full_marks_missed", 0), total.get("missed_scored", 0)),
    }


def _share(part: float, whole: float) -> float | None:
    return float(part) / float(whole) if whole else None


def _project_list_totals(lists: pd.DataFrame | None, evaluations: pd.DataFrame) -> dict[tuple, float]:
    """Printed 合计 of the project lists, attributed to the unit of their document."""
    if lists is None or lists.empty:
        return {}
    doc_units = _doc_units(evaluations)
    totals = lists[lists["is_total"].fillna(False).astype(bool)]
    out: dict[tuple, float] = {}
    for doc_id, amount in zip(totals["doc_id"], totals["amount_yuan"], strict=True):
        if doc_id in doc_units and not pd.isna(amount):
            out[doc_units[doc_id]] = round(out.get(doc_units[doc_id], 0.0) + amount, 2)
    return out


def _doc_units(evaluations: pd.DataFrame) -> dict[str, tuple]:
    """doc_id -> the unit most of its forms belong to."""
    counts = evaluations.groupby(["doc_id", *UNIT_KEY], dropna=False).size().reset_index(name="n")
    counts = counts.sort_values("n", ascending=False).drop_duplicates("doc_id")
    return {doc_id: tuple(unit) for doc_id, *unit in zip(counts["doc_id"], *(counts[k] for k in UNIT_KEY), strict=True)}


def unit_key(values: object) -> tuple:
    """(region, org_unit, fiscal_year) as plain Python values, null as None: usable as a dict key."""
    return tuple(None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in values)


def anomalies_by_unit(anomalies: pd.DataFrame | None, evaluations: pd.DataFrame) -> pd.DataFrame | None:
    """Anomalies with the unit they concern: their form's unit, else their document's, else their own."""
    if anomalies is None:
        return None
    forms = {e: unit_key(k) for e, k in zip(evaluations["eval_id"], evaluations[UNIT_KEY].itertuples(index=False),
                                            strict=True)}
    doc_units = _doc_units(evaluations)
    keys = []
    for eval_id, doc_id, *own in zip(*(_values(anomalies, c) for c in ("eval_id", "doc_id", *UNIT_KEY)), strict=True):
        if eval_id in forms:
            keys.append(forms[eval_id])
        elif doc_id in doc_units:
            keys.append(unit_key(doc_units[doc_id]))
        else:
            keys.append(unit_key(own))
    return anomalies.assign(unit=keys)


def _values(df: pd.DataFrame, column: str) -> list:
    """A column's values; None for each row when the table has no such column."""
    return df[column].tolist() if column in df else [None] * len(df)


def anomaly_counts(anomalies: pd.DataFrame | None) -> dict[tuple, Counter] | None:
    """Unit -> anomalies by severity, counted in one pass (from anomalies_by_unit)."""
    if anomalies is None:
        return None
    counts: dict[tuple, Counter] = {}
    for unit, severity in zip(anomalies["unit"], anomalies["severity"], strict=True):
        if not pd.isna(severity):
            counts.setdefault(unit, Counter())[severity] += 1
    return counts


def _anomaly_rates(counts: dict[tuple, Counter] | None, key: tuple, forms: int) -> dict:
    names = ("anomalies", "anomalies_error_per_form", "anomalies_warning_per_form", "anomalies_info_per_form")
    if counts is None:
        return dict.fromkeys(names)
    severity = counts.get(unit_key(key), Counter())
    return {"anomalies": sum(severity.values()), **{f"anomalies_{s}_per_form": severity[s] / forms
                                                    if forms else None for s in ("error", "warning", "info")}}


def _nulls(row: dict) -> dict:
    """NaN -> None and numpy scalars -> Python, so Parquet gets nulls and plain types."""
    out = {}
    for k, v in row.items():
        if v is not None and not isinstance(v, str) and pd.isna(v):
            v = None
        elif hasattr(v, "item"):
            v = v.item()
        if isinstance(v, float) and math.isfinite(v) and k.startswith(("share_", "execution_rate", "self_score",
                                                                        "rule_score", "indicators_per", "anomalies_")):
            v = round(v, 10)
        out[k] = v
    return out


def summarize(out_dir: Path, report: bool = True, lang: str = "zh") -> dict:
    """Write unit_summary.parquet (and reports/summary.html, labels in ``lang``) from the curated tables in out_dir."""
    run_id = require_run(out_dir, optional={"anomalies": "validate"})  # StageError: missing or mixed runs
    inputs = freshness.summarize_inputs(out_dir, report, lang)
    tables = prepare(load_tables(out_dir))
    projects = projects_of(tables)
    rows = unit_rows(tables, projects)
    write_atomic(to_arrow("unit_summary", rows, run_id), out_dir / "unit_summary.parquet")
    project_table = to_arrow("projects", project_rows(projects, tables["anomalies"], tables["statements"]), run_id)
    write_atomic(project_table, out_dir / "projects.parquet")
    result = {"units": rows, "projects": projects, "report": None, "run_id": run_id}
    if report:
        from pipeline.report import write_report  # matplotlib import costs a second: only when reporting

        result["report"] = write_report(out_dir / "reports" / "summary.html", rows, projects, tables, lang)
    summary = {"units": len(rows), "projects": len(projects), "report": result["report"] and str(result["report"]),
               "run_id": run_id}
    freshness.record(out_dir, "summarize", inputs, freshness.outputs_of("summarize", report), summary)
    return {**result, "summary": summary}


def comparability() -> dict[str, list[dict]]:
    """unit_summary columns grouped by their ``comparability`` in the schema."""
    groups: dict[str, list[dict]] = {}
    for field in schemas.load("unit_summary")["fields"]:
        groups.setdefault(field.get("comparability", "key"), []).append(field)
    return groups
