"""What the page itself says about a form beyond its labelled cells: codes printed in front of
names (`51000021R000000019951-工资性支出`, `219001-池州市贵池区棠溪镇人民政府`) and the page heading
(`持证残疾人基本状况调查2021年预算绩效自评`) that names the project of a sheet without 项目名称."""
from __future__ import annotations

import regex

from parsers.text import clean_cell

# A code is letters/digits with at least 3 digits, joined to the name by a dash; before a name
# that opens with a year (`…-2023年全县…项目`) only a long code counts (`2023-2025年…` is a span).
_CODED = regex.compile(r"^(?P<code>(?=[0-9A-Za-z]*\d{3})[0-9A-Za-z]{3,})\s*[-－—_]\s*(?P<name>\p{Han}.*)$"
                       r"|^(?P<code>[0-9A-Za-z]{8,})\s*[-－—_]\s*(?P<name>\d{4}年度?\p{Han}.*)$")
_HEADING = regex.compile(r"^(?P<name>.+?)\s*(?:(?P<year>20\d\d)\s*年度?)?\s*(?:项目)?(?:预算|支出)?绩效(?:自评|评价)")
# meta field whose printed code becomes which record field
CODE_FIELDS = {"project": "project_code", "implementer": "budget_code", "org_unit": "budget_code",
               "department": None}


def split_code(value: str | None) -> tuple[str | None, str | None]:
    """(code, name) for `219001-单位名称`; (None, value) when no code is printed."""
    m = _CODED.match(value or "")
    return (m["code"], m["name"].strip()) if m else (None, value)


def apply_codes(form: dict) -> None:
    """Move printed codes out of names into ``meta[project_code|budget_code]``."""
    for field, code_field in CODE_FIELDS.items():
        holder = form if field == "project" else form["meta"]
        code, name = split_code(holder.get(field))
        if code is None:
            continue
        holder[field] = name
        if code_field:
            form["meta"].setdefault(code_field, code)


def page_heading(rows: list[list[dict]]) -> dict | None:
    """``{"text", "line", "project", "fiscal_year"}`` from the first heading line naming a
    绩效自评/绩效评价 before the first form, or None."""
    for row in rows:
        for cell in row:
            text = clean_cell(cell["text"])
            if text and (m := _HEADING.match(text)):
                return {"text": text, "line": cell["line"], "project": m["name"].strip() or None,
                        "fiscal_year": int(m["year"]) if m["year"] else None}
    return None
