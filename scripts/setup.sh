#!/usr/bin/env bash
# Set gongkai up on a fresh machine (Rust, gcc and Python only), then run it on samples/.
#
#   scripts/setup.sh [OUT]      # OUT defaults to out/samples
#
# It installs what gongkai needs (the OCR engine for scans; nothing beyond Rust for OCR text
# and text-layer PDFs) and poppler, builds the release binary and the Python package (into
# .venv), converts every file under samples/ and prints the batch summary.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: tesseract with its Chinese model and poppler's pdftoppm for OCR of
# scanned pages (`gongkai convert --ocr`), pdftotext/pdfinfo for scripts/bench.py. OCR text
# and text-layer PDFs need none of them.
need=""
command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx chi_sim || need="$need tesseract-ocr tesseract-ocr-chi-sim"
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
# Chromium, headless, for the audit view's browser test (tests/html.rs), and a CJK font so
# its pages (and screenshots) show the Chinese text rather than boxes.
command -v chromium >/dev/null 2>&1 || need="$need chromium"
fc-list :lang=zh family 2>/dev/null | grep -q . || need="$need fonts-noto-cjk"
# A Java runtime for Spark (examples/spark_convert.py, tested in python/tests), and venv
# for the Python package's virtual environment.
command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
python3 -c 'import ensurepip, venv' 2>/dev/null || need="$need python3-venv"
if [ -n "$need" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq $need >/dev/null
  else
    echo "setup: please install:$need (Debian/Ubuntu package names)" >&2
  fi
fi

# The second OCR engine (src/extract/ppocr.rs): PP-OCRv4's line recognition model, run by
# rten inside gongkai, and its character dictionary, in models/. RapidOCR's wheel on PyPI
# is where the ONNX export is published (crates.io and Debian have none); only the model
# is taken from it, nothing of it is installed. The dictionary is the model's own, in its
# ONNX metadata (key `character`), written one character a line.
models=models
rec_model_sha256=48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b
keys_sha256=a1c84d9bdb9ab29043c58896224d32941783eb821629618416dcb08f12886492
if [ ! -f "$models/ch_PP-OCRv4_rec_infer.onnx" ] || [ ! -f "$models/ppocr_keys.txt" ]; then
  wheel_dir="$(mktemp -d)"
  trap 'rm -rf "$wheel_dir"' EXIT
  # The wheel declares Python < 3.13 (for its onnxruntime), which is no concern of a file
  # taken out of it: --python-version lets a newer interpreter download it.
  python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --disable-pip-version-check \
    --quiet rapidocr-onnxruntime==1.4.4 -d "$wheel_dir"
  mkdir -p "$models"
  python3 - "$wheel_dir"/rapidocr_onnxruntime-1.4.4-py3-none-any.whl "$models" "$rec_model_sha256" "$keys_sha256" <<'PY'
import hashlib, os, sys, zipfile
wheel, models, model_sha, keys_sha = sys.argv[1:]
name = "ch_PP-OCRv4_rec_infer.onnx"
model = zipfile.ZipFile(wheel).read(f"rapidocr_onnxruntime/models/{name}")
if hashlib.sha256(model).hexdigest() != model_sha:
    sys.exit(f"setup: {name} from the wheel has sha256 {hashlib.sha256(model).hexdigest()}, expected {model_sha}")

# ONNX is protobuf: a minimal walk of its fields finds ModelProto's metadata_props (field 14,
# StringStringEntryProto {1: key, 2: value}) without the onnx package.
def varint(b, i):
    n = shift = 0
    while True:
        c = b[i]
        i += 1
        n |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return n, i

def fields(b):
    i = 0
    while i < len(b):
        tag, i = varint(b, i)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            value, i = varint(b, i)
        elif wire == 1:
            value, i = b[i:i + 8], i + 8
        elif wire == 5:
            value, i = b[i:i + 4], i + 4
        elif wire == 2:
            n, i = varint(b, i)
            value, i = b[i:i + n], i + n
        else:
            sys.exit(f"setup: {name}: unexpected protobuf wire type {wire}")
        yield number, value

meta = {}
for number, value in fields(model):
    if number == 14:
        entry = dict(fields(value))
        meta[entry[1].decode()] = entry[2].decode()
keys = (meta["character"].rstrip("\n") + "\n").encode()
if hashlib.sha256(keys).hexdigest() != keys_sha:
    sys.exit(f"setup: the dictionary in {name} has sha256 {hashlib.sha256(keys).hexdigest()}, expected {keys_sha}")
# Written under temporary names and renamed, so an interrupted set-up leaves no half file
# that the check above would take for installed.
for file, data in ((name, model), ("ppocr_keys.txt", keys)):
    with open(os.path.join(models, file + ".part"), "wb") as f:
        f.write(data)
    os.replace(os.path.join(models, file + ".part"), os.path.join(models, file))
PY
  rm -rf "$wheel_dir"
  trap - EXIT
fi

# DuckDB's Python package, for the warehouse tests (tests/warehouse.rs) and for loading the
# output (README).
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check duckdb

# A PostgreSQL server on loopback for the warehouse tests (as root; see the script).
scripts/postgres.sh

cargo build --release --locked

# The Python package (python/, pyo3 built by maturin: pyproject.toml) in .venv, with what
# its tests use: pytest, pyarrow for the Arrow tables, pyspark for the Spark example, and
# pikepdf for the planted-defect generator (scripts/plant_defects.py, tests/auditor.rs), and
# Pillow and numpy for the whole-document scans made at test time (scripts/make_scans.py,
# tests/scans.rs).
[ -x .venv/bin/python ] || python3 -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
.venv/bin/python -c 'import maturin, pytest, pyarrow, pyspark, pikepdf, PIL, numpy' 2>/dev/null ||
  "${pip[@]}" 'maturin>=1.5,<2' 'pytest>=7' 'pyarrow>=14' 'pyspark>=3.5,<5' 'pikepdf>=9,<11' 'pillow>=10' 'numpy>=1.24'
# Built from this checkout every time (cargo only rebuilds what changed).
PATH="$PWD/.venv/bin:$PATH" "${pip[@]}" --no-build-isolation --force-reinstall --no-deps .

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
