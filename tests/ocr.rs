//! The OCR path (`--ocr`, experimental): the real tesseract reads a real scan. Accuracy on
//! scans is issue 6's work in progress; this test holds what works now: each page without
//! a text layer is rendered and read with the Chinese model, and the document says so.

use std::path::Path;

use crate::common::root;

#[test]
fn an_image_only_scan_is_read_by_tesseract() {
    let path = root().join("samples/scan/qinglong-2023-budget-scan-200dpi.pdf");
    let doc = gongkai::convert_with(Path::new(&path), "scan", &gongkai::extract::Options { ocr: true });
    let ocr_pages: Vec<_> = doc.findings.iter().filter(|f| f.kind == "ocr_page").collect();
    assert_eq!(ocr_pages.len(), 3, "every page OCR'd: {:#?}", doc.findings);
    assert_eq!(doc.source.text_source, gongkai::model::TextSource::Ocr);
    // Each page yields words (tesseract ran with the Chinese model and found text).
    for f in &ocr_pages {
        let words: u32 = f.message.split(": ").nth(2).and_then(|s| s.split(' ').next()?.parse().ok()).unwrap_or(0);
        assert!(words >= 20, "{}", f.message);
    }
    let without = gongkai::convert(Path::new(&path), "scan");
    assert_eq!(without.status, gongkai::model::Status::Failed, "without --ocr a scan is a failed document");
}
