#!/usr/bin/env python3
"""One-page PDF with the 三公 table of 青龙满族自治县行政审批局 2023, set in ReportLab's
built-in CID font STSong-Light: predefined CMap UniGB-UCS2-H, Adobe-GB1 collection, font NOT
embedded and NO ToUnicode map. A text extractor has to map UCS-2 codes -> CIDs -> Unicode
through the predefined CMap itself (poppler does it with poppler-data).

Usage: python3 make_cmap_pdf.py OUT.pdf
"""
import sys

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"  # UnicodeCIDFont's default encoding for it is UniGB-UCS2-H

TITLE = '部门预算财政拨款"三公"经费支出表'
UNIT = "436 青龙满族自治县行政审批局"
YEAR = "预算年度: 2023"
MONEY = "单位: 万元"
HEADER = ["序号", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算拨款",
          "国有资本经营预算财政拨款"]
# 项目, 合计, 一般公共预算财政拨款, 政府性基金预算拨款, 国有资本经营预算财政拨款
ROWS = [
    ("合计", 4.40, 4.40, None, None),
    ('"三公"经费', 4.40, 4.40, None, None),
    ("一、因公出国(境)费", None, None, None, None),
    ("其中:教育科研人员因公出国(境)费", None, None, None, None),
    ("其他因公出国(境)费", None, None, None, None),
    ("二、公务用车购置及运维费", 3.20, 3.20, None, None),
    ("其中:公务用车购置费", None, None, None, None),
    ("公务用车运行维护费", 3.20, 3.20, None, None),
    ("三、公务接待费", 1.20, 1.20, None, None),
]
COLS = [40, 216, 96, 130, 130, 150]  # points; sum 762 = landscape A4 minus 2 x 40


def draw(out, font=FONT):
    """Write the one-page PDF to OUT with all text in the registered font named `font` (its
    stringWidth places the centred and right-aligned text). make_cmap_gbk_euc_pdf.py calls
    this with a GBK-EUC-H font."""
    width, height = landscape(A4)
    # initialFontName: no unused Helvetica resource in the file
    c = canvas.Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1,
                      initialFontName=font, initialFontSize=10)
    c.setTitle(TITLE)
    c.setAuthor("gongkai samples")

    left = 40
    right = left + sum(COLS)
    y = height - 60
    c.setFont(font, 18)
    c.drawCentredString(width / 2, y, TITLE)
    c.setFont(font, 10.5)
    y -= 30
    c.drawString(left, y, UNIT)
    y -= 18
    c.drawString(left, y, YEAR)
    c.drawRightString(right, y, MONEY)
    y -= 10

    xs = [left]
    for w in COLS:
        xs.append(xs[-1] + w)
    row_h = 22
    head_h = 30
    top = y
    lines_y = [top, top - head_h]  # header row, then 栏次 row, then the data rows
    for _ in range(1 + len(ROWS)):
        lines_y.append(lines_y[-1] - row_h)
    bottom = lines_y[-1]

    # rules
    c.setLineWidth(0.6)
    for ly in lines_y:
        c.line(left, ly, right, ly)
    for x in xs:
        c.line(x, top, x, bottom)

    def centre(i, yy, text):
        c.drawCentredString((xs[i] + xs[i + 1]) / 2, yy, text)

    baseline = lambda upper, h: upper - h / 2 - 3.5  # noqa: E731

    c.setFont(font, 10.5)
    for i, label in enumerate(HEADER):
        centre(i, baseline(lines_y[0], head_h), label)
    yy = baseline(lines_y[1], row_h)
    centre(0, yy, "栏次")
    for i in range(1, len(HEADER)):
        centre(i, yy, str(i))

    c.setFont(font, 10)
    for n, (label, *values) in enumerate(ROWS, start=1):
        yy = baseline(lines_y[n + 1], row_h)
        centre(0, yy, str(n))
        c.drawString(xs[1] + 5, yy, label)
        for j, v in enumerate(values, start=2):
            if v is not None:
                c.drawRightString(xs[j + 1] - 5, yy, f"{v:.2f}")

    c.showPage()
    c.save()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "cmap-stsong-gbk.pdf"
    font = UnicodeCIDFont(FONT)
    assert font.encoding.name == "UniGB-UCS2-H", font.encoding.name
    pdfmetrics.registerFont(font)
    draw(out, FONT)


if __name__ == "__main__":
    main()
