//! A second look at the cells of a ruled table that the page's reading passed over.
//!
//! Tesseract segments a page into blocks before it reads them, and a table's ruled grid
//! confuses it: a header printed bold on a shaded band, a figure alone in a wide cell, are
//! at times left out of every block, so a row loses its label or a table its header (and is
//! then not recognised at all). The rulings found in the image give the grid; a cell of it
//! that holds ink but no word read with confidence has its row cut out and read again as
//! one line of text (`--psm 7`: a lone header word cut out alone reads as nothing). All
//! such rows of a page go to one engine run.

use super::image::Gray;
use crate::page::{Ruling, Word};

/// A rectangle of the page image, pixels, `x1`/`y1` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellBox {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

impl CellBox {
    /// The cell within its rulings, `inset` pixels in from each; none for a cell too small
    /// to hold anything but its rulings.
    pub fn inside(self, inset: usize) -> Option<CellBox> {
        (self.x1 >= self.x0 + 3 * inset && self.y1 >= self.y0 + 3 * inset).then(|| CellBox {
            x0: self.x0 + inset,
            y0: self.y0 + inset,
            x1: self.x1 - inset,
            y1: self.y1 - inset,
        })
    }
}

/// The dark pixels of `gray` in `area` (which lies within the image).
pub fn ink(gray: &Gray, area: CellBox) -> usize {
    (area.y0..area.y1)
        .map(|y| {
            gray.pixels[y * gray.width + area.x0..y * gray.width + area.x1]
                .iter()
                .filter(|&&p| p < super::image::INK)
                .count()
        })
        .sum()
}

/// How far a ruling may stop short of a corner and still close the cell, pixels per dpi
/// point (a scanned frame's lines meet roughly).
const SLACK_PT: f32 = 4.0;

/// Rows lower than this (points) are two rulings of one line, or a gap, not a row.
const MIN_ROW_PT: f32 = 7.0;

/// Cells taller than this (points) are a frame around a block, not a table cell.
const MAX_ROW_PT: f32 = 80.0;

/// The fewest dark pixels (at 300 dpi) that are something written: a stroke of a
/// character, not a speck of noise.
const MIN_INK_300: usize = 40;

/// A word read with less confidence than this does not count as the cell's reading: a
/// header on a shaded band comes out as a character or two of noise (`人`, `下` for
/// 科目编码, 科目名称), read with a confidence of 20 to 50.
pub const DOUBTFUL: f32 = 50.0;

/// The most cells re-read on one page: a page where more are missed was not read as a
/// table at all, and one run over hundreds of crops costs more than the page.
pub const MAX_CELLS: usize = 300;

/// Whether a column ruling (vertical, through the word's middle) runs through the box of
/// `w` (points) more than two of its heights in from either end: the box spans cells, not
/// a word beside a ruling or a figure boxed a little over one.
pub fn across_columns(w: &Word, rulings: &[Ruling]) -> bool {
    let (cy, margin) = (w.top + w.height / 2.0, 2.0 * w.height);
    rulings.iter().any(|r| r.column_through(cy) && r.x0 > w.left + margin && r.x0 < w.left + w.width - margin)
}

/// The closed cells of the grid `rulings` draw (pixels): below a horizontal ruling, between
/// two vertical ones next to each other, down to the next horizontal ruling across both,
/// all four reaching its corners. `px_per_pt` scales the tolerances.
pub fn grid(rulings: &[Ruling], px_per_pt: f32) -> Vec<CellBox> {
    let slack = SLACK_PT * px_per_pt;
    let horizontal: Vec<&Ruling> = rulings.iter().filter(|r| r.y0 == r.y1).collect();
    let vertical: Vec<&Ruling> = rulings.iter().filter(|r| r.x0 == r.x1).collect();
    let mut ys: Vec<f32> = horizontal.iter().map(|r| r.y0).collect();
    ys.sort_by(f32::total_cmp);
    ys.dedup_by(|a, b| (*a - *b).abs() < MIN_ROW_PT * px_per_pt);
    let spans = |y: f32, x0: f32, x1: f32| {
        horizontal.iter().any(|r| (r.y0 - y).abs() <= slack && r.x0 <= x0 + slack && r.x1 >= x1 - slack)
    };
    let mut cells = Vec::new();
    for (i, &top) in ys.iter().enumerate() {
        // The columns below this line: vertical rulings from it downwards.
        let mut xs: Vec<(f32, f32)> = vertical
            .iter()
            .filter(|r| r.y0.min(r.y1) <= top + slack && r.y0.max(r.y1) > top + slack)
            .map(|r| (r.x0, r.y0.max(r.y1)))
            .collect();
        xs.sort_by(|a, b| a.0.total_cmp(&b.0));
        xs.dedup_by(|a, b| (a.0 - b.0).abs() < MIN_ROW_PT * px_per_pt);
        for col in xs.windows(2) {
            let ((left, left_end), (right, right_end)) = (col[0], col[1]);
            if !spans(top, left, right) {
                continue;
            }
            // The cell's bottom: the next line across the whole column (a cell may span
            // rows other columns divide).
            let Some(&bottom) = ys[i + 1..].iter().find(|&&y| spans(y, left, right)) else { continue };
            if bottom - top > MAX_ROW_PT * px_per_pt || left_end.min(right_end) < bottom - slack {
                continue;
            }
            cells.push(CellBox {
                x0: left.round() as usize,
                y0: top.round() as usize,
                x1: right.round() as usize,
                y1: bottom.round() as usize,
            });
        }
    }
    cells
}

/// The cells of `grid` that hold ink but none of `words` (points, `px_per_pt` pixels of
/// `gray` each; a word of bars and dashes, the engine's reading of a ruling, is none, and so
/// is a word read with a confidence under [`DOUBTFUL`]), each as its inside: the cell within
/// its rulings (`inset` pixels in from each).
pub fn missed(gray: &Gray, grid: &[CellBox], words: &[Word], inset: usize, px_per_pt: f32) -> Vec<CellBox> {
    let dpi = px_per_pt * 72.0;
    let min_ink = (MIN_INK_300 as f32 * (dpi / 300.0).powi(2)).max(8.0) as usize;
    let mut out = Vec::new();
    for inside in grid.iter().filter_map(|c| c.inside(inset)) {
        if inside.y1 > gray.height || inside.x1 > gray.width {
            continue;
        }
        let read: Vec<&Word> = words
            .iter()
            .filter(|w| w.confidence >= DOUBTFUL && w.text.chars().any(char::is_alphanumeric))
            .filter(|w| {
                let (x0, y0) = (w.left * px_per_pt, w.top * px_per_pt);
                let (x1, y1) = ((w.left + w.width) * px_per_pt, (w.top + w.height) * px_per_pt);
                x0 < inside.x1 as f32 && x1 > inside.x0 as f32 && y0 < inside.y1 as f32 && y1 > inside.y0 as f32
            })
            .collect();
        let passed_over = if read.is_empty() {
            ink(gray, inside) >= min_ink
        } else if read.iter().any(|w| w.text.chars().any(|c| c.is_ascii_digit())) {
            // A figure read in part is the second engine's, the identities deciding.
            false
        } else {
            // Text read, but ink of more than a character and a half outside its words (`安全`
            // read surely of 四、公共安全支出, the rest boxed into a word over the whole row,
            // read as `从` in doubt): the reading took part of the cell's text.
            let boxes: Vec<(usize, usize)> = read
                .iter()
                .map(|w| ((w.left * px_per_pt).max(0.0) as usize, ((w.left + w.width) * px_per_pt).ceil() as usize))
                .collect();
            unread_columns(gray, inside, &boxes) * 2 >= 3 * (inside.y1 - inside.y0)
        };
        if passed_over {
            out.push(inside);
        }
    }
    out
}

/// How many of `area`'s columns (pixels) hold ink outside the boxes `read` (column ranges):
/// two dark pixels or more in the area's middle half. Characters cross it, while the edge of
/// a ruling the inset did not clear lies along the top or bottom, and a lone pixel is noise.
fn unread_columns(gray: &Gray, area: CellBox, read: &[(usize, usize)]) -> usize {
    let quarter = (area.y1 - area.y0) / 4;
    (area.x0..area.x1)
        .filter(|&x| !read.iter().any(|&(x0, x1)| x >= x0 && x < x1))
        .filter(|&x| {
            (area.y0 + quarter..area.y1 - quarter)
                .filter(|&y| gray.pixels[y * gray.width + x] < super::image::INK)
                .count()
                >= 2
        })
        .count()
}

/// A row of the grid with cells the page's reading passed over: read again as one line
/// (the row's other cells give the engine the context a lone header word lacks), of which
/// only the words in `missed` are taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub area: CellBox,
    pub missed: Vec<CellBox>,
}

/// The rows of `grid` holding the `missed` cells (insides, `inset` pixels in from the
/// rulings), each across all its cells.
pub fn bands(grid: &[CellBox], missed: &[CellBox], inset: usize) -> Vec<Band> {
    let mut out: Vec<Band> = Vec::new();
    for &m in missed {
        if let Some(b) = out.iter_mut().find(|b| b.area.y0 == m.y0 && b.area.y1 == m.y1) {
            b.missed.push(m);
            continue;
        }
        let row = grid.iter().filter(|c| c.y0 + inset == m.y0 && c.y1 == m.y1 + inset);
        let x0 = row.clone().map(|c| c.x0 + inset).min().unwrap_or(m.x0);
        let x1 = row.map(|c| c.x1 - inset).max().unwrap_or(m.x1);
        out.push(Band { area: CellBox { x0, y0: m.y0, x1, y1: m.y1 }, missed: vec![m] });
    }
    out
}

/// The crop of `gray` at `cell`, framed by `pad` pixels of paper (the engine reads a line
/// poorly when its ink touches the image's edge).
pub fn crop(gray: &Gray, cell: CellBox, pad: usize) -> Gray {
    let (w, h) = (cell.x1 - cell.x0 + 2 * pad, cell.y1 - cell.y0 + 2 * pad);
    let mut pixels = vec![255u8; w * h];
    for y in cell.y0..cell.y1 {
        let from = &gray.pixels[y * gray.width + cell.x0..y * gray.width + cell.x1];
        let at = (y - cell.y0 + pad) * w + pad;
        pixels[at..at + from.len()].copy_from_slice(from);
    }
    Gray { width: w, height: h, pixels }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, x0: f32, x1: f32) -> Ruling {
        Ruling { x0, y0: y, x1, y1: y }
    }
    fn v(x: f32, y0: f32, y1: f32) -> Ruling {
        Ruling { x0: x, y0, x1: x, y1 }
    }

    #[test]
    fn a_ruled_grid_gives_its_cells_and_a_lost_figure_is_found() {
        // Two rows, two columns, at 300 dpi (25 px per 6 pt).
        let rulings = [
            h(100.0, 100.0, 700.0),
            h(160.0, 100.0, 700.0),
            h(220.0, 100.0, 700.0),
            v(100.0, 100.0, 220.0),
            v(400.0, 100.0, 220.0),
            v(700.0, 100.0, 220.0),
        ];
        let cells = grid(&rulings, 300.0 / 72.0);
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[0], CellBox { x0: 100, y0: 100, x1: 400, y1: 160 });
        let mut gray = Gray { width: 800, height: 300, pixels: vec![255; 800 * 300] };
        // Ink in the first row's second cell and in the second row's first; a word read in
        // the first row's first cell.
        for y in 120..140 {
            for x in 500..530 {
                gray.pixels[y * 800 + x] = 0;
            }
            for x in 150..180 {
                gray.pixels[(y + 60) * 800 + x] = 0;
            }
        }
        // In points (72 of them to the 300 pixels of an inch).
        let pt = |px: f32| px * 72.0 / 300.0;
        let word = Word {
            text: "合计".into(),
            left: pt(150.0),
            top: pt(180.0),
            width: pt(30.0),
            height: pt(20.0),
            confidence: 90.0,
        };
        let lost = missed(&gray, &cells, &[word], 8, 300.0 / 72.0);
        assert_eq!(lost, [CellBox { x0: 408, y0: 108, x1: 692, y1: 152 }]);
        let image = crop(&gray, lost[0], 10);
        assert_eq!((image.width, image.height), (304, 64));
        // Read again across its row.
        let band = bands(&cells, &lost, 8);
        assert_eq!(band.len(), 1);
        assert_eq!(band[0].area, CellBox { x0: 108, y0: 108, x1: 692, y1: 152 });
    }

    #[test]
    fn a_cell_whose_words_leave_much_of_its_ink_out_is_read_again() {
        // One cell at 300 dpi, inside 108..692 × 108..152 (44 px high).
        let rulings = [h(100.0, 100.0, 700.0), h(160.0, 100.0, 700.0), v(100.0, 100.0, 160.0), v(700.0, 100.0, 160.0)];
        let cells = grid(&rulings, 300.0 / 72.0);
        let pt = |px: f32| px * 72.0 / 300.0;
        let word = |text: &str| Word {
            text: text.into(),
            left: pt(300.0),
            top: pt(115.0),
            width: pt(120.0),
            height: pt(30.0),
            confidence: 60.0,
        };
        let page = |ink: &[(usize, usize)]| {
            let mut gray = Gray { width: 800, height: 300, pixels: vec![255; 800 * 300] };
            for &(x0, x1) in ink {
                for y in 120..140 {
                    for x in x0..x1 {
                        gray.pixels[y * 800 + x] = 0;
                    }
                }
            }
            gray
        };
        let lost = |gray: &Gray, w: Word| missed(gray, &cells, &[w], 8, 300.0 / 72.0).len();
        // The words' own ink and 30 px before them (less than a character): read.
        assert_eq!(lost(&page(&[(270, 420)]), word("安全支出")), 0);
        // Three characters of ink before them (`四、公共`): read in part, read again.
        let in_part = page(&[(200, 225), (230, 255), (262, 290), (300, 420)]);
        assert_eq!(lost(&in_part, word("安全支出")), 1);
        // A figure read in part is left to the second engine.
        assert_eq!(lost(&in_part, word("110.46890")), 0);
        // A ruling's edge along the top of the cell, and specks of noise, are no ink left out.
        let mut edges = page(&[(300, 420)]);
        for x in 110..690 {
            edges.pixels[109 * 800 + x] = 0;
            edges.pixels[110 * 800 + x] = 0;
        }
        for x in (110..690).step_by(7) {
            edges.pixels[130 * 800 + x] = 0;
        }
        assert_eq!(lost(&edges, word("安全支出")), 0);
    }

    #[test]
    fn a_word_boxed_over_a_column_ruling_spans_cells() {
        let rulings = [v(341.0, 100.0, 500.0), v(421.0, 100.0, 500.0)];
        let word =
            |left: f32, width: f32| Word { text: "从".into(), left, top: 185.0, width, height: 6.0, confidence: 37.0 };
        assert!(across_columns(&word(183.0, 293.0), &rulings), "a row's three cells");
        assert!(!across_columns(&word(330.0, 20.0), &rulings), "a figure a little over a ruling");
        assert!(!across_columns(&word(345.0, 70.0), &rulings), "a word between the rulings");
        let below = Word { top: 600.0, ..word(183.0, 293.0) };
        assert!(!across_columns(&below, &rulings), "the rulings end above it");
    }
}
