//! Archive-scale batches: output independent of `--jobs` and input order, resuming,
//! `--files-from`, sharding, and the per-document time limit, on the real binary.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::root;

/// Runs `gongkai convert ARGS… --out OUT` (with `stdin` piped in when given); returns the
/// exit status.
fn gongkai(args: &[&str], out: &Path, stdin: Option<&str>) -> i32 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("convert")
        .args(args)
        .arg("--out")
        .arg(out)
        .current_dir(root())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run gongkai");
    if let Some(text) = stdin {
        child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write stdin");
    }
    child.wait().expect("wait").code().unwrap_or(-1)
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn json(dir: &Path, name: &str) -> Value {
    serde_json::from_slice(&read(dir, name)).expect("json")
}

/// Documents `timing.ndjson` says were reused from an earlier run.
fn reused(dir: &Path) -> usize {
    let text = String::from_utf8(read(dir, "timing.ndjson")).unwrap();
    text.lines().filter(|l| serde_json::from_str::<Value>(l).unwrap()["reused"] == true).count()
}

const INPUTS: [&str; 3] = ["samples/pdf", "samples/ocr-text", "samples/planted"];

#[test]
fn output_is_byte_identical_whatever_the_jobs_and_the_order() {
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    gongkai(&[&["--jobs", "1"][..], &INPUTS].concat(), one.path(), None);
    let reversed: Vec<&str> = INPUTS.iter().rev().copied().collect();
    gongkai(&[&["--jobs", "2"][..], &reversed].concat(), two.path(), None);
    for name in ["facts.ndjson", "report.json", "putuo-office-2025-budget.json", "qinglong-2023-budget.json"] {
        assert!(read(one.path(), name) == read(two.path(), name), "{name} differs between --jobs 1 and --jobs 2");
    }
}

#[test]
fn a_rerun_reuses_what_is_done_and_force_redoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = tempfile::tempdir().unwrap();
    let name = "qinglong-2023-budget.txt";
    std::fs::copy(root().join("samples/ocr-text").join(name), inputs.path().join(name)).unwrap();
    std::fs::copy(root().join("samples/pdf/putuo-office-2025-budget.pdf"), inputs.path().join("putuo.pdf")).unwrap();
    let folder = inputs.path().to_str().unwrap();
    assert_eq!(gongkai(&[folder], dir.path(), None), 0);
    let facts = read(dir.path(), "facts.ndjson");
    assert_eq!(reused(dir.path()), 0);
    // The same inputs again: nothing converted, the same data files.
    assert_eq!(gongkai(&[folder], dir.path(), None), 0);
    assert_eq!(reused(dir.path()), 2);
    assert!(read(dir.path(), "facts.ndjson") == facts);
    // A changed input is converted again; --force converts everything again.
    let text = std::fs::read_to_string(inputs.path().join("qinglong-2023-budget.txt")).unwrap();
    std::fs::write(inputs.path().join("qinglong-2023-budget.txt"), text.replace("509.01", "509.02")).unwrap();
    gongkai(&[folder], dir.path(), None);
    assert_eq!(reused(dir.path()), 1);
    gongkai(&["--force", folder], dir.path(), None);
    assert_eq!(reused(dir.path()), 0);
    let left: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(left.iter().all(|n| !n.starts_with('.')), "no temporary files or parts left: {left:?}");
}

#[test]
fn files_from_standard_input_and_shards_cover_the_archive_once() {
    let list = "samples/ocr-text/qinglong-2023-budget.txt\nsamples/pdf/putuo-office-2025-budget.pdf\n\
                # a comment\nsamples/pdf/qinglong-2023-budget-hebei.pdf\nsamples/pdf/cmap-stsong-gbk.pdf\n";
    let all = tempfile::tempdir().unwrap();
    gongkai(&["--files-from", "-"], all.path(), Some(list));
    let docs = |dir: &Path| -> Vec<String> {
        json(dir, "report.json")["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["doc"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(docs(all.path()).len(), 4);
    let mut union = Vec::new();
    for k in 1..=3 {
        let part = tempfile::tempdir().unwrap();
        gongkai(&["--files-from", "-", "--shard", &format!("{k}/3")], part.path(), Some(list));
        union.extend(docs(part.path()));
    }
    union.sort();
    assert_eq!(union, docs(all.path()), "each document in exactly one shard");
    assert_eq!(gongkai(&["--shard", "4/3", "samples/ocr-text"], all.path(), None), 2, "a bad shard is a usage error");
}

#[test]
fn a_document_over_the_time_limit_fails_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // OCR of the 22-page scan takes far more than five seconds; the OCR text takes about one
    // in a debug build on a loaded 2-core machine, so its limit must leave room for that.
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "convert",
            "--timeout",
            "5",
            "samples/scan/putuo-office-2025-budget-no-tounicode.pdf",
            "samples/ocr-text",
        ])
        .arg("--out")
        .arg(dir.path())
        .env("TMPDIR", tmp.path())
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run gongkai");
    assert_eq!(status.code(), Some(1));
    // The worker killed mid-page leaves no rendered page behind.
    let left: Vec<_> = walk(tmp.path());
    assert!(left.is_empty(), "temporary files left: {left:?}");
    let doc = json(dir.path(), "putuo-office-2025-budget-no-tounicode.json");
    assert_eq!(doc["status"], "failed");
    assert_eq!(doc["findings"][0]["kind"], "time_limit");
    assert_eq!(json(dir.path(), "qinglong-2023-budget.json")["status"], "repaired");
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
