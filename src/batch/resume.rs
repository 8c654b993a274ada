//! Resuming a batch: an input whose `<doc>.json` already holds a document of the same
//! content (SHA-256 of the input) and contract version is reused, not converted again. A
//! document that failed for a reason that may pass on a second try (a time limit, a worker
//! crash, an engine failure) is converted again.

use std::path::Path;

use crate::model::{CONTRACT, Document, FindingKind, Status};

/// Failure kinds worth another try.
const RETRY: [FindingKind; 3] = [FindingKind::TimeLimit, FindingKind::InternalError, FindingKind::WorkerFailed];

/// The document already written for `path` as `name` in `out`, when it can be reused.
pub fn existing(out: &Path, name: &str, path: &Path) -> Option<Document> {
    let text = std::fs::read(out.join(format!("{name}.json"))).ok()?;
    let doc: Document = serde_json::from_slice(&text).ok()?;
    if doc.contract != CONTRACT || doc.doc != name || doc.source.sha256.is_empty() {
        return None;
    }
    if doc.status == Status::Failed && doc.findings.iter().any(|f| RETRY.contains(&f.kind)) {
        return None;
    }
    (crate::source::sha256_of(path)? == doc.source.sha256).then_some(doc)
}
