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
    ("project_selfeval", ("项目支出绩效自评表", "项目绩效自评表", "项目绩效目标自评表")),
]

# Header cells of a form's meta rows: label -> field. The value is the next non-empty cell.
META_LABELS: dict[str, str] = {
    "项目名称": "project",
    "政策(项目)名称": "project",
    "部门": "org_unit",
    "项目主管部门": "department",
    "资金使用单位": "implementer",
    "主管部门": "department",
    "实施单位": "implementer",
    "预算单位名称": "org_unit",
    "单位名称": "org_unit",
    "部门名称": "org_unit",
    "部门(单位)名称": "org_unit",
    "预算单位编码": "budget_code",
    "单位编码": "budget_code",
    "项目编码": "project_code",
    "自评等级": "grade",
    "绩效等级": "grade",
    "项目类型": "project_type",
    "填报单位": "org_unit",
    "填报日期": "report_date",
    "填报时间": "report_date",
}

# Indicator table columns: field -> header synonyms (longest are tried first).
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标",),
    "target": ("年度指标值", "年度目标值", "预期指标值", "预算指标值", "指标值", "目标值"),
    # Sichuan/Yunnan split 年度指标值 into three columns; the parts are joined back into the target.
    "target_op": ("指标性质",),
    "target_unit": ("度量单位", "计量单位"),
    "actual": ("实际完成值", "全年实际值", "实际完成情况", "预算指标值执行结果", "执行结果", "完成值", "实际值"),
    "weight": ("分值", "权重"),
    "score": ("自评得分", "自评分数", "自评分", "得分"),
    "note": ("偏差原因分析及改进措施", "未完成原因分析", "偏差原因分析", "偏差", "自评依据",
             "预算指标值与预算指标值执行结果偏差"),
    # Columns that hold a position in the grid but no contract field (scoring-sheet criteria).
    "criteria": ("具体指标", "评价标准", "评分标准", "评分办法", "指标解释", "指标说明"),
}
# Indicator fields whose text is kept; the others only hold a column position.
INDICATOR_FIELDS = ("target", "actual", "weight", "score", "note")
# Parts of a split target, in print order: 指标性质 + 指标值 + 度量单位 -> `≥735人次`.
TARGET_PARTS = ("target_op", "target", "target_unit")

# Level-1 and level-2 indicator names, compared after removing `（N分）` and whitespace. A name
# in both lists is level 1 when the next name is a level-2 name (成本指标 is either).
LEVEL1_NAMES = (
    "产出指标", "效益指标", "满意度指标", "成本指标",
    "项目决策", "项目管理", "项目产出", "项目效益", "项目绩效", "决策", "过程", "产出", "效益", "投入",
    "效果", "管理", "满意度",
)
LEVEL2_NAMES = (
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "生态环境效益指标", "可持续影响指标", "满意度指标", "服务对象满意度指标", "社会公众或服务对象满意度指标",
    "经济成本指标", "社会成本指标", "生态环境成本指标",
    "经济效益", "社会效益", "生态效益", "可持续影响", "服务对象满意度",  # templates without 指标
)
# A level-2 name may carry the template's `等` (`服务对象满意度指标等`).
LEVEL_NAME_SUFFIXES = ("等",)
# Cells after the indicator rows that end them (the total row may follow).
INDICATOR_END_LABELS = ("其他需要说明事项", "其他需要说明的事项", "评价结论", "存在问题", "改进措施",
                        "项目负责人", "财务负责人", "填报人", "填报日期", "联系电话", "备注")
# Self-assessed grades as printed after the total or under 自评等级.
GRADES = ("优秀", "优", "良好", "良", "中", "合格", "差", "不合格")

# Budget (fund) table columns.
FUND_COLUMNS: dict[str, tuple[str, ...]] = {
    "budget_initial": ("年初预算数", "年初预算"),
    "budget_full_year": ("全年预算数", "调整后预算数", "预算数", "预算额"),
    "executed": ("全年执行数", "预算执行数", "执行数", "执行额"),
    "weight": ("分值", "权重"),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分",),
}

# Budget rows: printed label -> contract ``line``. The first is the form's total.
FUND_LINES: dict[str, str] = {
    "年度资金总额": "年度资金总额",
    "本年财政拨款": "本年财政拨款",
    "财政拨款": "本年财政拨款",
    "当年财政拨款": "本年财政拨款",
    "财政资金": "本年财政拨款",
    "总额": "年度资金总额",
    "上年结转资金": "上年结转资金",
    "其他资金": "其他资金",
    # 部门整体支出绩效目标完成情况表 splits its 合计 by kind of spending.
    "基本支出": "基本支出",
    "政策和项目支出": "政策和项目支出",
}
# The line that carries a form's budget totals (项目自评表: 年度资金总额; 目标完成情况表: 合计).
FUND_TOTAL_LINES = ("年度资金总额", "合计")

GOAL_HEADERS = ("年度总体目标",)
GOAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "goal": ("预期目标", "预算总体目标", "年度目标"),
    "result": ("实际完成情况", "预算总体目标执行结果", "执行结果", "实际完成"),
    "deviation": ("预算总体目标与预算总体目标执行结果偏差", "偏差情况"),
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

# Flow text (PDF text with the grid lost): words that are not data.
# A report's title line ends with 报告 and says what kind of report it is.
REPORT_TITLE_WORDS = ("绩效", "评价")
# Column header words of a scoring sheet (计分表), repeated on every page: a line made only of
# these (after norm_key) is a header, not a cell.
SCORING_HEADER_WORDS = ("一级指标", "二级指标", "三级指标", "一级", "二级", "三级", "指标", "指标解释",
                        "指标说明(评价计分标准)", "指标说明", "评分标准", "自评分数", "自评", "分数",
                        "自评依据及说明", "自评依据", "依据及说明", "及说明", "依据", "分值")
# Indicator names that group rows in a goal table (目标完成情况表): level 1, level 2. A row's
# wrapped names are read against these; what follows them is the 三级 name.
GOAL_LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标", "成本指标", "完成指标", "项目完成", "项目效益",
                     "项目产出", "效果指标")
GOAL_LEVEL2_NAMES = ("数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会成本指标",
                     "生态环境成本指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标",
                     "满意度指标", "服务对象满意度指标")
# The 年度绩效指标 block label, repeated where a page breaks the block.
GOAL_BLOCK_LABEL = "年度绩效指标"
# Printed in the 执行结果 / 偏差 columns: a row ends with one of these.
GOAL_ACTUAL_WORDS = ("已完成", "未完成", "基本完成", "部分完成", "全部完成", "已达成", "未达成")
GOAL_DEVIATION_WORDS = ("无偏差", "有偏差")
# A target cell opens with a comparator or says it is qualitative.
GOAL_TARGET_OPENERS = ("≥", "≤", "=", "＝", "<", ">", "＜", "＞", "≧", "≦", "定性")
# The common indicator names of scoring sheets (财政部 共性指标框架). They settle where a wrapped
# name begins when the text before it gives no clue; other names are read from the text alone.
SCORING_NAMES = frozenset((
    "投入", "过程", "产出", "效果", "效益", "项目立项", "资金落实", "业务管理", "财务管理", "项目产出",
    "项目效益", "目标设定", "预算配置", "预算执行", "预算管理", "资产管理", "绩效管理", "职责履行",
    "履职效益", "项目立项规范性", "绩效目标合理性", "绩效指标明确性", "资金到位率", "到位及时率",
    "管理制度健全性", "制度执行有效性", "项目质量可控性", "资金使用合规性", "财务监控有效性",
    "实际完成率", "完成及时率", "质量达标率", "成本节约率", "经济效益", "社会效益", "生态效益",
    "可持续影响", "社会公众或服务对象满意度", "服务对象满意度",
))
