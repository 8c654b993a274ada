//! The figures of an OCR'd page, cut out for the second engine. Tesseract reads the page;
//! each figure it read is cut out of the same straightened image, between the rulings around
//! it, and kept with the page (a few kilobytes a figure, not the page image). `recover` has
//! PP-OCR ([`super::ppocr`], a neural text-line recogniser whose mistakes are not
//! tesseract's) read those whose reading is in doubt — in a broken identity, or read with
//! low confidence — and the identities decide.

use super::image::Gray;
use crate::page::{FigureCrop, Ruling, Word};

/// Paper kept around a figure's box, in units of its height: PP-OCR reads a line cut close
/// less well, and tesseract's box at times misses a faint first or last digit.
const PAD_X: f32 = 0.6;
const PAD_Y: f32 = 0.3;

/// Ink of a ruling kept off the crop's edge, pixels (a line along the edge reads as `1` or `一`).
const RULING_CLEARANCE: f32 = 4.0;

/// The figures among `words` (points) cut out of `image` (the page as tesseract read it,
/// `scale` points per pixel) between `rulings`.
pub fn crops(image: &Gray, words: &[Word], rulings: &[Ruling], scale: f32) -> Vec<FigureCrop> {
    figures(words, rulings)
        .into_iter()
        .filter_map(|w| {
            let crop = crop(image, &w, rulings, scale)?;
            Some(FigureCrop {
                left: w.left,
                top: w.top,
                width: w.width,
                height: w.height,
                first: w.text,
                pixels: crop.pixels,
                pixel_width: crop.width,
                pixel_height: crop.height,
            })
        })
        .collect()
}

/// The figures among `words`, the pieces of one joined: tesseract at times cuts a figure
/// in two at its point or a separator (`247.55` `2000`), and two crops, each with paper
/// around it, would each take in the other's edge (`247.55` + `52000`).
fn figures(words: &[Word], rulings: &[Ruling]) -> Vec<Word> {
    let mut pieces: Vec<&Word> = words.iter().filter(|w| is_figure(&w.text)).collect();
    pieces.sort_by(|a, b| (a.top + a.height).total_cmp(&(b.top + b.height)).then(a.left.total_cmp(&b.left)));
    let mut out: Vec<Word> = Vec::new();
    for w in pieces {
        // Lines a point apart interleave in that order: the piece's own figure is looked for.
        if let Some(last) = out.iter_mut().rev().find(|last| same_figure(last, w, rulings)) {
            let right = (w.left + w.width).max(last.left + last.width);
            let bottom = (w.top + w.height).max(last.top + last.height);
            last.top = last.top.min(w.top);
            (last.width, last.height) = (right - last.left, bottom - last.top);
            last.text.push_str(&w.text);
            last.confidence = last.confidence.min(w.confidence);
        } else {
            out.push(w.clone());
        }
    }
    out
}

/// Whether `next` goes on with the figure `last` on its line: beside it on the right,
/// closer than 0.8 of a character's height (the gap between two columns of figures is wider),
/// no ruling between them.
fn same_figure(last: &Word, next: &Word, rulings: &[Ruling]) -> bool {
    let overlap = (last.top + last.height).min(next.top + next.height) - last.top.max(next.top);
    let end = last.left + last.width;
    let gap = next.left - end;
    overlap > 0.5 * last.height.min(next.height)
        && gap > -0.5 * next.height
        && gap < 0.8 * next.height.max(last.height)
        && !rulings.iter().any(|r| {
            r.x0 == r.x1 && r.x0 > end.min(next.left) - 1.0 && r.x0 < next.left.max(end) + 1.0 && {
                let cy = next.top + next.height / 2.0;
                r.y0.min(r.y1) <= cy && r.y0.max(r.y1) >= cy
            }
        })
}

/// A word that is a figure as printed: digits, with a point, separators or a sign.
fn is_figure(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit()) && text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
}

/// The word's box with paper around it, stopped short of the rulings that frame it; `None`
/// when nothing is left.
fn crop(image: &Gray, w: &Word, rulings: &[Ruling], scale: f32) -> Option<Gray> {
    let (cx, cy) = (w.left + w.width / 2.0, w.top + w.height / 2.0);
    let clear = RULING_CLEARANCE * scale;
    let mut x0 = w.left - PAD_X * w.height;
    let mut x1 = w.left + w.width + PAD_X * w.height;
    let mut y0 = w.top - PAD_Y * w.height;
    let mut y1 = w.top + w.height + PAD_Y * w.height;
    for r in rulings {
        if r.x0 == r.x1 && r.y0.min(r.y1) <= cy && r.y0.max(r.y1) >= cy {
            // A vertical ruling beside the word (not through it: the word was split there).
            if r.x0 <= w.left + 1.0 {
                x0 = x0.max(r.x0 + clear);
            } else if r.x0 >= w.left + w.width - 1.0 {
                x1 = x1.min(r.x0 - clear);
            }
        } else if r.y0 == r.y1 && r.x0.min(r.x1) <= cx && r.x0.max(r.x1) >= cx {
            if r.y0 <= w.top + 1.0 {
                y0 = y0.max(r.y0 + clear);
            } else if r.y0 >= w.top + w.height - 1.0 {
                y1 = y1.min(r.y0 - clear);
            }
        }
    }
    let px = |v: f32, max: usize| ((v / scale).max(0.0) as usize).min(max);
    let area = super::cells::CellBox {
        x0: px(x0, image.width),
        y0: px(y0, image.height),
        x1: px(x1, image.width),
        y1: px(y1, image.height),
    };
    (area.x1 > area.x0 + 2 && area.y1 > area.y0 + 2).then(|| super::cells::crop(image, area, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_digits_with_points_separators_or_a_sign() {
        for t in ["198.30", "1,234.00", "-5.00", "0"] {
            assert!(is_figure(t), "{t}");
        }
        for t in ["合计", "2023年", "", ".", "19|8"] {
            assert!(!is_figure(t), "{t}");
        }
    }

    #[test]
    fn the_pieces_of_a_figure_are_read_as_one() {
        let word = |text: &str, left: f32| Word {
            text: text.into(),
            left,
            top: 100.0,
            width: 20.0,
            height: 8.0,
            confidence: 90.0,
        };
        let joined = figures(&[word("247.55", 100.0), word("2000", 121.0), word("5.00", 160.0)], &[]);
        let texts: Vec<&str> = joined.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["247.552000", "5.00"]);
        assert_eq!(joined[0].width, 41.0);
        let ruling = Ruling { x0: 120.5, y0: 0.0, x1: 120.5, y1: 500.0 };
        assert_eq!(figures(&[word("247.55", 100.0), word("2000", 121.0)], &[ruling]).len(), 2, "a ruling between");
    }

    #[test]
    fn a_crop_stops_short_of_the_rulings_around_the_word() {
        let image = Gray { width: 1000, height: 1000, pixels: vec![255; 1_000_000] };
        let word = Word { text: "1.00".into(), left: 100.0, top: 100.0, width: 20.0, height: 10.0, confidence: 90.0 };
        let ruling = |x0, y0, x1, y1| Ruling { x0, y0, x1, y1 };
        let free = crop(&image, &word, &[], 0.5).unwrap();
        // 20 + 2 × 6 points wide, 10 + 2 × 3 high, at two pixels a point.
        assert_eq!((free.width, free.height), (64, 32));
        let framed =
            crop(&image, &word, &[ruling(98.0, 0.0, 98.0, 500.0), ruling(0.0, 112.0, 500.0, 112.0)], 0.5).unwrap();
        // From 98 + 2 (the clearance) to 126, from 97 to 112 − 2.
        assert_eq!((framed.width, framed.height), (52, 26));
    }
}
