"""Who published a page and for which year, from its lines alone: labelled names (in form rows,
cover pages and run-on text dumps), titles (`保山市图书馆2022年度项目支出绩效自评报告`), 发布机构
lines, the signature block and the opening sentence. Every document has lines, so even a page
whose forms are not understood gets its unit and year. Words are in ``templates/metadata.toml``.
"""
from __future__ import annotations

from functools import cache

import regex

from parsers.meta_text import _label_pattern
from parsers.templates import load_templates
from parsers.text import find_year, norm_key

RUN_ON_LEN = 200          # a line this long without breaks is a text dump: labels sit anywhere in it
MAX_NAME_LEN = 40
_VALUE_END = regex.compile(r"[|\n\t]|\s{2,}")
_DATE = regex.compile(r"20\d\d\s*年\s*\d{1,2}\s*月|20\d\d[-/.]\d{1,2}[-/.]\d{1,2}")
_DATE_LINE = regex.compile(r"^20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_HAN_RUN = regex.compile(r"[\p{Han}()（）]+$")
# `卢龙县人民政府办公室2022年财政衔接…报告`, `相山区人大办公室部门绩效自评项目清单`.
_ORG_IN_TITLE = regex.compile(r"^(?:[^:：]{0,6}[:：])?(?P<org>\p{Han}[\p{Han}()（）]{3,30}?)(?:部门|单位)?(?:整体)?"
                              r"(?:20\d\d\s*年?度?)?(?:绩效|项目|部门|预算|财政|单位)")


def _words(section: str, key: str) -> list[str]:
    return load_templates().vocabulary["metadata"][section][key]


@cache
def _place_pattern() -> regex.Pattern:
    suffixes = "|".join(sorted(_words("places", "suffixes"), key=len, reverse=True))
    return regex.compile(r"\p{Han}{1,7}?(?:" + suffixes + r")(?![省县区旗市州盟镇乡])")


def places(name: str | None) -> list[str]:
    """The chain of places a name opens with: `攀枝花市仁和区同德镇人民政府` -> [攀枝花市, 仁和区, 同德镇]."""
    key, found, pos = norm_key(name), [], 0
    while m := _place_pattern().match(key, pos):
        found.append(m[0])
        pos = m.end()
    return found


def county_of(name: str | None) -> str | None:
    """The county-level place a name opens with (the last of its chain), else None."""
    county, cities = tuple(_words("places", "county")), _county_cities()
    counties = [p for p in places(name) if p.endswith(county) or p in cities]
    return counties[-1] if counties else None


@cache
def _county_cities() -> frozenset[str]:
    return frozenset(_words("places", "county_cities"))


def clean_unit(name: str | None) -> str | None:
    key = norm_key(name)
    for suffix in _words("units", "drop_suffixes"):
        key = key.removesuffix(suffix)
    return key or None


def looks_like_unit(name: str | None) -> bool:
    """A unit's name: Chinese words ending in a unit word (局, 办公室, 中心 ...), no figures."""
    key = clean_unit(name) or ""
    return (2 <= len(key) <= MAX_NAME_LEN and bool(_HAN_RUN.match(key))
            and key.endswith(tuple(_words("units", "suffixes"))))


def is_full_unit_name(name: str | None) -> bool:
    """A unit's name that opens with its place (`宁波市奉化区交通运输局`, not `区交通运输局`)."""
    return looks_like_unit(name) and bool(places(name)) and clean_unit(name) not in places(name)


@cache
def _label_regex() -> tuple[regex.Pattern, list[str]]:
    labels = {w: kind for kind in ("unit", "implementer", "department", "publisher", "ignored")
              for w in _words("labels", kind)}
    ordered = sorted(labels, key=len, reverse=True)
    pattern = regex.compile("|".join(f"(?P<l{i}>{_label_pattern(w)})" for i, w in enumerate(ordered)))
    return pattern, [labels[w] for w in ordered]


def labelled_units(lines: list[str]) -> dict[str, list[str]]:
    """label kind (unit, implementer, department, publisher) -> the full unit names printed after
    such labels, in order. A label opens a cell or a line, except in run-on dumps."""
    pattern, kinds = _label_regex()
    found: dict[str, list[str]] = {}
    for line in with_values_joined(lines, pattern):
        hits = [(m.start(), m.end(), kinds[int(m.lastgroup[1:])]) for m in pattern.finditer(line)
                if len(line) >= RUN_ON_LEN or m.start() == 0 or not regex.match(r"\p{Han}", line[m.start() - 1])]
        for n, (_, end, kind) in enumerate(hits):
            stop = hits[n + 1][0] if n + 1 < len(hits) else len(line)
            value = _VALUE_END.split(line[end:stop].strip(" :：|\u3000\u00a0"), maxsplit=1)[0]
            value = regex.sub(r"^[\dA-Za-z]+\s*[-－—]\s*", "", value)   # `219001-单位名称`
            if kind != "ignored" and is_full_unit_name(value):
                found.setdefault(kind, []).append(clean_unit(value))
    return found


def with_values_joined(lines: list[str], pattern: regex.Pattern) -> list[str]:
    """A line that is only a label (one cell per line: `发文单位:` then `鄂州市行政审批局`) is read
    with the line after it."""
    out: list[str] = []
    for n, line in enumerate(lines):
        label = line.strip(" :：|\u3000\u00a0")
        if n + 1 < len(lines) and label and (m := pattern.fullmatch(label)):
            out.append(f"{m[0]}:{lines[n + 1]}")
        else:
            out.append(line)
    return out


def title_unit(title: str) -> str | None:
    """The unit a title opens with (`红河州数据发展中心2024年度项目支出绩效单位自评报告`)."""
    m = _ORG_IN_TITLE.match(norm_key(title))
    return clean_unit(m["org"]) if m and is_full_unit_name(m["org"]) else None


def title_lines(lines: list[str]) -> list[str]:
    """Short lines that read as titles (they speak of 绩效, 自评, 预算 ...)."""
    words = tuple(_words("years", "title_words"))
    limit = load_templates().vocabulary["metadata"]["years"]["max_title_len"]
    return [ln for ln in lines if len(norm_key(ln)) <= limit and any(w in ln for w in words)]


def title_head_units(lines: list[str]) -> list[str]:
    """A unit's name alone on the line above a title (`安岳县人大常委会办公室` / `2023年度…自评报告`)."""
    titles = set(title_lines(lines))
    return [clean_unit(line) for line, after in zip(lines, lines[1:], strict=False)
            if after in titles and is_full_unit_name(line)]


def signature_unit(lines: list[str]) -> str | None:
    """The unit signing the report: its name alone on a line, the date on the next."""
    for line, after in zip(lines, lines[1:], strict=False):
        if _DATE_LINE.match(norm_key(after)) and is_full_unit_name(line):
            return clean_unit(line)
    return None


@cache
def _self_named() -> regex.Pattern:
    words = "|".join(regex.escape(w) for w in _words("sentences", "self_words"))
    return regex.compile(rf"(?:{words})[(（](?P<name>\p{{Han}}{{4,{MAX_NAME_LEN}}})[)）]")


def sentence_unit(lines: list[str]) -> str | None:
    """The unit an opening sentence names: `我局（南召县民政局）`, or `X(以下简称“…”)` before its
    short name."""
    for line in lines:
        key = norm_key(line)
        if (m := _self_named().search(key)) and is_full_unit_name(m["name"]):
            return clean_unit(m["name"])
        for marker in _words("sentences", "short_name_markers"):
            at = key.find(norm_key(marker))
            if at > 0 and (run := _HAN_RUN.search(key[:at])):
                text = run[0]
                names = [text[i:] for i in range(len(text)) if is_full_unit_name(text[i:])]
                if names:
                    return clean_unit(names[0])
    return None


def year_of(text: str) -> int | None:
    """The fiscal year a text states (`2021年度`), never a date's (`2022年11月04日`, `2022-08-05`)."""
    return find_year(_DATE.sub(" ", text))


def lines_year(lines: list[str]) -> int | None:
    """The year of the first title line stating one, else the first year the text states."""
    for line in [*title_lines(lines), *lines]:
        if year := year_of(line):
            return year
    return None


def read_document_meta(lines: list[str]) -> dict:
    """What the lines say: ``{"units": {source: [names]}, "titles": [...], "fiscal_year"}``,
    sources in ``labelled_units`` kinds plus title, sentence and signature."""
    titles = title_lines(lines)
    units = labelled_units(lines)
    for source, names in (("title", [*(title_unit(t) for t in titles), *title_head_units(lines)]),
                          ("sentence", [sentence_unit(lines)]),
                          ("signature", [signature_unit(lines)])):
        if names := [n for n in names if n]:
            units[source] = names
    return {"units": units, "titles": titles, "fiscal_year": lines_year(lines)}
