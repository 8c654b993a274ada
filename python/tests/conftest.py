"""Shared fixtures: the CLI's output for the samples (the truth the package is held to) and
the package's for the same inputs. Paths are relative to the repository root, as the CLI
writes them into documents, so the tests run from there."""

import json
import os
import subprocess
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
os.chdir(ROOT)


def binary():
    """The release binary scripts/setup.sh builds (or $GONGKAI_BIN)."""
    path = Path(os.environ.get("GONGKAI_BIN", ROOT / "target" / "release" / "gongkai"))
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/setup.sh (or cargo build --release) first")
    return path


def cli(out, *args):
    """Runs `gongkai convert ARGS... --out OUT --format parquet`; returns its exit status."""
    run = subprocess.run(
        [str(binary()), "convert", *map(str, args), "--out", str(out), "--format", "parquet"],
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 1), run.stderr
    return run.returncode


def ndjson(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="session")
def cli_samples(tmp_path_factory):
    """The CLI's output folder for all of samples/ (exit status 1: samples/bad/ fails)."""
    out = tmp_path_factory.mktemp("cli-samples")
    assert cli(out, "samples") == 1
    return out


@pytest.fixture(scope="session")
def package_samples():
    """The package's warehouse tables for all of samples/ (files of other types skipped,
    with a warning each, as the CLI reports them)."""
    import gongkai

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tables = gongkai.tables(["samples"], jobs=2)
    return tables, [str(w.message) for w in caught]
