#!/usr/bin/env python3
"""Time per page of a scan: the OCR engine (poppler renders the page at 300 dpi, tesseract
chi_sim reads it — what gongkai runs per page) against the rest of gongkai's pipeline on the
engine's output (its TSV, converted by gongkai: layout, repair, tables, identities, emit),
and the whole `gongkai convert` of the scan (engine + gongkai's straightening and ruling
search + pipeline). Everything single-threaded; medians of several runs. The goal: the
pipeline outside OCR under 5 % of the OCR time.

    scripts/bench_ocr.py [RUNS] [--all]   # --all adds the 22-page real budget (slow)

Accuracy on whole documents (issue: OCR from any producer): `--whole` makes the seeded scans
of `scripts/make_scans.py` (four corpus documents of four layouts, every page, at each
resolution, and with a hidden tesseract layer) into target/scans, converts each with
gongkai (tesseract) and — with `--rapidocr`, from the project's .venv — reads the same pages
with RapidOCR (PP-OCRv4) and converts its JSON, and measures every figure against the
text-layer conversion of the source document: exact as read, mended by a cell rule, won
back by an identity, inferred, wrong (a figure that differs, or a row or column the truth
has not), missed; F1; seconds per page (tesseract: the whole conversion; RapidOCR: engine
and conversion of its JSON, and that conversion alone — the pipeline outside the engine).
`2nd` counts the figures PP-OCR's second reading won back (gongkai's second engine, on by
default); `--first-only` adds a row per scan with tesseract alone, the models hidden.

    scripts/bench_ocr.py --whole [--dpi 150,200,300] [--rapidocr] [--first-only] [DOC ...]
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
RUNS = int(ARGS[0]) if ARGS and ARGS[0].isdigit() else 3
GONGKAI = os.environ.get("GONGKAI") or os.path.join(ROOT, "target", "release", "gongkai")
ENV = dict(os.environ, OMP_THREAD_LIMIT="1", RAYON_NUM_THREADS="1")
SCANS = ["qinglong-2023-budget-scan-150dpi.pdf", "qinglong-2023-budget-scan-200dpi.pdf"]
if "--all" in sys.argv:
    SCANS.append("putuo-office-2025-budget-no-tounicode.pdf")


def run(cmd):
    subprocess.run(cmd, check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def median_seconds(step):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return next(int(l.split()[-1]) for l in out.splitlines() if l.startswith("Pages:"))


def main():
    if not os.path.exists(GONGKAI) or not shutil.which("tesseract"):
        sys.exit("build with scripts/setup.sh first (it builds gongkai and installs tesseract)")
    print(f"{RUNS} runs each, median seconds per page, one thread\n")
    print(f"{'scan':44} {'pages':>5} {'engine':>7} {'rest':>7} {'rest/engine':>11} {'convert':>8}")
    for name in SCANS:
        pdf = os.path.join(ROOT, "samples", "scan", name)
        n = pages(pdf)
        with tempfile.TemporaryDirectory() as tmp:
            def engine():
                for p in range(1, n + 1):
                    prefix = os.path.join(tmp, f"p{p}")
                    run(["pdftoppm", "-r", "300", "-gray", "-singlefile", "-f", str(p), "-l", str(p), pdf, prefix])
                    run(["tesseract", prefix + ".pgm", os.path.join(tmp, f"p{p}"), "-l", "chi_sim", "--psm", "3", "tsv"])

            t_engine = median_seconds(engine)
            # One TSV of all pages, as gongkai reads another tool's output.
            with open(os.path.join(tmp, "list.txt"), "w") as f:
                f.write("".join(os.path.join(tmp, f"p{p}.pgm") + "\n" for p in range(1, n + 1)))
            run(["tesseract", os.path.join(tmp, "list.txt"), os.path.join(tmp, "all"), "-l", "chi_sim", "--psm", "3", "tsv"])
            out = os.path.join(tmp, "out")
            t_rest = median_seconds(lambda: run([GONGKAI, "convert", os.path.join(tmp, "all.tsv"), "--out", out]))
            t_full = median_seconds(lambda: run([GONGKAI, "convert", pdf, "--out", out]))
        print(f"{name:44} {n:5} {t_engine / n:7.3f} {t_rest / n:7.3f} {100 * t_rest / t_engine:10.2f}% {t_full / n:8.3f}")


def facts(path):
    """(table, row, column, side, under) -> (value, status) of a converted document."""
    import json
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    out = {}
    for t in doc.get("tables", []):
        for r in t["rows"]:
            for c in r["cells"]:
                if c.get("value") is not None:
                    out[(t["id"], r["key"], c["column"], r.get("side") or "", r.get("under") or "")] = (c["value"], c["status"])
    won = {(r["location"].get("table"), r["location"].get("row"), r["location"].get("column")): r["rule"]
           for r in doc.get("repairs", []) if r["rule"] in ("identity-misread", "second-engine")}
    return doc, out, won


def score(truth, path):
    """Shares of the truth's figures by how the scan's conversion got them, and F1."""
    doc, got, won = facts(path)
    kinds = dict(exact=0, rule=0, second=0, identity=0, inferred=0, wrong=0)
    for key, (value, status) in got.items():
        if truth.get(key, (None,))[0] != value:
            kinds["wrong"] += 1
        elif status == "inferred":
            kinds["inferred"] += 1
        elif won.get((key[0], key[1], key[2])) == "second-engine":
            kinds["second"] += 1
        elif (key[0], key[1], key[2]) in won:
            kinds["identity"] += 1
        elif status == "repaired":
            kinds["rule"] += 1
        else:
            kinds["exact"] += 1
    right = len(got) - kinds["wrong"]
    p, r = right / max(1, len(got)), right / max(1, len(truth))
    kinds["missed"] = len(truth) - right
    return doc, kinds, (2 * p * r / (p + r) if p + r else 0.0)


def whole():
    import json
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import make_scans
    args = [a for a in sys.argv[1:] if a not in ("--whole", "--rapidocr", "--first-only")]
    dpis = [150, 200, 300]
    if "--dpi" in args:
        i = args.index("--dpi")
        dpis = [int(d) for d in args[i + 1].split(",")]
        del args[i:i + 2]
    docs = args or make_scans.DOCUMENTS
    cache = os.path.join(ROOT, "target", "scans")
    os.makedirs(cache, exist_ok=True)
    print(f"{'sample':44} {'engine':9} {'facts':>5} {'exact':>6} {'rule':>5} {'2nd':>4} {'ident':>5} {'infer':>5} "
          f"{'wrong':>5} {'miss':>5} {'F1':>6} {'s/page':>7} {'rest/page':>9}")
    # Tesseract with PP-OCR's second reading of each figure (the default), and — with
    # --first-only — tesseract alone (the models hidden), to see what the second engine adds.
    variants = [("tess+pp", ENV)] + ([("tesseract", dict(ENV, GONGKAI_MODELS="/nonexistent"))]
                                     if "--first-only" in sys.argv else [])
    for doc in docs:
        stem = make_scans.STEMS.get(doc, os.path.splitext(os.path.basename(doc))[0])
        with tempfile.TemporaryDirectory() as tmp:
            run([GONGKAI, "convert", os.path.join(make_scans.CORPUS, doc), "--out", tmp, "--no-ocr"])
            truth = {k: v for k, v in facts(os.path.join(tmp, os.path.splitext(os.path.basename(doc))[0] + ".json"))[1].items()}
        for dpi in dpis:
            names = [f"{stem}-{dpi}dpi.pdf"] + ([f"{stem}-{dpi}dpi-ocr-layer.pdf"] if dpi == 200 else [])
            if not all(os.path.exists(os.path.join(cache, n)) for n in names):
                make_scans.make(doc, dpi, dpi == 200, make_scans.Path(cache))
            for name in names:
                pdf = os.path.join(cache, name)
                n = pages(pdf)
                for label, env in variants:
                    with tempfile.TemporaryDirectory() as tmp:
                        start = time.perf_counter()
                        subprocess.run([GONGKAI, "convert", pdf, "--out", tmp, "--jobs", "1"], check=True, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                        seconds = time.perf_counter() - start
                        _, kinds, f1 = score(truth, os.path.join(tmp, name[:-4] + ".json"))
                    # The whole conversion, engines included (the rest alone: the first mode).
                    print(f"{name:44} {label:9} {len(truth):5} {kinds['exact']:6} {kinds['rule']:5} {kinds['second']:4} "
                          f"{kinds['identity']:5} {kinds['inferred']:5} {kinds['wrong']:5} {kinds['missed']:5} {f1:6.3f} "
                          f"{seconds / n:7.2f} {'':>9}")
                if "--rapidocr" in sys.argv and not name.endswith("-ocr-layer.pdf"):
                    rapid(pdf, n, truth, name)


def rapid(pdf, n, truth, name):
    """RapidOCR (PP-OCRv4, from .venv) on the same 300 dpi renders; its JSON converted."""
    venv = os.path.join(ROOT, ".venv", "bin", "python")
    with tempfile.TemporaryDirectory() as tmp:
        run(["pdftoppm", "-r", "300", "-gray", "-png", pdf, os.path.join(tmp, "page")])
        images = sorted(f for f in os.listdir(tmp) if f.endswith(".png"))
        code = ("import json,sys\nfrom rapidocr_onnxruntime import RapidOCR\ne=RapidOCR()\npages=[]\n"
                "for p in sys.argv[2:]:\n  r,_=e(p)\n  pages.append([[b,t,float(s)] for b,t,s in (r or [])])\n"
                "json.dump(pages,open(sys.argv[1],'w'),ensure_ascii=False)\n")
        out = os.path.join(tmp, name[:-4] + ".json")
        start = time.perf_counter()
        subprocess.run([venv, "-c", code, out, *[os.path.join(tmp, i) for i in images]], check=True, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        engine = time.perf_counter() - start
        result = os.path.join(tmp, "out")
        start = time.perf_counter()
        run([GONGKAI, "convert", out, "--out", result])
        rest = time.perf_counter() - start
        _, kinds, f1 = score(truth, os.path.join(result, name[:-4] + ".json"))
    print(f"{name:44} {'rapidocr':9} {len(truth):5} {kinds['exact']:6} {kinds['rule']:5} {kinds['second']:4} {kinds['identity']:5} "
          f"{kinds['inferred']:5} {kinds['wrong']:5} {kinds['missed']:5} {f1:6.3f} {(engine + rest) / n:7.2f} {rest / n:9.3f}")


if __name__ == "__main__":
    whole() if "--whole" in sys.argv else main()
