//! Writing a batch as it converts: each `<doc>.json` as soon as its document is done, its
//! facts, findings and summary row appended to a hidden part file per table (one file each,
//! not one per document: creating files is what a file system does slowest), and at the
//! end `facts.ndjson`,
//! `findings.ndjson` and `documents.ndjson` (the parts concatenated in document order),
//! `report.json` and `timing.ndjson`. Memory stays flat however large the archive: only one
//! small report entry per document is kept.
//!
//! The data files are byte-identical for the same inputs, whatever the number of jobs or
//! the order the inputs were given or finished in: everything is sorted by document name and
//! nothing varies between runs in them. Wall times vary, so they are kept out of
//! `report.json` and written to `timing.ndjson` (not `.json`: every `*.json` of the output
//! folder but the report is a document).

use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use crate::label::label_key;
use crate::model::{
    CONTRACT, Counts, Document, DocumentRow, Fact, Failure, FindingRow, OtherCellRow, Report, ReportEntry, Severity,
    Skipped, Status, TargetRow,
};

/// Where the lines of each document wait until the batch is written.
const PARTS: &str = ".gongkai-parts";

/// The warehouse tables, one NDJSON file each: `facts` (the contract's), `findings` (one
/// line per finding) and `documents` (one line per document).
const TABLES: [&str; 5] = ["facts", "findings", "documents", "other_tables", "targets"];

/// One line of `timing.ndjson`: a document's wall time, which differs from run to run, so
/// it is kept apart from the data files. Sorted by document name.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Timing {
    pub doc: String,
    /// Milliseconds; 0 when reused.
    pub millis: u64,
    /// Reused from an earlier run (same content hash and contract version).
    pub reused: bool,
}

/// One document's lines of the warehouse tables.
#[derive(Debug, Clone, Serialize)]
pub struct Rows {
    /// Its lines of `facts.ndjson`, in order.
    pub facts: Vec<Fact>,
    /// Its lines of `findings.ndjson`, in order.
    pub findings: Vec<FindingRow>,
    /// Its line of `documents.ndjson`.
    pub document: DocumentRow,
    /// Its lines of `other_tables.ndjson`, in order.
    pub other_cells: Vec<OtherCellRow>,
    /// Its lines of `targets.ndjson`, in order.
    pub targets: Vec<TargetRow>,
}

/// A document's lines of the warehouse tables, as a batch writes them (the Python package
/// builds the same tables from them).
pub fn rows(doc: &Document) -> Rows {
    let facts = super::facts::facts(doc);
    let count =
        |s: Severity| u32::try_from(doc.findings.iter().filter(|f| f.severity == s).count()).unwrap_or(u32::MAX);
    let findings = doc.findings.iter().map(|f| FindingRow { doc: doc.doc.clone(), finding: f.clone() }).collect();
    let document = DocumentRow {
        doc: doc.doc.clone(),
        path: doc.source.path.clone(),
        sha256: doc.source.sha256.clone(),
        pages: doc.source.pages,
        text_source: doc.source.text_source,
        status: doc.status,
        metadata: doc.metadata.clone(),
        tables: u32::try_from(doc.tables.len()).unwrap_or(u32::MAX),
        facts: u32::try_from(facts.len()).unwrap_or(u32::MAX),
        repairs: u32::try_from(doc.repairs.len()).unwrap_or(u32::MAX),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
    };
    Rows { facts, findings, document, other_cells: other_cells(doc), targets: target_rows(doc) }
}

/// The indicators of a document's performance targets, one row each, in order.
fn target_rows(doc: &Document) -> Vec<TargetRow> {
    doc.targets
        .iter()
        .flat_map(|t| {
            t.indicators.iter().map(move |i| TargetRow {
                doc: doc.doc.clone(),
                target_index: t.target_index,
                target: t.title.clone(),
                scope: t.scope,
                project: t.project.clone(),
                level1: i.level1.clone(),
                level2: i.level2.clone(),
                level3: i.level3.clone(),
                description: i.description.clone(),
                value: i.value.clone(),
                comparator: i.parsed.as_ref().map(|p| p.comparator.clone()),
                number: i.parsed.as_ref().map(|p| p.number),
                value_unit: i.parsed.as_ref().map(|p| p.unit.clone()),
                basis: i.basis.clone(),
                direction: i.direction.clone(),
                unit: i.unit.clone(),
                score: i.score.clone(),
                page: i.page,
            })
        })
        .collect()
}

/// The filled cells of a document's other tables, one row each, in order.
fn other_cells(doc: &Document) -> Vec<OtherCellRow> {
    let mut out = Vec::new();
    for table in &doc.other_tables {
        for (row_index, row) in table.rows.iter().enumerate() {
            let label = row.cells.iter().find(|c| c.value.is_none()).map(|c| label_key(&c.text)).unwrap_or_default();
            for cell in &row.cells {
                out.push(OtherCellRow {
                    doc: doc.doc.clone(),
                    table_index: table.table_index,
                    title: table.title.clone(),
                    row: label.clone(),
                    row_index: u32::try_from(row_index).unwrap_or(u32::MAX),
                    column: table.columns.get(cell.column as usize).cloned().unwrap_or_default(),
                    column_index: cell.column,
                    text: cell.text.clone(),
                    value: cell.value,
                    page: row.page,
                    line: row.line,
                });
            }
        }
    }
    out
}

/// A document made ready to be written: its file, its audit view, its lines of the
/// warehouse tables and its report entry. A worker process renders its document, so the
/// batch only writes bytes (the document is not sent as JSON, read back and written again).
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub entry: ReportEntry,
    pub failure: Option<Failure>,
    /// `<doc>.json`; `None` for a document reused from an earlier run (its file is there).
    pub json: Option<Vec<u8>>,
    /// `<doc>.html`, when the audit view is written (`Writer::html`: the batch asks for it).
    pub html: Option<Vec<u8>>,
    /// The document's lines of each of [`TABLES`], in that order.
    pub tables: Vec<Vec<u8>>,
}

impl Rendered {
    /// Renders `doc`: its file unless it was `reused`, its audit view when `html`.
    pub fn of(doc: &Document, reused: bool, html: bool) -> io::Result<Rendered> {
        let json = if reused { None } else { Some(serde_json::to_vec_pretty(doc).map_err(io::Error::other)?) };
        let html = html.then(|| super::html::document(doc).into_bytes());
        let Rows { facts, findings, document: row, other_cells, targets } = rows(doc);
        let entry = ReportEntry {
            doc: doc.doc.clone(),
            path: doc.source.path.clone(),
            status: doc.status,
            tables: row.tables,
            facts: row.facts,
            repairs: row.repairs,
            errors: row.errors,
            warnings: row.warnings,
        };
        let failure = (doc.status == Status::Failed).then(|| Failure {
            doc: doc.doc.clone(),
            path: doc.source.path.clone(),
            reason: doc
                .findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .map_or_else(|| "failed".to_string(), |f| f.message.clone()),
        });
        // In the order of TABLES.
        let tables = vec![lines(&facts)?, lines(&findings)?, lines(&[row])?, lines(&other_cells)?, lines(&targets)?];
        Ok(Rendered { entry, failure, json, html, tables })
    }
}

/// A batch being written into one folder.
pub struct Writer {
    out: PathBuf,
    /// Also write the warehouse tables as Parquet.
    pub parquet: bool,
    /// Also write the audit view: `<doc>.html` per document and `index.html`.
    pub html: bool,
    entries: Mutex<Vec<Entry>>,
    /// The part file of each of [`TABLES`], appended to as documents finish.
    parts: Mutex<Vec<std::fs::File>>,
}

/// What the batch keeps of a written document until the end.
struct Entry {
    entry: ReportEntry,
    failure: Option<Failure>,
    millis: u64,
    /// Where its lines of each of [`TABLES`] are in that table's part file: offset, length.
    spans: Vec<(u64, u64)>,
}

impl Writer {
    /// Prepares `out` (created when missing).
    pub fn new(out: &Path) -> io::Result<Writer> {
        std::fs::create_dir_all(out.join(PARTS))?;
        let parts = TABLES
            .iter()
            .map(|table| {
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .open(part_file(out, table))
            })
            .collect::<io::Result<_>>()?;
        Ok(Writer {
            out: out.to_path_buf(),
            parquet: false,
            html: false,
            entries: Mutex::new(Vec::new()),
            parts: Mutex::new(parts),
        })
    }

    /// Writes one document (its file unless [`Rendered::json`] is `None`: reused, already
    /// there) and keeps its report entry; returns the entry.
    pub fn add(&self, rendered: Rendered, millis: u64) -> io::Result<ReportEntry> {
        let Rendered { entry, failure, json, html, tables } = rendered;
        let reused = json.is_none();
        if let Some(json) = json {
            write_atomic(&self.out.join(format!("{}.json", entry.doc)), &json)?;
        }
        if let Some(html) = html {
            write_atomic(&self.out.join(format!("{}.html", entry.doc)), &html)?;
        }
        let spans = self.append(&tables)?;
        let kept = if reused { 0 } else { millis.max(1) };
        self.entries.lock().expect("report entries").push(Entry { entry: entry.clone(), failure, millis: kept, spans });
        Ok(entry)
    }

    /// Appends one document's lines of each table to its part file (only read by this run,
    /// not synced); returns where they are.
    fn append(&self, lines: &[Vec<u8>]) -> io::Result<Vec<(u64, u64)>> {
        let mut parts = self.parts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut spans = Vec::with_capacity(lines.len());
        for (file, bytes) in parts.iter_mut().zip(lines) {
            let offset = file.seek(io::SeekFrom::End(0))?;
            file.write_all(bytes)?;
            spans.push((offset, bytes.len() as u64));
        }
        Ok(spans)
    }

    /// Writes `facts.ndjson`, `findings.ndjson`, `documents.ndjson`, `other_tables.ndjson`,
    /// `targets.ndjson`, `report.json` and
    /// `timing.ndjson`, and removes the parts.
    pub fn finish(self, mut skipped: Vec<Skipped>) -> io::Result<Report> {
        let mut entries = self.entries.into_inner().expect("report entries");
        entries.sort_by(|a, b| a.entry.doc.cmp(&b.entry.doc));
        let mut parts = self.parts.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        let mut report = Report {
            contract: CONTRACT,
            counts: Counts::default(),
            documents: Vec::new(),
            failures: Vec::new(),
            skipped,
            facts: 0,
        };
        let mut timing = Vec::new();
        let mut tables = Vec::new();
        for table in TABLES {
            let tmp = temporary(&self.out.join(format!("{table}.ndjson")));
            tables.push((table, tmp.clone(), io::BufWriter::new(std::fs::File::create(&tmp)?)));
        }
        for Entry { entry, failure, millis, spans } in entries {
            for ((_, _, writer), (part, &(offset, length))) in tables.iter_mut().zip(parts.iter_mut().zip(&spans)) {
                part.seek(io::SeekFrom::Start(offset))?;
                io::copy(&mut io::Read::take(&mut *part, length), writer)?;
            }
            match entry.status {
                Status::Ok => report.counts.ok += 1,
                Status::Repaired => report.counts.repaired += 1,
                Status::Flagged => report.counts.flagged += 1,
                Status::Failed => report.counts.failed += 1,
            }
            report.failures.extend(failure);
            report.facts += u64::from(entry.facts);
            serde_json::to_writer(&mut timing, &Timing { doc: entry.doc.clone(), millis, reused: millis == 0 })
                .map_err(io::Error::other)?;
            timing.push(b'\n');
            report.documents.push(entry);
        }
        for (table, tmp, writer) in tables {
            drop(writer.into_inner().map_err(io::IntoInnerError::into_error)?);
            std::fs::rename(&tmp, self.out.join(format!("{table}.ndjson")))?;
        }
        drop(parts);
        for table in TABLES {
            let _ = std::fs::remove_file(part_file(&self.out, table));
        }
        // Left when no other run is writing parts into the same folder.
        let _ = std::fs::remove_dir(self.out.join(PARTS));
        if self.parquet {
            super::parquet::write_all(&self.out, temporary)?;
        }
        if self.html {
            write_atomic(&self.out.join("index.html"), super::html::index(&report.documents).as_bytes())?;
        }
        write_atomic(&self.out.join("report.json"), &serde_json::to_vec_pretty(&report).map_err(io::Error::other)?)?;
        write_atomic(&self.out.join("timing.ndjson"), &timing)?;
        Ok(report)
    }
}

/// The part file of `table` for this run (its process id: another run writing into the same
/// folder keeps its own).
fn part_file(out: &Path, table: &str) -> PathBuf {
    out.join(PARTS).join(format!("{table}.{}.ndjson", std::process::id()))
}

/// A document's rows of one table as NDJSON.
fn lines<T: Serialize>(rows: &[T]) -> io::Result<Vec<u8>> {
    let mut lines = Vec::new();
    for row in rows {
        serde_json::to_writer(&mut lines, row).map_err(io::Error::other)?;
        lines.push(b'\n');
    }
    Ok(lines)
}

fn temporary(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes to a temporary file beside `path`, then renames it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temporary(path);
    // Renamed into place: a reader sees the whole file or none. Not synced: durability
    // against a power cut is the file system's, and a sync per document halves throughput.
    std::fs::File::create(&tmp)?.write_all(bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
