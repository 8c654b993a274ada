//! gongkai (公开): budget disclosures of Chinese government departments (部门预算公开,
//! 部门决算公开) → audited, structured data.
//!
//! The pipeline, one stage per module, each with a small typed input and output:
//! `source` → `extract` → `layout` → `repair` → `tables` → `recover` → `validate` → `emit`,
//! reading the shared models (`page`, `model`) and knowledge (`knowledge`, `label`).
//! Only `source` can fail a document; every later stage returns its output plus findings.

pub mod batch;
pub mod emit;
pub mod extract;
pub mod knowledge;
pub mod label;
pub mod layout;
pub mod model;
pub mod page;
pub mod pattern;
mod readings;
pub mod recover;
pub mod repair;
pub mod source;
pub mod tables;
pub mod validate;

use std::path::Path;

use model::{Document, Source};

/// Converts one input into a document. Never panics on bad input: an unreadable input is a
/// failed document whose finding says why.
pub fn convert(path: &Path, doc: &str) -> Document {
    convert_with(path, doc, &extract::Options::default())
}

/// [`convert`] with extraction options (OCR of pages without a usable text layer).
pub fn convert_with(path: &Path, doc: &str, options: &extract::Options) -> Document {
    // Read the bytes; the only step that can fail a document.
    let input = match stage("source", || source::read(path)) {
        Ok(input) => input,
        Err((error, partial)) => return emit::failed(path, doc, &partial.sha256, &error),
    };
    // Text as printed: OCR lines of cells, or a PDF's glyphs that pass the quality gate.
    let sha256 = input.sha256.clone();
    let extracted = stage("extract", || extract::extract(input, options));
    let document = rebuild(path, doc, &sha256, &extracted);
    if !options.ocr || extracted.layer_pages.is_empty() || readings::balanced(&document) {
        return document;
    }
    // A scan's hidden OCR layer is another tool's OCR, of unknown quality: where its tables
    // do not balance, its pages are OCR'd afresh and the identities choose the reading.
    let layer_pages = extracted.layer_pages.clone();
    let reread = stage("extract", || extract::reread_layers(path, extracted));
    readings::choose(document, rebuild(path, doc, &sha256, &reread), &layer_pages)
}

/// The stages after extraction: the document the extracted text gives.
fn rebuild(path: &Path, doc: &str, sha256: &str, extracted: &extract::Extracted) -> Document {
    // Lines of cells (from geometry for PDFs), pages, banner, one block per standard table.
    let layout = stage("layout", || layout::segment(extracted));
    // Header words mapped onto template columns and cells repaired, every change logged.
    let repaired = stage("repair", || repair::apply(&layout));
    // Metadata first: the document's unit decides which tables carry a unit of their own.
    let metadata = layout::metadata(&layout);
    // Typed rows keyed by code or label, figures as exact decimals.
    let rebuilt = stage("tables", || tables::rebuild(&repaired.grids, metadata.unit));
    let source = Source {
        path: path.display().to_string(),
        sha256: sha256.to_string(),
        pages: layout.pages,
        text_source: extracted.text_source,
        ocr_pages: extracted.ocr_pages.clone(),
    };
    // A lost figure inferred where the identities pin it down, an OCR misread repaired.
    let figures = extracted.figure_crops();
    // The tables that are not standard ones, kept as printed (the names they print are the
    // document's own, for a name OCR garbled in a standard table).
    let others = stage("tables", || tables::others(&layout.others));
    let recovered = stage("recover", || recover::recover(rebuilt.tables, &others, &metadata, &source, &figures));
    // Without a standard table: a narrative part, tables not recognised, or no disclosure.
    let content = emit::content(&layout);
    // Every identity checked, across tables, against the narrative and the page metadata; a
    // text that is no disclosure (a price list of 328 pages) has none to check.
    let mut validated = match content {
        emit::Content::NotADisclosure => validate::Validated::default(),
        _ => stage("validate", || validate::check(&recovered.tables, &recovered.instances, &layout, &metadata)),
    };
    // The performance targets among the other tables.
    let targets = stage("tables", || tables::targets(&others));
    validated.findings.extend(validate::targets::check(&targets, &others, &metadata));
    let stages = emit::Stages {
        noticed: extracted.findings.clone(),
        repaired,
        rebuilt: rebuilt.findings,
        recovered,
        validated,
        others,
        targets,
    };
    stage("emit", || emit::document(doc, source, metadata, content, stages))
}

/// Runs one stage in a `stage` span, so its time shows with `RUST_LOG=gongkai=info`
/// (`scripts/bench_corpus.py` sums them per stage); free when the level is off.
fn stage<T>(name: &'static str, run: impl FnOnce() -> T) -> T {
    let _span = tracing::info_span!("stage", stage = name).entered();
    run()
}

/// Helpers for unit tests that need a stage's input.
#[cfg(test)]
pub(crate) mod testing {
    /// The layout of OCR text (tab-separated cells, form feeds between pages), as
    /// [`convert`](crate::convert) reads it.
    pub fn layout(text: &str) -> crate::layout::Layout {
        let input = crate::source::Input {
            path: "test.txt".into(),
            sha256: String::new(),
            content: crate::source::Content::Text(text.to_string()),
        };
        crate::layout::segment(&crate::extract::extract(input, &crate::extract::Options { ocr: false }))
    }

    /// Line `number` of page 1: tab-separated cells as printed.
    pub fn line(number: u32, text: &str) -> crate::page::Line {
        crate::page::Line {
            number,
            page: 1,
            cells: text.split('\t').map(str::to_string).collect(),
            spans: vec![],
            boxes: vec![],
            continues_row: false,
        }
    }

    /// A one-page document's source: its page OCR'd where `text_source` says so.
    pub fn source(text_source: crate::model::TextSource) -> crate::model::Source {
        let ocr_pages = if text_source == crate::model::TextSource::Ocr { vec![1] } else { Vec::new() };
        crate::model::Source { path: String::new(), sha256: String::new(), pages: 1, text_source, ocr_pages }
    }

    /// A figure read as printed in column `column` (a row's cell).
    pub fn cell(column: &str, value: &str) -> crate::model::Cell {
        crate::model::Cell {
            column: column.into(),
            raw: value.into(),
            value: Some(std::str::FromStr::from_str(value).expect("a decimal")),
            status: crate::model::CellStatus::Read,
            inferred_by: None,
            bbox: None,
            confidence: None,
            readings: Vec::new(),
        }
    }

    /// A table `id` on page 1 of the rows `keys` (labels, no code), one line each, with the
    /// cells `cells` gives each.
    pub fn table(id: &str, keys: &[&str], cells: impl Fn(usize) -> Vec<crate::model::Cell>) -> crate::model::Table {
        let row = |(i, k): (usize, &&str)| crate::model::Row {
            key: k.to_string(),
            label: k.to_string(),
            code: None,
            side: None,
            under: None,
            seq: None,
            page: 1,
            line: i as u32 + 1,
            cells: cells(i),
        };
        crate::model::Table {
            id: id.into(),
            layout: "national".into(),
            title: String::new(),
            pages: vec![1],
            unit: None,
            empty: false,
            notes: Vec::new(),
            columns: Vec::new(),
            rows: keys.iter().enumerate().map(row).collect(),
        }
    }
}
