"""Test helpers: one form written as rows of spanned cells, rendered to HTML, DOCX and XLSX with
real merged cells, so each reader can be checked against the text of the same form.

A row lists its cells left to right as ``(text, rowspan, colspan)`` (or plain text for 1x1),
leaving out the positions covered by a merge from above, as HTML does.
"""
from __future__ import annotations

import html
import io

# 2022年度项目支出绩效自评表 of 永德县明朗中学 (Yunnan 公开14表), as in ../shared/corpus/real/r01.txt.
R01_YUNNAN: list[list] = [
    [("2022年度项目支出绩效自评表", 1, 7), ("部门:临沧市永德县明朗中学", 1, 3)],
    [("公开14表", 1, 10)],
    [("项目名称", 1, 2), ("义务教育营养改善计划专项资金", 1, 8)],
    [("主管部门", 1, 2), ("永德县教育体育局", 1, 3), ("实施单位", 1, 2), ("永德县明朗中学", 1, 3)],
    [("项目资金 (元)", 5, 2), ("", 1, 2), "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [("年度资金总额", 1, 2), "", "387664.62", "387664.62", "10", "100%", "10"],
    [("其中:当年财政 拨款", 1, 2), "", "387664.62", "387664.62", "—", "", "—"],
    [("上年结转 资金", 1, 2), "", "", "", "—", "", "—"],
    [("其他资金", 1, 2), "", "", "", "—", "", "—"],
    [("年度 总体 目标", 2, 2), ("预期目标", 1, 4), ("实际完成情况", 1, 4)],
    [("确保每一个学生都能享受到国家政策福利,改善学生体质", 1, 4),
     ("确保每一个学生都能享受到国家政策福利,改善学生体质", 1, 4)],
    [("一级指标", 2, 1), ("二级指标", 2, 1), ("三级指标", 2, 1), ("年度指标值", 1, 3), ("实际完成值", 2, 1),
     ("分值", 2, 1), ("得分", 2, 1), ("偏差原因分析及改进措施", 2, 1)],
    ["指标性质", "指标值", "度量单位"],
    [("产出指标", 4, 1), "数量指标", "学生受资助人数", "≧", "735", "人次", "735", "10", "10", ""],
    ["质量指标", "营养改善计划覆盖率", "≧", "100", "%", "100%", "10", "10", ""],
    ["时效指标", "资金到位及时率", "≧", "100", "%", "100%", "10", "7", ""],
    ["成本指标", "生均补助标准达标率", "═", "100", "%", "100%", "10", "10", ""],
    [("效益指标", 4, 1), "经济效益 指标", "减轻贫困学生家庭经济负担", ("有效", 1, 3), "有效", "10", "10", ""],
    ["社会效益 指标", "政策知晓率", "═", "100", "%", "98%", "10", "9", ""],
    ["生态效益 指标", "", "", "", "", "", "", "", ""],
    ["可持续影响 指标", "促进学校教育事业健康发展", "≧", "100", "%", "100%", "10", "10", ""],
    [("满意度指标", 2, 1), ("服务对象满意度指标等", 2, 1), "学生满意度", "≧", "95", "%", "100%", "10", "10", ""],
    ["家长满意度", "≧", "95", "%", "100%", "10", "10", ""],
    [("其他需要说明事项", 1, 3), ("无", 1, 3), "总分", "100", "96", "优"],
]


# 2020年项目支出绩效自评指标计分表 (scoring sheet) as in ../shared/corpus/real/r06.txt, whose page
# heading names the project; the criteria texts are shortened.
R06_HEADING = ["持证残疾人基本状况调查2021年预算绩效自评", "附件7", "2020年项目支出绩效自评指标计分表"]
R06_SCORING: list[list] = [
    ["一级 指标", "二级 指标", "三级 指标", "自评分", "具体指标", "评价标准", "得分"],
    [("项 目 决 策 (15分)", 4, 1), ("决策 过程 (8分)", 2, 1), "决策 依据 (4分)", "4", "有关法律法规的明确规定",
     "符合法律法规(1分) 针对某一实际问题和需求(1分)", ""],
    ["决策 程序 (4分)", "4", "项目符合申报条件", "符合申报条件(2分) 项目调整履行了相应手续(1分)", ""],
    [("资金 分配 (7分)", 2, 1), "分配 办法 (3分)", "3", "根据需要制定的相关资金管理办法",
     "有相应的资金管理办法(1分)", ""],
    ["分配 结果 (4分)", "4", "资金分配符合相关管理办法;分配结果公平合理", "符合分配办法(2分) 分配公平合理(2分)", ""],
    [("项 目 管 理 (25分)", 4, 1), ("资金 到位 (5分)", 2, 1), "到位率 (3分)", "3", "实际到位/计划到位*100%",
     "根据项目资金的实际到位率计算得分", ""],
    ["到位 时效 (2分)", "2", "资金及时到位", "到位及时(2分) 不及时但未影响项目进度(1分)", ""],
    [("资金 管理 (10分)", 2, 1), "资金 使用 (7分)", "7", "支出依据合规", "虚列套取扣4-7分", ""],
    ["财务 管理 (3分)", "3", "资金管理、费用支出等制度健全", "财务", ""],
]


# 部门预算项目支出绩效自评表 (Sichuan 510000 template) as in ../shared/corpus/real/r05.txt.
R05_SICHUAN: list[list] = [
    [("部门预算项目支出绩效自评表(2023年度)", 1, 11)],
    [("项目名称", 1, 2), ("51000021R000000019951-工资性支出", 1, 9)],
    [("主管部门", 1, 2), ("青神县发展和改革局本级", 1, 3), ("实施单位 (盖章)", 1, 2), ("青神县发展和改革局", 1, 4)],
    [("预算执行情况(10分)", 6, 1), "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重",
     "得分", ("原因", 1, 3)],
    ["总额", "238.93", "251.89", "251.89", "100.00%", "10", "", ("预算执行率未达到90%的需说明原因", 5, 3)],
    ["其中:财政资金", "238.93", "251.89", "251.89", "100.00%", "/", "/"],
    ["财政专户管理资金", "0.00", "0.00", "0.00", "0.00%", "/", "/"],
    ["单位资金", "0.00", "0.00", "0.00", "0.00%", "/", "/"],
    ["其他资金", "", "", "", "", "/", "/"],
    [("绩效指标(90分)", 4, 1), "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重",
     "得分", "未完成原因分析"],
    ["产出指标", "数量指标", "发放(缴纳)覆盖率", "=", "100", "%", "", "60", "", ""],
    ["效益指标", "社会效益指标", "足额保障率(参保率)", "=", "100", "%", "", "30", "", ""],
    [("合计", 1, 7), "100", "", ""],
    [("评价结论", 1, 2), ("结合自评情况,说明项目自评总分", 1, 9)],
]


# 部门整体支出绩效自评表 of 金寨县 (Anhui), as in ../shared/corpus/real/r02.txt (whose text is cut
# off at the 成本指标 row; here the grid ends with that row's empty template line).
R02_DEPT: list[list] = [
    [("部门整体支出绩效自评表", 1, 9)],
    [("(2023年度)", 1, 9)],
    [("部门", 1, 2), ("金寨县茶谷和美丽乡村建设服务中心", 1, 7)],
    [("预算资金 (万元)", 5, 1), "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
    ["年度资金总额", "329.77", "329.77", "338.31", "10", "102.59%", "", ""],
    ["其中:当年财政拨款", "329.77", "329.77", "338.31", "—", "102.59%", "—", ""],
    ["上年结转资金", "—", "—", "", "", "", "", ""],
    ["其他资金", "—", "—", "", "", "", "", ""],
    [("年度总体目标", 2, 1), ("预期目标", 1, 4), ("实际完成情况", 1, 4)],
    [("1.建设徽风皖韵美丽乡村", 1, 4), ("1.启动燕子河镇龙马村、花石乡大湾村等4个精品示范村建设", 1, 4)],
    [("绩 效 指 标", 10, 1), "一级指标", "二级指标", "三级指标", "年度 指标值", "实际 完成值", "分值", "得分",
     "偏差原因分析及改进措施"],
    [("产出指标", 9, 1), ("数量指标", 4, 1), "指标1:开展精品示范村建设数量", "≤4", "4", "10", "10", ""],
    ["指标2:建设美丽宜居自然村庄数量", "≥200", "202", "10", "10", ""],
    ["指标3:完成农村户用卫生厕所改造数量", "≥2000", "3061", "10", "10", ""],
    ["指标4:新建省级中心村数量", "≥10", "10", "10", "10", ""],
    [("质量指标", 2, 1), "指标1:美丽宜居自然村庄验收通过率", "≥95%", "100%", "5", "5", ""],
    ["指标2:户用卫生厕所改造验收通过率", "≥95%", "100%", "5", "5", ""],
    [("时效指标", 2, 1), "指标1:完成美丽宜居自然村庄验收时间", "9月前", "7月", "5", "5", ""],
    ["指标2:完成户用卫生厕所改造验收时间", "11月前", "10月", "5", "5", ""],
    ["成本指标", "指标1:", "", "", "", "", ""],
]


def placed(rows: list[list]) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of every cell, merges laid out as HTML does."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            text, rs, cs = (cell, 1, 1) if isinstance(cell, str) else cell
            while (r, c) in taken:
                c += 1
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            out.append((r, c, rs, cs, text))
            c += cs
    return out


def to_html(rows: list[list], before: tuple[str, ...] = ("附件",), layout_table: bool = False) -> bytes:
    """A page with paragraphs ``before`` the form; optionally wrapped in an outer layout table."""
    body = []
    for row in rows:
        tds = []
        for cell in row:
            text, rs, cs = (cell, 1, 1) if isinstance(cell, str) else cell
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            tds.append(f"<td{attrs}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    content = "".join(f"<p>{html.escape(p)}</p>" for p in before)
    content += "<table border='1'>\n" + "\n".join(body) + "\n</table>"
    if layout_table:
        content = f"<table><tr><td>导航</td></tr><tr><td>{content}</td></tr></table>"
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>绩效自评</title></head><body>"
            + content + "</body></html>")
    return page.encode("utf-8")


def to_docx(rows: list[list]) -> bytes:
    import docx

    cells = placed(rows)
    width = max(c + cs for _, c, _, cs, _ in cells)
    document = docx.Document()
    document.add_paragraph("附件")
    table = document.add_table(rows=len(rows), cols=width)
    for r, c, rs, cs, text in cells:
        top = table.cell(r, c)
        if rs > 1 or cs > 1:
            top = top.merge(table.cell(r + rs - 1, c + cs - 1))
        top.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_xlsx(rows: list[list]) -> bytes:
    """Numbers stored as numbers and rates as fractions with a % format, as spreadsheets do."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for r, c, rs, cs, text in placed(rows):
        cell = sheet.cell(row=r + 1, column=c + 1)
        decimals = len(text.rstrip("%").partition(".")[2])
        zeros = ("0." + "0" * decimals) if decimals else "0"
        if text.endswith("%") and _is_number(text[:-1]):
            cell.value, cell.number_format = float(text[:-1]) / 100, zeros + "%"
        elif _is_number(text):
            cell.value = float(text)
            if decimals:
                cell.number_format = zeros
        else:
            cell.value = text
        if rs > 1 or cs > 1:
            sheet.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + rs, end_column=c + cs)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_xls(rows: list[list]) -> bytes:
    """Legacy .xls (xlwt), numbers and rates stored as in ``to_xlsx``."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("自评表")
    for r, c, rs, cs, text in placed(rows):
        decimals = len(text.rstrip("%").partition(".")[2])
        zeros = ("0." + "0" * decimals) if decimals else "0"
        value, style = text, xlwt.XFStyle()
        if text.endswith("%") and _is_number(text[:-1]):
            value, style = float(text[:-1]) / 100, xlwt.easyxf(num_format_str=zeros + "%")
        elif _is_number(text):
            value, style = float(text), xlwt.easyxf(num_format_str=zeros)
        sheet.write_merge(r, r + rs - 1, c, c + cs - 1, value, style)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
