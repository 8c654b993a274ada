//! A batch run: inputs (files or folders) → documents, each converted in isolation.
//!
//! Folders are searched recursively in sorted order; files of other types are reported as
//! skipped. Each document runs under `catch_unwind`, so a bug on one input is a failed
//! document with its reason and the batch goes on. Document names are the inputs' stems,
//! made unique (`name`, `name-2`, …) and never `facts` or `report`.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::emit::Batch;
use crate::model::{Finding, Severity, Skipped};
use crate::source::Format;

/// Expands the command line's inputs into files to convert and files to skip.
pub fn collect(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut files, &mut skipped);
        } else if input.exists() && Format::of(input).is_none() {
            skipped.push(Skipped {
                path: input.display().to_string(),
                reason: "not a .pdf, .txt, .tsv or .hocr file".into(),
            });
        } else {
            files.push(input.clone()); // a missing file becomes a failed document
        }
    }
    (files, skipped)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        skipped.push(Skipped { path: dir.display().to_string(), reason: "folder could not be read".into() });
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, files, skipped);
        } else if Format::of(&path).is_some() {
            files.push(path);
        } else {
            skipped.push(Skipped {
                path: path.display().to_string(),
                reason: "not a .pdf, .txt, .tsv or .hocr file".into(),
            });
        }
    }
}

/// Converts every file; names documents uniquely in input order.
pub fn convert_all(files: &[PathBuf], skipped: Vec<Skipped>, options: &crate::extract::Options) -> Batch {
    let mut taken = BTreeSet::from(["facts".to_string(), "report".to_string()]);
    let mut documents = Vec::new();
    for path in files {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("document").to_string();
        let mut name = stem.clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = format!("{stem}-{n}");
        }
        taken.insert(name.clone());
        let start = Instant::now();
        let doc = panic::catch_unwind(AssertUnwindSafe(|| crate::convert_with(path, &name, options))).unwrap_or_else(
            |payload| {
                let why = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                let bug =
                    Finding::new(Severity::Error, "internal_error", format!("gongkai bug while converting: {why}"));
                crate::emit::failed_with(path, &name, "", bug)
            },
        );
        let millis = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
        documents.push((doc, millis));
    }
    Batch { documents, skipped }
}
