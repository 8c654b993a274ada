#!/usr/bin/env python3
"""Check the generated sample PDFs against tests/truth/qinglong-2023-budget.tsv using
`pdftotext -layout` (poppler-utils).

* qinglong-2023-budget-hebei.pdf: pages are assigned to tables by their titles (continuation
  pages belong to the table before); for every table the multiset of printed decimal numbers
  must equal the multiset of truth values, and every truth fact must have a text line with
  its row key (code or label) and its value.
* cmap-stsong-gbk.pdf: the same for the three_public facts.
* cmap-stsong-gbk-euc.pdf: the same, on the NFKC form of the text (poppler maps the
  half-width CIDs of GBK-EUC-H's single bytes to full-width characters: ４．４０).

Usage: python3 check_pdfs.py [SAMPLES_PDF_DIR] [TRUTH_TSV]
"""
import collections
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PDF_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(HERE)
TRUTH = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    HERE, "..", "..", "..", "tests", "truth", "qinglong-2023-budget.tsv")

TITLES = [  # order matters: longer titles first
    ("fiscal_summary", "部门预算财政拨款收支总表"),
    ("gpb_basic_expense", "部门预算一般公共预算财政拨款基本支出表"),
    ("gpb_expense", "部门预算一般公共预算财政拨款支出表"),
    ("gov_fund_expense", "部门预算政府基金预算财政拨款支出表"),
    ("soe_expense", "部门预算国有资本经营预算财政拨款支出表"),
    ("three_public", '部门预算财政拨款"三公"经费支出表'),
    ("summary", "部门预算收支总表"),
    ("income", "部门预算收入总表"),
    ("expense", "部门预算支出总表"),
]
NUM = re.compile(r"(?<![\d.])\d+\.\d{2}(?![\d.])")


def pages(pdf, nfkc=False):
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout).group(1))
    for i in range(1, n + 1):
        page = subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), pdf, "-"],
                              capture_output=True, text=True, check=True).stdout
        yield unicodedata.normalize("NFKC", page) if nfkc else page


def norm(s):
    return s.replace('"', "").replace("“", "").replace("”", "")


def check(pdf, truth, only=None, nfkc=False):
    text = collections.defaultdict(list)
    current = None
    for page in pages(pdf, nfkc):
        head = page.strip().splitlines()[0].strip() if page.strip() else ""
        for key, title in TITLES:
            if head == title:
                current = key
                break
        text[current].append(page)
    errors = 0
    for table in sorted({t for t, *_ in truth}):
        if only and table not in only:
            continue
        body = "".join(text.get(table, []))
        lines = [norm(line) for line in body.splitlines()]
        want = collections.Counter(v for t, _r, _c, v in truth if t == table)
        got = collections.Counter(NUM.findall(body))
        if want != got:
            errors += 1
            print(f"{pdf}: {table}: numbers differ: missing {dict(want - got)}, extra {dict(got - want)}")
        for t, row, col, value in truth:
            if t != table:
                continue
            key = norm(row)
            hit = any(value in NUM.findall(ln) and
                      (key in ln.split() if key.isdigit() else key in ln) for ln in lines)
            if not hit:
                errors += 1
                print(f"{pdf}: {table}: no line with {row!r} and {value} ({col})")
    return errors


def main():
    truth = []
    with open(TRUTH, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            truth.append((cols[0], cols[1], cols[2], cols[5]))
    errors = check(os.path.join(PDF_DIR, "qinglong-2023-budget-hebei.pdf"), truth)
    hebei = os.path.join(PDF_DIR, "qinglong-2023-budget-hebei.pdf")
    allt = "".join(pages(hebei))
    for must in ("436 青龙满族自治县行政审批局", "预算年度: 2023", "单位: 万元",
                 "注: 无国有资本经营预算财政拨款预算, 空表列示。"):
        if must not in allt:
            errors += 1
            print(f"{hebei}: missing {must!r}")
    errors += check(os.path.join(PDF_DIR, "cmap-stsong-gbk.pdf"), truth, only={"three_public"})
    errors += check(os.path.join(PDF_DIR, "cmap-stsong-gbk-euc.pdf"), truth,
                    only={"three_public"}, nfkc=True)
    print("OK" if errors == 0 else f"{errors} problem(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
