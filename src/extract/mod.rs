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
pub mod ppocr;
mod quality;
pub mod second;
mod wrapped;

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
    /// Of those, the pages read from a scan's hidden OCR layer (another tool's OCR, used as
    /// it passed the quality checks), which [`reread_layers`] OCRs afresh.
    pub layer_pages: Vec<u32>,
    pub findings: Vec<Finding>,
}

impl Extracted {
    /// The figures cut out of the pages gongkai OCR'd, for the second engine, with their
    /// pages.
    pub fn figure_crops(&self) -> Vec<(u32, &crate::page::FigureCrop)> {
        match &self.content {
            Text::Glyphs(pages) => pages.iter().flat_map(|p| p.figures.iter().map(move |r| (p.number, r))).collect(),
            Text::Lines(_) => Vec::new(),
        }
    }
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
                layer_pages: Vec::new(),
                findings,
            }
        }
        Content::Words(pages) => Extracted {
            pages: u32::try_from(pages.len()).unwrap_or(u32::MAX),
            content: Text::Glyphs(pages),
            text_source: TextSource::OcrText,
            ocr_pages: Vec::new(),
            layer_pages: Vec::new(),
            findings: Vec::new(),
        },
        Content::AlignedText(lines, columns) => Extracted {
            pages: lines.last().map_or(1, |l| l.page),
            content: Text::Lines(lines),
            text_source: TextSource::OcrText,
            ocr_pages: Vec::new(),
            layer_pages: Vec::new(),
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
            // A hidden OCR layer that passed the gate is already OCR; its pages are known here.
            let layer_pages = gated
                .iter()
                .filter(|(p, _)| p.source == TextSource::Ocr && !p.glyphs.is_empty())
                .map(|(p, _)| p.number)
                .collect();
            // OCR the pages that need it, in parallel (one engine process per page).
            let pages = read_pages(
                &path,
                gated,
                |page, printed| options.ocr && page.glyphs.is_empty() && printed,
                &mut findings,
            );
            glyphs(pages, layer_pages, findings)
        }
    }
}

/// The pages of a PDF read from hidden OCR layers ([`Extracted::layer_pages`]) OCR'd by
/// gongkai instead, every other page as it was: the second reading of a scan whose layer's
/// tables do not balance. Extraction findings are kept, with the new pages' `ocr_page`
/// findings after them.
pub fn reread_layers(path: &std::path::Path, extracted: Extracted) -> Extracted {
    let Extracted { content: Text::Glyphs(pages), layer_pages, mut findings, .. } = extracted else {
        return extracted;
    };
    let pages = pages
        .into_iter()
        .map(|p| if layer_pages.contains(&p.number) { (Page { glyphs: Vec::new(), ..p }, true) } else { (p, false) })
        .collect();
    let pages = read_pages(path, pages, |_, reread| reread, &mut findings);
    glyphs(pages, Vec::new(), findings)
}

/// OCRs the pages `needs_ocr(page, flag)` picks, in parallel (one engine process per page),
/// their findings added to `findings` in page order.
fn read_pages(
    path: &std::path::Path,
    pages: Vec<(Page, bool)>,
    needs_ocr: impl Fn(&Page, bool) -> bool + Sync,
    findings: &mut Vec<Finding>,
) -> Vec<Page> {
    let read: Vec<(Page, Vec<Finding>)> = pages
        .into_par_iter()
        .map(|(page, flag)| if needs_ocr(&page, flag) { ocr_page(path, page) } else { (page, Vec::new()) })
        .collect();
    let mut out = Vec::with_capacity(read.len());
    for (page, noticed) in read {
        findings.extend(noticed);
        out.push(page);
    }
    out
}

/// The extraction of a PDF's pages.
fn glyphs(pages: Vec<Page>, layer_pages: Vec<u32>, findings: Vec<Finding>) -> Extracted {
    let count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    let text_source = pages.iter().map(|p| p.source).max().unwrap_or_default();
    let ocr_pages = pages.iter().filter(|p| p.source == TextSource::Ocr).map(|p| p.number).collect();
    Extracted { content: Text::Glyphs(pages), pages: count, text_source, ocr_pages, layer_pages, findings }
}

/// OCRs one page; on failure the page stays as it was (without text) and says why.
fn ocr_page(path: &std::path::Path, page: Page) -> (Page, Vec<Finding>) {
    let result = if page.image_pixels > ocr::MAX_OCR_PIXELS {
        Err(ocr::OcrError::TooLarge(page.image_pixels))
    } else {
        ocr::page(path, page.number)
    };
    match result {
        Ok(ocr::OcrPage { words, rulings, skew, reread, reread_failed, figures, texts }) => {
            let confidence = words.iter().map(|w| w.confidence).sum::<f32>() / words.len().max(1) as f32;
            // Whether it is installed, not loaded: `recover` loads it only for figures in doubt.
            let engine = match ppocr::installed() {
                true => format!("{} figures cut out for the second engine, PP-OCR", figures.len()),
                false => format!("the second engine, PP-OCR, is not installed ({})", ppocr::models_dir().display()),
            };
            let failed = match reread_failed {
                0 => String::new(),
                n => format!(" (the engine failed on {n} of those rows, whose cells keep the page's reading)"),
            };
            let mut f = Finding::new(
                Severity::Info,
                FindingKind::OcrPage,
                format!(
                    "page {}: read by OCR (tesseract chi_sim, {} dpi, straightened by {skew:.2}°, {} rulings found, \
                     {reread} cells the page's reading passed over read again with their row{failed}; {engine}): {} words, mean confidence {confidence:.0}",
                    page.number,
                    ocr::DPI,
                    rulings.len(),
                    words.len()
                ),
            );
            f.page = Some(page.number);
            let mut noticed = vec![f];
            noticed.extend(texts.iter().map(|t| {
                let first = if t.first.is_empty() {
                    "no word in a cell that holds ink".to_string()
                } else {
                    format!("«{}» (confidence {:.0}), a name no template knows", t.first, t.first_confidence)
                };
                let mut f = Finding::new(
                    Severity::Info,
                    FindingKind::OcrTextReread,
                    format!(
                        "page {}: tesseract read {first}; PP-OCR reads «{}» (confidence {:.0}), a name the templates \
                         know: PP-OCR's reading is kept",
                        page.number, t.second, t.second_confidence
                    ),
                );
                f.page = Some(page.number);
                f.rule = Some("second-engine".into());
                f
            }));
            let glyphs = words.iter().map(Word::glyph).collect();
            (Page { glyphs, rulings, figures, source: TextSource::Ocr, ..page }, noticed)
        }
        Err(e) => {
            let mut f = Finding::new(Severity::Warning, FindingKind::OcrFailed, format!("page {}: {e}", page.number));
            f.page = Some(page.number);
            (page, vec![f])
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
