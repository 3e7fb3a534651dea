"""The unit comparison as one self-contained HTML page: table, comparability notes, charts.

Charts are matplotlib PNGs embedded as data URIs, so the page opens offline without a server.
Chinese labels need a CJK font: we look for one and stop with a clear error when there is none,
rather than draw boxes (tofu) in place of the characters.
"""
from __future__ import annotations

import base64
import html
import io
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

import schemas
from pipeline import publish
from pipeline.publish import unit_anchor
from pipeline.summarize import UNIT_KEY, anomalies_by_unit, comparability, unit_key

# Families tried in order. Debian `fonts-noto-cjk` provides the first (see Makefile system-deps).
CJK_FONT_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Noto Serif CJK SC", "Droid Sans Fallback", "AR PL UMing CN",
)
# Font files worth registering when matplotlib's cached font list predates their installation.
CJK_FONT_FILE_HINTS = ("notosanscjk", "notoserifcjk", "sourcehansans", "wqy", "droidsansfallback", "uming")
GLYPH_PROBE = "相山区安岳县预算执行率自评分异常规则"
INSTALL_HINT = "install one, e.g. `apt-get install fonts-noto-cjk` on Debian/Ubuntu (or run `make system-deps-report`)"


class MissingCJKFont(RuntimeError):
    """No installed font can draw the report's Chinese labels."""


def cjk_font(families: tuple[str, ...] = CJK_FONT_FAMILIES) -> str:
    """The first installed family that has glyphs for Chinese text; MissingCJKFont otherwise."""
    found = _find_family(families)
    if found is None:
        _register_system_cjk_fonts()
        found = _find_family(families)
    if found is None:
        raise MissingCJKFont(f"no CJK font for the report's Chinese labels (tried {', '.join(families)}): "
                             f"{INSTALL_HINT}")
    return found


def _find_family(families: tuple[str, ...]) -> str | None:
    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in families:
        if family in installed and _has_glyphs(family):
            return family
    return None


def _has_glyphs(family: str) -> bool:
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    font = font_manager.get_font(path)
    return all(font.get_char_index(ord(ch)) for ch in GLYPH_PROBE)


def _register_system_cjk_fonts() -> None:
    for path in font_manager.findSystemFonts():
        if any(hint in Path(path).name.lower().replace("-", "").replace("_", "") for hint in CJK_FONT_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # an unreadable font file is simply not a candidate


# --- charts ----------------------------------------------------------------------------------

def unit_label(unit: dict | pd.Series) -> str:
    name = unit.get("org_unit") if not pd.isna(unit.get("org_unit")) else unit.get("region")
    year = unit.get("fiscal_year")
    return f"{name if not pd.isna(name) else '未知单位'}（{int(year) if not pd.isna(year) else '年度不详'}）"


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _colors(labels: list[str]) -> dict[str, tuple]:
    cmap = matplotlib.colormaps["tab10" if len(labels) <= 10 else "tab20"]
    return {label: cmap(i % cmap.N) for i, label in enumerate(labels)}


MAX_LEGEND_UNITS = 20


def _legend(ax: object, colors: dict, **kwargs: object) -> None:
    """A legend while it stays readable; beyond MAX_LEGEND_UNITS units the tables name the units."""
    if len(colors) <= MAX_LEGEND_UNITS:
        ax.legend(fontsize=8, **kwargs)


def _unit_scatter(df: pd.DataFrame, x: pd.Series, y: str, colors: dict[str, tuple],
                  figsize: tuple[float, float], **style: object) -> tuple[Figure, object]:
    """A figure with one scatter series per unit (x given as values, y as a column)."""
    fig = Figure(figsize=figsize)
    ax = fig.subplots()
    for label, group in df.groupby("unit_label", sort=False):
        ax.scatter(x[group.index], group[y], s=60, alpha=0.8, color=colors[label], label=label, **style)
    return fig, ax


EXTREME_LABELS = 6   # scatter points labelled with their project: the farthest from agreement
LABEL_CHARS = 14


def _label_extremes(ax: object, df: pd.DataFrame, x: pd.Series, y: pd.Series, gap: pd.Series) -> None:
    """Name the projects whose self-score runs farthest ahead of the measure on the other axis
    (a name is written once, at its farthest point: many units share project names)."""
    largest = gap[gap > 0].sort_values(ascending=False, kind="stable")
    names = df.loc[largest.index, "project"].astype(str).drop_duplicates().head(EXTREME_LABELS)
    for rank, (i, name) in enumerate(names.items()):
        text = name[:LABEL_CHARS] + ("…" if len(name) > LABEL_CHARS else "")
        ax.annotate(text, (x[i], y[i]), fontsize=7,
                    xytext=(4, 4 - 10 * (rank % 3)), textcoords="offset points", color="#333",  # staggered
                    arrowprops={"arrowstyle": "-", "color": "#999", "lw": 0.5})


def chart_execution_vs_score(projects: pd.DataFrame, colors: dict[str, tuple]) -> str | None:
    df = projects.dropna(subset=["execution_rate", "self_score"])
    if df.empty:
        return None
    fig, ax = _unit_scatter(df, df["execution_rate"] * 100, "self_score", colors, (8, 5), edgecolors="white")
    _label_extremes(ax, df, df["execution_rate"] * 100, df["self_score"], df["self_score"] - df["execution_rate"] * 100)
    ax.set(xlabel="预算执行率 Execution rate (%)", ylabel="项目自评分 Self-score",
           title="执行率与自评分（每点一个项目）Execution rate vs self-score per project")
    ax.axhline(90, color="grey", lw=0.8, ls="--")
    _legend(ax, colors, loc="lower right")
    ax.grid(alpha=0.3)
    return _png(fig)


def chart_self_vs_rule(projects: pd.DataFrame, colors: dict[str, tuple]) -> str | None:
    df = projects.dropna(subset=["rule_score", "self_score"])
    if df.empty:
        return None
    fig, ax = _unit_scatter(df, df["rule_score"], "self_score", colors, (6.5, 5.5))
    _label_extremes(ax, df, df["rule_score"], df["self_score"], df["self_score"] - df["rule_score"])
    low = min(df["rule_score"].min(), df["self_score"].min(), 80)
    ax.plot([low, 100], [low, 100], color="grey", lw=0.8, ls="--", label="自评分 = 规则得分")
    ax.set(xlabel="规则得分 Rule-based score", ylabel="项目自评分 Self-score",
           title="自评分与规则得分 Self-score vs rule-based score")
    _legend(ax, colors)
    ax.grid(alpha=0.3)
    return _png(fig)


QUALITY_BARS = (
    ("share_quantitative_targets", "量化目标"), ("share_vague_targets", "模糊目标"),
    ("share_vague_actuals", "模糊完成值"), ("share_unverifiable", "无法核验"),
    ("share_targets_missed", "未达标"), ("share_full_marks", "满分（模板特定）"),
)


def chart_indicator_quality(units: pd.DataFrame, colors: dict[str, tuple]) -> str | None:
    if units.empty:
        return None
    if len(units) > MAX_LEGEND_UNITS:
        return _indicator_quality_spread(units)
    fig = Figure(figsize=(9, 4.8))
    ax = fig.subplots()
    width = 0.8 / len(units)
    for i, (_, unit) in enumerate(units.iterrows()):
        values = [unit[col] * 100 if not pd.isna(unit[col]) else 0 for col, _ in QUALITY_BARS]
        xs = [j + (i - (len(units) - 1) / 2) * width for j in range(len(QUALITY_BARS))]
        ax.bar(xs, values, width=width, color=colors[unit["unit_label"]], label=unit["unit_label"])
        for x, (col, _) in zip(xs, QUALITY_BARS, strict=True):
            if pd.isna(unit[col]):  # not available is not zero: say so on the chart
                ax.text(x, 1, "无", ha="center", va="bottom", fontsize=7, color="grey")
    ax.set_xticks(range(len(QUALITY_BARS)), [name for _, name in QUALITY_BARS])
    ax.set(ylabel="占比 Share (%)", ylim=(0, 105), title="指标质量 Indicator quality per unit")
    _legend(ax, colors)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def _indicator_quality_spread(units: pd.DataFrame) -> str:
    """Many units: each share's spread over the units (a box per share, every unit a dot) instead of a bar per unit."""
    fig = Figure(figsize=(9, 4.8))
    ax = fig.subplots()
    values = [(units[col].dropna() * 100).tolist() for col, _ in QUALITY_BARS]
    ax.boxplot(values, positions=range(len(QUALITY_BARS)), widths=0.5, showfliers=False)
    for j, vals in enumerate(values):
        jitter = [j + ((k * 37) % 21 - 10) / 60 for k in range(len(vals))]  # spread the dots, deterministically
        ax.scatter(jitter, vals, s=8, alpha=0.5, color="tab:blue")
    ax.set_xticks(range(len(QUALITY_BARS)), [name for _, name in QUALITY_BARS])
    ax.set(ylabel="占比 Share (%)", ylim=(-2, 105),
           title=f"指标质量：{len(units)} 个单位的分布 Indicator quality across {len(units)} units")
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


MAX_BAR_UNITS = 25  # more units: the ones with most anomalies, and the rest as one bar


def _top_units(counts: pd.DataFrame) -> pd.DataFrame:
    if len(counts) <= MAX_BAR_UNITS:
        return counts
    order = counts.sum(axis=1).sort_values(ascending=False, kind="stable").index
    top, rest = counts.loc[order[:MAX_BAR_UNITS - 1]], counts.loc[order[MAX_BAR_UNITS - 1:]]
    others = rest.mean().to_frame(f"其余 {len(rest)} 个单位（平均）Other {len(rest)} units, mean").T
    return pd.concat([top, others])


def chart_anomalies(anomalies: pd.DataFrame, units: pd.DataFrame) -> str | None:
    if anomalies is None or anomalies.empty:
        return None
    counts = anomalies.groupby(["unit_label", "rule_id"]).size().unstack(fill_value=0)
    labels = list(units["unit_label"]) + [u for u in counts.index if u not in set(units["unit_label"])]
    counts = _top_units(counts.reindex(labels, fill_value=0))  # units without anomalies show as zero
    fig = Figure(figsize=(9, 1.5 + 0.5 * len(counts)))
    ax = fig.subplots()
    left = [0] * len(counts)
    cmap = matplotlib.colormaps["tab20"]
    for i, rule in enumerate(counts.columns):
        ax.barh(counts.index, counts[rule], left=left, color=cmap(i % cmap.N), label=rule)
        left = [a + b for a, b in zip(left, counts[rule], strict=True)]
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="异常数 Anomalies", title="各单位异常（按规则）Anomalies per unit by rule")
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.06 - 0.6 / len(counts)))
    return _png(fig)


def render_charts(units: pd.DataFrame, projects: pd.DataFrame, anomalies: pd.DataFrame | None) -> dict:
    """Chart name -> PNG data URI (None when there is nothing to draw). Raises MissingCJKFont."""
    font = cjk_font()
    colors = _colors(list(units["unit_label"]))
    with matplotlib.rc_context({"font.family": [font], "axes.unicode_minus": False}), warnings.catch_warnings():
        # A glyph the font lacks would be drawn as a box: make that an error, not a picture.
        warnings.filterwarnings("error", message=r".*[Gg]lyph.*missing.*")
        return {
            "execution_vs_score": chart_execution_vs_score(projects, colors),
            "self_vs_rule": chart_self_vs_rule(projects, colors),
            "indicator_quality": chart_indicator_quality(units, colors),
            "anomalies": chart_anomalies(anomalies, units),
        }


# --- page ------------------------------------------------------------------------------------

def _label_units(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(unit_label=[unit_label(r) for _, r in df.iterrows()])


def _anomalies_with_labels(tables: dict, units: pd.DataFrame) -> pd.DataFrame | None:
    anomalies = anomalies_by_unit(tables.get("anomalies"), tables["evaluations"])
    if anomalies is None:
        return None
    labels = {unit_key(r[k] for k in UNIT_KEY): r["unit_label"] for _, r in units.iterrows()}
    return anomalies.assign(unit_label=[labels.get(u, unit_label(dict(zip(UNIT_KEY, u, strict=True))))
                                        for u in anomalies["unit"]])


def fmt(name: str, value: object) -> str:
    """A unit_summary value as the report prints it (money in 万元, shares in %)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if name.endswith("_yuan"):
        return f"{value / 10000:,.2f} 万元"
    if name.startswith(("share_", "execution_rate")):
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return html.escape(str(value))


GROUPS = (("key", "单位 Unit"), ("comparable", "跨模板可比 Comparable across templates"),
          ("template_specific", "模板特定 Template-specific (do not compare across templates)"))
MAX_UNIT_COLUMNS = 8  # more units than this: one row per unit instead of one column


def _metric_fields() -> list[tuple[str, dict]]:
    """(group, field) for every unit_summary column shown as a metric (the key is shown as the label)."""
    groups = comparability()
    return [(group, f) for group, _ in GROUPS for f in groups.get(group, [])
            if f["name"] not in ("region", "org_unit", "fiscal_year")]


def _metric_header(field: dict) -> str:
    name, _, meaning = field["description"].partition(" · ")
    return f'<th title="{html.escape(meaning)}">{html.escape(name)}<code>{field["name"]}</code></th>'


def comparison_table(units: pd.DataFrame) -> str:
    """Metrics as rows and units as columns; for many units, units as rows."""
    if len(units) > MAX_UNIT_COLUMNS:
        return _units_as_rows(units)
    titles = dict(GROUPS)
    head = "".join(f"<th>{html.escape(label)}</th>" for label in units["unit_label"])
    body, current = [], None
    for group, field in _metric_fields():
        if group != current:
            body.append(f'<tr class="group {group}"><th colspan="{len(units) + 1}">{titles[group]}</th></tr>')
            current = group
        cells = "".join(f"<td>{fmt(field['name'], v)}</td>" for v in units[field["name"]])
        body.append(f'<tr class="{group}">{_metric_header(field)}{cells}</tr>')
    return (f'<table class="cmp"><thead><tr><th>指标 Metric</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _units_as_rows(units: pd.DataFrame) -> str:
    fields = _metric_fields()
    titles = dict(GROUPS)
    spans = "".join(f'<th class="group {g}" colspan="{sum(1 for x, _ in fields if x == g)}">{titles[g]}</th>'
                    for g, _ in GROUPS if any(x == g for x, _ in fields))
    head = "".join(_metric_header(f) for _, f in fields)
    rows = "".join(f'<tr class="unit"><th><a href="#{unit_anchor(*(u[k] for k in UNIT_KEY))}">'
                   f'{html.escape(u["unit_label"])}</a></th>'
                   + "".join(f'<td class="{g}"{sort_key(u[f["name"]])}>{fmt(f["name"], u[f["name"]])}</td>'
                             for g, f in fields) + "</tr>"
                   for _, u in units.iterrows())
    return (f'<table class="cmp sortable frozen"><thead><tr><th></th>{spans}</tr><tr><th>单位 Unit</th>{head}</tr>'
            f"</thead><tbody>{rows}</tbody></table>")


def sort_key(value: object) -> str:
    """A data-sort attribute with the raw number, so that `1,234.00 万元` sorts by value."""
    if isinstance(value, bool) or not isinstance(value, int | float) or pd.isna(value):
        return ""
    return f' data-sort="{value}"'


def comparability_section(units: pd.DataFrame) -> str:
    groups = comparability()
    templates = "".join(f"<li>{html.escape(label)}: <code>{html.escape(str(t))}</code></li>"
                        for label, t in zip(units["unit_label"], units["template"], strict=True))

    def items(group: str) -> str:
        return "".join(f"<li><code>{f['name']}</code> {html.escape(f['description'])}</li>"
                       for f in groups.get(group, []))

    return (f"<h2>可比性 What can be compared</h2><p>Templates per unit: selfeval = 项目支出绩效自评表 (Anhui); "
            f"scoring + goal_completion = 自评计分表 + 绩效目标完成情况表 (Sichuan).</p>"
            f"<details{' open' if len(units) <= MAX_UNIT_COLUMNS else ''}><summary>{len(units)} units</summary>"
            f"<ul>{templates}</ul></details>"
            f"<details open><summary>跨模板可比 Comparable across templates</summary><ul>{items('comparable')}</ul>"
            f"</details><details><summary>模板特定 Template-specific</summary><ul>{items('template_specific')}</ul>"
            "</details>")


def projects_table(projects: pd.DataFrame) -> str:
    cols = (("unit_label", "单位"), ("project", "项目"), ("template", "模板"), ("budget_yuan", "预算"),
            ("executed_yuan", "执行"), ("execution_rate", "执行率"), ("self_score", "自评分"),
            ("rule_score", "规则得分"), ("has_target", "指标数"))
    head = "".join(f"<th>{t}</th>" for _, t in cols)
    text_cols = ("unit_label", "project", "template")
    rows = "".join("<tr>" + "".join(f'<td class="{"text" if c in text_cols else "num"}"{sort_key(r[c])}>'
                                    f"{fmt(c, r[c])}</td>" for c, _ in cols) + "</tr>" for _, r in projects.iterrows())
    return f'<table class="projects sortable frozen"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def documents_section(documents: pd.DataFrame | None) -> str:
    """Documents that contribute nothing or only part: the comparison does not cover them (fully)."""
    if documents is None or documents.empty or "status" not in documents:
        return ""
    forms = documents["forms"] if "forms" in documents else pd.Series(0, index=documents.index)
    gaps = documents[(documents["status"] != "ok") | (forms.fillna(0) == 0)]
    summary = f"<p>{len(documents)} documents read, {len(documents) - len(gaps)} fully summarized.</p>"
    if gaps.empty:
        return f"<h2>文档 Documents</h2>{summary}"
    rows = "".join(f'<tr><td class="text">{html.escape(str(d["source_path"]))}</td><td class="text">'
                   f'{html.escape(str(d["status"]))}</td><td class="text">{fmt("error", d.get("error"))}</td></tr>'
                   for _, d in gaps.iterrows())
    return (f"<h2>文档 Documents not (fully) covered</h2>{summary}<table><thead><tr><th>文件 File</th>"
            f"<th>状态 Status</th><th>原因 Reason</th></tr></thead><tbody>{rows}</tbody></table>")


def inputs_note(tables: dict) -> str:
    rule = "present" if tables["evaluations"]["rule_score"].notna().any() else "absent (rule-score columns are null)"
    anomalies = "present" if tables.get("anomalies") is not None else "absent (anomaly columns are null)"
    return f"<p>Inputs: evaluations.rule_score {rule}; anomalies.parquet {anomalies}.</p>"


CHART_TEXT = {
    "execution_vs_score": ("执行率与自评分",
                           "Each dot is a project: execution rate from its amounts vs its self-score."),
    "self_vs_rule": ("自评分与规则得分", "Self-score against the score recomputed by rule; dots above the line are "
                                        "self-score inflation."),
    "indicator_quality": ("指标质量", "Shares over each unit's performance indicators (rows with a target)."),
    "anomalies": ("异常（按规则）", "Anomalies found by the validate stage, per unit and rule."),
}
MISSING_TEXT = {
    "self_vs_rule": "规则得分尚未计算 (evaluations.rule_score is absent: the validate stage has not run).",
    "anomalies": "无异常表 (anomalies.parquet is absent: the validate stage has not run), or no anomalies found.",
}
STYLE = """body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:2em auto;max-width:1200px;padding:0 1em;color:#222}table{border-collapse:collapse;font-size:14px}
table.sortable thead tr:last-child th{cursor:pointer}
table.sortable thead tr:last-child th:after{content:" ⇅";color:#aaa}
.wrap{max-height:85vh;overflow:auto}.frozen thead th{position:sticky;top:0;z-index:2}
.frozen tbody tr>:first-child{position:sticky;left:0;background:#fff;z-index:1}
.frozen thead tr>:first-child{left:0;z-index:3}.colophon{color:#444;font-size:13px}
details.unit{margin:.3em 0}details.unit summary{cursor:pointer}.count{color:#666}
@media (max-width:760px){body{margin:.5em;padding:0}td,th{padding:3px 4px;font-size:12px}
  tr.unit th{white-space:normal;min-width:7em;max-width:9em}}
@media print{.wrap{max-height:none;overflow:visible}th:after{content:""}}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{text-align:left;background:#f6f6f6}
tr.group th{background:#dde6f0;font-size:15px}tr.template_specific td,td.template_specific{color:#666;font-style:italic}
th.group{text-align:center}tr.unit th{white-space:nowrap}
td.text{text-align:left}code{font-size:11px;color:#777;margin-left:.5em}.wrap{overflow-x:auto}img{max-width:100%}
figure{margin:1.5em 0}figcaption{color:#555;font-size:13px}.note{color:#a33}"""


def records(df: pd.DataFrame | None) -> list[dict]:
    """A table's rows as dicts with None for missing (NaN)."""
    if df is None:
        return []
    return [{k: None if not isinstance(v, str) and pd.isna(v) else v for k, v in r.items()}
            for r in df.to_dict("records")]


def unit_sections(units: pd.DataFrame, projects: pd.DataFrame, anomalies: pd.DataFrame | None, lang: str) -> str:
    """One section per unit (anchored, collapsed): its projects and its anomalies, each linked to anomalies.html."""
    mine = anomalies.groupby("unit_label") if anomalies is not None and not anomalies.empty else None
    out = []
    for _, unit in units.iterrows():
        rows = projects[projects["unit_label"] == unit["unit_label"]]
        listed = "".join(f"<li>{html.escape(str(r['project']))} — {fmt('execution_rate', r['execution_rate'])}, "
                         f"{publish.label(lang, '自评分', 'self-score')} {fmt('self_score', r['self_score'])}</li>"
                         for _, r in rows.iterrows())
        found = mine.get_group(unit["unit_label"]) if mine is not None and unit["unit_label"] in mine.groups else None
        flagged = "".join(
            f'<li><a href="anomalies.html#{html.escape(a["anomaly_id"])}">{html.escape(a["rule_id"])}</a> '
            f"{html.escape(str(a['project'] or ''))}: "
            f"{html.escape(str(a.get('message_en' if lang == 'en' else 'message_zh') or ''))}</li>"
            for _, a in (found.iterrows() if found is not None else iter(())))
        n = 0 if found is None else len(found)
        out.append(f'<details class="unit" id="{unit_anchor(*(unit[k] for k in UNIT_KEY))}"><summary>'
                   f'{html.escape(unit["unit_label"])} <span class="count">({len(rows)} '
                   f'{publish.label(lang, "个项目", "projects")}, {n} {publish.label(lang, "条异常", "anomalies")})'
                   f"</span></summary><h4>{publish.label(lang, '项目', 'Projects')}</h4><ul>{listed}</ul>"
                   f"<h4>{publish.label(lang, '异常', 'Anomalies')}</h4><ul>{flagged or '<li>—</li>'}</ul></details>")
    return f"<h2>{publish.label(lang, '各单位', 'Units')}</h2>{''.join(out)}"


def render_html(rows: list[dict], projects: pd.DataFrame, tables: dict, lang: str = "zh") -> str:
    units = _label_units(pd.DataFrame(rows, columns=schemas.column_names("unit_summary")))
    projects = _label_units(projects)
    anomalies = _anomalies_with_labels(tables, units)
    charts = render_charts(units, projects, anomalies)
    figures = []
    for name, uri in charts.items():
        title, caption = CHART_TEXT[name]
        missing = html.escape(MISSING_TEXT.get(name, "无数据 no data"))
        body = f'<img alt="{title}" src="{uri}">' if uri else f'<p class="note">{missing}</p>'
        figures.append(f"<figure><h3>{title}</h3>{body}<figcaption>{html.escape(caption)}</figcaption></figure>")
    title = publish.label(lang, "预算绩效自评：单位对比", "Budget-performance self-evaluations: unit comparison")
    return (f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
            f"{publish.VIEWPORT}<title>{title}</title><style>{STYLE}</style><script>{publish.SORT_SCRIPT}</script>"
            f"</head><body><h1>{title}</h1>{publish.colophon(records(tables.get('documents')), 'summary', lang)}"
            f"<p>{len(units)} units, {len(projects)} projects. Money in 万元; shares and rates in %; — = not "
            f"available. Italic grey rows are template-specific.</p>{inputs_note(tables)}"
            f'<div class="wrap">{comparison_table(units)}</div>{comparability_section(units)}'
            f"<h2>图表 Charts</h2>{''.join(figures)}"
            f"<h2>项目 Projects</h2><div class=\"wrap\">{projects_table(projects)}</div>"
            f"{unit_sections(units, projects, anomalies, lang)}"
            f"{documents_section(tables.get('documents'))}</body></html>")


def write_report(path: Path, rows: list[dict], projects: pd.DataFrame, tables: dict, lang: str = "zh") -> Path:
    """Render the page and write it atomically; returns its path."""
    text = render_html(rows, projects, tables, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
