#!/usr/bin/env bash
# Set gongkai up on a fresh machine (Rust, gcc and Python only), then run it on samples/.
#
#   scripts/setup.sh [OUT]      # OUT defaults to out/samples
#
# It installs what gongkai needs (nothing beyond Rust for OCR-text input yet; the PDF and
# OCR engines will be installed here when they land), builds the release binary, converts
# every file under samples/ and prints the batch summary.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked

out="${1:-out/samples}"
status=0
./target/release/gongkai convert samples --out "$out" || status=$?
# samples/bad/ holds broken inputs on purpose (empty, binary, not a disclosure) and the PDF
# path is not supported yet: exit status 1 ("some input failed") is the expected outcome.
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
