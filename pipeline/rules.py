"""The rules the validate stage checks, as data: id, family, severity and a message in Chinese and English.

A rule's check rows are built in ``pipeline.checks``; whether a row passes is decided by the Great
Expectations suite ``expectations/<family>.json`` (one expectation per rule, linked by
``meta.rule_id``). Messages are ``str.format`` templates over the check row: ``{expected}``,
``{observed}``, ``{field}``, ``{project}``.
"""
from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")
# Our severities as Great Expectations calls them (its expectations carry a severity too).
GX_SEVERITY = {"error": "critical", "warning": "warning", "info": "info"}


@dataclass(frozen=True)
class Rule:
    rule_id: str
    family: str
    severity: str
    name_zh: str
    name_en: str
    message_zh: str
    message_en: str


RULES_LIST: tuple[Rule, ...] = (
    # scores: the arithmetic of a form's weights and scores
    Rule("score_total", "scores", "error", "得分合计", "Score total",
         "各项得分之和为 {expected}，表中总分/合计为 {observed}",
         "The item scores add up to {expected}, but the form prints a total of {observed}"),
    Rule("weight_total", "scores", "error", "分值合计", "Weight total",
         "各项分值之和应为 {expected}，实为 {observed}（{field}）",
         "The weights should total {expected}, but {field} is {observed}"),
    Rule("weight_level1", "scores", "error", "一级指标分值", "Level-1 weight",
         "一级指标“{field}”下各项分值之和为 {observed}，所标分值为 {expected}",
         "The items under level-1 indicator “{field}” weigh {observed} in all, but it is printed as {expected}"),
    Rule("weight_level2", "scores", "error", "二级指标分值", "Level-2 weight",
         "二级指标“{field}”下各项分值之和为 {observed}，所标分值为 {expected}",
         "The items under level-2 indicator “{field}” weigh {observed} in all, but it is printed as {expected}"),
    Rule("score_range", "scores", "error", "得分超出分值", "Score outside 0..weight",
         "“{field}”得分 {observed}，应在 {expected} 之间",
         "“{field}” scores {observed}; a score must lie in {expected}"),
    # execution: budget lines, execution rate and its score
    Rule("rate_formula", "execution", "error", "执行率计算", "Execution rate = B/A",
         "{field}执行率印为 {observed}，按表中数字计算为 {expected}",
         "The {field} execution rate is printed as {observed}, but the form's own figures give {expected}"),
    Rule("executed_within_budget", "execution", "warning", "执行数超预算", "Executed above budget",
         "{field}执行数 {observed} 超过预算数 {expected}",
         "{field}: executed {observed} exceeds the budget of {expected}"),
    Rule("fund_lines_sum", "execution", "error", "资金来源合计", "Funding lines add up",
         "{field}：其中各项之和为 {expected}，合计行印为 {observed}",
         "{field}: the lines under the total add up to {expected}, but the total line prints {observed}"),
    Rule("execution_score_rule", "execution", "error", "预算执行得分", "Budget-execution score",
         "预算执行得分为 {observed}，按“执行率×分值（不超过分值）”应为 {expected}",
         "The budget-execution score is {observed}; the rule (rate × weight, capped at the weight) gives {expected}"),
    # indicators: scores against targets
    Rule("full_marks_target_missed", "indicators", "error", "未达标却得满分", "Full marks, target missed",
         "“{field}”目标 {expected}，实际 {observed}，未达标却得满分",
         "“{field}” has target {expected} and actual {observed}: the target was missed, yet it got full marks"),
    # consistency: across tables, forms and reports of one document
    Rule("list_total", "consistency", "error", "项目清单合计", "Project list total",
         "项目清单各项之和为 {expected}，合计行印为 {observed}",
         "The project list's rows add up to {expected}, but its total row prints {observed}"),
    Rule("list_vs_form", "consistency", "warning", "清单与自评表金额", "List amount vs form",
         "项目清单中“{project}”金额为 {observed}，其自评表中为 {expected}",
         "The project list gives “{project}” {observed}; its form gives {expected}"),
    Rule("cross_form", "consistency", "error", "同一项目多表不一致", "Same project, different figures",
         "“{project}”的{field}在不同表中分别为 {expected} 和 {observed}",
         "“{project}”: {field} is {expected} in one form and {observed} in another"),
    Rule("claim_arithmetic", "consistency", "error", "文字计算错误", "Arithmetic in the text",
         "报告写明 {observed}，按其算式计算为 {expected}",
         "The report states {observed}; its own arithmetic gives {expected}"),
    Rule("claim_vs_form", "consistency", "error", "报告与表格不一致", "Report vs form",
         "报告中“{project}”的{field}为 {observed}，表中为 {expected}",
         "The report gives {field} of “{project}” as {observed}; the form prints {expected}"),
    Rule("title_project", "consistency", "warning", "标题与项目名称不符", "Title names another project",
         "表标题所指项目为“{expected}”，而项目名称为“{observed}”",
         "The form's title names project “{expected}”, but its 项目名称 is “{observed}”"),
)
RULES: dict[str, Rule] = {r.rule_id: r for r in RULES_LIST}
# Rules that hold only for a form read in full. On a document the pipeline understood in part
# (status partial), a break may be our gap rather than the document's: reported as info.
NEEDS_WHOLE_FORM = frozenset({"score_total", "weight_total", "weight_level1", "weight_level2", "fund_lines_sum",
                              "list_total"})
ROUNDING_NOTE = ("（若表中整数金额系四舍五入所得，此差异可由取整解释）",
                 " (explained by rounding if the whole-number amounts were rounded)")
PARTIAL_NOTE = ("（该文档部分内容未能识别，表格可能不完整）",
                " (part of this document was not understood: the form may be incomplete)")
OCR_NOTE = ("（表中数字系 OCR 从扫描图像识别，最低置信度 {conf:.2f}，请对照原件核实）",
            " (the form's figures were read by OCR from a scan, lowest confidence {conf:.2f}: check the original)")
OCR_TRUSTED = 0.98  # an anomaly on OCR figures keeps an error severity only when every figure was read this surely
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(r.family for r in RULES_LIST))


def message(rule_id: str, row: dict, partial: bool = False, rounding: bool = False,
            ocr_conf: float | None = None) -> tuple[str, str]:
    """(Chinese, English) message of a failed check row; ``ocr_conf`` when it rests on OCR figures."""
    rule = RULES[rule_id]
    values = {k: "" if row.get(k) is None else row[k] for k in ("expected", "observed", "field", "project")}
    zh, en = rule.message_zh.format(**values), rule.message_en.format(**values)
    if partial and rule_id in NEEDS_WHOLE_FORM:
        zh, en = zh + PARTIAL_NOTE[0], en + PARTIAL_NOTE[1]
    if rounding:
        zh, en = zh + ROUNDING_NOTE[0], en + ROUNDING_NOTE[1]
    if ocr_conf is not None:
        zh, en = zh + OCR_NOTE[0].format(conf=ocr_conf), en + OCR_NOTE[1].format(conf=ocr_conf)
    return zh, en


def severity(rule_id: str, document_status: str | None, rounding: bool = False,
             ocr_conf: float | None = None) -> str:
    """A rule's severity, lowered to info where the document was only partly understood, or
    where whole-number amounts read at their own precision would explain the break; an error
    on figures OCR read less than surely is a warning (a misread digit may be the cause)."""
    if rounding or (document_status == "partial" and rule_id in NEEDS_WHOLE_FORM):
        return "info"
    if RULES[rule_id].severity == "error" and ocr_conf is not None and ocr_conf < OCR_TRUSTED:
        return "warning"
    return RULES[rule_id].severity
