#!/usr/bin/env python3
"""Build the nine standard budget tables of 青龙满族自治县行政审批局 2023 (Hebei layout,
万元) as an .xlsx workbook, one sheet per table, ready for
`soffice --headless --convert-to pdf`.

Figures: shared/seed/qinglong-2023-budget-ocr.txt lines 29-321 with the OCR spaces removed,
checked against tests/truth/qinglong-2023-budget.tsv; the summary's 本年支出合计 (lost by the
OCR) is printed as 738.05.

Usage: python3 make_hebei_xlsx.py OUT.xlsx
"""
import math
import sys

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break

UNIT = "436 青龙满族自治县行政审批局"
YEAR = "预算年度: 2023"
MONEY = "单位: 万元"
FONT = "AR PL UMing CN"  # a TrueType 明体/宋体 face (Debian fonts-arphic-uming)
BODY_PT = 10
HEAD_PT = 10
TITLE_PT = 16

thin = Side(style="thin", color="000000")
BOX = Border(left=thin, right=thin, top=thin, bottom=thin)

# ---------------------------------------------------------------- data

# The 31 functional 类 rows of the summaries (T1, T4), in code order.
FUNC_CLASSES = [
    "一、一般公共服务支出", "二、外交支出", "三、国防支出", "四、公共安全支出", "五、教育支出",
    "六、科学技术支出", "七、文化旅游体育与传媒支出", "八、社会保障和就业支出",
    "九、社会保险基金支出", "十、卫生健康支出", "十一、节能环保支出", "十二、城乡社区支出",
    "十三、农林水支出", "十四、交通运输支出", "十五、资源勘探工业信息等支出",
    "十六、商业服务业等支出", "十七、金融支出", "十八、援助其他地区支出",
    "十九、自然资源海洋气象等支出", "二十、住房保障支出", "二十一、粮油物资储备支出",
    "二十二、国有资本经营预算支出", "二十三、灾害防治及应急管理支出", "二十四、预备费",
    "二十五、其他支出", "二十六、转移性支出", "二十七、债务还本支出", "二十八、债务付息支出",
    "二十九、债务发行费用支出", "三十、抗疫特别国债安排的支出", "三十一、人行科目",
]
# expenditure by 类 (合计, 一般公共预算, 政府性基金)
FUNC_VALUES = {
    "一、一般公共服务支出": (419.39, 419.39, None),
    "八、社会保障和就业支出": (52.27, 52.27, None),
    "十、卫生健康支出": (30.61, 30.61, None),
    "十二、城乡社区支出": (209.65, None, 209.65),
    "二十、住房保障支出": (26.14, 26.14, None),
}

# function tree: code, name, 合计, 本年收入小计(=财政拨款收入), 上年结转, 基本支出, 项目支出
TREE = [
    ("201", "一般公共服务支出", 419.39, 400.00, 19.40, 419.39, None),
    ("20103", "政府办公厅(室)及相关机构事务", 419.39, 400.00, 19.40, 419.39, None),
    ("2010306", "政务公开审批", 419.39, 400.00, 19.40, 419.39, None),
    ("208", "社会保障和就业支出", 52.27, 52.27, None, 52.27, None),
    ("20805", "行政事业单位养老支出", 52.27, 52.27, None, 52.27, None),
    ("2080505", "机关事业单位基本养老保险缴费支出", 52.27, 52.27, None, 52.27, None),
    ("210", "卫生健康支出", 30.61, 30.61, None, 30.61, None),
    ("21011", "行政事业单位医疗", 30.61, 30.61, None, 30.61, None),
    ("2101101", "行政单位医疗", 12.15, 12.15, None, 12.15, None),
    ("2101102", "事业单位医疗", 18.45, 18.45, None, 18.45, None),
    ("212", "城乡社区支出", 209.65, 198.30, 11.35, None, 209.65),
    ("21208", "国有土地使用权出让收入安排的支出", 209.65, 198.30, 11.35, None, 209.65),
    ("2120899", "其他国有土地使用权出让收入安排的支出", 209.65, 198.30, 11.35, None, 209.65),
    ("221", "住房保障支出", 26.14, 26.14, None, 26.14, None),
    ("22102", "住房改革支出", 26.14, 26.14, None, 26.14, None),
    ("2210201", "住房公积金", 26.14, 26.14, None, 26.14, None),
]
FUND_CODES = ("212", "21208", "2120899")

# economic classification of the 一般公共预算基本支出 (code, name, 合计, 人员经费, 公用经费)
ECON = [
    ("301", "工资福利支出", 453.37, 453.37, None),
    ("30101", "基本工资", 195.42, 195.42, None),
    ("30102", "津贴补贴", 52.75, 52.75, None),
    ("30103", "奖金", 37.55, 37.55, None),
    ("30107", "绩效工资", 57.01, 57.01, None),
    ("30108", "机关事业单位基本养老保险缴费", 52.27, 52.27, None),
    ("30110", "职工基本医疗保险缴费", 29.89, 29.89, None),
    ("30112", "其他社会保障缴费", 2.35, 2.35, None),
    ("30113", "住房公积金", 26.14, 26.14, None),
    ("302", "商品和服务支出", 68.69, None, 68.69),
    ("30201", "办公费", 19.00, None, 19.00),
    ("30202", "印刷费", 5.25, None, 5.25),
    ("30205", "水费", 1.15, None, 1.15),
    ("30206", "电费", 5.95, None, 5.95),
    ("30208", "取暖费", 4.53, None, 4.53),
    ("30209", "物业管理费", 0.40, None, 0.40),
    ("30211", "差旅费", 4.21, None, 4.21),
    ("30213", "维修(护)费", 11.98, None, 11.98),
    ("30217", "公务接待费", 1.20, None, 1.20),
    ("30231", "公务用车运行维护费", 3.20, None, 3.20),
    ("30239", "其他交通费用", 11.82, None, 11.82),
    ("310", "资本性支出", 6.34, None, 6.34),
    ("31002", "办公设备购置", 6.34, None, 6.34),
]

THREE_PUBLIC = [
    ("合计", 4.40, 4.40),
    ('"三公"经费', 4.40, 4.40),
    ("一、因公出国(境)费", None, None),
    ("其中:教育科研人员因公出国(境)费", None, None),
    ("其他因公出国(境)费", None, None),
    ("二、公务用车购置及运维费", 3.20, 3.20),
    ("其中:公务用车购置费", None, None),
    ("公务用车运行维护费", 3.20, 3.20),
    ("三、公务接待费", 1.20, 1.20),
]


# ---------------------------------------------------------------- layout helpers

def text_em(s):
    """Width of a label in em (CJK = 1, ASCII = 0.55)."""
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in str(s))


def col_pt(width_chars):
    """Approximate printed width (pt) of an Excel column width; the workbook's default font
    is FONT at BODY_PT, whose digits are half an em wide."""
    return width_chars * BODY_PT / 2 + 4


def lines_needed(value, width_chars, size):
    if value is None or value == "":
        return 1
    usable = col_pt(width_chars) - 26  # cell padding + indent
    return max(1, math.ceil(text_em(value) * size / usable))


class Sheet:
    """One table = one worksheet: title, banner, 单位 line, two-level header, 栏次, data."""

    def __init__(self, wb, name, title, widths, wrap_cols=()):
        self.ws = wb.create_sheet(name)
        self.widths = widths
        self.ncol = len(widths)
        self.wrap_cols = set(wrap_cols)  # 1-based columns whose data cells wrap
        self.row = 0
        ws = self.ws
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = w
        ws.sheet_view.showGridLines = False
        ps = ws.page_setup
        ps.orientation = "landscape"
        ps.paperSize = ws.PAPERSIZE_A4
        ps.scale = 100
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.page_margins.header = ws.page_margins.footer = 0.3
        ws.print_options.horizontalCentered = True

        # title (first page only)
        r = self.next_row(34)
        self.merged(r, 1, r, self.ncol, title,
                    font=Font(name=FONT, size=TITLE_PT, bold=True),
                    align=Alignment(horizontal="center", vertical="center"))
        self.repeat_from = r + 1
        # banner, repeated on every page
        r = self.next_row(18)
        self.merged(r, 1, r, self.ncol, UNIT, align=Alignment(horizontal="left", vertical="center"))
        r = self.next_row(18)
        self.merged(r, 1, r, self.ncol, YEAR, align=Alignment(horizontal="left", vertical="center"))
        r = self.next_row(18)
        self.merged(r, self.ncol - 1, r, self.ncol, MONEY,
                    align=Alignment(horizontal="right", vertical="center"))

    def next_row(self, height):
        self.row += 1
        self.ws.row_dimensions[self.row].height = height
        return self.row

    def put(self, r, c, value, font=None, align=None, border=True, fmt=None):
        cell = self.ws.cell(r, c)
        if value is not None and value != "":
            cell.value = value
        cell.font = font or Font(name=FONT, size=BODY_PT)
        if align is not None:
            cell.alignment = align
        if border:
            cell.border = BOX
        if fmt:
            cell.number_format = fmt
        return cell

    def merged(self, r1, c1, r2, c2, value, font=None, align=None, border=False):
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                self.put(r, c, value if (r, c) == (r1, c1) else None,
                         font=font, align=align, border=border)
        if (r1, c1) != (r2, c2):
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def header(self, spec):
        """spec: list of (label, colspan, sublabels or None). A None sublabel list means the
        label spans both header rows; otherwise the label spans `colspan` columns of row 1
        and the sublabels fill row 2."""
        hfont = Font(name=FONT, size=HEAD_PT, bold=True)
        align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        # row heights: enough for the longest wrapped label of each row
        top_lines, sub_lines, c = 1, 1, 1
        for label, span, subs in spec:
            w = sum(self.widths[c - 1:c - 1 + span])
            if subs is None:
                # spans two rows: split its need over both
                top_lines = max(top_lines, math.ceil(lines_needed(label, w, HEAD_PT) / 2))
            else:
                top_lines = max(top_lines, lines_needed(label, w, HEAD_PT))
                for i, s in enumerate(subs):
                    sub_lines = max(sub_lines, lines_needed(s, self.widths[c - 1 + i], HEAD_PT))
            c += span
        r1 = self.next_row(max(20, top_lines * 14 + 6))
        r2 = self.next_row(max(20, sub_lines * 14 + 6))
        c = 1
        for label, span, subs in spec:
            if subs is None:
                self.merged(r1, c, r2, c + span - 1, label, font=hfont, align=align, border=True)
            else:
                self.merged(r1, c, r1, c + span - 1, label, font=hfont, align=align, border=True)
                for i, s in enumerate(subs):
                    self.put(r2, c + i, s, font=hfont, align=align)
            c += span
        # 栏次 row: 栏次 under 序号, then 1..n
        r = self.next_row(18)
        self.put(r, 1, "栏次", font=hfont, align=Alignment(horizontal="center", vertical="center"))
        for i in range(2, self.ncol + 1):
            self.put(r, i, i - 1, font=hfont, align=Alignment(horizontal="center", vertical="center"))
        self.ws.print_title_rows = f"{self.repeat_from}:{r}"

    def data(self, cells, kinds):
        """cells: one row of values; kinds: 'n' number, 't' label, 'k' code, 'c' centred."""
        need = 1
        for i, (v, k) in enumerate(zip(cells, kinds), start=1):
            if k == "t" and i in self.wrap_cols:
                need = max(need, lines_needed(v, self.widths[i - 1], BODY_PT))
        r = self.next_row(max(18, need * 13.5 + 4))
        for i, (v, k) in enumerate(zip(cells, kinds), start=1):
            if k == "n":
                self.put(r, i, v, fmt="0.00",
                         align=Alignment(horizontal="right", vertical="center"))
            elif k == "c":
                self.put(r, i, v, align=Alignment(horizontal="center", vertical="center"))
            else:
                # labels get a small indent; codes and numbers none (LibreOffice would shift them)
                self.put(r, i, v, align=Alignment(horizontal="left", vertical="center",
                                                  indent=1 if k == "t" else 0,
                                                  wrap_text=i in self.wrap_cols))
        return r

    def page_break_after(self, row):
        self.ws.row_breaks.append(Break(id=row))

    def note(self, text):
        r = self.next_row(22)
        self.merged(r, 1, r, self.ncol, text, align=Alignment(horizontal="left", vertical="center"))


# ---------------------------------------------------------------- the nine tables

def t1_summary(wb):
    s = Sheet(wb, "收支总表", "部门预算收支总表", [7, 34, 16, 38, 16])
    s.header([("序号", 1, None), ("收入", 2, ["项目", "预算数"]), ("支出", 2, ["项目", "预算数"])])
    income = {
        1: ("一、一般公共预算拨款收入", 509.01), 2: ("二、政府性基金预算拨款收入", 198.30),
        3: ("三、国有资本经营预算拨款收入", None), 4: ("四、财政专户管理资金收入", None),
        5: ("五、事业收入", None), 6: ("六、事业单位经营收入", None), 7: ("七、上级补助收入", None),
        8: ("八、附属单位上缴收入", None), 9: ("九、其他收入", None),
    }
    kinds = "ctntn"
    for n in range(1, 32):
        inc, iv = income.get(n, (None, None))
        exp = FUNC_CLASSES[n - 1]
        ev = FUNC_VALUES.get(exp, (None,))[0]
        r = s.data([n, inc, iv, exp, ev], kinds)
        if n == 19:
            s.page_break_after(r)
    s.data([32, "本年收入合计", 707.31, "本年支出合计", 738.05], kinds)
    s.data([33, "上年结转结余", 30.74, "年终结转结余", None], kinds)
    s.data([34, "收入总计", 738.05, "支出总计", 738.05], kinds)


def t2_income(wb):
    widths = [6, 10, 18, 10, 10, 10, 10, 9, 9, 10, 10, 9, 10]
    s = Sheet(wb, "收入总表", "部门预算收入总表", widths, wrap_cols=(3,))
    s.header([("序号", 1, None), ("功能分类科目", 2, ["科目编码", "科目名称"]), ("合计", 1, None),
              ("本年收入", 8, ["小计", "财政拨款收入", "财政专户收入", "事业收入", "经营收入",
                           "上级补助收入", "附属单位上缴收入", "其他收入"]),
              ("上年结转", 1, None)])
    kinds = "ckt" + "n" * 10
    s.data([1, None, "合计", 738.05, 707.31, 707.31] + [None] * 6 + [30.74], kinds)
    for n, (code, name, total, cur, carry, _b, _p) in enumerate(TREE, start=2):
        r = s.data([n, code, name, total, cur, cur] + [None] * 6 + [carry], kinds)
        if n == 12:
            s.page_break_after(r)


def t3_expense(wb):
    widths = [6, 11, 38, 13, 13, 13, 13, 13, 13]
    s = Sheet(wb, "支出总表", "部门预算支出总表", widths, wrap_cols=(3,))
    s.header([("序号", 1, None), ("功能分类科目", 2, ["科目编码", "科目名称"]), ("合计", 1, None),
              ("基本支出", 1, None), ("项目支出", 1, None), ("经营支出", 1, None),
              ("上解上级支出", 1, None), ("对附属单位补助支出", 1, None)])
    kinds = "ckt" + "n" * 6
    s.data([1, None, "合计", 738.05, 528.41, 209.65, None, None, None], kinds)
    for n, (code, name, total, _c, _y, basic, proj) in enumerate(TREE, start=2):
        s.data([n, code, name, total, basic, proj, None, None, None], kinds)


def t4_fiscal_summary(wb):
    widths = [6, 30, 12, 34, 12, 14, 14, 14]
    s = Sheet(wb, "财政拨款收支总表", "部门预算财政拨款收支总表", widths)
    s.header([("序号", 1, None), ("收入", 2, ["项目", "金额"]),
              ("支出", 5, ["项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
                         "国有资本经营预算财政拨款"])])
    income = {1: ("一、一般公共预算拨款", 509.01), 2: ("二、政府性基金预算拨款", 198.30),
              3: ("三、国有资本经营预算拨款", None)}
    kinds = "ctntnnnn"
    for n in range(1, 32):
        inc, iv = income.get(n, (None, None))
        exp = FUNC_CLASSES[n - 1]
        tot, gpb, fund = FUNC_VALUES.get(exp, (None, None, None))
        r = s.data([n, inc, iv, exp, tot, gpb, fund, None], kinds)
        if n == 17:
            s.page_break_after(r)
    s.data([32, "本年收入合计", 707.31, "本年支出合计", 738.05, 528.41, 209.65, None], kinds)
    s.data([33, "年初财政拨款结转和结余", 30.74, "年末财政拨款结转和结余", None, None, None, None], kinds)
    s.data([34, "一、一般公共预算拨款", 19.40, None, None, None, None, None], kinds)
    s.data([35, "二、政府性基金预算拨款", 11.35, None, None, None, None, None], kinds)
    r = s.data([36, "三、国有资本经营预算拨款", None, None, None, None, None, None], kinds)
    s.page_break_after(r)  # as in the sample: the last page holds row 37 alone
    s.data([37, "收入总计", 738.05, "支出总计", 738.05, 528.41, 209.65, None], kinds)


def function_table(wb, name, title, rows):
    widths = [7, 13, 40, 16, 16, 16]
    s = Sheet(wb, name, title, widths, wrap_cols=(3,))
    s.header([("序号", 1, None), ("功能分类科目", 2, ["科目编码", "科目名称"]), ("合计", 1, None),
              ("基本支出", 1, None), ("项目支出", 1, None)])
    for n, row in enumerate(rows, start=1):
        s.data([n] + list(row), "cktnnn")
    return s


def t5_gpb(wb):
    rows = [(None, "合计", 528.41, 528.41, None)]
    rows += [(c, nm, t, b, p) for c, nm, t, _i, _y, b, p in TREE if c[:3] not in FUND_CODES]
    function_table(wb, "一般公共预算支出表", "部门预算一般公共预算财政拨款支出表", rows)


def t6_gpb_basic(wb):
    widths = [7, 13, 36, 16, 16, 16]
    s = Sheet(wb, "一般公共预算基本支出表", "部门预算一般公共预算财政拨款基本支出表", widths,
              wrap_cols=(3,))
    s.header([("序号", 1, None), ("部门预算支出经济分类科目", 2, ["科目编码", "科目名称"]),
              ("一般公共预算基本支出", 3, ["合计", "人员经费", "公用经费"])])
    s.data([1, None, "合计", 528.41, 453.37, 75.04], "cktnnn")
    for n, row in enumerate(ECON, start=2):
        r = s.data([n] + list(row), "cktnnn")
        if n == 19:
            s.page_break_after(r)


def t7_fund(wb):
    rows = [(None, "合计", 209.65, None, 209.65)]
    rows += [(c, nm, t, b, p) for c, nm, t, _i, _y, b, p in TREE if c in FUND_CODES]
    function_table(wb, "政府性基金支出表", "部门预算政府基金预算财政拨款支出表", rows)


def t8_soe(wb):
    s = function_table(wb, "国有资本经营支出表", "部门预算国有资本经营预算财政拨款支出表", [])
    s.note("注: 无国有资本经营预算财政拨款预算, 空表列示。")


def t9_three_public(wb):
    widths = [7, 40, 16, 26, 26, 26]
    s = Sheet(wb, "三公经费支出表", '部门预算财政拨款"三公"经费支出表', widths, wrap_cols=(2,))
    s.header([("序号", 1, None), ("项目", 1, None), ("合计", 1, None),
              ("资金性质", 3, ["一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"])])
    for n, (label, total, gpb) in enumerate(THREE_PUBLIC, start=1):
        s.data([n, label, total, gpb, None, None], "ctnnnn")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "qinglong-2023-budget-hebei.xlsx"
    wb = Workbook()
    wb.remove(wb.active)
    # default (Normal) font = the table font, so column widths are measured in its digits
    default = Font(name=FONT, size=BODY_PT)
    wb._fonts = IndexedList([default])
    wb._named_styles["Normal"].font = default
    for build in (t1_summary, t2_income, t3_expense, t4_fiscal_summary, t5_gpb, t6_gpb_basic,
                  t7_fund, t8_soe, t9_three_public):
        build(wb)
    wb.save(out)


if __name__ == "__main__":
    main()
