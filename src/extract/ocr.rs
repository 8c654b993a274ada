//! The OCR engine adapter: a PDF page without a usable text layer → positioned words, as
//! glyphs of the same page model the text layer gives, so one layout serves both.
//!
//! The engine is tesseract 5 with `chi_sim` through its command line, as measured here
//! (`../shared/spec/crates.md`): `--psm 3` with TSV word boxes read every figure of a 300 dpi
//! table page, while `--psm 6` (the C API's default) lost most of them. Pages are rendered
//! by poppler's `pdftoppm` at 300 dpi in greyscale. Both are system packages the project's
//! set-up installs (`scripts/setup.sh`); when they are missing the page is reported, not
//! guessed. One process per page, `OMP_THREAD_LIMIT=1`, a temporary folder per call.

use std::path::Path;
use std::process::Command;

use super::image::Gray;
use super::pdf::{Glyph, Rule};

/// Resolution pages are rendered at for OCR.
pub const DPI: u32 = 300;

/// Why a page could not be OCR'd.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    /// `pdftoppm` or `tesseract` is not installed.
    #[error("{0} is not installed (run scripts/setup.sh)")]
    Missing(&'static str),
    /// The renderer or the engine failed on this page.
    #[error("{tool} failed: {message}")]
    Failed { tool: &'static str, message: String },
    /// The page's image declares more pixels than OCR is allowed to render.
    #[error("its image declares {0} pixels, over the limit of {limit} for OCR", limit = super::MAX_OCR_PIXELS)]
    TooLarge(u64),
    /// A temporary file could not be written or read.
    #[error("temporary file: {0}")]
    Io(#[from] std::io::Error),
}

/// An OCR'd word: its text, box in points (top-left origin) and confidence (0–100).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    pub confidence: f32,
}

impl Word {
    /// The word as one glyph run of the page model: baseline at the box's bottom.
    pub fn glyph(&self) -> Glyph {
        Glyph {
            text: Some(self.text.clone()),
            x: self.left,
            y: self.top + self.height,
            size: self.height,
            width: self.width,
            confidence: Some(self.confidence),
        }
    }
}

fn run(tool: &'static str, command: &mut Command) -> Result<Vec<u8>, OcrError> {
    let output = command.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => OcrError::Missing(tool),
        _ => OcrError::Io(e),
    })?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("").to_string();
        return Err(OcrError::Failed { tool, message });
    }
    Ok(output.stdout)
}

/// A page as OCR read it: its words, the rulings found in its image (points, in the
/// deskewed frame the words are in), and the skew that was straightened, in degrees.
#[derive(Debug, Clone, Default)]
pub struct OcrPage {
    pub words: Vec<Word>,
    pub rules: Vec<Rule>,
    pub skew: f32,
}

/// Skews smaller than this (degrees) are left alone.
const MIN_SKEW: f32 = 0.05;

/// OCRs page `number` (1-based) of the PDF at `path`: renders it in greyscale, straightens
/// it, finds its rulings, and reads it.
pub fn page(path: &Path, number: u32) -> Result<OcrPage, OcrError> {
    let dir = tempfile_dir()?;
    let result = read_page(path, number, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn read_page(path: &Path, number: u32, dir: &Path) -> Result<OcrPage, OcrError> {
    let prefix = dir.join("page");
    let n = number.to_string();
    run(
        "pdftoppm",
        Command::new("pdftoppm")
            .args(["-r", &DPI.to_string(), "-gray", "-singlefile", "-f", &n, "-l", &n])
            .arg(path)
            .arg(&prefix),
    )?;
    let image = prefix.with_extension("pgm");
    let gray = Gray::from_pgm(&std::fs::read(&image)?)
        .map_err(|e| OcrError::Failed { tool: "pdftoppm", message: e.to_string() })?;
    let skew = gray.skew();
    let gray = if skew.abs() >= MIN_SKEW {
        let straight = gray.rotated(skew);
        std::fs::write(&image, straight.to_pgm())?;
        straight
    } else {
        gray
    };
    let scale = 72.0 / DPI as f32;
    let min = (super::image::MIN_RULING_PT / scale) as usize;
    let rules: Vec<Rule> = gray
        .rulings(min)
        .into_iter()
        .map(|r| Rule { x0: r.x0 * scale, y0: r.y0 * scale, x1: r.x1 * scale, y1: r.y1 * scale })
        .collect();
    let tsv = run(
        "tesseract",
        Command::new("tesseract")
            .arg(&image)
            .args(["stdout", "-l", "chi_sim", "--psm", "3", "--dpi", &DPI.to_string(), "tsv"])
            .env("OMP_THREAD_LIMIT", "1"),
    )?;
    let words = split_at_rulings(words(&String::from_utf8_lossy(&tsv), DPI), &rules);
    Ok(OcrPage { words, rules, skew })
}

/// Splits words that straddle a table's vertical ruling, or hold the `|` the engine makes
/// of one, into one word per cell. Characters are placed by estimated advance (a CJK
/// character one em, others a little over half), and the `|` themselves are dropped.
pub fn split_at_rulings(words: Vec<Word>, rules: &[Rule]) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        let chars: Vec<char> = word.text.chars().collect();
        let advance = |c: char| if c.is_ascii() { 0.55 } else { 1.0 };
        let total: f32 = chars.iter().map(|&c| advance(c)).sum();
        let unit = word.width / total.max(0.01);
        let (top, bottom) = (word.top, word.top + word.height);
        let cuts: Vec<f32> = rules
            .iter()
            .filter(|r| (r.x0 - r.x1).abs() < 0.5 && r.y0.min(r.y1) <= top + 2.0 && r.y0.max(r.y1) >= bottom - 2.0)
            .map(|r| r.x0)
            .filter(|&x| x > word.left + unit * 0.3 && x < word.left + word.width - unit * 0.3)
            .collect();
        if cuts.is_empty() && !word.text.contains('|') {
            out.push(word);
            continue;
        }
        let mut x = word.left;
        let mut piece: Option<Word> = None;
        let mut previous = word.left;
        for c in chars {
            let w = advance(c) * unit;
            let centre = x + w / 2.0;
            let cut_before = piece.is_some() && cuts.iter().any(|&k| k > previous && k <= centre);
            previous = centre;
            if c == '|' || cut_before {
                out.extend(piece.take());
            }
            if c != '|' {
                let p = piece.get_or_insert_with(|| Word { text: String::new(), left: x, width: 0.0, ..word.clone() });
                p.text.push(c);
                p.width = x + w - p.left;
            }
            x += w;
        }
        out.extend(piece);
    }
    out
}

/// A fresh temporary folder (the process id and a counter keep parallel calls apart).
fn tempfile_dir() -> Result<std::path::PathBuf, OcrError> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "gongkai-ocr-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Parses tesseract's TSV: the level-5 rows are words with boxes in pixels at `dpi`. The
/// words of one tesseract line share that line's baseline and height (their median), so a
/// skewed scan, a small `、` or a tall bracket does not break a table row apart.
pub fn words(tsv: &str, dpi: u32) -> Vec<Word> {
    level(tsv_lines(tsv, 72.0 / dpi as f32).into_iter().map(|(_, words)| words).collect())
}

/// A tesseract line: (page, block, paragraph, line).
pub type LineId = (u32, u32, u32, u32);

/// The level-5 (word) rows of tesseract TSV, grouped by (page, block, paragraph, line),
/// boxes scaled by `scale` (points per pixel).
pub fn tsv_lines(tsv: &str, scale: f32) -> Vec<(LineId, Vec<Word>)> {
    let mut lines: Vec<(LineId, Vec<Word>)> = Vec::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 12 || f[0] != "5" || f[11].trim().is_empty() {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<f32>().ok();
        let id = |i: usize| f[i].trim().parse::<u32>().unwrap_or(0);
        let (Some(left), Some(top), Some(width), Some(height), Some(confidence)) =
            (num(6), num(7), num(8), num(9), num(10))
        else {
            continue;
        };
        let word = Word {
            text: f[11].trim().to_string(),
            left: left * scale,
            top: top * scale,
            width: width * scale,
            height: height * scale,
            confidence,
        };
        let key = (id(1), id(2), id(3), id(4));
        match lines.last_mut() {
            Some((k, words)) if *k == key => words.push(word),
            _ => lines.push((key, vec![word])),
        }
    }
    lines
}

/// The words of each engine line share that line's baseline and height (their median).
pub fn level(lines: Vec<Vec<Word>>) -> Vec<Word> {
    let median = |mut v: Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let mut out = Vec::new();
    for mut words in lines {
        let bottom = median(words.iter().map(|w| w.top + w.height).collect());
        let height = median(words.iter().map(|w| w.height).collect());
        for w in &mut words {
            w.top = bottom - height;
            w.height = height;
        }
        out.extend(words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_become_boxes_in_points() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t300\t600\t150\t50\t96.5\t509.01\n\
                   5\t1\t1\t1\t1\t2\t500\t600\t50\t50\t91\t\n";
        let w = words(tsv, 300);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].text, "509.01");
        assert_eq!((w[0].left, w[0].top, w[0].width, w[0].height), (72.0, 144.0, 36.0, 12.0));
        assert_eq!(w[0].glyph().y, 156.0);
    }

    #[test]
    fn a_word_across_rulings_is_split_into_cells() {
        let word =
            Word { text: "|合计|1.00".into(), left: 100.0, top: 50.0, width: 60.0, height: 10.0, confidence: 90.0 };
        let split = split_at_rulings(vec![word.clone()], &[]);
        let texts: Vec<&str> = split.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["合计", "1.00"]);
        assert!(split[0].left < split[1].left && split[1].left + split[1].width <= 160.01);
        // No bar, but a ruling through the word's middle.
        let word = Word { text: "合计1.00".into(), ..word };
        let ruling = Rule { x0: 129.0, y0: 0.0, x1: 129.0, y1: 100.0 };
        let texts: Vec<String> = split_at_rulings(vec![word], &[ruling]).into_iter().map(|w| w.text).collect();
        assert_eq!(texts, ["合计", "1.00"]);
    }
}
