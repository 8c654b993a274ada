//! Writing a batch: one `<doc>.json` per document, then `facts.ndjson` and `report.json`.

use std::io::{self, Write};
use std::path::Path;

use crate::model::{CONTRACT, Counts, Document, Failure, Report, ReportEntry, Severity, Skipped, Status};

/// A converted batch, in any order; [`write`] sorts it.
#[derive(Debug, Default)]
pub struct Batch {
    /// Each document with its conversion time in milliseconds.
    pub documents: Vec<(Document, u64)>,
    pub skipped: Vec<Skipped>,
}

/// Writes every file of the batch into `out` and returns the report.
pub fn write(out: &Path, mut batch: Batch) -> io::Result<Report> {
    std::fs::create_dir_all(out)?;
    batch.documents.sort_by(|a, b| a.0.doc.cmp(&b.0.doc));
    batch.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let mut facts = Vec::new();
    let mut report = Report {
        contract: CONTRACT,
        counts: Counts::default(),
        documents: Vec::new(),
        failures: Vec::new(),
        skipped: batch.skipped,
        facts: 0,
    };
    for (doc, millis) in &batch.documents {
        let json = serde_json::to_vec_pretty(doc).map_err(io::Error::other)?;
        write_atomic(&out.join(format!("{}.json", doc.doc)), &json)?;
        let doc_facts = super::facts(doc);
        for fact in &doc_facts {
            serde_json::to_writer(&mut facts, fact).map_err(io::Error::other)?;
            facts.push(b'\n');
        }
        let count =
            |s: Severity| u32::try_from(doc.findings.iter().filter(|f| f.severity == s).count()).unwrap_or(u32::MAX);
        match doc.status {
            Status::Ok => report.counts.ok += 1,
            Status::Repaired => report.counts.repaired += 1,
            Status::Flagged => report.counts.flagged += 1,
            Status::Failed => {
                report.counts.failed += 1;
                let reason = doc.findings.iter().find(|f| f.severity == Severity::Error).map(|f| f.message.clone());
                report.failures.push(Failure {
                    doc: doc.doc.clone(),
                    path: doc.source.path.clone(),
                    reason: reason.unwrap_or_else(|| "failed".to_string()),
                });
            }
        }
        report.facts += doc_facts.len() as u64;
        report.documents.push(ReportEntry {
            doc: doc.doc.clone(),
            path: doc.source.path.clone(),
            status: doc.status,
            tables: u32::try_from(doc.tables.len()).unwrap_or(u32::MAX),
            facts: u32::try_from(doc_facts.len()).unwrap_or(u32::MAX),
            repairs: u32::try_from(doc.repairs.len()).unwrap_or(u32::MAX),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            millis: *millis,
        });
    }
    write_atomic(&out.join("facts.ndjson"), &facts)?;
    let json = serde_json::to_vec_pretty(&report).map_err(io::Error::other)?;
    write_atomic(&out.join("report.json"), &json)?;
    Ok(report)
}

/// Writes to a temporary file beside `path`, then renames it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
