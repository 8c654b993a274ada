#!/usr/bin/env bash
# Set gongkai up on a fresh machine (Rust, gcc and Python only), then run it on samples/.
#
#   scripts/setup.sh [OUT]      # OUT defaults to out/samples
#
# It installs what gongkai needs (nothing beyond Rust for OCR text and text-layer PDFs; the
# OCR engine will be installed here when scans land) and poppler for the benchmark, builds
# the release binary, converts every file under samples/ and prints the batch summary.
set -euo pipefail
cd "$(dirname "$0")/.."

# poppler-utils: pdftotext/pdfinfo for scripts/bench.py (gongkai itself needs no system
# package for OCR text and text-layer PDFs).
if ! command -v pdftotext >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null
fi

cargo build --release --locked

out="${1:-out/samples}"
status=0
./target/release/gongkai convert samples --out "$out" || status=$?
# samples/bad/ holds broken inputs on purpose (empty, binary, truncated, not a disclosure):
# exit status 1 ("some input failed") is the expected outcome.
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  echo "gongkai convert failed with exit status $status" >&2
  exit "$status"
fi
python3 - "$out" <<'PY'
import json, sys
report = json.load(open(f"{sys.argv[1]}/report.json", encoding="utf-8"))
print(f"\nreport: {sys.argv[1]}/report.json  counts: {report['counts']}  facts: {report['facts']}")
for d in report["documents"]:
    print(f"  {d['status']:9} {d['doc']:32} tables {d['tables']:2}  facts {d['facts']:4}  repairs {d['repairs']:4}  errors {d['errors']}")
PY
