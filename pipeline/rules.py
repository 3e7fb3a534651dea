"""The rules the validate stage checks, each declared once, beside its check function.

A rule is declared by decorating its check with ``@rule(...)`` in ``pipeline/checks/<family>.py``:
id, family, severity, Chinese and English names and message templates, and whether it checks one
form, one document or the whole corpus. Everything else is derived from these declarations: the check frames
(``pipeline.checks``), the Great Expectations suites ``expectations/<family>.json`` with the rule
table in ``expectations/README.md`` (``pipeline.suites``, ``make suites``), the anomaly messages.

Messages are ``str.format`` templates over the check row: ``{expected}``, ``{observed}``,
``{field}``, ``{project}``. The English one translates the Chinese labels it quotes (``field_en``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

SEVERITIES = ("error", "warning", "info")
# Our severities as Great Expectations calls them (its expectations carry a severity too) ...
GX_SEVERITY = {"error": "critical", "warning": "warning", "info": "info"}
# ... and back: a suite's severity decides an anomaly's.
FROM_GX_SEVERITY = {v: k for k, v in GX_SEVERITY.items()}
# A check is called with (tables, evaluation row) or (tables): the tables of one document, computed
# with its extraction; a corpus check with the rows of one group of forms across documents (``Across``).
FORM, DOCUMENT, CORPUS = "form", "document", "corpus"
SCOPES = (FORM, DOCUMENT, CORPUS)


@dataclass(frozen=True)
class Reads:
    """What a corpus check reads of one table: these columns (all when None), and only the rows
    whose ``where`` column passes the test (all when None), so validate never holds the corpus."""
    columns: tuple[str, ...] | None = None
    where: tuple[str, Callable[[object], bool]] | None = None


@dataclass(frozen=True)
class Across:
    """What a corpus check compares: the forms of one group (``group`` of an evaluation row, e.g.
    its unit and year; None: not compared), and what it reads of each table. It runs once per
    group, on the group's forms and the rows of other tables that belong to them (by eval_id)."""
    group: Callable[[dict], str | None]
    reads: dict[str, Reads]


FAMILY_DESCRIPTIONS = {
    "scores": "Arithmetic of a form's weights and scores (项目支出绩效自评表, 计分表).",
    "execution": "Budget lines, execution rate and the budget-execution score.",
    "indicators": "Indicator scores against their targets and the published scoring rules.",
    "consistency": "Agreement across project lists, forms and the reports about them.",
    "department": "Department-level figures across the attachments and the report of one document.",
}


@dataclass(frozen=True)
class Rule:
    rule_id: str
    family: str
    severity: str
    name_zh: str
    name_en: str
    message_zh: str
    message_en: str
    check: Callable
    scope: str = FORM
    # Holds only for a form read in full: on a document understood in part (status partial) a
    # break may be our gap rather than the document's, so it is reported as info.
    needs_whole_form: bool = False
    across: Across | None = None  # what a corpus check compares

    @property
    def description(self) -> str:
        """What the rule checks: the first line of its check's docstring."""
        return (self.check.__doc__ or self.name_en).strip().splitlines()[0]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, family: str, severity: str, name: tuple[str, str], message: tuple[str, str],
         scope: str = FORM, needs_whole_form: bool = False,
         across: Across | None = None) -> Callable[[Callable], Callable]:
    """Declare the rule a check function checks (its rows carry ``rule_id``); a corpus rule says
    what it compares ``across`` documents."""
    assert severity in SEVERITIES and family in FAMILY_DESCRIPTIONS and scope in SCOPES, rule_id
    assert (scope == CORPUS) == (across is not None), f"{rule_id}: a corpus rule (only) says what it compares"

    def declare(check: Callable) -> Callable:
        assert rule_id not in RULES, f"rule {rule_id} declared twice"
        assert check.__name__.startswith("check_"), f"rule {rule_id} decorates {check.__name__}, not a check"
        RULES[rule_id] = Rule(rule_id, family, severity, *name, *message, check, scope, needs_whole_form, across)
        return check
    return declare


def families() -> tuple[str, ...]:
    """The families that have rules, in the order of FAMILY_DESCRIPTIONS."""
    declared = {r.family for r in RULES.values()}
    return tuple(f for f in FAMILY_DESCRIPTIONS if f in declared)


def ordered() -> list[Rule]:
    """Every rule, family by family (in the order of FAMILY_DESCRIPTIONS), as declared within one."""
    return sorted(RULES.values(), key=lambda r: list(FAMILY_DESCRIPTIONS).index(r.family))


ROUNDING_NOTE = ("（若表中整数金额系四舍五入所得，此差异可由取整解释）",
                 " (explained by rounding if the whole-number amounts were rounded)")
PARTIAL_NOTE = ("（该文档部分内容未能识别，表格可能不完整）",
                " (part of this document was not understood: the form may be incomplete)")
OCR_NOTE = ("（表中数字系 OCR 从扫描图像识别，最低置信度 {conf:.2f}，请对照原件核实）",
            " (the form's figures were read by OCR from a scan, lowest confidence {conf:.2f}: check the original)")
OCR_TRUSTED = 0.98  # an anomaly on OCR figures keeps an error severity only when every figure was read this surely


# Money units as the English messages say them.
UNITS_EN = {"万元": "×10,000 yuan", "千元": "×1,000 yuan", "百元": "×100 yuan", "元": "yuan"}
_LONG_NUMBER = regex.compile(r"(?<![\d.,])(\d{4,})(?=(?:\.\d+)?(?![\d年]))")
_UNIT = regex.compile("|".join(UNITS_EN))


def with_thousands(text: str) -> str:
    """Numbers of four digits and more grouped by thousands (`25050 百元` -> `25,050 百元`), as
    `125,319.44` is printed: one style in every message. Years stay as they are."""
    return _LONG_NUMBER.sub(lambda m: f"{int(m[1]):,}", text)


def unquoted(template: str, values: dict[str, str]) -> str:
    """The template without its quotes around a value that brings its own (`“人大代表之家”…项目`):
    no doubled quotes."""
    for key, value in values.items():
        if "“" in value or "”" in value:
            template = template.replace(f"“{{{key}}}”", f"{{{key}}}")
    return template


def message(rule_id: str, row: dict, partial: bool = False, rounding: bool = False,
            ocr_conf: float | None = None) -> tuple[str, str]:
    """(Chinese, English) message of a failed check row; ``ocr_conf`` when it rests on OCR figures."""
    r = RULES[rule_id]
    values = {k: "" if row.get(k) is None else str(row[k]) for k in ("expected", "observed", "field", "project")}
    values.update({k: with_thousands(values[k]) for k in ("expected", "observed")})
    zh = unquoted(r.message_zh, values).format(**values)
    english = {**values, "field": row.get("field_en") or values["field"],
               **{k: _UNIT.sub(lambda m: UNITS_EN[m[0]], values[k]) for k in ("expected", "observed")}}
    en = unquoted(r.message_en, english).format(**english)
    if partial and r.needs_whole_form:
        zh, en = zh + PARTIAL_NOTE[0], en + PARTIAL_NOTE[1]
    if rounding:
        zh, en = zh + ROUNDING_NOTE[0], en + ROUNDING_NOTE[1]
    if ocr_conf is not None:
        zh, en = zh + OCR_NOTE[0].format(conf=ocr_conf), en + OCR_NOTE[1].format(conf=ocr_conf)
    return zh, en


def severity(rule_id: str, declared: str, document_status: str | None, rounding: bool = False,
             ocr_conf: float | None = None) -> str:
    """An anomaly's severity: the suite's (``declared``), lowered to info where the document was only
    partly understood, or where whole-number amounts read at their own precision would explain the break;
    an error on figures OCR read less than surely is a warning (a misread digit may be the cause)."""
    if rounding or (document_status == "partial" and RULES[rule_id].needs_whole_form):
        return "info"
    if declared == "error" and ocr_conf is not None and ocr_conf < OCR_TRUSTED:
        return "warning"
    return declared


# The declarations live beside their checks; importing the checks declares them.
from pipeline import checks as _checks  # noqa: E402,F401
