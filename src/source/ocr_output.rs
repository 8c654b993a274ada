//! Reading the OCR output of other tools — tesseract TSV (`.tsv`) and hOCR (`.hocr`) — into
//! the page model, so an archive someone already OCR'd converts without OCR'ing it again,
//! through the same layout as a PDF. Words keep their boxes and confidences; the words of
//! one engine line share its baseline.
//!
//! Both formats give boxes in pixels of an image whose resolution they do not say; the
//! page is taken to be A4 (595 points across, or 842 when landscape), which is what
//! disclosures are printed on and all layout needs (its thresholds are relative to the
//! text size).

use std::sync::LazyLock;

use crate::pattern::Regex;

use crate::model::TextSource;
use crate::page::{Page, Word, level, split_at_rulings};

/// The resolution assumed for a page whose size is not given.
const ASSUMED_DPI: u32 = 300;

/// Points per pixel for a page `width` × `height` pixels, taken to be A4.
pub(super) fn scale(width: f32, height: f32) -> f32 {
    let points = if width > height { 842.0 } else { 595.0 };
    if width > 0.0 { points / width } else { 72.0 / ASSUMED_DPI as f32 }
}

pub(super) fn page(number: u32, width: f32, height: f32, scale: f32, words: Vec<Word>) -> Page {
    let words = split_at_rulings(words, &[]);
    Page {
        number,
        width: width * scale,
        height: height * scale,
        glyphs: words.iter().map(Word::glyph).collect(),
        source: TextSource::OcrText,
        ..Page::default()
    }
}

/// Pages of tesseract TSV; `Err` says why the text is not TSV.
pub fn tsv(text: &str) -> Result<Vec<Page>, String> {
    let header = text.lines().next().unwrap_or("");
    if !header.starts_with("level\tpage_num\tblock_num") {
        return Err("not tesseract TSV (no `level page_num block_num …` header)".to_string());
    }
    // Level-1 rows give each page's size in pixels.
    let mut sizes: Vec<(u32, f32, f32)> = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() >= 10 && f[0] == "1" {
            let n = |i: usize| f[i].trim().parse::<f32>().unwrap_or(0.0);
            sizes.push((f[1].trim().parse().unwrap_or(0), n(8), n(9)));
        }
    }
    let mut pages = Vec::new();
    for (number, width, height) in sizes {
        let scale = scale(width, height);
        let lines = tsv_lines(text, scale).into_iter().filter(|(k, _)| k.0 == number).map(|(_, w)| w).collect();
        pages.push(page(number, width, height, scale, level(straightened(lines))));
    }
    if pages.is_empty() {
        return Err("tesseract TSV without a page (no level-1 row)".to_string());
    }
    Ok(pages)
}

static BBOX: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"bbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)").expect("hOCR bbox"));
static CONFIDENCE: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"x_wconf (\d+(?:\.\d+)?)").expect("hOCR x_wconf"));

/// What an hOCR element is, by its class.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Element {
    Page,
    /// A line, or another text block whose words share a baseline.
    Line,
    Word,
    Other,
}

/// Pages of hOCR (XHTML, read with an XML parser); `Err` says why the text is not hOCR.
pub fn hocr(text: &str) -> Result<Vec<Page>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut pages: Vec<(f32, f32, Vec<Vec<Word>>)> = Vec::new();
    // The open elements; the word being read, with its box and confidence.
    let mut open: Vec<Element> = Vec::new();
    let mut word: Option<(String, [f32; 4], f32)> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not hOCR: not well-formed at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                let (mut class, mut title) = (String::new(), String::new());
                for a in e.html_attributes().flatten() {
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(std::borrow::Cow::into_owned)
                        .unwrap_or_default();
                    match a.key.as_ref() {
                        "class" => class = value,
                        "title" => title = value,
                        _ => {}
                    }
                }
                let bbox = BBOX.captures(&title).map(|b| {
                    let n = |i: usize| b[i].parse::<f32>().unwrap_or(0.0);
                    [n(1), n(2), n(3), n(4)]
                });
                let element = match (class.as_str(), bbox) {
                    ("ocr_page", Some([x0, y0, x1, y1])) => {
                        pages.push((x1 - x0, y1 - y0, Vec::new()));
                        Element::Page
                    }
                    ("ocr_line" | "ocr_textfloat" | "ocr_header" | "ocr_caption", Some(_)) => {
                        if let Some((_, _, lines)) = pages.last_mut() {
                            lines.push(Vec::new());
                        }
                        Element::Line
                    }
                    ("ocrx_word", Some(bbox)) => {
                        let confidence = CONFIDENCE.captures(&title).and_then(|c| c[1].parse().ok()).unwrap_or(0.0);
                        word = Some((String::new(), bbox, confidence));
                        Element::Word
                    }
                    _ => Element::Other,
                };
                open.push(element);
            }
            Event::Text(t) => {
                if let Some((w, _, _)) = word.as_mut() {
                    w.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((w, _, _)) = word.as_mut() {
                    // `&amp;`, `&#39;`, and HTML's named entities (`&nbsp;`): hOCR is HTML.
                    let reference = format!("&{};", r.xml10_content());
                    let html = quick_xml::escape::resolve_html5_entity;
                    w.push_str(&quick_xml::escape::unescape_with(&reference, html).unwrap_or_default());
                }
            }
            Event::End(_) => {
                if open.pop() == Some(Element::Word)
                    && let Some((w, [x0, y0, x1, y1], confidence)) = word.take()
                    && let Some((width, height, lines)) = pages.last_mut()
                    && !w.trim().is_empty()
                {
                    let scale = scale(*width, *height);
                    if lines.is_empty() {
                        lines.push(Vec::new());
                    }
                    lines.last_mut().expect("a line").push(Word {
                        text: w.trim().to_string(),
                        left: x0 * scale,
                        top: y0 * scale,
                        width: (x1 - x0) * scale,
                        height: (y1 - y0) * scale,
                        confidence,
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if pages.is_empty() {
        return Err("not hOCR (no element of class ocr_page)".to_string());
    }
    Ok(pages
        .into_iter()
        .enumerate()
        .map(|(i, (width, height, lines))| {
            let scale = scale(width, height);
            let lines = lines.into_iter().filter(|l| !l.is_empty()).collect();
            page(u32::try_from(i + 1).unwrap_or(u32::MAX), width, height, scale, level(straightened(lines)))
        })
        .collect())
}

/// The page's lines turned back by its skew. A scan is rarely square to its scanner, and
/// an engine reads it as it lies: its lines follow the tilt, but the word boxes it gives are
/// upright in the tilted image, so a column's cells drift sideways down the page (by 2° some
/// 20 points over a table's height) and layout would set them under the next column. The
/// skew is the median slope of the lines' words (first word's centre to last's) over lines
/// whose words reach across four times their height or more; each word is turned back by it, its size kept.
pub(super) fn straightened(lines: Vec<Vec<Word>>) -> Vec<Vec<Word>> {
    let centre = |w: &Word| (w.left + w.width / 2.0, w.top + w.height / 2.0);
    let mut slopes: Vec<f32> = lines
        .iter()
        .filter_map(|words| {
            let (first, last) = (words.first()?, words.last()?);
            let ((x0, y0), (x1, y1)) = (centre(first), centre(last));
            let height = first.height.max(last.height);
            (x1 - x0 >= 4.0 * height && height > 0.0).then(|| (y1 - y0) / (x1 - x0))
        })
        .collect();
    slopes.sort_by(f32::total_cmp);
    let slope = slopes.get(slopes.len() / 2).copied().unwrap_or(0.0);
    if slope == 0.0 {
        return lines;
    }
    // About the middle of the text, so no word is turned off the page.
    let count = lines.iter().map(Vec::len).sum::<usize>().max(1) as f32;
    let (mx, my) = lines.iter().flatten().map(centre).fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let upright = turned_back(slope, (mx / count, my / count));
    lines
        .into_iter()
        .map(|words| {
            words
                .into_iter()
                .map(|w| {
                    let (x, y) = upright(centre(&w));
                    Word { left: x - w.width / 2.0, top: y - w.height / 2.0, ..w }
                })
                .collect()
        })
        .collect()
}

/// A point of a page tilted by `slope` turned back upright about `pivot`.
pub(super) fn turned_back(slope: f32, pivot: (f32, f32)) -> impl Fn((f32, f32)) -> (f32, f32) {
    let norm = (1.0 + slope * slope).sqrt();
    let (cos, sin) = (1.0 / norm, slope / norm);
    move |(x, y)| {
        let (dx, dy) = (x - pivot.0, y - pivot.1);
        (pivot.0 + dx * cos + dy * sin, pivot.1 + dy * cos - dx * sin)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_pages_and_words() {
        let text = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                    1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
                    5\t1\t1\t1\t1\t1\t300\t600\t150\t50\t96.5\t509.01|\n";
        let pages = tsv(text).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].glyphs[0].text.as_deref(), Some("509.01"), "the bar split off");
        assert!((pages[0].width - 595.0).abs() < 0.01);
        assert!(tsv("a\tb\n").is_err());
    }

    #[test]
    fn a_skewed_pages_columns_are_upright_again() {
        // Two rows of a table tilted by 2° (the engine's lines follow the tilt, its boxes are
        // upright): the second row's figure sits 2° × 400 px right of the first's.
        let tilt = 2f32.to_radians().tan();
        let word = |text: &str, x: f32, y: f32| Word {
            text: text.into(),
            left: x + y * tilt,
            top: y - x * tilt,
            width: 60.0,
            height: 20.0,
            confidence: 90.0,
        };
        let rows = vec![
            vec![word("201", 100.0, 100.0), word("一般公共服务支出", 200.0, 100.0), word("509.01", 900.0, 100.0)],
            vec![word("20101", 100.0, 500.0), word("人大事务", 200.0, 500.0), word("9.01", 900.0, 500.0)],
        ];
        let drift = |rows: &[Vec<Word>]| rows[1][2].left - rows[0][2].left;
        assert!(drift(&rows) > 13.0, "tilted, a column drifts right down the page");
        let upright = straightened(rows);
        assert!(drift(&upright).abs() < 0.5, "{}", drift(&upright));
        assert!((upright[0][2].top - upright[0][0].top).abs() < 0.5, "a row is level again");
    }

    #[test]
    fn hocr_pages_and_words() {
        let text = r#"<div class='ocr_page' id='page_1' title='image "/tmp/p.png"; bbox 0 0 2480 3508; ppageno 0'>
            <span class='ocr_line' id='line_1_1' title="bbox 300 600 700 650; baseline 0 -5">
            <span class='ocrx_word' id='word_1_1' title='bbox 300 600 450 650; x_wconf 91'>合计</span>
            <span class='ocrx_word' id='word_1_2' title='bbox 500 602 700 650; x_wconf 88'><strong>1&amp;2&quot;</strong></span>
            </span></div>"#;
        let pages = hocr(text).unwrap();
        let texts: Vec<_> = pages[0].glyphs.iter().map(|g| g.text.clone().unwrap().to_string()).collect();
        // HTML as other producers write it: unquoted attributes, a void element, `&nbsp;`.
        let html = "<html><head><meta charset=utf-8></head><body><div class=ocr_page title='bbox 0 0 2480 3508'>\
            <span class=ocr_line title='bbox 1 1 9 9'><span class=ocrx_word title='bbox 300 600 450 650; x_wconf 90'>\
            合&nbsp;计</span></span></div></body></html>";
        let words: Vec<_> = hocr(html).unwrap()[0].glyphs.iter().map(|g| g.text.clone().unwrap().to_string()).collect();
        assert_eq!(words, ["合\u{a0}计"]);
        assert_eq!(texts, ["合计", "1&2\""]);
        assert_eq!(pages[0].glyphs[0].y, pages[0].glyphs[1].y, "one line, one baseline");
        assert_eq!(pages[0].glyphs[1].confidence, Some(88.0));
        assert!(hocr("<html></html>").is_err());
    }
}
