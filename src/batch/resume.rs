//! Resuming a batch: an input whose `<doc>.json` already holds a document of the same
//! content (SHA-256 of the input) and contract version is reused, not converted again. A
//! document that failed for a reason that may pass on a second try (a time limit, a worker
//! crash, an engine failure) is converted again.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::model::{CONTRACT, Document, Status};

/// Failure kinds worth another try.
const RETRY: [&str; 3] = ["time_limit", "internal_error", "worker_failed"];

/// The document already written for `path` as `name` in `out`, when it can be reused.
pub fn existing(out: &Path, name: &str, path: &Path) -> Option<Document> {
    let text = std::fs::read(out.join(format!("{name}.json"))).ok()?;
    let doc: Document = serde_json::from_slice(&text).ok()?;
    if doc.contract != CONTRACT || doc.doc != name || doc.source.sha256.is_empty() {
        return None;
    }
    if doc.status == Status::Failed && doc.findings.iter().any(|f| RETRY.contains(&f.kind.as_str())) {
        return None;
    }
    (sha256(path)? == doc.source.sha256).then_some(doc)
}

/// The input's SHA-256, read in a stream.
fn sha256(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Some(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
