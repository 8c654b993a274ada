#!/usr/bin/env python3
"""Plants one printed defect per copy of real disclosures, with the finding an auditor
would expect, and scores gongkai's findings on the copies (recall and precision).

    plant_defects.py plant CLEAN_OUT OUT [--seed N] [--per-kind N] PDF...
    plant_defects.py score CLEAN_OUT OUT COPIES_OUT

`plant` reads gongkai's conversion of the unchanged documents (CLEAN_OUT: each cell's page
and bbox, the tables' pages, the metadata) and writes OUT/<copy>.pdf plus OUT/expected.ndjson,
one line per copy: the document, its layout (the corpus city folder), the defect planted
(what was printed, what is printed now, where) and the finding expected. The PDF's content
stream is edited in place (scripts/pdftext.py): printed characters are changed through the
font's own ToUnicode map, text is removed, or a printed line is shown again elsewhere; nothing
is re-rendered, so the copy reads
exactly like the original except for the defect. A defect that cannot be planted on a
document (no glyph for the new digit, no table alone on its pages) is skipped, not faked.

Defects (`kind`) and the finding each must produce:
* `figure`: a figure of a coded row changed by one in its units digit (1,208.20 →
  1,209.20): an error naming a cell of that row.
* `total`: a total row's first figure off by one unit of its last digit (1717.85 →
  1717.86): an error naming that row. One unit is within the rounding tolerance of a sum of
  two or more rounded figures, so such totals are chosen where the same total is printed in
  another table (the summary's and the income table's totals).
* `removed`: a standard table printed alone on its pages removed (its text deleted):
  `missing_table` for its role.
* `blanked`: the 三公 table's figures removed while the explanation keeps stating them:
  an error at three_public.
* `year`: the year in a table's title changed (2026 → 2025): `year_mismatch`.
* `narrative`: a figure the explanation states (a table total, `1717.85万元`) changed in its
  units digit: `narrative_mismatch`.
* `direction`: in a comparison with last year (`X万元，比上年增加Y万元，增长Z%`), the change's
  or the trend's word turned (增加 → 减少): `narrative_contradiction`.
* `percentage`: the same comparison's percentage changed (units digit + 3) where the printed
  amounts, within their rounding, cannot give it: `narrative_contradiction`.
* `department`: two characters of the department named on a table page (`编制单位：…`)
  swapped: `department_mismatch`.
* `empty_note`: the line of a note that declares a table empty (`注：…故本表无数据。`) printed
  again, in its own font, under another table's figures: `empty_note_with_figures` there.

`score` compares CLEAN_OUT with COPIES_OUT (gongkai's conversion of OUT): a planted defect
is met when a new error finding (one the clean document does not have) says what the
expectation says; every new error finding that meets no planted defect is a false alarm.
It prints recall and precision over all copies, per layout and per kind, as JSON.
"""

import argparse
import decimal
import json
import os
import random
import re
import sys

import pikepdf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdftext  # noqa: E402

CODED = ("expense", "gpb_expense", "gpb_basic_expense", "income", "gov_fund_expense")
REMOVABLE = ("income", "expense", "fiscal_summary", "gpb_expense", "gpb_basic_expense", "three_public")


def layout_of(path):
    return os.path.basename(os.path.dirname(path)) or "root"


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def load_clean(clean, doc):
    with open(os.path.join(clean, doc + ".json"), encoding="utf-8") as f:
        d = json.load(f)
    facts = []
    with open(os.path.join(clean, "facts.ndjson"), encoding="utf-8") as f:
        for line in f:
            if f'"doc":"{doc}"' in line or f'"doc": "{doc}"' in line:
                x = json.loads(line)
                if x.get("doc") == doc:
                    facts.append(x)
    return d, facts


def bump(text, pos, step):
    """`text` with the digit at index `pos` moved by `step` (mod 10)."""
    d = (int(text[pos]) + step) % 10
    return text[:pos] + str(d) + text[pos + 1 :]


def runs_of(pages, pdf, fact):
    """The runs printing a fact's figure, and their text, or None unless they print it."""
    n = fact["page"]
    page = pages.get(n)
    if page is None:
        page = pages[n] = pdftext.Page(pdf, pdf.pages[n - 1])
    runs = page.in_box(fact["bbox"])
    text = "".join(r.text for r in runs)
    if text.replace(",", "").strip() != fact["value"]:
        return page, None, text
    return page, runs, text


def change_text(page, runs, old, new):
    """Changes the characters of `runs` (printing `old`) to `new` (same length)."""
    k = 0
    for r in runs:
        t = r.text
        if not page.replace(r, new[k : k + len(t)]):
            return False
        k += len(t)
    return True


def row_path(fact):
    side = f"{fact['side']}/" if fact.get("side") else ""
    under = f"{fact['under']}>" if fact.get("under") else ""
    return f"{fact['table']}/{side}{under}{fact['row']}/"


def units_index(text):
    """Index of the units digit of a printed figure (`1,208.20` → 4)."""
    dot = text.find(".")
    end = dot if dot >= 0 else len(text.rstrip())
    i = end - 1
    while i >= 0 and not text[i].isdigit():
        i -= 1
    return i


def plant_cell(src, dst, fact, edit):
    """A copy of `src` with `fact`'s figure edited by `edit(text) -> text`, or None."""
    pdf = pikepdf.open(src)
    pages = {}
    page, runs, text = runs_of(pages, pdf, fact)
    if runs is None:
        return None
    new = edit(text)
    if new is None or new == text or not change_text(page, runs, text, new):
        return None
    page.save()
    pdf.save(dst)
    return {"page": fact["page"], "printed": text, "now": new}


def plant_delete(src, dst, page_numbers):
    """A copy with the text of whole pages removed, or None where a page's text is not in
    its own content stream (drawn by a form XObject: nothing would be removed)."""
    pdf = pikepdf.open(src)
    for n in page_numbers:
        page = pdftext.Page(pdf, pdf.pages[n - 1])
        if sum(len(r.text.strip()) for r in page.runs) < 20:
            return None
        for r in page.runs:
            page.delete(r)
        page.save()
    pdf.save(dst)
    return {"pages": page_numbers}


def plant_runs(src, dst, n, find):
    """A copy with the runs `find(page)` returns on page n changed: find gives
    (runs, old, new) or None."""
    pdf = pikepdf.open(src)
    page = pdftext.Page(pdf, pdf.pages[n - 1])
    found = find(page)
    if not found:
        return None
    runs, old, new = found
    if not change_text(page, runs, old, new):
        return None
    page.save()
    pdf.save(dst)
    return {"page": n, "printed": old, "now": new}


def windows(page, pattern):
    """Consecutive runs whose joined text matches `pattern` exactly: (runs, text)."""
    runs = [r for r in page.runs if r.text]
    for i in range(len(runs)):
        text = ""
        for j in range(i, min(i + 40, len(runs))):
            text += runs[j].text
            if re.fullmatch(pattern, text):
                yield runs[i : j + 1], text
                break
            if len(text) > 60:
                break


def narrative_figures(path, d, before):
    """Figures (as facts print them, `38.27`) the explanation pages state after `before`."""
    table_pages = {p for t in d["tables"] for p in t["pages"]}
    table_pages |= {p for o in d.get("other_tables") or [] for p in o.get("pages") or []}
    pdf = pikepdf.open(path)
    found = set()
    for n in range(1, len(pdf.pages) + 1):
        if n in table_pages:
            continue
        text = "".join(r.text for r in pdftext.Page(pdf, pdf.pages[n - 1]).runs)
        text = re.sub(r"\s+", "", text)
        for m in re.finditer(before + r"([0-9][0-9,]*(?:\.[0-9]+)?)万元", text):
            v = m.group(1).replace(",", "")
            found.add(v)
            if "." in v:
                found.add(v.rstrip("0").rstrip("."))
            found.add(str(decimal.Decimal(v).quantize(decimal.Decimal("0.01"))))
    return found


# A comparison with last year as budgets and final accounts print it (what an auditor checks
# against itself): `X万元，比上年(P万元)增加Y万元，增长Z%`.
YOY = re.compile(
    r"(?P<current>[0-9][0-9,]*(?:\.[0-9]+)?)万元[,，;；]?(?:较|比)(?:上年|上一年|[0-9]{4}年)[^。；;0-9]{0,24}?"
    r"(?:(?P<previous>[0-9][0-9,]*(?:\.[0-9]+)?)万元)?(?P<change>增加|减少)(?P<delta>[0-9][0-9,]*(?:\.[0-9]+)?)万元"
    r"[,，;；]?(?P<trend>增长|下降)(?P<pct>[0-9]+(?:\.[0-9]+)?)[%％]"
)
DEPARTMENT = re.compile(r"编制(?:单位|部门)[:：](?P<name>[\u4e00-\u9fff（）()]{4,40})")
EMPTY_WORDS = ("空表", "无数据", "本表无数据", "无此项")
OPPOSITE = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长"}


def joined(page):
    """A page's text with white space left out, and for each character its (run, index)."""
    text, where = [], []
    for r in page.runs:
        for i, c in enumerate(r.text):
            if not c.isspace():
                text.append(c)
                where.append((r, i))
    return "".join(text), where


def edit_span(page, where, start, new):
    """Changes the joined text's characters from `start` to `new`, in their runs."""
    by_run = {}
    for k, c in enumerate(new):
        r, i = where[start + k]
        by_run.setdefault(id(r), [r, list(r.text)])[1][i] = c
    return all(page.replace(r, "".join(chars)) for r, chars in by_run.values())


def plant_span(src, dst, n, find):
    """A copy with the span `find(text) -> (start, old, new)` of page n's joined text changed."""
    pdf = pikepdf.open(src)
    page = pdftext.Page(pdf, pdf.pages[n - 1])
    text, where = joined(page)
    for start, old, new in find(text):
        if edit_span(page, where, start, new):
            page.save()
            pdf.save(dst)
            return {"page": n, "printed": old, "now": new}
        page = pdftext.Page(pdf, pdf.pages[n - 1])  # a failed edit may have changed runs
        text, where = joined(page)
    return None


def half(x):
    """How far a printed amount in 万元 may be from what it rounds (gongkai's rule, documented
    in src/validate/comparisons.rs): half a unit of its last digit, at least of the second
    decimal."""
    return decimal.Decimal(5).scaleb(-(max(-x.as_tuple().exponent, 2) + 1))


def percent_holds(pct, part, part_slack, whole, whole_slack):
    """Whether a printed percentage can be 100 × part / whole within the figures' rounding."""
    lo_w, hi_w = whole - whole_slack, whole + whole_slack
    if lo_w <= 0:
        return True
    unit = decimal.Decimal(1).scaleb(pct.as_tuple().exponent)
    lo = max(part - part_slack, 0) * 100 / hi_w
    hi = (part + part_slack) * 100 / lo_w
    return lo - unit <= pct <= hi + unit


def checkable(m, pct=None):
    """A comparison an auditor can check, of a change of a unit or more over a base of ten;
    with `pct`, one where that percentage would be wrong."""
    num = lambda g: decimal.Decimal(m.group(g).replace(",", ""))
    delta, current = num("delta"), num("current")
    up = m.group("change") == "增加"
    if m.group("previous"):
        previous, slack = num("previous"), half(num("previous"))
    else:
        previous, slack = current - delta if up else current + delta, half(current) + half(delta)
    if delta < 1 or previous < 10 or num("pct") <= 0:
        return False
    return pct is None or not percent_holds(decimal.Decimal(pct), delta, half(delta), previous, slack)


def plant_note(src, dst, source_page, target_page, below):
    """A copy with the line of the note on `source_page` that declares its table empty printed
    again on `target_page`, `below` (displayed y) the table's last figures, or None."""
    pdf = pikepdf.open(src)
    source = pdftext.Page(pdf, pdf.pages[source_page - 1])
    target = pdftext.Page(pdf, pdf.pages[target_page - 1])
    if target.rotate != 0:
        return None
    word = next((r for r in source.runs if r.upright and any(w in r.text for w in EMPTY_WORDS)), None)
    if word is None:
        return None
    line = sorted((r for r in source.runs if r.upright and abs(r.origin[1] - word.origin[1]) < 2), key=lambda r: r.origin[0])
    text = "".join(r.text for r in line)
    if not re.match(r"\s*(注|说明|备注)", text) or not target.runs:
        return None
    size = max(r.size for r in line)
    left = min(target.displayed(r.origin)[0] for r in target.runs)
    # Under the table's last figures and any lines printed right under them (its own notes):
    # a note printed over another line would not be a line of its own.
    ys = sorted(target.displayed(r.origin)[1] for r in target.runs if r.text.strip())
    for y in ys:
        if below < y <= below + 2.5 * size:
            below = y
    y = below + 1.8 * size
    if y > target.height - 2 * size:
        return None
    target.append_runs(line, target.user((left, y)))
    target.save()
    pdf.save(dst)
    return {"page": target_page, "note": text.strip(), "from_page": source_page}


def plants_for(path, clean, out, rng, per_kind):
    doc = stem(path)
    d, facts = load_clean(clean, doc)
    if d.get("status") == "failed" or d["metadata"].get("part") == "narrative":
        return []
    copies = []
    layout = layout_of(path)
    located = [f for f in facts if f.get("bbox") and f.get("source") == "text_layer"]

    def emit(kind, info, expect):
        if info is None:
            return False
        copies.append({"copy": f"{doc}--{kind}-{len([c for c in copies if c['kind'] == kind])}",
                       "doc": doc, "layout": layout, "kind": kind, "defect": info, "expect": expect})
        return True

    def dst(kind):
        return os.path.join(out, f"{doc}--{kind}-{len([c for c in copies if c['kind'] == kind])}.pdf")

    # figure: a coded row's figure changed in its units digit.
    pool = [f for f in located if f["table"] in CODED and f["row"].isdigit() and abs(decimal.Decimal(f["value"])) >= 1]
    rng.shuffle(pool)
    done = 0
    for f in pool:
        if done >= per_kind:
            break
        step = rng.choice([1, -1])
        info = plant_cell(path, dst("figure"), f, lambda t: bump(t, units_index(t), step) if units_index(t) >= 0 else None)
        if info:
            info.update(table=f["table"], row=f["row"], column=f["column"])
            done += emit("figure", info, {"severity": "error", "cells": row_path(f)})

    # total: a total printed again in another table, off by one unit of its last digit.
    pool = [f for f in located if f.get("measure") in ("total", "budget_amount") and (
            (f["table"] == "summary" and f["row"] in ("收入总计", "支出总计"))
            or (f["table"] in ("income", "expense") and f["row"] == "合计"))]
    rng.shuffle(pool)
    done = 0
    for f in pool:
        if done >= max(1, per_kind // 2):
            break
        info = plant_cell(path, dst("total"), f, lambda t: bump(t, len(t.rstrip()) - 1, 1) if t.rstrip()[-1:].isdigit() else None)
        if info:
            info.update(table=f["table"], row=f["row"], column=f["column"])
            done += emit("total", info, {"severity": "error", "cells": row_path(f)})

    # removed: a standard table alone on its pages.
    tables = [t for t in d["tables"] if not t.get("empty")]
    shared = {}
    for t in d["tables"]:
        for p in t["pages"]:
            shared[p] = shared.get(p, 0) + 1
    for o in d.get("other_tables") or []:
        for p in o.get("pages") or []:
            shared[p] = shared.get(p, 0) + 1
    alone = [t for t in tables if t["id"] in REMOVABLE and all(shared.get(p) == 1 for p in t["pages"])]
    rng.shuffle(alone)
    for t in alone[:1]:
        info = plant_delete(path, dst("removed"), t["pages"])
        if info:
            info.update(table=t["id"])
            emit("removed", info, {"severity": "error", "kind": "missing_table", "table": t["id"]})

    # blanked: the 三公 table's figures removed, its explanation kept.
    three = [f for f in located if f["table"] == "three_public"]
    stated = narrative_figures(path, d, r"三公[^。；;]{0,24}?")
    if three and any(decimal.Decimal(f["value"]) != 0 and f["value"] in stated for f in three):
        pdf = pikepdf.open(path)
        pages = {}
        ok = True
        for f in three:
            page, runs, _ = runs_of(pages, pdf, f)
            if runs is None:
                ok = False
                break
            for r in runs:
                page.delete(r)
        if ok:
            for page in pages.values():
                page.save()
            pdf.save(dst("blanked"))
            emit("blanked", {"table": "three_public", "pages": sorted(pages)},
                 {"severity": "error", "table": "three_public"})

    # year: the year in a table's title.
    year = d["metadata"].get("year")
    if year:
        titled = [t for t in tables if t.get("pages")]
        rng.shuffle(titled)
        for t in titled[:3]:
            new_year = str(year - 1)

            def find(page, t=t):
                # The title: the year, then words ending in 表, no 单位 line or figure.
                for runs, text in windows(page, rf"[^0-9]{{0,12}}{year}年[^0-9:：]{{2,40}}表"):
                    i = text.find(str(year))
                    if "单位" not in text:
                        return runs, text, text[:i] + new_year + text[i + 4 :]
                return None

            info = plant_runs(path, dst("year"), t["pages"][0], find)
            if info:
                info.update(table=t["id"])
                emit("year", info, {"severity": "error", "kind": "year_mismatch"})
                break

    # narrative: a stated total changed in its units digit.
    table_pages = set(shared)
    totals = {f["value"] for f in facts if f["table"] == "summary" and f["row"] in ("收入总计", "支出总计")}
    narrative_pages = [p for p in range(1, (d["source"].get("pages") or 0) + 1) if p not in table_pages]
    for n in narrative_pages:
        def find(page):
            for runs, text in windows(page, r"[0-9,]+\.[0-9]+万元"):
                figure = text[: -2]
                if figure.replace(",", "") in totals:
                    return runs, text, bump(text, units_index(figure), 1)
            return None

        info = plant_runs(path, dst("narrative"), n, find)
        if info:
            emit("narrative", info, {"severity": "error", "kind": "narrative_mismatch"})
            break

    # direction and percentage: a comparison with last year, a word turned or the
    # percentage changed (units digit + 3).
    flagged = {f.get("page") for f in d.get("findings") or [] if f.get("kind") == "narrative_contradiction"}
    for kind in ("direction", "percentage"):
        for n in narrative_pages:
            if n in flagged:
                continue

            def find(text, kind=kind):
                for m in YOY.finditer(text):
                    if kind == "percentage":
                        pct = m.group("pct")
                        i = (pct.find(".") if "." in pct else len(pct)) - 1
                        if checkable(m, bump(pct, i, 3)):
                            yield m.start("pct"), pct, bump(pct, i, 3)
                    elif not checkable(m):
                        continue
                    else:
                        for g in ("change", "trend"):
                            yield m.start(g), m.group(g), OPPOSITE[m.group(g)]

            info = plant_span(path, dst(kind), n, find)
            if info:
                emit(kind, info, {"severity": "error", "kind": "narrative_contradiction"})
                break

    # department: two characters of the department named on a table page swapped.
    if d["metadata"].get("department"):
        named = []
        for t in tables:
            named += t["pages"][1:] + t["pages"][:1]
        for n in named[1:]:
            def find(text):
                for m in DEPARTMENT.finditer(text):
                    # Within the name's first characters (the text runs on into the next cell).
                    name = m.group("name")
                    if len(name) >= 5 and name[2] != name[3]:
                        yield m.start("name") + 2, name[2:4], name[3] + name[2]

            info = plant_span(path, dst("department"), n, find)
            if info:
                emit("department", info, {"severity": "error", "kind": "department_mismatch"})
                break

    # empty_note: a note declaring a table empty (本表无数据) printed under another table's figures.
    noted = [t for t in d["tables"] if t.get("empty") and any(
        any(w in n for w in EMPTY_WORDS) for n in t.get("notes") or [])]
    figured = [t for t in tables if not any(any(w in n for w in EMPTY_WORDS) for n in t.get("notes") or [])
               and shared.get(t["pages"][-1]) == 1]
    rng.shuffle(figured)
    for source in noted[:1]:
        for t in figured:
            last = t["pages"][-1]
            boxes = [f["bbox"] for f in located if f["table"] == t["id"] and f["page"] == last]
            if not boxes:
                continue
            info = plant_note(path, dst("empty_note"), source["pages"][-1], last, max(b[3] for b in boxes))
            if info:
                info.update(table=t["id"])
                emit("empty_note", info, {"severity": "error", "kind": "empty_note_with_figures", "table": t["id"]})
                break
    return copies


def plant(args):
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    expected = []
    for path in args.pdfs:
        try:
            expected += plants_for(path, args.clean, args.out, rng, args.per_kind)
        except (pikepdf.PdfError, OSError, KeyError, ValueError) as e:
            print(f"plant: {path}: skipped ({e})", file=sys.stderr)
    with open(os.path.join(args.out, "expected.ndjson"), "w", encoding="utf-8") as f:
        for e in expected:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    layouts = sorted({e["layout"] for e in expected})
    print(json.dumps({"copies": len(expected), "layouts": len(layouts)}, ensure_ascii=False))


def errors(doc_json):
    return [f for f in doc_json.get("findings") or [] if f.get("severity") == "error"]


def key(f):
    return (f.get("kind"), f.get("rule"), f.get("table"), f.get("row"), tuple(f.get("cells") or []),
            f.get("expected"), f.get("actual"), f.get("message", "")[:60])


def meets(f, expect):
    if f.get("severity") != expect["severity"]:
        return False
    if "kind" in expect and f.get("kind") != expect["kind"]:
        return False
    if "table" in expect and f.get("table") != expect["table"] and not any(
        c.startswith(expect["table"] + "/") for c in f.get("cells") or []
    ):
        return False
    if "cells" in expect:
        # The planted cell among the cells the finding names, or its row the finding's place
        # (a narrative statement compared with that cell).
        place = f"{f.get('table')}/{f.get('side') + '/' if f.get('side') else ''}{f.get('row')}/"
        if not any(c.startswith(expect["cells"]) for c in f.get("cells") or []) and place != expect["cells"]:
            return False
    return True


def score(args):
    with open(os.path.join(args.out, "expected.ndjson"), encoding="utf-8") as f:
        expected = [json.loads(line) for line in f if line.strip()]
    tally = {}
    alarms = []
    missed = []

    def add(group, met, false):
        t = tally.setdefault(group, {"planted": 0, "met": 0, "false_alarms": 0, "true_findings": 0})
        t["planted"] += 1
        t["met"] += met
        t["false_alarms"] += false[0]
        t["true_findings"] += false[1]

    for e in expected:
        with open(os.path.join(args.clean, e["doc"] + ".json"), encoding="utf-8") as f:
            before = {key(x) for x in errors(json.load(f))}
        path = os.path.join(args.copies, e["copy"] + ".json")
        if not os.path.exists(path):
            after = []
        else:
            with open(path, encoding="utf-8") as f:
                after = errors(json.load(f))
        new = [x for x in after if key(x) not in before]
        good = [x for x in new if meets(x, e["expect"])]
        bad = [x for x in new if not meets(x, e["expect"])]
        met = 1 if good else 0
        if not met:
            missed.append({"copy": e["copy"], "defect": e["defect"], "expect": e["expect"]})
        for x in bad:
            alarms.append({"copy": e["copy"], "kind": x.get("kind"), "message": x.get("message", "")[:200]})
        for group in ("all", "layout:" + e["layout"], "kind:" + e["kind"]):
            add(group, met, (len(bad), len(good)))
    report = {}
    for group, t in sorted(tally.items()):
        flagged = t["true_findings"] + t["false_alarms"]
        report[group] = {
            "planted": t["planted"],
            "recall": round(t["met"] / t["planted"], 4),
            "precision": round(t["true_findings"] / flagged, 4) if flagged else 1.0,
            "false_alarms": t["false_alarms"],
        }
    print(json.dumps({"report": report, "missed": missed[: args.list], "false_alarms": alarms[: args.list]},
                     ensure_ascii=False, indent=1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plant")
    p.add_argument("clean")
    p.add_argument("out")
    p.add_argument("pdfs", nargs="+")
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--per-kind", type=int, default=3)
    s = sub.add_parser("score")
    s.add_argument("clean")
    s.add_argument("out")
    s.add_argument("copies")
    s.add_argument("--list", type=int, default=20)
    args = ap.parse_args()
    plant(args) if args.cmd == "plant" else score(args)


if __name__ == "__main__":
    main()
