"""What every check needs: the curated tables indexed for checking, a printed figure in yuan,
and the check row itself."""
from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal

from parsers.vocabulary import FUND_TOTAL_LINES, MONEY_UNITS
from pipeline import precision as P
from pipeline.rules import RULES

# Fund columns as printed in the templates (for evidence and messages).
FUND_FIELDS = {"budget_initial": "年初预算数", "budget_full_year": "全年预算数", "executed": "全年执行数"}


def group(rows: list[dict], *keys: str) -> dict:
    """Rows by the value of one key (or a tuple of several), in their order."""
    out: dict = defaultdict(list)
    for r in rows:
        out[r.get(keys[0]) if len(keys) == 1 else tuple(r.get(k) for k in keys)].append(r)
    return out


class Tables:
    """The curated tables as lists of row dicts, indexed the way the checks need them."""

    def __init__(self, tables: dict[str, list[dict]]):
        # Rows are written in source order; grouping keeps it.
        self.evaluations = tables.get("evaluations", [])
        self.items = group(tables.get("indicators", []), "eval_id")
        self.funds = group(tables.get("funds", []), "eval_id")
        self.lists = group(tables.get("project_lists", []), "doc_id", "list_seq")
        self.claims = tables.get("claims", [])

    def total_fund(self, eval_id: str) -> dict | None:
        lines = self.funds.get(eval_id, [])
        return next((f for f in lines if f["line"] in FUND_TOTAL_LINES), lines[0] if lines else None)

    def amounts(self, ev: dict) -> dict[str, P.Printed]:
        """A form's budget figures (printed, in yuan) from its total fund line."""
        fund = self.total_fund(ev["eval_id"]) or {}
        out = {}
        for key in FUND_FIELDS:
            fig = P.money(fund.get(f"{key}_raw")) or P.money_from_yuan(ev.get(f"{key}_yuan"), ev.get("money_unit"))
            unit = fund.get("money_unit") or ev.get("money_unit")
            if fig and unit in MONEY_UNITS:
                out[key] = in_yuan(fig, unit)
        return out


def in_yuan(fig: P.Printed, unit: str) -> P.Printed:
    factor = P.from_float(MONEY_UNITS[unit])
    return P.Printed(fig.value * factor, fig.half * factor, f"{fig.text} {unit}")


def cite(at: dict, *texts: object, after: bool = False) -> list[dict]:
    """Where a check read its figures: these printed texts on the source line of row ``at``, or
    (``after``) on the first line below it that prints them, as a total below its items. The
    evidence stage finds the cells by these (``pipeline.evidence``)."""
    return [{"line": at.get("source_line"), "page": at.get("source_page"), "text": str(t), "after": after}
            for t in texts if t is not None and str(t) != ""]


def row(rule_id: str, at: dict, field: str, observed: str, expected: str, verdict: P.Verdict,
        evidence: str, project: str | None = None, doc_id: str | None = None,
        cites: list[dict] | None = None) -> dict:
    """A check row; ``cites`` (see ``cite``) default to the observed figure on ``at``'s line."""
    assert rule_id in RULES, rule_id
    cites = cite(at, observed) if cites is None else cites
    return {"rule_id": rule_id, "cites": json.dumps(cites, ensure_ascii=False),
            "doc_id": doc_id or at.get("doc_id"), "eval_id": at.get("eval_id"),
            "project": project, "field": field, "observed": observed, "expected": expected,
            "deviation": P.as_float(verdict[0]), "tolerance": P.as_float(verdict[1]),
            "gap": P.as_float(verdict[2]), "evidence": evidence,
            "source_page": at.get("source_page"), "source_line": at.get("source_line")}


def exact_dev(observed: Decimal, expected: Decimal) -> P.Verdict:
    return P.excess(abs(observed - expected))


def show_score(value: float | None) -> str:
    return P.show(value) if value is not None else "—"
