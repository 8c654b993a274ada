#!/usr/bin/env python3
"""Three-page synthetic final-accounts (部门决算) PDF of 上海市普陀区示范局 2024: the
政府性基金 and 国有资本经营 收入支出决算表 and the 财政拨款“三公”经费支出决算表 (transposed:
items across, 预算数 / 决算数 pairs under each), one table per A4-landscape page.

Drawn with ReportLab in the built-in CID font STSong-Light (UniGB-UCS2-H, not embedded, no
ToUnicode), registered as in make_cmap_pdf.py. Every cell border is drawn as a line segment
(each segment once); merged header cells have no inner lines. No 序号 column, no 栏次 row;
function codes split into 类 | 款 | 项 columns. Byte-for-byte reproducible (invariant=1).

Usage: python3 make_final_funds_pdf.py OUT.pdf
"""
import sys

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from make_cmap_pdf import FONT

DEPT = "上海市普陀区示范局"
HEADING = f"{DEPT}2024年度部门决算"
MONEY = "单位：万元"

# --- tables 1 and 2: 收入支出决算表 -------------------------------------------------------
# leaf columns: 类 款 项 科目名称 年初结转和结余 本年收入 小计 基本支出 项目支出 年末结转和结余
FUND_COLS = [36, 36, 36, 200] + [454 / 6] * 6  # sum 762 = 842 - 2 x 40
# header cells: (row0, col0, row1, col1, text), rows/cols inclusive, 3 header rows
FUND_HEAD = [
    (0, 0, 0, 3, "项目"),
    (1, 0, 1, 2, "支出功能分类科目编码"),
    (2, 0, 2, 0, "类"),
    (2, 1, 2, 1, "款"),
    (2, 2, 2, 2, "项"),
    (1, 3, 2, 3, "科目名称"),
    (0, 4, 2, 4, "年初结转和结余"),
    (0, 5, 2, 5, "本年收入"),
    (0, 6, 1, 8, "本年支出"),
    (2, 6, 2, 6, "小计"),
    (2, 7, 2, 7, "基本支出"),
    (2, 8, 2, 8, "项目支出"),
    (0, 9, 2, 9, "年末结转和结余"),
]


def fund_rows(rows, figures):
    """rows: (类, 款, 项, 科目名称); every row carries the same six figures."""
    return [list(codes) + list(figures) for codes in rows]


GOV_FUND_ROWS = fund_rows(
    [("", "", "", "合计"),
     ("212", "", "", "城乡社区支出"),
     ("212", "08", "", "国有土地使用权出让收入安排的支出"),
     ("212", "08", "99", "其他国有土地使用权出让收入安排的支出")],
    [10.00, 100.00, 105.00, None, 105.00, 5.00])
SOE_ROWS = fund_rows(
    [("", "", "", "合计"),
     ("223", "", "", "国有资本经营预算支出"),
     ("223", "01", "", "解决历史遗留问题及改革成本支出"),
     ("223", "01", "99", "其他解决历史遗留问题及改革成本支出")],
    [None, 20.00, 20.00, None, 20.00, None])

# --- table 3: 财政拨款“三公”经费支出决算表 (transposed) ----------------------------------
THREE_COLS = [762 / 12] * 12
THREE_HEAD = [
    (0, 0, 0, 11, "财政拨款“三公”经费"),
    (1, 0, 2, 1, "合计"),
    (1, 2, 2, 3, "因公出国（境）费"),
    (1, 4, 1, 9, "公务用车购置及运行费"),
    (2, 4, 2, 5, "小计"),
    (2, 6, 2, 7, "公务用车购置费"),
    (2, 8, 2, 9, "公务用车运行费"),
    (1, 10, 2, 11, "公务接待费"),
] + [(3, i, 3, i, "预算数" if i % 2 == 0 else "决算数") for i in range(12)]
THREE_ROWS = [[12.00, 11.50, 2.00, 1.50, 8.00, 8.00, 5.00, 5.00, 3.00, 3.00, 2.00, 2.00]]

# (title, column widths, header cells, header row count, body rows, alignment per column)
# alignment: "c" centred, "l" left, "r" right (figures)
TABLES = [
    ("政府性基金预算财政拨款收入支出决算表", FUND_COLS, FUND_HEAD, 3, GOV_FUND_ROWS,
     "cccl" + "r" * 6),
    ("国有资本经营预算财政拨款收入支出决算表", FUND_COLS, FUND_HEAD, 3, SOE_ROWS,
     "cccl" + "r" * 6),
    ("财政拨款“三公”经费支出决算表", THREE_COLS, THREE_HEAD, 4, THREE_ROWS, "r" * 12),
]

LEFT = 40
HEAD_H = 22  # every header row
ROW_H = 24   # body rows
PAD = 5       # body text to cell border
HEAD_PAD = 3  # least room left of and right of a centred header word
HEAD_PT = 9.5
BODY_PT = 10


def text_of(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}"
    return v


def draw_table(c, width, height, title, cols, head, n_head, rows, align):
    right = LEFT + sum(cols)
    y = height - 40
    c.setFont(FONT, 11)
    c.drawString(LEFT, y, HEADING)
    y -= 36
    c.setFont(FONT, 18)
    c.drawCentredString(width / 2, y, title)
    y -= 26
    c.setFont(FONT, 10.5)
    c.drawRightString(right, y, MONEY)
    y -= 8

    xs = [LEFT]
    for w in cols:
        xs.append(xs[-1] + w)
    top = y
    ys = [top - HEAD_H * i for i in range(n_head + 1)]
    for _ in rows:
        ys.append(ys[-1] - ROW_H)

    # cells: header cells as given, body cells one per grid cell
    cells = [(r0, c0, r1, c1) for r0, c0, r1, c1, _ in head]
    for r in range(len(rows)):
        for j in range(len(cols)):
            cells.append((n_head + r, j, n_head + r, j))
    # every cell edge, split into unit grid segments, each drawn once
    hseg, vseg = set(), set()
    for r0, c0, r1, c1 in cells:
        for j in range(c0, c1 + 1):
            hseg.add((r0, j))      # top edge of grid row r0, column j
            hseg.add((r1 + 1, j))  # bottom edge
        for r in range(r0, r1 + 1):
            vseg.add((r, c0))      # left edge of column c0, grid row r
            vseg.add((r, c1 + 1))  # right edge
    c.setLineWidth(0.6)
    for r, j in sorted(hseg):
        c.line(xs[j], ys[r], xs[j + 1], ys[r])
    for r, j in sorted(vseg):
        c.line(xs[j], ys[r], xs[j], ys[r + 1])

    # header text, centred in its (merged) cell
    c.setFont(FONT, HEAD_PT)
    for r0, c0, r1, c1, text in head:
        assert pdfmetrics.stringWidth(text, FONT, HEAD_PT) <= xs[c1 + 1] - xs[c0] - 2 * HEAD_PAD, text
        mid_y = (ys[r0] + ys[r1 + 1]) / 2
        c.drawCentredString((xs[c0] + xs[c1 + 1]) / 2, mid_y - HEAD_PT * 0.35, text)

    # body
    c.setFont(FONT, BODY_PT)
    for r, row in enumerate(rows):
        base = (ys[n_head + r] + ys[n_head + r + 1]) / 2 - BODY_PT * 0.35
        for j, v in enumerate(row):
            t = text_of(v)
            if not t:
                continue
            assert pdfmetrics.stringWidth(t, FONT, BODY_PT) <= cols[j] - 2 * PAD, t
            if align[j] == "l":
                c.drawString(xs[j] + PAD, base, t)
            elif align[j] == "r":
                c.drawRightString(xs[j + 1] - PAD, base, t)
            else:
                c.drawCentredString((xs[j] + xs[j + 1]) / 2, base, t)


def make(out):
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    width, height = landscape(A4)
    c = canvas.Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1,
                      initialFontName=FONT, initialFontSize=10)
    c.setTitle(HEADING)
    c.setAuthor("gongkai samples")
    for title, cols, head, n_head, rows, align in TABLES:
        assert abs(sum(cols) - 762) < 1e-6
        assert all(len(row) == len(cols) == len(align) for row in rows)
        draw_table(c, width, height, title, cols, head, n_head, rows, align)
        c.showPage()
    c.save()


def main():
    make(sys.argv[1] if len(sys.argv) > 1 else "synthetic-2024-final-funds.pdf")


if __name__ == "__main__":
    main()
