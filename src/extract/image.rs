//! Page images for OCR: greyscale pixels (PGM, as `pdftoppm -gray` writes and tesseract
//! reads), deskewing, and the table rulings found in the image.
//!
//! A scan is rarely straight. Its skew is measured by the projection profile (text lines
//! and rulings make the sharpest row histogram when the rows are level), the image is
//! rotated back before OCR, and the rulings are then long straight runs of dark pixels:
//! horizontal or vertical, at least [`MIN_RULING_PT`] long, which no character stroke is.
//! They become the page model's [`Ruling`]s, so a scanned ruled table is split into cells by
//! its own lines, as a text-layer table is.

use crate::page::Ruling;

/// A greyscale image, one byte per pixel, 0 black.
#[derive(Debug, Clone, PartialEq)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// Why an image could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// Not a binary 8-bit PGM (`P5`, maxval 255).
    #[error("not an 8-bit binary PGM image")]
    NotPgm,
}

/// Pixels darker than this are ink.
pub(super) const INK: u8 = 160;

/// How much darker than the paper a ruling's pixels are at least. Rulings are often printed
/// light grey (and a scan blurs a hairline lighter still): ink at [`INK`] misses them, so
/// they are found against the page's own paper level.
const RULING_CONTRAST: u8 = 32;

/// How far across a light line its sides are looked at, pixels (a line up to 7 pixels,
/// 1.7 pt at 300 dpi, deep), and how much lighter they are at least.
const LINE_REACH: usize = 4;
const LINE_EDGE: u8 = 24;

/// How many pixels along a line its greys are averaged over before they are judged (odd).
const ALONG: usize = 9;

/// How much darker than the paper a faint ruling's pixels are at least on that average
/// (the noise averaged out, a fainter line is told from the paper), and than its sides.
const AVERAGED_CONTRAST: u8 = 20;
const AVERAGED_EDGE: u8 = 16;

/// The share of a ruling the flattening for OCR leaves of a line it did not break, and the
/// share of a page's long lines broken beyond which its lines are faint.
const WHOLE_LINE: f32 = 0.7;
const BROKEN_LINES: f32 = 0.25;

/// The shortest ruling, in points (about 1 cm): longer than any character stroke.
pub const MIN_RULING_PT: f32 = 24.0;

/// The thickest ruling, in points: a table's frame is printed up to about 2 pt (a scan
/// spreads it a little); deeper ink is a shaded header band.
pub const MAX_RULING_PT: f32 = 3.0;

/// Skews measured, in degrees either way; scans beyond are not straightened.
const MAX_SKEW: f32 = 3.0;

/// Degrees by which a page's ink and its grey may disagree on its skew and the ink's
/// reading stand (the two differ by a few hundredths where both read it right).
const SKEW_AGREEMENT: f32 = 0.2;

impl Gray {
    /// Reads a binary PGM (`P5`).
    pub fn from_pgm(bytes: &[u8]) -> Result<Gray, ImageError> {
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) == Some(&b'#') {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if start == i {
                return Err(ImageError::NotPgm);
            }
            fields.push(std::str::from_utf8(&bytes[start..i]).map_err(|_| ImageError::NotPgm)?);
        }
        let number = |s: &str| s.parse::<usize>().map_err(|_| ImageError::NotPgm);
        let (width, height) = (number(fields[1])?, number(fields[2])?);
        if fields[0] != "P5" || number(fields[3])? != 255 {
            return Err(ImageError::NotPgm);
        }
        let data = bytes.get(i + 1..).ok_or(ImageError::NotPgm)?;
        let size = width.checked_mul(height).ok_or(ImageError::NotPgm)?;
        if data.len() < size {
            return Err(ImageError::NotPgm);
        }
        Ok(Gray { width, height, pixels: data[..size].to_vec() })
    }

    /// The image as a binary PGM.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }

    /// The image with everything near the paper's grey made paper white: a shaded header
    /// band, a tinted page and a JPEG's speckle go, ink and rulings stay (OCR reads a
    /// header printed on a grey band poorly: it takes the band for a picture).
    pub fn flattened(&self) -> Gray {
        let level = self.light_ink();
        let pixels = self.pixels.iter().map(|&p| if p >= level { 255 } else { p }).collect();
        Gray { width: self.width, height: self.height, pixels }
    }

    /// The image (flattened for OCR) without its table's lines where they are faint
    /// (pixels, as [`Gray::rulings`] gives them; `min` as there): a faint line the
    /// flattening broke into dots and dashes is read by OCR as characters (`本`, `四`, `和`),
    /// runs a row's words across it, and blurred against the characters beside it takes
    /// them (`二、外交支出` read `外交支出`). Ink (a stroke crossing the line) is left. Lines
    /// are faint when the flattening broke more than [`BROKEN_LINES`] of the long ones; where
    /// it did not, the lines are left: the engine reads a table with clear lines well, and
    /// the same table without them worse (it drops whole columns of integer parts).
    pub fn without_faint_rulings(mut self, rulings: &[Ruling], min: usize) -> Gray {
        let (w, h) = (self.width, self.height);
        let long = (min * LONG_RULING) as f32;
        let lines: Vec<(bool, isize, usize, usize)> = rulings
            .iter()
            .filter(|r| (r.x1 - r.x0).abs().max((r.y1 - r.y0).abs()) >= long)
            .map(|r| {
                if r.y0 == r.y1 {
                    (true, r.y0.round() as isize, r.x0 as usize, r.x1 as usize)
                } else {
                    (false, r.x0.round() as isize, r.y0.min(r.y1) as usize, r.y0.max(r.y1) as usize)
                }
            })
            .collect();
        let index = |(horizontal, line, ..): (bool, isize, usize, usize), along: usize, d: isize| {
            let across = usize::try_from(line.checked_add(d)?).ok()?;
            let (x, y) = if horizontal { (along, across) } else { (across, along) };
            (x < w && y < h).then_some(y * w + x)
        };
        let broken = lines
            .iter()
            .filter(|&&l @ (_, _, from, to)| {
                let kept = (from..=to)
                    .filter(|&a| (-2..=2).filter_map(|d| index(l, a, d)).any(|i| self.pixels[i] < 255))
                    .count();
                (kept as f32) < WHOLE_LINE * (to - from + 1) as f32
            })
            .count();
        if (broken as f32) <= BROKEN_LINES * lines.len() as f32 {
            return self;
        }
        let reach = LINE_REACH as isize;
        for &l @ (_, _, from, to) in &lines {
            for along in from..=to {
                for i in (-reach..=reach).filter_map(|d| index(l, along, d)) {
                    if self.pixels[i] >= INK {
                        self.pixels[i] = 255;
                    }
                }
            }
        }
        self
    }

    /// The lightest grey that is still ink (a grey ruling), against this page's paper.
    fn light_ink(&self) -> u8 {
        self.paper().saturating_sub(RULING_CONTRAST).max(INK)
    }

    /// The paper's grey level: the median pixel (a page is mostly paper).
    fn paper(&self) -> u8 {
        let mut histogram = [0usize; 256];
        for &p in &self.pixels {
            histogram[usize::from(p)] += 1;
        }
        let half = self.pixels.len() / 2;
        let mut seen = 0;
        (0..=255u8)
            .find(|&v| {
                seen += histogram[usize::from(v)];
                seen > half
            })
            .unwrap_or(255)
    }

    /// The skew of the page's rows, in degrees (positive: rows fall to the right).
    pub fn skew(&self) -> f32 {
        // Ink levels a page of text. Where its grey (rulings printed grey, lighter than ink)
        // lies level at another angle, the page's few words mislead (a page of one small
        // table, its lines grey: half a degree off and more) and the rulings level it.
        let (from_ink, from_grey) = (self.level_of(INK), self.level_of(self.light_ink()));
        if (from_ink - from_grey).abs() > SKEW_AGREEMENT { from_grey } else { from_ink }
    }

    /// The skew that lines up the pixels darker than `level` in rows, in degrees.
    fn level_of(&self, level: u8) -> f32 {
        // Ink on a quarter-resolution grid is plenty to level rows by.
        let step = 4;
        let mut ink: Vec<(f32, f32)> = Vec::new();
        for y in (0..self.height).step_by(step) {
            for x in (0..self.width).step_by(step) {
                if self.pixels[y * self.width + x] < level {
                    ink.push((x as f32, y as f32));
                }
            }
        }
        if ink.len() < 100 {
            return 0.0;
        }
        let score = |degrees: f32| {
            let slope = degrees.to_radians().tan();
            let mut bins = vec![0u32; self.height / step + self.width / step + 2];
            let offset = (self.width as f32 * MAX_SKEW.to_radians().tan()) as isize;
            for (x, y) in &ink {
                let row = ((y - x * slope) as isize + offset) / step as isize;
                if let Some(b) = usize::try_from(row).ok().and_then(|r| bins.get_mut(r)) {
                    *b += 1;
                }
            }
            bins.iter().map(|&b| u64::from(b) * u64::from(b)).sum::<u64>()
        };
        let best = |from: f32, to: f32, by: f32| {
            let steps = ((to - from) / by).round() as i32;
            (0..=steps).map(|i| from + i as f32 * by).max_by_key(|d| score(*d)).unwrap_or(0.0)
        };
        let coarse = best(-MAX_SKEW, MAX_SKEW, 0.1);
        best(coarse - 0.1, coarse + 0.1, 0.01)
    }

    /// The image rotated by `-degrees` about its centre (undoing a skew of `degrees`),
    /// bilinear, white outside.
    pub fn rotated(&self, degrees: f32) -> Gray {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (cx, cy) = (self.width as f32 / 2.0, self.height as f32 / 2.0);
        let mut pixels = vec![255u8; self.pixels.len()];
        for y in 0..self.height {
            for x in 0..self.width {
                // The source of output pixel (x, y): rotate it forward by the skew.
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                let sx = cx + dx * cos - dy * sin;
                let sy = cy + dx * sin + dy * cos;
                if sx < 0.0 || sy < 0.0 || sx >= (self.width - 1) as f32 || sy >= (self.height - 1) as f32 {
                    continue;
                }
                let (x0, y0) = (sx as usize, sy as usize);
                let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
                let p = |x: usize, y: usize| f32::from(self.pixels[y * self.width + x]);
                let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
                let bottom = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
                pixels[y * self.width + x] = (top * (1.0 - fy) + bottom * fy).round() as u8;
            }
        }
        Gray { width: self.width, height: self.height, pixels }
    }

    /// The rulings: horizontal and vertical runs of ink at least `min` pixels long (gaps of
    /// a few pixels, from noise or a light scan, bridged), a thick line reported once. In
    /// pixels; a line is at most `thick` pixels deep. Ink here is [`INK`], or a thin line
    /// [`RULING_CONTRAST`] darker than the paper: a grey ruling is a ruling.
    pub fn rulings(&self, min: usize, thick: usize) -> Vec<Ruling> {
        let light = self.light_ink();
        let at = |x: usize, y: usize| self.pixels[y * self.width + x];
        // A light pixel is a ruling's where a pixel `LINE_REACH` away across the line is
        // clearly lighter: a thin grey line (a figure may be printed close against its other
        // side), not the inside of a shaded band.
        let thin = |p: u8, a: u8, b: u8| p < light && a.max(b) >= p.saturating_add(LINE_EDGE);
        // A hairline scanned at a low resolution and blurred is barely darker than the
        // paper's noise pixel by pixel, and clearly darker on the image averaged along it
        // ([`ALONG`] pixels), with lighter paper on both sides (the edge of a row of
        // characters has their strokes on one). Its darkest pixel may step to the next.
        let faint_level = self.paper().saturating_sub(AVERAGED_CONTRAST);
        let faint = |p: u8, a: u8, b: u8| p < faint_level && a.min(b) >= p.saturating_add(AVERAGED_EDGE);
        let (w, h, d) = (self.width, self.height, LINE_REACH);
        let along_rows = self.averaged(true);
        let along_columns = self.averaged(false);
        // Each pixel test along rows or columns: `faint` takes the averaged image as well.
        let across_rows = |x: usize, y: usize, faint_too: bool| {
            let p = at(x, y);
            let m = |y: usize| along_rows[y * w + x];
            p < INK
                || (y > d
                    && y + d + 1 < h
                    && (thin(p, at(x, y - d), at(x, y + d))
                        || (faint_too && (y - 1..=y + 1).any(|y| faint(m(y), m(y - d), m(y + d))))))
        };
        let across_columns = |x: usize, y: usize, faint_too: bool| {
            let p = at(x, y);
            let m = |x: usize| along_columns[y * w + x];
            p < INK
                || (x > d
                    && x + d + 1 < w
                    && (thin(p, at(x - d, y), at(x + d, y))
                        || (faint_too && (x - 1..=x + 1).any(|x| faint(m(x), m(x - d), m(x + d))))))
        };
        let rows = |faint_too, deep| pieces(h, w, min, deep, |line, at| across_rows(at, line, faint_too));
        let columns = |faint_too, deep| pieces(w, h, min, deep, |line, at| across_columns(line, at, faint_too));
        let (rows, faint_rows) = (rows(false, thick), rows(true, thick));
        let (columns, faint_columns) = (columns(false, thick), columns(true, thick));
        // Where two grey lines cross, each darkens the other's sides, and neither is told
        // from the paper beside it there: a gap where a line crosses is no gap.
        let crossing = |across: &[(f32, usize, usize)]| {
            let across = joined(across.to_vec(), min, |_, _, _| false);
            move |at: f32, from: usize, to: usize| {
                to - from <= thick + GAP
                    && across.iter().any(|&(c, start, end)| {
                        (from as f32 - GAP as f32..=to as f32 + GAP as f32).contains(&c)
                            && (start as f32 - 3.0..=end as f32 + 3.0).contains(&at)
                    })
            }
        };
        let (over_rows, over_columns) = (crossing(&faint_columns), crossing(&faint_rows));
        // A faint line is a table's long line: the tops of a row of figures, averaged, are one
        // as long as the figures.
        let long = min * LONG_RULING;
        // (Shorter faint lines are kept apart: a table's only where they run from ruling to
        // ruling, below.)
        let lines = |strict: Vec<_>, faint: Vec<_>, crosses: &dyn Fn(f32, usize, usize) -> bool| {
            let mut all = joined(strict, min, crosses);
            let (long_faint, short_faint): (Vec<_>, Vec<_>) =
                joined(faint, min, crosses).into_iter().partition(|l| l.2 - l.1 >= long);
            all.extend(long_faint);
            (joined(all, min, |_, _, _| false), short_faint)
        };
        let mut out = Vec::new();
        let (row_lines, short_faint_rows) = lines(rows, faint_rows, &over_rows);
        for (y, x0, x1) in row_lines {
            out.push(Ruling { x0: x0 as f32, y0: y, x1: x1 as f32, y1: y });
        }
        let (column_lines, short_faint_columns) = lines(columns, faint_columns, &over_columns);
        for (x, y0, y1) in column_lines {
            out.push(Ruling { x0: x, y0: y0 as f32, x1: x, y1: y1 as f32 });
        }
        // A ruling has paper on both sides (or, a double rule, another line all along one
        // side). Ink beside part of it is a line of text: the bottoms of its characters run
        // together into a thin line when a low-resolution scan is blurred.
        let kept = |r: &Ruling| {
            let beside = self.side_ink(r, thick);
            let long = (r.x1 - r.x0).abs().max((r.y1 - r.y0).abs()) >= (min * LONG_RULING) as f32;
            // A line of text is as long as a cell's words at most; figures set close against a
            // long column line can put ink beside much of it. A long row line with ink beside
            // half of it is the edge of a line of text running across a header's cells (the
            // bottoms of `一般公共预算 | 政府性基金预 | …`, averaged along the line).
            if long && r.y0 == r.y1 {
                return beside.ink < TEXT_EDGE_INK;
            }
            long || beside.ruling()
        };
        let (mut across, mut down): (Vec<Ruling>, Vec<Ruling>) = out.into_iter().partition(|r| r.y0 == r.y1);
        across.retain(kept);
        // A column line from one row line to another is a ruling, however close the figures
        // set against it come (a short table's, right-aligned `0.00|` on every row): the
        // characters of a line of text make no line that ends on two rulings.
        let reach = thick as f32;
        let ends_on =
            |x: f32, y: f32| across.iter().any(|h| (h.y0 - y).abs() <= reach && h.x0 - reach <= x && x <= h.x1 + reach);
        down.retain(|r| kept(r) || (ends_on(r.x0, r.y0.min(r.y1)) && ends_on(r.x0, r.y0.max(r.y1))));
        // A grey hairline a scan blurred across two pixels is found only on the image
        // averaged along it; short (a header cell's column line, a short table's), it is a
        // table's where it runs from one ruling to another: a faint line the averaged edges
        // of a column of characters make stops short of the rulings around their cell, the
        // cell's margin away. Row lines likewise, from column line to column line.
        let from_ruling_to_ruling =
            |lines: Vec<(f32, usize, usize)>, found: &[Ruling], others: &[Ruling], horizontal| {
                let ends_on = |at: f32, end: f32| {
                    others.iter().any(|o| {
                        let (o_at, o_from, o_to) =
                            if horizontal { (o.x0, o.y0.min(o.y1), o.y0.max(o.y1)) } else { (o.y0, o.x0, o.x1) };
                        (o_at - end).abs() <= reach && o_from - reach <= at && at <= o_to + reach
                    })
                };
                lines
                    .into_iter()
                    .filter(|&(at, from, to)| {
                        !overlaps(found, at, from, to, horizontal, reach)
                            && ends_on(at, from as f32)
                            && ends_on(at, to as f32)
                    })
                    .map(|(at, from, to)| ruling_at(at, from, to, horizontal))
                    .collect::<Vec<_>>()
            };
        let faint_down = from_ruling_to_ruling(short_faint_columns, &down, &across, false);
        down.extend(faint_down);
        let faint_across = from_ruling_to_ruling(short_faint_rows, &across, &down, true);
        across.extend(faint_across);
        // A line a low-resolution scan blurred wide: its grey edges are a ruling's pixels too
        // (`thin`: paper is `LINE_REACH` away), so its pixels run deeper than `thick` by an
        // edge on each side. So do the strokes of a bold title's characters (`一`, `三`): a
        // line found only so is a table's, long or crossed by two rulings a row apart (its
        // end may run on into the strokes of a note under the table).
        let deep = thick + 2 * LINE_REACH;
        let wide = |lines: Vec<(f32, usize, usize)>, found: &[Ruling], others: &[Ruling], horizontal: bool| {
            let crossed = |at: f32, from: f32, to: f32| {
                let crossings: Vec<f32> = others
                    .iter()
                    .filter_map(|o| {
                        let (o_at, o_from, o_to) =
                            if horizontal { (o.x0, o.y0.min(o.y1), o.y0.max(o.y1)) } else { (o.y0, o.x0, o.x1) };
                        (from - reach <= o_at && o_at <= to + reach && o_from - reach <= at && at <= o_to + reach)
                            .then_some(o_at)
                    })
                    .collect();
                let span = crossings.iter().copied().fold(f32::NAN, f32::max)
                    - crossings.iter().copied().fold(f32::NAN, f32::min);
                span >= (min / 2) as f32
            };
            joined(lines, min, |_, _, _| false)
                .into_iter()
                .filter(|&(at, from, to)| !overlaps(found, at, from, to, horizontal, reach))
                .filter(|&(at, from, to)| to - from >= long || crossed(at, from as f32, to as f32))
                .map(|(at, from, to)| ruling_at(at, from, to, horizontal))
                .collect::<Vec<_>>()
        };
        let mut wide_rows =
            wide(pieces(h, w, min, deep, |line, at| across_rows(at, line, false)), &across, &down, true);
        // (The bottoms of a line of text run together are no wider a line: not a ruling.)
        wide_rows.retain(|r| self.side_ink(r, thick).ink < TEXT_EDGE_INK);
        let wide_columns =
            wide(pieces(w, h, min, deep, |line, at| across_columns(line, at, false)), &down, &across, false);
        across.extend(wide_rows);
        across.extend(down);
        across.extend(wide_columns);
        across
    }

    /// The image averaged over [`ALONG`] pixels along its rows (`rows`) or its columns.
    fn averaged(&self, rows: bool) -> Vec<u8> {
        let (w, h) = (self.width, self.height);
        let (lines, length) = if rows { (h, w) } else { (w, h) };
        let index = |line: usize, at: usize| if rows { line * w + at } else { at * w + line };
        let half = ALONG / 2;
        let mut out = vec![0u8; self.pixels.len()];
        for line in 0..lines {
            let mut sum: u32 = 0;
            let mut count: u32 = 0;
            // A window over [at - half, at + half], slid along the line.
            for at in 0..length.min(half) {
                sum += u32::from(self.pixels[index(line, at)]);
                count += 1;
            }
            for at in 0..length {
                if at + half < length {
                    sum += u32::from(self.pixels[index(line, at + half)]);
                    count += 1;
                }
                if at > half {
                    sum -= u32::from(self.pixels[index(line, at - half - 1)]);
                    count -= 1;
                }
                out[index(line, at)] = (sum / count) as u8;
            }
        }
        out
    }

    /// What lies beside a ruling (pixels, as [`Gray::rulings`] gives it), [`SIDE`] pixels
    /// beyond its own ink, along the places where the line is found within two pixels: the
    /// larger share with something darker than the paper on one side only, and the larger
    /// share with ink there. (On both sides is a line crossing this one.)
    pub fn side_ink(&self, r: &Ruling, thick: usize) -> Beside {
        let light = self.light_ink();
        let horizontal = r.y0 == r.y1;
        // (line, along) → pixel; lines run across the ruling.
        let (lines, line) =
            if horizontal { (self.height, r.y0.round() as usize) } else { (self.width, r.x0.round() as usize) };
        let pixel = |l: usize, a: usize| {
            let (x, y) = if horizontal { (a, l) } else { (l, a) };
            if l < lines { self.pixels[y * self.width + x] } else { 255 }
        };
        let dark = |l: usize, a: usize| pixel(l, a) < light;
        let (from, to) = if horizontal { (r.x0, r.x1) } else { (r.y0.min(r.y1), r.y0.max(r.y1)) };
        let mut n = 0usize;
        // Counts of (grey, ink) × (before, after).
        let mut seen = [[0usize; 2]; 2];
        for a in (from as usize..=to as usize).step_by(2) {
            // Where the line is here: a little skew left moves it a pixel or two.
            let Some(at) =
                [0isize, -1, 1, -2, 2].iter().filter_map(|d| line.checked_add_signed(*d)).find(|&l| dark(l, a))
            else {
                continue;
            };
            n += 1;
            let (mut first, mut last) = (at, at);
            while first > 0 && at - first < thick && dark(first - 1, a) {
                first -= 1;
            }
            while last - at < thick && dark(last + 1, a) {
                last += 1;
            }
            let before = first.checked_sub(SIDE + 1).map_or(255, |l| pixel(l, a));
            let after = pixel(last + SIDE + 1, a);
            for (k, level) in [light, INK].into_iter().enumerate() {
                match (before < level, after < level) {
                    (true, false) => seen[k][0] += 1,
                    (false, true) => seen[k][1] += 1,
                    _ => {}
                }
            }
        }
        let share = |k: [usize; 2]| k[0].max(k[1]) as f32 / n.max(1) as f32;
        Beside { grey: share(seen[0]), ink: share(seen[1]) }
    }
}

/// What lies beside a ruling: see [`Gray::side_ink`].
#[derive(Debug, Clone, Copy)]
pub struct Beside {
    pub grey: f32,
    pub ink: f32,
}

impl Beside {
    /// Whether the line is a ruling: paper on both sides of most of it, or a shaded band
    /// (grey, not ink) along one side, or another line all along it (a table's double
    /// frame). Grey and ink beside much of it is a line of text: the bottoms (or sides) of
    /// its characters run together into a thin line when a low-resolution scan is blurred.
    pub fn ruling(self) -> bool {
        self.grey <= MAX_GREY_SIDE || self.ink <= MAX_INK_SIDE || self.ink >= DOUBLE_RULE
    }
}

/// Whether a line (`at` across, `from`..`to` along; `horizontal` or not) lies on one of
/// `found`, within `reach` of it across.
fn overlaps(found: &[Ruling], at: f32, from: usize, to: usize, horizontal: bool, reach: f32) -> bool {
    found.iter().any(|r| {
        let (r_at, r_from, r_to) = if horizontal { (r.y0, r.x0, r.x1) } else { (r.x0, r.y0.min(r.y1), r.y0.max(r.y1)) };
        (r_at - at).abs() <= reach && r_from <= to as f32 && from as f32 <= r_to
    })
}

/// The ruling of a line `at` across, `from`..`to` along.
fn ruling_at(at: f32, from: usize, to: usize, horizontal: bool) -> Ruling {
    let (from, to) = (from as f32, to as f32);
    if horizontal { Ruling { x0: from, y0: at, x1: to, y1: at } } else { Ruling { x0: at, y0: from, x1: at, y1: to } }
}

/// A line this many times the shortest ruling is a ruling whatever lies beside it.
const LONG_RULING: usize = 6;

/// How far beside a ruling's ink [`Gray::side_ink`] looks, pixels.
const SIDE: usize = 3;

/// The most of a ruling's length that may have something darker than paper on one side:
/// where a cell's text comes close to its line. Real rulings: a tenth at most; the
/// text-made lines of a 150 dpi scan, a quarter to four fifths.
const MAX_GREY_SIDE: f32 = 0.2;

/// The most of a text-made line's length with ink (not grey) on one side that a ruling
/// along a shaded band may have: a band is grey, characters are ink.
const MAX_INK_SIDE: f32 = 0.06;

/// A line with ink beside this much of its length is one of two lines printed close
/// together (a table's double frame), not text.
const DOUBLE_RULE: f32 = 0.92;

/// The share of a long row line with ink beside it (one side) from which it is the edge of
/// a line of text: a row line has paper beside all but the few characters that touch it.
const TEXT_EDGE_INK: f32 = 0.4;

/// Gaps bridged within one run, pixels.
const GAP: usize = 4;

/// Pieces of lines: runs of ink along each of `lines` lines of `length` pixels, at least a
/// quarter of `min` long; runs on neighbouring lines that overlap are one piece (thick, or
/// stepping from pixel row to row where a little skew is left), reported at its middle.
fn pieces(
    lines: usize,
    length: usize,
    min: usize,
    thick: usize,
    ink: impl Fn(usize, usize) -> bool,
) -> Vec<(f32, usize, usize)> {
    let piece = min / 4;
    // (first line, last line, start, end) of the lines being merged.
    let mut open: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut done: Vec<(f32, usize, usize)> = Vec::new();
    for line in 0..lines {
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut start: Option<usize> = None;
        let mut last = 0;
        for at in 0..length {
            if !ink(line, at) {
                continue;
            }
            match start {
                Some(_) if at - last <= GAP => {}
                Some(s) => {
                    if last - s >= piece {
                        found.push((s, last));
                    }
                    start = Some(at);
                }
                None => start = Some(at),
            }
            last = at;
        }
        if let Some(s) = start
            && last - s >= piece
        {
            found.push((s, last));
        }
        let mut next: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (s, e) in found {
            match open.iter().position(|o| o.1 + 1 >= line && s <= o.3 && e >= o.2) {
                Some(i) => {
                    let o = open.swap_remove(i);
                    next.push((o.0, line, o.2.min(s), o.3.max(e)));
                }
                None => next.push((line, line, s, e)),
            }
        }
        // Ink more than `thick` lines deep is a shaded band or a block of text, not a line.
        done.extend(open.drain(..).filter(|o| o.1 - o.0 < thick).map(|o| ((o.0 + o.1) as f32 / 2.0, o.2, o.3)));
        open = next;
    }
    done.extend(open.into_iter().filter(|o| o.1 - o.0 < thick).map(|o| ((o.0 + o.1) as f32 / 2.0, o.2, o.3)));
    done
}

/// The lines `pieces` make, at least `min` long; a gap `bridged(position, from, to)` is
/// no gap (another line crosses there).
fn joined(
    pieces: Vec<(f32, usize, usize)>,
    min: usize,
    bridged: impl Fn(f32, usize, usize) -> bool,
) -> Vec<(f32, usize, usize)> {
    // Pieces of one line that stepped apart (a line a few pixels thick, a little skew left)
    // are joined: near the same position, touching or overlapping along it. So are long
    // pieces that faded apart (a light grey hairline, scanned at a low resolution and
    // blurred, breaks up for a few characters' width): the gap between them under half the
    // shortest ruling, or, pieces each as long as the shortest ruling (a hairline at 200 dpi
    // faded for longer stretches), under three times it (a table breaks a ruling only where
    // a cell spans it, a column wide at least). Short pieces are not: the strokes of
    // characters printed one above the other in a column of codes would chain into a line.
    // Joined until nothing more joins: pieces joined into a long one may join the next.
    let (long, join) = (min / 2, (min / 2).max(GAP * 2));
    let mut lines = pieces;
    loop {
        let before = lines.len();
        let gap = |shorter| match shorter {
            n if n >= min => min * 3,
            n if n >= long => join,
            _ => GAP * 2,
        };
        lines = join_pieces(lines, gap, &bridged);
        if lines.len() == before {
            break;
        }
    }
    lines.retain(|&(_, start, end)| end - start >= min);
    lines
}

/// One pass joining pieces (position, start, end) near the same position whose gap is at
/// most `gap(length of the shorter)`.
fn join_pieces(
    mut pieces: Vec<(f32, usize, usize)>,
    gap: impl Fn(usize) -> usize,
    bridged: impl Fn(f32, usize, usize) -> bool,
) -> Vec<(f32, usize, usize)> {
    pieces.sort_by_key(|d| d.1);
    let mut lines: Vec<(f32, usize, usize)> = Vec::new();
    for (at, start, end) in pieces {
        let near = |l: &(f32, usize, usize)| {
            let gap = gap((end - start).min(l.2 - l.1));
            (l.0 - at).abs() <= 3.0
                && ((start <= l.2 + gap && end + gap >= l.1) || (start > l.2 && bridged(at, l.2, start)))
        };
        match lines.iter_mut().find(|l| near(l)) {
            Some(l) => {
                let (a, b) = ((l.2 - l.1) as f32, (end - start) as f32);
                l.0 = (l.0 * a + at * b) / (a + b).max(1.0);
                (l.1, l.2) = (l.1.min(start), l.2.max(end));
            }
            None => lines.push((at, start, end)),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(width: usize, height: usize) -> Gray {
        Gray { width, height, pixels: vec![255; width * height] }
    }

    #[test]
    fn pgm_round_trips() {
        let mut g = blank(3, 2);
        g.pixels[4] = 0;
        assert_eq!(Gray::from_pgm(&g.to_pgm()).unwrap(), g);
        assert!(Gray::from_pgm(b"P6\n1 1\n255\n\0\0\0").is_err());
        assert!(Gray::from_pgm(b"P5\n100000 100000\n255\n").is_err(), "declared larger than its data");
    }

    #[test]
    fn a_ruled_grid_is_found_once_per_line_and_text_is_not_a_ruling() {
        let mut g = blank(400, 300);
        for x in 20..380 {
            for y in [50, 51, 52, 250] {
                g.pixels[y * 400 + x] = 0;
            }
        }
        for y in 50..251 {
            for x in [20, 200, 379] {
                g.pixels[y * 400 + x] = 0;
            }
        }
        // A character-sized stroke.
        for y in 100..130 {
            g.pixels[y * 400 + 100] = 0;
        }
        let rules = g.rulings(100, 10);
        let horizontal = rules.iter().filter(|r| r.y0 == r.y1).count();
        let vertical = rules.iter().filter(|r| r.x0 == r.x1).count();
        assert_eq!((horizontal, vertical), (2, 3), "{rules:?}");
        assert!(rules.iter().any(|r| r.y0 == 51.0), "a 3-pixel line at its middle");
    }

    #[test]
    fn a_grey_ruling_is_a_ruling_and_a_shaded_band_is_not() {
        let mut g = blank(400, 300);
        // A light grey line (printed grey, blurred by the scan) and a shaded header band.
        for x in 20..380 {
            g.pixels[100 * 400 + x] = 200;
            for y in 150..200 {
                g.pixels[y * 400 + x] = 215;
            }
        }
        let rules = g.rulings(100, 10);
        let at: Vec<f32> = rules.iter().filter(|r| r.y0 == r.y1).map(|r| r.y0).collect();
        assert!(at.contains(&100.0), "the grey line: {rules:?}");
        assert!(at.iter().all(|&y| !(156.0..194.0).contains(&y)), "none inside the band (its edges may be): {rules:?}");
        // Flattened for OCR: a light tint (240) is paper; the line and the darker band stay.
        g.pixels[10 * 400 + 50] = 240;
        let flat = g.flattened();
        let at = |y: usize| flat.pixels[y * 400 + 50];
        assert_eq!((at(10), at(100), at(170)), (255, 200, 215));
    }

    #[test]
    fn a_faded_ruling_is_one_line_and_the_blurred_bottoms_of_a_line_of_text_are_none() {
        let mut g = blank(600, 300);
        // A hairline broken for a few characters' width in three places (a light line
        // scanned at a low resolution), a shaded band along its upper side.
        for x in 20..580 {
            if !(150..170).contains(&x) && !(300..330).contains(&x) && !(450..460).contains(&x) {
                g.pixels[100 * 600 + x] = 200;
            }
            for y in 80..98 {
                g.pixels[y * 600 + x] = 215;
            }
        }
        // Characters (strokes 3 px wide, 30 high, 8 apart) whose bottoms a blur ran together.
        for x in 100..330 {
            for y in 170..200 {
                if x % 8 < 3 {
                    g.pixels[y * 600 + x] = 60;
                }
            }
            g.pixels[200 * 600 + x] = 90;
        }
        let rules = g.rulings(100, 10);
        let horizontal: Vec<&Ruling> = rules.iter().filter(|r| r.y0 == r.y1).collect();
        assert!(
            horizontal.iter().any(|r| r.y0 == 100.0 && r.x0 <= 20.0 && r.x1 >= 579.0),
            "the faded line, whole: {rules:?}"
        );
        assert!(horizontal.iter().all(|r| r.y0 < 150.0), "no line under the characters: {rules:?}");
        // Each stroke is a short vertical piece; piled up a column of them is no ruling.
        assert!(rules.iter().all(|r| r.y0 == r.y1), "no vertical: {rules:?}");
    }

    #[test]
    fn the_blurred_bottoms_of_a_header_line_across_a_table_are_no_ruling() {
        // A line of text as long as a table's rows (660 pixels, longer than `LONG_RULING`
        // shortest rulings: a header's words cell after cell), its characters' bottoms run
        // together by a blur; and a row line under it with a few characters touching it.
        let mut g = blank(700, 300);
        for x in 20..680 {
            for y in 170..200 {
                // (Strokes as dense as a small CJK type's at 300 dpi: half the line.)
                if x % 8 < 4 {
                    g.pixels[y * 700 + x] = 60;
                }
            }
            g.pixels[200 * 700 + x] = 90;
            g.pixels[260 * 700 + x] = 0;
        }
        for x in (100..130).filter(|x| x % 8 < 3) {
            for y in 235..259 {
                g.pixels[y * 700 + x] = 60;
            }
        }
        let rules = g.rulings(100, 10);
        let horizontal: Vec<f32> = rules.iter().filter(|r| r.y0 == r.y1).map(|r| r.y0).collect();
        assert_eq!(horizontal, [260.0], "{rules:?}");
    }

    /// A page of paper (250) with a scanner's noise (±8), and a grid of grey hairlines
    /// blurred over five pixels (darkest 216: 34 below the paper), rows 52 pixels apart, the
    /// columns 728 pixels long (a table's, longer than `LONG_RULING` shortest rulings).
    fn faint_grid() -> Gray {
        let (w, h) = (900, 850);
        let mut seed = 7u32;
        let mut noise = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((seed >> 16) % 17) as i32 - 8
        };
        let mut g =
            Gray { width: w, height: h, pixels: (0..w * h).map(|_| (250 + noise()).clamp(0, 255) as u8).collect() };
        let profile = [(-2i32, 238i32), (-1, 226), (0, 216), (1, 226), (2, 238)];
        let mut darken = |x: usize, y: usize, level: i32, noise: i32| {
            let p = &mut g.pixels[y * w + x];
            *p = (*p as i32).min(level + noise).clamp(0, 255) as u8;
        };
        for row in 0..15 {
            let y = 50 + row * 52;
            for x in 40..860 {
                for (d, level) in profile {
                    darken(x, (y + d) as usize, level, noise());
                }
            }
        }
        for x in [40usize, 450, 860] {
            for y in 50..50 + 14 * 52 {
                for (d, level) in profile {
                    darken((x as i32 + d) as usize, y, level, noise());
                }
            }
        }
        g
    }

    #[test]
    fn a_faint_noisy_hairline_is_found_whole_and_cleared_for_ocr() {
        let g = faint_grid();
        let rules = g.rulings(100, 12);
        let vertical: Vec<&Ruling> = rules.iter().filter(|r| r.x0 == r.x1).collect();
        for x in [40.0, 450.0, 860.0] {
            assert!(
                vertical.iter().any(|r| (r.x0 - x).abs() <= 1.0 && r.y0.min(r.y1) <= 55.0 && r.y0.max(r.y1) >= 770.0),
                "the column line at {x}, whole across the rows it crosses: {vertical:?}"
            );
        }
        assert_eq!(rules.iter().filter(|r| r.y0 == r.y1).count(), 15, "one line per row: {rules:?}");
        // Flattened, the lines break into specks: they are cleared; a dark stroke across one is not.
        let mut inked = g.clone();
        inked.pixels[300 * 900 + 450] = 40;
        let flat = inked.flattened();
        let specks = (60..600).filter(|y| flat.pixels[y * 900 + 450] < 255).count();
        assert!(specks > 0 && specks < 500, "the flattening breaks the line: {specks} of 540 pixels left");
        let clear = flat.without_faint_rulings(&rules, 100);
        let left: Vec<usize> = (60..600).filter(|y| clear.pixels[y * 900 + 450] < 255).collect();
        assert_eq!(left, [300], "only the ink across it is left");
    }

    #[test]
    fn lines_the_flattening_leaves_whole_are_left_for_ocr() {
        let mut g = blank(400, 300);
        for x in 20..380 {
            g.pixels[100 * 400 + x] = 200;
        }
        let rules = g.rulings(50, 10);
        assert_eq!(rules.len(), 1, "{rules:?}");
        let flat = g.flattened();
        assert_eq!(flat.clone().without_faint_rulings(&rules, 50), flat);
    }

    #[test]
    fn a_skewed_page_is_measured_and_straightened() {
        let mut g = blank(800, 600);
        for row in 0..10 {
            for x in 50..750 {
                // Rulings of a 300 dpi scan are two or three pixels thick.
                let y = 60.0 + row as f32 * 50.0 + x as f32 * 0.7f32.to_radians().tan();
                g.pixels[y as usize * 800 + x] = 0;
                g.pixels[(y as usize + 1) * 800 + x] = 0;
            }
        }
        let skew = g.skew();
        assert!((skew - 0.7).abs() < 0.05, "{skew}");
        let straight = g.rotated(skew);
        assert!(straight.skew().abs() < 0.1, "{}", straight.skew());
        let rules = straight.rulings(400, 10);
        assert!(rules.iter().filter(|r| r.y0 == r.y1).count() >= 8, "{rules:?}");
    }

    #[test]
    fn grey_rulings_level_a_page_its_few_words_would_not() {
        // A small table printed in grey (200: lighter than ink, darker than the paper),
        // skewed 1.5°, and a title of a few black words set level (what a page's words
        // alone would give: no skew).
        let mut g = blank(800, 600);
        for row in 0..6 {
            for x in 100..700 {
                let y = 200.0 + row as f32 * 40.0 + x as f32 * 1.5f32.to_radians().tan();
                g.pixels[y as usize * 800 + x] = 200;
                g.pixels[(y as usize + 1) * 800 + x] = 200;
            }
        }
        for x in (300..500).filter(|x| x % 12 < 8) {
            for y in 100..125 {
                g.pixels[y * 800 + x] = 0;
            }
        }
        let skew = g.skew();
        assert!((skew - 1.5).abs() < 0.1, "{skew}");
    }

    #[test]
    fn a_short_faint_column_line_is_a_ruling_from_row_line_to_row_line() {
        // Noisy paper, two dark row lines, and two faint column lines a 200 dpi hairline
        // blurred over two pixels (too light pixel by pixel): one from row line to row line
        // (150 pixels, shorter than a faint line must be to stand alone), one stopping short
        // of both, as the averaged edge of a column of characters in a cell does.
        let (w, h) = (900, 300);
        let mut seed = 11u32;
        let mut noise = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((seed >> 16) % 17) as i32 - 8
        };
        let mut g =
            Gray { width: w, height: h, pixels: (0..w * h).map(|_| (250 + noise()).clamp(0, 255) as u8).collect() };
        for y in [50usize, 200] {
            for x in 40..860 {
                g.pixels[y * w + x] = 40;
            }
        }
        let profile = [(-1i32, 234i32), (0, 224), (1, 224), (2, 234)];
        for (x, from, to) in [(300usize, 50usize, 200usize), (600, 70, 180)] {
            for y in from..=to {
                for (d, level) in profile {
                    let p = &mut g.pixels[y * w + (x as i32 + d) as usize];
                    *p = (*p as i32).min(level + noise()).clamp(0, 255) as u8;
                }
            }
        }
        let rules = g.rulings(100, 12);
        let down: Vec<&Ruling> = rules.iter().filter(|r| r.x0 == r.x1).collect();
        assert!(down.iter().any(|r| (r.x0 - 300.5).abs() <= 1.0), "{down:?}");
        assert!(!down.iter().any(|r| (r.x0 - 600.5).abs() <= 2.0), "{down:?}");
    }

    #[test]
    fn a_short_column_line_with_figures_close_beside_it_is_a_ruling() {
        // Row lines 50 pixels apart; a column line between the first and the last (200
        // long: shorter than `LONG_RULING` shortest rulings) with a right-aligned figure's
        // last digit three pixels from it on every row: ink beside half its length.
        let mut g = blank(400, 300);
        for y in [50, 100, 150, 200, 250] {
            for x in 20..380 {
                g.pixels[y * 400 + x] = 0;
            }
        }
        for y in 50..=250 {
            for x in [20, 200, 379] {
                g.pixels[y * 400 + x] = 0;
            }
        }
        for top in [62, 112, 162, 212] {
            for y in top..top + 24 {
                for x in 193..197 {
                    g.pixels[y * 400 + x] = 0;
                }
            }
        }
        let rules = g.rulings(100, 10);
        assert!(rules.iter().any(|r| r.x0 == 200.0 && r.x1 == 200.0), "{rules:?}");
        // Without the row lines it ends on, the same line beside the same ink is not told
        // from a line of text.
        let mut loose = blank(400, 300);
        for y in 50..=250 {
            loose.pixels[y * 400 + 200] = 0;
        }
        for top in [62, 112, 162, 212] {
            for y in top..top + 24 {
                for x in 193..197 {
                    loose.pixels[y * 400 + x] = 0;
                }
            }
        }
        assert!(loose.rulings(100, 10).is_empty());
    }

    #[test]
    fn a_line_a_low_resolution_scan_blurred_wide_is_a_ruling_from_ruling_to_ruling() {
        // A column line scanned at 150 dpi, blurred and doubled to 300: 15 pixels from paper
        // to paper, deeper than the thickest ruling (12) by its grey edges.
        let blurred = |rows: bool| {
            let mut g = blank(400, 300);
            let profile = [220, 210, 190, 160, 120, 80, 60, 60, 60, 80, 120, 160, 190, 210, 220];
            for y in 20..=280 {
                for (d, level) in profile.iter().enumerate() {
                    g.pixels[y * 400 + 193 + d] = *level;
                }
            }
            for y in [20, 280].into_iter().filter(|_| rows) {
                for x in 100..300 {
                    g.pixels[y * 400 + x] = 0;
                }
            }
            g.rulings(100, 12)
        };
        let column = |rules: &[Ruling]| rules.iter().any(|r| r.x0 == r.x1 && (r.x0 - 200.0).abs() <= 1.0);
        let rules = blurred(true);
        assert!(column(&rules), "{rules:?}");
        // Alone, as wide, it is as likely a bold character's stroke.
        assert!(!column(&blurred(false)));
    }
}
