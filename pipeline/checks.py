"""Check frames: one row per thing a rule can check, derived from the curated tables.

Each row says what was observed (as printed), what the document's own figures imply, and the two
numbers behind a verdict: ``deviation`` (how far apart), ``tolerance`` (what printed precision
allows, see ``pipeline.precision``) and ``gap`` (how far outside the tolerance; the suites expect
it to be <= 0). Whether a row passes is for the Great Expectations suites to decide; nothing here
flags anything. Rows carry the evidence (the printed figures, quoted) and where they
are printed.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal

import regex

from parsers.vocabulary import FUND_TOTAL_LINES, MONEY_UNITS
from pipeline import precision as P
from pipeline.rules import RULES

CHECK_COLUMNS = ("check_id", "rule_id", "doc_id", "eval_id", "project", "field", "observed", "expected",
                 "deviation", "tolerance", "gap", "evidence", "source_page", "source_line")
AT_LEAST, AT_MOST = ("≥", ">"), ("≤", "<")
# Fund columns as printed in the templates (for evidence and messages).
FUND_FIELDS = {"budget_initial": "年初预算数", "budget_full_year": "全年预算数", "executed": "全年执行数"}
# Prose that states a project's budget, spending and execution rate (安岳县 reports and the like).
_NUM = r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>万元|百元|千元|元)"
CLAIM_AMOUNTS = {
    "budget_full_year": regex.compile(r"(?:预算(?:数|额)?(?:为|是)?|安排)\s*" + _NUM),
    "executed": regex.compile(r"(?:拨付|执行数?(?:为|是)?|支出(?:为|是)?|使用)\s*" + _NUM),
}
CLAIM_RATE = regex.compile(r"执行率(?:为|是|达)?\s*(?P<r>\d+(?:\.\d+)?\s*%)")
_TITLE_PROJECT = regex.compile(r"[（(]\s*(?P<p>[^（）()]+?)\s*[)）]")
_QUOTES = regex.compile(r"[\s“”\"'‘’《》「」〈〉]")
_DOUBLED_TAIL = regex.compile(r"(\p{Han}{2,4})\1$")
GENERIC_TAIL = regex.compile(r"(?:专项经费|工作经费|经费|项目|资金)+$")
MIN_CORE = 4
_YEAR_ONLY = regex.compile(r"\d{4}\s*年度?")


def project_key(name: str | None) -> str:
    """A name for matching one project across forms, lists and prose: no spaces or quotes, no
    trailing 项目, a doubled trailing word once (`选举经费经费项目` -> `选举经费`)."""
    key = _QUOTES.sub("", unicodedata.normalize("NFKC", name or ""))
    key = key.removesuffix("项目")
    return _DOUBLED_TAIL.sub(r"\1", key)


def same_project(a: str | None, b: str | None) -> bool:
    ka, kb = project_key(a), project_key(b)
    return bool(ka and kb) and (ka in kb or kb in ka)


class Tables:
    """The curated tables as lists of row dicts, indexed the way the checks need them."""

    def __init__(self, tables: dict[str, list[dict]]):
        self.evaluations = tables.get("evaluations", [])
        self.by_eval = {e["eval_id"]: e for e in self.evaluations}
        self.items: dict[str, list[dict]] = defaultdict(list)
        for row in sorted(tables.get("indicators", []), key=lambda r: (r["eval_id"], r["seq"])):
            self.items[row["eval_id"]].append(row)
        self.funds: dict[str, list[dict]] = defaultdict(list)
        for row in sorted(tables.get("funds", []), key=lambda r: (r["eval_id"], r["seq"])):
            self.funds[row["eval_id"]].append(row)
        self.lists: dict[tuple, list[dict]] = defaultdict(list)
        for row in sorted(tables.get("project_lists", []), key=lambda r: (r["doc_id"], r["list_seq"], r["seq"])):
            self.lists[(row["doc_id"], row["list_seq"])].append(row)
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
    factor = Decimal(repr(MONEY_UNITS[unit]))
    return P.Printed(fig.value * factor, fig.half * factor, f"{fig.text} {unit}")


def row(rule_id: str, at: dict, field: str, observed: str, expected: str, verdict: P.Verdict,
        evidence: str, project: str | None = None, doc_id: str | None = None) -> dict:
    assert rule_id in RULES, rule_id
    return {"rule_id": rule_id, "doc_id": doc_id or at.get("doc_id"), "eval_id": at.get("eval_id"),
            "project": project, "field": field, "observed": observed, "expected": expected,
            "deviation": P.as_float(verdict[0]), "tolerance": P.as_float(verdict[1]),
            "gap": P.as_float(verdict[2]), "evidence": evidence,
            "source_page": at.get("source_page"), "source_line": at.get("source_line")}


def exact_dev(observed: Decimal, expected: Decimal) -> P.Verdict:
    return P.excess(abs(observed - expected))


def show_score(value: float | None) -> str:
    return P.show(value) if value is not None else "—"


# ---- scores -----------------------------------------------------------------------------------

def check_score_total(t: Tables, ev: dict) -> Iterator[dict]:
    items = t.items.get(ev["eval_id"], [])
    if ev.get("total_score") is None or not items or any(i["score"] is None for i in items):
        return
    figures = [P.score(i["score"]) for i in items]
    parts = [show_score(i["score"]) for i in items]
    if ev.get("execution_score") is not None:
        figures.append(P.score(ev["execution_score"]))
        parts.append(f"{show_score(ev['execution_score'])}（预算执行）")
    expected, observed = P.total(figures), P.score(ev["total_score"])
    evidence = f"得分：{' + '.join(parts)}；总分/合计：{show_score(ev['total_score'])}"
    yield row("score_total", ev, "total_score", observed.text, P.show(expected.value),
              P.compare(observed, expected.lo, expected.hi), evidence, ev.get("project"))


def check_weight_total(t: Tables, ev: dict) -> Iterator[dict]:
    items = t.items.get(ev["eval_id"], [])
    weights = [i["weight"] for i in items] + ([ev["execution_weight"]] if ev.get("execution_weight") is not None
                                              else [])
    if not items or any(w is None for w in weights):
        return
    observed = sum(Decimal(repr(w)) for w in weights)
    evidence = f"分值：{' + '.join(show_score(w) for w in weights)}" + (
        f"；总分分值：{show_score(ev['total_weight'])}" if ev.get("total_weight") is not None else "")
    yield row("weight_total", ev, "各项分值之和", P.show(observed), "100", exact_dev(observed, Decimal(100)),
              evidence, ev.get("project"))
    if ev.get("total_weight") is not None:
        printed = Decimal(repr(ev["total_weight"]))
        yield row("weight_total", ev, "总分分值", P.show(printed), P.show(observed), exact_dev(printed, observed),
                  evidence, ev.get("project"))


def check_level_weights(t: Tables, ev: dict) -> Iterator[dict]:
    items = t.items.get(ev["eval_id"], [])
    for rule_id, keys in (("weight_level1", ("level1",)), ("weight_level2", ("level1", "level2"))):
        level = keys[-1]
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for item in items:
            if item.get(f"{level}_weight") is not None and item.get(level):
                groups[tuple(item[k] for k in keys)].append(item)
        for group in groups.values():
            if any(i["weight"] is None for i in group):
                continue
            printed = Decimal(repr(group[0][f"{level}_weight"]))
            observed = sum(Decimal(repr(i["weight"])) for i in group)
            name = group[0][level]
            evidence = (f"{name}（{P.show(printed)}分）："
                        + " + ".join(f"{i['level3'] or '—'} {show_score(i['weight'])}" for i in group))
            yield row(rule_id, group[0], name, P.show(observed), P.show(printed), exact_dev(observed, printed),
                      evidence, ev.get("project"), ev["doc_id"])


def check_score_range(t: Tables, ev: dict) -> Iterator[dict]:
    scored = [(i, i.get("level3") or "—") for i in t.items.get(ev["eval_id"], [])]
    if ev.get("execution_score") is not None:
        scored.append(({"score": ev["execution_score"], "weight": ev.get("execution_weight"),
                        "source_line": ev.get("source_line"), "source_page": ev.get("source_page")}, "预算执行"))
    for item, name in scored:
        if item["score"] is None or item["weight"] is None:
            continue
        s, w = Decimal(repr(item["score"])), Decimal(repr(item["weight"]))
        deviation = max(Decimal(0), s - w, -s)
        yield row("score_range", {**item, "eval_id": ev["eval_id"]}, name, P.show(s), f"0–{P.show(w)}",
                  P.excess(deviation), f"{name}：分值 {P.show(w)}，得分 {P.show(s)}", ev.get("project"),
                  ev["doc_id"])


# ---- execution --------------------------------------------------------------------------------

def fund_evidence(f: dict) -> str:
    parts = [f"{label} {f.get(key + '_raw')}" for key, label in FUND_FIELDS.items() if f.get(key + "_raw")]
    parts += [f"执行率 {f['rate_raw']}"] if f.get("rate_raw") else []
    parts += [f"分值 {show_score(f['weight'])}"] if f.get("weight") is not None else []
    parts += [f"得分 {show_score(f['score'])}"] if f.get("score") is not None else []
    unit = f"（{f['money_unit']}）" if f.get("money_unit") else ""
    return f"{f['line']}{unit}：" + "，".join(parts)


def budget_of(f: dict) -> P.Printed | None:
    return P.money(f.get("budget_full_year_raw")) or P.money(f.get("budget_initial_raw"))


def check_funds(t: Tables, ev: dict) -> Iterator[dict]:
    for f in t.funds.get(ev["eval_id"], []):
        at = {**f, "doc_id": ev["doc_id"]}
        a, b, r = budget_of(f), P.money(f.get("executed_raw")), P.rate(f.get("rate_raw"))
        unit = f.get("money_unit") or ""
        if a and b and r and (interval := P.ratio(b, a)):
            computed = f"{b.text}/{a.text} = {P.show_rate(b.value / a.value)}"
            yield row("rate_formula", at, f["line"], r.text, computed, P.compare(r, *interval),
                      fund_evidence(f), ev.get("project"))
        if a and b:
            deviation = max(Decimal(0), b.value - a.value)
            yield row("executed_within_budget", at, f["line"], f"{b.text} {unit}", f"{a.text} {unit}",
                      P.excess(deviation, a.half + b.half), fund_evidence(f), ev.get("project"))


def check_fund_lines(t: Tables, ev: dict) -> Iterator[dict]:
    """Each total line (年度资金总额, 合计) against the lines printed under it."""
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
                      evidence, ev.get("project"))


def execution_rate_interval(t: Tables, ev: dict) -> tuple[tuple[Decimal, Decimal], str] | None:
    """The execution rate the form's own figures allow: B/A where both are printed, else the
    printed rate; with a note saying which."""
    fund = t.total_fund(ev["eval_id"]) or {}
    a, b = budget_of(fund), P.money(fund.get("executed_raw"))
    if a and b and (interval := P.ratio(b, a)):
        return interval, f"{b.text}/{a.text}"
    r = P.rate(fund.get("rate_raw") or ev.get("execution_rate_raw"))
    return ((r.lo, r.hi), r.text) if r else None


def check_execution_score(t: Tables, ev: dict) -> Iterator[dict]:
    weight, score = ev.get("execution_weight"), ev.get("execution_score")
    found = execution_rate_interval(t, ev)
    if weight is None or score is None or not found:
        return
    (lo, hi), how = found
    w = Decimal(repr(weight))
    expected_lo, expected_hi = min(lo, Decimal(1)) * w, min(hi, Decimal(1)) * w
    observed = P.score(score, rounded=True)
    mid = (lo + hi) / 2
    expected = f"{P.show_rate(mid)} × {P.show(w)} = {P.show(min(mid, Decimal(1)) * w, 4)}（{how}）"
    fund = t.total_fund(ev["eval_id"]) or ev
    yield row("execution_score_rule", {**fund, "doc_id": ev["doc_id"], "eval_id": ev["eval_id"]}, "预算执行得分",
              observed.text, expected, P.compare(observed, expected_lo, expected_hi),
              fund_evidence(fund) if "line" in fund else f"执行率 {ev.get('execution_rate_raw')}，得分 {observed.text}",
              ev.get("project"))


# ---- indicators -------------------------------------------------------------------------------

def comparable(item: dict) -> bool:
    """A quantitative target with an actual in the same unit."""
    return (item.get("target_op") in AT_LEAST + AT_MOST and item.get("target_value") is not None
            and item.get("actual_value") is not None and item.get("target_unit") == item.get("actual_unit"))


def check_full_marks(t: Tables, ev: dict) -> Iterator[dict]:
    for item in t.items.get(ev["eval_id"], []):
        if not comparable(item) or item["score"] is None or not item["weight"] or item["score"] < item["weight"]:
            continue
        actual = P.measure(item["actual_raw"], item["actual_value"])
        target = Decimal(repr(item["target_value"]))
        shortfall = target - actual.value if item["target_op"] in AT_LEAST else actual.value - target
        evidence = (f"{item['level3']}：年度指标值 {item['target_raw']}，实际完成值 {item['actual_raw']}，"
                    f"分值 {show_score(item['weight'])}，得分 {show_score(item['score'])}")
        yield row("full_marks_target_missed", {**item, "doc_id": ev["doc_id"]}, item["level3"] or "—",
                  item["actual_raw"], item["target_raw"], P.excess(max(shortfall, Decimal(0)), actual.half),
                  evidence, ev.get("project"))


# ---- consistency ------------------------------------------------------------------------------

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
                      P.compare(printed, expected.lo, expected.hi), evidence)


def forms_of(t: Tables, doc_id: str, project: str | None) -> list[dict]:
    """The forms of one document about a project: same name key, else the one project whose name
    contains (or is contained in) it. `工作经费` is not `代表工作经费` when both have forms."""
    forms = [e for e in t.evaluations if e["doc_id"] == doc_id and e.get("project")]
    exact = [e for e in forms if project_key(e["project"]) == project_key(project)]
    if exact:
        return exact
    near = [e for e in forms if same_project(e["project"], project)]
    return near if len({project_key(e["project"]) for e in near}) == 1 else []


def core_key(name: str | None) -> str:
    """A project name without its generic tail (经费, 项目, 资金): prose says `建设项目` for the
    form's `建设经费`. Too short a core (`工作` of 工作经费) names nothing: ''."""
    core = GENERIC_TAIL.sub("", project_key(name))
    return core if len(core) >= MIN_CORE else ""


def forms_named_in(t: Tables, doc_id: str, text: str) -> list[dict]:
    """The forms of the project a sentence names: by full name, else by name core; the longest
    name wins (`代表工作经费` over `工作经费`)."""
    key = project_key(text)
    forms = [e for e in t.evaluations if e["doc_id"] == doc_id and e.get("project")]
    for name_of in (project_key, core_key):
        named = [e for e in forms if name_of(e["project"]) and name_of(e["project"]) in key]
        if named:
            longest = max(len(name_of(e["project"])) for e in named)
            return [e for e in named if len(name_of(e["project"])) == longest]
    return []


def best_match(observed: P.Printed, candidates: dict[str, P.Printed]) -> P.Verdict:
    """The verdict of the candidate closest to agreeing with the observed figure."""
    return min((P.compare(observed, c.lo, c.hi) for c in candidates.values()), key=lambda v: v[2])


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
                          best_match(observed, candidates), evidence, item["project"])


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
                yield row("cross_form", ev, label, fig.text, first.text, P.compare(fig, first.lo, first.hi),
                          evidence, ev["project"])


def check_claims(t: Tables) -> Iterator[dict]:
    for claim in t.claims:
        if claim.get("stated_value") is None or claim.get("computed_value") is None:
            continue
        stated = P.score(claim["stated_value"], rounded=True)
        computed = Decimal(repr(claim["computed_value"]))
        evidence = f"“{claim['text']}”" + (f"（算式 {claim['expression']}）" if claim.get("expression") else "")
        yield row("claim_arithmetic", claim, claim.get("section") or "报告", stated.text, P.show(computed, 6),
                  P.compare(stated, computed, computed), evidence)


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
                          P.compare(fig, form_fig.lo, form_fig.hi), evidence, ev["project"])
                break  # one form with the figure is the comparison; cross_form covers the rest


def title_project(ev: dict) -> str | None:
    """The project a form's title names (`……完成情况表（X项目）`), if any."""
    if ev.get("title_project"):
        return ev["title_project"]
    m = _TITLE_PROJECT.search(ev.get("title") or "")
    return m["p"] if m and regex.search(r"\p{Han}", m["p"]) and not _YEAR_ONLY.fullmatch(m["p"]) else None


def check_titles(t: Tables) -> Iterator[dict]:
    for ev in t.evaluations:
        named = title_project(ev)
        if not named or not ev.get("project"):
            continue
        agree = same_project(named, ev["project"])
        yield row("title_project", ev, "项目名称", ev["project"], named, P.excess(Decimal(0 if agree else 1)),
                  f"标题：{ev.get('title')}；项目名称：{ev['project']}", ev["project"])


PER_FORM: tuple[Callable[[Tables, dict], Iterator[dict]], ...] = (
    check_score_total, check_weight_total, check_level_weights, check_score_range,
    check_funds, check_fund_lines, check_execution_score, check_full_marks,
)
PER_DOCUMENT: tuple[Callable[[Tables], Iterator[dict]], ...] = (
    check_list_totals, check_list_vs_forms, check_cross_forms, check_claims, check_claims_vs_forms, check_titles,
)


def run_check(check: Callable, args: tuple, problems: list[str]) -> list[dict]:
    """A check's rows; odd data that breaks one check is noted and skips only that check."""
    try:
        return list(check(*args))
    except Exception as exc:  # noqa: BLE001 - one odd form must not stop the validation
        where = args[1].get("eval_id") if len(args) > 1 else "all documents"
        problems.append(f"{check.__name__} on {where}: {type(exc).__name__}: {exc}")
        return []


def check_rows(tables: dict[str, list[dict]], problems: list[str] | None = None) -> list[dict]:
    """Every check row of every rule, with a stable check_id. Checks that could not run are
    described in ``problems``."""
    problems = [] if problems is None else problems
    t = Tables(tables)
    rows = [r for ev in t.evaluations for check in PER_FORM for r in run_check(check, (t, ev), problems)]
    rows += [r for check in PER_DOCUMENT for r in run_check(check, (t,), problems)]
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        base = f"{r['rule_id']}:{r['eval_id'] or r['doc_id']}"
        counts[base] += 1
        r["check_id"] = f"{base}:{counts[base]}"
    return rows


def check_frames(tables: dict[str, list[dict]], problems: list[str] | None = None) -> dict[str, list[dict]]:
    """Check rows grouped by rule family (one frame per suite)."""
    frames: dict[str, list[dict]] = {}
    for r in check_rows(tables, problems):
        frames.setdefault(RULES[r["rule_id"]].family, []).append({k: r[k] for k in CHECK_COLUMNS})
    return frames
