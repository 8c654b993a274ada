//! Stage 7, `emit`: the stages' outputs → the contract's document, facts and report, and
//! the files of a batch (`<stem>.json`, `facts.ndjson`, `report.json`, `timing.ndjson`).
//!
//! Files are written to a temporary name in the output folder and renamed, so an
//! interrupted run never leaves a half-written file. The data files depend only on the
//! inputs: documents and facts are sorted, and wall times are in `timing.ndjson` alone.

mod batch;
mod content;
mod facts;
mod html;
mod parquet;
pub mod schemas;

use std::path::Path;

pub use batch::{Rendered, Rows, Timing, Writer, rows};
pub use content::{Content, content};
pub use facts::facts;

use crate::model::{
    CONTRACT, Document, Finding, FindingKind, Kind, Location, Metadata, OtherTable, Part, Repair, Severity, Source,
    Status, Target, TextSource,
};
use crate::recover::Recovered;
use crate::repair::Repaired;
use crate::source::SourceError;
use crate::validate::Validated;

/// What the stages after `extract` hand on to the document, each with its findings.
pub struct Stages {
    /// What extraction noticed (unusable text layers, OCR failures).
    pub noticed: Vec<Finding>,
    pub repaired: Repaired,
    /// What rebuilding the tables noticed.
    pub rebuilt: Vec<Finding>,
    pub recovered: Recovered,
    pub validated: Validated,
    /// The tables that are not one of the standard roles.
    pub others: Vec<OtherTable>,
    /// The performance targets read from them.
    pub targets: Vec<Target>,
}

/// The document of an input that could not be read.
pub fn failed(path: &Path, doc: &str, sha256: &str, error: &SourceError) -> Document {
    let kind = match error {
        SourceError::Unsupported { .. } => FindingKind::UnsupportedInput,
        SourceError::Empty { .. } => FindingKind::EmptyInput,
        SourceError::NotText { .. } => FindingKind::NotText,
        SourceError::NotOcrOutput { .. } => FindingKind::NotOcrOutput,
        SourceError::TooLarge { .. } => FindingKind::InputTooLarge,
        SourceError::Io { .. } => FindingKind::UnreadableInput,
        SourceError::Pdf { source: crate::source::pdf::PdfError::Encrypted, .. } => FindingKind::EncryptedInput,
        SourceError::Pdf { .. } => FindingKind::UnreadablePdf,
    };
    failed_with(path, doc, sha256, Finding::new(Severity::Error, kind, error.to_string()))
}

/// A failed document whose reason is `finding` (an unreadable input, a converter bug).
pub fn failed_with(path: &Path, doc: &str, sha256: &str, finding: Finding) -> Document {
    Document {
        contract: CONTRACT,
        doc: doc.to_string(),
        source: Source {
            path: path.display().to_string(),
            sha256: sha256.to_string(),
            pages: 0,
            text_source: match crate::source::Format::of(path) {
                Some(crate::source::Format::Pdf) => TextSource::TextLayer,
                _ => TextSource::OcrText,
            },
            ocr_pages: Vec::new(),
        },
        status: Status::Failed,
        metadata: Metadata::default(),
        tables: Vec::new(),
        repairs: Vec::new(),
        findings: vec![finding],
        checks: Default::default(),
        other_tables: Vec::new(),
        targets: Vec::new(),
    }
}

/// Assembles a converted document and decides its status. `content` tells what an input
/// without a standard table is: only one that is not a disclosure at all fails.
pub fn document(doc: &str, source: Source, mut metadata: Metadata, content: Content, stages: Stages) -> Document {
    let Stages { noticed, repaired, rebuilt, recovered, validated, others, targets } = stages;
    let tables = recovered.tables;
    let mut repairs = repaired.repairs;
    repairs.extend(recovered.inferred.iter().map(|i| Repair {
        location: Location {
            page: i.page,
            line: i.line,
            table: Some(i.table.clone()),
            row: Some(i.row.clone()),
            column: Some(i.column.clone()),
        },
        rule: format!("identity:{}", i.rule),
        raw: String::new(),
        repaired: i.value.to_string(),
    }));
    repairs.extend(recovered.corrected);
    let mut findings = noticed;
    findings.extend(repaired.findings);
    findings.extend(rebuilt);
    findings.extend(validated.document);
    findings.extend(recovered.findings);
    findings.extend(validated.findings);
    let mut checks = validated.checks;
    checks.inferred = u32::try_from(recovered.inferred.len()).unwrap_or(u32::MAX);
    let mut failed = false;
    if tables.is_empty() {
        // The reason comes first: the report gives a failed document's first error as why,
        // never a page-metadata finding that is only a remark on its text.
        let reason = match content {
            Content::Narrative { kind } => {
                metadata.part = Some(Part::Narrative);
                metadata.kind.get_or_insert(kind);
                let what = if kind == Kind::FinalAccounts { "决算" } else { "预算" };
                Finding::new(
                    Severity::Warning,
                    FindingKind::TablesPublishedElsewhere,
                    format!(
                        "the explanation (情况说明) of a {what} disclosure, with no standard table printed: its tables are published in another file"
                    ),
                )
            }
            Content::UnrecognisedTables { figure_lines } => Finding::new(
                Severity::Error,
                FindingKind::NoStandardTable,
                format!(
                    "a disclosure that prints {figure_lines} lines of figures, but no table title matched a standard table: its tables were not recognised"
                ),
            ),
            Content::Tables | Content::NotADisclosure => {
                failed = true;
                Finding::new(Severity::Error, FindingKind::NotADisclosure, not_a_disclosure(&findings))
            }
        };
        findings.insert(0, reason);
    } else if !tables.iter().any(|t| t.rows.iter().any(|r| r.cells.iter().any(|c| c.value.is_some()))) {
        // Tables found but nothing in them: not a clean conversion, whatever else holds.
        findings.push(Finding::new(
            Severity::Error,
            FindingKind::NoFigures,
            format!(
                "none of the {} standard tables found holds a figure (each is printed empty): the document gives no data",
                tables.len()
            ),
        ));
    }
    let status = if failed {
        Status::Failed
    } else if metadata.part.is_some() || findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Flagged
    } else if repairs.iter().any(|r| !crate::repair::NORMALISATIONS.contains(&r.rule.as_str())) {
        Status::Repaired
    } else {
        Status::Ok
    };
    Document {
        contract: CONTRACT,
        doc: doc.to_string(),
        source,
        status,
        metadata,
        tables,
        repairs,
        findings,
        checks,
        // Not a disclosure: its tables are not a disclosure's either.
        other_tables: if failed { Vec::new() } else { others },
        targets: if failed { Vec::new() } else { targets },
    }
}

/// Why an input with no standard table is not a disclosure: no title matched, or its pages
/// could not be read.
fn not_a_disclosure(findings: &[Finding]) -> String {
    let unusable = findings.iter().filter(|f| f.kind == FindingKind::UnusableTextLayer).count();
    let ocr_failed: Vec<&Finding> = findings.iter().filter(|f| f.kind == FindingKind::OcrFailed).collect();
    if let Some(first) = ocr_failed.first() {
        format!(
            "no standard table was found; {unusable} page(s) have no usable text layer and OCR failed on {}: {}",
            ocr_failed.len(),
            first.message
        )
    } else if unusable > 0 {
        format!("no standard table was found; {unusable} page(s) have no usable text layer (OCR needed)")
    } else {
        "no standard budget or final-accounts table was found (no title matched the templates), and the text is not a disclosure's explanation".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CellStatus, ColumnRole, Fact, Side};

    fn source() -> Source {
        Source {
            path: "x.pdf".into(),
            sha256: String::new(),
            pages: 1,
            text_source: TextSource::TextLayer,
            ocr_pages: vec![],
        }
    }

    fn convert(tables: Vec<crate::model::Table>, noticed: Vec<Finding>) -> Document {
        convert_as(if tables.is_empty() { Content::NotADisclosure } else { Content::Tables }, tables, noticed)
    }

    fn convert_as(content: Content, tables: Vec<crate::model::Table>, noticed: Vec<Finding>) -> Document {
        document(
            "x",
            source(),
            Metadata::default(),
            content,
            Stages {
                noticed,
                repaired: Repaired { grids: vec![], repairs: vec![], findings: vec![] },
                rebuilt: vec![],
                recovered: Recovered { tables, ..Recovered::default() },
                validated: Validated::default(),
                others: vec![],
                targets: vec![],
            },
        )
    }

    fn table(id: &str, cells: Vec<crate::model::Cell>) -> crate::model::Table {
        crate::model::Table {
            id: id.into(),
            layout: "national".into(),
            title: id.into(),
            pages: vec![1],
            unit: None,
            empty: cells.is_empty(),
            notes: vec![],
            columns: vec![],
            rows: if cells.is_empty() {
                vec![]
            } else {
                vec![crate::model::Row {
                    key: "合计".into(),
                    label: "合计".into(),
                    code: None,
                    side: None,
                    under: None,
                    seq: None,
                    page: 1,
                    line: 1,
                    cells,
                }]
            },
        }
    }

    fn cell(raw: &str) -> crate::model::Cell {
        crate::model::Cell {
            column: "合计".into(),
            raw: raw.into(),
            value: raw.parse().ok(),
            status: if raw.parse::<rust_decimal::Decimal>().is_ok() {
                CellStatus::Read
            } else {
                CellStatus::Unreadable
            },
            inferred_by: None,
            bbox: None,
            confidence: None,
            readings: Vec::new(),
        }
    }

    #[test]
    fn tables_without_a_figure_are_flagged_never_ok() {
        let doc = convert(vec![table("summary", vec![]), table("income", vec![])], vec![]);
        assert_eq!(doc.status, Status::Flagged);
        let f = doc.findings.iter().find(|f| f.kind == FindingKind::NoFigures).expect("a no_figures finding");
        assert_eq!(f.severity, Severity::Error);
        // An unreadable cell is not a figure either.
        let doc = convert(vec![table("summary", vec![cell("l2.O0")])], vec![]);
        assert!(doc.findings.iter().any(|f| f.kind == FindingKind::NoFigures), "{:?}", doc.findings);
        // One figure is enough.
        let doc = convert(vec![table("summary", vec![]), table("income", vec![cell("0.00")])], vec![]);
        assert!(!doc.findings.iter().any(|f| f.kind == FindingKind::NoFigures));
        assert_eq!(doc.status, Status::Ok);
    }

    #[test]
    fn a_narrative_part_is_flagged_with_a_warning_not_failed() {
        let doc = convert_as(Content::Narrative { kind: Kind::Budget }, vec![], vec![]);
        assert_eq!(doc.status, Status::Flagged);
        assert_eq!(doc.metadata.part, Some(Part::Narrative));
        assert_eq!(doc.metadata.kind, Some(Kind::Budget));
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(
            (doc.findings[0].severity, doc.findings[0].kind.to_string().as_str()),
            (Severity::Warning, "tables_published_elsewhere")
        );
        assert!(doc.findings[0].message.contains("published in another file"));
    }

    #[test]
    fn a_disclosure_whose_tables_were_not_recognised_is_flagged() {
        let doc = convert_as(Content::UnrecognisedTables { figure_lines: 120 }, vec![], vec![]);
        assert_eq!(doc.status, Status::Flagged);
        assert_eq!(
            (doc.findings[0].severity, doc.findings[0].kind.to_string().as_str()),
            (Severity::Error, "no_standard_table")
        );
        assert_eq!(doc.metadata.part, None);
    }

    fn column(key: &str, side: Option<Side>) -> crate::model::Column {
        crate::model::Column {
            key: key.into(),
            label: key.into(),
            path: vec![],
            number: None,
            role: ColumnRole::Value,
            side,
            block: None,
            group: None,
            figure: None,
            under: None,
            by_place: false,
        }
    }

    /// The facts of a one-row table with these columns, a figure in each.
    fn facts_of(id: &str, side: Option<Side>, columns: &[&str]) -> Vec<Fact> {
        let cells = columns.iter().map(|c| crate::model::Cell { column: c.to_string(), ..cell("1.00") }).collect();
        let mut table = table(id, cells);
        table.columns = columns.iter().map(|c| column(c, side)).collect();
        table.rows[0].side = side;
        let mut doc = convert(vec![table], vec![]);
        doc.metadata.year = Some(2026);
        facts(&doc)
    }

    #[test]
    fn facts_carry_a_measure_that_names_one_column() {
        let measures = |id, side, columns: &[&str]| -> Vec<Option<String>> {
            facts_of(id, side, columns).into_iter().map(|f| f.measure).collect()
        };
        let some = |m: &str| Some(m.to_string());
        assert_eq!(
            measures("income", None, &["合计", "小计", "财政拨款收入", "一般公共预算拨款收入", "其他资金收入入"]),
            [some("total"), some("current_income"), some("fiscal_appropriation"), some("general_public_budget"), None]
        );
        // The document's year made relative: 2026年预算数 is the year's budget, 2025年 the last.
        assert_eq!(
            measures("gpb_expense", None, &["2025年预算数", "2026年预算数"]),
            [some("previous_year"), some("budget_amount")]
        );
        // Two columns that would share a measure (深圳's 支出总计 beside a procurement 合计, one
        // name printed under two groups) get none.
        assert_eq!(measures("expense", None, &["支出总计", "基本支出", "合计"]), [None, some("basic_expense"), None]);
        assert_eq!(measures("income", None, &["一般公共预算", "一般公共预算"]), [None, None]);
        // The same column printed on both sides of a summary is no clash.
        assert_eq!(measures("summary", Some(Side::Income), &["预算数"]), [some("budget_amount")]);
        // The total row of a coded table is an item; in a summary, 合计 could be either total.
        let items = |id| facts_of(id, None, &["合计"]).into_iter().map(|f| f.item).collect::<Vec<_>>();
        assert_eq!(items("income"), [some("total")]);
        assert_eq!(items("summary"), [None]);
    }

    #[test]
    fn a_failed_document_gives_its_reason_first() {
        let remark = Finding::new(Severity::Error, FindingKind::DepartmentMismatch, "line 3: names the department …");
        let doc = convert(vec![], vec![remark]);
        assert_eq!(doc.status, Status::Failed);
        assert_eq!(doc.findings[0].kind, FindingKind::NotADisclosure);
        assert_eq!(doc.findings.len(), 2, "the remark is kept: {:?}", doc.findings);
    }
}
