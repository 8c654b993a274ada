#!/usr/bin/env python3
"""Check the within-table accounting identities of a hand-made truth TSV.

Usage: python3 check_truth.py [path/to/truth.tsv]
       (default: qinglong-2023-budget.tsv next to this script)

Two layouts are known, detected from the file's content (the layout is reported on
stderr, so stdout stays the identity report):
  hebei     e.g. qinglong-2023-budget.tsv: 合计 row at the top, T1 with 本年收入合计 and
            上年结转结余, T4 income column 金额, the 9-item "三公" tree.
  shanghai  e.g. putuo-office-2025-budget.tsv: 合计 row at the bottom, codes 3/5/7
            (economic 3/5), T1 income 财政拨款收入 with sub-rows (under 财政拨款收入),
            T4 income column 预算数, three_public read transposed (column 预算数, unit 万元).

A third layout, final accounts (部门决算, domain.md §5.2), is selected by file name, not by
content: a file whose name contains "-final" (e.g. putuo-finance-2024-final.tsv):
  final     columns 决算数 / 本年收入合计 / 本年支出合计, 合计 row at the top or the bottom,
            T1 with 使用非财政拨款结余 / 年初结转和结余 and 结余分配 / 年末结转和结余, T4 with
            年初/年末财政拨款结转和结余 (sub-rows under them), T6 as two economic blocks with
            the footer rows 人员经费合计 / 公用经费合计 (column 决算数), three_public read
            transposed with columns 预算数 and 决算数 (unit: the document's).

Identities (domain.md §5.1 A-D):
  A  row sums (T2, T3, T4 expense side, T5/T7/T8, T6, T9)
  B  hierarchy: 类 = Σ 款, 款 = Σ 项 by code prefix (functional and economic),
     and the fixed T9 item tree
  C  合计 row = Σ 类 rows; T6 人员经费/公用经费 totals by economic 类
  D  both sides of the two-sided summaries (T1, T4), incl. T4 per-type balance

Blank cell = 0. Every identity is  Σ totals = Σ addends  (usually one total).
expected = Σ addends (computed), actual = Σ totals (printed), diff = actual - expected.
n = non-blank printed addends (+ extra non-blank totals beyond the first);
tolerance = 0.005 * n, and 0 when n <= 1 (single-addend restatement).
An identity whose terms are all blank is skipped (nothing printed to check).
Exit status 1 if any identity FAILs or the file is malformed.
Python 3 standard library only; Decimal throughout, no floats.
"""

import os
import sys
import unicodedata
from decimal import Decimal, InvalidOperation

HEADER = ["table", "row", "column", "side", "under", "value", "flag", "unit"]
UNITS = ("", "元", "万元")  # "" = the document's unit; otherwise the table's own unit
TABLES = ["summary", "income", "expense", "fiscal_summary", "gpb_expense",
          "gpb_basic_expense", "gov_fund_expense", "soe_expense", "three_public"]
CODED = ["income", "expense", "gpb_expense", "gpb_basic_expense",
         "gov_fund_expense", "soe_expense"]
ZERO = Decimal("0")
UNIT_TOL = Decimal("0.005")

# --- row-sum definitions (A) ------------------------------------------------
INCOME_SOURCES = ["财政拨款收入", "财政专户收入", "事业收入", "经营收入",
                  "上级补助收入", "附属单位上缴收入", "其他收入"]
ROW_SUMS = {
    "income": [("合计", ["小计", "上年结转"]), ("小计", INCOME_SOURCES)],
    "expense": [("合计", ["基本支出", "项目支出", "经营支出", "上解上级支出",
                        "对附属单位补助支出"])],
    "gpb_expense": [("合计", ["基本支出", "项目支出"])],
    "gov_fund_expense": [("合计", ["基本支出", "项目支出"])],
    "soe_expense": [("合计", ["基本支出", "项目支出"])],
    "gpb_basic_expense": [("合计", ["人员经费", "公用经费"])],
    "three_public": [("合计", ["一般公共预算财政拨款", "政府性基金预算拨款",
                             "国有资本经营预算财政拨款"])],
}
T4_TYPES = [  # (income-side label, expense-side column)
    ("一般公共预算拨款", "一般公共预算财政拨款"),
    ("政府性基金预算拨款", "政府性基金预算财政拨款"),
    ("国有资本经营预算拨款", "国有资本经营预算财政拨款"),
]
T4_EXP_COLS = ["合计"] + [c for _, c in T4_TYPES]
T9_TREE = [  # (parent, children)
    ("三公经费", ["因公出国(境)费", "公务用车购置及运维费", "公务接待费"]),
    ("因公出国(境)费", ["教育科研人员因公出国(境)费", "其他因公出国(境)费"]),
    ("公务用车购置及运维费", ["公务用车购置费", "公务用车运行维护费"]),
    ("合计", ["三公经费"]),
]
T9_COLS = ["合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"]
PERSONNEL_CLASSES = {"301", "303"}  # economic 类 paid from 人员经费; the rest is 公用经费


def load(path):
    """Return (cells, rows, inferred, units, problems).

    cells:    {(table, row, column, side, under): Decimal}
    rows:     {table: [(row, side, under), ...]} in file order, unique
    inferred: set of cell keys flagged 'inferred'
    units:    {cell key: unit} ("" = the document's unit)
    """
    cells, rows, inferred, units, problems = {}, {t: [] for t in TABLES}, set(), {}, []
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        problems.append("header is not exactly: " + "\\t".join(HEADER))
    for no, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            problems.append(f"line {no}: {len(fields)} fields, expected {len(HEADER)}")
            continue
        table, row, column, side, under, value, flag, unit = fields
        if table not in TABLES:
            problems.append(f"line {no}: unknown table {table!r}")
        if unicodedata.normalize("NFKC", row + column + under) != row + column + under:
            problems.append(f"line {no}: key is not NFKC-normalised")
        if side not in ("", "income", "expense"):
            problems.append(f"line {no}: bad side {side!r}")
        if (side != "") != (table in ("summary", "fiscal_summary")):
            problems.append(f"line {no}: side must be set exactly for two-sided tables")
        if flag not in ("", "inferred"):
            problems.append(f"line {no}: bad flag {flag!r}")
        if unit not in UNITS:
            problems.append(f"line {no}: bad unit {unit!r}")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            problems.append(f"line {no}: value {value!r} is not a decimal")
            continue
        if not value or value.strip() != value or "," in value:
            problems.append(f"line {no}: value {value!r} is not a plain decimal")
        key = (table, row, column, side, under)
        if key in cells:
            problems.append(f"line {no}: duplicate cell {key}")
        cells[key] = amount
        units[key] = unit
        if flag == "inferred":
            inferred.add(key)
        rk = (row, side, under)
        if table in rows and rk not in rows[table]:
            rows[table].append(rk)
    return cells, rows, inferred, units, problems


class Checker:
    def __init__(self, cells, inferred):
        self.cells = cells
        self.inferred = inferred
        self.results = []  # (status, id, text)
        self.skipped = 0

    def get(self, key):
        return self.cells.get(key)

    def identity(self, ident, text, totals, addends):
        """totals, addends: lists of cell keys. Blank (missing) cell = 0."""
        tv = [self.get(k) for k in totals]
        av = [self.get(k) for k in addends]
        if all(v is None for v in tv + av):
            self.skipped += 1
            return
        actual = sum((v for v in tv if v is not None), ZERO)
        expected = sum((v for v in av if v is not None), ZERO)
        n = sum(v is not None for v in av) + max(0, sum(v is not None for v in tv) - 1)
        tol = ZERO if n <= 1 else UNIT_TOL * n
        diff = actual - expected
        if diff == 0:
            status = "exact"
        elif abs(diff) <= tol:
            status = "rounding"
        else:
            status = "FAIL"
        note = " (uses inferred value)" if any(k in self.inferred for k in totals + addends) else ""
        self.results.append((status, ident,
                             f"{text}: expected={expected} actual={actual} diff={diff:+} "
                             f"n={n} tol={tol}{note}"))


def codes(rows):
    return [r for r, _, _ in rows if r.isdigit()]


def run(cells, rows, inferred):
    """Hebei layout (qinglong)."""
    ck = Checker(cells, inferred)

    # ---- A: row sums ----
    for table, sums in ROW_SUMS.items():
        for row, side, under in rows[table]:
            for total, parts in sums:
                ck.identity(f"A.{table}", f"{table}[{row}] {total} = " + " + ".join(parts),
                            [(table, row, total, side, under)],
                            [(table, row, c, side, under) for c in parts])
    for row, side, under in rows["fiscal_summary"]:
        if side == "expense":
            ck.identity("A.fiscal_summary",
                        f"fiscal_summary[expense {row}] 合计 = " + " + ".join(T4_EXP_COLS[1:]),
                        [("fiscal_summary", row, "合计", side, under)],
                        [("fiscal_summary", row, c, side, under) for c in T4_EXP_COLS[1:]])

    # ---- B: hierarchy by code prefix (类 = Σ款, 款 = Σ项; economic 类 = Σ款) ----
    for table in CODED:
        cs = codes(rows[table])
        cols = sorted({k[2] for k in cells if k[0] == table},
                      key=lambda c: [k[2] for k in cells if k[0] == table].index(c))
        for parent in cs:
            kids = [c for c in cs if len(c) == len(parent) + 2 and c.startswith(parent)]
            if not kids:
                continue
            for col in cols:
                ck.identity(f"B.{table}", f"{table}[{parent}] {col} = Σ " + "+".join(kids),
                            [(table, parent, col, "", "")],
                            [(table, k, col, "", "") for k in kids])
    for parent, kids in T9_TREE:
        for col in T9_COLS:
            ck.identity("B.three_public", f"three_public[{parent}] {col} = " + " + ".join(kids),
                        [("three_public", parent, col, "", "")],
                        [("three_public", k, col, "", "") for k in kids])

    # ---- C: 合计 row = Σ 类 rows; T6 人员/公用 by 类 ----
    for table in CODED:
        classes = [c for c in codes(rows[table]) if len(c) == 3]
        cols = []
        for k in cells:
            if k[0] == table and k[2] not in cols:
                cols.append(k[2])
        for col in cols:
            ck.identity(f"C.{table}", f"{table}[合计] {col} = Σ类 " + "+".join(classes),
                        [(table, "合计", col, "", "")],
                        [(table, c, col, "", "") for c in classes])
    classes = [c for c in codes(rows["gpb_basic_expense"]) if len(c) == 3]
    pers = [c for c in classes if c in PERSONNEL_CLASSES]
    publ = [c for c in classes if c not in PERSONNEL_CLASSES]
    t = "gpb_basic_expense"
    ck.identity(f"C.{t}", f"{t}[合计] 人员经费 = Σ 合计 of 类 " + "+".join(pers),
                [(t, "合计", "人员经费", "", "")], [(t, c, "合计", "", "") for c in pers])
    ck.identity(f"C.{t}", f"{t}[合计] 公用经费 = Σ 合计 of 类 " + "+".join(publ),
                [(t, "合计", "公用经费", "", "")], [(t, c, "合计", "", "") for c in publ])
    for c in classes:  # each 类 sits wholly in one column (restatement, tol 0)
        col = "人员经费" if c in PERSONNEL_CLASSES else "公用经费"
        ck.identity(f"C.{t}", f"{t}[{c}] {col} = 合计 (类 wholly in {col})",
                    [(t, c, col, "", "")], [(t, c, "合计", "", "")])

    # ---- D: two-sided summaries ----
    s = "summary"
    inc_struct = {"本年收入合计", "上年结转结余", "收入总计"}
    exp_struct = {"本年支出合计", "年终结转结余", "支出总计"}
    inc_items = [r for r, sd, u in rows[s] if sd == "income" and r not in inc_struct]
    exp_items = [r for r, sd, u in rows[s] if sd == "expense" and r not in exp_struct]
    col = "预算数"
    I = lambda r: (s, r, col, "income", "")
    E = lambda r: (s, r, col, "expense", "")
    ck.identity("D.summary", "本年收入合计 = Σ income items " + "+".join(inc_items),
                [I("本年收入合计")], [I(r) for r in inc_items])
    ck.identity("D.summary", "收入总计 = 本年收入合计 + 上年结转结余",
                [I("收入总计")], [I("本年收入合计"), I("上年结转结余")])
    ck.identity("D.summary", "本年支出合计 = Σ expense 类 " + "+".join(exp_items),
                [E("本年支出合计")], [E(r) for r in exp_items])
    ck.identity("D.summary", "支出总计 = 本年支出合计 + 年终结转结余",
                [E("支出总计")], [E("本年支出合计"), E("年终结转结余")])
    ck.identity("D.summary", "收入总计 = 支出总计", [I("收入总计")], [E("支出总计")])

    f = "fiscal_summary"
    carry_in, carry_out = "年初财政拨款结转和结余", "年末财政拨款结转和结余"
    inc_struct = {"本年收入合计", carry_in, "收入总计"}
    exp_struct = {"本年支出合计", carry_out, "支出总计"}
    inc_items = [r for r, sd, u in rows[f] if sd == "income" and u == "" and r not in inc_struct]
    exp_items = [r for r, sd, u in rows[f] if sd == "expense" and u == "" and r not in exp_struct]
    FI = lambda r, under="": (f, r, "金额", "income", under)
    FE = lambda r, c, under="": (f, r, c, "expense", under)
    ck.identity("D.fiscal_summary", "本年收入合计 = Σ income items " + "+".join(inc_items),
                [FI("本年收入合计")], [FI(r) for r in inc_items])
    subs_in = [r for r, sd, u in rows[f] if sd == "income" and u == carry_in]
    ck.identity("D.fiscal_summary", f"{carry_in} = Σ sub-rows " + "+".join(subs_in),
                [FI(carry_in)], [FI(r, carry_in) for r in subs_in])
    ck.identity("D.fiscal_summary", f"收入总计 = 本年收入合计 + {carry_in}",
                [FI("收入总计")], [FI("本年收入合计"), FI(carry_in)])
    for c in T4_EXP_COLS:
        ck.identity("D.fiscal_summary", f"本年支出合计 {c} = Σ expense 类 " + "+".join(exp_items),
                    [FE("本年支出合计", c)], [FE(r, c) for r in exp_items])
        subs_out = [r for r, sd, u in rows[f] if sd == "expense" and u == carry_out]
        ck.identity("D.fiscal_summary", f"{carry_out} {c} = Σ sub-rows",
                    [FE(carry_out, c)], [FE(r, c, carry_out) for r in subs_out])
        ck.identity("D.fiscal_summary", f"支出总计 {c} = 本年支出合计 + {carry_out}",
                    [FE("支出总计", c)], [FE("本年支出合计", c), FE(carry_out, c)])
    ck.identity("D.fiscal_summary", "收入总计 金额 = 支出总计 合计",
                [FI("收入总计")], [FE("支出总计", "合计")])
    for inc_label, exp_col in T4_TYPES:
        ck.identity("D.fiscal_summary",
                    f"per type {inc_label}: 本年支出合计[{exp_col}] + 年末 = 本年收入 + 年初",
                    [FE("本年支出合计", exp_col), FE(carry_out, exp_col)],
                    [FI(inc_label), FI(inc_label, carry_in)])
    return ck


# --- Shanghai layout (putuo) --------------------------------------------------
SH_ROW_SUMS = {
    "income": [("合计", ["财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"])],
    "expense": [("合计", ["基本支出", "项目支出"])],
    "gpb_expense": [("合计", ["基本支出", "项目支出"])],
    "gov_fund_expense": [("合计", ["基本支出", "项目支出"])],
    "soe_expense": [("合计", ["基本支出", "项目支出"])],
    "gpb_basic_expense": [("合计", ["人员经费", "公用经费"])],
}
SH_FUNCTIONAL = ["income", "expense", "gpb_expense", "gov_fund_expense", "soe_expense"]
SH_T4_TYPES = [  # (income-side row, expense-side column)
    ("一般公共预算资金", "一般公共预算"),
    ("政府性基金", "政府性基金预算"),
    ("国有资本经营预算", "国有资本经营预算"),
]
SH_T4_EXP_COLS = ["合计"] + [c for _, c in SH_T4_TYPES]
SH_T9_CAR = "公务用车购置及运行费"
SH_T9_TREE = [  # (parent, parent's under, children, children's under)
    ("合计", "", ["因公出国(境)费", SH_T9_CAR, "公务接待费"], ""),
    (SH_T9_CAR, "", ["购置费", "运行费"], SH_T9_CAR),
]
SH_T9_ROWS = {("合计", ""), ("因公出国(境)费", ""), (SH_T9_CAR, ""), ("购置费", SH_T9_CAR),
              ("运行费", SH_T9_CAR), ("公务接待费", ""), ("机关运行经费", "")}
SH_T1_UNDER = "财政拨款收入"


def detect_layout(cells):
    """'shanghai' if the content shows the Shanghai layout, else 'hebei'."""
    for table, row, column, side, under in cells:
        if table == "three_public" and column == "预算数":
            return "shanghai"
        if table == "fiscal_summary" and side == "income" and column == "预算数":
            return "shanghai"
        if table == "summary" and under == SH_T1_UNDER:
            return "shanghai"
    return "hebei"


def shanghai_layout_problems(cells, rows, units):
    """Structural rules of the Shanghai layout, reported as format problems."""
    problems = []
    for table in CODED:
        if not rows[table]:
            continue
        lengths = (3, 5) if table == "gpb_basic_expense" else (3, 5, 7)
        names = [r for r, _, _ in rows[table]]
        for r in names:
            if r != "合计" and not (r.isdigit() and len(r) in lengths):
                problems.append(f"{table}: row {r!r} is neither 合计 nor a code of length "
                                + "/".join(map(str, lengths)))
        if names[-1] != "合计":
            problems.append(f"{table}: the 合计 row is not at the bottom")
        if any(sd or u for _, sd, u in rows[table]):
            problems.append(f"{table}: side/under must be empty")
    for r, sd, u in rows["summary"] + rows["fiscal_summary"]:
        if u not in ("", SH_T1_UNDER):
            problems.append(f"summary/fiscal_summary: unexpected under {u!r} on {r!r}")
    for r, sd, u in rows["three_public"]:
        if (r, u) not in SH_T9_ROWS:
            problems.append(f"three_public: unknown item {r!r} under {u!r}")
    for key, unit in units.items():
        want = "万元" if key[0] == "three_public" else ""
        if unit != want:
            problems.append(f"{key}: unit {unit!r}, expected {want!r}")
    return problems


def run_shanghai(cells, rows, inferred):
    """Shanghai layout (putuo)."""
    ck = Checker(cells, inferred)

    # ---- A: row sums ----
    for table, sums in SH_ROW_SUMS.items():
        for row, side, under in rows[table]:
            for total, parts in sums:
                ck.identity(f"A.{table}", f"{table}[{row}] {total} = " + " + ".join(parts),
                            [(table, row, total, side, under)],
                            [(table, row, c, side, under) for c in parts])
    for row, side, under in rows["fiscal_summary"]:
        if side == "expense":
            ck.identity("A.fiscal_summary",
                        f"fiscal_summary[expense {row}] 合计 = " + " + ".join(SH_T4_EXP_COLS[1:]),
                        [("fiscal_summary", row, "合计", side, under)],
                        [("fiscal_summary", row, c, side, under) for c in SH_T4_EXP_COLS[1:]])

    # ---- B: hierarchy by code prefix; the three_public item tree ----
    for table in CODED:
        cs = codes(rows[table])
        cols = []
        for k in cells:
            if k[0] == table and k[2] not in cols:
                cols.append(k[2])
        for parent in cs:
            kids = [c for c in cs if len(c) == len(parent) + 2 and c.startswith(parent)]
            if not kids:
                continue
            for col in cols:
                ck.identity(f"B.{table}", f"{table}[{parent}] {col} = Σ " + "+".join(kids),
                            [(table, parent, col, "", "")],
                            [(table, k, col, "", "") for k in kids])
    t = "three_public"
    for parent, pu, kids, ku in SH_T9_TREE:
        ck.identity(f"B.{t}", f"{t}[{parent}] 预算数 = " + " + ".join(kids),
                    [(t, parent, "预算数", "", pu)], [(t, k, "预算数", "", ku) for k in kids])

    # ---- C: 合计 row = Σ 类 rows; gpb_basic_expense 人员/公用 by 类 ----
    for table in CODED:
        classes = [c for c in codes(rows[table]) if len(c) == 3]
        cols = []
        for k in cells:
            if k[0] == table and k[2] not in cols:
                cols.append(k[2])
        for col in cols:
            ck.identity(f"C.{table}", f"{table}[合计] {col} = Σ类 " + "+".join(classes),
                        [(table, "合计", col, "", "")],
                        [(table, c, col, "", "") for c in classes])
    t = "gpb_basic_expense"
    classes = [c for c in codes(rows[t]) if len(c) == 3]
    pers = [c for c in classes if c in PERSONNEL_CLASSES]
    publ = [c for c in classes if c not in PERSONNEL_CLASSES]
    ck.identity(f"C.{t}", f"{t}[合计] 人员经费 = Σ 合计 of 类 " + "+".join(pers),
                [(t, "合计", "人员经费", "", "")], [(t, c, "合计", "", "") for c in pers])
    ck.identity(f"C.{t}", f"{t}[合计] 公用经费 = Σ 合计 of 类 " + "+".join(publ),
                [(t, "合计", "公用经费", "", "")], [(t, c, "合计", "", "") for c in publ])
    for c in classes:
        col = "人员经费" if c in PERSONNEL_CLASSES else "公用经费"
        ck.identity(f"C.{t}", f"{t}[{c}] {col} = 合计 (类 wholly in {col})",
                    [(t, c, col, "", "")], [(t, c, "合计", "", "")])

    # ---- D: two-sided summaries ----
    s = "summary"
    inc_items = [r for r, sd, u in rows[s] if sd == "income" and u == "" and r != "收入总计"]
    subs = [r for r, sd, u in rows[s] if sd == "income" and u == SH_T1_UNDER]
    exp_items = [r for r, sd, u in rows[s] if sd == "expense" and r != "支出总计"]
    I = lambda r, under="": (s, r, "预算数", "income", under)
    E = lambda r: (s, r, "预算数", "expense", "")
    ck.identity("D.summary", "收入总计 = Σ top-level income items " + "+".join(inc_items),
                [I("收入总计")], [I(r) for r in inc_items])
    ck.identity("D.summary", f"{SH_T1_UNDER} = Σ sub-rows " + "+".join(subs),
                [I(SH_T1_UNDER)], [I(r, SH_T1_UNDER) for r in subs])
    ck.identity("D.summary", "支出总计 = Σ expense 类 " + "+".join(exp_items),
                [E("支出总计")], [E(r) for r in exp_items])
    ck.identity("D.summary", "收入总计 = 支出总计", [I("收入总计")], [E("支出总计")])

    f = "fiscal_summary"
    inc_items = [r for r, sd, u in rows[f] if sd == "income" and r != "收入总计"]
    exp_items = [r for r, sd, u in rows[f] if sd == "expense" and r != "支出总计"]
    FI = lambda r: (f, r, "预算数", "income", "")
    FE = lambda r, c: (f, r, c, "expense", "")
    ck.identity("D.fiscal_summary", "收入总计 = Σ income items " + "+".join(inc_items),
                [FI("收入总计")], [FI(r) for r in inc_items])
    for c in SH_T4_EXP_COLS:
        ck.identity("D.fiscal_summary", f"支出总计 {c} = Σ expense 类 " + "+".join(exp_items),
                    [FE("支出总计", c)], [FE(r, c) for r in exp_items])
    ck.identity("D.fiscal_summary", "收入总计 预算数 = 支出总计 合计",
                [FI("收入总计")], [FE("支出总计", "合计")])
    for inc_row, exp_col in SH_T4_TYPES:
        ck.identity("D.fiscal_summary", f"per type: 支出总计[{exp_col}] = income {inc_row}",
                    [FE("支出总计", exp_col)], [FI(inc_row)])
    return ck


# --- final-accounts layout (部门决算; domain.md §5.2) -----------------------------
FA_ROW_SUMS = {
    "income": [("本年收入合计", ["财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                             "附属单位上缴收入", "其他收入"])],
    "expense": [("本年支出合计", ["基本支出", "项目支出", "上缴上级支出", "经营支出",
                             "对附属单位补助支出"])],
    "gpb_expense": [("合计", ["基本支出", "项目支出"])],
    "gov_fund_expense": [("小计", ["基本支出", "项目支出"])],
    "soe_expense": [("小计", ["基本支出", "项目支出"])],
}
FA_TYPES = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
FA_T4_EXP_COLS = ["合计"] + FA_TYPES  # fiscal_summary expense columns; income column 决算数
FA_CARRY_IN, FA_CARRY_OUT = "年初财政拨款结转和结余", "年末财政拨款结转和结余"
FA_T1_NONFISCAL = ("使用非财政拨款结余(含专用结余)", "使用非财政拨款结余")  # either key
FA_T6_FOOTERS = ("人员经费合计", "公用经费合计")
FA_T9_CAR = "公务用车购置及运行费"
FA_T9_TREE = [  # (parent, parent's under, children, children's under)
    ("合计", "", ["因公出国(境)费", FA_T9_CAR, "公务接待费"], ""),
    (FA_T9_CAR, "", ["公务用车购置费", "公务用车运行费"], FA_T9_CAR),
]
FA_T9_ROWS = {("合计", ""), ("因公出国(境)费", ""), (FA_T9_CAR, ""),
              ("公务用车购置费", FA_T9_CAR), ("公务用车运行费", FA_T9_CAR), ("公务接待费", "")}


def final_layout_problems(cells, rows, units):
    """Structural rules of the final-accounts layout, reported as format problems."""
    problems = []
    for table in CODED:
        if not rows[table]:
            continue
        basic = table == "gpb_basic_expense"
        lengths = (3, 5) if basic else (3, 5, 7)
        names = [r for r, _, _ in rows[table]]
        totals = FA_T6_FOOTERS if basic else ("合计",)
        for r in names:
            if r not in totals and not (r.isdigit() and len(r) in lengths):
                problems.append(f"{table}: row {r!r} is neither "
                                + "/".join(totals) + " nor a code of length "
                                + "/".join(map(str, lengths)))
        if basic:
            if names[-len(FA_T6_FOOTERS):] != [f for f in FA_T6_FOOTERS if f in names]:
                problems.append(f"{table}: the footer rows are not at the bottom")
        elif "合计" in names and names[0] != "合计" and names[-1] != "合计":
            problems.append(f"{table}: the 合计 row is neither at the top nor at the bottom")
        if any(sd or u for _, sd, u in rows[table]):
            problems.append(f"{table}: side/under must be empty")
    for r, sd, u in rows["summary"]:
        if u:
            problems.append(f"summary: unexpected under {u!r} on {r!r}")
    for r, sd, u in rows["fiscal_summary"]:
        if u not in ("", FA_CARRY_IN, FA_CARRY_OUT):
            problems.append(f"fiscal_summary: unexpected under {u!r} on {r!r}")
        if u == FA_CARRY_IN and sd != "income" or u == FA_CARRY_OUT and sd != "expense":
            problems.append(f"fiscal_summary: under {u!r} on the {sd} side")
    for r, sd, u in rows["three_public"]:
        if (r, u) not in FA_T9_ROWS:
            problems.append(f"three_public: unknown item {r!r} under {u!r}")
    for k in cells:
        if k[0] == "three_public" and k[2] not in ("预算数", "决算数"):
            problems.append(f"three_public: unknown column {k[2]!r}")
    for key, unit in units.items():
        if unit != "":
            problems.append(f"{key}: unit {unit!r}, expected '' (the document's unit)")
    return problems


def run_final(cells, rows, inferred):
    """Final-accounts layout (部门决算, e.g. putuo-finance-2024-final)."""
    ck = Checker(cells, inferred)

    def columns(table):
        cols = []
        for k in cells:
            if k[0] == table and k[2] not in cols:
                cols.append(k[2])
        return cols

    # ---- A: row sums ----
    for table, sums in FA_ROW_SUMS.items():
        for row, side, under in rows[table]:
            for total, parts in sums:
                ck.identity(f"A.{table}", f"{table}[{row}] {total} = " + " + ".join(parts),
                            [(table, row, total, side, under)],
                            [(table, row, c, side, under) for c in parts])
    for table in ("gov_fund_expense", "soe_expense"):  # 年初 + 本年收入 = 小计 + 年末
        for row, side, under in rows[table]:
            K = lambda c: (table, row, c, side, under)
            ck.identity(f"A.{table}", f"{table}[{row}] 年初结转和结余 + 本年收入 = 小计 + 年末结转和结余",
                        [K("年初结转和结余"), K("本年收入")], [K("小计"), K("年末结转和结余")])
    for row, side, under in rows["fiscal_summary"]:
        if side == "expense":
            ck.identity("A.fiscal_summary",
                        f"fiscal_summary[expense {row}] 合计 = " + " + ".join(FA_TYPES),
                        [("fiscal_summary", row, "合计", side, under)],
                        [("fiscal_summary", row, c, side, under) for c in FA_TYPES])

    # ---- B: hierarchy by code prefix (functional, and economic in T6); "三公" tree ----
    for table in CODED:
        cs = codes(rows[table])
        for parent in cs:
            kids = [c for c in cs if len(c) == len(parent) + 2 and c.startswith(parent)]
            if not kids:
                continue
            for col in columns(table):
                ck.identity(f"B.{table}", f"{table}[{parent}] {col} = Σ " + "+".join(kids),
                            [(table, parent, col, "", "")],
                            [(table, k, col, "", "") for k in kids])
    t = "three_public"
    for col in ("预算数", "决算数"):
        for parent, pu, kids, ku in FA_T9_TREE:
            ck.identity(f"B.{t}", f"{t}[{parent}] {col} = " + " + ".join(kids),
                        [(t, parent, col, "", pu)], [(t, k, col, "", ku) for k in kids])

    # ---- C: 合计 row = Σ 类 rows; T6 footers by economic 类 ----
    for table in CODED:
        if table == "gpb_basic_expense":
            continue
        classes = [c for c in codes(rows[table]) if len(c) == 3]
        for col in columns(table):
            ck.identity(f"C.{table}", f"{table}[合计] {col} = Σ类 " + "+".join(classes),
                        [(table, "合计", col, "", "")],
                        [(table, c, col, "", "") for c in classes])
    t = "gpb_basic_expense"
    classes = [c for c in codes(rows[t]) if len(c) == 3]
    pers = [c for c in classes if c in PERSONNEL_CLASSES]
    publ = [c for c in classes if c not in PERSONNEL_CLASSES]
    ck.identity(f"C.{t}", "人员经费合计 = Σ 类 " + "+".join(pers),
                [(t, "人员经费合计", "决算数", "", "")], [(t, c, "决算数", "", "") for c in pers])
    ck.identity(f"C.{t}", "公用经费合计 = Σ 类 " + "+".join(publ),
                [(t, "公用经费合计", "决算数", "", "")], [(t, c, "决算数", "", "") for c in publ])

    # ---- D: two-sided summaries ----
    s = "summary"
    nonfiscal = next((r for r in FA_T1_NONFISCAL
                      if (s, r, "决算数", "income", "") in cells), FA_T1_NONFISCAL[0])
    inc_struct = {"本年收入合计", nonfiscal, "年初结转和结余", "总计"}
    exp_struct = {"本年支出合计", "结余分配", "年末结转和结余", "总计"}
    inc_items = [r for r, sd, u in rows[s] if sd == "income" and r not in inc_struct]
    exp_items = [r for r, sd, u in rows[s] if sd == "expense" and r not in exp_struct]
    I = lambda r: (s, r, "决算数", "income", "")
    E = lambda r: (s, r, "决算数", "expense", "")
    ck.identity("D.summary", "本年收入合计 = Σ income items " + "+".join(inc_items),
                [I("本年收入合计")], [I(r) for r in inc_items])
    ck.identity("D.summary", f"收入总计 = 本年收入合计 + {nonfiscal} + 年初结转和结余",
                [I("总计")], [I("本年收入合计"), I(nonfiscal), I("年初结转和结余")])
    ck.identity("D.summary", "本年支出合计 = Σ expense 类 " + "+".join(exp_items),
                [E("本年支出合计")], [E(r) for r in exp_items])
    ck.identity("D.summary", "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
                [E("总计")], [E("本年支出合计"), E("结余分配"), E("年末结转和结余")])
    ck.identity("D.summary", "收入总计 = 支出总计", [I("总计")], [E("总计")])

    f = "fiscal_summary"
    inc_struct = {"本年收入合计", FA_CARRY_IN, "总计"}
    exp_struct = {"本年支出合计", FA_CARRY_OUT, "总计"}
    inc_items = [r for r, sd, u in rows[f] if sd == "income" and u == "" and r not in inc_struct]
    exp_items = [r for r, sd, u in rows[f] if sd == "expense" and u == "" and r not in exp_struct]
    FI = lambda r, under="": (f, r, "决算数", "income", under)
    FE = lambda r, c, under="": (f, r, c, "expense", under)
    ck.identity("D.fiscal_summary", "本年收入合计 = Σ income items " + "+".join(inc_items),
                [FI("本年收入合计")], [FI(r) for r in inc_items])
    subs_in = [r for r, sd, u in rows[f] if sd == "income" and u == FA_CARRY_IN]
    if subs_in:  # only where the sub-rows are printed
        ck.identity("D.fiscal_summary", f"{FA_CARRY_IN} = Σ sub-rows " + "+".join(subs_in),
                    [FI(FA_CARRY_IN)], [FI(r, FA_CARRY_IN) for r in subs_in])
    ck.identity("D.fiscal_summary", f"收入总计 = 本年收入合计 + {FA_CARRY_IN}",
                [FI("总计")], [FI("本年收入合计"), FI(FA_CARRY_IN)])
    subs_out = [r for r, sd, u in rows[f] if sd == "expense" and u == FA_CARRY_OUT]
    for c in FA_T4_EXP_COLS:
        ck.identity("D.fiscal_summary", f"本年支出合计 {c} = Σ expense 类 " + "+".join(exp_items),
                    [FE("本年支出合计", c)], [FE(r, c) for r in exp_items])
        if subs_out:  # only where the sub-rows are printed
            ck.identity("D.fiscal_summary",
                        f"{FA_CARRY_OUT} {c} = Σ sub-rows " + "+".join(subs_out),
                        [FE(FA_CARRY_OUT, c)], [FE(r, c, FA_CARRY_OUT) for r in subs_out])
        ck.identity("D.fiscal_summary", f"支出总计 {c} = 本年支出合计 + {FA_CARRY_OUT}",
                    [FE("总计", c)], [FE("本年支出合计", c), FE(FA_CARRY_OUT, c)])
    ck.identity("D.fiscal_summary", "收入总计 决算数 = 支出总计 合计",
                [FI("总计")], [FE("总计", "合计")])
    for typ in FA_TYPES:
        ck.identity("D.fiscal_summary",
                    f"per type {typ}: 本年支出合计 + 年末 = 本年收入 + 年初",
                    [FE("本年支出合计", typ), FE(FA_CARRY_OUT, typ)],
                    [FI(typ), FI(typ, FA_CARRY_IN)])
    return ck


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "qinglong-2023-budget.tsv")
    cells, rows, inferred, units, problems = load(path)
    if "-final" in os.path.basename(path):
        layout = "final"
        print(f"layout: {layout} (selected by file name)", file=sys.stderr)
        problems += final_layout_problems(cells, rows, units)
    else:
        layout = detect_layout(cells)
        print(f"layout: {layout} (detected from content)", file=sys.stderr)
        if layout == "shanghai":
            problems += shanghai_layout_problems(cells, rows, units)
    for p in problems:
        print("MALFORMED", p)
    runner = {"final": run_final, "shanghai": run_shanghai}.get(layout, run)
    ck = runner(cells, rows, inferred)
    for status, ident, text in ck.results:
        print(f"{status:8} {ident:22} {text}")
    n = len(ck.results)
    exact = sum(r[0] == "exact" for r in ck.results)
    rounding = sum(r[0] == "rounding" for r in ck.results)
    failed = sum(r[0] == "FAIL" for r in ck.results)
    print(f"SUMMARY: {len(cells)} facts; {n} identities checked: {exact} exact, "
          f"{rounding} rounding, {failed} FAIL; {ck.skipped} skipped (all terms blank); "
          f"{len(problems)} format problems")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
