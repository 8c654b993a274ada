//! The figures of an OCR'd page, cut out for the second engine. Tesseract reads the page;
//! each figure it read is cut out of the same straightened image, between the rulings around
//! it, and kept with the page (a few kilobytes a figure, not the page image). `recover` has
//! PP-OCR ([`super::ppocr`], a neural text-line recogniser whose mistakes are not
//! tesseract's) read those whose reading is in doubt — in a broken identity, or read with
//! low confidence — and the identities decide.
//!
//! Text is decided here, on the page: a run of words (a header word, a label) that
//! tesseract read with low confidence as no name gongkai knows (`让计小诗` for 小计) is read
//! again by PP-OCR, and its reading is kept where it is a name the templates or
//! vocabularies know ([`reread_texts`]); the page's findings give both readings.

use super::image::Gray;
use crate::page::{FigureCrop, Ruling, Word};

/// Paper kept around a figure's box, in units of its height: PP-OCR reads a line cut close
/// less well, and tesseract's box at times misses a faint first or last digit.
const PAD_X: f32 = 0.6;
const PAD_Y: f32 = 0.3;

/// Tesseract's confidence (0–100) under which a run of text that names nothing known is read
/// again: its garbled header words come with low confidence, the words it reads right
/// mostly above 85.
pub(super) const TEXT_DOUBT: f32 = 80.0;

/// PP-OCR's confidence (0–100) a reading of text needs to replace tesseract's: the garbled
/// header words it read right came at 98–100.
pub const SECOND_SURE: f32 = 80.0;

/// Ink of a ruling kept off the crop's edge, pixels (a line along the edge reads as `1` or `一`).
const RULING_CLEARANCE: f32 = 4.0;

/// The figures among `words` (points) cut out of `image` (the page as tesseract read it,
/// `scale` points per pixel) between `rulings`.
pub fn crops(image: &Gray, words: &[Word], rulings: &[Ruling], scale: f32) -> Vec<FigureCrop> {
    // (And each word read as no figure that is one in all likelihood, for a cell that comes
    // out unreadable: `00odl`, `0.00l`.)
    let unreadable = words.iter().filter(|w| figure_like(&w.text)).cloned();
    figures(words, rulings)
        .into_iter()
        .chain(unreadable)
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

/// A run of text the second engine read again as a known name: its first reading (the
/// words joined) and confidence (the lowest of its words, 0–100), and the second.
#[derive(Debug, Clone, PartialEq)]
pub struct TextReread {
    pub first: String,
    pub first_confidence: f32,
    pub second: String,
    pub second_confidence: f32,
}

/// `words` with each run of text (words on one line, a character apart, no ruling between)
/// that tesseract read with low confidence as no name `known` knows replaced by one word,
/// `read`'s reading of its crop, where that is a known name; and those runs.
pub fn reread_texts(
    image: &Gray,
    words: Vec<Word>,
    rulings: &[Ruling],
    scale: f32,
    known: impl Fn(&str) -> bool,
    read: impl Fn(&Gray) -> Option<(String, f32)>,
) -> (Vec<Word>, Vec<TextReread>) {
    let mut replaced: Vec<Option<Word>> = vec![None; words.len()];
    let mut dropped = vec![false; words.len()];
    // Words another run's second reading took in: in that reading, not read again.
    let mut consumed = vec![false; words.len()];
    let mut rereads = Vec::new();
    for (run, joined) in runs(&words, |w| !is_figure(&w.text) && !w.text.is_ascii(), 1.0, rulings) {
        let (first, confidence) = (joined.text.clone(), joined.confidence);
        // A run over a column ruling holds several cells' text: no one name.
        if known(&first) || run.iter().any(|&i| consumed[i]) || super::cells::across_columns(&joined, rulings) {
            continue;
        }
        let reach = to_line_end(&joined, &words, &run, rulings, image.width as f32 * scale);
        // A run that starts well into its cell with ink before it and no word there: the
        // engine left the name's start out (`老保` read of `2080505-机关事业单位基本养老保险…`).
        let before = from_cell_start(&joined, &words, &run, rulings);
        let (h, start) = (joined.height, joined.left);
        let ink_before =
            start - before.left >= 2.0 * h && ink_in(image, &joined, before.left + h / 2.0, start - h / 4.0, scale);
        let right = (reach.left + reach.width).max(before.left + before.width);
        let reach = if ink_before { Word { left: before.left, width: right - before.left, ..reach } } else { reach };
        // Read in doubt, or read surely but short of ink on its line that no word holds.
        if confidence >= TEXT_DOUBT && !ink_after(image, &joined, &reach, scale) && !ink_before {
            continue;
        }
        // The crop stops short of the words beside the run too: a year's last digit beside a
        // title read as part of it (`5年…`) would make it another name.
        let fences: Vec<Ruling> = rulings.iter().copied().chain(fences(&words, &run, &joined)).collect();
        let Some(cut) = crop(image, &reach, &fences, scale) else { continue };
        let Some(second) = read(&cut) else { continue };
        // (A crop from the cell's start takes in no figure beside the run: its digits are the
        // name's code.)
        let edges = if ink_before { second.0.trim() } else { edges_as_first(second.0.trim(), &first) };
        let text = without_stray_marks(edges).to_string();
        let second_confidence = second.1 * 100.0;
        // A known name, or a classification code and its name (a coded table's label, which
        // the vocabularies do not list: its code keys the row and the code hierarchy checks it).
        if text == first || second_confidence < SECOND_SURE || !(known(&text) || coded_name(&text)) {
            continue;
        }
        // A reading longer than the crop can hold took in text beside it (`十三、交通运输支出`
        // from `交通`'s crop, the rest its own word): not this run's.
        if printed_width(&text, joined.height) > cut.width as f32 * scale {
            continue;
        }
        for &i in &run {
            dropped[i] = true;
        }
        // Words of what the run's reading left out, within the crop (`公”` in the box of `“三`,
        // or past the run's end), are in the second reading; not a word of the row above or
        // below, across a ruling from the run's middle (a run boxed over two rows reaches it).
        let mut whole = joined;
        if ink_before {
            whole.width += whole.left - reach.left;
            whole.left = reach.left;
        }
        let (start, reach_end) = (whole.left, reach.left + reach.width);
        let middle = whole.top + whole.height / 2.0;
        for (i, w) in words.iter().enumerate() {
            let (cx, cy) = (w.left + w.width / 2.0, w.top + w.height / 2.0);
            let on_line = cy > whole.top - whole.height / 2.0
                && cy < whole.top + whole.height * 1.5
                && !ruled_between(rulings, cx, cy, middle);
            if !run.contains(&i) && on_line && cx > start && cx < reach_end && !is_figure(&w.text) {
                consumed[i] = true;
                whole.width = whole.width.max(w.left + w.width - whole.left);
            }
        }
        tracing::debug!(
            first,
            second = text,
            left = whole.left,
            top = whole.top,
            width = whole.width,
            "a run of text read again"
        );
        rereads.push(TextReread { first, first_confidence: confidence, second: text.clone(), second_confidence });
        replaced[run[0]] = Some(Word { text, confidence: second_confidence, ..whole });
    }
    let words = words
        .into_iter()
        .zip(replaced.into_iter().zip(dropped).zip(consumed))
        .filter_map(
            |(word, ((replacement, dropped), consumed))| {
                if consumed { None } else { replacement.or((!dropped).then_some(word)) }
            },
        )
        .collect();
    (words, rereads)
}

/// Whether a horizontal ruling across `x` lies between heights `a` and `b` (points).
fn ruled_between(rulings: &[Ruling], x: f32, a: f32, b: f32) -> bool {
    let (top, bottom) = (a.min(b), a.max(b));
    rulings.iter().any(|r| r.y0 == r.y1 && r.x0.min(r.x1) <= x && r.x0.max(r.x1) >= x && r.y0 > top && r.y0 < bottom)
}

/// The run `joined` reaching to its line's end where no other word stands after it on its
/// line: to the next vertical ruling, or the page's edge (`right`, points). Tesseract at
/// times leaves out a title's or a label's end (`…一般公共预算“三公”` of `…“三公”经费预算表`);
/// the crop then holds what it left.
fn to_line_end(joined: &Word, words: &[Word], run: &[usize], rulings: &[Ruling], right: f32) -> Word {
    let (y0, y1, end) = (joined.top, joined.top + joined.height, joined.left + joined.width);
    let after = words
        .iter()
        .enumerate()
        .any(|(i, w)| !run.contains(&i) && w.top < y1 && w.top + w.height > y0 && w.left + w.width / 2.0 > end);
    if after {
        return joined.clone();
    }
    let cy = (y0 + y1) / 2.0;
    let ruling = columns_at(rulings, cy).filter(|&x| x >= end - 1.0).fold(right, f32::min);
    Word { width: ruling - joined.left, ..joined.clone() }
}

/// `joined` reaching back to the column ruling before it, where no other word lies on its
/// line between, and on to the one after it likewise (else `joined` as it is).
fn from_cell_start(joined: &Word, words: &[Word], run: &[usize], rulings: &[Ruling]) -> Word {
    let (y0, y1, start) = (joined.top, joined.top + joined.height, joined.left);
    let cy = (y0 + y1) / 2.0;
    let Some(ruling) = columns_at(rulings, cy).filter(|&x| x <= start + 1.0).reduce(f32::max) else {
        return joined.clone();
    };
    // (A word boxed from before the run over it, `50102-` boxed over its name, is there too.)
    let between = words.iter().enumerate().any(|(i, w)| {
        !run.contains(&i) && w.top < y1 && w.top + w.height > y0 && w.left + w.width > ruling && w.left < start - 1.0
    });
    if between || ruling >= start {
        return joined.clone();
    }
    // To the cell's end as well, where no word lies after the run in it (what was left out
    // runs on to the end of the name).
    let end = joined.left + joined.width;
    let right = columns_at(rulings, cy)
        .filter(|&x| x >= end - 1.0)
        .reduce(f32::min)
        .filter(|&right| {
            !words.iter().enumerate().any(|(i, w)| {
                !run.contains(&i)
                    && w.top < y1
                    && w.top + w.height > y0
                    && w.left < right
                    && w.left + w.width > end + 1.0
            })
        })
        .unwrap_or(end);
    Word { left: ruling, width: right - ruling, ..joined.clone() }
}

/// Where the column rulings running past the height `y` stand (points).
fn columns_at(rulings: &[Ruling], y: f32) -> impl Iterator<Item = f32> + '_ {
    rulings.iter().filter(move |r| r.column_through(y)).map(|r| r.x0)
}

/// True where `text` is a classification code (类, 款 or 项: 3, 5 or 7 digits), a dash and
/// a name (`2080505-机关事业单位基本养老保险缴费支出`).
fn coded_name(text: &str) -> bool {
    static CODED: std::sync::LazyLock<crate::pattern::Regex> = std::sync::LazyLock::new(|| {
        crate::pattern::compile(r"^[0-9]{3}(?:[0-9]{2}){0,2}[\-—－]\p{Han}{2,}").expect("coded name")
    });
    CODED.is_match(text)
}

/// Whether the stretch of `reach` after `joined` (a character's height on) holds ink: a
/// character or more of something the run's reading left out.
fn ink_after(image: &Gray, joined: &Word, reach: &Word, scale: f32) -> bool {
    ink_in(
        image,
        joined,
        joined.left + joined.width + joined.height,
        reach.left + reach.width - joined.height / 2.0,
        scale,
    )
}

/// Whether the stretch from `from` to `to` (points) on `joined`'s line holds a character's ink
/// or more.
fn ink_in(image: &Gray, joined: &Word, from: f32, to: f32, scale: f32) -> bool {
    let px = |v: f32, max: usize| ((v / scale).max(0.0) as usize).min(max);
    let (x0, x1) = (px(from, image.width), px(to, image.width));
    let (y0, y1) =
        (px(joined.top + joined.height * 0.2, image.height), px(joined.top + joined.height * 0.8, image.height));
    if x1 <= x0 || y1 <= y0 {
        return false;
    }
    let dark = super::cells::ink(image, super::cells::CellBox { x0, y0, x1, y1 });
    // A character's strokes cross its middle rows: a tenth of its box dark at least.
    dark as f32 >= 0.1 * (joined.height / scale).powi(2) * 0.6
}

/// About how wide `text` prints in characters `height` high (tesseract's box of a Chinese
/// character is about its advance; other characters take half), a little under rather than over.
fn printed_width(text: &str, height: f32) -> f32 {
    0.85 * height * text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum::<f32>()
}

/// `second` without the digits at its ends that `first` has not there: a figure beside the
/// run (a title's year) whose edge the crop took in, read as part of the text (`5年…`).
fn edges_as_first<'a>(second: &'a str, first: &str) -> &'a str {
    let digit = |c: char| c.is_ascii_digit();
    let second = if first.starts_with(digit) { second } else { second.trim_start_matches(digit) };
    if first.ends_with(digit) { second } else { second.trim_end_matches(digit) }
}

/// `text` without the marks at its ends that pair with nothing in it: the edge of a ruling or
/// a speck past a name's end read as `」` or `|` (`国有资本经营预算」`). A closing bracket whose
/// opening one the text holds (`（按功能分类科目）`), or the reverse, stays.
pub(super) fn without_stray_marks(text: &str) -> &str {
    const PAIRS: [(char, char); 6] = [('(', ')'), ('（', '）'), ('“', '”'), ('「', '」'), ('《', '》'), ('〈', '〉')];
    let stray = |c: char, text: &str| {
        !c.is_alphanumeric()
            && !PAIRS
                .iter()
                .any(|&(open, close)| (c == close && text.contains(open)) || (c == open && text.contains(close)))
    };
    let mut text = text;
    while let Some(c) = text.chars().next_back().filter(|&c| stray(c, text)) {
        text = &text[..text.len() - c.len_utf8()];
    }
    while let Some(c) = text.chars().next().filter(|&c| stray(c, text)) {
        text = &text[c.len_utf8()..];
    }
    text
}

/// Vertical lines at the near edges of the words beside `joined` on its line (not the words
/// of its `run`), as rulings a crop stops short of.
fn fences<'a>(words: &'a [Word], run: &'a [usize], joined: &'a Word) -> impl Iterator<Item = Ruling> + 'a {
    let (y0, y1) = (joined.top, joined.top + joined.height);
    words.iter().enumerate().filter(move |(i, w)| !run.contains(i) && w.top < y1 && w.top + w.height > y0).filter_map(
        move |(_, w)| {
            // A word's box may reach into the run's: the fence is then the run's own edge.
            let centre = w.left + w.width / 2.0;
            let x = if centre < joined.left {
                (w.left + w.width).min(joined.left)
            } else if centre > joined.left + joined.width {
                w.left.max(joined.left + joined.width)
            } else {
                return None;
            };
            Some(Ruling { x0: x, y0, x1: x, y1 })
        },
    )
}

/// The word `all` and the word `next` to its right as one: their boxes' union, the texts
/// joined, the lower confidence.
fn joined(mut all: Word, next: &Word) -> Word {
    let right = (next.left + next.width).max(all.left + all.width);
    let bottom = (next.top + next.height).max(all.top + all.height);
    all.top = all.top.min(next.top);
    (all.width, all.height) = (right - all.left, bottom - all.top);
    all.text.push_str(&next.text);
    all.confidence = all.confidence.min(next.confidence);
    all
}

/// Runs of the words `of` takes, each as its words' indices into `words` left to right and
/// the words joined: each next word on the run's line, beside it closer than `gap` times a
/// character's height, with no ruling between.
fn runs(words: &[Word], of: impl Fn(&Word) -> bool, gap: f32, rulings: &[Ruling]) -> Vec<(Vec<usize>, Word)> {
    let mut order: Vec<usize> = (0..words.len()).filter(|&i| of(&words[i])).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&words[a], &words[b]);
        (a.top + a.height).total_cmp(&(b.top + b.height)).then(a.left.total_cmp(&b.left))
    });
    let mut out: Vec<(Vec<usize>, Word)> = Vec::new();
    for i in order {
        // Lines a point apart interleave in that order: the word's own run is looked for.
        match out.iter_mut().rev().find(|(_, all)| beside(all, &words[i], gap, rulings)) {
            Some((run, all)) => {
                run.push(i);
                *all = joined(std::mem::take(all), &words[i]);
            }
            None => out.push((vec![i], words[i].clone())),
        }
    }
    // A run begun to the right before the words left of it were met (its words sit a point
    // higher: `人了?` after `…一般公共预算“三`) goes on the run it is beside.
    while let Some((a, b)) = (0..out.len())
        .flat_map(|a| (0..out.len()).map(move |b| (a, b)))
        .find(|&(a, b)| a != b && beside(&out[a].1, &out[b].1, gap, rulings))
    {
        let (run, all) = out.remove(b);
        let a = if b < a { a - 1 } else { a };
        out[a].0.extend(run);
        out[a].1 = joined(std::mem::take(&mut out[a].1), &all);
    }
    out
}

/// The figures among `words`, the pieces of one joined: tesseract at times cuts a figure
/// in two at its point or a separator (`247.55` `2000`), and two crops, each with paper
/// around it, would each take in the other's edge (`247.55` + `52000`).
fn figures(words: &[Word], rulings: &[Ruling]) -> Vec<Word> {
    // Closer than 0.8 of a character's height: the gap between two columns of figures is wider.
    runs(words, |w| is_figure(&w.text), 0.8, rulings).into_iter().map(|(_, all)| all).collect()
}

/// Whether `next` goes on with the run whose last word is `last`, on its line: beside it on
/// the right, closer than `gap` times a character's height, no ruling between them.
fn beside(last: &Word, next: &Word, gap_limit: f32, rulings: &[Ruling]) -> bool {
    let overlap = (last.top + last.height).min(next.top + next.height) - last.top.max(next.top);
    let end = last.left + last.width;
    let gap = next.left - end;
    overlap > 0.5 * last.height.min(next.height)
        && gap > -0.5 * next.height
        && gap < gap_limit * next.height.max(last.height)
        && !rulings.iter().any(|r| {
            r.x0 == r.x1 && r.x0 > end.min(next.left) - 1.0 && r.x0 < next.left.max(end) + 1.0 && {
                let cy = next.top + next.height / 2.0;
                r.y0.min(r.y1) <= cy && r.y0.max(r.y1) >= cy
            }
        })
}

/// A word read as no figure made only of digits, a figure's marks and the letters tesseract
/// reads for its zeros, ones and the ruling beside it (`00odl`, `0ol`, `50oql`, `0.00l`),
/// a digit or an `o` among them.
fn figure_like(text: &str) -> bool {
    !is_figure(text)
        && text.len() >= 2
        && text.chars().all(|c| c.is_ascii_digit() || ".,-oOlIdqDQ|".contains(c))
        && text.chars().any(|c| c.is_ascii_digit() || c == 'o' || c == 'O')
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
        if r.column_through(cy) {
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
    fn a_word_read_as_no_figure_that_is_one_is_cut_out_too() {
        for word in ["00odl", "0ol", "50oql", "0.00l", "ool"] {
            assert!(figure_like(word), "{word}");
        }
        for word in ["0.00", "合计", "Il", "l", "PPP", "2026年"] {
            assert!(!figure_like(word), "{word}");
        }
    }

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
    fn a_runs_end_set_a_point_higher_is_the_runs() {
        // The end of a title read a point higher than its start: sorted by their bottoms, its
        // words come first and begin a run of their own.
        let word = |text: &str, left: f32, top: f32| Word {
            text: text.into(),
            left,
            top,
            width: 10.0,
            height: 10.0,
            confidence: 50.0,
        };
        let words = [word("预算", 100.0, 100.0), word("“三", 111.0, 100.0), word("人了?", 122.0, 99.5)];
        let texts: Vec<String> = runs(&words, |_| true, 1.0, &[]).into_iter().map(|(_, w)| w.text).collect();
        assert_eq!(texts, ["预算“三人了?"]);
        let apart = [word("预算", 100.0, 100.0), word("人了?", 140.0, 99.5)];
        assert_eq!(runs(&apart, |_| true, 1.0, &[]).len(), 2, "a gap of two characters");
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
    fn a_doubtful_run_of_text_is_replaced_by_a_second_reading_that_is_a_known_name() {
        let image = Gray { width: 1000, height: 1000, pixels: vec![255; 1_000_000] };
        let word = |text: &str, left: f32, confidence: f32| Word {
            text: text.into(),
            left,
            top: 100.0,
            width: 16.0,
            height: 8.0,
            confidence,
        };
        let words = || {
            vec![
                word("让计", 100.0, 41.0),
                word("小诗", 117.0, 60.0),
                word("1.00", 200.0, 95.0),
                word("合计", 300.0, 50.0),
                word("项目", 400.0, 90.0),
            ]
        };
        let known = |t: &str| matches!(t, "小计" | "合计");
        let (out, rereads) = reread_texts(&image, words(), &[], 0.5, known, |_| Some(("小计".into(), 0.97)));
        let texts: Vec<&str> = out.iter().map(|w| w.text.as_str()).collect();
        // 合计 is known as read, 项目 read surely: neither is read again.
        assert_eq!(texts, ["小计", "1.00", "合计", "项目"]);
        assert_eq!((out[0].left, out[0].width, out[0].confidence), (100.0, 33.0, 97.0));
        let first = TextReread {
            first: "让计小诗".into(),
            first_confidence: 41.0,
            second: "小计".into(),
            second_confidence: 97.0,
        };
        assert_eq!(rereads, [first]);
        assert_eq!(edges_as_first("5年预算表", "年预算"), "年预算表");
        assert_eq!(edges_as_first("2026年预算表", "2026年预算"), "2026年预算表");
        assert_eq!(without_stray_marks("国有资本经营预算」"), "国有资本经营预算");
        assert_eq!(without_stray_marks("|小计、"), "小计");
        assert_eq!(without_stray_marks("支出情况表（按功能分类科目）"), "支出情况表（按功能分类科目）");
        assert_eq!(without_stray_marks("“三公”经费"), "“三公”经费");
        assert_eq!(without_stray_marks("(一)工资福利支出"), "(一)工资福利支出");
        // A second reading that is no known name changes nothing.
        let (out, rereads) = reread_texts(&image, words(), &[], 0.5, known, |_| Some(("让计小时".into(), 0.9)));
        assert_eq!((out, rereads.len()), (words(), 0));
        // Nor does a known name PP-OCR is unsure of.
        let (out, rereads) = reread_texts(&image, words(), &[], 0.5, known, |_| Some(("小计".into(), 0.5)));
        assert_eq!((out, rereads.len()), (words(), 0));
    }

    #[test]
    fn a_run_read_surely_but_short_of_its_lines_ink_is_read_to_the_lines_end() {
        // Scale 0.5: a point is two pixels. The title's run ends at 150 pt; ink printed after
        // it (150–190 pt) no word holds.
        let mut image = Gray { width: 1000, height: 1000, pixels: vec![255; 1_000_000] };
        for y in 200..216 {
            for x in (310..380).step_by(3) {
                image.pixels[y * 1000 + x] = 0;
            }
        }
        let title = Word {
            text: "一般公共预算“三".into(),
            left: 100.0,
            top: 100.0,
            width: 50.0,
            height: 8.0,
            confidence: 92.0,
        };
        let left_out =
            Word { text: "公”".into(), left: 146.0, top: 100.0, width: 6.0, height: 8.0, confidence: 92.0 };
        let widths = std::cell::RefCell::new(Vec::new());
        let read = |g: &Gray| {
            widths.borrow_mut().push(g.width);
            Some(("一般公共预算“三公”经费预算表".to_string(), 0.99))
        };
        let known = |t: &str| t == "一般公共预算“三公”经费预算表";
        let (out, rereads) = reread_texts(&image, vec![title.clone(), left_out.clone()], &[], 0.5, known, read);
        assert_eq!(out.len(), 1, "the word inside the crop is in the second reading: {out:?}");
        assert_eq!(out[0].text, "一般公共预算“三公”经费预算表");
        assert_eq!(rereads.len(), 1);
        // The crop reached past the run's end, to the page's edge.
        assert!(widths.borrow()[0] > 800, "{:?}", widths.borrow());
        // Without ink after it, a run read surely is left as read.
        let blank = Gray { width: 1000, height: 1000, pixels: vec![255; 1_000_000] };
        let (out, rereads) = reread_texts(&blank, vec![title, left_out], &[], 0.5, known, |_| None);
        assert_eq!((out.len(), rereads.len()), (2, 0));
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

    #[test]
    fn a_second_reading_takes_in_no_other_rows_words_nor_a_run_over_cells() {
        let image = Gray { width: 1000, height: 1000, pixels: vec![255; 1_000_000] };
        let word = |text: &str, left: f32, top: f32, height: f32, confidence: f32| Word {
            text: text.into(),
            left,
            top,
            width: 12.0,
            height,
            confidence,
        };
        // A row line at 110 pt; `年终结` boxed from 108 to 123 pt, over the line, and
        // `本年支出合计` in the row above, its middle within the run's reach.
        let row_line = Ruling { x0: 0.0, y0: 110.0, x1: 500.0, y1: 110.0 };
        let above = Word { width: 40.0, ..word("本年支出合计", 120.0, 103.0, 6.0, 96.0) };
        let words = vec![above, Word { width: 30.0, ..word("年终结", 120.0, 108.0, 15.0, 54.0) }];
        let known = |t: &str| t == "年终结转结余";
        let (out, rereads) =
            reread_texts(&image, words, &[row_line], 0.5, known, |_| Some(("年终结转结余".into(), 0.99)));
        let texts: Vec<&str> = out.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(rereads.len(), 1);
        assert_eq!(texts, ["本年支出合计", "年终结转结余"], "the row above keeps its label");
        // A run boxed over a column ruling, cells either side of it: not read again.
        let column = Ruling { x0: 200.0, y0: 0.0, x1: 200.0, y1: 500.0 };
        let over = Word { width: 200.0, ..word("从", 100.0, 300.0, 6.0, 37.0) };
        let (out, rereads) = reread_texts(
            &image,
            vec![over.clone()],
            &[column],
            0.5,
            |t| t == "四、公共安全支出",
            |_| Some(("四、公共安全支出".into(), 0.99)),
        );
        assert_eq!((out, rereads.len()), (vec![over], 0));
    }

    #[test]
    fn a_coded_name_read_of_its_end_alone_is_read_from_its_cells_start() {
        // A label cell from 50 to 250 pt (scale 0.5: pixels 100 to 500): ink from its start,
        // and tesseract's words `老保` at 180 pt alone, read in doubt.
        let mut image = Gray { width: 1000, height: 400, pixels: vec![255; 400_000] };
        for y in 206..222 {
            for x in (110..440).filter(|x| x % 6 < 3) {
                image.pixels[y * 1000 + x] = 0;
            }
        }
        let rulings = [50.0, 250.0].map(|x| Ruling { x0: x, y0: 90.0, x1: x, y1: 120.0 });
        let run = Word { text: "老保".into(), left: 180.0, top: 102.0, width: 12.0, height: 8.0, confidence: 30.0 };
        // The second engine reads what it is given: the whole name from a crop of the cell.
        let read = |g: &Gray| {
            let text = if g.width > 300 {
                "2080505-机关事业单位基本养老保险缴费支出"
            } else {
                "老保险缴费支出"
            };
            Some((text.to_string(), 0.95))
        };
        let (out, rereads) = reread_texts(&image, vec![run.clone()], &rulings, 0.5, |_| false, read);
        assert_eq!(out[0].text, "2080505-机关事业单位基本养老保险缴费支出");
        assert_eq!((rereads.len(), out[0].left), (1, 50.0));
        // A word read before the run in its cell (its code, boxed over the name): the run is
        // read where it stands, and its reading is no known name.
        let code = Word { text: "2080505-".into(), left: 56.0, width: 130.0, confidence: 90.0, ..run.clone() };
        let (out, rereads) = reread_texts(&image, vec![code, run], &rulings, 0.5, |_| false, read);
        assert_eq!((out.len(), rereads.len()), (2, 0));
    }
}
