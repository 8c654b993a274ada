//! Hostile and broken PDFs (`samples/hostile/`, made by its `make.py`): truncated,
//! encrypted, no pages, not a PDF, cyclic page tree and object streams, a deflate bomb, a
//! huge image, 10000 pages. Each must come out as `samples/hostile/expected.toml` says — its
//! status and the reason its failure gives — within a time and a memory bound (the whole
//! process tree's), and a batch over the folder must report every file and exit 1.
//!
//! The binary runs as a child process in its own process group, under `ulimit -v`, and is
//! killed (with its OCR children) when it overruns: a hang or a blow-up fails the test
//! instead of stalling or swamping the run.

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

use crate::common::root;

#[derive(Deserialize)]
struct Expected {
    limits: Limits,
    sample: Vec<Sample>,
}

#[derive(Deserialize)]
struct Limits {
    seconds: u64,
    batch_seconds: u64,
    rss_mib: u64,
}

#[derive(Deserialize)]
struct Sample {
    file: String,
    status: String,
    reason: String,
    #[serde(default)]
    year: Option<i64>,
    #[serde(default)]
    department: Option<String>,
}

fn expected() -> Expected {
    let text = std::fs::read_to_string(root().join("samples/hostile/expected.toml")).expect("expected.toml");
    toml::from_str(&text).expect("expected.toml parses")
}

/// Virtual memory cap (KiB) for the child, so a blow-up cannot take the machine down. The
/// asserted bound is `limits.rss_mib`; this is only the safety net above it.
const ULIMIT_V_KIB: u64 = 8_000_000;

/// A finished, bounded `gongkai convert` run.
struct Bounded {
    out: tempfile::TempDir,
    status: Option<i32>,
    elapsed: Duration,
    /// Peak resident set of the gongkai process (KiB), sampled from `/proc` while it ran.
    peak_rss_kib: u64,
    stderr: String,
}

impl Bounded {
    fn json(&self, name: &str) -> Value {
        let text = std::fs::read_to_string(self.out.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

/// Runs `gongkai convert INPUTS --out <tmp>` from the repository root; panics (after killing
/// the process group) when it runs longer than `limit`, and when a signal ended it.
/// The resident memory (KiB) of every process in the process group `group`, summed.
fn group_rss_kib(group: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    let mut total = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        // `stat`: pid (comm) state ppid pgrp …; the command name may hold spaces.
        let Ok(stat) = std::fs::read_to_string(path.join("stat")) else { continue };
        let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        if after_name.split_whitespace().nth(2).and_then(|g| g.parse::<u32>().ok()) != Some(group) {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(path.join("status")) else { continue };
        total += status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
    }
    total
}

fn convert_bounded(inputs: &[&Path], limit: Duration, what: &str) -> Bounded {
    let out = tempfile::tempdir().expect("tempdir");
    let stderr_path = out.path().join(".stderr");
    let stderr_file = std::fs::File::create(&stderr_path).expect("stderr file");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -v {ULIMIT_V_KIB} 2>/dev/null; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_gongkai"))
        .arg("convert")
        .args(inputs)
        .arg("--out")
        .arg(out.path())
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr_file)
        .process_group(0);
    let start = Instant::now();
    let mut child = command.spawn().expect("run gongkai");
    let group = child.id();
    let mut peak_rss_kib = 0;
    let status = loop {
        // The whole process tree (gongkai, its workers, the OCR engines they start: one
        // process group), sampled: the peak of their summed resident memory.
        peak_rss_kib = peak_rss_kib.max(group_rss_kib(group));
        if let Some(status) = child.try_wait().expect("wait for gongkai") {
            break status;
        }
        if start.elapsed() > limit {
            // The whole group: gongkai and any pdftoppm/tesseract it started.
            let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
            let _ = child.wait();
            panic!("{what}: still running after {} s (killed): a hang or a runaway", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    std::fs::remove_file(&stderr_path).ok();
    if let Some(signal) = status.signal() {
        panic!(
            "{what}: gongkai was killed by signal {signal} after {:.1} s, peak RSS {} MiB \
             (6 = abort: an allocation failed under ulimit -v {ULIMIT_V_KIB} KiB, or a stack overflow)\n{stderr}",
            elapsed.as_secs_f64(),
            peak_rss_kib / 1024
        );
    }
    Bounded { out, status: status.code(), elapsed, peak_rss_kib, stderr }
}

/// The document's error findings' messages.
fn errors(doc: &Value) -> Vec<&str> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .filter_map(|f| f["message"].as_str())
        .collect()
}

/// No caught panic, the expected status, the reason in the failure, the metadata read.
fn check_document(doc: &Value, sample: &Sample) {
    let file = &sample.file;
    let findings = doc["findings"].as_array().expect("findings");
    let bugs: Vec<&Value> = findings.iter().filter(|f| f["kind"] == "internal_error").collect();
    assert!(bugs.is_empty(), "{file}: gongkai panicked (caught): {bugs:#?}");
    assert_eq!(doc["status"], sample.status.as_str(), "{file}: {findings:#?}");
    let messages = errors(doc);
    assert!(
        messages.iter().any(|m| m.contains(&sample.reason)),
        "{file}: no error finding says {:?}; the errors say {messages:#?}",
        sample.reason
    );
    if sample.status == "failed" {
        assert!(doc["tables"].as_array().is_some_and(Vec::is_empty), "{file}: a failed document has no tables");
    }
    if let Some(year) = sample.year {
        assert_eq!(doc["metadata"]["year"], year, "{file}: the page's text was not read: {:#}", doc["metadata"]);
    }
    if let Some(department) = &sample.department {
        assert_eq!(doc["metadata"]["department"], department.as_str(), "{file}: {:#}", doc["metadata"]);
    }
}

/// One file alone: bounded in time and memory, its document as expected, exit status 1 for
/// a failed input (0 otherwise).
fn check(file: &str) {
    let expected = expected();
    let sample =
        expected.sample.iter().find(|s| s.file == file).unwrap_or_else(|| panic!("{file}: not in expected.toml"));
    let path = Path::new("samples/hostile").join(file);
    let run = convert_bounded(&[&path], Duration::from_secs(expected.limits.seconds), file);
    eprintln!(
        "{file}: exit status {:?}, {:.1} s, peak RSS {} MiB",
        run.status,
        run.elapsed.as_secs_f64(),
        run.peak_rss_kib / 1024
    );
    let stem = file.trim_end_matches(".pdf");
    let doc = run.json(&format!("{stem}.json"));
    check_document(&doc, sample);
    let want_status = if sample.status == "failed" { 1 } else { 0 };
    assert_eq!(run.status, Some(want_status), "{file}: exit status\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
    assert!(
        run.peak_rss_kib <= expected.limits.rss_mib * 1024,
        "{file}: peak RSS {} MiB, over the {} MiB bound ({:.1} s)",
        run.peak_rss_kib / 1024,
        expected.limits.rss_mib,
        run.elapsed.as_secs_f64()
    );
}

/// One test per sample, so each failure is reported by name; `every_sample_has_a_test`
/// keeps this list, the folder and expected.toml the same.
macro_rules! hostile {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check($file);
            }
        )*
        const FILES: &[&str] = &[$($file),*];
    };
}

hostile! {
    truncated => "truncated.pdf",
    encrypted_user_password => "encrypted-user-password.pdf",
    encrypted_no_user_password => "encrypted-no-user-password.pdf",
    zero_pages => "zero-pages.pdf",
    not_a_pdf => "not-a-pdf.pdf",
    random_bytes => "random-bytes.pdf",
    cyclic_page_tree => "cyclic-page-tree.pdf",
    cyclic_object_stream => "cyclic-object-stream.pdf",
    deflate_bomb => "deflate-bomb.pdf",
    huge_image => "huge-image.pdf",
    many_pages => "many-pages.pdf",
}

fn pdfs_in_folder() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("samples/hostile"))
        .expect("samples/hostile")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".pdf"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_sample_has_a_test_and_an_expectation() {
    let in_folder = pdfs_in_folder();
    let mut tested: Vec<String> = FILES.iter().map(std::string::ToString::to_string).collect();
    tested.sort();
    let mut expected: Vec<String> = expected().sample.into_iter().map(|s| s.file).collect();
    expected.sort();
    assert_eq!(in_folder, tested, "samples/hostile/*.pdf vs the tests in tests/hostile.rs");
    assert_eq!(in_folder, expected, "samples/hostile/*.pdf vs expected.toml");
    for file in &in_folder {
        let bytes = std::fs::metadata(root().join("samples/hostile").join(file)).expect("sample").len();
        assert!(bytes < 100_000, "{file}: {bytes} bytes; the hostile samples stay small");
    }
}

#[test]
fn a_batch_over_the_folder_reports_every_file_and_exits_one() {
    let expected = expected();
    let run = convert_bounded(
        &[Path::new("samples/hostile")],
        Duration::from_secs(expected.limits.batch_seconds),
        "batch over samples/hostile",
    );
    let failed = expected.sample.iter().filter(|s| s.status == "failed").count();
    assert_eq!(run.status, Some(if failed > 0 { 1 } else { 0 }), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    eprintln!(
        "batch: exit status {:?}, {:.1} s, peak RSS {} MiB",
        run.status,
        run.elapsed.as_secs_f64(),
        run.peak_rss_kib / 1024
    );
    let report = run.json("report.json");
    let documents = report["documents"].as_array().expect("documents");
    let failures = report["failures"].as_array().expect("failures");
    assert_eq!(documents.len(), expected.sample.len(), "one document per file: {documents:#?}");
    assert_eq!(failures.len(), failed, "{failures:#?}");
    let limit_ms = expected.limits.seconds * 1000;
    for sample in &expected.sample {
        let path = format!("samples/hostile/{}", sample.file);
        let listed = documents.iter().find(|d| d["path"] == path.as_str());
        let listed = listed.unwrap_or_else(|| panic!("{path} not in the report: {documents:#?}"));
        assert_eq!(listed["status"], sample.status.as_str(), "{path}: {listed}");
        let timing = std::fs::read_to_string(run.out.path().join("timing.ndjson")).expect("timing.ndjson");
        let doc = listed["doc"].as_str().unwrap_or("");
        let times: Vec<Value> = timing.lines().map(|l| serde_json::from_str(l).expect("a timing line")).collect();
        let millis = times.iter().find(|t| t["doc"] == doc).and_then(|t| t["millis"].as_u64()).unwrap_or(0);
        assert!(millis <= limit_ms, "{path}: {millis} ms in the batch, over {limit_ms} ms");
        if sample.status == "failed" {
            let failure = failures.iter().find(|f| f["path"] == path.as_str());
            let failure = failure.unwrap_or_else(|| panic!("{path} not among the failures: {failures:#?}"));
            let reason = failure["reason"].as_str().unwrap_or("");
            assert!(reason.contains(&sample.reason), "{path}: report reason {reason:?} lacks {:?}", sample.reason);
        }
        let doc = run.json(&format!("{}.json", listed["doc"].as_str().expect("doc name")));
        check_document(&doc, sample);
    }
    assert!(
        run.peak_rss_kib <= expected.limits.rss_mib * 1024,
        "batch: peak RSS {} MiB, over the {} MiB bound",
        run.peak_rss_kib / 1024,
        expected.limits.rss_mib
    );
}
