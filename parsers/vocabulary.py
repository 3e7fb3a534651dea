"""The words that recognize forms and map their columns: data, not code.

A new template should mostly need entries here. Keys are compared after ``text.norm_key``
(NFKC, whitespace removed), so ``一级\\n指标`` matches ``一级指标``.
"""
from __future__ import annotations

# Form titles, most specific first: the first title contained in a short title line wins.
FORM_TITLES: list[tuple[str, tuple[str, ...]]] = [
    ("dept_scoring", ("部门整体支出绩效自评计分表", "部门整体支出绩效评价计分表")),
    ("project_scoring", ("项目支出绩效自评计分表", "项目支出绩效自评指标计分表", "项目支出绩效评价计分表")),
    ("dept_goal_completion", ("部门整体支出绩效目标完成情况表",)),
    ("project_goal_completion", ("项目支出绩效目标完成情况表",)),
    ("dept_selfeval", ("部门整体支出绩效自评表",)),
    ("project_selfeval", ("项目支出绩效自评表", "项目绩效自评表")),
]

# Header cells of a form's meta rows: label -> field. The value is the next non-empty cell.
META_LABELS: dict[str, str] = {
    "项目名称": "project",
    "主管部门": "department",
    "实施单位": "implementer",
    "预算单位名称": "org_unit",
    "单位名称": "org_unit",
    "部门名称": "org_unit",
    "预算单位编码": "budget_code",
    "单位编码": "budget_code",
    "项目编码": "project_code",
    "自评等级": "grade",
    "绩效等级": "grade",
    "项目类型": "project_type",
}

# Indicator table columns: field -> header synonyms (longest are tried first).
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标",),
    "target": ("年度指标值", "年度目标值", "预期指标值", "预算指标值", "指标值", "目标值"),
    "actual": ("实际完成值", "全年实际值", "实际完成情况", "执行结果", "完成值", "实际值"),
    "weight": ("分值", "权重"),
    "score": ("自评得分", "自评分数", "自评分", "得分"),
    "note": ("偏差原因分析及改进措施", "未完成原因分析", "偏差原因分析", "偏差", "自评依据"),
}

# Budget (fund) table columns.
FUND_COLUMNS: dict[str, tuple[str, ...]] = {
    "budget_initial": ("年初预算数",),
    "budget_full_year": ("全年预算数", "调整后预算数", "预算数", "预算额"),
    "executed": ("全年执行数", "预算执行数", "执行数", "执行额"),
    "weight": ("分值",),
    "rate": ("执行率",),
    "score": ("得分",),
}

# Budget rows: printed label -> contract ``line``. The first is the form's total.
FUND_LINES: dict[str, str] = {
    "年度资金总额": "年度资金总额",
    "本年财政拨款": "本年财政拨款",
    "财政拨款": "本年财政拨款",
    "上年结转资金": "上年结转资金",
    "其他资金": "其他资金",
}
# The line that carries a form's budget totals (项目自评表: 年度资金总额; 目标完成情况表: 合计).
FUND_TOTAL_LINES = ("年度资金总额", "合计")

GOAL_HEADERS = ("年度总体目标",)
GOAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "goal": ("预期目标", "预算总体目标", "年度目标"),
    "result": ("实际完成情况", "执行结果", "实际完成"),
}

TOTAL_LABELS = ("总分", "合计", "总计")

# Project list (项目清单) columns.
PROJECT_LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "project": ("项目名称",),
    "amount": ("金额", "预算金额", "资金金额", "项目金额"),
    "note": ("备注",),
}
PROJECT_LIST_TITLES = ("项目清单", "项目汇总", "项目一览")

# Money units as printed in headers, to yuan.
MONEY_UNITS: dict[str, float] = {"元": 1.0, "百元": 100.0, "千元": 1000.0, "万元": 10000.0, "亿元": 1e8}
