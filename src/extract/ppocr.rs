//! The second OCR engine's line recogniser: PP-OCRv4's text-line recognition model
//! (`ch_PP-OCRv4_rec_infer.onnx`, as RapidOCR ships it) run in-process by `rten`, a pure-Rust
//! ONNX runtime, so nothing native is installed for it.
//!
//! Why a second engine (issue "OCR from any producer"): tesseract alone decides every figure
//! of a scan, and where it misreads one the table's identities break with nothing to repair
//! them from. PP-OCR is a different kind of engine (a convolutional line recogniser decoded by
//! CTC) whose mistakes are not tesseract's: where tesseract's figure breaks an identity or is
//! read with low confidence, this engine's reading of the same cell is tried, and the
//! identities decide between the two (`recover::engines`). It reads one line at a time;
//! finding the lines is left to tesseract's word boxes and the page's rulings (`super::second`).
//!
//! Its text is as the model read it, in its dictionary's characters, which hold both ASCII
//! and full-width forms: a lone digit often comes out full-width (`２` for `2`), so a reading
//! is compared with tesseract's as a figure, full-width digits made ASCII (`recover::reading`).
//!
//! The model and its character dictionary are installed into `models/` by `scripts/setup.sh`
//! (or found where `GONGKAI_MODELS` points). Without them [`shared`] is `None` and gongkai
//! runs on tesseract alone.
//!
//! Threads: rten runs a model on a rayon pool of its own, sized to the physical cores (or
//! `RTEN_NUM_THREADS`). gongkai already runs one page per core, so each reading here runs on a
//! one-thread pool belonging to the calling thread: one inference thread per worker, and
//! workers never queue behind each other in a shared pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rten::{Model, ModelOptions, RunOptions, ThreadPool};
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

/// The recognition model's file name, in the models folder.
pub const MODEL_FILE: &str = "ch_PP-OCRv4_rec_infer.onnx";

/// The dictionary's file name: one character a line, line `i` being class `i + 1`.
pub const KEYS_FILE: &str = "ppocr_keys.txt";

/// The height PP-OCRv4 recognition was trained on; crops are scaled to it.
const HEIGHT: usize = 48;

/// The narrowest input, pixels: the network downsamples the width by 8 (a time step per 8
/// pixels), so anything narrower has too few steps to hold a character.
const MIN_WIDTH: usize = 16;

/// The widest input, pixels (about 40 characters at height 48): longer crops are squeezed to
/// it rather than letting one stray crop cost seconds and hundreds of megabytes.
const MAX_WIDTH: usize = 2000;

/// Why the recogniser could not be loaded or could not read a crop.
#[derive(Debug, thiserror::Error)]
pub enum PpocrError {
    /// The model file is missing or is not a model rten can load.
    #[error("PP-OCR model {path}: {source} (scripts/setup.sh installs it)")]
    Model { path: PathBuf, source: rten::LoadError },
    /// The dictionary file is missing or unreadable.
    #[error("PP-OCR dictionary {path}: {source} (scripts/setup.sh installs it)")]
    Dictionary { path: PathBuf, source: std::io::Error },
    /// The dictionary does not go with the model: the model's classes are the blank, one per
    /// dictionary line and the space.
    #[error("PP-OCR dictionary has {characters} characters, the model {classes} classes (expected characters + 2)")]
    Mismatch { characters: usize, classes: usize },
    /// The model's input or output is not the shape of a PP-OCR line recogniser.
    #[error("PP-OCR model: {0}")]
    Shape(String),
    /// The crop has no pixels.
    #[error("empty crop ({width} × {height})")]
    EmptyCrop { width: usize, height: usize },
    /// The crop's pixels are not `width × height`.
    #[error("crop of {width} × {height} has {len} pixels")]
    CropSize { width: usize, height: usize, len: usize },
    /// The model failed to run.
    #[error("PP-OCR inference: {0}")]
    Inference(#[from] rten::RunError),
}

/// PP-OCR's line recogniser: the loaded model and its dictionary.
pub struct Recognizer {
    model: Model,
    /// The characters of classes 1 ..= len (class 0 is CTC's blank, class len + 1 the space).
    characters: Vec<String>,
    /// Whether the model's output is already probabilities (PP-OCRv4 ends in a softmax);
    /// found at load, so a model exported without it is still read right.
    probabilities: bool,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer").field("characters", &self.characters.len()).finish_non_exhaustive()
    }
}

/// Loads the recogniser from `dir` ([`MODEL_FILE`] and [`KEYS_FILE`]), checking that the two
/// go together.
pub fn load(dir: &Path) -> Result<Recognizer, PpocrError> {
    let path = dir.join(MODEL_FILE);
    let model = ModelOptions::with_all_ops().load_file(&path).map_err(|source| PpocrError::Model { path, source })?;
    let path = dir.join(KEYS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|source| PpocrError::Dictionary { path, source })?;
    // One character a line; a line is never trimmed further, as some characters are spaces
    // of other widths.
    let characters: Vec<String> =
        text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()).filter(|l| !l.is_empty()).collect();
    let mut recognizer = Recognizer { model, characters, probabilities: true };
    // The class count is read from a run, as an export may leave the declared shape
    // symbolic; the same run tells whether the output is already probabilities.
    let (classes, scores) = recognizer.run(&[255; HEIGHT * MIN_WIDTH], MIN_WIDTH, HEIGHT)?;
    recognizer.check_classes(classes)?;
    recognizer.probabilities = scores
        .chunks(classes)
        .all(|step| step.iter().all(|&p| (0.0..=1.0).contains(&p)) && (step.iter().sum::<f32>() - 1.0).abs() < 1e-3);
    Ok(recognizer)
}

/// The folder [`shared`] loads from: `GONGKAI_MODELS`, else `models/` in the source tree.
pub fn models_dir() -> PathBuf {
    std::env::var_os("GONGKAI_MODELS")
        .map_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/models")), PathBuf::from)
}

/// Whether the model and its dictionary are in [`models_dir`] (without loading them).
pub fn installed() -> bool {
    let dir = models_dir();
    dir.join(MODEL_FILE).is_file() && dir.join(KEYS_FILE).is_file()
}

/// The process's recogniser, loaded once from [`models_dir`]; `None` when the model is not
/// installed or does not load (gongkai then reads with tesseract alone).
pub fn shared() -> Option<&'static Recognizer> {
    static SHARED: OnceLock<Option<Recognizer>> = OnceLock::new();
    // Loaded on a thread of its own: loading runs the model once on rten's pool, and a
    // thread of another rayon pool (a batch's, a document's pages') waiting for that takes up
    // other work meanwhile — which may want the model being loaded, on the same thread, for
    // ever. A plain thread waiting on another only waits.
    SHARED
        .get_or_init(|| match std::thread::spawn(|| load(&models_dir())).join() {
            Ok(Ok(r)) => Some(r),
            Ok(Err(e)) => {
                tracing::debug!("second OCR engine unavailable: {e}");
                None
            }
            Err(_) => None,
        })
        .as_ref()
}

thread_local! {
    /// This thread's inference pool, one thread: rten's default pool has a thread per
    /// physical core and is shared by every caller, which on top of one worker per page
    /// oversubscribes the cores and makes concurrent readings queue behind each other.
    static POOL: Arc<ThreadPool> = Arc::new(ThreadPool::with_num_threads(1));
}

impl Recognizer {
    /// Reads the one line of text in a greyscale crop (`width × height`, row-major, 0 black,
    /// 255 white): its text and confidence, the mean probability of the characters read,
    /// 0–1 (0 when nothing is read).
    pub fn read_line(&self, gray: &[u8], width: usize, height: usize) -> Result<(String, f32), PpocrError> {
        let (classes, scores) = self.run(gray, width, height)?;
        Ok(decode(&self.characters, self.probabilities, &scores, classes))
    }

    fn check_classes(&self, classes: usize) -> Result<(), PpocrError> {
        if classes == self.characters.len() + 2 {
            Ok(())
        } else {
            Err(PpocrError::Mismatch { characters: self.characters.len(), classes })
        }
    }

    /// The model's scores for a crop: its class count and the time steps' scores in a row.
    fn run(&self, gray: &[u8], width: usize, height: usize) -> Result<(usize, Vec<f32>), PpocrError> {
        let input = input(gray, width, height)?;
        let pool = POOL.with(Arc::clone);
        let output = self.model.run_one(input.into(), Some(RunOptions::default().with_thread_pool(Some(pool))))?;
        let output: NdTensor<f32, 3> = output
            .try_into()
            .map_err(|_| PpocrError::Shape("the output is not a [batch, steps, classes] float tensor".into()))?;
        let [batch, steps, classes] = output.shape();
        if batch != 1 || classes == 0 {
            return Err(PpocrError::Shape(format!(
                "the output is [{batch}, {steps}, {classes}], not one line's scores"
            )));
        }
        Ok((classes, output.to_vec()))
    }
}

/// CTC greedy decoding of a line's scores (`classes` a time step, in a row): the most likely
/// class of each step, runs of one class taken once, the blank (class 0) dropped; class `i`
/// is `characters[i - 1]`, the last class the space. The text and the mean probability of
/// its characters (0 for none). `probabilities` says whether the scores already are; if not
/// they are logits, put through a softmax.
fn decode(characters: &[String], probabilities: bool, scores: &[f32], classes: usize) -> (String, f32) {
    // The characters read and their probabilities.
    let mut chosen: Vec<(&str, f32)> = Vec::new();
    let mut previous = 0;
    for step in scores.chunks(classes) {
        let (best, &score) =
            step.iter().enumerate().fold((0, &f32::NEG_INFINITY), |m, s| if s.1 > m.1 { s } else { m });
        // CTC: a run of one class is one character, and the blank (0) separates runs
        // (so a doubled character is read through a blank between its two runs).
        if best != 0 && best != previous {
            let probability = if probabilities { score } else { softmax_at(step, score) };
            chosen.push((characters.get(best - 1).map_or(" ", String::as_str), probability));
        }
        previous = best;
    }
    // A space is read between words; at either end (the paper around a crop often reads
    // as one) it is no part of the line, nor of its confidence.
    let start = chosen.iter().position(|c| c.0 != " ").unwrap_or(chosen.len());
    let end = chosen.iter().rposition(|c| c.0 != " ").map_or(start, |i| i + 1);
    let chosen = &chosen[start..end];
    let text = chosen.iter().map(|c| c.0).collect();
    let confidence =
        if chosen.is_empty() { 0.0 } else { chosen.iter().map(|c| c.1).sum::<f32>() / chosen.len() as f32 };
    (text, confidence)
}

/// The probability of the class scored `score` among `step`'s raw scores (logits).
fn softmax_at(step: &[f32], score: f32) -> f32 {
    // Shifted by the largest score (`score`, the arg-max), so no exponential overflows.
    1.0 / step.iter().map(|&s| (s - score).exp()).sum::<f32>()
}

/// PP-OCR's recognition input for a crop: scaled (bilinear) to [`HEIGHT`] keeping its aspect
/// ratio, grey repeated in three channels, each value `(v / 255 − 0.5) / 0.5`, as
/// `[1, 3, HEIGHT, W]`. A crop narrower than [`MIN_WIDTH`] once scaled is padded with white
/// on the right rather than stretched.
fn input(gray: &[u8], width: usize, height: usize) -> Result<NdTensor<f32, 4>, PpocrError> {
    if width == 0 || height == 0 {
        return Err(PpocrError::EmptyCrop { width, height });
    }
    if width.checked_mul(height) != Some(gray.len()) {
        return Err(PpocrError::CropSize { width, height, len: gray.len() });
    }
    let scaled = (HEIGHT * width).div_ceil(height).clamp(1, MAX_WIDTH);
    let canvas = scaled.max(MIN_WIDTH);
    let mut plane = vec![1.0f32; HEIGHT * canvas];
    // Pixel centres map as OpenCV's `resize` maps them (PaddleOCR's preprocessing).
    let (fx, fy) = (width as f32 / scaled as f32, height as f32 / HEIGHT as f32);
    let sample = |x: usize, y: usize| f32::from(gray[y * width + x]);
    for oy in 0..HEIGHT {
        let (y0, y1, ty) = source(oy, fy, height);
        for ox in 0..scaled {
            let (x0, x1, tx) = source(ox, fx, width);
            let top = sample(x0, y0) + (sample(x1, y0) - sample(x0, y0)) * tx;
            let bottom = sample(x0, y1) + (sample(x1, y1) - sample(x0, y1)) * tx;
            let v = top + (bottom - top) * ty;
            plane[oy * canvas + ox] = (v / 255.0 - 0.5) / 0.5;
        }
    }
    let mut data = Vec::with_capacity(3 * plane.len());
    for _ in 0..3 {
        data.extend_from_slice(&plane);
    }
    Ok(NdTensor::from_data([1, 3, HEIGHT, canvas], data))
}

/// The two source pixels output pixel `o` lies between (scale `f` source pixels per output
/// pixel, `len` source pixels) and the weight of the second.
fn source(o: usize, f: f32, len: usize) -> (usize, usize, f32) {
    let s = ((o as f32 + 0.5) * f - 0.5).clamp(0.0, (len - 1) as f32);
    let i = s.floor() as usize;
    (i, (i + 1).min(len - 1), s - i as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::cells::{CellBox, crop};
    use crate::extract::image::Gray;
    use std::process::Command;

    /// The real model, from `models/`: a missing model fails the test (setup installs it).
    fn recognizer() -> &'static Recognizer {
        static R: OnceLock<Recognizer> = OnceLock::new();
        R.get_or_init(|| {
            let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/models"));
            load(dir).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// Page `n` of the scanned sample at 300 dpi in grey, as OCR renders it (`super::ocr`),
    /// its background flattened as tesseract and the second engine get it (not deskewed, so
    /// the boxes below stay where they were measured).
    fn scan_page(n: u32) -> Gray {
        let dir = tempfile::tempdir().unwrap();
        let prefix = dir.path().join("page");
        let pdf = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/scan/qinglong-2023-budget-scan-200dpi.pdf");
        let status = Command::new("pdftoppm")
            .args(["-r", "300", "-gray", "-singlefile", "-f", &n.to_string(), "-l", &n.to_string(), pdf])
            .arg(&prefix)
            .status()
            .expect("pdftoppm (scripts/setup.sh installs poppler-utils)");
        assert!(status.success());
        Gray::from_pgm(&std::fs::read(prefix.with_extension("pgm")).unwrap()).unwrap().flattened()
    }

    fn read(page: &Gray, x0: usize, y0: usize, x1: usize, y1: usize) -> (String, f32) {
        let c = crop(page, CellBox { x0, y0, x1, y1 }, 0);
        recognizer().read_line(&c.pixels, c.width, c.height).unwrap()
    }

    #[test]
    fn the_dictionary_goes_with_the_model() {
        let r = recognizer();
        assert_eq!(r.characters.len(), 6623);
        assert!(r.probabilities, "PP-OCRv4 ends in a softmax");
    }

    #[test]
    fn reads_figures_and_labels_of_a_scanned_table() {
        // Boxes measured on the 300 dpi rendering (tesseract --psm 3 word boxes, with paper
        // around them, stopping short of the cells' rulings).
        let one = scan_page(1);
        // Tesseract read this one as `198.30|`: the cell's ruling is close on the right.
        assert_eq!(read(&one, 1640, 870, 1772, 922).0, "198.30");
        let two = scan_page(2);
        // Tesseract's confidence in this figure was 41.
        assert_eq!(read(&two, 1640, 1552, 1782, 1604).0, "707.31");
        assert_eq!(read(&two, 1850, 1548, 2110, 1610).0, "本年支出合计");
    }

    #[test]
    fn a_missing_model_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(load(dir.path()), Err(PpocrError::Model { .. })));
    }

    #[test]
    fn a_blank_crop_reads_as_nothing() {
        let (text, confidence) = recognizer().read_line(&[255; 40 * 120], 120, 40).unwrap();
        assert_eq!((text.as_str(), confidence), ("", 0.0));
    }

    #[test]
    fn ctc_decoding_takes_runs_once_drops_blanks_and_edge_spaces() {
        // Classes: blank, `a`, `b`, space.
        let characters = ["a".to_string(), "b".to_string()];
        let steps = [3, 1, 1, 0, 1, 3, 2, 2, 3, 0];
        let scores = |high: f32, low: f32| -> Vec<f32> {
            steps.iter().flat_map(|&c| (0..4).map(move |i| if i == c { high } else { low })).collect()
        };
        let (text, confidence) = decode(&characters, true, &scores(0.7, 0.1), 4);
        assert_eq!(text, "aa b");
        assert!((confidence - 0.7).abs() < 1e-6);
        // Logits: the same reading, the probabilities through a softmax.
        let (text, confidence) = decode(&characters, false, &scores(2.0, 0.0), 4);
        assert_eq!(text, "aa b");
        let p = 2f32.exp() / (2f32.exp() + 3.0);
        assert!((confidence - p).abs() < 1e-6, "{confidence} {p}");
        assert_eq!(decode(&characters, true, &scores(0.0, 0.0)[..4], 4), (String::new(), 0.0));
    }

    #[test]
    fn an_empty_or_missized_crop_is_an_error() {
        assert!(matches!(input(&[], 0, 10), Err(PpocrError::EmptyCrop { .. })));
        assert!(matches!(input(&[255; 10], 4, 4), Err(PpocrError::CropSize { .. })));
    }

    #[test]
    fn the_input_is_scaled_to_the_models_height_and_normalised() {
        // 10 × 20, black on the left half: 24 wide at height 48.
        let mut gray = vec![255u8; 200];
        for row in gray.chunks_mut(10) {
            row[..5].fill(0);
        }
        let t = input(&gray, 10, 20).unwrap();
        assert_eq!(t.shape(), [1, 3, 48, 24]);
        assert_eq!(t[[0, 0, 0, 0]], -1.0);
        assert_eq!(t[[0, 2, 47, 23]], 1.0);
        // A narrow crop is padded with white, not stretched.
        let t = input(&[0; 4 * 48], 4, 48).unwrap();
        assert_eq!(t.shape(), [1, 3, 48, 16]);
        assert_eq!((t[[0, 1, 10, 3]], t[[0, 1, 10, 4]]), (-1.0, 1.0));
    }

    /// Time per figure crop, one worker and two at once (each on its own inference thread):
    /// `cargo test --release --lib ppocr::tests::timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn timing() {
        let one = scan_page(1);
        let c = crop(&one, CellBox { x0: 1640, y0: 870, x1: 1772, y1: 922 }, 0);
        let r = recognizer();
        let n = 50;
        let work = || {
            for _ in 0..n {
                r.read_line(&c.pixels, c.width, c.height).unwrap();
            }
        };
        work();
        let start = std::time::Instant::now();
        work();
        let alone = start.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
        let start = std::time::Instant::now();
        std::thread::scope(|s| {
            s.spawn(work);
            s.spawn(work);
        });
        let two = start.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
        eprintln!(
            "{} × {} crop: {alone:.1} ms a crop alone, {two:.1} ms a crop each with two workers",
            c.width, c.height
        );
    }
}
