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

use super::cells;
use super::image::Gray;
use crate::page::{FigureCrop, Ruling, Word, level, split_at_rulings};
use crate::source::ocr_output::{tsv_lines, words};

/// Pages whose image declares more pixels than this are not OCR'd: rendering them would
/// take minutes and gigabytes (an A4 page at 600 dpi is 35 million).
pub const MAX_OCR_PIXELS: u64 = 150_000_000;

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
    #[error("its image declares {0} pixels, over the limit of {limit} for OCR", limit = MAX_OCR_PIXELS)]
    TooLarge(u64),
    /// A temporary file could not be written or read.
    #[error("temporary file: {0}")]
    Io(#[from] std::io::Error),
}

fn run(tool: &'static str, command: &mut Command) -> Result<Vec<u8>, OcrError> {
    let output = command.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => OcrError::Missing(tool),
        _ => OcrError::Io(e),
    })?;
    if !output.status.success() {
        return Err(OcrError::Failed { tool, message: failure(&output) });
    }
    Ok(output.stdout)
}

/// Why a tool failed, in a line: its last line of errors that is not tesseract's progress
/// (`Page 4 : row-4.pgm`), and the signal that killed it, if one did.
fn failure(output: &std::process::Output) -> String {
    use std::os::unix::process::ExitStatusExt;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let said = stderr.lines().rev().map(str::trim).find(|l| !l.is_empty() && !l.starts_with("Page ")).unwrap_or("");
    match output.status.signal() {
        Some(signal) if said.is_empty() => format!("killed by signal {signal}"),
        Some(signal) => format!("{said} (killed by signal {signal})"),
        None => said.to_string(),
    }
}

/// A page as OCR read it: its words, the rulings found in its image (points, in the
/// deskewed frame the words are in), the skew that was straightened, in degrees, how many
/// cells of its ruled grid the page's reading passed over and were read again, its
/// figures cut out for the second engine, and the runs of text the second engine read again.
#[derive(Debug, Clone, Default)]
pub struct OcrPage {
    pub words: Vec<Word>,
    pub rulings: Vec<Ruling>,
    pub skew: f32,
    pub reread: usize,
    /// Rows of `reread` cells the engine failed on (crashed reading their crop): those
    /// cells keep the page's reading.
    pub reread_failed: usize,
    pub figures: Vec<FigureCrop>,
    pub texts: Vec<super::second::TextReread>,
}

/// Skews smaller than this (degrees) are left alone.
const MIN_SKEW: f32 = 0.05;

/// OCRs page `number` (1-based) of the PDF at `path`: renders it in greyscale, straightens
/// it, finds its rulings, and reads it.
pub fn page(path: &Path, number: u32) -> Result<OcrPage, OcrError> {
    // A folder of its own, removed when dropped, whatever happens.
    let dir = tempfile::Builder::new().prefix("gongkai-ocr-").tempdir()?;
    read_page(path, number, dir.path())
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
    let gray = if skew.abs() >= MIN_SKEW { gray.rotated(skew) } else { gray };
    let scale = 72.0 / DPI as f32;
    let min = (super::image::MIN_RULING_PT / scale) as usize;
    let thick = (super::image::MAX_RULING_PT / scale) as usize;
    let found = gray.rulings(min, thick);
    // The engine reads the page straightened, its background flattened.
    let flat = gray.flattened().without_faint_rulings(&found, min);
    drop(gray);
    std::fs::write(&image, flat.to_pgm())?;
    let tsv = tesseract(&image, "3")?;
    let grid = cells::grid(&found, 1.0 / scale);
    let rulings: Vec<Ruling> = found
        .iter()
        .map(|r| Ruling { x0: r.x0 * scale, y0: r.y0 * scale, x1: r.x1 * scale, y1: r.y1 * scale })
        .collect();
    // A word read in doubt whose box runs on over a column ruling is the engine's line finder
    // taking a row of the grid, or several, for one line: its text is no cell's (`从` boxed
    // over three cells of a row), and a second reading of its box would take in every cell's.
    let mut words: Vec<Word> = words(&String::from_utf8_lossy(&tsv), DPI)
        .into_iter()
        .filter(|w| w.confidence >= cells::DOUBTFUL || !cells::across_columns(w, &rulings))
        .collect();
    // Cells of the ruled grid with ink and no word (or only doubtful ones): their rows read
    // again, each on its own.
    let inset = thick / 2 + 3;
    let mut lost = cells::missed(&flat, &grid, &words, inset, 1.0 / scale);
    if lost.len() > cells::MAX_CELLS {
        lost.clear();
    }
    let mut reread_failed = 0;
    read_cells(&mut words, &flat, &grid, &lost, inset, &rulings, dir, scale, &mut reread_failed)?;
    let words = crate::page::without_ruling_marks(split_at_rulings(words, &rulings), &rulings);
    let words = crate::page::codes_at_rulings(words, &rulings);
    // Header words and labels tesseract garbled into no known name, read again by PP-OCR.
    // And names wrapped over lines inside their cell, read line by line.
    let (words, texts) = match super::ppocr::shared() {
        Some(engine) => {
            let known = crate::knowledge::vocabulary::is_known;
            let read = |crop: &Gray| engine.read_line(&crop.pixels, crop.width, crop.height).ok();
            let (words, mut texts) = super::second::reread_texts(&flat, words, &rulings, scale, known, read);
            let insides: Vec<cells::CellBox> = grid.iter().filter_map(|c| c.inside(inset)).collect();
            let (words, wrapped) = super::wrapped::reread_cells(&flat, words, &insides, scale, known, read);
            texts.extend(wrapped);
            (words, texts)
        }
        None => (words, Vec::new()),
    };
    let figures = super::second::crops(&flat, &words, &rulings, scale);
    Ok(OcrPage { words, rulings, skew, reread: lost.len(), reread_failed, figures, texts })
}

/// Tesseract's TSV of `image` (a page, or a list of images one per line) in page
/// segmentation mode `psm`.
fn tesseract(image: &Path, psm: &str) -> Result<Vec<u8>, OcrError> {
    run(
        "tesseract",
        Command::new("tesseract")
            .arg(image)
            .args(["stdout", "-l", "chi_sim", "--psm", psm, "--dpi", &DPI.to_string(), "tsv"])
            .env("OMP_THREAD_LIMIT", "1"),
    )
}

/// Paper around a cell's crop, pixels.
const CELL_PAD: usize = 16;

/// Words below this confidence in a cell read on its own are left out: an empty cell's
/// speck of noise, read as a character.
const MIN_CELL_CONFIDENCE: f32 = 30.0;

/// Reads the rows of the page image `flat` holding `cells` the page's reading passed over
/// or read with doubt, each cropped on its own as one line of text, in one engine run. A
/// cell's words so read replace those of the page's reading (`words`, points) in it when
/// the engine is surer of them.
#[allow(clippy::too_many_arguments)]
fn read_cells(
    words: &mut Vec<Word>,
    flat: &Gray,
    grid: &[cells::CellBox],
    cells: &[cells::CellBox],
    inset: usize,
    rulings: &[Ruling],
    dir: &Path,
    scale: f32,
    failed: &mut usize,
) -> Result<(), OcrError> {
    if cells.is_empty() {
        return Ok(());
    }
    let bands = cells::bands(grid, cells, inset);
    let mut list = String::new();
    let mut paths = Vec::new();
    for (i, band) in bands.iter().enumerate() {
        let path = dir.join(format!("row-{i}.pgm"));
        std::fs::write(&path, cells::crop(flat, band.area, CELL_PAD).to_pgm())?;
        list.push_str(&path.to_string_lossy());
        list.push('\n');
        paths.push(path);
    }
    let list_path = dir.join("rows.txt");
    std::fs::write(&list_path, list)?;
    // The engine can crash on a crop (tesseract 5 dies of a floating-point exception on
    // some bands of several lines read as one): then each band is read on its own, and a
    // band it fails on keeps the page's reading. A second look never costs the page.
    let lines: Vec<(usize, _)> = match tesseract(&list_path, "7") {
        Ok(tsv) => tsv_lines(&String::from_utf8_lossy(&tsv), 1.0)
            .into_iter()
            .filter_map(|((page, ..), line)| Some(((page as usize).checked_sub(1)?, line)))
            .collect(),
        Err(OcrError::Failed { .. }) => {
            let mut lines = Vec::new();
            for (i, path) in paths.iter().enumerate() {
                let Ok(tsv) = tesseract(path, "7") else {
                    *failed += 1;
                    continue;
                };
                lines.extend(tsv_lines(&String::from_utf8_lossy(&tsv), 1.0).into_iter().map(|(_, line)| (i, line)));
            }
            lines
        }
        Err(e) => return Err(e),
    };
    let (mut add, mut replaced) = (Vec::new(), vec![false; words.len()]);
    let mean = |c: Vec<f32>| c.iter().sum::<f32>() / c.len().max(1) as f32;
    for (i, line) in lines {
        let Some(band) = bands.get(i) else { continue };
        let (x, y) = ((band.area.x0 as f32) - CELL_PAD as f32, (band.area.y0 as f32) - CELL_PAD as f32);
        let read: Vec<Word> = level(vec![line])
            .into_iter()
            .filter(|w| w.confidence >= MIN_CELL_CONFIDENCE)
            .map(|w| Word {
                left: (w.left + x) * scale,
                top: (w.top + y) * scale,
                width: w.width * scale,
                height: w.height * scale,
                ..w
            })
            .collect();
        let inside = |w: &Word, c: &cells::CellBox| {
            let (cx, cy) = ((w.left + w.width / 2.0) / scale, (w.top + w.height / 2.0) / scale);
            cx >= c.x0 as f32 && cx < c.x1 as f32 && cy >= c.y0 as f32 - 2.0 && cy < c.y1 as f32 + 2.0
        };
        let read = split_at_rulings(read, rulings);
        for cell in &band.missed {
            let new: Vec<&Word> = read.iter().filter(|w| inside(w, cell)).collect();
            let old: Vec<usize> = (0..words.len()).filter(|&i| inside(&words[i], cell)).collect();
            let surer = mean(new.iter().map(|w| w.confidence).collect())
                > mean(old.iter().map(|&i| words[i].confidence).collect());
            // The new reading holds as many characters as the words first read surely, or it
            // read less of the cell (`110.46890(` for `1,110.468900`).
            let characters = |w: &mut dyn Iterator<Item = &Word>| {
                w.flat_map(|w| w.text.chars()).filter(|c| c.is_alphanumeric()).count()
            };
            let as_much = characters(&mut new.iter().copied())
                >= characters(&mut old.iter().map(|&i| &words[i]).filter(|w| w.confidence >= cells::DOUBTFUL));
            if !new.is_empty() && surer && as_much {
                tracing::debug!(
                    new = ?new.iter().map(|w| (&w.text, w.left, w.width)).collect::<Vec<_>>(),
                    old = ?old.iter().map(|&i| (&words[i].text, words[i].left, words[i].width)).collect::<Vec<_>>(),
                    "a cell read again"
                );
                old.iter().for_each(|&i| replaced[i] = true);
                add.extend(new.into_iter().cloned());
            }
        }
    }
    let mut replaced = replaced.into_iter();
    words.retain(|_| !replaced.next().unwrap_or(false));
    words.extend(add);
    Ok(())
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
        let ruling = Ruling { x0: 129.0, y0: 0.0, x1: 129.0, y1: 100.0 };
        let texts: Vec<String> = split_at_rulings(vec![word], &[ruling]).into_iter().map(|w| w.text).collect();
        assert_eq!(texts, ["合计", "1.00"]);
    }

    #[test]
    fn a_name_and_the_next_cells_code_are_cut_before_the_code() {
        // By estimated advance the ruling at 65 falls after the code's first digit.
        let word = Word {
            text: "社会保障缴费30110-职工基本医疗保险缴费".into(),
            left: 0.0,
            top: 50.0,
            width: 193.0,
            height: 10.0,
            confidence: 90.0,
        };
        let ruling = Ruling { x0: 65.0, y0: 0.0, x1: 65.0, y1: 100.0 };
        let texts: Vec<String> = split_at_rulings(vec![word], &[ruling]).into_iter().map(|w| w.text).collect();
        assert_eq!(texts, ["社会保障缴费", "30110-职工基本医疗保险缴费"]);
    }

    #[test]
    fn a_codes_digits_across_its_ruling_and_a_ruling_read_before_it_are_the_codes() {
        let word = |text: &str, left: f32, width: f32| Word {
            text: text.into(),
            left,
            top: 50.0,
            width,
            height: 10.0,
            confidence: 90.0,
        };
        let ruling = Ruling { x0: 100.0, y0: 0.0, x1: 100.0, y1: 200.0 };
        let texts = |words: Vec<Word>| -> Vec<String> {
            crate::page::codes_at_rulings(words, &[ruling]).into_iter().map(|w| w.text).collect()
        };
        let words = vec![word("社会保障缴费3", 40.0, 63.0), word("0110-职工基本医疗保险缴费", 103.0, 80.0)];
        assert_eq!(texts(words), ["社会保障缴费", "30110-职工基本医疗保险缴费"]);
        // The digit a word of its own, left of the ruling.
        let words = vec![word("社会保障缴费", 40.0, 55.0), word("3", 95.0, 5.0), word("0110-职工", 101.0, 30.0)];
        assert_eq!(texts(words), ["社会保障缴费", "30110-职工"]);
        let words = vec![word("130207-邮电费", 100.5, 50.0), word(",30202-印刷费", 100.5, 50.0)];
        assert_eq!(texts(words), ["30207-邮电费", "30202-印刷费"]);
        // Codes of a valid length, and words away from a ruling, are left.
        let words = vec![word("110-某项", 100.5, 30.0), word("130207-邮电费", 160.0, 50.0)];
        assert_eq!(texts(words), ["110-某项", "130207-邮电费"]);
        // Unless the digits before it are all a name's end: a name ends in no digit.
        let words = vec![word("公务接待费30", 40.0, 58.0), word("217-公务接待费", 101.0, 40.0)];
        assert_eq!(texts(words), ["公务接待费", "30217-公务接待费"]);
        let words = vec![word("公务接待费", 40.0, 58.0), word("217-公务接待费", 101.0, 40.0)];
        assert_eq!(texts(words), ["公务接待费", "217-公务接待费"]);
    }

    #[test]
    fn two_figures_read_as_one_word_are_cut_between_them() {
        // `44.080000` twice, glued by the engine across the ruling between their cells; by
        // estimated advance the ruling at 150 falls after `44.08000044.`.
        let word = Word {
            text: "44.08000044.080000".into(),
            left: 100.0,
            top: 50.0,
            width: 81.0,
            height: 10.0,
            confidence: 90.0,
        };
        let ruling = Ruling { x0: 152.0, y0: 0.0, x1: 152.0, y1: 100.0 };
        let texts: Vec<String> = split_at_rulings(vec![word], &[ruling]).into_iter().map(|w| w.text).collect();
        assert_eq!(texts, ["44.080000", "44.080000"]);
    }

    #[test]
    fn one_figure_whose_box_overhangs_a_ruling_stays_whole() {
        // `590.715374` boxed from 501 to 548 across the ruling at 535 (a 150 dpi scan): by
        // estimated advance the cut falls after `590.715`, and `374` is no amount.
        let word =
            Word { text: "590.715374".into(), left: 501.0, top: 50.0, width: 47.0, height: 10.0, confidence: 90.0 };
        let ruling = Ruling { x0: 535.0, y0: 0.0, x1: 535.0, y1: 100.0 };
        let texts: Vec<String> = split_at_rulings(vec![word], &[ruling]).into_iter().map(|w| w.text).collect();
        assert_eq!(texts, ["590.715374"]);
    }
}
