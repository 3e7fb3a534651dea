"""Infer a document's region, org_unit and fiscal year from what its forms and titles say."""
from __future__ import annotations

from collections import Counter

import regex

from parsers.text import norm_key

DEPT_KINDS = ("dept_selfeval", "dept_scoring", "dept_goal_completion")
# A chain of places at the start of a name: `淮北市相山区人大办公室` -> [淮北市, 相山区].
_PLACE = regex.compile(r"\p{Han}{1,7}?(?:自治县|自治旗|新区|省|县|区|旗|市|州|盟)(?![省县区旗市州盟])")
COUNTY_SUFFIXES = ("县", "区", "旗", "新区", "自治县", "自治旗")
# `相山区人大办公室部门绩效自评项目清单` -> 相山区人大办公室.
_ORG_IN_TITLE = regex.compile(r"^(?P<org>\p{Han}{4,30}?)(?:部门|单位)?(?:整体)?(?:20\d\d年度?)?(?:绩效|项目)")
_YEAR = regex.compile(r"(20\d{2})\s*年")


def region_of(name: str | None) -> str | None:
    """The county-level place a unit or title starts with, else its city, else None."""
    key, places, pos = norm_key(name), [], 0
    while m := _PLACE.match(key, pos):
        places.append(m[0])
        pos = m.end()
    counties = [p for p in places if p.endswith(COUNTY_SUFFIXES)]
    cities = [p for p in places if not p.endswith("省")]
    if counties:
        return counties[-1]
    return cities[0] if cities else None


def org_from_titles(titles: list[str]) -> str | None:
    for title in titles:
        m = _ORG_IN_TITLE.match(norm_key(title))
        if m and region_of(m["org"]):
            return m["org"]
    return None


def most_common(values: list) -> object | None:
    values = [v for v in values if v is not None]
    return Counter(values).most_common(1)[0][0] if values else None


def infer_metadata(parsed: dict, titles: list[str]) -> dict:
    """``{"region", "org_unit", "fiscal_year"}`` from the parse result; unknown stays None."""
    forms = parsed.get("forms", [])
    dept_units = [f["meta"].get("org_unit") for f in forms if f["kind"] in DEPT_KINDS]
    org_unit = (most_common(dept_units) or org_from_titles(titles)
                or most_common([f["meta"].get("org_unit") for f in forms])
                or most_common([f["meta"].get("implementer") for f in forms]))  # 实施单位 publishes its own form
    region = region_of(org_unit) or most_common([region_of(t) for t in titles])
    # The page heading (`X2021年预算绩效自评`) states the year the page reports on; a reused
    # template's title may still carry the year before.
    heading = parsed.get("heading") or {}
    year = heading.get("fiscal_year") or most_common([f.get("fiscal_year") for f in forms])
    if year is None:
        year = most_common([int(m[1]) for t in titles for m in [_YEAR.search(t)] if m])
    return {"region": region, "org_unit": org_unit, "fiscal_year": year}
