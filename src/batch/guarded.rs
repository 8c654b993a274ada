//! One document converted in this process, with a bug on it caught (`catch_unwind`): what
//! the worker runs for each request, and the batch without isolation.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use crate::model::{Document, Finding, FindingKind, Severity};

/// Converts one document in this process under `catch_unwind`: a bug on one input is a
/// failed document with its reason.
pub fn in_process(path: &Path, name: &str, options: &crate::extract::Options) -> Document {
    panic::catch_unwind(AssertUnwindSafe(|| crate::convert_with(path, name, options))).unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(std::string::ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let bug =
            Finding::new(Severity::Error, FindingKind::InternalError, format!("gongkai bug while converting: {why}"));
        crate::emit::failed_with(path, name, "", bug)
    })
}
