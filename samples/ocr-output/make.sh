#!/bin/sh
# Tesseract's own TSV and hOCR of the 150 dpi scan (samples/scan), as a user who already
# OCR'd an archive would have them: pages rendered at 300 dpi by pdftoppm, read by
# tesseract 5 chi_sim --psm 3, all pages in one file. Run from the repository root.
set -eu
tmp=$(mktemp -d)
pdftoppm -r 300 -gray -png samples/scan/qinglong-2023-budget-scan-150dpi.pdf "$tmp/page"
ls "$tmp"/page-*.png > "$tmp/list.txt"
OMP_THREAD_LIMIT=1 tesseract "$tmp/list.txt" "$tmp/out" -l chi_sim --psm 3 tsv hocr
mv "$tmp/out.tsv" samples/ocr-output/qinglong-2023-budget-tesseract-tsv.tsv
mv "$tmp/out.hocr" samples/ocr-output/qinglong-2023-budget-tesseract-hocr.hocr
rm -rf "$tmp"
