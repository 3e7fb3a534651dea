"""What a published page says about itself: when and with what it was made, which inputs it
covers and which it does not, and the links between the pages. Shared by ``anomalies.html``
and ``summary.html``; labels in Chinese (with English beside them) or English (``lang="en"``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from html import escape
from importlib import metadata

# Page -> (file in reports/, Chinese title, English title)
PAGES = {"anomalies": ("anomalies.html", "异常清单", "Anomalies"),
         "summary": ("summary.html", "单位对比", "Unit comparison"),
         "csv": ("anomalies.csv", "异常清单 CSV", "Anomalies as CSV")}
# Document statuses whose files were not (fully) checked.
NOT_CHECKED = {"failed": ("读取失败", "failed"), "unsupported": ("不支持", "unsupported"),
               "partial": ("部分识别", "partly understood")}
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def label(lang: str, zh: str, en: str) -> str:
    """A label as the page's language prints it: Chinese with English beside it, or English only."""
    return en if lang == "en" else f"{zh} {en}"


def tool_version() -> str:
    try:
        return f"jixiao {metadata.version('jixiao')}"
    except metadata.PackageNotFoundError:
        return "jixiao (not installed)"


def generated_on() -> str:
    """Today (UTC), or the date of SOURCE_DATE_EPOCH for reproducible pages."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.strftime("%Y-%m-%d %H:%M UTC")


def coverage(documents: list[dict]) -> tuple[int, list[dict]]:
    """Files read, and those not (fully) checked: failed, unsupported or partly understood."""
    return len(documents), [d for d in documents if d.get("status") in NOT_CHECKED]


def colophon(documents: list[dict], page: str, lang: str) -> str:
    """Links to the other pages and the CSV, the generation date and tool, the input coverage."""
    links = " · ".join(f'<a href="{file}">{escape(label(lang, zh, en))}</a>'
                       for name, (file, zh, en) in PAGES.items() if name != page)
    read, gaps = coverage(documents)
    status = {s: sum(d.get("status") == s for d in gaps) for s in NOT_CHECKED}
    counts = "，".join(f"{n} {label(lang, *NOT_CHECKED[s])}" for s, n in status.items() if n) or label(
        lang, "无", "none")
    listed = "".join(
        f"<li><code>{escape(str(d.get('source_path')))}</code> — {escape(label(lang, *NOT_CHECKED[d['status']]))}"
        f"{': ' + escape(str(d['error'])) if d.get('error') else ''}</li>" for d in gaps)
    details = (f"<details><summary>{escape(label(lang, '未核查（或未完全核查）的文件', 'Files not (fully) checked'))}"
               f"</summary><ul>{listed}</ul></details>") if gaps else ""
    made = label(lang, "生成于", "Generated") + f" {generated_on()} · {escape(tool_version())}"
    read_text = label(lang, f"读取文件 {read} 个，其中未核查或未完全核查：", f"{read} files read; not (fully) checked:")
    return (f'<nav class="colophon"><p>{links}</p><p>{made}</p><p>{read_text} {counts}</p>{details}</nav>')


def unit_anchor(region: object, org_unit: object, fiscal_year: object) -> str:
    """The id of a unit's section on anomalies.html (summary.html links to it)."""
    def text(v: object) -> str:
        if v is None or v != v:  # None or NaN
            return ""
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    key = "|".join(text(v) for v in (region, org_unit, fiscal_year))
    return "unit-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


# Click a header of a `table.sortable` to sort by that column (numbers by value: a cell's
# data-sort when given, else its text); click again to reverse.
SORT_SCRIPT = """
function cellKey(td){var t=td.getAttribute('data-sort')||td.textContent.trim();var n=parseFloat(t);
  return (t!==''&&!isNaN(n)&&/^-?[0-9.]+/.test(t))?[0,n]:[1,t];}
function sortTable(th){var table=th.closest('table'),i=Array.prototype.indexOf.call(th.parentNode.children,th),
  tbody=table.tBodies[0],rows=Array.from(tbody.rows),asc=th.getAttribute('data-asc')!=='1';
  rows.sort(function(a,b){var x=cellKey(a.cells[i]),y=cellKey(b.cells[i]);
    var c=x[0]-y[0]||(x[1]<y[1]?-1:x[1]>y[1]?1:0);return asc?c:-c;});
  rows.forEach(function(r){tbody.appendChild(r);});th.setAttribute('data-asc',asc?'1':'0');}
document.addEventListener('DOMContentLoaded',function(){
  document.querySelectorAll('table.sortable thead tr:last-child th').forEach(function(th){
    th.addEventListener('click',function(){sortTable(th);});});});
"""
