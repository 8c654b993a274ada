#!/usr/bin/env python3
"""Planted defects: copies of samples/ocr-text/qinglong-2023-budget.txt with one documented
edit each, named after the issue that asked for them. Their expected outcomes are in
expected.toml beside this file, checked by tests/planted.rs. Regenerate with

    python3 samples/planted/make.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "..", "ocr-text", "qinglong-2023-budget.txt")

# name → [(1-based line, old text, new text)]; old must occur in that line. A new text of
# None deletes lines `line` to `old` (both 1-based, inclusive; `old` is then an int).
EDITS = {
    # The 国有资本经营 table printed with figures although its note says 空表列示, and the
    # 财政拨款收支总表 shows no state-capital spending: both must be flagged.
    "issue4-soe-with-figures": [
        (300, "栏次\t1\t2\t3\t4\t5", "栏次\t1\t2\t3\t4\t5\n1\t\t合计\t5.00\t\t5.00\n2\t223\t国有资本经营预算支出\t5.00\t\t5.00\n"
              "3\t22301\t国有资本经营预算支出\t5.00\t\t5.00\n4\t2230199\t其他国有资本经营预算支出\t5.00\t\t5.00"),
    ],
    # 年末财政拨款结转和结余 printed as 0.00 with its three sub-rows: every identity holds.
    "issue4-year-end-carry-over": [
        (191, "年末财政拨款结转和结余\t\t", "年末财政拨款结转和结余\t0.00\t"),
        (192, "19.40\t\t", "19.40\t一、一般公共预算拨款\t0.00"),
        (193, "11.35\t\t", "11.35\t二、政府性基金预算拨款\t0.00"),
        (194, "三、国有资本经营预算拨款\t\t", "三、国有资本经营预算拨款\t\t三、国有资本经营预算拨款\t0.00"),
    ],
    # The narrative restates a figure wrongly: 一般公共预算收入 590.01 for the tables' 509.01.
    "issue4-narrative-figure": [(364, "一般公共预算收入509.01万元", "一般公共预算收入590.01万元")],
    # OCR-like corruptions, each to be repaired or inferred back to the truth with evidence:
    # 8 read as 3 (收支总表 政府性基金预算拨款收入), a lost decimal point (支出总表 208 合计),
    # a lost figure (收入总表 201 合计).
    "issue4-ocr-confusable-digit": [(41, "198. 30", "193. 30")],
    "issue4-ocr-lost-point": [(132, "\t52. 27\t", "\t5227\t")],
    "issue4-ocr-blank-cell": [(93, "\t419. 39\t", "\t\t")],
    # The 财政拨款"三公"经费支出表 left out of the document (lines 304–321).
    "issue4-table-removed": [(304, 321, None)],
    # The document's own heading says 2022 in a 2023 budget.
    "issue4-heading-year": [(1, "2023 年部门预算信息公开目录", "2022 年部门预算信息公开目录")],
    # The 支出总表's page banner says 2022 in a 2023 budget.
    "issue4-banner-year": [(122, "预算年度: 2023", "预算年度: 2022")],
}


def main():
    seed = open(SEED, encoding="utf-8").read().split("\n")
    for name, edits in EDITS.items():
        lines = list(seed)
        # Bottom-up, so earlier line numbers stay valid.
        for number, old, new in sorted(edits, key=lambda e: e[0], reverse=True):
            if new is None:
                del lines[number - 1 : old]
                continue
            assert old in lines[number - 1], f"{name}: line {number} has no {old!r}: {lines[number - 1]!r}"
            lines[number - 1] = lines[number - 1].replace(old, new, 1)
        with open(os.path.join(HERE, f"{name}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines))


if __name__ == "__main__":
    main()
