"""Indicators: full marks only where the actual reached its target (``pipeline.outcome``), rate
indicators scored no higher than their published rule (``parsers/templates/scoring_rules.json``),
and a missed target or lost points come with a reason of their own."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from parsers import templates
from parsers.recognizers.statements import bare_formula, statements_in
from parsers.text import norm_key
from pipeline import precision as P
from pipeline.checks.base import Tables, cite, holds, row, show_score, unit_size
from pipeline.outcome import MISSED, OUTCOME_COLUMNS, target_outcome
from pipeline.projects import name_key
from pipeline.rules import CORPUS, Across, Reads, rule


def item_evidence(item: dict) -> str:
    return (f"{item['level3']}：年度指标值 {item['target_raw']}，实际完成值 {item['actual_raw']}，"
            f"分值 {show_score(item['weight'])}，得分 {show_score(item['score'])}")


@rule("full_marks_target_missed", "indicators", "error", ("未达标却得满分", "Full marks, target missed"),
      ("“{field}”目标 {expected}，实际 {observed}，未达标却得满分",
       "“{field}” has target {expected} and actual {observed}: the target was missed, yet it got full marks"))
def check_full_marks(t: Tables, ev: dict) -> Iterator[dict]:
    """An indicator whose actual missed its quantitative target does not get full marks."""
    for item in t.items.get(ev["eval_id"], []):
        decided = target_outcome(item)
        if decided is None or decided.shortfall is None or item["score"] is None or not item["weight"] \
                or item["score"] < item["weight"]:
            continue
        yield row("full_marks_target_missed", {**item, "doc_id": ev["doc_id"]}, item["level3"] or "—",
                  item["actual_raw"], item["target_raw"], P.excess(decided.shortfall, decided.tolerance),
                  item_evidence(item), ev.get("project"), per_unit=unit_size(P.measure(item["actual_raw"],
                                                                                      item["actual_value"])),
                  cites=cite(item, item["target_raw"], item["actual_raw"], show_score(item["score"])))


# A 偏差原因 that gives no reason.
NO_REASON = ("无偏差", "无", "/", "—", "-", "…", "无。")


def has_reason(note: str | None) -> bool:
    return bool(note and note.strip() and norm_key(note) not in NO_REASON)


@rule("missed_without_reason", "indicators", "warning", ("未达标无偏差原因", "Missed target, no reason"),
      ("“{field}”未达到目标 {expected}（实际 {observed}），未说明偏差原因",
       "“{field}” missed its target {expected} (actual {observed}) and gives no reason (偏差原因) for it"))
def check_missed_reason(t: Tables, ev: dict) -> Iterator[dict]:
    """A target that was missed comes with a reason (偏差原因分析), not a blank or 无偏差."""
    for item in t.items.get(ev["eval_id"], []):
        decided = target_outcome(item)
        if decided is None or decided.outcome != MISSED:
            continue
        yield row("missed_without_reason", {**item, "doc_id": ev["doc_id"]}, item["level3"] or "—",
                  item["actual_raw"] or "—", item["target_raw"], holds(has_reason(item["note"])),
                  f"{item_evidence(item)}，偏差原因 {item['note'] or '（空）'}", ev.get("project"))


def deviations(t: Tables) -> Iterator[tuple[dict, dict]]:
    """(form, item) of the items whose note explains a deviation: a missed target or lost points."""
    for ev in t.evaluations:
        for item in t.items.get(ev["eval_id"], []):
            decided = target_outcome(item)
            lost = item["score"] is not None and item["weight"] is not None and item["score"] < item["weight"]
            if has_reason(item["note"]) and (lost or (decided is not None and decided.outcome == MISSED)):
                yield ev, item


def unit_and_year(ev: dict) -> str | None:
    """The unit and year of a project's form (its project_key `<unit>|<year>|<name>` but the name)."""
    return ev["project_key"].rsplit("|", 1)[0] if ev.get("project_key") else None


# What boilerplate_reason compares: the forms of one unit and year, whatever document, and their
# indicators that give a reason.
REASONS_OF_A_UNIT = Across(unit_and_year, {
    "evaluations": Reads(columns=("eval_id", "doc_id", "project", "project_key", "source_kind")),
    "indicators": Reads(columns=("eval_id", "level3", "weight", "score", "note", "source_page", "source_line",
                                 *OUTCOME_COLUMNS), where=("note", has_reason)),
})


@rule("boilerplate_reason", "indicators", "info", ("偏差原因雷同", "Boilerplate reason"),
      ("偏差原因“{field}”在 {observed} 个项目中逐字重复",
       "The same reason text (偏差原因) “{field}” is repeated word for word in {observed} projects"), CORPUS,
      across=REASONS_OF_A_UNIT)
def check_boilerplate_reasons(t: Tables) -> Iterator[dict]:
    """A reason for a deviation is not the same text, word for word, across projects of a unit and year."""
    by_text: dict[tuple, list[tuple[dict, dict]]] = defaultdict(list)
    for ev, item in deviations(t):
        if unit := unit_and_year(ev):
            by_text[(unit, norm_key(item["note"]))].append((ev, item))
    for found in by_text.values():
        projects = list(dict.fromkeys(name_key(ev.get("project")) for ev, _ in found if ev.get("project")))
        ev, item = found[0]
        evidence = "；".join(f"{e.get('project')}（第{i.get('source_line')}行）{i['level3']}" for e, i in found)
        yield row("boilerplate_reason", {**item, "doc_id": ev["doc_id"]}, item["note"], str(len(projects)), "1",
                  holds(len(projects) < 2), f"{item['note']}：{evidence}",
                  cites=[c for e, i in found if e["doc_id"] == ev["doc_id"] for c in cite(i, i["note"])])


def scoring_rules() -> dict[str, dict]:
    return templates.data("scoring_rules")["rules"]


def stated_rate(item: dict, indicator: str) -> P.Printed | None:
    """The rate an item's note states for its indicator (`…=（24/21）x100%=114.29%`), else the
    value of the note's bare formula (`（101.72/102）×100%≈100%`)."""
    stated = [s for s in statements_in(item.get("note"), item.get("source_line")) if s["figure"] == indicator]
    if stated:
        s = stated[0]
        if s["computed"] is not None:
            return P.Printed(P.from_float(s["computed"]), Decimal(0), f"{s['value_raw']}%")
        return P.rate(f"{s['value_raw']}%")
    value = bare_formula(item.get("note"))
    return P.Printed(P.from_float(value), Decimal(0), P.show_rate(P.from_float(value))) if value is not None else None


def most_by_rule(spec: dict, rate: P.Printed, weight: Decimal) -> Decimal:
    """The most the published rule gives any rate the printed one may stand for."""
    threshold = P.from_float(spec["threshold"])
    best = rate.lo if spec["full_when"] == "≤" else rate.hi  # the end of the interval that scores best
    beyond = best - threshold if spec["full_when"] == "≤" else threshold - best
    if beyond <= 0:
        return weight
    if spec["beyond"] == "proportional":
        share = threshold / best if spec["full_when"] == "≤" else best / threshold
        return weight * share
    whole_points = int(beyond * 100)  # "每超过1个百分点": only whole points cost
    return max(Decimal(0), weight - whole_points * P.from_float(spec["per_point"]))


@rule("threshold_score", "indicators", "error", ("得分与计分标准不符", "Score above its published rule"),
      ("“{field}”得分 {observed}，按计分标准最多应得 {expected}",
       "“{field}” scores {observed}; its published scoring rule gives at most {expected}"))
def check_threshold_scores(t: Tables, ev: dict) -> Iterator[dict]:
    """A rate indicator with a published threshold rule (控制率 ≤ 100%, 到位率) scores no more than the rule gives."""
    for item in t.items.get(ev["eval_id"], []):
        indicator = norm_key(item.get("level3") or "").replace("“", "").replace("”", "")
        spec = scoring_rules().get(indicator)
        if not spec or item["score"] is None or item["weight"] is None:
            continue
        rate = stated_rate(item, indicator)
        if rate is None:
            continue
        ceiling = most_by_rule(spec, rate, P.from_float(item["weight"]))
        score = P.from_float(item["score"])
        evidence = (f"{item['level3']}：计分标准“{spec['printed']}”；{rate.text}，分值 {show_score(item['weight'])}，"
                    f"得分 {show_score(item['score'])}；依据：{item.get('note')}")
        yield row("threshold_score", {**item, "doc_id": ev["doc_id"]}, item["level3"], P.show(score),
                  P.show(ceiling, 4), P.excess(max(Decimal(0), score - ceiling)), evidence, ev.get("project"))
