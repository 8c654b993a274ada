#!/usr/bin/env python3
"""Time per page of a scan: the OCR engine (poppler renders the page at 300 dpi, tesseract
chi_sim reads it — what gongkai runs per page) against the rest of gongkai's pipeline on the
engine's output (its TSV, converted by gongkai: layout, repair, tables, identities, emit),
and the whole `gongkai convert` of the scan (engine + gongkai's straightening and ruling
search + pipeline). Everything single-threaded; medians of several runs. The goal: the
pipeline outside OCR under 5 % of the OCR time.

    scripts/bench_ocr.py [RUNS] [--all]   # --all adds the 22-page real budget (slow)
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
RUNS = int(ARGS[0]) if ARGS else 3
GONGKAI = os.path.join(ROOT, "target", "release", "gongkai")
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


if __name__ == "__main__":
    main()
