#!/usr/bin/env python3
"""Compares gongkai's performance targets of one document with a hand-made truth.

    compare_targets.py TRUTH.tsv DOC.json [--list N]

TRUTH.tsv is in the form of FORMAT.md. DOC.json is gongkai's document JSON. Targets are
matched in order (target_index); each target's fields are compared, and its indicators as
a bag of (level1, level2, level3, value, direction, unit, score). Whitespace is ignored
everywhere; a title may differ by a leading ordinal (`1、`). Prints one summary line:

    targets=T/E fields_wrong=F indicators: truth=N emitted=M matching=K

and with --list the first N differences. Exit status 0 when everything matches.
"""
import json
import re
import sys
from collections import Counter

ORDINAL = re.compile(r"^(\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


def plain(s):
    return "".join((s or "").split())


def title_key(s):
    return ORDINAL.sub("", plain(s))


def dash(s):
    s = plain(s)
    return "" if s == "-" else s


def read_truth(path):
    targets = []
    for ln in open(path, encoding="utf-8"):
        if ln.startswith("#") or not ln.strip():
            continue
        f = ln.rstrip("\n").split("\t")
        if f[0] == "T":
            assert len(f) == 8, f"T line needs 8 fields: {ln!r}"
            money = [] if f[6] == "-" else [tuple(m.split("=", 1)) for m in f[6].split(";")]
            targets.append({"index": int(f[1]), "scope": f[2], "title": f[3], "project": dash(f[4]),
                            "responsible": dash(f[5]), "money": money, "page": int(f[7]),
                            "indicators": []})
        elif f[0] == "I":
            assert len(f) == 9, f"I line needs 9 fields: {ln!r}"
            targets[int(f[1])]["indicators"].append(tuple(dash(x) for x in f[2:9]))
    return targets


def emitted(doc):
    out = []
    for t in doc.get("targets") or []:
        inds = [tuple(dash(i.get(k)) for k in ("level1", "level2", "level3", "value", "direction", "unit",
                                                "score")) for i in t.get("indicators") or []]
        money = [(plain(m["label"]), m["value"]) for m in t.get("money") or []]
        out.append({"index": t["target_index"], "scope": t["scope"], "title": t["title"],
                    "project": dash(t.get("project")), "responsible": dash(t.get("responsible")),
                    "money": money, "page": t["page"], "indicators": inds})
    return out


def compare(truth, got):
    diffs = []
    wrong = 0
    n_truth = sum(len(t["indicators"]) for t in truth)
    n_got = sum(len(t["indicators"]) for t in got)
    matching = 0
    for i in range(max(len(truth), len(got))):
        t = truth[i] if i < len(truth) else None
        g = got[i] if i < len(got) else None
        if t is None or g is None:
            wrong += 1
            diffs.append(f"target {i}: {'missing' if g is None else 'extra'} "
                         f"({(t or g)['title']} / {(t or g)['project']})")
            continue
        checks = [("scope", t["scope"], g["scope"]), ("title", title_key(t["title"]), title_key(g["title"])),
                  ("project", t["project"], g["project"]), ("responsible", t["responsible"], g["responsible"]),
                  ("money", t["money"], [(a, v) for a, v in g["money"]])]
        if t["page"]:
            checks.append(("page", t["page"], g["page"]))
        for name, a, b in checks:
            if a != b:
                wrong += 1
                diffs.append(f"target {i} {name}: truth {a!r} got {b!r}")
        bag_t, bag_g = Counter(t["indicators"]), Counter(g["indicators"])
        matching += sum((bag_t & bag_g).values())
        for x in (bag_t - bag_g).elements():
            diffs.append(f"target {i} indicator missing: {' | '.join(x)}")
        for x in (bag_g - bag_t).elements():
            diffs.append(f"target {i} indicator extra:   {' | '.join(x)}")
    return wrong, n_truth, n_got, matching, diffs


def main():
    truth = read_truth(sys.argv[1])
    doc = json.load(open(sys.argv[2], encoding="utf-8"))
    got = emitted(doc)
    wrong, n_truth, n_got, matching, diffs = compare(truth, got)
    print(f"targets={len(truth)}/{len(got)} fields_wrong={wrong} "
          f"indicators: truth={n_truth} emitted={n_got} matching={matching}")
    if "--list" in sys.argv:
        n = int(sys.argv[sys.argv.index("--list") + 1])
        for d in diffs[:n]:
            print("  " + d)
    sys.exit(0 if not diffs else 1)


if __name__ == "__main__":
    main()
