#!/usr/bin/env python3
"""Compare gongkai's facts.ndjson with a corpus truth TSV.

Usage: python3 compare_corpus_truth.py TRUTH.tsv FACTS.ndjson [--list N]

Facts are compared as a bag of (table, row, column, side, under, value), the fields of
tests/truth.rs without flag and unit. Prints the counts (truth, emitted, matching, missing,
extra), per table, and then diagnostic matches of the missing facts:
  same cell, other value   (table,row,column,side,under) found with another value
  value in other column    (table,row,side,under,value) found under another column
  value in other row       (table,column,side,value) found under another row key
  value elsewhere in table (table,value) found anywhere in the same table
and, with --list N, up to N examples of each kind.
"""

import csv
import json
import sys
from collections import Counter, defaultdict

FIELDS = ("table", "row", "column", "side", "under", "value")


def truth_bag(path):
    bag = Counter()
    for r in csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"):
        bag[tuple(r[f] for f in FIELDS)] += 1
    return bag


def facts_bag(path):
    bag = Counter()
    for line in open(path, encoding="utf-8"):
        if line.strip():
            f = json.loads(line)
            bag[tuple(str(f.get(k) or "") for k in FIELDS)] += 1
    return bag


def main():
    truth, facts = truth_bag(sys.argv[1]), facts_bag(sys.argv[2])
    nlist = int(sys.argv[sys.argv.index("--list") + 1]) if "--list" in sys.argv else 0
    match = truth & facts
    missing, extra = truth - match, facts - match
    print(f"truth {sum(truth.values())}  emitted {sum(facts.values())}  matching {sum(match.values())}  "
          f"missing {sum(missing.values())}  extra {sum(extra.values())}")
    tables = sorted({k[0] for k in truth} | {k[0] for k in facts})
    for t in tables:
        c = lambda b: sum(n for k, n in b.items() if k[0] == t)
        print(f"  {t:18} truth {c(truth):4}  emitted {c(facts):4}  matching {c(match):4}  "
              f"missing {c(missing):4}  extra {c(extra):4}")
    # diagnostics for the missing facts
    by_cell = defaultdict(list)
    by_val_rowside = defaultdict(list)
    by_val_col = defaultdict(list)
    by_val_table = defaultdict(list)
    for k in extra:
        t, r, c, s, u, v = k
        by_cell[(t, r, c, s, u)].append(k)
        by_val_rowside[(t, r, s, u, v)].append(k)
        by_val_col[(t, c, s, v)].append(k)
        by_val_table[(t, v)].append(k)
    kinds = defaultdict(list)
    for k in missing:
        t, r, c, s, u, v = k
        if (t, r, c, s, u) in by_cell:
            kinds["same cell, other value"].append((k, by_cell[(t, r, c, s, u)][0]))
        elif (t, r, s, u, v) in by_val_rowside:
            kinds["value in other column"].append((k, by_val_rowside[(t, r, s, u, v)][0]))
        elif (t, c, s, v) in by_val_col:
            kinds["value in other row"].append((k, by_val_col[(t, c, s, v)][0]))
        elif (t, v) in by_val_table:
            kinds["value elsewhere in table"].append((k, by_val_table[(t, v)][0]))
        else:
            kinds["not emitted at all"].append((k, None))
    for kind, items in kinds.items():
        print(f"missing, {kind}: {len(items)}")
        for want, got in items[:nlist]:
            print(f"    want {'|'.join(want)}")
            if got:
                print(f"     got {'|'.join(got)}")
    if nlist:
        print("extra (not in the truth):")
        for k in list(extra)[:nlist]:
            print(f"    {'|'.join(k)}")


if __name__ == "__main__":
    main()
