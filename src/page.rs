//! The page model every producer fills and every later stage reads: glyphs and rulings as
//! placed on a page (a PDF's text layer, gongkai's own OCR, another tool's TSV or hOCR),
//! OCR words, and the lines of cells that layout builds from them (or that OCR text gives
//! directly). Neutral: it knows no PDF engine, OCR engine or file format.
//!
//! Coordinates: PDF points, origin at the top-left of the rendered page, y grows downwards;
//! a glyph's `y` is its baseline.

/// One glyph: its text and where it sits.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The Unicode text; `None` when the font gives no mapping. Held inline (a glyph's text
    /// is a character or two, and a long document has half a million glyphs).
    pub text: Option<compact_str::CompactString>,
    /// Left edge, points.
    pub x: f32,
    /// Baseline, points from the top.
    pub y: f32,
    /// Font size (em height), points.
    pub size: f32,
    /// Advance along the line, points (estimated from the next glyph of the run).
    pub width: f32,
    /// The OCR engine's confidence (0–100) for an OCR'd word; `None` for a text layer.
    pub confidence: Option<f32>,
}

/// A straight ruling line: horizontal (`y0 == y1`) or vertical (`x0 == x1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ruling {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Ruling {
    /// Whether this is a column (vertical) ruling running past the height `y`.
    pub fn column_through(&self, y: f32) -> bool {
        self.x0 == self.x1 && self.y0.min(self.y1) <= y && self.y0.max(self.y1) >= y
    }
}

/// One page of a PDF.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// 1-based.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    /// Page rotation in degrees (already applied to the coordinates).
    pub rotation: u16,
    pub glyphs: Vec<Glyph>,
    pub rulings: Vec<Ruling>,
    /// Images drawn on the page (a scan has one covering the page).
    pub images: u32,
    /// Share of the page the largest image covers (0–1): about 1 for a scan.
    pub image_cover: f32,
    /// Pixels of the largest image, as declared (width × height).
    pub image_pixels: u64,
    /// Glyphs drawn invisibly (text render mode 3): an OCR layer hidden under a scan.
    pub invisible: u32,
    /// Where the page's glyphs come from: the text layer, or OCR (gongkai's own, or a
    /// hidden OCR layer that passed the quality checks).
    pub source: crate::model::TextSource,
    /// The figures gongkai's OCR read on the page, cut out of the image it read: `recover`
    /// has the second engine (PP-OCR) read those whose reading is in doubt.
    pub figures: Vec<FigureCrop>,
}

/// A figure the first OCR engine (tesseract) read, and its crop of the page image.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureCrop {
    /// The word's box, points from the page's top-left (the deskewed frame of the glyphs).
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    /// The first engine's text of the word.
    pub first: String,
    /// The crop: greyscale, row-major, 0 black.
    pub pixels: Vec<u8>,
    pub pixel_width: usize,
    pub pixel_height: usize,
}

/// An OCR'd word: its text, box in points (top-left origin) and confidence (0–100).
#[derive(Debug, Clone, Default, PartialEq)]
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
            text: Some(self.text.as_str().into()),
            x: self.left,
            y: self.top + self.height,
            size: self.height,
            width: self.width,
            confidence: Some(self.confidence),
        }
    }
}

/// One line of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the source text.
    pub number: u32,
    /// 1-based page (from form feeds; refined by layout).
    pub page: u32,
    /// Tab-separated fields as printed; an empty field is an empty cell.
    pub cells: Vec<String>,
    /// For PDF text split at gaps (no rulings): each cell's left and right x, in points,
    /// so layout can align an unruled table's columns. Empty otherwise.
    pub spans: Vec<(f32, f32)>,
    /// For PDF pages: where each cell's text sits (one per cell; `None` for an empty one).
    /// Empty for OCR text.
    pub boxes: Vec<Option<CellBox>>,
    /// The line goes on with the ruled body row of the line before: a row of its own under
    /// rulings that cross only some columns, beside cells merged over both (a project's
    /// indicators beside its name). False for the first row of a ruled row, and off grids.
    pub continues_row: bool,
}

/// Where a cell's text sits on its page (PDF points from the top-left; a glyph's box runs
/// from one em above its baseline to the baseline), and how sure OCR was of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellBox {
    pub x0: f32,
    pub top: f32,
    pub x1: f32,
    pub bottom: f32,
    /// The lowest OCR confidence (0–100) of its words; `None` for a text layer.
    pub confidence: Option<f32>,
}

impl CellBox {
    /// A glyph's box.
    pub fn of(g: &Glyph) -> CellBox {
        CellBox { x0: g.x, top: g.y - g.size, x1: g.x + g.width, bottom: g.y, confidence: g.confidence }
    }

    /// The box around both (either may be absent); the lower confidence.
    pub fn union(a: Option<CellBox>, b: Option<CellBox>) -> Option<CellBox> {
        match (a, b) {
            (Some(a), Some(b)) => Some(CellBox {
                x0: a.x0.min(b.x0),
                top: a.top.min(b.top),
                x1: a.x1.max(b.x1),
                bottom: a.bottom.max(b.bottom),
                confidence: match (a.confidence, b.confidence) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                },
            }),
            (a, b) => a.or(b),
        }
    }
}

impl Line {
    /// The cells that hold text, with their positions.
    pub fn filled(&self) -> impl Iterator<Item = (usize, &str)> {
        self.cells.iter().enumerate().map(|(i, c)| (i, c.trim())).filter(|(_, c)| !c.is_empty())
    }

    /// True when no cell holds text.
    pub fn is_blank(&self) -> bool {
        self.filled().next().is_none()
    }

    /// The line's text with cells joined by a single space.
    pub fn text(&self) -> String {
        let mut text = String::with_capacity(self.cells.iter().map(|c| c.len() + 1).sum());
        for (_, cell) in self.filled() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(cell);
        }
        text
    }

    /// The source line as printed, tabs and all.
    pub fn raw(&self) -> String {
        self.cells.join("\t")
    }
}

/// A character's estimated advance in ems, for placing the characters of an OCR word or
/// line whose box is all the engine gives: a CJK character one em, others a little over half.
pub fn advance(c: char) -> f32 {
    if c.is_ascii() { 0.55 } else { 1.0 }
}

/// Splits words that straddle a table's vertical ruling, or hold the `|` the engine makes
/// of one, into one word per cell. Characters are placed by estimated advance (a CJK
/// character one em, others a little over half), and the `|` themselves are dropped.
pub fn split_at_rulings(words: Vec<Word>, rules: &[Ruling]) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        let chars: Vec<char> = word.text.chars().collect();
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
        // Where each ruling falls between characters, by estimated advance.
        let mut cut_before = vec![false; chars.len()];
        let (mut x, mut previous) = (word.left, word.left);
        for (i, &c) in chars.iter().enumerate() {
            let centre = x + advance(c) * unit / 2.0;
            cut_before[i] = i > 0 && cuts.iter().any(|&k| k > previous && k <= centre);
            previous = centre;
            x += advance(c) * unit;
        }
        settle_figure_cuts(&chars, &mut cut_before);
        settle_code_cuts(&chars, &mut cut_before);
        let mut x = word.left;
        let mut piece: Option<Word> = None;
        for (i, c) in chars.into_iter().enumerate() {
            let w = advance(c) * unit;
            if c == '|' || (cut_before[i] && piece.is_some()) {
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

/// Glyphs the engine makes of a vertical ruling's ink: a bar, a bracket, a one.
const RULING_MARKS: [char; 9] = ['1', 'l', 'I', '|', '丨', ']', '[', '!', 'j'];

/// `words` without those that are a vertical ruling read as text: a word of ruling marks
/// only (`1`, `]1`), narrow, its box across the ruling (`1` at the left edge of an empty
/// figure cell, read as a figure 1). A figure stands clear of its cell's rulings.
pub fn without_ruling_marks(words: Vec<Word>, rules: &[Ruling]) -> Vec<Word> {
    words
        .into_iter()
        .filter(|w| {
            let narrow = w.width <= 0.5 * w.height;
            let marks = !w.text.is_empty() && w.text.chars().all(|c| RULING_MARKS.contains(&c));
            let (cy, (x0, x1)) = (w.top + w.height / 2.0, (w.left - 0.5, w.left + w.width + 0.5));
            let on_ruling = rules.iter().any(|r| r.column_through(cy) && r.x0 >= x0 && r.x0 <= x1);
            !(narrow && marks && on_ruling)
        })
        .collect()
}

/// Two figures the engine read as one word across a ruling (`44.08000044.080000`): the
/// estimated advance puts the cut a character or more off (digits and points are not all
/// as wide), so each cut moves to the nearest place, up to five characters away, where the
/// pieces on both sides are amounts with a decimal point (the same number of decimals
/// preferred). Words of other text keep their cuts.
fn settle_figure_cuts(chars: &[char], cut_before: &mut [bool]) {
    let figure_like = |c: &char| c.is_ascii_digit() || matches!(c, '.' | ',' | '-');
    if !chars.iter().all(figure_like) || code_shaped(chars) || !cut_before.iter().any(|&c| c) {
        return;
    }
    let amount = |piece: &[char]| -> Option<usize> {
        let text: String = piece.iter().collect();
        let (whole, decimals) = text.trim_start_matches('-').split_once('.')?;
        let ok = !whole.is_empty()
            && whole.ends_with(|c: char| c.is_ascii_digit())
            && whole.chars().all(|c| c.is_ascii_digit() || c == ',')
            && !decimals.is_empty()
            && decimals.chars().all(|c| c.is_ascii_digit());
        ok.then_some(decimals.len())
    };
    let cuts: Vec<usize> = (0..chars.len()).filter(|&i| cut_before[i]).collect();
    let mut settled = Vec::with_capacity(cuts.len());
    for (n, &at) in cuts.iter().enumerate() {
        let start = settled.last().copied().unwrap_or(0);
        let end = cuts.get(n + 1).copied().unwrap_or(chars.len());
        let best = (at.saturating_sub(5).max(start + 1)..=(at + 5).min(end.saturating_sub(1)))
            .filter_map(|j| {
                let (left, right) = (amount(&chars[start..j])?, amount(&chars[j..end])?);
                Some((usize::from(left != right) * 10 + j.abs_diff(at), j))
            })
            .min();
        // No place makes two amounts, and the word is one: the engine's box overhangs the
        // ruling (`590.715374` boxed a few characters into the next cell would be cut into
        // `590.715` and `374`), so the figure stays whole.
        match best {
            Some((_, j)) => settled.push(j),
            None if amount(&chars[start..end]).is_some() => {}
            None => settled.push(at),
        }
    }
    cut_before.iter_mut().for_each(|c| *c = false);
    for j in settled {
        cut_before[j] = true;
    }
}

/// The digits of a classification code (3, 5 or 7 digits, then `-` and its name, as
/// `30110-职工基本医疗保险缴费`) that OCR set on the wrong side of the ruling the code's cell
/// begins at, or read the ruling into: the last digit or two of the word before the ruling
/// that make the code whole (`社会保障缴费3 | 0110-…` → `…缴费 | 30110-…`), and a `1`, comma or
/// point read for the ruling before a code one digit too long (`130207-邮电费`, `,30202-印刷费`).
/// A code of a valid length is left as it is, unless the digits before the ruling are all
/// that ends a name (`公务接待费30 | 217-…`): a name ends in no digit.
pub fn codes_at_rulings(mut words: Vec<Word>, rules: &[Ruling]) -> Vec<Word> {
    let valid = |n: usize| matches!(n, 3 | 5 | 7);
    let code_digits = |text: &str| {
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        (text[digits..].starts_with('-') && digits > 0).then_some(digits)
    };
    let ruling_at = |x: f32, w: &Word| {
        rules.iter().any(|r| {
            (r.x0 - r.x1).abs() < 0.5
                && (r.x0 - x).abs() <= w.height * 0.6
                && r.y0.min(r.y1) <= w.top + 2.0
                && r.y0.max(r.y1) >= w.top + w.height - 2.0
        })
    };
    for w in words.iter_mut() {
        // A speck read for the ruling before the code.
        if ruling_at(w.left, w) {
            let after = w.text.trim_start_matches([',', '.', '、', '\'', '"', '|']);
            let dropped = w.text.len() - after.len();
            let one = if dropped == 0 && after.starts_with('1') { 1 } else { 0 };
            if let Some(n) = code_digits(&after[one..])
                && (dropped > 0 && valid(n) || one == 1 && !valid(n + 1) && valid(n))
            {
                let (rest, count) = (after[one..].to_string(), w.text.chars().count());
                let share = w.width * (count - rest.chars().count()) as f32 / count.max(1) as f32;
                w.text = rest;
                (w.left, w.width) = (w.left + share, w.width - share);
            }
        }
    }
    // Digits left before the ruling: the word just before on the same line.
    for j in 0..words.len() {
        let Some(n) = code_digits(&words[j].text) else { continue };
        if !ruling_at(words[j].left, &words[j]) {
            continue;
        }
        let gap = |w: &Word| (w.left + w.width - words[j].left).abs();
        let before = (0..words.len())
            .filter(|&i| {
                let w = &words[i];
                (w.top - words[j].top).abs() <= words[j].height * 0.5
                    && w.left < words[j].left
                    && gap(w) <= words[j].height
            })
            .min_by(|&a, &b| gap(&words[a]).total_cmp(&gap(&words[b])));
        let Some(i) = before else { continue };
        let text = words[i].text.clone();
        let tail = text.chars().rev().take_while(char::is_ascii_digit).count();
        let Some(k) = (1..=tail.min(2)).find(|&k| valid(n + k)) else { continue };
        if tail == text.chars().count() && tail > 2 {
            continue; // a figure or a code of its own, not a name's end (a digit or two alone is)
        }
        // A code of a valid length takes the digits only where they are all a name's end (a
        // name ends in no digit: `公务接待费30 | 217-…` is `公务接待费 | 30217-…`).
        let named = text.chars().rev().nth(tail).is_some_and(|c| !c.is_ascii() && c.is_alphabetic());
        if valid(n) && !(k == tail && named) {
            continue;
        }
        let moved: String = text[text.len() - k..].to_string();
        let share = words[i].width * k as f32 / text.chars().count() as f32;
        words[i].text.truncate(text.len() - k);
        words[i].width -= share;
        words[j].text = format!("{moved}{}", words[j].text);
        (words[j].left, words[j].width) = (words[j].left - share, words[j].width + share);
    }
    words.retain(|w| !w.text.is_empty());
    words
}

/// A name and the code of the next cell read as one word across a ruling
/// (`社会保障缴费30110-职工…`): an ideograph is as wide as two digits, not the estimated
/// advance's 1.8, so the cut lands a digit or two inside the code (`…缴费3 | 0110-…`). In a
/// word of text, a cut inside a run of digits moves to the nearer end of the run (its start
/// on a tie: a cell begins with its code).
fn settle_code_cuts(chars: &[char], cut_before: &mut [bool]) {
    if chars.iter().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-')) && !code_shaped(chars) {
        return; // figures: `settle_figure_cuts`
    }
    for i in 1..chars.len() {
        if !cut_before[i] || !chars[i - 1].is_ascii_digit() || !chars[i].is_ascii_digit() {
            continue;
        }
        let start = (0..i).rev().take_while(|&j| chars[j].is_ascii_digit()).last().unwrap_or(i);
        let end = (i..chars.len()).take_while(|&j| chars[j].is_ascii_digit()).last().map_or(i, |j| j + 1);
        let to = if i - start <= end - i { start } else { end };
        cut_before[i] = false;
        if to > 0 && to < chars.len() {
            cut_before[to] = true;
        }
    }
}

/// Whether a word begins as a code does, digits then a dash (`30217-`, `30217-公务接待费`):
/// a code whose name the engine read as words of their own is no figure.
fn code_shaped(chars: &[char]) -> bool {
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    digits >= 3 && chars.get(digits) == Some(&'-')
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
    fn a_ruling_read_as_a_one_is_no_word() {
        let ruling = Ruling { x0: 579.0, y0: 100.0, x1: 579.0, y1: 500.0 };
        let word = |text: &str, left: f32, width: f32| Word {
            text: text.into(),
            left,
            top: 291.6,
            width,
            height: 7.4,
            confidence: 47.0,
        };
        let words = vec![
            word("1", 578.9, 1.4),
            word("]1", 578.9, 0.5),
            word("1", 650.0, 3.0),
            word("1.00", 578.9, 14.0),
            word("出", 577.0, 4.0),
        ];
        let kept: Vec<(String, f32)> =
            without_ruling_marks(words, &[ruling]).into_iter().map(|w| (w.text, w.left)).collect();
        // A figure 1 clear of the ruling, a figure over it, a character over it: kept.
        assert_eq!(kept, [("1".to_string(), 650.0), ("1.00".to_string(), 578.9), ("出".to_string(), 577.0)]);
    }
}
