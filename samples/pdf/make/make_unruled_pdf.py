#!/usr/bin/env python3
"""The nine standard budget tables of 青龙满族自治县行政审批局 2023 (Hebei layout, 万元) as an
UNRULED PDF: no cell borders, no rules, no lines of any kind; the columns are visible only by
the alignment of their text. Drawn with ReportLab in the built-in CID font STSong-Light
(predefined CMap UniGB-UCS2-H, font not embedded, no ToUnicode map).

The table contents (header words, rows, figures, page breaks) are those of
make_hebei_xlsx.py: its table builders are run against a recorder that stands in for its
worksheet class, so both samples print the same tables and break pages at the same rows.

Layout, per A4 landscape page:
* the title, centred, on a table's first page only;
* `436 青龙满族自治县行政审批局`, `预算年度: 2023` (left) and `单位: 万元` (right) lines;
* the group header words centred over the span of their columns, then the leaf header words
  centred in their columns (bottom-aligned; a long leaf header is wrapped onto two lines
  when the table would not fit the page otherwise);
* the 栏次 row (`栏次`, then 1, 2, 3 ... centred);
* body rows: 序号 centred, codes and labels left-aligned, figures right-aligned to the right
  edge of their column with two decimals, empty cells empty.
Every column has a fixed x-range; neighbouring columns are separated by GAP points (more than
one character width); the generator asserts that no text is wider than its column.

The output is byte-for-byte reproducible (ReportLab `invariant=1`).

Planted defects: `make(out, overrides)` takes an optional dict
{(table title, row code, leaf header): printed text} that replaces the text drawn in those
cells only (the column widths are still computed from the true figures, so nothing else on
the page moves); every override must hit exactly one cell. samples/planted/make_pdf.py uses
it. Without overrides the output is the committed qinglong-2023-budget-unruled.pdf.

Usage: python3 make_unruled_pdf.py OUT.pdf
"""
import sys

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

import make_hebei_xlsx as hebei

FONT = "STSong-Light"  # UnicodeCIDFont's default encoding for it is UniGB-UCS2-H
TITLE_PT = 16
BANNER_PT = 10
BODY_PT = 9.5  # header words, 栏次 row and body rows
GAP = 14  # points between neighbouring columns (> one CJK character at BODY_PT)
MARGIN_X = 40
PAGE_W, PAGE_H = landscape(A4)
TABLE_W = PAGE_W - 2 * MARGIN_X

TOP = PAGE_H - 50  # baseline of the first line of a page
BOTTOM = 40  # no baseline below this
TITLE_STEP = 30  # title baseline -> first banner line
BANNER_STEP = 16
HEAD_STEP = 20  # banner / group header / leaf header blocks
WRAP_STEP = 12.5  # the two lines of a wrapped leaf header
ROW_STEP = 17  # 栏次 row and body rows


def width(text, size=BODY_PT):
    return pdfmetrics.stringWidth(str(text), FONT, size)


# ---------------------------------------------------------------- the tables, recorded

class Recorded:
    """Stands in for make_hebei_xlsx.Sheet: records what the table builders write."""

    def __init__(self, book, name, title, widths, wrap_cols=()):
        self.name = name
        self.title = title
        self.spec = None
        self.rows = []  # (cells, kinds)
        self.breaks = set()  # page break after these data rows (1-based)
        self.notes = []
        book.append(self)

    def header(self, spec):
        self.spec = spec

    def data(self, cells, kinds):
        self.rows.append((list(cells), kinds))
        return len(self.rows)

    def page_break_after(self, row):
        self.breaks.add(row)

    def note(self, text):
        self.notes.append(text)


def recorded_tables():
    builders = (hebei.t1_summary, hebei.t2_income, hebei.t3_expense, hebei.t4_fiscal_summary,
                hebei.t5_gpb, hebei.t6_gpb_basic, hebei.t7_fund, hebei.t8_soe,
                hebei.t9_three_public)
    book = []
    sheet_class = hebei.Sheet
    hebei.Sheet = Recorded
    try:
        for build in builders:
            build(book)
    finally:
        hebei.Sheet = sheet_class
    return book


# ---------------------------------------------------------------- column layout

def split_header(label):
    """Two lines for a long leaf header, broken before its natural tail."""
    for tail in ("财政拨款", "上缴收入", "补助支出", "收入", "支出", "拨款"):
        if label.endswith(tail) and len(label) > len(tail) + 1:
            return [label[:-len(tail)], label[-len(tail):]]
    half = (len(label) + 1) // 2
    return [label[:half], label[half:]]


def cell_text(value, kind):
    if value is None or value == "":
        return None
    return f"{value:.2f}" if kind == "n" else str(value)


class Layout:
    """Leaf columns with fixed x-ranges, group headers, leaf header lines."""

    def __init__(self, table, like=None):
        self.leaves = []  # leaf header word per column
        self.groups = []  # (label, first column, last column)
        for label, span, subs in table.spec:
            if subs is None:
                assert span == 1
                self.leaves.append(label)
            else:
                self.groups.append((label, len(self.leaves), len(self.leaves) + span - 1))
                self.leaves.extend(subs)
        n = len(self.leaves)
        # a table printed without body (国有资本经营) takes the widths of a table like it
        rows = table.rows or (like.rows if like else [])
        self.kinds = rows[0][1] if rows else "c" + "t" * (n - 1)
        body = [0.0] * n
        for cells, kinds in rows:
            for i, (v, k) in enumerate(zip(cells, kinds)):
                text = cell_text(v, k)
                if text is not None:
                    body[i] = max(body[i], width(text))
        body[0] = max(body[0], width("栏次"))
        for i in range(1, n):
            body[i] = max(body[i], width(i))
        self.body = body
        # if the table does not fit the page, wrap the long leaf headers: first the longest,
        # then shorter ones, all leaves of one length together
        self.wrapped = [False] * n
        for shortest in (9, 8, 7, 6, 5, 4):
            if self.natural_total() <= TABLE_W:
                break
            self.wrapped = [len(leaf) >= shortest for leaf in self.leaves]
        if self.natural_total() > TABLE_W:
            raise SystemExit(f"{table.title}: does not fit {TABLE_W:.0f} pt")
        natural = self.natural()
        # spread the spare width over the label and figure columns
        grow = [i for i, k in enumerate(self.kinds) if k in "tn"]
        spare = TABLE_W - self.natural_total()
        self.widths = [w + (spare / len(grow) if i in grow else 0.0)
                       for i, w in enumerate(natural)]
        self.x0 = []
        x = MARGIN_X
        for w in self.widths:
            self.x0.append(x)
            x += w + GAP
        self.x1 = [a + w for a, w in zip(self.x0, self.widths)]
        assert abs(self.x1[-1] - (PAGE_W - MARGIN_X)) < 0.01
        for label, a, b in self.groups:
            assert width(label) <= self.x1[b] - self.x0[a], label

    def leaf_lines(self, i):
        return split_header(self.leaves[i]) if self.wrapped[i] else [self.leaves[i]]

    def natural(self):
        """Width of each column: its widest text; a group header widens its columns."""
        w = [max(b, *(width(s) for s in self.leaf_lines(i))) for i, b in enumerate(self.body)]
        for label, a, b in self.groups:
            span = sum(w[a:b + 1]) + GAP * (b - a)
            if width(label) > span:
                extra = (width(label) - span) / (b - a + 1)
                for i in range(a, b + 1):
                    w[i] += extra
        return w

    def natural_total(self):
        return sum(self.natural()) + GAP * (len(self.leaves) - 1)


# ---------------------------------------------------------------- drawing

class Pager:
    def __init__(self, c):
        self.c = c

    def text(self, x, y, s, size, align, lo=None, hi=None):
        """Draw s at baseline y; align 'l' from x, 'r' ending at x, 'c' centred on x. With
        lo/hi, assert that it stays inside that x-range."""
        w = width(s, size)
        left = {"l": x, "r": x - w, "c": x - w / 2}[align]
        if lo is not None:
            assert lo - 0.01 <= left and left + w <= hi + 0.01, (s, left, w, lo, hi)
        assert BOTTOM <= y, (s, y)
        self.c.setFont(FONT, size)
        {"l": self.c.drawString, "r": self.c.drawRightString,
         "c": self.c.drawCentredString}[align](x, y, s)


def row_code(cells, kinds):
    return next((str(v) for v, k in zip(cells, kinds) if k == "k" and v not in (None, "")),
                None)


def draw_table(c, table, lay, overrides=None, used=None):
    """overrides: {(row code, leaf header): text} for this table; hits are added to used."""
    overrides = overrides or {}
    p = Pager(c)
    n = len(lay.leaves)
    centre = [(a + b) / 2 for a, b in zip(lay.x0, lay.x1)]
    right = lay.x1[-1]

    def page_head(first):
        y = TOP
        if first:
            p.text(PAGE_W / 2, y, table.title, TITLE_PT, "c", MARGIN_X, right)
            y -= TITLE_STEP
        p.text(MARGIN_X, y, hebei.UNIT, BANNER_PT, "l")
        y -= BANNER_STEP
        p.text(MARGIN_X, y, hebei.YEAR, BANNER_PT, "l")
        y -= BANNER_STEP
        p.text(right, y, hebei.MONEY, BANNER_PT, "r")
        y -= HEAD_STEP
        # group header words over their spans
        if lay.groups:
            for label, a, b in lay.groups:
                p.text((lay.x0[a] + lay.x1[b]) / 2, y, label, BODY_PT, "c", lay.x0[a], lay.x1[b])
            y -= HEAD_STEP
        # leaf header words, bottom-aligned
        depth = max(len(lay.leaf_lines(i)) for i in range(n))
        for i in range(n):
            lines = lay.leaf_lines(i)
            for k, s in enumerate(lines):
                yy = y - (depth - len(lines) + k) * WRAP_STEP
                p.text(centre[i], yy, s, BODY_PT, "c", lay.x0[i], lay.x1[i])
        y -= (depth - 1) * WRAP_STEP + ROW_STEP + 2
        # 栏次 row
        p.text(centre[0], y, "栏次", BODY_PT, "c", lay.x0[0], lay.x1[0])
        for i in range(1, n):
            p.text(centre[i], y, str(i), BODY_PT, "c", lay.x0[i], lay.x1[i])
        return y - ROW_STEP

    y = page_head(first=True)
    for r, (cells, kinds) in enumerate(table.rows, start=1):
        assert kinds == lay.kinds, (table.title, r)
        for i, (v, k) in enumerate(zip(cells, kinds)):
            s = cell_text(v, k)
            key = (row_code(cells, kinds), lay.leaves[i])
            if key in overrides:
                assert key not in used, (table.title, key)
                used.add(key)
                s = overrides[key]
            if s is None:
                continue
            if k == "c":
                p.text(centre[i], y, s, BODY_PT, "c", lay.x0[i], lay.x1[i])
            elif k == "n":
                p.text(lay.x1[i], y, s, BODY_PT, "r", lay.x0[i], lay.x1[i])
            else:  # 'k' code, 't' label
                p.text(lay.x0[i], y, s, BODY_PT, "l", lay.x0[i], lay.x1[i])
        y -= ROW_STEP
        if r in table.breaks and r < len(table.rows):
            c.showPage()
            y = page_head(first=False)
    for note in table.notes:
        p.text(MARGIN_X, y, note, BANNER_PT, "l", MARGIN_X, right)
        y -= ROW_STEP
    c.showPage()


def make(out, overrides=None):
    """Write the PDF to out. overrides: {(table title, row code, leaf header): text}."""
    overrides = dict(overrides or {})
    font = UnicodeCIDFont(FONT)
    assert font.encoding.name == "UniGB-UCS2-H", font.encoding.name
    pdfmetrics.registerFont(font)
    # initialFontName: no unused Helvetica resource in the file
    c = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1,
                      initialFontName=FONT, initialFontSize=BODY_PT)
    c.setTitle("青龙满族自治县行政审批局 2023 年部门预算")
    c.setAuthor("gongkai samples")
    tables = recorded_tables()
    for t in tables:
        like = None
        if not t.rows:  # same header as an earlier table with rows: use its widths
            like = next(o for o in tables if o.rows and o.spec == t.spec)
        mine = {(code, col): text for (title, code, col), text in overrides.items()
                if title == t.title}
        used = set()
        draw_table(c, t, Layout(t, like), mine, used)
        assert used == set(mine), (t.title, set(mine) - used)
        for key in mine:
            del overrides[(t.title,) + key]
    assert not overrides, f"overrides for no table: {sorted(overrides)}"
    c.save()


def main():
    make(sys.argv[1] if len(sys.argv) > 1 else "qinglong-2023-budget-unruled.pdf")


if __name__ == "__main__":
    main()
