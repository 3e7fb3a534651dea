"""Department-level figures across the parts of one document: a figure the report and the
attachments both print (支付进度率, 基本支出, 项目支出, 支出合计, 控制率 …) is the same wherever it is
printed, a breakdown (按经济分类, 按功能分类, 其中人员支出 …) adds up to its total, and the project
forms add up to the department's project spending.

The figures come from ``statements`` (what the text says, ``parsers.recognizers.statements``) and
from the budget lines of the 部门整体支出绩效目标完成情况表; which line states which figure, and
which figures a breakdown adds up, is data (``parsers/templates/statements.json``).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from parsers.recognizers.statements import project_figures, vocabulary
from pipeline import precision as P
from pipeline.checks.base import Tables, in_yuan, row, unit_size
from pipeline.rules import DOCUMENT, rule

DEPT_GOAL_TABLE = "dept_goal_completion"
PROJECT_SPENDING = "项目支出"  # the figure parsers/templates/statements.json names so


def printed(s: dict) -> P.Printed | None:
    """A statement's figure as printed: a rate as a fraction, money in yuan."""
    if s["unit"] == "%":
        return P.rate(f"{s['value_raw']}%")
    fig = P.money(s["value_raw"])
    return in_yuan(fig, s["unit"]) if fig else None


def stated(s: dict) -> str:
    return f"{s['figure']} {s['value_raw']} {s['unit']}"


def where(s: dict) -> str:
    return f"{s.get('part') or '文中'}第{s['source_line']}行"


def stated_figures(t: Tables) -> Iterator[tuple[tuple, P.Printed, dict]]:
    """(key, figure, statement) of every figure stated in words; the key says which figure it is
    (document, name, period, and the project for a report's figures about one project)."""
    projects = project_figures()
    for s in t.statements:
        if s["figure"] in projects and not s.get("project_key"):
            continue  # a project figure of no known project: nothing to compare it with
        if (fig := printed(s)) is not None:
            yield (s["doc_id"], s["figure"], s.get("qualifier"), s.get("project_key")), fig, s


def table_figures(t: Tables) -> Iterator[tuple[tuple, P.Printed, dict]]:
    """The executed amounts of a department goal table's budget lines, as the figures they state."""
    lines = {k: v for k, v in vocabulary()["form_lines"].items() if k != "description"}
    for ev in (e for e in t.evaluations if e["kind"] == DEPT_GOAL_TABLE):
        for f in t.funds.get(ev["eval_id"], []):
            figure, fig = lines.get(f["line"]), P.money(f.get("executed_raw"))
            if figure and fig and f.get("money_unit"):
                at = {"doc_id": ev["doc_id"], "eval_id": ev["eval_id"], "source_line": f.get("source_line"),
                      "source_page": f.get("source_page"), "part": ev.get("title"),
                      "text": f"{f['line']} 执行额 {f['executed_raw']}（{f['money_unit']}）"}
                yield (ev["doc_id"], figure, None, None), in_yuan(fig, f["money_unit"]), at


@rule("figure_agreement", "department", "error", ("同一数字多处不一致", "Same figure, different values"),
      ("{field}一处为 {expected}，另一处为 {observed}",
       "{field} is printed as {expected} in one place and as {observed} in another"), DOCUMENT)
def check_figure_agreement(t: Tables) -> Iterator[dict]:
    """A figure printed in two places of a document (report and attachment, two attachments) is the same."""
    groups: dict[tuple, list[tuple[P.Printed, dict]]] = defaultdict(list)
    for key, fig, at in [*stated_figures(t), *table_figures(t)]:
        if not any(other["source_line"] == at["source_line"] for _, other in groups[key]):
            groups[key].append((fig, at))
    projects = {e["project_key"]: e["project"] for e in t.evaluations if e.get("project_key")}
    for (_, figure, period, project_key), found in groups.items():
        (first, first_at), label = found[0], f"{period or ''}{figure}"
        for fig, at in found[1:]:
            evidence = f"{where(first_at)}：“{first_at['text']}”；{where(at)}：“{at['text']}”"
            yield row("figure_agreement", at, label, fig.text, first.text, P.same_amount(fig, first), evidence,
                      projects.get(project_key), per_unit=unit_size(fig))


def breakdown_parts(t: Tables, spec: dict, name: str, doc_id: str) -> list[dict]:
    """The statements a breakdown adds up: the listed figures, first statement of each, or every
    part of the first sentence that opens the breakdown."""
    mine = [s for s in t.statements if s["doc_id"] == doc_id]
    if isinstance(spec["parts"], list):
        first = {p: next((s for s in mine if s["figure"] == p), None) for p in spec["parts"]}
        return list(first.values()) if all(first.values()) else []
    grouped = [s for s in mine if s.get("breakdown") == name]
    return [s for s in grouped if s["text"] == grouped[0]["text"]] if grouped else []


@rule("breakdown_total", "department", "error", ("分项之和与合计不符", "Breakdown does not add up"),
      ("{field}各项之和为 {expected}，合计为 {observed}",
       "The parts of the {field} breakdown add up to {expected}, but the total is {observed}"), DOCUMENT)
def check_breakdown_totals(t: Tables) -> Iterator[dict]:
    """A breakdown (按经济分类, 按功能分类, 基本支出 其中 …) adds up to the total it breaks down."""
    for doc_id in dict.fromkeys(s["doc_id"] for s in t.statements):
        for name, spec in vocabulary()["breakdowns"].items():
            parts = breakdown_parts(t, spec, name, doc_id)
            total = next((s for s in t.statements if s["doc_id"] == doc_id and s["figure"] == spec["total"]), None)
            figures = [fig for s in parts if (fig := printed(s))]
            if not total or not parts or len(figures) < len(parts) or not (observed := printed(total)):
                continue
            expected = P.total(figures)
            evidence = (" + ".join(map(stated, parts)) + f"（{where(parts[0])}）；{stated(total)}（{where(total)}）")
            yield row("breakdown_total", {**total, "eval_id": None}, name, observed.text,
                      f"{P.show(expected.value / unit_size(observed), 2)} {total['unit']}",
                      P.compare(observed, expected.lo, expected.hi), evidence, per_unit=unit_size(observed))


def project_spending(t: Tables, doc_id: str) -> list[tuple[str, P.Printed]] | None:
    """(project, executed) of every project of a document, from the first of its forms that prints
    one; None when a project prints none (the sum would be short)."""
    by_project: dict[str, list[dict]] = defaultdict(list)
    for ev in t.forms:
        if ev["doc_id"] == doc_id and ev.get("project_key"):
            by_project[ev["project_key"]].append(ev)
    out = []
    for forms in by_project.values():
        executed = next((fig for ev in forms if (fig := t.amounts(ev).get("executed"))), None)
        if executed is None:
            return None
        out.append((forms[0]["project"], executed))
    return out


@rule("projects_total", "department", "warning", ("项目执行数之和与部门项目支出不符", "Projects vs department"),
      ("各项目表执行数之和为 {expected}，部门整体表{field}执行数为 {observed}",
       "The project forms' executed amounts add up to {expected}, but the department table's {field} is {observed}"),
      DOCUMENT)
def check_projects_total(t: Tables) -> Iterator[dict]:
    """The project forms' spending adds up to the project spending (政策和项目支出) of the department goal table."""
    for key, figure, at in table_figures(t):
        if key[1] != PROJECT_SPENDING or not (projects := project_spending(t, key[0])):
            continue
        expected = P.total([fig for _, fig in projects])
        evidence = (" + ".join(f"{name} {fig.text}" for name, fig in projects) + f"；{at['part']}：{at['text']}")
        yield row("projects_total", at, at["text"].split()[0], figure.text,
                  f"{P.show(expected.value / unit_size(figure), 2)} {figure.text.split()[-1]}",
                  P.compare(figure, expected.lo, expected.hi), evidence, per_unit=unit_size(figure))
