//! Two readings of one scan: the hidden OCR layer another tool left under its page images,
//! and gongkai's own OCR of the same pages. A layer is used when its tables balance; when
//! they do not, the pages are OCR'd afresh and the identities decide which reading is kept
//! (a layer made without finding the rulings runs a row's cells together; one made by a
//! better engine may read what tesseract misses). The choice is a finding on the document.

use crate::model::{Document, Finding, FindingKind, Severity, Status};

/// Whether a document's tables balance: no error, no identity broken, no unreadable cell.
pub fn balanced(doc: &Document) -> bool {
    matches!(doc.status, Status::Ok | Status::Repaired) && doc.checks.violated == 0 && unreadable(doc) == 0
}

/// What a reading is worth: identities that hold, less those broken and the cells that
/// could not be read; then the figures read. Higher is better.
fn score(doc: &Document) -> (i64, usize) {
    let held = i64::from(doc.checks.exact) + i64::from(doc.checks.rounding);
    let broken = i64::from(doc.checks.violated) + i64::try_from(unreadable(doc)).unwrap_or(i64::MAX);
    let figures = doc.tables.iter().flat_map(|t| &t.rows).flat_map(|r| &r.cells).filter(|c| c.value.is_some()).count();
    (held - broken, figures)
}

fn unreadable(doc: &Document) -> usize {
    doc.findings.iter().filter(|f| f.kind == FindingKind::UnreadableCell).count()
}

/// Keeps the better of the layer's reading and the fresh OCR's (the layer's on a tie), with
/// a finding saying what each gave.
pub fn choose(layer: Document, ocr: Document, layer_pages: &[u32]) -> Document {
    let (of_layer, of_ocr) = (score(&layer), score(&ocr));
    let (mut kept, which) = if of_ocr > of_layer { (ocr, "gongkai's own OCR") } else { (layer, "the layer") };
    let pages = layer_pages.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    kept.findings.push(Finding::new(
        Severity::Info,
        FindingKind::OcrLayerReread,
        format!(
            "page(s) {pages}: the hidden OCR layer's tables do not balance, so the pages were OCR'd afresh; \
             the layer's reading scores {} (identities held less broken ones and unreadable cells; {} figures), \
             gongkai's own OCR {} ({} figures): {which} is kept",
            of_layer.0, of_layer.1, of_ocr.0, of_ocr.1
        ),
    ));
    kept
}
