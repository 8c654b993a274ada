#!/usr/bin/env python3
"""Throughput of `gongkai convert` on the sample PDFs next to `pdftotext -layout` on the same
files: several runs each, medians, the ratio gongkai / pdftotext (lower is better; the goal
is <= 1.0, the whole pipeline as fast as poppler's text extraction alone), pages per second
single-threaded and with all cores, and peak memory for 1 and for 50 copies of the samples
(flat is the goal: the parent keeps one small entry per document, each worker one
document).

    scripts/bench.py [RUNS]        # needs target/release/gongkai and pdftotext (scripts/setup.sh)
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

from rss import peak_rss_mib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
GONGKAI = os.path.join(ROOT, "target", "release", "gongkai")
CORES = os.cpu_count() or 1


def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return next(int(l.split()[-1]) for l in out.splitlines() if l.startswith("Pages:"))


def median_seconds(cmd, env=None):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
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
    one = dict(os.environ, RAYON_NUM_THREADS="1")
    print(f"{RUNS} runs each, median wall time; per file: one process, --jobs 1\n")
    print(f"{'file':40} {'pages':>5} {'gongkai':>9} {'pdftotext':>10} {'ratio':>6} {'pages/s':>8}")
    total_g = total_p = total_pages = 0.0
    with tempfile.TemporaryDirectory() as out:
        for pdf in pdfs:
            n = pages(pdf)
            g = median_seconds([GONGKAI, "convert", "--jobs", "1", "--force", pdf, "--out", out], one)
            p = median_seconds(["pdftotext", "-layout", pdf, os.path.join(out, "x.txt")])
            total_g, total_p, total_pages = total_g + g, total_p + p, total_pages + n
            print(f"{os.path.basename(pdf):40} {n:5} {g*1000:7.1f}ms {p*1000:8.1f}ms {g/p:6.2f} {n/g:8.1f}")
        print(f"{'all, file by file':40} {int(total_pages):5} {total_g*1000:7.1f}ms {total_p*1000:8.1f}ms "
              f"{total_g/total_p:6.2f} {total_pages/total_g:8.1f}")
        # The whole set as one batch, against pdftotext over the same files, 1 and all cores.
        for jobs in sorted({1, CORES}):
            g = median_seconds([GONGKAI, "convert", "--jobs", str(jobs), "--force", *pdfs, "--out", out], one)
            xargs = ["xargs", "-P", str(jobs), "-I{}", "pdftotext", "-layout", "{}", os.path.join(out, "x-%d.txt" % jobs)]
            p = median_seconds(["sh", "-c", f"printf '%s\\n' \"$@\" | {' '.join(xargs)}", "sh", *pdfs])
            print(f"{f'all, one batch, --jobs {jobs}':40} {int(total_pages):5} {g*1000:7.1f}ms {p*1000:8.1f}ms "
                  f"{g/p:6.2f} {total_pages/g:8.1f}")
    # Memory as the archive grows: 1 and 50 copies of the sample PDFs (symbolic links).
    print(f"\npeak RSS of the largest process (parent or worker), --jobs {CORES}")
    for copies in (1, 50):
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as out:
            for c in range(copies):
                for pdf in pdfs:
                    os.symlink(pdf, os.path.join(tmp, f"{c:03d}-{os.path.basename(pdf)}"))
            mib = peak_rss_mib([GONGKAI, "convert", "--no-ocr", tmp, "--out", out])
            print(f"{copies:3} copies ({copies * len(pdfs)} documents, {int(copies * total_pages)} pages): {mib:6.1f} MiB")


if __name__ == "__main__":
    main()
