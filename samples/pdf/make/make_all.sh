#!/usr/bin/env bash
# Regenerate samples/pdf/qinglong-2023-budget-hebei.pdf, samples/pdf/cmap-stsong-gbk.pdf,
# samples/pdf/cmap-stsong-gbk-euc.pdf, samples/pdf/qinglong-2023-budget-unruled.pdf and
# samples/pdf/synthetic-2024-final-funds.pdf, then check the first four against
# tests/truth/qinglong-2023-budget.tsv. See README.md for the tools.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(dirname "$here")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 "$here/make_hebei_xlsx.py" "$tmp/qinglong-2023-budget-hebei.xlsx"
# a private profile dir, so a running LibreOffice or a user profile does not interfere
soffice -env:UserInstallation="file://$tmp/lo-profile" --headless \
    --convert-to pdf --outdir "$tmp" "$tmp/qinglong-2023-budget-hebei.xlsx" >/dev/null
cp "$tmp/qinglong-2023-budget-hebei.pdf" "$out/qinglong-2023-budget-hebei.pdf"

python3 "$here/make_cmap_pdf.py" "$out/cmap-stsong-gbk.pdf"
python3 "$here/make_cmap_gbk_euc_pdf.py" "$out/cmap-stsong-gbk-euc.pdf"
python3 "$here/make_unruled_pdf.py" "$out/qinglong-2023-budget-unruled.pdf"
python3 "$here/make_final_funds_pdf.py" "$out/synthetic-2024-final-funds.pdf"

python3 "$here/check_pdfs.py" "$out"
python3 "$here/check_unruled_pdf.py" "$out"
