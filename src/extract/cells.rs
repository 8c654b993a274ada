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
        let read =
            words.iter().filter(|w| w.confidence >= DOUBTFUL && w.text.chars().any(char::is_alphanumeric)).any(|w| {
                let (x0, y0) = (w.left * px_per_pt, w.top * px_per_pt);
                let (x1, y1) = ((w.left + w.width) * px_per_pt, (w.top + w.height) * px_per_pt);
                x0 < inside.x1 as f32 && x1 > inside.x0 as f32 && y0 < inside.y1 as f32 && y1 > inside.y0 as f32
            });
        if read || inside.y1 > gray.height || inside.x1 > gray.width {
            continue;
        }
        if ink(gray, inside) >= min_ink {
            out.push(inside);
        }
    }
    out
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
}
