"""The words that recognize forms and map their columns, as the recognizers use them.

The words themselves are data: ``parsers/templates/*.toml`` (``common.toml`` plus one file per
template family, merged by ``parsers.templates.load_templates``). This module only gives the
merged tables the shapes the recognizers read. Keys are compared after ``text.norm_key`` (NFKC,
whitespace removed), so ``一级\\n指标`` matches ``一级指标``.
"""
from __future__ import annotations

from functools import cache

from parsers.templates import load_templates

_V = load_templates().vocabulary


def _columns(table: str) -> dict[str, tuple[str, ...]]:
    return {name: tuple(words) for name, words in _V["columns"][table].items()}


TITLE_RULES = load_templates().titles
TITLE_SCOPE_DEPT_WORDS: tuple[str, ...] = tuple(_V["title_rules"]["scope_words_dept"])
TITLE_EXCLUDES: tuple[str, ...] = tuple(_V["title_rules"]["exclude"])
MAX_TITLE_LEN: int = _V["title_rules"]["max_length"]

META_LABELS: dict[str, str] = dict(_V["meta_labels"])
INDICATOR_COLUMNS = _columns("indicator")
# Indicator fields whose text is kept; the others only hold a column position.
INDICATOR_FIELDS = ("target", "actual", "weight", "score", "note")
# Parts of a split target, in print order: 指标性质 + 指标值 + 度量单位 -> `≥735人次`.
TARGET_PARTS = ("target_op", "target", "target_unit")
FUND_COLUMNS = _columns("fund")
GOAL_COLUMNS = _columns("goal")
PROJECT_LIST_COLUMNS = _columns("project_list")
FUND_LINES: dict[str, str] = dict(_V["fund_lines"])
FUND_SECTIONS: dict[str, str] = dict(_V.get("fund_sections", {}))

LEVEL1_NAMES: tuple[str, ...] = tuple(_V["levels"]["level1"])
LEVEL2_NAMES: tuple[str, ...] = tuple(_V["levels"]["level2"])
LEVEL_NAME_SUFFIXES: tuple[str, ...] = tuple(_V["levels"]["suffixes"])
LEVEL_NAMES: frozenset[str] = frozenset(LEVEL1_NAMES) | frozenset(LEVEL2_NAMES)

INDICATOR_END_LABELS: tuple[str, ...] = tuple(_V["labels"]["indicator_end"])
TOTAL_LABELS: tuple[str, ...] = tuple(_V["labels"]["total"])
SERIAL_HEADERS: tuple[str, ...] = tuple(_V["labels"]["serial"])
GRADES: tuple[str, ...] = tuple(_V["labels"]["grades"])
GOAL_HEADERS: tuple[str, ...] = tuple(_V["labels"]["goal_headers"])
FUND_TOTAL_LINES: tuple[str, ...] = tuple(_V["labels"]["fund_total_lines"])
PROJECT_LIST_TITLES: tuple[str, ...] = tuple(_V["labels"]["project_list_titles"])
INDICATOR_NATURES: frozenset[str] = frozenset(_V["labels"]["indicator_natures"])
QUALITATIVE_VALUES: tuple[str, ...] = tuple(_V["labels"]["qualitative_values"])
NAME_ENDINGS: tuple[str, ...] = tuple(_V["labels"]["indicator_name_endings"])
GRADED_ACTUALS: tuple[str, ...] = tuple(_V["labels"]["graded_actuals"])
QUALITATIVE_TARGETS: tuple[str, ...] = tuple(_V["labels"]["qualitative_targets"])
COLUMN_TYPES: dict[str, str] = dict(_V["column_types"])
SECTION_LABELS: tuple[str, ...] = tuple(_V["labels"]["sections"])
FUND_BLOCK_LABELS: tuple[str, ...] = tuple(_V["labels"]["fund_blocks"])
MEASURE_UNITS: frozenset[str] = frozenset(_V["units"]["measure"])
COMPARATORS: dict[str, str] = dict(_V["comparators"])
COMPARATOR_SUFFIXES: dict[str, str] = dict(_V["comparator_suffixes"])
MONEY_UNITS: dict[str, float] = {unit: float(scale) for unit, scale in _V["money_units"].items()}

REPORT_TITLE_WORDS: tuple[str, ...] = tuple(_V["report"]["title_words"])

_FLOW = _V["flow"]
SCORING_HEADER_WORDS: tuple[str, ...] = tuple(_FLOW["scoring_header_words"])
GOAL_LEVEL1_NAMES: tuple[str, ...] = tuple(_FLOW["goal_level1"])
GOAL_LEVEL2_NAMES: tuple[str, ...] = tuple(_FLOW["goal_level2"])
GOAL_BLOCK_LABEL: str = _FLOW["goal_block_label"]
GOAL_ACTUAL_WORDS: tuple[str, ...] = tuple(_FLOW["goal_actual_words"])
GOAL_DEVIATION_WORDS: tuple[str, ...] = tuple(_FLOW["goal_deviation_words"])
GOAL_TARGET_OPENERS: tuple[str, ...] = tuple(_FLOW["goal_target_openers"])
SCORING_NAMES: frozenset[str] = frozenset(_FLOW["scoring_names"])


@cache
def template_words() -> frozenset[str]:
    """Every word the templates print as a cell of its own (column headers, labels, level names),
    as ``text.norm_key`` keys them: what cuts run-on text and mends a word spacing cut apart."""
    from parsers.text import norm_key

    columns = (INDICATOR_COLUMNS, FUND_COLUMNS, GOAL_COLUMNS)
    terms = {w for synonyms in columns for words in synonyms.values() for w in words}
    terms |= set(FUND_LINES) | set(META_LABELS) | set(TOTAL_LABELS) | set(GOAL_HEADERS)
    terms |= set(LEVEL1_NAMES) | set(LEVEL2_NAMES) | {n + s for n in LEVEL2_NAMES for s in LEVEL_NAME_SUFFIXES}
    terms |= set(FUND_BLOCK_LABELS) | set(SECTION_LABELS) | set(INDICATOR_END_LABELS) | set(SERIAL_HEADERS)
    return frozenset(norm_key(t) for t in terms)
