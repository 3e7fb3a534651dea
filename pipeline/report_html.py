"""``reports/anomalies.html``: the anomaly list as one self-contained page (no server, no network).

Grouped by unit and project; every table sorts by a click on its header; a search box and
severity/rule selectors filter the rows. Everything taken from a document is HTML-escaped.
"""
from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from pipeline.rules import RULES, SEVERITIES

COLUMNS = (("severity", "级别 Severity"), ("rule", "规则 Rule"), ("field", "对象 Item"),
           ("observed", "实为 Printed"), ("expected", "应为 Expected"), ("message", "说明 Finding"),
           ("evidence", "证据 Evidence"), ("source", "出处 Source"))
WIDTHS = (6, 12, 9, 8, 12, 22, 19, 12)  # percent, same for every table so that groups line up

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} h2{font-size:1.2em;margin-top:1.6em;border-bottom:2px solid #888}
details{margin:.6em 0 .6em 1em} summary{font-weight:bold;cursor:pointer}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.4em 0;table-layout:fixed}
th,td{border:1px solid #ccc;padding:.3em .45em;vertical-align:top;text-align:left}
th{background:#f0f0f0;cursor:pointer;user-select:none} th:after{content:" ⇅";color:#aaa}
tr.error td:first-child{background:#f8d7da} tr.warning td:first-child{background:#fff3cd}
tr.info td:first-child{background:#d1ecf1} .en{color:#555} .evidence{white-space:pre-wrap} td{overflow-wrap:anywhere}
#controls{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd}
#controls input{width:22em} .count{color:#666;font-weight:normal}
"""

SCRIPT = """
function cellKey(td){var t=td.getAttribute('data-sort')||td.textContent.trim();var n=parseFloat(t);
  return (t!==''&&!isNaN(n)&&/^-?[0-9.]+/.test(t))?[0,n]:[1,t];}
function sortTable(th){var table=th.closest('table'),i=Array.prototype.indexOf.call(th.parentNode.children,th),
  tbody=table.tBodies[0],rows=Array.from(tbody.rows),asc=th.getAttribute('data-asc')!=='1';
  rows.sort(function(a,b){var x=cellKey(a.cells[i]),y=cellKey(b.cells[i]);
    var c=x[0]-y[0]||(x[1]<y[1]?-1:x[1]>y[1]?1:0);return asc?c:-c;});
  rows.forEach(function(r){tbody.appendChild(r);});th.setAttribute('data-asc',asc?'1':'0');}
function applyFilter(){var q=document.getElementById('q').value.toLowerCase(),
  sev=document.getElementById('sev').value,rule=document.getElementById('rule').value,shown=0;
  document.querySelectorAll('tr.row').forEach(function(tr){
    var ok=(!sev||tr.dataset.severity===sev)&&(!rule||tr.dataset.rule===rule)&&
      (!q||tr.textContent.toLowerCase().indexOf(q)>=0);tr.style.display=ok?'':'none';if(ok)shown++;});
  document.querySelectorAll('details,section').forEach(function(g){
    var any=Array.from(g.querySelectorAll('tr.row')).some(function(r){return r.style.display!=='none';});
    g.style.display=any?'':'none';});
  document.getElementById('shown').textContent=shown;}
document.addEventListener('DOMContentLoaded',function(){
  document.querySelectorAll('th').forEach(function(th){th.addEventListener('click',function(){sortTable(th);});});
  ['q','sev','rule'].forEach(function(id){document.getElementById(id).addEventListener('input',applyFilter);});});
"""


def cell(anomaly: dict, column: str) -> str:
    a = {k: escape(str(v)) if v is not None else "" for k, v in anomaly.items()}
    rule = RULES[anomaly["rule_id"]]
    if column == "severity":
        return f'<td data-sort="{"ewi".index(anomaly["severity"][0])}">{a["severity"]}</td>'
    if column == "rule":
        return (f'<td>{escape(rule.name_zh)}<br><span class="en">{escape(rule.name_en)}</span>'
                f'<br><code>{a["rule_id"]}</code></td>')
    if column == "message":
        return f'<td>{a["message_zh"]}<br><span class="en">{a["message_en"]}</span></td>'
    if column == "evidence":
        return f'<td class="evidence">{a["evidence"]}</td>'
    if column == "source":
        where = ", ".join(p for p in (f"p.{a['source_page']}" if a["source_page"] else "",
                                      f"line {a['source_line']}" if a["source_line"] else "") if p)
        return f'<td data-sort="{a["source_line"]}">{a["source_path"]}<br>{where}</td>'
    if column == "observed":
        return (f'<td title="偏差 deviation {a["deviation"]} · 容差 tolerance {a["tolerance"]}">'
                f'{a["observed"]}</td>')
    return f"<td>{a[column]}</td>"


def table(rows: list[dict]) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in WIDTHS)
    head = "".join(f"<th>{escape(label)}</th>" for _, label in COLUMNS)
    body = "".join(
        f'<tr class="row {escape(r["severity"])}" data-severity="{escape(r["severity"])}" '
        f'data-rule="{escape(r["rule_id"])}">' + "".join(cell(r, c) for c, _ in COLUMNS) + "</tr>"
        for r in rows)
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def counts(rows: list[dict]) -> str:
    by = {s: sum(r["severity"] == s for r in rows) for s in SEVERITIES}
    return " · ".join(f"{s} {n}" for s, n in by.items() if n)


def render(anomalies: list[dict]) -> str:
    units: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for a in anomalies:
        unit = " · ".join(str(x) for x in (a["region"], a["org_unit"], a["fiscal_year"]) if x) or a["source_path"]
        units[unit][a["project"] or "（部门整体 / 文档）"].append(a)
    sections = []
    for unit, projects in units.items():
        groups = "".join(
            f'<details open><summary>{escape(project)} <span class="count">({counts(rows)})</span></summary>'
            f"{table(rows)}</details>" for project, rows in projects.items())
        all_rows = [r for rows in projects.values() for r in rows]
        sections.append(f'<section><h2>{escape(unit)} <span class="count">({counts(all_rows)})</span></h2>'
                        f"{groups}</section>")
    sev_options = "".join(f'<option value="{s}">{s}</option>' for s in SEVERITIES)
    rule_options = "".join(f'<option value="{escape(r.rule_id)}">{escape(r.name_zh)} · {escape(r.rule_id)}</option>'
                           for r in RULES.values())
    controls = (f'<div id="controls"><input id="q" type="search" placeholder="搜索 Search…"> '
                f'<select id="sev"><option value="">全部级别 All severities</option>{sev_options}</select> '
                f'<select id="rule"><option value="">全部规则 All rules</option>{rule_options}</select> '
                f'<span class="count">显示 shown <span id="shown">{len(anomalies)}</span> / '
                f'{len(anomalies)}</span></div>')
    empty = "" if anomalies else "<p>未发现异常。No anomalies found.</p>"
    about = ("<p class=\"en\">“应为”按文件自身的数字计算；只有超出印刷精度（末位数字的半个单位）的差异才列出。"
             "Expected values come from the document's own figures; only differences beyond what printed "
             "precision allows (half a unit of the last printed digit) are listed. Hover a printed value "
             "for its deviation and tolerance.</p>")
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<title>绩效自评异常清单 · Anomalies</title>"
            f"<style>{STYLE}</style><script>{SCRIPT}</script></head><body>"
            f"<h1>绩效自评异常清单 · Anomalies in the disclosures ({counts(anomalies) or 0})</h1>"
            f"{about}{controls}{empty}{''.join(sections)}</body></html>\n")


def write_html(anomalies: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(anomalies), encoding="utf-8")
