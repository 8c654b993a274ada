#!/usr/bin/env python3
"""Check samples/pdf/qinglong-2023-budget-unruled.pdf (poppler-utils, no Python packages):

* the text, with check_pdfs.check: pages are assigned to tables by their titles; per table
  the multiset of printed decimal numbers equals the truth values, and every truth fact has a
  `pdftotext -layout` line with its row key and its value; the banner, `单位: 万元` and the
  empty 国有资本经营 note are there;
* the font (`pdffonts`): STSong-Light only, CID Type 0, UniGB-UCS2-H, not embedded, no
  ToUnicode;
* no lines: the page content streams hold no path construction or painting operator (m l c
  v y h re, S s f F f* B B* b b* n), so there are no rules, borders or boxes, only text.

Usage: python3 check_unruled_pdf.py [SAMPLES_PDF_DIR] [TRUTH_TSV]
"""
import base64
import os
import re
import subprocess
import sys
import zlib

import check_pdfs

NAME = "qinglong-2023-budget-unruled.pdf"
PATH_OPS = {b"m", b"l", b"c", b"v", b"y", b"h", b"re", b"S", b"s", b"f", b"F", b"f*",
            b"B", b"B*", b"b", b"b*", b"n"}


def read_truth(path):
    truth = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            truth.append((cols[0], cols[1], cols[2], cols[5]))
    return truth


def check_fonts(pdf):
    out = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    rows = [ln.split() for ln in out.splitlines()[2:] if ln.strip()]
    want = [["STSong-Light", "CID", "Type", "0", "UniGB-UCS2-H", "no", "no", "no"]]
    got = [r[:8] for r in rows]
    if got != want:
        print(f"{pdf}: fonts {got}, want {want}")
        return 1
    return 0


def streams(pdf):
    """Decoded bodies of the file's streams (ReportLab writes /ASCII85Decode /FlateDecode)."""
    data = open(pdf, "rb").read()
    for m in re.finditer(rb"<<((?:(?!>>).)*?)>>\s*stream\r?\n", data, flags=re.S):
        start = m.end()
        body = data[start:data.index(b"endstream", start)]
        filt = re.search(rb"/Filter\s*(\[[^\]]*\]|/\w+)", m.group(1))
        for name in re.findall(rb"/(\w+)", filt.group(1)) if filt else []:
            if name == b"ASCII85Decode":
                body = base64.a85decode(body.strip(), adobe=True)
            elif name == b"FlateDecode":
                body = zlib.decompress(body)
            else:
                raise ValueError(f"{pdf}: unexpected filter {name!r}")
        yield body


def content_operators(pdf):
    """The operators of all streams (here: the page content streams)."""
    ops = set()
    for body in streams(pdf):
        # drop strings, then keep the bare words that are not numbers, names or brackets
        body = re.sub(rb"\((?:\\.|[^\\)])*\)", b" ", body, flags=re.S)
        body = re.sub(rb"<[0-9A-Fa-f\s]*>", b" ", body)
        for tok in body.split():
            if not re.fullmatch(rb"[-+]?[\d.]+|/.*|\[|\]", tok):
                ops.add(tok)
    return ops


def check_no_lines(pdf):
    ops = content_operators(pdf)
    if not ops or b"Tj" not in ops and b"TJ" not in ops:
        print(f"{pdf}: no text operators found in the content streams ({sorted(ops)})")
        return 1
    bad = ops & PATH_OPS
    if bad:
        print(f"{pdf}: path operators in the content streams: {sorted(bad)}")
        return 1
    return 0


def main():
    pdf_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(check_pdfs.HERE)
    truth_path = sys.argv[2] if len(sys.argv) > 2 else check_pdfs.TRUTH
    pdf = os.path.join(pdf_dir, NAME)
    errors = check_pdfs.check(pdf, read_truth(truth_path))
    alltext = "".join(check_pdfs.pages(pdf))
    for must in ("436 青龙满族自治县行政审批局", "预算年度: 2023", "单位: 万元",
                 "注: 无国有资本经营预算财政拨款预算, 空表列示。"):
        if must not in alltext:
            errors += 1
            print(f"{pdf}: missing {must!r}")
    errors += check_fonts(pdf)
    errors += check_no_lines(pdf)
    print("OK" if errors == 0 else f"{errors} problem(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
