#!/usr/bin/env python3
"""Speed of `gongkai convert` on a folder of real disclosures (by default ../shared/corpus/pdf,
one sub-folder per city) next to `pdftotext -layout` on the same files, in one run:

- the ratio gongkai / pdftotext on one core (`--jobs 1`, both pinned to CPU 0 with taskset)
  for the whole batch and per city folder (the median of RUNS alternating rounds; lower is
  better), and gongkai at --jobs 1 unpinned (a worker reads a long PDF's pages on the cores
  no other document is given);
- the speed-up of gongkai at --jobs 2 (all cores) over one core (--jobs 1 pinned), from
  rounds that alternate the two;
- the peak resident memory of any one process of gongkai's tree (parent, worker, OCR engine),
  the kernel's high-water mark;
- cost against length: seconds per page of the longest disclosure, and of the longest document,
  against a ~20-page disclosure (and per character of text, for pages of other density);
- where the time goes: each pipeline stage's total over the batch, from the `stage` tracing
  spans of one worker process converting every file (`RUST_LOG=gongkai=info`).

    scripts/bench_corpus.py [FOLDER] [RUNS]   # needs target/release/gongkai and pdftotext

GONGKAI=path/to/gongkai measures another build (a before/after comparison: copy the binary
of each version aside and run the script once with each, at the same sitting).

OCR is off (`--no-ocr`): the figure is the pipeline's, not the OCR engine's.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

from rss import peak_rss_mib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpus", "pdf")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
GONGKAI = os.environ.get("GONGKAI") or os.path.join(ROOT, "target", "release", "gongkai")


def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return next((int(l.split()[-1]) for l in out.splitlines() if l.startswith("Pages:")), 0)


# One core, truly: at --jobs 1 a worker on a two-core machine reads a long PDF's pages on
# both cores, and the parent writes on the other; pinned to one CPU (taskset), gongkai and
# pdftotext run under the same conditions.
ONE_CORE = ["taskset", "-c", "0"] if shutil.which("taskset") else []


def command(files, jobs, out):
    return [GONGKAI, "convert", "--no-ocr", "--force", "--jobs", str(jobs), "--out", out, *files]


def gongkai(files, jobs, out, one_core=False):
    cmd = [*(ONE_CORE if one_core else []), *command(files, jobs, out)]
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def disclosures(out):
    """The PDFs of the batch written to `out` that gongkai converted (its status not `failed`)."""
    import json
    with open(os.path.join(out, "documents.ndjson"), encoding="utf-8") as f:
        return [d["path"] for d in map(json.loads, f) if d.get("status") != "failed"]


def text_chars(pdf):
    """Characters of `pdf`'s text layer, blanks aside (pdftotext's reading): a page's density."""
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    return sum(1 for c in text if not c.isspace()) or 1


def pdftotext(files, out):
    start = time.perf_counter()
    for f in files:
        subprocess.run([*ONE_CORE, "pdftotext", "-layout", f, os.path.join(out, "x.txt")], stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def pdftotext_on_two(files, out):
    """pdftotext over `files`, two processes at a time (as `xargs -P 2`)."""
    from concurrent.futures import ThreadPoolExecutor
    run = lambda i_f: subprocess.run(["pdftotext", "-layout", i_f[1], os.path.join(out, f"x{i_f[0]}.txt")],
                                     stderr=subprocess.DEVNULL, check=False)
    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(run, enumerate(files)))
    return time.perf_counter() - start


def stage_times(files):
    """Seconds per pipeline stage over `files`, from one worker's `stage` span close events."""
    import json, re
    requests = "".join(json.dumps({"path": f, "name": f"d{i}"}) + "\n" for i, f in enumerate(files))
    env = dict(os.environ, RUST_LOG="gongkai=info", NO_COLOR="1", RAYON_NUM_THREADS="1")
    run = subprocess.run([GONGKAI, "worker", "--no-ocr"], input=requests, capture_output=True, text=True, env=env)
    units = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    totals = {}
    for line in re.sub(r"\x1b\[[0-9;]*m", "", run.stderr).splitlines():
        found = re.search(r'stage="(\w+)".*close time\.busy=([0-9.]+)(ns|µs|us|ms|s)\b', line)
        if found:
            totals[found[1]] = totals.get(found[1], 0.0) + float(found[2]) * units[found[3]]
    return totals


def main():
    if not os.path.exists(GONGKAI) or not shutil.which("pdftotext"):
        sys.exit("build with scripts/setup.sh first (it builds gongkai and installs pdftotext)")
    cities = {}
    for d, _, fs in os.walk(FOLDER):
        for f in fs:
            if f.lower().endswith(".pdf"):
                city = os.path.relpath(d, FOLDER).split(os.sep)[0]
                cities.setdefault(city, []).append(os.path.join(d, f))
    every = sorted(f for fs in cities.values() for f in fs)
    npages = {f: pages(f) for f in every}
    print(f"{len(every)} PDFs, {sum(npages.values())} pages; {RUNS} alternating rounds, medians\n")
    print(f"{'folder':12} {'files':>5} {'pages':>6} {'gongkai':>9} {'pdftotext':>10} {'ratio':>6}   (one core)")
    with tempfile.TemporaryDirectory() as out:
        rows = []
        for city, files in sorted(cities.items()) + [("(all)", every)]:
            g, p = [], []
            # A folder of a few short documents takes tens of milliseconds a round, where the
            # machine's jitter is a large share: it gets more rounds (up to five times RUNS,
            # about a second of rounds), so its median is as steady as a large folder's.
            rounds = RUNS
            while len(g) < rounds:
                g.append(gongkai(files, 1, out, one_core=True))
                p.append(pdftotext(files, out))
                if len(g) == 1:
                    rounds = max(RUNS, min(5 * RUNS, int(1.0 / max(g[0] + p[0], 1e-3))))
            g, p = statistics.median(g), statistics.median(p)
            rows.append((city, g, p))
            print(f"{city:12} {len(files):5} {sum(npages[f] for f in files):6} {g:8.2f}s {p:9.2f}s {g / p:6.2f}")
        unpinned = statistics.median(gongkai(every, 1, out) for _ in range(RUNS))
        # The speed-up from rounds that alternate one core and two: this machine's speed drifts
        # over minutes, and a ratio of runs far apart measures the drift.
        # pdftotext on both cores in the same rounds: what this machine gives two processes.
        ones, twos, p_ones, p_twos = [], [], [], []
        for _ in range(RUNS):
            ones.append(gongkai(every, 1, out, one_core=True))
            twos.append(gongkai(every, 2, out))
            p_ones.append(pdftotext(every, out))
            p_twos.append(pdftotext_on_two(every, out))
        one, two = statistics.median(ones), statistics.median(twos)
        p_one, p_two = statistics.median(p_ones), statistics.median(p_twos)
        print(f"\n--jobs 1 unpinned: {unpinned:.2f}s (ratio {unpinned / rows[-1][2]:.2f})")
        print(f"--jobs 2: {two:.2f}s, speed-up {one / two:.2f}x over one core ({one:.2f}s, alternating rounds); "
              f"pdftotext on two cores {p_one / p_two:.2f}x")
        print(f"peak RSS (high-water mark) of one process (parent, worker or engine), --jobs 2: {peak_rss_mib(command(every, 2, out)):.1f} MiB")
        # Cost against length: the longest disclosure (a document gongkai did not fail) and the
        # longest document of all (which may be no disclosure: a price list of dense tables),
        # each per page and per character of text, against a ~20-page disclosure.
        done = {os.path.realpath(p) for p in disclosures(out)}
        converted = [f for f in every if os.path.realpath(f) in done]
        near20 = min((f for f in converted if npages[f] >= 15), key=lambda f: abs(npages[f] - 20))
        longest = [max(converted, key=lambda f: npages[f]), max(every, key=lambda f: npages[f])]
        per, chars = {}, {}
        for f in dict.fromkeys([near20, *longest]):
            per[f] = statistics.median(gongkai([f], 1, out, one_core=True) for _ in range(RUNS))
            chars[f] = text_chars(f)
        short = f"{npages[near20]} pages {per[near20] / npages[near20] * 1000:.2f} ms"
        for f, what in zip(longest, ["longest disclosure", "longest document"]):
            print(f"cost per page, {what}: {npages[f]} pages {per[f] / npages[f] * 1000:.2f} ms against {short}: "
                  f"{per[f] / npages[f] / (per[near20] / npages[near20]):.2f}x "
                  f"(per character of text {per[f] / chars[f] / (per[near20] / chars[near20]):.2f}x)")
        times = stage_times(every)
        total = sum(times.values()) or 1.0
        order = ["source", "extract", "layout", "repair", "tables", "recover", "validate", "emit"]
        print("time per stage, one worker over the batch: " + ", ".join(
            f"{s} {times.get(s, 0.0):.2f}s ({100 * times.get(s, 0.0) / total:.0f}%)" for s in order))


if __name__ == "__main__":
    main()
