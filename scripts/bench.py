#!/usr/bin/env python3
"""Throughput of `gongkai convert` on the sample PDFs next to `pdftotext -layout` on the same
files: several runs each, medians, and the ratio gongkai / pdftotext (lower is better; the
product goal is <= 1.0: the whole pipeline as fast as poppler's text extraction alone).

    scripts/bench.py [RUNS]        # needs target/release/gongkai and pdftotext (scripts/setup.sh)
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
GONGKAI = os.path.join(ROOT, "target", "release", "gongkai")


def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return next(int(l.split()[-1]) for l in out.splitlines() if l.startswith("Pages:"))


def median_seconds(cmd):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    if not os.path.exists(GONGKAI) or not shutil.which("pdftotext"):
        sys.exit("build with scripts/setup.sh first (it builds gongkai and installs pdftotext)")
    pdfs = sorted(
        os.path.join(ROOT, "samples", "pdf", f)
        for f in os.listdir(os.path.join(ROOT, "samples", "pdf"))
        if f.endswith(".pdf")
    )
    print(f"{RUNS} runs each, median wall time, single process (1 thread)\n")
    print(f"{'file':40} {'pages':>5} {'gongkai':>9} {'pdftotext':>10} {'ratio':>6} {'pages/s':>8}")
    total_g = total_p = total_pages = 0.0
    with tempfile.TemporaryDirectory() as out:
        for pdf in pdfs:
            n = pages(pdf)
            g = median_seconds([GONGKAI, "convert", pdf, "--out", out])
            p = median_seconds(["pdftotext", "-layout", pdf, os.path.join(out, "x.txt")])
            total_g, total_p, total_pages = total_g + g, total_p + p, total_pages + n
            print(f"{os.path.basename(pdf):40} {n:5} {g*1000:7.1f}ms {p*1000:8.1f}ms {g/p:6.2f} {n/g:8.1f}")
    print(f"{'all':40} {int(total_pages):5} {total_g*1000:7.1f}ms {total_p*1000:8.1f}ms "
          f"{total_g/total_p:6.2f} {total_pages/total_g:8.1f}")


if __name__ == "__main__":
    main()
