"""Scores: a form's scores add up to its total, its weights to 100 and to their printed
level-1 and level-2 weights, and no score leaves 0..weight."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from pipeline import precision as P
from pipeline.checks.base import Tables, cite, exact_dev, row, show_score
from pipeline.rules import rule


@rule("score_total", "scores", "error", ("得分合计", "Score total"),
      ("各项得分之和为 {expected}，表中总分/合计为 {observed}",
       "The item scores add up to {expected}, but the form prints a total of {observed}"), needs_whole_form=True)
def check_score_total(t: Tables, ev: dict) -> Iterator[dict]:
    """A form's item scores (and budget-execution score) add up to its printed total."""
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
    cites = [c for i in items for c in cite(i, show_score(i["score"]))]
    yield row("score_total", ev, "total_score", observed.text, P.show(expected.value),
              P.compare(observed, expected.lo, expected.hi), evidence, ev.get("project"),
              cites=cites + cite(items[-1], observed.text, after=True))


@rule("weight_total", "scores", "error", ("分值合计", "Weight total"),
      ("各项分值之和应为 {expected}，实为 {observed}（{field}）",
       "The weights should total {expected}, but {field} is {observed}"), needs_whole_form=True)
def check_weight_total(t: Tables, ev: dict) -> Iterator[dict]:
    """A form's weights add up to 100 and to its printed total weight."""
    items = t.items.get(ev["eval_id"], [])
    weights = [i["weight"] for i in items] + ([ev["execution_weight"]] if ev.get("execution_weight") is not None
                                              else [])
    if not items or any(w is None for w in weights):
        return
    observed = sum(P.from_float(w) for w in weights)
    evidence = f"分值：{' + '.join(show_score(w) for w in weights)}" + (
        f"；总分分值：{show_score(ev['total_weight'])}" if ev.get("total_weight") is not None else "")
    cites = [c for i in items for c in cite(i, show_score(i["weight"]))]
    yield row("weight_total", ev, "各项分值之和", P.show(observed), "100", exact_dev(observed, Decimal(100)),
              evidence, ev.get("project"), cites=cites)
    if ev.get("total_weight") is not None:
        printed = P.from_float(ev["total_weight"])
        yield row("weight_total", ev, "总分分值", P.show(printed), P.show(observed), exact_dev(printed, observed),
                  evidence, ev.get("project"), cites=cites + cite(items[-1], P.show(printed), after=True))


def level_weight_rows(t: Tables, ev: dict, rule_id: str, keys: tuple[str, ...]) -> Iterator[dict]:
    """The items grouped under each printed weight of one level against that weight."""
    level = keys[-1]
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for item in t.items.get(ev["eval_id"], []):
        if item.get(f"{level}_weight") is not None and item.get(level):
            groups[tuple(item[k] for k in keys)].append(item)
    for group in groups.values():
        if any(i["weight"] is None for i in group):
            continue
        printed = P.from_float(group[0][f"{level}_weight"])
        observed = sum(P.from_float(i["weight"]) for i in group)
        name = group[0][level]
        evidence = (f"{name}（{P.show(printed)}分）："
                    + " + ".join(f"{i['level3'] or '—'} {show_score(i['weight'])}" for i in group))
        yield row(rule_id, group[0], name, P.show(observed), P.show(printed), exact_dev(observed, printed),
                  evidence, ev.get("project"), ev["doc_id"],
                  cites=[c for i in group for c in cite(i, show_score(i["weight"]))])


@rule("weight_level1", "scores", "error", ("一级指标分值", "Level-1 weight"),
      ("一级指标“{field}”下各项分值之和为 {observed}，所标分值为 {expected}",
       "The items under level-1 indicator “{field}” weigh {observed} in all, but it is printed as {expected}"),
      needs_whole_form=True)
def check_level1_weights(t: Tables, ev: dict) -> Iterator[dict]:
    """The items under a level-1 indicator weigh what it is printed to weigh."""
    return level_weight_rows(t, ev, "weight_level1", ("level1",))


@rule("weight_level2", "scores", "error", ("二级指标分值", "Level-2 weight"),
      ("二级指标“{field}”下各项分值之和为 {observed}，所标分值为 {expected}",
       "The items under level-2 indicator “{field}” weigh {observed} in all, but it is printed as {expected}"),
      needs_whole_form=True)
def check_level2_weights(t: Tables, ev: dict) -> Iterator[dict]:
    """The items under a level-2 indicator weigh what it is printed to weigh."""
    return level_weight_rows(t, ev, "weight_level2", ("level1", "level2"))


@rule("score_range", "scores", "error", ("得分超出分值", "Score outside 0..weight"),
      ("“{field}”得分 {observed}，应在 {expected} 之间", "“{field}” scores {observed}; a score must lie in {expected}"))
def check_score_range(t: Tables, ev: dict) -> Iterator[dict]:
    """No score is below 0 or above its weight."""
    scored = [(i, i.get("level3") or "—") for i in t.items.get(ev["eval_id"], [])]
    if ev.get("execution_score") is not None:
        scored.append(({"score": ev["execution_score"], "weight": ev.get("execution_weight"),
                        "source_line": ev.get("source_line"), "source_page": ev.get("source_page")}, "预算执行"))
    for item, name in scored:
        if item["score"] is None or item["weight"] is None:
            continue
        s, w = P.from_float(item["score"]), P.from_float(item["weight"])
        deviation = max(Decimal(0), s - w, -s)
        yield row("score_range", {**item, "eval_id": ev["eval_id"]}, name, P.show(s), f"0–{P.show(w)}",
                  P.excess(deviation), f"{name}：分值 {P.show(w)}，得分 {P.show(s)}", ev.get("project"),
                  ev["doc_id"], cites=cite(item, P.show(w), P.show(s)))

