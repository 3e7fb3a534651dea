"""Render disclosures to PDF the way county offices export them (for tests and the benchmark).

A4 (or landscape), ruled tables drawn cell by cell so merged cells have no inner rulings,
一级指标 written vertically (stacked characters or rotated glyphs), text wrapped inside cells,
long tables split over pages with their top rows repeated, page numbers, titles between tables.
reportlab's built-in CID font STSong-Light needs no font files.

Tables come from form records (``parsers.recognizers.record``), so a document parsed from text can be
drawn back as the PDF holding the same tables; ``gold_forms`` turns gold annotations into
records, for templates whose text parser lives elsewhere.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape  # noqa: F401 - re-exported for callers
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    vertical: bool = False  # stacked characters (or rotated glyphs, see Style.rotate_vertical)


@dataclass
class Grid:
    """Rows of a ruled table: a Cell at each merged area's top-left, None where it covers."""
    widths: list[float]                 # column widths as fractions of the text width
    rows: list[list[Cell | None]] = field(default_factory=list)
    repeat_rows: int = 0                # top rows repeated on each continuation page

    def add(self, *cells: Cell) -> None:
        """Append a row; positions covered by spans from the left or from above stay None."""
        row: list[Cell | None] = [None] * len(self.widths)
        free = [c for c in range(len(self.widths)) if not self._covered(len(self.rows), c)]
        for cell in cells:
            col = free.pop(0)
            row[col] = cell
            free = [c for c in free if c >= col + cell.colspan]
        self.rows.append(row)

    def _covered(self, r: int, c: int) -> bool:
        for i, row in enumerate(self.rows):
            for j, cell in enumerate(row):
                if cell and i <= r < i + cell.rowspan and j <= c < j + cell.colspan:
                    return True
        return False


@dataclass
class Style:
    pagesize: tuple[float, float] = A4
    margin: float = 50.0
    font_size: float = 9.0
    title_size: float = 14.0
    padding: float = 3.0
    min_row: float = 16.0
    rotate_vertical: bool = False
    page_number: str = "- {n} -"        # "" for none; {n} page, {total} pages
    form_page_break: bool = True        # every form starts on a new page
    borders: str = "rect"               # "rect" per cell, "bars" (thin filled rectangles, as Word
                                        # exports them) or "lines" (four strokes, as Excel does)
    running_head: str = ""              # a line in the top margin of every page
    glyph_by_glyph: bool = False        # every character placed on its own
    sideways: bool = False              # pages laid out on pagesize, printed turned on a page of
                                        # the other orientation (wide tables in a portrait file)
    fake_bold: bool = False             # cell text printed twice, 0.3 pt apart
    continued_label: str = ""           # a line above each continued part of a table, e.g. 续表

    @property
    def leading(self) -> float:
        return self.font_size * 1.3


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines no wider than width, character by character (as CJK layout does)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if line and pdfmetrics.stringWidth(line + ch, FONT, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


class Renderer:
    """Lays items out top to bottom over pages; drawing is deferred until the page count is known."""

    def __init__(self, style: Style):
        self.style = style
        self.width, self.height = style.pagesize
        self.pages: list[list] = [[]]
        self.y = self.height - style.margin

    @property
    def text_width(self) -> float:
        return self.width - 2 * self.style.margin

    def new_page(self) -> None:
        """Start a page unless nothing has been placed on the current one yet."""
        if self.y < self.height - self.style.margin:
            self.pages.append([])
        self.y = self.height - self.style.margin

    def draw(self, paint) -> None:
        """Anything else on the current page (an image, a watermark): paint(canvas) at render time."""
        self.pages[-1].append(("draw", paint))
        self.y = min(self.y, self.height - self.style.margin - 1)  # the page is in use

    def room(self) -> float:
        return self.y - self.style.margin

    def text(self, text: str, size: float | None = None, center: bool = False) -> None:
        size = size or self.style.font_size
        lines = wrap(text, self.text_width, size)
        if self.room() < size * 1.5 * len(lines) + 40:  # keep a title with what follows it
            self.new_page()
        for line in lines:
            self.y -= size * 1.5
            x = (self.width - pdfmetrics.stringWidth(line, FONT, size)) / 2 if center else self.style.margin
            self.pages[-1].append(("text", x, self.y + size * 0.3, line, size))

    def cell_lines(self, cell: Cell, width: float) -> list[str]:
        inner = width - 2 * self.style.padding
        if cell.vertical and not self.style.rotate_vertical:
            return [line for ch in wrap_vertical(cell.text) for line in wrap(ch, inner, self.style.font_size)]
        if cell.vertical:
            return [cell.text]
        return wrap(cell.text, inner, self.style.font_size)

    def needed(self, cell: Cell, width: float) -> float:
        s = self.style
        if cell.vertical and s.rotate_vertical:
            return pdfmetrics.stringWidth(cell.text, FONT, s.font_size) + 2 * s.padding
        return len(self.cell_lines(cell, width)) * s.leading + 2 * s.padding

    def row_heights(self, grid: Grid, widths: list[float]) -> list[float]:
        heights = [self.style.min_row] * len(grid.rows)
        spans = []
        for r, row in enumerate(grid.rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                need = self.needed(cell, sum(widths[c:c + cell.colspan]))
                if cell.rowspan == 1:
                    heights[r] = max(heights[r], need)
                else:
                    spans.append((r, cell.rowspan, need))
        for r, n, need in spans:
            short = need - sum(heights[r:r + n])
            if short > 0:
                heights[r + n - 1] += short
        return heights

    def table(self, grid: Grid) -> None:
        widths = [w * self.text_width / sum(grid.widths) for w in grid.widths]
        heights = self.row_heights(grid, widths)
        place = self.paginate(grid, heights, widths)
        xs = [self.style.margin + sum(widths[:c]) for c in range(len(widths) + 1)]
        for r, row in enumerate(grid.rows):
            for c, cell in enumerate(row):
                if cell is not None:
                    self.draw_cell(cell, r, xs[c], xs[c + cell.colspan], place, heights)
        for page, top, r in place["repeats"]:
            for c, cell in enumerate(grid.rows[r]):
                if cell is not None:
                    self.pages[page].append(("cell", cell, xs[c], xs[c + cell.colspan], top, top - heights[r], True))

    def paginate(self, grid: Grid, heights: list[float], widths: list[float]) -> dict:
        """Page and top y of every row; a row that does not fit goes to the next page (with the
        repeated rows drawn above it), unless that would cut a merged cell before its text fits."""
        tops: dict[int, tuple[int, float]] = {}
        repeats: list[tuple[int, float, int]] = []
        page_start, r = 0, 0
        while r < len(grid.rows):
            if heights[r] > self.room() and r > page_start:
                r = self.break_row(grid, heights, widths, page_start, r)
                for k in range(r, len(grid.rows)):
                    tops.pop(k, None)
                self.new_page()
                if self.style.continued_label:
                    self.text(self.style.continued_label)
                page_start = r
                for k in range(min(grid.repeat_rows, r)):
                    repeats.append((len(self.pages) - 1, self.y, k))
                    self.y -= heights[k]
            elif heights[r] > self.room() and r == 0:
                self.new_page()
            tops[r] = (len(self.pages) - 1, self.y)
            self.y -= heights[r]
            r += 1
        self.y -= self.style.leading
        return {"tops": tops, "repeats": repeats}

    def break_row(self, grid: Grid, heights: list[float], widths: list[float], page_start: int, r: int) -> int:
        """The row to start the next page with: r, or the start of a merged cell whose text needs
        more room than is left above the break (the text is drawn in its first part)."""
        for i in range(page_start + 1, r):
            for c, cell in enumerate(grid.rows[i]):
                if cell and i + cell.rowspan > r and \
                        self.needed(cell, sum(widths[c:c + cell.colspan])) > sum(heights[i:r]):
                    return i
        return r

    def draw_cell(self, cell: Cell, r: int, x0: float, x1: float, place: dict, heights: list[float]) -> None:
        """One rectangle per page the merged cell reaches; the text goes in the first one."""
        parts: dict[int, list[int]] = {}
        for k in range(r, r + cell.rowspan):
            page, _ = place["tops"][k]
            parts.setdefault(page, []).append(k)
        for n, (page, rows) in enumerate(parts.items()):
            top = place["tops"][rows[0]][1]
            bottom = top - sum(heights[k] for k in rows)
            self.pages[page].append(("cell", cell, x0, x1, top, bottom, n == 0))

    def render(self) -> bytes:
        buf = io.BytesIO()
        sideways = self.style.sideways
        pdf = canvas.Canvas(buf, pagesize=(self.height, self.width) if sideways else self.style.pagesize)
        total = len(self.pages)
        for number, ops in enumerate(self.pages, start=1):
            pdf.setLineWidth(0.5)
            if sideways:  # the page's layout turned a quarter left onto a page of the other orientation
                pdf.translate(self.height, 0)
                pdf.rotate(90)
            for op in ops:
                if op[0] == "text":
                    pdf.setFont(FONT, op[4])
                    pdf.drawString(op[1], op[2], op[3])
                elif op[0] == "draw":
                    op[1](pdf)
                else:
                    self.paint_cell(pdf, *op[1:])
            if self.style.running_head:
                pdf.setFont(FONT, self.style.font_size)
                pdf.drawRightString(self.width - self.style.margin, self.height - self.style.margin / 2,
                                    self.style.running_head)
            if self.style.page_number:
                label = self.style.page_number.format(n=number, total=total)
                pdf.setFont(FONT, self.style.font_size)
                pdf.drawCentredString(self.width / 2, self.style.margin / 2, label)
            pdf.showPage()
        pdf.save()
        return buf.getvalue()

    def paint_cell(self, pdf: canvas.Canvas, cell: Cell, x0: float, x1: float, top: float, bottom: float,
                   with_text: bool) -> None:
        s = self.style
        if s.borders == "bars":  # four thin bars, each cell's own: neighbours' bars overlap
            for x, y, w, h in ((x0, top - 0.6, x1 - x0, 0.6), (x0, bottom, x1 - x0, 0.6),
                               (x0, bottom, 0.6, top - bottom), (x1 - 0.6, bottom, 0.6, top - bottom)):
                pdf.rect(x, y, w, h, stroke=0, fill=1)
        elif s.borders == "lines":
            pdf.lines([(x0, top, x1, top), (x1, top, x1, bottom), (x1, bottom, x0, bottom), (x0, bottom, x0, top)])
        else:
            pdf.rect(x0, bottom, x1 - x0, top - bottom)
        if not with_text or not cell.text:
            return
        pdf.setFont(FONT, s.font_size)
        if cell.vertical and s.rotate_vertical:
            pdf.saveState()
            pdf.translate((x0 + x1) / 2 + s.font_size * 0.35, bottom + s.padding)
            pdf.rotate(90)
            pdf.drawString(0, 0, cell.text)
            pdf.restoreState()
            return
        lines = self.cell_lines(cell, x1 - x0)
        block = len(lines) * s.leading
        y = (top + bottom) / 2 + block / 2 - s.font_size  # vertically centred, as exporters do
        for line in lines:
            x = (x0 + x1 - pdfmetrics.stringWidth(line, FONT, s.font_size)) / 2 if cell.vertical else x0 + s.padding
            self.paint_line(pdf, x, y, line)
            y -= s.leading

    def paint_line(self, pdf: canvas.Canvas, x: float, y: float, line: str) -> None:
        """One line of a cell: a string, or glyph by glyph (as Word places justified text), and
        twice over with a small shift where the style fakes bold (as exporters do for CJK)."""
        s = self.style
        for shift in (0.0, 0.3) if s.fake_bold else (0.0,):
            if not s.glyph_by_glyph:
                pdf.drawString(x + shift, y, line)
                continue
            text = pdf.beginText()  # one text object, each glyph moved to its place (as Word does)
            text.setFont(FONT, s.font_size)
            at = x + shift
            for ch in line:
                text.setTextOrigin(at, y)
                text.textOut(ch)
                at += pdfmetrics.stringWidth(ch, FONT, s.font_size)
            pdf.drawText(text)


def wrap_vertical(text: str) -> list[str]:
    """Vertical text stacks characters; a bracketed weight `(50分)` stays on one line."""
    head, sep, tail = text.partition("(") if "(" in text else text.partition("（")
    return list(head) + ([sep + tail] if sep else [])


# --- form records -> grids -------------------------------------------------------------------

SELFEVAL_WIDTHS = [1.3, 1.0, 1.2, 2.2, 1.2, 1.2, 0.7, 0.7, 1.6]
FUND_LABELS = {"年度资金总额": "年度资金总额：", "本年财政拨款": "其中：本年财政拨款"}
FUND_FIELDS = ("budget_initial", "budget_full_year", "executed", "weight", "rate", "score")
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析及改进措施")


def text_of(value) -> str:
    return "" if value is None else str(value)


def weighted(name: str | None, weight: float | None, brackets: str = "()") -> str:
    if weight is None:
        return text_of(name)
    return f"{text_of(name)}{brackets[0]}{weight:g}分{brackets[1]}"


def groups(items: list[dict], key) -> list[list[dict]]:
    """Consecutive runs of items sharing key(item): the merged 一级/二级指标 cells."""
    runs: list[list[dict]] = []
    for item in items:
        if runs and key(runs[-1][0]) == key(item):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def selfeval_grid(form: dict, widths: list[float] | None = None, placeholders: bool = True,
                  repeat_rows: int = 0) -> Grid:
    """项目支出绩效自评表: meta rows, budget block, overall goal, indicators, 总分."""
    grid = Grid(widths or SELFEVAL_WIDTHS, repeat_rows=repeat_rows)
    meta = form["meta"]
    grid.add(Cell("项目名称"), Cell(text_of(form["project"]), colspan=8))
    grid.add(Cell("主管部门"), Cell(text_of(meta.get("department")), colspan=4), Cell("实施单位", colspan=2),
             Cell(text_of(meta.get("implementer")), colspan=2))
    funds = form["funds"]
    grid.add(Cell(f"项目资金\n（{form['money_unit'] or '万元'}）", rowspan=len(funds) + 1), Cell("", colspan=2),
             Cell("年初预算数"), Cell("全年预算数（A）"), Cell("全年执行数（B）"), Cell("分值"), Cell("执行率（B/A)"),
             Cell("得分"))
    for fund in funds:
        grid.add(Cell(FUND_LABELS.get(fund["line"], fund["line"]), colspan=2),
                 *(Cell(text_of(fund.get(f))) for f in FUND_FIELDS))
    goals = form["goals"] or [{"goal": None, "result": None}]
    grid.add(Cell("年度总体目标完成情况", rowspan=len(goals) + 1), Cell("预期目标", colspan=4),
             Cell("实际完成情况", colspan=4))
    for goal in goals:
        grid.add(Cell(text_of(goal["goal"]), colspan=4), Cell(text_of(goal["result"]), colspan=4))
    indicator_rows(grid, form["items"], placeholders)
    grid.add(Cell("总分", colspan=6), Cell(text_of(form["total_weight"])), Cell(text_of(form["total_score"])), Cell(""))
    return grid


def indicator_rows(grid: Grid, items: list[dict], placeholders: bool) -> None:
    """The indicator block under a vertical 年度绩效指标完成情况 cell; template filler rows
    (`指标2：`, `……`) after each 二级指标 when placeholders is set."""
    level1_runs = groups(items, lambda i: (i["level1"], i["level1_weight"]))
    rows: list[list[Cell]] = []
    for run1 in level1_runs:
        first1 = run1[0]
        runs2 = groups(run1, lambda i: (i["level2"], i["level2_weight"]))
        block: list[list[Cell]] = []
        for run2 in runs2:
            lines = [[Cell(f"指标{n}：{text_of(i['level3'])}"), Cell(text_of(i["target"])), Cell(text_of(i["actual"])),
                      Cell(text_of(i["weight"])), Cell(text_of(i["score"])), Cell(text_of(i["note"]))]
                     for n, i in enumerate(run2, start=1)]
            if placeholders:
                lines.append([Cell("……")] + [Cell("") for _ in range(5)])
            lines[0].insert(0, Cell(weighted(run2[0]["level2"], run2[0]["level2_weight"], "（）"), rowspan=len(lines)))
            block += lines
        block[0].insert(0, Cell(weighted(first1["level1"], first1["level1_weight"]), rowspan=len(block),
                                vertical=True))
        rows += block
    grid.add(Cell("年度绩效指标完成情况", rowspan=len(rows) + 1), *(Cell(h) for h in INDICATOR_HEADER))
    for row in rows:
        grid.add(*row)


def project_list_grid(plist: dict, widths: list[float] | None = None) -> Grid:
    grid = Grid(widths or [0.6, 3.0, 1.4, 1.4], repeat_rows=1)
    grid.add(Cell("序号"), Cell("项目名称"), Cell(f"金额（{plist['money_unit'] or '万元'}）"), Cell("备注"))
    number = 0
    for row in plist["rows"]:
        if row["is_total"]:
            grid.add(Cell(""), Cell("合计"), Cell(text_of(row["amount"])), Cell(text_of(row["note"])))
            continue
        number += 1
        grid.add(Cell(str(number)), Cell(text_of(row["project"])), Cell(text_of(row["amount"])),
                 Cell(text_of(row["note"])))
    return grid


GRIDS = {"project_selfeval": selfeval_grid}


def render_parsed(parsed: dict, style: Style | None = None, widths: dict[str, list[float]] | None = None,
                  placeholders: bool = True, repeat_rows: int = 0) -> bytes:
    """The PDF of a parse result: project lists and forms in source order, each under its title."""
    style = style or Style()
    widths = widths or {}
    out = Renderer(style)
    parts = [(p["source_line"] or 0, "list", p) for p in parsed["project_lists"]]
    # forms read from a 自评报告's prose have no grid to draw
    parts += [(f["source_line"] or 0, "form", f) for f in parsed["forms"] if f.get("source_kind") != "report"]
    for _, what, record in sorted(parts, key=lambda p: p[0]):
        if what == "list":
            out.text(record["title"] or "项目清单", style.title_size, center=True)
            out.table(project_list_grid(record, widths.get("project_list")))
            continue
        if style.form_page_break:
            out.new_page()
        form_head(out, record)
        build = GRIDS[record["kind"]]
        out.table(build(record, widths.get(record["kind"]), placeholders=placeholders, repeat_rows=repeat_rows))
    return out.render()


def form_head(out: Renderer, form: dict) -> None:
    """The lines above a form's grid: its title, then the year (项目自评表) or the subtitle naming
    the project and, on scoring sheets, the unit line (安岳县)."""
    out.text(form["title"], out.style.title_size, center=True)
    if form["kind"] in SUBTITLED:
        if name := form["meta"].get("title_project") or form["project"]:
            out.text(f"（{name if name.endswith('项目') else name + '项目'}）", center=True)
        if form["kind"].endswith("scoring"):
            meta = form["meta"]
            out.text(f"预算单位名称：{text_of(meta.get('org_unit'))}  预算单位编码：{text_of(meta.get('budget_code'))}"
                     f"  自评等级：{text_of(meta.get('grade'))}")
    elif form["fiscal_year"]:
        out.text(f"（{form['fiscal_year']}年度）", center=True)


# --- 安岳县 templates: scoring sheets and goal-completion tables, from gold-shaped records ------

SCORING_WIDTHS = [0.7, 1.0, 1.2, 1.8, 2.2, 0.6, 1.6]
SCORING_HEADER = ("一级指标", "二级指标", "三级指标", "指标解释", "指标说明（评价计分标准）", "自评分数",
                  "自评依据及说明")
GOAL_WIDTHS = [0.9, 0.9, 1.0, 1.3, 1.2, 1.2, 1.4]
GOAL_FUND_HEADER = ("项目", "预算额（百元）", "执行额（百元）", "当年结转结余额（百元）", "结转结余率%",
                    "结转结余变动率%")
GOAL_INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "预算指标值（包含数字及文字描述）",
                         "预算指标值执行结果（包含数字及文字描述）", "预算指标值与预算指标值执行结果偏差情况及原因分析")


def scoring_grid(form: dict, widths: list[float] | None = None, placeholders: bool = False,
                 repeat_rows: int = 1) -> Grid:
    """自评计分表: header row, 一级指标 vertical with its weight, names carrying `（N分）`, 合计."""
    grid = Grid(widths or SCORING_WIDTHS, repeat_rows=repeat_rows)
    grid.add(*(Cell(h) for h in SCORING_HEADER))
    for run1 in groups(form["items"], lambda i: (i["level1"], i["level1_weight"])):
        runs2 = groups(run1, lambda i: (i["level2"], i["level2_weight"]))
        first = True
        for run2 in runs2:
            for n, item in enumerate(run2):
                cells = [Cell(weighted(item["level3"], to_float(item["weight"]), "（）")),
                         Cell(text_of(item.get("explanation"))), Cell(text_of(item.get("rule"))),
                         Cell(text_of(item["score"])), Cell(text_of(item["note"]))]
                if n == 0:
                    cells.insert(0, Cell(weighted(item["level2"], item["level2_weight"], "（）"), rowspan=len(run2)))
                if first:
                    cells.insert(0, Cell(weighted(item["level1"], item["level1_weight"], "（）"), rowspan=len(run1),
                                         vertical=True))
                    first = False
                grid.add(*cells)
    grid.add(Cell("合计", colspan=5), Cell(text_of(form["total_score"])), Cell(""))
    return grid


def goal_grid(form: dict, widths: list[float] | None = None, placeholders: bool = False,
              repeat_rows: int = 0) -> Grid:
    """绩效目标完成情况表: name rows, 预算执行情况 in 百元, 年度总体目标, 年度绩效指标."""
    grid = Grid(widths or GOAL_WIDTHS, repeat_rows=repeat_rows)
    meta = form["meta"]
    if form["project"]:
        grid.add(Cell("项目名称"), Cell(form["project"], colspan=6))
    grid.add(Cell("部门（单位）名称"), Cell(text_of(meta.get("org_unit")), colspan=3), Cell("预算单位编码", colspan=2),
             Cell(text_of(meta.get("budget_code"))))
    grid.add(Cell("预算执行情况", rowspan=len(form["funds"]) + 1), *(Cell(h) for h in GOAL_FUND_HEADER))
    for fund in form["funds"]:
        grid.add(Cell(fund["line"]), Cell(text_of(fund.get("budget_full_year"))), Cell(text_of(fund.get("executed"))),
                 Cell(""), Cell(""), Cell(""))
    grid.add(Cell("年度总体目标", rowspan=len(form["goals"] or [{}]) + 1), Cell("预算总体目标", colspan=2),
             Cell("预算总体目标执行结果", colspan=2),
             Cell("预算总体目标与预算总体目标执行结果偏差情况及原因分析", colspan=2))
    for goal in form["goals"] or [{}]:
        grid.add(Cell(text_of(goal.get("goal")), colspan=2), Cell(text_of(goal.get("result")), colspan=2),
                 Cell(text_of(goal.get("deviation")), colspan=2))
    rows: list[list[Cell]] = []
    for run1 in groups(form["items"], lambda i: i["level1"]):
        block: list[list[Cell]] = []
        for run2 in groups(run1, lambda i: i["level2"]):
            lines = [[Cell(text_of(i["level3"])), Cell(text_of(i["target"])), Cell(text_of(i["actual"])),
                      Cell(text_of(i["note"]))] for i in run2]
            lines[0].insert(0, Cell(text_of(run2[0]["level2"]), rowspan=len(lines)))
            block += lines
        block[0].insert(0, Cell(text_of(run1[0]["level1"]), rowspan=len(block)))
        rows += block
    grid.add(Cell("年度绩效指标", rowspan=len(rows) + 1), *(Cell(h) for h in GOAL_INDICATOR_HEADER))
    for row in rows:
        grid.add(*row)
    return grid


def to_float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


GRIDS.update(project_scoring=scoring_grid, dept_scoring=scoring_grid,
             project_goal_completion=goal_grid, dept_goal_completion=goal_grid)
SUBTITLED = ("project_scoring", "dept_scoring", "project_goal_completion", "dept_goal_completion")
SCORING_TITLES = {"project_scoring": "项目支出绩效自评计分表", "dept_scoring": "部门整体支出绩效自评计分表",
                  "project_goal_completion": "项目支出绩效目标完成情况表",
                  "dept_goal_completion": "部门整体支出绩效目标完成情况表"}


def gold_forms(gold: dict) -> list[dict]:
    """Form records (``parsers.recognizers.record``) from a gold annotation: each project's scoring
    sheet followed by its goal table, the department's first, as 安岳县 publishes them."""
    from parsers.recognizers.record import new_form, new_item

    goals = {(g["kind"].split("_")[0], g["project"]): g for g in gold.get("goal_tables") or []}
    forms = []
    for ev in gold.get("evaluations") or []:
        pair = [ev] + ([goals.pop(key)] if (key := (ev["kind"].split("_")[0], ev["project"])) in goals else [])
        forms += pair
    forms += list(goals.values())
    records = []
    for g in forms:
        title = f"{gold.get('region') or ''} {gold.get('fiscal_year') or ''}年度{SCORING_TITLES[g['kind']]}".strip()
        form = new_form(g["kind"], title, len(records) + 1, None)
        form.update(project=g.get("project"), fiscal_year=gold.get("fiscal_year"), total_score=g.get("total_score"),
                    money_unit="百元" if "budget_hundred_yuan" in g else "万元")
        form["meta"] = {"org_unit": gold.get("org_unit"), "budget_code": g.get("budget_code"), "grade": g.get("grade")}
        if "budget_hundred_yuan" in g:
            form["funds"] = [{"line": "合计", "budget_full_year": g["budget_hundred_yuan"],
                              "executed": g["executed_hundred_yuan"]}]
        form["items"] = [new_item(**{k: v for k, v in item.items()}) for item in g.get("items") or []]
        records.append(form)
    return records


def render_gold(path, style: Style | None = None) -> bytes:
    """The PDF of a gold annotation's forms, each on its own pages (see ``gold_forms``)."""
    import json

    gold = json.loads(open(path, encoding="utf-8").read())
    return render_parsed({"forms": gold_forms(gold), "project_lists": []}, style)


def render_lines(lines: list[str], style: Style | None = None) -> bytes:
    """A PDF of flowing text, one printed line per non-blank line and no rulings: the pages the
    PDF reader hands to the flow-text parser."""
    style = style or Style(margin=72)
    out = Renderer(style)
    for line in lines:
        if line.strip():
            if out.room() < style.leading:
                out.new_page()
            out.y -= style.leading
            out.pages[-1].append(("text", style.margin, out.y, line, style.font_size))
    return out.render()
