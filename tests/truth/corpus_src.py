#!/usr/bin/env python3
"""Expand a hand-typed corpus truth source (tests/truth/corpus-src/<doc>.src) into the
truth TSV (tests/truth/<doc>.tsv), and parse it for check_corpus_truth.py.

The source is typed by hand from page images and `pdftotext -layout`; this script only
changes its notation (one printed line with its figures -> one TSV line per figure). It
knows nothing about gongkai.

Usage: python3 corpus_src.py corpus-src/<doc>.src [...]   (writes ../<doc>.tsv beside)

Source notation (UTF-8, one directive or printed line per line; `#` starts a comment):

  @table <id>                 the standard table the following lines belong to
  @cols [<side>] <p1> <p2> …  the printed value columns, left to right, each as its header
                              path `group/sub/leaf` (the leaf is the lowest header cell;
                              the fact's column is label_key(leaf)). <side> is income or
                              expense in two-sided tables.
  <side>? | <label> | <under> | <v1> <v2> …
                              one printed row. <side> is I or E in two-sided tables and
                              empty otherwise; <label> is the printed row label, with its
                              code in front where it has one (`201 一般公共服务支出`,
                              `[212]城乡社区支出`); <under> is the parent heading, printed
                              form, or empty; values in column order, `-` for a blank cell.
  = <row> | <column> | <side> | <under> | <value>
                              one fact typed directly (transposed tables): row and column
                              are printed forms and are label_key'd.
"""

import os
import re
import sys
import unicodedata

HEADER = ["table", "row", "column", "side", "under", "value", "flag", "unit"]
QUOTES = set('"\'“”‘’「」')
ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|\([一二三四五六七八九十百]+\)|\(\d+\)|\d+、|\d+\.(?!\d))")
CODE = re.compile(r"^\[?(\d{3}|\d{5}|\d{7})\]?(?=\D|$)")
SIDES = {"I": "income", "E": "expense", "": ""}


def label_key(s):
    """NFKC, no white space, no quotes, leading ordinal and leading 其中: dropped.

    Ordinals are 一、 (三) (3) 3、 3. ; `其中:` and an ordinal may both lead, in either
    order (`其中:(1)公务用车购置费` -> 公务用车购置费)."""
    t = "".join(c for c in unicodedata.normalize("NFKC", s) if not c.isspace() and c not in QUOTES)
    for _ in range(2):
        t = ORDINAL.sub("", t, count=1)
        if t.startswith("其中:"):
            t = t[3:]
    return t


def row_key(label):
    m = CODE.match(label.strip())
    if m:
        return m.group(1)
    return label_key(label)


def heading(cols, path):
    """The contract's `under` for a column where its side prints a leaf twice (小计 under
    当年预算 and under 上年结转结余): the outermost heading over it, and for a total leaf
    (小计) the group it totals too (`当年预算/基本支出`); else nothing."""
    leaves = [label_key(c.split("/")[-1]) for c in cols]
    if len(set(leaves)) == len(leaves):
        return ""
    groups = [label_key(g) for g in path.split("/")[:-1]]
    if label_key(path.split("/")[-1]) not in ("小计", "合计", "总计"):
        groups = groups[:1]
    return "/".join(groups)


def parse(path):
    """Returns (facts, colpaths): facts are dicts in printed order with the TSV fields plus
    `path` (the full header path) and `inst` (a counter that tells apart two printed rows
    with the same key); colpaths maps (table, side) to the column paths."""
    facts, colpaths = [], {}
    table = None
    seen = {}
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        where = f"{path}:{n}"
        if line.startswith("@table"):
            table = line.split()[1]
            continue
        if line.startswith("@cols"):
            parts = line.split()[1:]
            side = ""
            if parts and parts[0] in ("income", "expense"):
                side, parts = parts[0], parts[1:]
            colpaths[(table, side)] = parts
            continue
        if line.startswith("="):
            f = [x.strip() for x in line[1:].split("|")]
            assert len(f) == 5, where
            row, col, side, under, value = f
            facts.append(dict(table=table, row=label_key(row), column=label_key(col),
                              side=side, under=label_key(under), value=value, flag="",
                              unit="", path=col, inst=0, where=where))
            continue
        f = [x.strip() for x in line.split("|")]
        assert len(f) == 4, f"{where}: {line!r}"
        s, label, under, values = f
        side = SIDES[s]
        cols = colpaths[(table, side)]
        vals = values.split()
        assert len(vals) == len(cols), f"{where}: {len(vals)} values for {len(cols)} columns"
        row, under_k = row_key(label), label_key(under)
        k = (table, row, side, under_k)
        seen[k] = seen.get(k, -1) + 1
        for p, v in zip(cols, vals):
            if v == "-":
                continue
            assert re.fullmatch(r"-?\d+(\.\d+)?", v), f"{where}: bad value {v!r}"
            heads = [h for h in (under_k, heading(cols, p)) if h]
            facts.append(dict(table=table, row=row, column=label_key(p.split("/")[-1]),
                              side=side, under="/".join(heads), value=v, flag="", unit="",
                              path=p, inst=seen[k], where=where))
    return facts, colpaths


def write_tsv(facts, out):
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\t".join(HEADER) + "\n")
        for f in facts:
            fh.write("\t".join(f[h] for h in HEADER) + "\n")


def main():
    for src in sys.argv[1:]:
        facts, _ = parse(src)
        doc = os.path.splitext(os.path.basename(src))[0]
        out = os.path.join(os.path.dirname(os.path.abspath(src)), "..", doc + ".tsv")
        write_tsv(facts, out)
        print(f"{os.path.normpath(out)}: {len(facts)} facts")


if __name__ == "__main__":
    main()
