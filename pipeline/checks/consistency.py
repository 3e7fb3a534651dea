"""Consistency within a document: project lists add up and agree with the forms, one project's
forms agree with each other and with the report's sentences about it, the report's arithmetic
holds, and a form's title names the project its 项目名称 names."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from parsers.text import norm_key
from parsers.vocabulary import MONEY_UNITS
from pipeline import precision as P
from pipeline.checks.base import FUND_FIELDS, PERCENT, Tables, cite, holds, in_yuan, row, unit_size
from pipeline.checks.department import printed
from pipeline.checks.names import forms_of, same_project, title_project
from pipeline.projects import name_key
from pipeline.rules import DOCUMENT, rule

# Statement figures about a project (parsers/templates/statements.json) -> the form figure they state.
STATED_FORM_FIGURES = {"项目预算": "budget_full_year", "项目拨付": "executed", "项目执行率": "rate"}


def form_cites(t: Tables, ev: dict, key: str | None = None) -> list[dict]:
    """The printed amount(s) of a form's total budget line: one column (``key``) or all."""
    fund = t.total_fund(ev["eval_id"]) or {}
    keys = [key] if key in FUND_FIELDS else list(FUND_FIELDS)
    return cite(fund, *(fund.get(f"{k}_raw") for k in keys))


@rule("list_total", "consistency", "error", ("项目清单合计", "Project list total"),
      ("项目清单各项之和为 {expected}，合计行印为 {observed}",
       "The project list's rows add up to {expected}, but its total row prints {observed}"),
      DOCUMENT, needs_whole_form=True)
def check_list_totals(t: Tables) -> Iterator[dict]:
    """A project list's rows add up to its printed 合计."""
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


@rule("list_vs_form", "consistency", "warning", ("清单与自评表金额", "List amount vs form"),
      ("项目清单中“{project}”金额为 {observed}，其自评表中为 {expected}",
       "The project list gives “{project}” {observed}; its form gives {expected}"), DOCUMENT)
def check_list_vs_forms(t: Tables) -> Iterator[dict]:
    """A project's amount in a project list is one of the amounts its form prints."""
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
                          best_match(observed, candidates), evidence, item["project"], per_unit=unit_size(observed),
                          cites=cite(item, item.get("amount_raw")) + form_cites(t, ev))


@rule("cross_form", "consistency", "error", ("同一项目多表不一致", "Same project, different figures"),
      ("“{project}”的{field}在不同表中分别为 {expected} 和 {observed}",
       "“{project}”: {field} is {expected} in one form and {observed} in another"), DOCUMENT)
def check_cross_forms(t: Tables) -> Iterator[dict]:
    """The forms about one project print the same budget and spending. (A report's figures are
    compared with the forms by claim_vs_form, sentence by sentence.)"""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for ev in t.forms:
        if ev.get("project"):
            groups[(ev["doc_id"], name_key(ev["project"]))].append(ev)
    for forms in groups.values():
        for key, label in FUND_FIELDS.items():
            printed = [(ev, fig) for ev in forms if (fig := t.amounts(ev).get(key))]
            for ev, fig in printed[1:]:
                first_ev, first = printed[0]
                evidence = (f"{first_ev.get('title') or first_ev['kind']}（第{first_ev.get('source_line')}行）"
                            f"{label} {first.text}；{ev.get('title') or ev['kind']}（第{ev.get('source_line')}行）"
                            f"{label} {fig.text}")
                yield row("cross_form", ev, label, fig.text, first.text, P.same_amount(fig, first),
                          evidence, ev["project"], per_unit=unit_size(fig),
                          cites=form_cites(t, first_ev, key) + form_cites(t, ev, key))


def states_percent(claim: dict) -> bool:
    """The claim's stated value is printed as a percent (its text has `99.93%` for 0.9993)."""
    return P.show_rate(P.from_float(claim["stated_value"]), 4) in norm_key(claim.get("text")).replace(",", "")


@rule("claim_arithmetic", "consistency", "error", ("文字计算错误", "Arithmetic in the text"),
      ("报告写明 {observed}，按其算式计算为 {expected}",
       "The report states {observed}; its own arithmetic gives {expected}"), DOCUMENT)
def check_claims(t: Tables) -> Iterator[dict]:
    """A figure the report computes in prose equals its own arithmetic."""
    for claim in t.claims:
        if claim.get("stated_value") is None or claim.get("computed_value") is None:
            continue
        stated = P.score(claim["stated_value"], rounded=True)
        computed = P.from_float(claim["computed_value"])
        evidence = f"“{claim['text']}”" + (f"（算式 {claim['expression']}）" if claim.get("expression") else "")
        if states_percent(claim):
            shown, per_unit = (P.show_rate(stated.value), P.show_rate(computed, 4)), PERCENT
        else:
            shown, per_unit = (stated.text, P.show(computed, 6)), Decimal(1)
        yield row("claim_arithmetic", claim, claim.get("section") or "报告", *shown,
                  P.compare(stated, computed, computed), evidence, per_unit=per_unit, cites=cite(claim, shown[0]))


def form_figure(t: Tables, ev: dict, key: str) -> P.Printed | None:
    if key != "rate":
        return t.amounts(ev).get(key)
    return P.rate((t.total_fund(ev["eval_id"]) or {}).get("rate_raw") or ev.get("execution_rate_raw"))


@rule("claim_vs_form", "consistency", "error", ("报告与表格不一致", "Report vs form"),
      ("报告中“{project}”的{field}为 {observed}，表中为 {expected}",
       "The report gives {field} of “{project}” as {observed}; the form prints {expected}"), DOCUMENT)
def check_claims_vs_forms(t: Tables) -> Iterator[dict]:
    """The budget, spending and rate the report states for a project are those its form prints."""
    for s in t.statements:
        key = STATED_FORM_FIGURES.get(s["figure"])
        if key is None or not s.get("project_key") or not (fig := printed(s)):
            continue
        forms = [e for e in t.forms if e["doc_id"] == s["doc_id"] and e.get("project_key") == s["project_key"]]
        for ev in forms:
            if (form_fig := form_figure(t, ev, key)) is None:
                continue
            label = FUND_FIELDS.get(key, "执行率")
            evidence = f"报告：“{s['text']}”；{ev.get('title') or ev['kind']}：{label} {form_fig.text}"
            yield row("claim_vs_form", {**s, "eval_id": ev["eval_id"]}, label, fig.text, form_fig.text,
                      P.same_amount(fig, form_fig), evidence, ev["project"], per_unit=unit_size(fig),
                      cites=cite(s, fig.text) + form_cites(t, ev, key))
            break  # one form with the figure is the comparison; cross_form covers the rest


@rule("title_project", "consistency", "warning", ("标题与项目名称不符", "Title names another project"),
      ("表标题所指项目为“{expected}”，而项目名称为“{observed}”",
       "The form's title names project “{expected}”, but its 项目名称 (project name) is “{observed}”"), DOCUMENT)
def check_titles(t: Tables) -> Iterator[dict]:
    """A form's title and its 项目名称 name the same project, each naming the other's."""
    for ev in t.evaluations:
        named = title_project(ev)
        if not named or not ev.get("project"):
            continue
        agree = same_project(named, ev["project"])
        evidence = f"标题：{ev.get('title')}（{named}）；项目名称：{ev['project']}"
        if not agree:
            evidence += "；" + "；".join(both_ways(t, ev, named))
        yield row("title_project", ev, "项目名称", ev["project"], named, holds(agree), evidence, ev["project"],
                  cites=cite(ev, ev.get("title")) + cite(ev, ev["project"], after=True))


def both_ways(t: Tables, ev: dict, named: str) -> list[str]:
    """Where else the document prints the project the title names, and the project the form names."""
    def lines(name: str) -> str:
        found = [f"第{e['source_line']}行" for e in forms_of(t, ev["doc_id"], name) if e is not ev]
        return "、".join(found) or "无"
    return [f"标题所指项目的其他表：{lines(named)}", f"项目名称所指项目的其他表：{lines(ev['project'])}"]

