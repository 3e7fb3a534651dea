"""``reports/anomalies.html``: the anomaly list as one page ready to publish (no server, no network).

Grouped by unit (each a section with an anchor, listed at the top) and project; every table
sorts by a click on its header; a search box and severity/rule/review selectors filter the rows.
Each anomaly shows its evidence as a person checks it: for PDF, crops of the page with the
cited cells boxed in red (``pipeline.evidence``); for other formats the source lines read back
from the file with the figures marked. Deviation and tolerance are printed, reviewers' decisions
(``pipeline.reviews``) shown and stale ones listed. On a phone each anomaly is a card.
Everything taken from a document is HTML-escaped.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pyarrow as pa
import regex

from pipeline.evidence import EVIDENCE_DIR, annotated_name, figure_pattern
from pipeline.publish import SORT_SCRIPT, VIEWPORT, colophon, label, unit_anchor
from pipeline.reviews import DECISIONS
from pipeline.rules import RULES, SEVERITIES
from pipeline.write import to_arrow

COLUMNS = (("severity", "级别", "Severity"), ("rule", "规则", "Rule"), ("field", "对象", "Item"),
           ("observed", "实为", "Printed"), ("expected", "应为", "Expected"), ("message", "说明", "Finding"),
           ("evidence", "证据", "Evidence"), ("source", "出处", "Source"))
WIDTHS = (6, 10, 8, 9, 10, 18, 27, 12)  # percent, same for every table so that groups line up
SEVERITY_NAMES = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}
NO_PROJECT = ("部门整体 / 文档", "department / document")

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} h2{font-size:1.2em;margin-top:1.6em;border-bottom:2px solid #888}
details{margin:.6em 0 .6em 1em} summary{font-weight:bold;cursor:pointer}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.4em 0;table-layout:fixed}
th,td{border:1px solid #ccc;padding:.3em .45em;vertical-align:top;text-align:left}
th{background:#f0f0f0;cursor:pointer;user-select:none} th:after{content:" ⇅";color:#aaa}
tr.error td:first-child{background:#f8d7da} tr.warning td:first-child{background:#fff3cd}
tr.info td:first-child{background:#d1ecf1} .en{color:#555} .quote{white-space:pre-wrap;font-size:.92em}
td{overflow-wrap:anywhere} .dev{display:block;color:#555;font-size:.85em} mark{background:#ffd54f}
.evidence img{max-width:100%;border:1px solid #bbb;margin:.2em 0;display:block}
.rebuilt{color:#666;font-style:italic} .review{display:inline-block;padding:0 .4em;border-radius:.3em;font-size:.85em}
.review.confirmed{background:#f5c6cb} .review.false_positive{background:#d6d8db} .review.explained{background:#c3e6cb}
#controls{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd;z-index:1}
#controls input{width:18em;max-width:90%} .count{color:#666;font-weight:normal} .colophon{color:#444;font-size:.9em}
.units{columns:2 22em;font-size:.92em}
@media (max-width:760px){body{margin:.6em} table,thead,tbody,tr,td{display:block;width:auto}
  colgroup,thead{display:none}
  tr.row{border:1px solid #bbb;margin:.6em 0;border-radius:.3em} td{border:none;border-bottom:1px solid #eee}
  td:before{content:attr(data-label);display:block;font-size:.8em;color:#777} details{margin-left:0}
  #controls input{width:100%}}
@media print{#controls{display:none} details{display:block} th:after{content:""} a{color:#000}
  tr.row{break-inside:avoid}}
"""

FILTER_SCRIPT = """
function applyFilter(){var q=document.getElementById('q').value.toLowerCase(),
  sev=document.getElementById('sev').value,rule=document.getElementById('rule').value,
  rev=document.getElementById('rev').value,shown=0;
  document.querySelectorAll('tr.row').forEach(function(tr){
    var ok=(!sev||tr.dataset.severity===sev)&&(!rule||tr.dataset.rule===rule)&&
      (!rev||tr.dataset.review===rev)&&(!q||tr.textContent.toLowerCase().indexOf(q)>=0);
    tr.style.display=ok?'':'none';if(ok)shown++;});
  document.querySelectorAll('details.project,section.unit').forEach(function(g){
    var any=Array.from(g.querySelectorAll('tr.row')).some(function(r){return r.style.display!=='none';});
    g.style.display=any?'':'none';});
  document.getElementById('shown').textContent=shown;}
document.addEventListener('DOMContentLoaded',function(){
  ['q','sev','rule','rev'].forEach(function(id){document.getElementById(id).addEventListener('input',applyFilter);});});
"""


def marked(line: str, figures: list[str]) -> str:
    """A quoted line (``<where>: <text>``), escaped, with the cited figures in its text in <mark>:
    a number only where it stands on its own (not the 5 of 15)."""
    where, sep, text = line.partition(": ")
    figures = sorted({f for f in figures if f}, key=len, reverse=True)
    if not figures or not sep:
        return escape(line)
    pattern = regex.compile("|".join(figure_pattern(f) for f in figures))
    return escape(where + sep) + marked_text(text, pattern)


def marked_text(text: str, pattern: regex.Pattern) -> str:
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[last:m.start()]), f"<mark>{escape(m[0])}</mark>"]
        last = m.end()
    return "".join(out) + escape(text[last:])


def evidence_html(a: dict, lang: str) -> str:
    images = json.loads(a.get("evidence_images") or "[]")
    shots = "".join(f'<a href="{escape(i["path"])}"><img src="{escape(i["path"])}" loading="lazy" '
                    f'data-page="{i["page"]}" alt="{escape(label(lang, "原文第", "source page "))}{i["page"]}"></a>'
                    for i in images)
    if a.get("evidence_source"):
        figures = [c.get("match") or "" for c in json.loads(a.get("evidence_cells") or "[]")]
        quote = "\n".join(marked(line, figures) for line in a["evidence_source"].splitlines())
        return f'{shots}<div class="quote">{quote}</div>'
    rebuilt = label(lang, "（据提取值复述，原文件不可用）",
                    "(rebuilt from the extracted values: source file not at hand)")
    return f'{shots}<div class="quote">{escape(a.get("evidence") or "")}</div><span class="rebuilt">{rebuilt}</span>'


def source_html(a: dict, e: dict, lang: str) -> str:
    where = ", ".join(p for p in (f"p.{e['source_page']}" if e["source_page"] else "",
                                  f"{label(lang, '行', 'line')} {e['source_line']}" if e["source_line"] else "") if p)
    name = f'<a href="{e["url"]}">{e["source_path"]}</a>' if a.get("url") else e["source_path"]
    annotated = ""
    if a.get("evidence_images"):
        doc = {"source_path": a["source_path"], "doc_id": a["doc_id"]}
        annotated = (f'<br><a href="{EVIDENCE_DIR}/{escape(annotated_name(doc))}">'
                     f'{escape(label(lang, "批注版 PDF", "annotated PDF"))}</a>')
    return f'<td data-sort="{e["source_line"]}">{name}<br>{where}{annotated}<br><code>{e["anomaly_id"]}</code></td>'


def review_html(a: dict, lang: str) -> str:
    decision = a.get("review_decision")
    if not decision:
        return ""
    who = " · ".join(escape(str(a[k])) for k in ("reviewer", "review_date") if a.get(k))
    note = f"：{escape(a['review_note'])}" if a.get("review_note") else ""
    return (f'<br><span class="review {escape(decision)}">{escape(label(lang, *DECISIONS[decision]))}</span>'
            f"{note} <span class=\"en\">{who}</span>")


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def cell(a: dict, column: str, lang: str) -> str:
    e = {k: escape(str(v)) if v is not None else "" for k, v in a.items()}
    rule = RULES[a["rule_id"]]
    if column == "severity":
        name = escape(label(lang, *SEVERITY_NAMES[a["severity"]]))
        return f'<td data-sort="{"ewi".index(a["severity"][0])}">{name}</td>'
    if column == "rule":
        names = escape(rule.name_en) if lang == "en" else \
            f'{escape(rule.name_zh)}<br><span class="en">{escape(rule.name_en)}</span>'
        return f"<td>{names}<br><code>{e['rule_id']}</code></td>"
    if column == "message":
        text = e["message_en"] if lang == "en" else f'{e["message_zh"]}<br><span class="en">{e["message_en"]}</span>'
        return f"<td>{text}{review_html(a, lang)}</td>"
    if column == "evidence":
        return f'<td class="evidence">{evidence_html(a, lang)}</td>'
    if column == "source":
        return source_html(a, e, lang)
    if column == "observed":
        dev = (f'<span class="dev">{label(lang, "偏差", "deviation")} {number(a["deviation"])} · '
               f'{label(lang, "容差", "tolerance")} {number(a["tolerance"])}</span>')
        return f"<td>{e['observed']}{dev}</td>"
    return f"<td>{e[column]}</td>"


def table_html(rows: list[dict], lang: str) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in WIDTHS)
    head = "".join(f"<th>{escape(label(lang, zh, en))}</th>" for _, zh, en in COLUMNS)
    body = "".join(
        f'<tr class="row {escape(r["severity"])}" id="{escape(r["anomaly_id"])}" '
        f'data-severity="{escape(r["severity"])}" '
        f'data-rule="{escape(r["rule_id"])}" data-review="{escape(r.get("review_decision") or "none")}">'
        + "".join(cell(r, c, lang).replace("<td", f'<td data-label="{escape(label(lang, zh, en))}"', 1)
                  for c, zh, en in COLUMNS) + "</tr>"
        for r in rows)
    return (f'<table class="sortable"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def counts(rows: list[dict]) -> str:
    by = {s: sum(r["severity"] == s for r in rows) for s in SEVERITIES}
    return " · ".join(f"{s} {n}" for s, n in by.items() if n)


def group_by_unit(anomalies: pa.Table) -> dict[tuple, dict[tuple, list[int]]]:
    """Anomalies (their row numbers) by unit (region, org_unit, year; the file where none is known),
    then by file and project."""
    units: dict[tuple, dict[tuple, list[int]]] = defaultdict(lambda: defaultdict(list))
    columns = [anomalies.column(c).to_pylist() for c in ("region", "org_unit", "fiscal_year", "source_path",
                                                          "project")]
    for i, (region, org_unit, year, path, project) in enumerate(zip(*columns, strict=True)):
        key = (region, org_unit, year) if any((region, org_unit, year)) else (None, None, None, path)
        units[key][(path, project or "")].append(i)
    return units


def unit_name(key: tuple) -> str:
    return " · ".join(str(x) for x in key[:3] if x) or str(key[-1])


def controls(total: int, lang: str) -> str:
    sev = "".join(f'<option value="{s}">{escape(label(lang, *SEVERITY_NAMES[s]))}</option>' for s in SEVERITIES)
    rules = "".join(f'<option value="{escape(r.rule_id)}">{escape(r.name_en if lang == "en" else r.name_zh)} · '
                    f"{escape(r.rule_id)}</option>" for r in RULES.values())
    reviews = "".join(f'<option value="{d}">{escape(label(lang, *names))}</option>' for d, names in DECISIONS.items())
    return (f'<div id="controls"><input id="q" type="search" placeholder="{label(lang, "搜索", "Search")}…"> '
            f'<select id="sev"><option value="">{label(lang, "全部级别", "All severities")}</option>{sev}</select> '
            f'<select id="rule"><option value="">{label(lang, "全部规则", "All rules")}</option>{rules}</select> '
            f'<select id="rev"><option value="">{label(lang, "全部复核状态", "Any review")}</option>'
            f'<option value="none">{label(lang, "未复核", "not reviewed")}</option>{reviews}</select> '
            f'<span class="count">{label(lang, "显示", "shown")} <span id="shown">{total}</span> / {total}'
            "</span></div>")


def stale_section(stale: list[dict], lang: str) -> str:
    if not stale:
        return ""
    rows = "".join(f"<li><code>{escape(r['anomaly_id'])}</code> {escape(r['decision'])}"
                   f"{' — ' + escape(r['note']) if r.get('note') else ''}</li>" for r in stale)
    title = label(lang, "过期的复核结论（对应异常已不存在）", "Stale reviews (their anomaly is gone)")
    return f'<section id="stale"><h2>{title} ({len(stale)})</h2><ul>{rows}</ul></section>'


MAX_OPEN_INDEX = 20  # more units: the index of units starts folded


def units_index(entries: list[tuple], lang: str) -> str:
    """The units, those with most errors first, each linked to its section."""
    items = "".join(e[-1] for e in sorted(entries))
    title = label(lang, f"{len(entries)} 个单位（错误最多者在前）", f"{len(entries)} units, most errors first")
    return (f'<details{" open" if len(entries) <= MAX_OPEN_INDEX else ""}><summary>{title}</summary>'
            f'<ul class="units">{items}</ul></details>')


def render(anomalies: list[dict] | pa.Table, documents: list[dict] | None = None, stale: list[dict] | None = None,
           lang: str = "zh") -> str:
    return "".join(page_parts(anomalies, documents, stale, lang))


def page_parts(anomalies: list[dict] | pa.Table, documents: list[dict] | None = None,
               stale: list[dict] | None = None, lang: str = "zh") -> Iterator[str]:
    """The page, part by part: the anomalies are held as Arrow columns and made into rows one unit's
    section at a time, so the page of a large corpus is never held whole."""
    table = anomalies if isinstance(anomalies, pa.Table) else to_arrow("anomalies", anomalies)
    units = sorted(group_by_unit(table).items(), key=lambda u: [str(x or "") for x in u[0]])
    severities = table.column("severity").to_pylist()
    toc = []
    for key, projects in units:
        all_rows = [{"severity": severities[i]} for rows in projects.values() for i in rows]
        toc.append((-sum(r["severity"] == "error" for r in all_rows), -len(all_rows), unit_name(key),
                    f'<li><a href="#{anchor_of(key)}">{escape(unit_name(key))}</a> <span class="count">'
                    f"({counts(all_rows)})</span></li>"))
    empty = "" if len(table) else f"<p>{label(lang, '未发现异常。', 'No anomalies found.')}</p>"
    about = label(lang, "“应为”按文件自身的数字计算；只有超出印刷精度（末位数字的半个单位）的差异才列出。"
                        "证据取自原文件：PDF 为原页截图，红框为所引单元格。",
                  "Expected values come from the document's own figures; only differences beyond what printed "
                  "precision allows (half a unit of the last printed digit) are listed. Evidence is read back "
                  "from the source file: for PDF, a crop of the page with the cited cells boxed in red.")
    title = label(lang, "绩效自评异常清单", "Anomalies in the budget-performance self-evaluations")
    everything = [{"severity": s} for s in severities]
    yield (f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">{VIEWPORT}'
           f"<title>{title}</title><style>{STYLE}</style><script>{SORT_SCRIPT}{FILTER_SCRIPT}</script>"
           "</head><body>"
           f"<h1>{title} ({counts(everything) or 0})</h1>{colophon(documents or [], 'anomalies', lang)}"
           f'<p class="en">{about}</p>{units_index(toc, lang)}{controls(len(table), lang)}{empty}')
    for key, projects in units:
        groups, all_rows = [], []
        for (path, project), indices in projects.items():
            rows = table.take(indices).to_pylist()
            all_rows += [{"severity": r["severity"]} for r in rows]
            groups.append(f'<details class="project" open><summary>{escape(project or label(lang, *NO_PROJECT))} '
                          f'<span class="count">({counts(rows)}) · <code>{escape(str(path))}</code></span></summary>'
                          f"{table_html(rows, lang)}</details>")
        yield (f'<section class="unit" id="{anchor_of(key)}"><h2>{escape(unit_name(key))} '
               f'<span class="count">({counts(all_rows)})</span></h2>{"".join(groups)}</section>')
    yield f"{stale_section(stale or [], lang)}</body></html>\n"


def anchor_of(key: tuple) -> str:
    return unit_anchor(*key[:3]) if len(key) == 3 else unit_anchor(None, key[3], None)  # by file


def write_html(anomalies: list[dict] | pa.Table, path: Path, documents: list[dict] | None = None,
               stale: list[dict] | None = None, lang: str = "zh") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        f.writelines(page_parts(anomalies, documents, stale, lang))
