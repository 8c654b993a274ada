#!/usr/bin/env python3
"""Planted defect in a text-layer PDF: issue4-text-layer-figure.pdf is
samples/pdf/qinglong-2023-budget-unruled.pdf drawn by samples/pdf/make/make_unruled_pdf.py
with ONE printed cell changed (a publication error, not an OCR error):

    部门预算一般公共预算财政拨款基本支出表, row 30201 办公费, column 合计: 19.60 (truth 19.00)

Its 公用经费 column still prints 19.00, so the row no longer adds up (合计 ≠ 人员经费 + 公用经费),
nor does the 302 商品和服务支出 block (68.69). Everything else, including every column
position, is byte-for-byte what the generator draws without the override. Regenerate with

    python3 samples/planted/make_pdf.py

(needs ReportLab and openpyxl, as samples/pdf/make/README.md describes).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "pdf", "make"))

import make_unruled_pdf  # noqa: E402

# (table title, row code, leaf header) → printed text; the one change
OVERRIDES = {
    ("部门预算一般公共预算财政拨款基本支出表", "30201", "合计"): "19.60",
}


def main():
    make_unruled_pdf.make(os.path.join(HERE, "issue4-text-layer-figure.pdf"), OVERRIDES)


if __name__ == "__main__":
    main()
