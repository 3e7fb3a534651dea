"""Infer a document's region, org_unit and fiscal year from what its forms, titles and lines say.

The unit is the first trustworthy name in this order: a department-level form's unit, a
labelled unit on the page, the unit a title opens with (or the line above it), the forms'
预算单位 / 实施单位, the page's 实施单位 / 主管部门 labels, an opening sentence, the signature, the
发布机构 line. The region is the county-level place the unit (else a title) opens with; cities
are not regions.
"""
from __future__ import annotations

from collections import Counter

from parsers.document_meta import clean_unit, county_of, lines_year, looks_like_unit, read_document_meta, title_unit
from parsers.document_meta import year_of as title_year

DEPT_KINDS = ("dept_selfeval", "dept_scoring", "dept_goal_completion")


def region_of(name: str | None) -> str | None:
    """The county-level place a unit or title opens with, else None."""
    return county_of(name)


def org_from_titles(titles: list[str]) -> str | None:
    return next((org for t in titles if (org := title_unit(t))), None)


def most_common(values: list) -> object | None:
    values = [v for v in values if v is not None]
    return Counter(values).most_common(1)[0][0] if values else None


def form_units(forms: list[dict], field: str, kinds: tuple[str, ...] | None = None) -> list[str]:
    names = [clean_unit(f["meta"].get(field)) for f in forms if kinds is None or f["kind"] in kinds]
    return [n for n in names if looks_like_unit(n)]


def infer_metadata(parsed: dict, titles: list[str]) -> dict:
    """``{"region", "org_unit", "fiscal_year"}`` from the parse result (its forms, and its
    ``lines``: the document's text lines) and the titles; unknown stays None."""
    forms = parsed.get("forms", [])
    lines = [b["text"] for b in parsed.get("lines", [])]
    page = read_document_meta(lines)
    units = page["units"]
    all_titles = [*titles, *page["titles"]]
    candidates = [most_common(form_units(forms, "org_unit", DEPT_KINDS)), *units.get("unit", [])[:1],
                  org_from_titles(titles), *units.get("title", [])[:1], most_common(form_units(forms, "org_unit")),
                  most_common(form_units(forms, "implementer")), *units.get("implementer", [])[:1],
                  *units.get("department", [])[:1], *units.get("sentence", []), *units.get("signature", []),
                  *units.get("publisher", [])[:1]]
    org_unit = next((c for c in candidates if c), None)
    region = region_of(org_unit) or next((r for t in all_titles if (r := region_of(t))), None)
    # The page heading (`X2021年预算绩效自评`) states the year the page reports on; a reused
    # template's title may still carry the year before.
    heading = parsed.get("heading") or {}
    year = heading.get("fiscal_year") or most_common([f.get("fiscal_year") for f in forms])
    if year is None:
        year = most_common([title_year(t) for t in titles]) or lines_year(lines)
    return {"region": region, "org_unit": org_unit, "fiscal_year": year}
