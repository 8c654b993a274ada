"""examples/spark_convert.py in a real Spark (local[2]) against the CLI for the same inputs:
the same facts, findings and document rows, as Parquet.

Skipped when pyspark or a Java runtime is missing, unless GONGKAI_REQUIRE_SPARK=1 (as
.ci/run sets it, since scripts/setup.sh installs both), when that is a failure."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, cli

MISSING = [
    what
    for what, present in [
        ("pyspark", importlib.util.find_spec("pyspark") is not None),
        ("pyarrow", importlib.util.find_spec("pyarrow") is not None),
        ("a Java runtime (java)", shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))),
    ]
    if not present
]
if MISSING:
    reason = f"Spark test needs {', '.join(MISSING)} (scripts/setup.sh installs them)"
    if os.environ.get("GONGKAI_REQUIRE_SPARK") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)

import pyarrow.parquet as pq  # noqa: E402

# Folders and a list of files, as the CLI takes them: text-layer PDFs (real ones and
# planted defects), OCR text and OCR output, broken inputs. Scans are left out to keep the
# run short (OCR in a task is the same call; the package tests cover scans).
FOLDERS = ["samples/pdf", "samples/planted", "samples/bad"]
LISTED = ["samples/ocr-text/qinglong-2023-budget.txt", "samples/ocr-output/qinglong-2023-budget-tesseract-tsv.tsv"]


def rows(table):
    """A table's rows as sorted JSON lines: Spark writes them in no particular order."""
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in table.to_pylist())


def test_spark_converts_as_the_cli_does(tmp_path):
    listing = tmp_path / "manifest.txt"
    listing.write_text("# inputs, one per line\n" + "\n".join(LISTED) + "\n", encoding="utf-8")
    cli_out = tmp_path / "cli"
    assert cli(cli_out, *FOLDERS, "--files-from", listing) == 1, "samples/bad/ fails"

    spark_out = tmp_path / "spark"
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "spark_convert.py"), *FOLDERS, "--files-from", str(listing)]
        + ["--out", str(spark_out), "--master", "local[2]", "--partitions", "4", "--conf", "spark.ui.enabled=false"],
        capture_output=True,
        env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"},
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-5000:]

    for table in ["facts", "findings", "documents"]:
        expected = pq.read_table(cli_out / f"{table}.parquet")
        got = pq.read_table(spark_out / table)
        assert got.schema.names == expected.schema.names, table
        assert [f.type for f in got.schema] == [f.type for f in expected.schema], table
        assert got.num_rows == expected.num_rows > 0, table
        assert rows(got) == rows(expected), table
