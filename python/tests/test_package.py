"""The Python package against the CLI on samples/: the same documents, facts, findings and
document rows, in the same order; bad inputs are failed documents; only usage errors raise."""

import json
import sys
import threading
import time
from pathlib import Path

import pytest

import gongkai
from conftest import cli, ndjson

QUICKSTART = "samples/ocr-text/qinglong-2023-budget.txt"
SCANS = "samples/scan"


def test_quickstart_counts_the_same_facts_as_the_cli(tmp_path):
    cli(tmp_path, QUICKSTART)
    expected = ndjson(tmp_path / "facts.ndjson")
    got = gongkai.facts([QUICKSTART])
    assert len(got) == len(expected) > 100
    assert got == expected


@pytest.mark.parametrize("table", ["facts", "findings", "documents"])
def test_the_warehouse_tables_of_all_samples_are_the_clis(table, cli_samples, package_samples):
    tables, _ = package_samples
    expected = ndjson(cli_samples / f"{table}.ndjson")
    got = getattr(tables, table)
    assert len(got) == len(expected)
    for i, (g, e) in enumerate(zip(got, expected)):
        assert g == e, f"line {i + 1} of {table}.ndjson"


def test_files_of_other_types_are_skipped_with_a_warning_as_the_cli_reports_them(cli_samples, package_samples):
    _, warned = package_samples
    report = json.loads((cli_samples / "report.json").read_text(encoding="utf-8"))
    assert report["skipped"], "samples/ holds READMEs and scripts"
    assert sorted(warned) == sorted(f"gongkai: skipped {s['path']}: {s['reason']}" for s in report["skipped"])


def documents(cli_samples):
    """(doc name, path) of every document of the CLI's run over samples/."""
    report = json.loads((cli_samples / "report.json").read_text(encoding="utf-8"))
    return [(d["doc"], d["path"]) for d in report["documents"]]


def test_convert_gives_each_document_as_the_cli_writes_it(cli_samples):
    docs = documents(cli_samples)
    assert len(docs) > 40
    # The shortest OCR'd document stands for them all: the tables above hold every one to
    # the CLI's output, and OCR'ing them all again one at a time would double the tests' time.
    written = {name: json.loads((cli_samples / f"{name}.json").read_text(encoding="utf-8")) for name, _ in docs}
    ocrd = [name for name, doc in written.items() if (doc.get("source") or {}).get("ocr_pages")]
    assert ocrd, "samples/ holds scans"
    shortest = min(ocrd, key=lambda name: (len(written[name]["source"]["ocr_pages"]), name))
    for name, path in docs:
        if name in ocrd and name != shortest:
            continue
        expected = written[name]
        assert gongkai.convert(path, name=name) == expected, path


def test_convert_names_a_file_by_its_stem_as_the_cli_does():
    doc = gongkai.convert(Path(QUICKSTART))
    assert doc["doc"] == "qinglong-2023-budget"
    assert doc["contract"] == gongkai.CONTRACT == 1
    assert doc["status"] in ("ok", "repaired")
    assert doc["source"]["path"] == QUICKSTART


def test_bad_inputs_are_failed_documents_not_exceptions(cli_samples):
    bad = sorted(Path("samples/bad").iterdir())
    assert len(bad) >= 5
    for path in bad:
        doc = gongkai.convert(str(path))
        assert doc["status"] == "failed", path
        assert doc["findings"][0]["severity"] == "error"
    # A missing file is a failed document in the CLI too, not a usage error.
    missing = gongkai.convert("samples/no-such-file.pdf")
    assert missing["status"] == "failed"
    assert missing["findings"][0]["kind"] == "unreadable_input"
    got = gongkai.tables(["samples/no-such-file.pdf"])
    assert got.facts == [] and [d["status"] for d in got.documents] == ["failed"]
    # A file of a type gongkai does not read: skipped by facts(), failed by convert().
    with pytest.warns(UserWarning, match="skipped samples/README.md"):
        assert gongkai.facts(["samples/README.md"]) == []
    assert gongkai.convert("samples/README.md")["findings"][0]["kind"] == "unsupported_input"


def test_usage_errors_raise():
    with pytest.raises(TypeError, match="one path"):
        gongkai.facts(QUICKSTART)  # a string would read as a list of one-letter paths
    with pytest.raises(TypeError):
        gongkai.facts([1])
    with pytest.raises(TypeError):
        gongkai.facts(None)
    with pytest.raises(ValueError, match="jobs"):
        gongkai.facts([QUICKSTART], jobs=0)
    with pytest.raises(TypeError, match="jobs"):
        gongkai.facts([QUICKSTART], jobs="2")
    with pytest.raises(ValueError, match="folder"):
        gongkai.convert("samples")
    with pytest.raises(TypeError):
        gongkai.convert([QUICKSTART])
    assert gongkai.facts([]) == []


def test_facts_do_not_depend_on_input_order_or_jobs():
    a, b = "samples/pdf/putuo-office-2025-budget.pdf", QUICKSTART
    one = gongkai.facts([a, b], jobs=1)
    assert one == gongkai.facts([b, a], jobs=2)
    assert [f["doc"] for f in one][0] == "putuo-office-2025-budget", "document-name order"


def test_a_planned_part_keeps_the_names_of_the_whole_batch():
    planned = gongkai.plan(["samples/pdf", "samples/planted"])
    names = [name for _, name in planned]
    assert len(set(names)) == len(names)
    whole = gongkai.tables(["samples/pdf", "samples/planted"], jobs=2)
    half = len(planned) // 2
    parts = [gongkai.tables(planned=planned[:half], jobs=1), gongkai.tables(planned=planned[half:], jobs=1)]
    assert sorted(json.dumps(f, sort_keys=True) for p in parts for f in p.facts) == sorted(
        json.dumps(f, sort_keys=True) for f in whole.facts
    )


def test_the_gil_is_released_while_converting():
    ticks = 0
    stop = threading.Event()

    def tick():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    time.sleep(0.05)
    try:
        before, start = ticks, time.monotonic()
        # A real final account, several tables of a text-layer PDF, converted until a
        # quarter of a second has passed (three times at least): long enough to tell on a
        # fast machine, whatever a conversion costs.
        runs = 0
        while runs < 3 or time.monotonic() - start < 0.25:
            gongkai.convert("samples/pdf/putuo-finance-2024-final.pdf")
            runs += 1
        elapsed, during = time.monotonic() - start, ticks - before
    finally:
        stop.set()
        thread.join()
    # With the GIL held the other thread would not tick at all while Rust converts.
    assert elapsed > 0.05, "conversion too quick to tell"
    assert during >= elapsed * 1000 * 0.3, f"{during} ticks in {elapsed:.3f} s"


# Arrow


pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402


def test_arrow_tables_are_the_clis_parquet_files(cli_samples, package_samples):
    # The rows converted once for the session, made Arrow tables as arrow_tables() does.
    rows, _ = package_samples
    tables = {name: gongkai.arrow(name, getattr(rows, name)) for name in rows._fields}
    assert set(tables) == {"facts", "findings", "documents"}
    for name, table in tables.items():
        expected = pq.read_table(cli_samples / f"{name}.parquet")
        assert table.schema.equals(expected.schema, check_metadata=False), name
        assert table.schema.equals(gongkai.schema(name))
        assert table.num_rows == expected.num_rows > 0, name
        assert table.to_pylist() == expected.to_pylist(), name


def test_to_arrow_and_friends():
    both = gongkai.arrow_tables([QUICKSTART, "samples/bad/empty.txt"])
    assert {name: t.num_rows for name, t in both.items()} == {
        "facts": len(gongkai.facts([QUICKSTART])),
        "findings": len(gongkai.tables([QUICKSTART, "samples/bad/empty.txt"]).findings),
        "documents": 2,
    }
    facts = gongkai.to_arrow([QUICKSTART])
    assert facts.num_rows == len(gongkai.facts([QUICKSTART]))
    assert facts.schema.field("value").type == pa.string(), "figures keep their printed scale"
    assert facts.schema.field("page").type == pa.int64()
    assert gongkai.findings_arrow([QUICKSTART]).num_rows == len(gongkai.tables([QUICKSTART]).findings)
    docs = gongkai.documents_arrow([QUICKSTART, "samples/bad/empty.txt"])
    assert docs.column("doc").to_pylist() == ["empty", "qinglong-2023-budget"], "document-name order"
    assert docs.column("status").to_pylist()[0] == "failed"


def test_targets_are_the_clis_targets_parquet(cli_samples):
    # The seed's target tables, one row per indicator, as the CLI writes them: 13 of its 14
    # (table 7's grid was flattened by OCR, so it has no indicator row).
    # Every folder but the scans (which have no target tables to read, and take the time of
    # the rest together to OCR): the CLI's rows for all of samples/ are these.
    folders = sorted(str(p) for p in Path("samples").iterdir() if p.is_dir() and str(p) != SCANS)
    rows = gongkai.targets(folders)
    assert len({r["target_index"] for r in rows if r["doc"] == "qinglong-2023-budget"}) == 13
    table = gongkai.targets_arrow(folders)
    expected = pq.read_table(cli_samples / "targets.parquet")
    assert table.schema.equals(expected.schema, check_metadata=False)
    assert table.schema.equals(gongkai.schema("targets"))
    assert table.to_pylist() == expected.to_pylist()
    assert gongkai.targets([]) == []


def test_without_pyarrow_the_arrow_functions_say_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match="pip install pyarrow"):
        gongkai.to_arrow([QUICKSTART])
