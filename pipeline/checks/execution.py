"""Execution: each budget line's rate is B/A and B stays within A, the total line is the sum of
the lines under it, and the budget-execution score follows rate × weight, capped."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from parsers.vocabulary import FUND_TOTAL_LINES
from pipeline import precision as P
from pipeline.checks.base import FUND_FIELDS, Tables, cite, row, show_score, unit_size
from pipeline.rules import rule


def fund_evidence(f: dict) -> str:
    parts = [f"{label} {f.get(key + '_raw')}" for key, label in FUND_FIELDS.items() if f.get(key + "_raw")]
    parts += [f"执行率 {f['rate_raw']}"] if f.get("rate_raw") else []
    parts += [f"分值 {show_score(f['weight'])}"] if f.get("weight") is not None else []
    parts += [f"得分 {show_score(f['score'])}"] if f.get("score") is not None else []
    unit = f"（{f['money_unit']}）" if f.get("money_unit") else ""
    return f"{f['line']}{unit}：" + "，".join(parts)


def fund_cites(f: dict) -> list[dict]:
    """Every figure a budget line prints (the cells its evidence quotes)."""
    return cite(f, *(f.get(f"{key}_raw") for key in FUND_FIELDS), f.get("rate_raw"),
                *(show_score(f[k]) for k in ("weight", "score") if f.get(k) is not None))


def budget_of(f: dict) -> P.Printed | None:
    return P.money(f.get("budget_full_year_raw")) or P.money(f.get("budget_initial_raw"))


def fund_lines(t: Tables, ev: dict) -> Iterator[tuple[dict, P.Printed | None, P.Printed | None]]:
    """Each budget line of a form (with its document), its budget A and its spending B."""
    for f in t.funds.get(ev["eval_id"], []):
        yield {**f, "doc_id": ev["doc_id"]}, budget_of(f), P.money(f.get("executed_raw"))


@rule("rate_formula", "execution", "error", ("执行率计算", "Execution rate = B/A"),
      ("{field}执行率印为 {observed}，按表中数字计算为 {expected}",
       "The {field} execution rate is printed as {observed}, but the form's own figures give {expected}"))
def check_rate_formula(t: Tables, ev: dict) -> Iterator[dict]:
    """Each budget line's printed execution rate is its executed amount B over its budget A."""
    for f, a, b in fund_lines(t, ev):
        r = P.rate(f.get("rate_raw"))
        if a and b and r and (interval := P.ratio(b, a)):
            computed = f"{b.text}/{a.text} = {P.show_rate(b.value / a.value)}"
            yield row("rate_formula", f, f["line"], r.text, computed, P.compare(r, *interval),
                      fund_evidence(f), ev.get("project"), per_unit=unit_size(r), cites=cite(f, r.text, a.text, b.text))


@rule("executed_within_budget", "execution", "warning", ("执行数超预算", "Executed above budget"),
      ("{field}执行数 {observed} 超过预算数 {expected}",
       "{field}: executed {observed} exceeds the budget of {expected}"))
def check_executed_within_budget(t: Tables, ev: dict) -> Iterator[dict]:
    """No budget line spends more than its budget."""
    for f, a, b in fund_lines(t, ev):
        if a and b:
            unit = f.get("money_unit") or ""
            yield row("executed_within_budget", f, f["line"], f"{b.text} {unit}", f"{a.text} {unit}",
                      P.at_most(b, a), fund_evidence(f), ev.get("project"), cites=cite(f, a.text, b.text))


@rule("fund_lines_sum", "execution", "error", ("资金来源合计", "Funding lines add up"),
      ("{field}：其中各项之和为 {expected}，合计行印为 {observed}",
       "{field}: the lines under the total add up to {expected}, but the total line prints {observed}"),
      needs_whole_form=True)
def check_fund_lines(t: Tables, ev: dict) -> Iterator[dict]:
    """Each total budget line (年度资金总额, 合计) is the sum of the lines printed under it."""
    groups: list[list[dict]] = []
    for f in t.funds.get(ev["eval_id"], []):
        if f["line"] in FUND_TOTAL_LINES or not groups:
            groups.append([f])
        else:
            groups[-1].append(f)
    for total_line, *parts in groups:
        if total_line["line"] not in FUND_TOTAL_LINES:
            continue
        for key, label in FUND_FIELDS.items():
            printed = P.money(total_line.get(f"{key}_raw"))
            figures = [fig for p in parts if (fig := P.money(p.get(f"{key}_raw")))]
            if not printed or not figures:
                continue
            expected = P.total(figures)
            evidence = f"{label}：{total_line['line']} {printed.text}；" + "，".join(
                f"{p['line']} {p.get(key + '_raw')}" for p in parts if p.get(f"{key}_raw"))
            yield row("fund_lines_sum", {**total_line, "doc_id": ev["doc_id"]}, f"{total_line['line']}{label}",
                      printed.text, P.show(expected.value), P.compare(printed, expected.lo, expected.hi),
                      evidence, ev.get("project"),
                      cites=[c for f in (total_line, *parts) for c in cite(f, f.get(f"{key}_raw"))])


def execution_rate_interval(t: Tables, ev: dict) -> tuple[tuple[Decimal, Decimal], str] | None:
    """The execution rate the form's own figures allow: B/A where both are printed, else the
    printed rate; with a note saying which."""
    fund = t.total_fund(ev["eval_id"]) or {}
    a, b = budget_of(fund), P.money(fund.get("executed_raw"))
    if a and b and (interval := P.ratio(b, a)):
        return interval, f"{b.text}/{a.text}"
    r = P.rate(fund.get("rate_raw") or ev.get("execution_rate_raw"))
    return ((r.lo, r.hi), r.text) if r else None


@rule("execution_score_rule", "execution", "error", ("预算执行得分", "Budget-execution score"),
      ("预算执行得分为 {observed}，按“执行率×分值（不超过分值）”应为 {expected}",
       "The budget-execution score is {observed}; the rule (rate × weight, capped at the weight) gives {expected}"))
def check_execution_score(t: Tables, ev: dict) -> Iterator[dict]:
    """The budget-execution score is execution rate × weight, capped at the weight."""
    weight, score = ev.get("execution_weight"), ev.get("execution_score")
    found = execution_rate_interval(t, ev)
    if weight is None or score is None or not found:
        return
    (lo, hi), how = found
    w = P.from_float(weight)
    expected_lo, expected_hi = min(lo, Decimal(1)) * w, min(hi, Decimal(1)) * w
    observed = P.score(score, rounded=True)
    mid = (lo + hi) / 2
    expected = f"{P.show_rate(mid)} × {P.show(w)} = {P.show(min(mid, Decimal(1)) * w, 4)}（{how}）"
    fund = t.total_fund(ev["eval_id"]) or ev
    yield row("execution_score_rule", {**fund, "doc_id": ev["doc_id"], "eval_id": ev["eval_id"]}, "预算执行得分",
              observed.text, expected, P.compare(observed, expected_lo, expected_hi),
              fund_evidence(fund) if "line" in fund else f"执行率 {ev.get('execution_rate_raw')}，得分 {observed.text}",
              ev.get("project"), cites=fund_cites(fund) if "line" in fund else None)

