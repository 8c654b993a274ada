//! The PDF engine adapter: PDF bytes → pages of positioned glyphs and ruling lines.
//!
//! This is the only file that knows the PDF engine, so it can be swapped. The engine is
//! `hayro-interpret` (with `hayro-syntax`), chosen on evidence (`../shared/spec/crates.md`):
//! it decoded every Chinese font encoding measured here (Identity-H with ToUnicode, the
//! predefined `UniGB-UCS2-H` / `GBK-EUC-H` CMaps, embedded subsets) with correct positions,
//! reports a glyph without Unicode explicitly (`None`, counted here as unusable text) instead
//! of guessing, hands over the vector paths (table rulings for free), and was the fastest,
//! faster than poppler. pdf-extract panics on `UniGB-UCS2-H`/`GBK-EUC-H` and misplaces
//! glyphs of Identity-H fonts whose `/W` uses the range form, so it is not used.
//!
//! Coordinates: PDF points, origin at the top-left of the rendered page (rotation and crop
//! box applied), y grows downwards; a glyph's `y` is its baseline. The engine's panics are
//! not trusted to be impossible: the batch runs every document under `catch_unwind`.

use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::hayro_syntax::object::{Array, Dict, Name, Stream};
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect};
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps, InterpreterCache,
    InterpreterSettings, SoftMask, TransformExt, interpret_page,
};

use rayon::prelude::*;

use crate::page::{Glyph, Page, Ruling};

/// Pages beyond this are not read (a hostile or mistaken input, not a disclosure).
pub const MAX_PAGES: usize = 2000;

/// The most a page's content streams (and the form XObjects it draws) may inflate to. A
/// dense disclosure page is under 1 MiB; a stream past this is a decompression bomb and is
/// refused before the engine decodes it whole.
pub const MAX_CONTENT_BYTES: u64 = 256 << 20;

/// Why a PDF could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The file is encrypted and cannot be opened without a password.
    #[error("the PDF is encrypted")]
    Encrypted,
    /// The file is not a PDF, or is damaged beyond repair.
    #[error("the PDF cannot be parsed (damaged, truncated or not a PDF)")]
    Invalid,
    /// The PDF has no pages.
    #[error("the PDF has no pages")]
    NoPages,
    /// A page's content inflates beyond [`MAX_CONTENT_BYTES`]: a decompression bomb.
    #[error("page {0}: its content inflates to over the limit of {limit} MiB (a decompression bomb)", limit = MAX_CONTENT_BYTES >> 20)]
    Bomb(usize),
    /// The PDF has more pages than [`MAX_PAGES`].
    #[error("the PDF has {0} pages, over the limit of {MAX_PAGES}")]
    TooManyPages(usize),
}

/// Reads every page's glyphs and rulings.
pub fn pages(bytes: Vec<u8>) -> Result<Vec<Page>, PdfError> {
    pages_in_runs(bytes, PAGES_PER_OPENING)
}

/// [`pages`], reading `per_opening` pages from each opening of the document.
fn pages_in_runs(bytes: Vec<u8>, per_opening: usize) -> Result<Vec<Page>, PdfError> {
    let pdf = Pdf::new(bytes).map_err(|e| match e {
        hayro_interpret::hayro_syntax::LoadPdfError::Decryption(_) => PdfError::Encrypted,
        _ => PdfError::Invalid,
    })?;
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    if pages.len() > MAX_PAGES {
        return Err(PdfError::TooManyPages(pages.len()));
    }
    for (i, page) in pages.iter().enumerate() {
        if content_streams(page).iter().any(|s| inflates_beyond(s, MAX_CONTENT_BYTES)) {
            return Err(PdfError::Bomb(i + 1));
        }
    }
    let count = pages.len();
    let data = pdf.data().clone();
    let ranges: Vec<std::ops::Range<usize>> =
        (0..count).step_by(per_opening).map(|start| start..(start + per_opening).min(count)).collect();
    // Long documents are read a run of pages at a time, each run from its own opening of the
    // same bytes: the engine keeps every page's decoded content for as long as the document
    // is open (17 MB for a 328-page budget), and runs are independent, so with threads to
    // spare they are read side by side. Pages come out in order whatever the threads.
    if ranges.len() > 1 && rayon::current_num_threads() > 1 {
        drop(pdf);
        let runs: Vec<Vec<Page>> =
            ranges.into_par_iter().map(|range| Ok(read_run(&reopen(&data)?, range))).collect::<Result<_, _>>()?;
        return Ok(runs.into_iter().flatten().collect());
    }
    let mut out = Vec::with_capacity(count);
    let mut first = Some(pdf);
    for range in ranges {
        let pdf = match first.take() {
            Some(pdf) => pdf,
            None => reopen(&data)?,
        };
        out.extend(read_run(&pdf, range));
    }
    Ok(out)
}

/// Pages read from one opening of a document (see [`pages`]).
const PAGES_PER_OPENING: usize = 48;

/// The document opened again from the bytes it was opened from once already (so it opens:
/// the engine parses the same bytes the same way).
fn reopen(data: &hayro_interpret::hayro_syntax::PdfData) -> Result<Pdf, PdfError> {
    Pdf::new(data.clone()).map_err(|_| PdfError::Invalid)
}

/// The glyphs and rulings of the pages in `range` of an open document.
fn read_run(pdf: &Pdf, range: std::ops::Range<usize>) -> Vec<Page> {
    let pages = pdf.pages();
    let cache = InterpreterCache::new();
    let mut out = Vec::with_capacity(range.len());
    for i in range {
        let page = &pages[i];
        let (width, height) = page.render_dimensions();
        let initial = page.initial_transform(true).to_kurbo();
        let mut context = Context::new(
            initial,
            Rect::new(0.0, 0.0, f64::from(width), f64::from(height)),
            &cache,
            pdf.xref(),
            InterpreterSettings::default(),
        );
        let mut collector = Collector::default();
        interpret_page(page, &mut context, &mut collector);
        let rotation = match page.rotation() {
            hayro_interpret::hayro_syntax::page::Rotation::None => 0,
            hayro_interpret::hayro_syntax::page::Rotation::Horizontal => 90,
            hayro_interpret::hayro_syntax::page::Rotation::Flipped => 180,
            hayro_interpret::hayro_syntax::page::Rotation::FlippedHorizontal => 270,
        };
        out.push(Page {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            width,
            height,
            rotation,
            glyphs: collector.glyphs,
            rulings: collector.rulings,
            images: collector.images,
            image_pixels: collector.image_pixels,
            image_cover: (collector.largest_image / (f64::from(width) * f64::from(height)).max(1.0)).min(1.0) as f32,
            invisible: collector.invisible,
            source: crate::model::TextSource::TextLayer,
            figures: Vec::new(),
        });
    }
    out
}

/// A page's content streams and the form XObjects among its resources.
fn content_streams<'a>(page: &hayro_interpret::hayro_syntax::page::Page<'a>) -> Vec<Stream<'a>> {
    let raw = page.raw();
    let mut out: Vec<Stream<'a>> = Vec::new();
    if let Some(stream) = raw.get::<Stream<'a>>(b"Contents") {
        out.push(stream);
    } else if let Some(array) = raw.get::<Array<'a>>(b"Contents") {
        out.extend(array.iter::<Stream<'a>>());
    }
    if let Some(xobjects) = raw.get::<Dict<'a>>(b"Resources").and_then(|r| r.get::<Dict<'a>>(b"XObject")) {
        for name in xobjects.keys() {
            if let Some(stream) = xobjects.get::<Stream<'a>>(name.as_ref()) {
                let form = stream.dict().get::<Name<'_>>(b"Subtype").is_some_and(|n| n.as_ref() == b"Form");
                if form {
                    out.push(stream);
                }
            }
        }
    }
    out
}

/// More than deflate's largest expansion (1032:1).
const MAX_DEFLATE_RATIO: u64 = 1100;

/// Whether a Flate-compressed stream inflates to more than `limit` bytes, counted as it
/// inflates (nothing is kept), so a bomb costs at most `limit` bytes of work.
fn inflates_beyond(stream: &Stream<'_>, limit: u64) -> bool {
    use std::io::Read;
    let dict = stream.dict();
    let names: Vec<Vec<u8>> = match dict.get::<Name<'_>>(b"Filter") {
        Some(name) => vec![name.as_ref().to_vec()],
        None => dict
            .get::<Array<'_>>(b"Filter")
            .map(|a| a.iter::<Name<'_>>().map(|n| n.as_ref().to_vec()).collect())
            .unwrap_or_default(),
    };
    let flate = |n: &Vec<u8>| n.as_slice() == b"FlateDecode" || n.as_slice() == b"Fl";
    if names.is_empty() || !names.iter().all(flate) {
        return false; // stored as is, or filters that do not multiply (the engine bounds them)
    }
    let raw = stream.raw_data();
    // Deflate expands at most 1032 times (258 bytes from a 2-bit length/distance pair): a
    // stream too short to reach the limit through its filters is not inflated to count.
    let filters = u32::try_from(names.len()).unwrap_or(u32::MAX);
    if (raw.len() as u64).saturating_mul(MAX_DEFLATE_RATIO.saturating_pow(filters)) <= limit {
        return false;
    }
    let mut reader: Box<dyn Read + '_> = Box::new(&raw[..]);
    for _ in 0..names.len() {
        reader = Box::new(flate2::read::ZlibDecoder::new(reader));
    }
    let inflated = std::io::copy(&mut reader.take(limit + 1), &mut std::io::sink()).unwrap_or(0);
    inflated > limit
}

/// The device that records glyphs and straight path segments.
#[derive(Default)]
struct Collector {
    glyphs: Vec<Glyph>,
    rulings: Vec<Ruling>,
    images: u32,
    largest_image: f64,
    image_pixels: u64,
    invisible: u32,
    /// The bounding boxes of the clips in force, innermost last (each already intersected
    /// with the one under it): text drawn outside is not on the page.
    clips: Vec<Rect>,
}

fn text_of(s: BfString) -> compact_str::CompactString {
    match s {
        BfString::Char(c) => std::iter::once(c).collect(),
        BfString::String(s) => s.into(),
    }
}

impl<'a> Device<'a> for Collector {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, _: &DrawMode) {
        self.segments(path, props.transform);
    }

    fn push_clip_path(&mut self, clip: &ClipPath) {
        let bbox = hayro_interpret::kurbo::Shape::bounding_box(&clip.path);
        let inner = self.clips.last().map_or(bbox, |outer| outer.intersect(bbox));
        self.clips.push(inner);
    }

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, mode: &DrawMode) {
        // Invisible text (an OCR layer under a scan) is text all the same; it is counted so
        // the quality gate can hold it to an OCR layer's checks.
        let invisible = matches!(mode, DrawMode::Invisible);
        let start = self.glyphs.len();
        for glyph in run.glyphs() {
            let t = props.transform * glyph.transform();
            // A glyph clipped away (a cell's text overflowing its clip, a copy of a row
            // hidden under the next page's header) is not printed.
            if let Some(clip) = self.clips.last()
                && !clip.inflate(1.0, 1.0).contains(t * Point::new(300.0, 300.0))
            {
                continue;
            }
            let origin = t * Point::ZERO;
            let up = t * Point::new(0.0, 1000.0);
            let size = (up - origin).hypot() as f32;
            self.glyphs.push(Glyph {
                text: glyph.as_unicode().map(text_of),
                x: origin.x as f32,
                y: origin.y as f32,
                size,
                width: size,
                confidence: None,
            });
            self.invisible += u32::from(invisible);
        }
        // Advances from the positions of the next glyph in the same run.
        let run = &mut self.glyphs[start..];
        for i in 0..run.len().saturating_sub(1) {
            let dx = run[i + 1].x - run[i].x;
            let same_line = (run[i + 1].y - run[i].y).abs() < run[i].size * 0.2;
            if same_line && dx > 0.0 && dx < run[i].size * 1.5 {
                run[i].width = dx;
            } else if run[i].text.as_deref().is_some_and(str::is_ascii) {
                run[i].width = run[i].size * 0.55;
            }
        }
        if let Some(last) = run.last_mut()
            && last.text.as_deref().is_some_and(str::is_ascii)
        {
            last.width = last.size * 0.55;
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        self.images += 1;
        // The transform maps the image's pixel grid onto the page.
        self.image_pixels = self.image_pixels.max(u64::from(image.width()) * u64::from(image.height()));
        let (w, h) = (f64::from(image.width()), f64::from(image.height()));
        let corners = [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)].map(|(x, y)| props.transform * Point::new(x, y));
        let xs = corners.map(|p| p.x);
        let ys = corners.map(|p| p.y);
        let span =
            |v: [f64; 4]| v.iter().copied().fold(f64::MIN, f64::max) - v.iter().copied().fold(f64::MAX, f64::min);
        self.largest_image = self.largest_image.max(span(xs) * span(ys));
    }

    fn pop_clip(&mut self) {
        self.clips.pop();
    }

    fn pop_transparency_group(&mut self) {}
}

impl Collector {
    /// Keeps the axis-aligned straight segments of a path (and thin filled rectangles,
    /// which is how many exporters draw cell borders).
    fn segments(&mut self, path: &BezPath, transform: Affine) {
        let path = transform * path.clone();
        let bbox = hayro_interpret::kurbo::Shape::bounding_box(&path);
        if bbox.width() < 1.5 || bbox.height() < 1.5 {
            let (x0, y0, x1, y1) = (bbox.x0 as f32, bbox.y0 as f32, bbox.x1 as f32, bbox.y1 as f32);
            if bbox.width() >= bbox.height() && bbox.width() > 2.0 {
                let y = (y0 + y1) / 2.0;
                self.rulings.push(Ruling { x0, y0: y, x1, y1: y });
            } else if bbox.height() > 2.0 {
                let x = (x0 + x1) / 2.0;
                self.rulings.push(Ruling { x0: x, y0, x1: x, y1 });
            }
            return;
        }
        let mut last = Point::ZERO;
        let mut first = Point::ZERO;
        for el in path.elements() {
            match *el {
                PathEl::MoveTo(p) => {
                    last = p;
                    first = p;
                }
                PathEl::LineTo(p) => {
                    self.line(last, p);
                    last = p;
                }
                PathEl::ClosePath => {
                    self.line(last, first);
                    last = first;
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => last = p,
            }
        }
    }

    fn line(&mut self, a: Point, b: Point) {
        let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
        if dy < 0.5 && dx > 2.0 {
            let y = ((a.y + b.y) / 2.0) as f32;
            self.rulings.push(Ruling { x0: a.x.min(b.x) as f32, y0: y, x1: a.x.max(b.x) as f32, y1: y });
        } else if dx < 0.5 && dy > 2.0 {
            let x = ((a.x + b.x) / 2.0) as f32;
            self.rulings.push(Ruling { x0: x, y0: a.y.min(b.y) as f32, x1: x, y1: a.y.max(b.y) as f32 });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs of pages read one after another or side by side give the pages of one reading.
    #[test]
    fn pages_read_in_runs_and_in_parallel_equal_one_reading() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/pdf/putuo-office-2025-budget.pdf");
        let bytes = std::fs::read(path).expect("sample");
        let pool = |threads| rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        let whole = pool(1).install(|| pages_in_runs(bytes.clone(), 1000)).expect("reads");
        let sequential = pool(1).install(|| pages_in_runs(bytes.clone(), 5)).expect("reads");
        let parallel = pool(2).install(|| pages_in_runs(bytes.clone(), 5)).expect("reads");
        assert_eq!(whole.len(), 22);
        assert!(whole.iter().enumerate().all(|(i, p)| p.number as usize == i + 1 && !p.glyphs.is_empty()));
        assert!(sequential == whole, "runs one after another");
        assert!(parallel == whole, "runs side by side");
    }
}
