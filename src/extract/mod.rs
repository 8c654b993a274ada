//! Stage 2, `extract`: an [`Input`] → lines of cells, each with its source line and page.
//!
//! For OCR text (`.txt`) a line is one table row and its cells are the tab-separated
//! fields, kept exactly as printed (no normalisation: repairs need the raw text). Pages
//! come from form feeds; the layout stage refines them from page banners when the text
//! has none. For a PDF text layer it passes the positioned glyphs on (layout turns them
//! into the same [`Line`]s) after a per-page quality gate: a page whose text cannot be
//! trusted is reported and withheld, so nothing garbled reaches the facts. Never fails.

pub mod cells;
pub mod image;
pub mod ocr;
mod quality;

use crate::model::{Finding, FindingKind, Severity, TextSource};
use rayon::prelude::*;

use crate::page::{Line, Page, Word};
use crate::source::{Content, Input};

/// What extraction gives the layout stage: lines of cells (OCR text) or positioned glyphs
/// (a PDF text layer), plus what it noticed.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub content: Text,
    pub pages: u32,
    pub text_source: TextSource,
    /// The PDF pages read by OCR.
    pub ocr_pages: Vec<u32>,
    pub findings: Vec<Finding>,
}

/// The two shapes of extracted text.
#[derive(Debug, Clone)]
pub enum Text {
    Lines(Vec<Line>),
    Glyphs(Vec<Page>),
}

/// Extracts an input's text.
pub fn extract(input: Input, options: &Options) -> Extracted {
    // The input is consumed: a long document's pages are held once, not as read and as gated.
    let Input { path, content, .. } = input;
    match content {
        Content::Text(text) => {
            let lines = lines(&text);
            let pages = lines.last().map_or(1, |l| l.page);
            let findings = Vec::new();
            Extracted {
                content: Text::Lines(lines),
                pages,
                text_source: TextSource::OcrText,
                ocr_pages: Vec::new(),
                findings,
            }
        }
        Content::Words(pages) => Extracted {
            pages: u32::try_from(pages.len()).unwrap_or(u32::MAX),
            content: Text::Glyphs(pages),
            text_source: TextSource::OcrText,
            ocr_pages: Vec::new(),
            findings: Vec::new(),
        },
        Content::AlignedText(lines, columns) => Extracted {
            pages: lines.last().map_or(1, |l| l.page),
            content: Text::Lines(lines),
            text_source: TextSource::OcrText,
            ocr_pages: Vec::new(),
            findings: vec![Finding::new(
                Severity::Info,
                FindingKind::SpaceAlignedText,
                format!(
                    "the text's columns are aligned with spaces, not separated by tabs: its cells are read from \
                     where they sit on each line ({}, the reading that lines its figures up)",
                    columns.describe()
                ),
            )],
        },
        Content::Pdf(pages) => {
            let mut findings = Vec::new();
            // Each page gated, and whether it printed anything (text or an image) to read.
            let gated: Vec<(Page, bool)> = pages
                .into_iter()
                .map(|p| {
                    let printed = !p.glyphs.is_empty() || p.images > 0;
                    (quality::gate(p, &mut findings), printed)
                })
                .collect();
            // OCR the pages that need it, in parallel (one engine process per page).
            let read: Vec<(Page, Option<Finding>)> = gated
                .into_par_iter()
                .map(|(gated, printed)| {
                    let unusable = gated.glyphs.is_empty() && printed;
                    if options.ocr && unusable { ocr_page(&path, gated) } else { (gated, None) }
                })
                .collect();
            let mut out = Vec::with_capacity(read.len());
            for (page, finding) in read {
                findings.extend(finding);
                out.push(page);
            }
            let count = u32::try_from(out.len()).unwrap_or(u32::MAX);
            let text_source = out.iter().map(|p| p.source).max().unwrap_or_default();
            let ocr_pages = out.iter().filter(|p| p.source == TextSource::Ocr).map(|p| p.number).collect();
            Extracted { content: Text::Glyphs(out), pages: count, text_source, ocr_pages, findings }
        }
    }
}

/// OCRs one page; on failure the page stays as it was (without text) and says why.
fn ocr_page(path: &std::path::Path, page: Page) -> (Page, Option<Finding>) {
    let result = if page.image_pixels > ocr::MAX_OCR_PIXELS {
        Err(ocr::OcrError::TooLarge(page.image_pixels))
    } else {
        ocr::page(path, page.number)
    };
    match result {
        Ok(ocr::OcrPage { words, rulings, skew, reread }) => {
            let confidence = words.iter().map(|w| w.confidence).sum::<f32>() / words.len().max(1) as f32;
            let mut f = Finding::new(
                Severity::Info,
                FindingKind::OcrPage,
                format!(
                    "page {}: read by OCR (tesseract chi_sim, {} dpi, straightened by {skew:.2}°, {} rulings found, \
                     {reread} cells the page's reading passed over read again with their row): {} words, mean confidence {confidence:.0}",
                    page.number,
                    ocr::DPI,
                    rulings.len(),
                    words.len()
                ),
            );
            f.page = Some(page.number);
            let glyphs = words.iter().map(Word::glyph).collect();
            (Page { glyphs, rulings, source: TextSource::Ocr, ..page }, Some(f))
        }
        Err(e) => {
            let mut f = Finding::new(Severity::Warning, FindingKind::OcrFailed, format!("page {}: {e}", page.number));
            f.page = Some(page.number);
            (page, Some(f))
        }
    }
}

/// How to extract.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// OCR the pages whose text layer is missing, unusable or a hidden OCR layer that fails
    /// the quality checks (tesseract). On by default; off, such pages are reported only.
    pub ocr: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { ocr: true }
    }
}

/// Splits OCR text into lines of cells.
fn lines(text: &str) -> Vec<Line> {
    let mut page = 1;
    let mut out = Vec::new();
    for (i, text) in text.split('\n').enumerate() {
        let mut text = text;
        while let Some(rest) = text.strip_prefix('\u{c}') {
            page += 1;
            text = rest;
        }
        let cells = text.trim_end_matches('\r').split('\t').map(str::to_string).collect();
        out.push(Line {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            page,
            cells,
            spans: Vec::new(),
            boxes: Vec::new(),
            continues_row: false,
        });
        page += text.matches('\u{c}').count() as u32;
    }
    out
}
