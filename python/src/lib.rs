//! gongkai's Python bindings, the extension module `gongkai._gongkai`: paths in → documents
//! and warehouse rows out, as JSON text. `python/gongkai/__init__.py` is the API people use
//! (`gongkai.convert`, `gongkai.facts`, `gongkai.to_arrow`); this module only converts.
//!
//! - JSON text, not Python objects built here: serde_json writes exactly what the CLI's
//!   files hold (money as decimal strings with their printed scale), and `json.loads` on
//!   the other side is one fast call.
//! - The GIL is released while converting, so other Python threads run meanwhile.
//! - Documents are named and ordered as `gongkai convert` names and orders them
//!   (`batch::collect`, `batch::names`, sorted by name), so the facts come out in the order
//!   and with the values of the CLI's `facts.ndjson`.
//! - A bad input is a failed document, never an exception; only a usage error (a wrong
//!   argument) raises.

use std::path::PathBuf;

use gongkai::batch;
use gongkai::emit::{self, Rows};
use gongkai::model::{DocumentRow, Fact, FindingRow, TargetRow};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

/// Files to convert with their document names, in the order a batch sorts them.
type Planned = Vec<(PathBuf, String)>;

/// Inputs not converted, with the reason.
type Skipped = Vec<(String, String)>;

/// What converting `inputs` would convert, as `gongkai convert INPUT...` does: the files
/// (folders searched recursively, sorted) with their document names, and the inputs skipped
/// for their type, with the reason.
#[pyfunction]
fn plan(inputs: Vec<PathBuf>) -> (Planned, Skipped) {
    let (files, skipped) = batch::collect(&inputs);
    let names = batch::names(&files);
    (files.into_iter().zip(names).collect(), skipped.into_iter().map(|s| (s.path, s.reason)).collect())
}

/// The document names a CLI run would give `files` (sorted paths): their stems, made unique.
#[pyfunction]
fn names(files: Vec<PathBuf>) -> Vec<String> {
    batch::names(&files)
}

/// The document of one file named `name`, as JSON text (the contract's `<doc>.json`).
#[pyfunction]
#[pyo3(signature = (path, name, ocr = true))]
fn convert(py: Python<'_>, path: PathBuf, name: String, ocr: bool) -> PyResult<String> {
    let options = gongkai::extract::Options { ocr };
    py.detach(|| serde_json::to_string(&batch::in_process(&path, &name, &options)))
        .map_err(|e| PyRuntimeError::new_err(format!("writing the document of {}: {e}", path.display())))
}

/// The warehouse tables of a batch, each in document-name order as the CLI writes them.
#[derive(Serialize)]
struct Tables<'a> {
    facts: Vec<&'a Fact>,
    findings: Vec<&'a FindingRow>,
    documents: Vec<&'a DocumentRow>,
    /// The lines of `targets.ndjson`: one per performance-target indicator.
    targets: Vec<&'a TargetRow>,
}

/// Converts `files`, named `names` (from [`plan`]), `jobs` at a time (default: all cores),
/// and returns the lines of `facts.ndjson`, `findings.ndjson`, `documents.ndjson` and
/// `targets.ndjson` a CLI run over them would write, as one JSON object of four lists.
#[pyfunction]
#[pyo3(signature = (files, names, jobs = None, ocr = true))]
fn rows(py: Python<'_>, files: Vec<PathBuf>, names: Vec<String>, jobs: Option<usize>, ocr: bool) -> PyResult<String> {
    if files.len() != names.len() {
        return Err(PyValueError::new_err(format!("{} files but {} names", files.len(), names.len())));
    }
    if jobs == Some(0) {
        return Err(PyValueError::new_err("jobs must be at least 1"));
    }
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let options = gongkai::extract::Options { ocr };
    py.detach(|| {
        // A pool of its own: `jobs` bounds this call, whatever else uses rayon's global pool.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .map_err(|e| PyRuntimeError::new_err(format!("starting {jobs} threads: {e}")))?;
        let mut docs: Vec<(&String, Rows)> = pool.install(|| {
            files
                .par_iter()
                .zip(names.par_iter())
                .map(|(path, name)| (name, emit::rows(&batch::in_process(path, name, &options))))
                .collect()
        });
        // The CLI's tables are in document-name order, whatever order the files finished in.
        docs.sort_by(|a, b| a.0.cmp(b.0));
        let tables = Tables {
            facts: docs.iter().flat_map(|(_, r)| &r.facts).collect(),
            findings: docs.iter().flat_map(|(_, r)| &r.findings).collect(),
            documents: docs.iter().map(|(_, r)| &r.document).collect(),
            targets: docs.iter().flat_map(|(_, r)| &r.targets).collect(),
        };
        serde_json::to_string(&tables).map_err(|e| PyRuntimeError::new_err(format!("writing the rows: {e}")))
    })
}

/// The extension module.
#[pymodule]
fn _gongkai(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(names, m)?)?;
    m.add_function(wrap_pyfunction!(convert, m)?)?;
    m.add_function(wrap_pyfunction!(rows, m)?)?;
    m.add("CONTRACT", gongkai::model::CONTRACT)?;
    Ok(())
}
