//! Names printed on two or three lines inside one cell of a ruled grid (`日常公用支` / `出`,
//! `对附属单` / `位补助支` / `出`), which tesseract's page reading garbles or leaves out: a
//! header cell narrower than its name. Neither engine reads such a cell as one line (its row
//! read again, `cells`, or a run of words, `second::reread_texts`), so each text line of the
//! cell is cut out on its own and read by PP-OCR, and the lines joined replace the cell's
//! words where every line is read surely and together they are a name gongkai knows. A cell
//! holding a figure is never touched; its figures are the second engine's in `recover`.

use super::cells::CellBox;
use super::image::Gray;
use super::second::{SECOND_SURE, TEXT_DOUBT, TextReread};
use crate::page::Word;

/// The most text lines a wrapped name fills in its cell.
const MAX_LINES: usize = 3;

/// Paper around a line's crop, pixels (PP-OCR reads a line cut close less well).
const PAD: usize = 8;

/// Rows of pixels without ink that still belong to the line above (a character's own gaps).
const LINE_GAP: usize = 2;

/// `words` (points; `scale` points per pixel of `image`) with the words of each cell of
/// `grid` (insides, pixels) that holds a wrapped name replaced by one word, the name read
/// line by line by `read`; and those cells' readings.
pub fn reread_cells(
    image: &Gray,
    words: Vec<Word>,
    grid: &[CellBox],
    scale: f32,
    known: impl Fn(&str) -> bool,
    read: impl Fn(&Gray) -> Option<(String, f32)>,
) -> (Vec<Word>, Vec<TextReread>) {
    let mut dropped = vec![false; words.len()];
    let mut added = Vec::new();
    let mut rereads = Vec::new();
    for cell in grid {
        let inside = |w: &Word| {
            let (cx, cy) = ((w.left + w.width / 2.0) / scale, (w.top + w.height / 2.0) / scale);
            cx >= cell.x0 as f32 && cx < cell.x1 as f32 && cy >= cell.y0 as f32 && cy < cell.y1 as f32
        };
        let old: Vec<usize> = (0..words.len()).filter(|&i| inside(&words[i])).collect();
        // A figure's cell (not a speck of noise read in doubt as one digit, `9` over a wrapped
        // header name).
        let figure = |w: &Word| {
            let digits = w.text.chars().filter(char::is_ascii_digit).count();
            digits >= 2 || (digits == 1 && w.confidence >= TEXT_DOUBT)
        };
        if old.iter().any(|&i| figure(&words[i])) {
            continue;
        }
        let first: String = old.iter().map(|&i| words[i].text.as_str()).collect();
        let first_confidence = old.iter().map(|&i| words[i].confidence).fold(100.0, f32::min);
        let lines = text_lines(image, *cell);
        // A name on one line is the page reading's and the other rules' (a cell read alone
        // as one line gives it); several lines are what they miss.
        if lines.len() < 2 || lines.len() > MAX_LINES {
            continue;
        }
        // Read in doubt, or a line of the cell's ink without a word (`用` of 因公出国(境)费用
        // read, its first line left out).
        let unread = |line: &CellBox| {
            !old.iter().any(|&i| {
                let middle = (words[i].top + words[i].height / 2.0) / scale;
                middle >= line.y0 as f32 && middle < line.y1 as f32
            })
        };
        // A known name as read is the cell's, unless a line of its ink was left out
        // (`一般公共预算` of 一般公共预算资金, `资金` on the line below not read).
        let left_out = lines.iter().any(unread);
        if !old.is_empty() && (known(&first) || first_confidence >= TEXT_DOUBT) && !left_out {
            continue;
        }
        // Every line read, or the cell is left as it is (a part of a name may be a name).
        let Some(read_lines) =
            lines.iter().map(|l| read(&super::cells::crop(image, *l, PAD))).collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let confidence = read_lines.iter().map(|(_, c)| c * 100.0).fold(100.0, f32::min);
        let joined: String = read_lines.iter().map(|(t, _)| t.trim()).collect();
        let text = super::second::without_stray_marks(&joined).to_string();
        if confidence < SECOND_SURE || text == first || !known(&text) {
            continue;
        }
        for &i in &old {
            dropped[i] = true;
        }
        // One word across the lines' ink, as high as one line and centred on them: on the
        // baseline of a one-line name centred in the cell beside it.
        let (x0, x1) =
            (lines.iter().map(|l| l.x0).min().unwrap_or(cell.x0), lines.iter().map(|l| l.x1).max().unwrap_or(cell.x1));
        let (y0, y1) = (lines[0].y0, lines[lines.len() - 1].y1);
        let height = lines.iter().map(|l| l.y1 - l.y0).max().unwrap_or(1) as f32;
        let middle = (y0 + y1) as f32 / 2.0;
        added.push(Word {
            text: text.clone(),
            left: x0 as f32 * scale,
            top: (middle - height / 2.0) * scale,
            width: (x1 - x0) as f32 * scale,
            height: height * scale,
            confidence,
        });
        tracing::debug!(first, second = text, ?cell, "a wrapped name read line by line");
        rereads.push(TextReread {
            first,
            first_confidence: if old.is_empty() { 0.0 } else { first_confidence },
            second: text,
            second_confidence: confidence,
        });
    }
    let mut dropped = dropped.into_iter();
    let mut words: Vec<Word> = words.into_iter().filter(|_| !dropped.next().unwrap_or(false)).collect();
    words.extend(added);
    (words, rereads)
}

/// The lines of ink in `cell` (pixels), top to bottom, each cut to its ink: rows with ink
/// apart by more than [`LINE_GAP`] blank rows are lines of their own; a line lower than a
/// third of the tallest is a speck or a ruling's edge, not text.
fn text_lines(image: &Gray, cell: CellBox) -> Vec<CellBox> {
    if cell.x1 > image.width || cell.y1 > image.height || cell.x1 <= cell.x0 {
        return Vec::new();
    }
    let ink = |y: usize| {
        image.pixels[y * image.width + cell.x0..y * image.width + cell.x1].iter().any(|&p| p < super::image::INK)
    };
    let mut bands: Vec<(usize, usize)> = Vec::new();
    for y in cell.y0..cell.y1 {
        if !ink(y) {
            continue;
        }
        match bands.last_mut() {
            Some((_, end)) if y <= *end + LINE_GAP => *end = y + 1,
            _ => bands.push((y, y + 1)),
        }
    }
    let tallest = bands.iter().map(|(a, b)| b - a).max().unwrap_or(0);
    bands
        .into_iter()
        .filter(|(a, b)| (b - a) * 3 >= tallest)
        .filter_map(|(y0, y1)| {
            let columns =
                (cell.x0..cell.x1).filter(|&x| (y0..y1).any(|y| image.pixels[y * image.width + x] < super::image::INK));
            let (mut x0, mut x1) = (usize::MAX, 0);
            for x in columns {
                x0 = x0.min(x);
                x1 = x1.max(x + 1);
            }
            (x1 > x0).then_some(CellBox { x0, y0, x1, y1 })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white image `w`×`h` with black boxes.
    fn image(w: usize, h: usize, boxes: &[CellBox]) -> Gray {
        let mut pixels = vec![255u8; w * h];
        for b in boxes {
            for y in b.y0..b.y1 {
                for x in b.x0..b.x1 {
                    pixels[y * w + x] = 0;
                }
            }
        }
        Gray { width: w, height: h, pixels }
    }

    fn word(text: &str, left: f32, top: f32, confidence: f32) -> Word {
        Word { text: text.into(), left, top, width: 10.0, height: 10.0, confidence }
    }

    const CELL: CellBox = CellBox { x0: 0, y0: 0, x1: 100, y1: 100 };
    const TWO_LINES: [CellBox; 2] =
        [CellBox { x0: 10, y0: 20, x1: 90, y1: 40 }, CellBox { x0: 40, y0: 50, x1: 60, y1: 70 }];

    #[test]
    fn a_name_wrapped_in_its_cell_is_read_line_by_line_and_joined() {
        let page = image(100, 100, &TWO_LINES);
        // The lines come to the reader top to bottom: the wider first.
        let read = |g: &Gray| Some((if g.width > 50 { "日常公用支" } else { "出" }.to_string(), 0.99));
        let (words, rereads) =
            reread_cells(&page, vec![word("贡", 30.0, 30.0, 0.0)], &[CELL], 1.0, |t| t == "日常公用支出", read);
        assert_eq!(words.len(), 1);
        assert_eq!(words[0].text, "日常公用支出");
        assert_eq!((words[0].left, words[0].width), (10.0, 80.0));
        assert_eq!(rereads[0].first, "贡");
        assert_eq!(rereads[0].second, "日常公用支出");
    }

    #[test]
    fn a_cell_is_left_as_read_unless_the_lines_make_a_known_name_read_surely() {
        let page = image(100, 100, &TWO_LINES);
        let unsure = |_: &Gray| Some(("出".to_string(), 0.5));
        let (words, rereads) = reread_cells(&page, vec![word("贡", 30.0, 30.0, 0.0)], &[CELL], 1.0, |_| true, unsure);
        assert!(rereads.is_empty());
        assert_eq!(words[0].text, "贡");
        let sure = |_: &Gray| Some(("出".to_string(), 0.99));
        let (_, rereads) = reread_cells(&page, vec![], &[CELL], 1.0, |t| t == "日常公用支出", sure);
        assert!(rereads.is_empty(), "出出 is no known name");
        // A figure in the cell, a known reading, a confident one on every line, or one line
        // of ink: not this rule's.
        let confident = vec![word("某", 30.0, 25.0, 95.0), word("出", 50.0, 55.0, 95.0)];
        let (_, rereads) = reread_cells(&page, confident, &[CELL], 1.0, |t| t == "出出", sure);
        assert!(rereads.is_empty());
        for first in [word("838.27", 30.0, 30.0, 10.0), word("人员支出", 30.0, 30.0, 10.0)] {
            let (_, rereads) = reread_cells(&page, vec![first], &[CELL], 1.0, |t| t == "人员支出" || t == "支出", sure);
            assert!(rereads.is_empty());
        }
        let one_line = image(100, 100, &TWO_LINES[..1]);
        let (_, rereads) = reread_cells(&one_line, vec![], &[CELL], 1.0, |_| true, sure);
        assert!(rereads.is_empty());
    }

    #[test]
    fn a_speck_read_in_doubt_as_a_digit_is_no_figure_in_the_cell() {
        // `对附属单位补助支出` wrapped in a narrow header cell, a speck above it read `9` (14).
        let page = image(100, 100, &TWO_LINES);
        let read = |g: &Gray| Some((if g.width > 50 { "对附属单位补" } else { "助支出" }.to_string(), 0.99));
        let known = |t: &str| t == "对附属单位补助支出";
        let specks = vec![word("9", 30.0, 5.0, 14.0), word("允", 45.0, 55.0, 54.0)];
        let (words, rereads) = reread_cells(&page, specks, &[CELL], 1.0, known, read);
        assert_eq!(words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["对附属单位补助支出"]);
        assert_eq!(rereads.len(), 1);
        // A digit read surely is a figure's: the cell is not this rule's.
        let (_, rereads) = reread_cells(&page, vec![word("9", 30.0, 5.0, 95.0)], &[CELL], 1.0, known, read);
        assert!(rereads.is_empty());
    }

    #[test]
    fn a_name_of_which_one_line_was_read_is_read_whole() {
        let page = image(100, 100, &TWO_LINES);
        let read = |g: &Gray| Some((if g.width > 50 { "因公出国(境)费" } else { "用" }.to_string(), 0.99));
        let (words, rereads) =
            reread_cells(&page, vec![word("用", 45.0, 55.0, 96.0)], &[CELL], 1.0, |t| t == "因公出国(境)费用", read);
        assert_eq!(words[0].text, "因公出国(境)费用");
        assert_eq!(rereads.len(), 1);
    }

    #[test]
    fn a_known_name_read_of_the_first_line_alone_is_read_whole() {
        let page = image(100, 100, &TWO_LINES);
        let read = |g: &Gray| Some((if g.width > 50 { "一般公共预算" } else { "资金" }.to_string(), 0.99));
        let known = |t: &str| t == "一般公共预算" || t == "一般公共预算资金";
        let first = word("一般公共预算", 30.0, 25.0, 96.0);
        let (words, rereads) = reread_cells(&page, vec![first.clone()], &[CELL], 1.0, known, read);
        assert_eq!(words[0].text, "一般公共预算资金");
        assert_eq!((rereads[0].first.as_str(), rereads.len()), ("一般公共预算", 1));
        // Read on both its lines, a known name is left as read.
        let both = vec![first, word("资金", 45.0, 55.0, 96.0)];
        let (words, rereads) = reread_cells(&page, both.clone(), &[CELL], 1.0, known, read);
        assert_eq!((words, rereads.len()), (both, 0));
    }

    #[test]
    fn lines_are_told_apart_by_blank_rows_and_specks_are_not_lines() {
        let speck = CellBox { x0: 5, y0: 90, x1: 7, y1: 92 };
        let page = image(100, 100, &[TWO_LINES[0], TWO_LINES[1], speck]);
        assert_eq!(text_lines(&page, CELL), TWO_LINES.to_vec());
    }
}
