"""Scores: a form's scores add up to its total, its weights to 100 and to their printed
level-1 and level-2 weights, and no score leaves 0..weight."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from pipeline import precision as P
from pipeline.checks.base import Tables, cite, exact_dev, row, show_score


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
    cites = [c for i in items for c in cite(i, show_score(i["score"]))]
    yield row("score_total", ev, "total_score", observed.text, P.show(expected.value),
              P.compare(observed, expected.lo, expected.hi), evidence, ev.get("project"),
              cites=cites + cite(items[-1], observed.text, after=True))


def check_weight_total(t: Tables, ev: dict) -> Iterator[dict]:
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
            printed = P.from_float(group[0][f"{level}_weight"])
            observed = sum(P.from_float(i["weight"]) for i in group)
            name = group[0][level]
            evidence = (f"{name}（{P.show(printed)}分）："
                        + " + ".join(f"{i['level3'] or '—'} {show_score(i['weight'])}" for i in group))
            yield row(rule_id, group[0], name, P.show(observed), P.show(printed), exact_dev(observed, printed),
                      evidence, ev.get("project"), ev["doc_id"],
                      cites=[c for i in group for c in cite(i, show_score(i["weight"]))])


def check_score_range(t: Tables, ev: dict) -> Iterator[dict]:
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


CHECKS = (check_score_total, check_weight_total, check_level_weights, check_score_range)
