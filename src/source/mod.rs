//! Stage 1, `source`: a path → an [`Input`] (its bytes decoded, its SHA-256, its format).
//!
//! The only stage that can fail a document: an unreadable, empty, binary, oversized,
//! encrypted or damaged input is a [`SourceError`], which the pipeline turns into a failed
//! document with the reason as a finding. For a PDF it opens the file through the engine
//! adapter ([`pdf`]), since that is where a PDF proves unreadable; it never
//! interprets content.

pub mod aligned_text;
mod line_measure;
pub mod ocr_json;
pub mod ocr_output;
pub mod pdf;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Inputs larger than this are refused rather than read into memory (OCR text of even a
/// 500-page disclosure is a few MiB; a scanned PDF of one is tens of MiB).
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// What kind of file an input is, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OCR text (`.txt`): tab-separated cells, one table row per line, or columns aligned
    /// with spaces (told apart by the content).
    OcrText,
    /// A PDF (`.pdf`).
    Pdf,
    /// Another tool's OCR output with word boxes: tesseract TSV (`.tsv`).
    Tsv,
    /// Another tool's OCR output with word boxes: hOCR (`.hocr`).
    Hocr,
    /// A PP-OCR engine's output with line boxes: PaddleOCR or RapidOCR JSON (`.json`).
    OcrJson,
}

impl Format {
    /// The format an extension names, if gongkai reads it.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(Format::OcrText),
            "pdf" => Some(Format::Pdf),
            "tsv" => Some(Format::Tsv),
            "hocr" => Some(Format::Hocr),
            "json" => Some(Format::OcrJson),
            _ => None,
        }
    }
}

/// A read input, ready for extraction.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    pub sha256: String,
    pub content: Content,
}

/// What was read.
#[derive(Debug, Clone)]
pub enum Content {
    /// Decoded OCR text.
    Text(String),
    /// The pages of a PDF, as the engine adapter read them.
    Pdf(Vec<crate::page::Page>),
    /// Pages of OCR words with boxes (TSV, hOCR or PP-OCR JSON from another tool).
    Words(Vec<crate::page::Page>),
    /// OCR text aligned with spaces: its lines of cells, each cell with the columns it spans
    /// ([`aligned_text`]), and how a column was counted.
    AlignedText(Vec<crate::page::Line>, aligned_text::Columns),
}

/// Why an input could not be read. Each is a failed document, never a stopped batch.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The file has no content at all (or only white space).
    #[error("{path} is empty")]
    Empty { path: String },
    /// The bytes are not UTF-8 text (a binary file named `.txt`).
    #[error("{path} is not UTF-8 text (byte {offset} is not valid UTF-8 or is a NUL): not OCR text")]
    NotText { path: String, offset: usize },
    /// The file is larger than [`MAX_INPUT_BYTES`].
    #[error("{path} is {bytes} bytes, over the {limit}-byte input limit")]
    TooLarge { path: String, bytes: u64, limit: u64 },
    /// The PDF could not be opened (encrypted, damaged, no pages, too many pages).
    #[error("{path}: {source}")]
    Pdf {
        path: String,
        #[source]
        source: pdf::PdfError,
    },
    /// A `.tsv`, `.hocr` or `.json` file that is not tesseract TSV, hOCR or PP-OCR JSON.
    #[error("{path}: {reason}")]
    NotOcrOutput { path: String, reason: String },
    /// The extension is not one gongkai reads.
    #[error("{path}: unsupported file type (expected .pdf, .txt, .tsv, .hocr or .json)")]
    Unsupported { path: String },
}

/// What could be learned about an input even when it failed: the hash, for the report.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    pub sha256: String,
}

/// Reads and decodes one input. On failure also returns whatever was learned (the hash).
pub fn read(path: &Path) -> Result<Input, (SourceError, Partial)> {
    let shown = path.display().to_string();
    let fail = |e: SourceError, sha256: String| Err((e, Partial { sha256 }));
    let Some(format) = Format::of(path) else {
        return fail(SourceError::Unsupported { path: shown }, String::new());
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(source) => {
            return fail(SourceError::Io { path: shown, source }, String::new());
        }
    };
    if meta.len() > MAX_INPUT_BYTES {
        return fail(SourceError::TooLarge { path: shown, bytes: meta.len(), limit: MAX_INPUT_BYTES }, String::new());
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(source) => {
            return fail(SourceError::Io { path: shown, source }, String::new());
        }
    };
    let sha256 = hex(&Sha256::digest(&bytes));
    if bytes.is_empty() {
        return fail(SourceError::Empty { path: shown }, sha256);
    }
    if format == Format::Pdf {
        return match pdf::pages(bytes) {
            Ok(pages) => Ok(Input { path: path.to_path_buf(), sha256, content: Content::Pdf(pages) }),
            Err(source) => fail(SourceError::Pdf { path: shown, source }, sha256),
        };
    }
    let text = match decode(&bytes) {
        Ok(t) => t,
        Err(offset) => return fail(SourceError::NotText { path: shown, offset }, sha256),
    };
    if text.trim().is_empty() {
        return fail(SourceError::Empty { path: shown }, sha256);
    }
    let content = match format {
        Format::Tsv => ocr_output::tsv(&text).map(Content::Words),
        Format::Hocr => ocr_output::hocr(&text).map(Content::Words),
        Format::OcrJson => ocr_json::json(&text).map(Content::Words),
        _ if aligned_text::is_aligned(&text) => {
            let columns = aligned_text::columns_of(&text);
            Ok(Content::AlignedText(aligned_text::lines(&text, columns), columns))
        }
        _ => Ok(Content::Text(text)),
    };
    match content {
        Ok(content) => Ok(Input { path: path.to_path_buf(), sha256, content }),
        Err(reason) => fail(SourceError::NotOcrOutput { path: shown, reason }, sha256),
    }
}

/// UTF-8 (with or without BOM) and no NUL bytes; the error is the offending offset.
fn decode(bytes: &[u8]) -> Result<String, usize> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(nul);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.replace("\r\n", "\n")),
        Err(e) => Err(e.valid_up_to()),
    }
}

/// The SHA-256 of a file, read in a stream (the batch checks hashes without loading inputs).
pub fn sha256_of(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Some(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_is_not_text() {
        assert_eq!(decode(b"ab\x00cd"), Err(2));
        assert_eq!(decode(b"\xff\xfe"), Err(0));
        assert_eq!(decode("\u{feff}部门".as_bytes()).as_deref(), Ok("部门"));
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.TXT")), Some(Format::OcrText));
        assert_eq!(Format::of(Path::new("a/b.pdf")), Some(Format::Pdf));
        assert_eq!(Format::of(Path::new("a/b.docx")), None);
    }
}
