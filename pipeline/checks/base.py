"""What every check needs: the curated tables indexed for checking, a printed figure in yuan,
and the check row itself."""
from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from functools import cache

from parsers.recognizers.report import SOURCE_KIND as REPORT_KIND
from parsers.vocabulary import FUND_TOTAL_LINES, MONEY_UNITS
from pipeline import precision as P
from pipeline.rules import RULES

# Fund columns as printed in the templates (for evidence and messages).
FUND_FIELDS = {"budget_initial": "年初预算数", "budget_full_year": "全年预算数", "executed": "全年执行数"}
# The labels checks name in a row's ``field``, as the English messages say them (longest first).
LABELS_EN = {
    "1-12月": "Jan-Dec ", "1-9月": "Jan-Sep ", "1-6月": "Jan-Jun ", "1-3月": "Jan-Mar ",
    "在职人员控制率": "staff control rate", "公用经费控制率": "public-expense control rate",
    "三公经费控制率": "control rate of the three public expenses",
    "三公经费变动率": "change of the three public expenses", "重点支出安排率": "share of key spending",
    "预算完成率": "budget completion rate", "预算调整率": "budget adjustment rate",
    "固定资产利用率": "fixed-asset utilization", "资金到位率": "funds-in-place rate",
    "日常公用经费支出": "routine public expenses", "按功能分类": "functional classification",
    "按经济分类": "economic classification", "基本支出构成": "basic spending", "收入合计": "total revenue",
    "支出合计": "total spending", "人员支出": "personnel spending", "项目预算": "project budget",
    "项目拨付": "project funds disbursed", "项目执行率": "project execution rate",
    "政策和项目支出": "policy and project spending", "本年财政拨款": "current-year appropriation",
    "上年结转资金": "carry-over from last year", "年度资金总额": "total funds",
    "预算执行得分": "budget-execution score",
    "各项分值之和": "the sum of the weights", "总分分值": "the printed total weight", "支付进度率": "payment progress",
    "年初预算数": "initial budget", "全年预算数": "full-year budget", "全年执行数": "executed amount",
    "其他资金": "other funds", "基本支出": "basic spending", "项目支出": "project spending", "项目名称": "project name",
    "预算执行": "budget execution", "执行率": "execution rate", "执行数": "executed amount", "合计": "total",
    "金额": "amount", "报告": "report",
}


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
        # The forms proper: a report's own rows are read from its sentences, which the checks
        # compare with the forms (claim_vs_form), never with themselves.
        self.forms = [e for e in self.evaluations if e.get("source_kind") != REPORT_KIND]
        self.items = group(tables.get("indicators", []), "eval_id")
        self.funds = group(tables.get("funds", []), "eval_id")
        self.lists = group(tables.get("project_lists", []), "doc_id", "list_seq")
        self.claims = tables.get("claims", [])
        self.statements = tables.get("statements", [])

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


@cache
def in_english(label: str) -> str:
    """A field label with the template words it contains in English (`年度资金总额全年预算数` ->
    `total funds full-year budget`); names quoted from the document stay as printed."""
    for zh, en in LABELS_EN.items():
        label = label.replace(zh, f" {en} ")
    return " ".join(label.split())


PERCENT = Decimal("0.01")


def unit_size(fig: P.Printed) -> Decimal:
    """One unit of the figure as printed, in the scale it is compared in: `99.73%` is compared as
    a fraction (a point is 0.01), `250.2 万元` in yuan (a unit is 10000)."""
    text = fig.text.strip()
    if text.endswith("%"):
        return PERCENT
    unit = next((u for u in sorted(MONEY_UNITS, key=len, reverse=True) if text.endswith(u)), None)
    return P.from_float(MONEY_UNITS[unit]) if unit else Decimal(1)


def cite(at: dict, *texts: object, after: bool = False) -> list[dict]:
    """Where a check read its figures: these printed texts on the source line of row ``at``, or
    (``after``) on the first line below it that prints them, as a total below its items. The
    validate stage finds the cells by these (``pipeline.evidence``)."""
    return [{"line": at.get("source_line"), "page": at.get("source_page"), "text": str(t), "after": after}
            for t in texts if t is not None and str(t) != ""]


def row(rule_id: str, at: dict, field: str, observed: str, expected: str, verdict: P.Verdict,
        evidence: str, project: str | None = None, doc_id: str | None = None, per_unit: Decimal = Decimal(1),
        cites: list[dict] | None = None) -> dict:
    """A check row. ``per_unit`` is one printed unit of the checked figure in the verdict's scale
    (``unit_size``): deviation, tolerance and gap are given in the figure's printed unit. ``cites``
    (see ``cite``) default to the observed figure on ``at``'s line."""
    assert rule_id in RULES, rule_id
    cites = cite(at, observed) if cites is None else cites
    return {"rule_id": rule_id, "cites": json.dumps(cites, ensure_ascii=False),
            "doc_id": doc_id or at.get("doc_id"), "eval_id": at.get("eval_id"),
            "project": project, "field": field, "field_en": in_english(field), "observed": observed,
            "expected": expected,
            "deviation": P.as_float(verdict[0] / per_unit), "tolerance": P.as_float(verdict[1] / per_unit),
            "gap": P.as_float(verdict[2] / per_unit), "evidence": evidence,
            "source_page": at.get("source_page"), "source_line": at.get("source_line")}


def exact_dev(observed: Decimal, expected: Decimal) -> P.Verdict:
    return P.excess(abs(observed - expected))


def holds(ok: bool) -> P.Verdict:
    """The verdict of a yes/no check: gap 1 when it fails, 0 when it holds."""
    return P.excess(Decimal(0 if ok else 1))


def show_score(value: float | None) -> str:
    return P.show(value) if value is not None else "—"
