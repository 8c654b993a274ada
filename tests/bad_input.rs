//! Bad input gets a clear failed document and exit status 1; the other inputs still
//! convert, and no half-written file is left behind.

use std::path::Path;

use serde_json::Value;

use crate::common::{SAMPLES, convert, root};

fn failed_with(doc: &Value, kind: &str) {
    assert_eq!(doc["status"], "failed", "{doc}");
    let findings = doc["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["kind"] == kind && f["severity"] == "error"), "{kind} in {findings:#?}");
    assert!(doc["tables"].as_array().unwrap().is_empty());
}

#[test]
fn each_bad_sample_is_a_failed_document_with_its_reason() {
    let run = &*SAMPLES;
    assert_eq!(run.status, 1, "a failed input makes exit status 1: {}", run.stderr);
    failed_with(&run.json("empty.json"), "empty_input");
    failed_with(&run.json("binary-named.json"), "not_text");
    failed_with(&run.json("not-a-disclosure.json"), "not_a_disclosure");
    failed_with(&run.json("not-a-pdf.json"), "unreadable_pdf");
    // A truncated PDF whose fonts are lost: every page's text layer is reported unusable.
    let truncated = run.json("truncated.json");
    failed_with(&truncated, "not_a_disclosure");
    assert!(truncated["findings"].as_array().unwrap().iter().any(|f| f["kind"] == "unusable_text_layer"));
    // The good samples converted all the same.
    assert_eq!(run.json("qinglong-2023-budget.json")["status"], "repaired");
    assert_eq!(run.json("putuo-office-2025-budget.json")["status"], "ok");
    let report = run.json("report.json");
    // Every file in samples/bad fails, and besides them only the hostile PDFs (checked one
    // by one in tests/hostile.rs); scans are OCR'd.
    let bad = std::fs::read_dir(root().join("samples/bad")).unwrap().count();
    let failures = report["failures"].as_array().unwrap();
    let in_bad = failures.iter().filter(|f| f["path"].as_str().unwrap().starts_with("samples/bad/")).count();
    assert_eq!(in_bad, bad, "every file in samples/bad fails");
    let hostile = |f: &&Value| f["path"].as_str().unwrap().starts_with("samples/hostile/");
    assert!(failures.iter().filter(|f| !hostile(f)).count() == bad, "{failures:#?}");
    let reasons: Vec<&str> =
        report["failures"].as_array().unwrap().iter().map(|f| f["reason"].as_str().unwrap()).collect();
    assert!(reasons.iter().any(|r| r.contains("is empty")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("not UTF-8 text")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("cannot be parsed")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("no standard budget")), "{reasons:?}");
    let not_disclosure = run.json("not-a-disclosure.json");
    assert_eq!(not_disclosure["findings"].as_array().unwrap().len(), 1, "one clear reason, not nine missing tables");
    // Only finished files: no temporary names left behind.
    assert!(run.files().iter().all(|f| !f.starts_with('.') && !f.ends_with(".tmp")), "{:?}", run.files());
}

#[test]
fn a_good_input_alone_exits_zero() {
    let run = convert(&[Path::new("samples/ocr-text/qinglong-2023-budget.txt")]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.files(),
        [
            "documents.ndjson",
            "facts.ndjson",
            "findings.ndjson",
            "other_tables.ndjson",
            "qinglong-2023-budget.json",
            "report.json",
            "targets.ndjson",
            "timing.ndjson"
        ]
    );
}

#[test]
fn a_missing_input_fails_and_the_batch_goes_on() {
    let run = convert(&[Path::new("samples/no-such-file.txt"), Path::new("samples/ocr-text")]);
    assert_eq!(run.status, 1);
    failed_with(&run.json("no-such-file.json"), "unreadable_input");
    assert_eq!(run.json("qinglong-2023-budget.json")["status"], "repaired");
}

#[test]
fn usage_errors_exit_two() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["convert", "samples"])
        .current_dir(root())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "--out is required");
}

#[test]
fn same_stems_get_distinct_documents() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::copy(
            root().join("samples/ocr-text/qinglong-2023-budget.txt"),
            dir.path().join(sub).join("report.txt"),
        )
        .unwrap();
    }
    let run = convert(&[dir.path()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let names = run.files();
    assert_eq!(names.iter().filter(|n| n.ends_with(".json")).count(), 3, "two documents and the report: {names:?}");
    assert!(names.contains(&"report-2.json".to_string()) && names.contains(&"report-3.json".to_string()));
    assert_eq!(run.json("report.json")["documents"].as_array().unwrap().len(), 2);
}

/// OCR text whose tabs were turned into spaces without aligning anything: it is read by
/// where its cells sit (as space-aligned text is), which here is nowhere in particular, and
/// the document says so with errors (cells that cannot be read, figures beyond the columns)
/// — never a set of wrong or empty tables reported ok or repaired.
#[test]
fn text_spaced_out_of_alignment_is_flagged() {
    let seed = std::fs::read_to_string(root().join("samples/ocr-text/qinglong-2023-budget.txt")).expect("seed");
    let dir = tempfile::tempdir().expect("tempdir");
    let spaced = dir.path().join("qinglong-space-aligned.txt");
    std::fs::write(&spaced, seed.replace('\t', "    ")).expect("write");
    let run = convert(&[spaced.as_path()]);
    let doc = run.json("qinglong-space-aligned.json");
    assert_eq!(doc["status"], "flagged", "{}", doc["findings"]);
    let findings = doc["findings"].as_array().expect("findings");
    assert!(findings.iter().any(|f| f["kind"] == "space_aligned_text"), "{findings:#?}");
    assert!(findings.iter().filter(|f| f["severity"] == "error").count() >= 10, "{findings:#?}");
}
