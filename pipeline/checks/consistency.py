"""Consistency within a document: project lists add up and agree with the forms, one project's
forms agree with each other and with the report's sentences about it, the report's arithmetic
holds, and a form's title names the project its 项目名称 names."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import regex

from parsers.vocabulary import MONEY_UNITS
from pipeline import precision as P
from pipeline.checks.base import FUND_FIELDS, Tables, cite, in_yuan, row
from pipeline.checks.names import forms_named_in, forms_of, project_key, same_project, title_project

# Prose that states a project's budget, spending and execution rate (安岳县 reports and the like).
_NUM = r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>万元|百元|千元|元)"
CLAIM_AMOUNTS = {
    "budget_full_year": regex.compile(r"(?:预算(?:数|额)?(?:为|是)?|安排)\s*" + _NUM),
    "executed": regex.compile(r"(?:拨付|执行数?(?:为|是)?|支出(?:为|是)?|使用)\s*" + _NUM),
}
CLAIM_RATE = regex.compile(r"执行率(?:为|是|达)?\s*(?P<r>\d+(?:\.\d+)?\s*%)")


def form_cites(t: Tables, ev: dict, key: str | None = None) -> list[dict]:
    """The printed amount(s) of a form's total budget line: one column (``key``) or all."""
    fund = t.total_fund(ev["eval_id"]) or {}
    keys = [key] if key in FUND_FIELDS else list(FUND_FIELDS)
    return cite(fund, *(fund.get(f"{k}_raw") for k in keys))


def check_list_totals(t: Tables) -> Iterator[dict]:
    for rows in t.lists.values():
        totals = [r for r in rows if r["is_total"]]
        items = [r for r in rows if not r["is_total"]]
        figures = [fig for r in items if (fig := P.money(r.get("amount_raw")))]
        for tot in totals:
            printed = P.money(tot.get("amount_raw"))
            if not printed or not figures:
                continue
            expected = P.total(figures)
            evidence = (f"{tot['title'] or '项目清单'}：" + " + ".join(r.get("amount_raw") or "—" for r in items)
                        + f"；合计 {printed.text}（{tot.get('money_unit') or ''}）")
            yield row("list_total", tot, "合计", printed.text, P.show(expected.value),
                      P.compare(printed, expected.lo, expected.hi), evidence,
                      cites=[c for r in (*items, tot) for c in cite(r, r.get("amount_raw"))])


def best_match(observed: P.Printed, candidates: dict[str, P.Printed]) -> P.Verdict:
    """The verdict of the candidate closest to agreeing with the observed figure."""
    return min((P.same_amount(observed, c) for c in candidates.values()), key=lambda v: v[2])


def show_amounts(amounts: dict[str, P.Printed]) -> str:
    return "，".join(f"{FUND_FIELDS[k]} {v.text}" for k, v in amounts.items())


def check_list_vs_forms(t: Tables) -> Iterator[dict]:
    for rows in t.lists.values():
        for item in rows:
            amount = P.money(item.get("amount_raw"))
            if item["is_total"] or not amount or item.get("money_unit") not in MONEY_UNITS:
                continue
            observed = in_yuan(amount, item["money_unit"])
            for ev in forms_of(t, item["doc_id"], item["project"]):
                candidates = t.amounts(ev)
                if not candidates:
                    continue
                evidence = f"清单：{item['project']} {observed.text}；{ev.get('title') or ev['kind']}：" \
                           + show_amounts(candidates)
                yield row("list_vs_form", item, "金额", observed.text, show_amounts(candidates),
                          best_match(observed, candidates), evidence, item["project"],
                          cites=cite(item, item.get("amount_raw")) + form_cites(t, ev))


def check_cross_forms(t: Tables) -> Iterator[dict]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for ev in t.evaluations:
        if ev.get("project"):
            groups[(ev["doc_id"], project_key(ev["project"]))].append(ev)
    for forms in groups.values():
        for key, label in FUND_FIELDS.items():
            printed = [(ev, fig) for ev in forms if (fig := t.amounts(ev).get(key))]
            for ev, fig in printed[1:]:
                first_ev, first = printed[0]
                evidence = (f"{first_ev.get('title') or first_ev['kind']}（第{first_ev.get('source_line')}行）"
                            f"{label} {first.text}；{ev.get('title') or ev['kind']}（第{ev.get('source_line')}行）"
                            f"{label} {fig.text}")
                yield row("cross_form", ev, label, fig.text, first.text, P.same_amount(fig, first),
                          evidence, ev["project"], cites=form_cites(t, first_ev, key) + form_cites(t, ev, key))


def check_claims(t: Tables) -> Iterator[dict]:
    for claim in t.claims:
        if claim.get("stated_value") is None or claim.get("computed_value") is None:
            continue
        stated = P.score(claim["stated_value"], rounded=True)
        computed = P.from_float(claim["computed_value"])
        evidence = f"“{claim['text']}”" + (f"（算式 {claim['expression']}）" if claim.get("expression") else "")
        yield row("claim_arithmetic", claim, claim.get("section") or "报告", stated.text, P.show(computed, 6),
                  P.compare(stated, computed, computed), evidence, cites=cite(claim, stated.text))


def claim_figures(text: str) -> dict[str, P.Printed]:
    """The budget, spending (in yuan) and execution rate a sentence states about a project."""
    out = {}
    for key, pattern in CLAIM_AMOUNTS.items():
        if (m := pattern.search(text)) and (fig := P.money(m["n"])):
            out[key] = in_yuan(fig, m["u"])
    if (m := CLAIM_RATE.search(text)) and (r := P.rate(m["r"])):
        out["rate"] = r
    return out


def check_claims_vs_forms(t: Tables) -> Iterator[dict]:
    for claim in t.claims:
        forms = forms_named_in(t, claim["doc_id"], claim.get("text") or "") or \
            forms_named_in(t, claim["doc_id"], claim.get("section") or "")
        stated = claim_figures(claim.get("text") or "")
        for key, fig in stated.items():
            for ev in forms:
                form_fig = t.amounts(ev).get(key) if key != "rate" else P.rate(
                    (t.total_fund(ev["eval_id"]) or {}).get("rate_raw") or ev.get("execution_rate_raw"))
                if form_fig is None:
                    continue
                label = FUND_FIELDS.get(key, "执行率")
                evidence = f"报告：“{claim['text']}”；{ev.get('title') or ev['kind']}：{label} {form_fig.text}"
                yield row("claim_vs_form", claim, label, fig.text, form_fig.text,
                          P.same_amount(fig, form_fig), evidence, ev["project"],
                          cites=cite(claim, fig.text) + form_cites(t, ev, key))
                break  # one form with the figure is the comparison; cross_form covers the rest


def check_titles(t: Tables) -> Iterator[dict]:
    for ev in t.evaluations:
        named = title_project(ev)
        if not named or not ev.get("project"):
            continue
        agree = same_project(named, ev["project"])
        yield row("title_project", ev, "项目名称", ev["project"], named, P.excess(Decimal(0 if agree else 1)),
                  f"标题：{ev.get('title')}；项目名称：{ev['project']}", ev["project"],
                  cites=cite(ev, ev.get("title")) + cite(ev, ev["project"], after=True))


CHECKS = (check_list_totals, check_list_vs_forms, check_cross_forms, check_claims, check_claims_vs_forms, check_titles)
