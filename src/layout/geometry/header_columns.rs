//! Columns a table's header line leaves out: the anchor line (the header line naming most
//! of the table's columns, [`named_columns`]) names the columns, but OCR may set some leaf
//! names on another line, lose them, run several into one word, or set the code and label
//! names apart. The body says where those columns are: words left of the first named
//! column, names printed on another line over figures of their own, figures right of every
//! name, and two columns of figures under one name.

use super::{SNAP, centre, is_amount, text_columns};
use crate::page::Line;

/// Where the anchor's last word ends.
pub(super) fn anchor_end(anchor: &Line) -> f32 {
    anchor.spans.iter().map(|s| s.1).fold(f32::MIN, f32::max)
}

/// Where the anchor's first word starts.
pub(super) fn anchor_start(anchor: &Line) -> f32 {
    anchor.spans.iter().map(|s| s.0).fold(f32::MAX, f32::min)
}

/// The centres of leaf column names other header lines print outside the anchor's words —
/// right of its last, left of its first, or (`between`: where words sit where printed, not in
/// a text's character columns) clear of them between: a name some template's column has, no header
/// word below it (a merged group's name has its columns' names below), three amounts of the
/// body under it. A header whose leaf names sit at two heights (`其中:` over the last two, or
/// `合计` OCR read a line above `小计 | 基本支出 …`) gives the anchor line only some.
pub(super) fn outside_names(anchor: &Line, headers: &[&Line], body: &[&Line], between: bool) -> Vec<f32> {
    let (start, end) = (anchor_start(anchor), anchor_end(anchor));
    let below = |line: &Line, span: (f32, f32)| {
        headers.iter().filter(|h| h.number > line.number).flat_map(|h| &h.spans).any(|s| s.0 < span.1 && s.1 > span.0)
    };
    let amounts_under = |span: (f32, f32)| {
        let half = (span.1 - span.0) / 2.0;
        let under = |s: &(f32, f32)| s.0 < span.1 + half && s.1 > span.0 - half;
        body.iter().flat_map(|l| l.cells.iter().zip(&l.spans)).filter(|(t, s)| is_amount(t) && under(s)).count()
    };
    // Clear of the anchor's words, as far as the figures under it reach.
    let clear = |span: (f32, f32)| {
        let half = (span.1 - span.0) / 2.0;
        !anchor.spans.iter().any(|s| s.0 < span.1 + half && s.1 > span.0 - half)
    };
    let mut out: Vec<f32> = Vec::new();
    for line in headers.iter().filter(|h| h.number != anchor.number) {
        for (text, &span) in line.cells.iter().zip(&line.spans) {
            let key = crate::label::label_key(text);
            if (span.0 > end || span.1 < start || (between && clear(span)))
                && crate::knowledge::templates::is_column_name(&key)
                && !below(line, span)
                && amounts_under(span) >= 3
                && !out.iter().any(|c| (c - centre(span)).abs() < SNAP)
            {
                out.push(centre(span));
            }
        }
    }
    out.sort_by(f32::total_cmp);
    out
}

/// How many of the table's columns a header line names: its words left of the body's columns
/// of figures (the code and label columns' names), and the columns of figures its words over
/// them name, each the one nearest the word's centre. The leaf header names one each; a
/// group's name spans several but names one; a line OCR garbled into scattered characters
/// has many words but leaves columns unnamed.
pub(super) fn named_columns(line: &Line, figures: &[(f32, f32)]) -> usize {
    let first = figures.iter().map(|f| f.0).fold(f32::MAX, f32::min);
    let labels = line.spans.iter().filter(|s| s.1 < first).count();
    let mut named: Vec<usize> = line
        .spans
        .iter()
        .filter(|s| s.1 >= first)
        .filter_map(|s| {
            let c = centre(*s);
            // A name is centred over its column, wider than its right-aligned figures: it
            // names a column it lies between the neighbours' figures of.
            let zone = |i: usize| {
                let left = if i == 0 { f32::MIN } else { figures[i - 1].1 };
                let right = figures.get(i + 1).map_or(f32::MAX, |f| f.0);
                c > left && c < right
            };
            let near = (0..figures.len()).filter(|&i| zone(i));
            near.min_by(|&a, &b| (centre(figures[a]) - c).abs().total_cmp(&(centre(figures[b]) - c).abs()))
        })
        .collect();
    named.sort_unstable();
    named.dedup();
    labels + named.len()
}

/// The centres with one more for each column of figures that would share its column with the
/// one left of it (a right-aligned figure goes to the last centre left of its end): where OCR
/// ran several leaf names into one word (`一般公共政府性繁国有资本财政专忆事业`), the body's
/// figures still stand in columns of their own, and two figures never make one cell.
pub(super) fn split_shared(mut centres: Vec<f32>, figures: &[(f32, f32)]) -> Vec<f32> {
    let column = |centres: &[f32], right: f32| centres.iter().filter(|&&c| c < right).count();
    for pair in figures.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let shared = column(&centres, a.1) == column(&centres, b.1);
        if shared && column(&centres, a.1) > 0 && b.0 > a.1 {
            centres.push(centre(b));
            centres.sort_by(f32::total_cmp);
        }
    }
    centres
}

/// How far left of the first column words must lie to be a column of their own.
const CLEAR: f32 = 15.0;

/// The centres of the columns of words the body prints wholly left of the table's first
/// column (its code and label columns, where the header line that names the columns set them
/// apart on a line of its own or OCR lost them): the median of each line's first such word's
/// centre, where three lines print them and they lie clear of the first column (by
/// [`CLEAR`]); and where three lines begin with a subject code and a name after it, the
/// median of those names' centres, a column of its own where it lies clear of both (the
/// names would otherwise share the first column of figures' cells, or the codes').
pub(super) fn leading_words(centres: &[f32], body: &[&Line]) -> Vec<f32> {
    let Some(&first) = centres.first() else { return Vec::new() };
    let lead_of = |l: &&Line| -> Vec<(f32, bool)> {
        let words = l.cells.iter().zip(&l.spans).filter(|(t, s)| !is_amount(t) && s.1 < first);
        let mut words: Vec<(f32, bool)> = words.map(|(t, s)| (centre(*s), super::is_code(t.trim()))).collect();
        words.sort_by(|a, b| a.0.total_cmp(&b.0));
        words
    };
    let leads: Vec<Vec<(f32, bool)>> = body.iter().map(lead_of).filter(|w| !w.is_empty()).collect();
    if leads.len() < 3 {
        return Vec::new();
    }
    let median = text_columns::median(leads.iter().map(|w| w[0].0).collect());
    if median >= first - CLEAR {
        return Vec::new();
    }
    let names: Vec<f32> = leads.iter().filter(|w| w.len() >= 2 && w[0].1 && !w[1].1).map(|w| w[1].0).collect();
    let name = (names.len() >= 3).then(|| text_columns::median(names));
    match name.filter(|&n| n > median + CLEAR && n < first - CLEAR) {
        Some(name) => vec![median, name],
        None => vec![median],
    }
}

/// Whether the body's cells nearest the first centre (centred there where words sit where
/// printed: the labels of a column further right begin there) are amounts, three at least and twice
/// as many as the words there, or more than the words there where the centre lies over a
/// column of figures the body prints (a scan's figures OCR read as characters, `宝`, `二站`,
/// are words): the first column the header names is one of figures.
pub(super) fn first_over_figures(centres: &[f32], body: &[&Line], characters: bool) -> bool {
    let Some(&first) = centres.first() else { return false };
    let reach = centres.get(1).map_or(f32::MAX, |c| (c - first) / 2.0);
    let near: Vec<&String> = body
        .iter()
        .flat_map(|l| l.cells.iter().zip(&l.spans))
        .filter(|(_, s)| {
            if characters { s.0 <= first + reach && s.1 >= first - reach } else { (centre(**s) - first).abs() <= reach }
        })
        .map(|(t, _)| t)
        .collect();
    let amounts = near.iter().filter(|t| is_amount(t)).count();
    let words = near.len() - amounts;
    let over_figures = || text_columns::figure_columns(body).iter().any(|f| f.0 <= first && first <= f.1);
    amounts >= 3 && (amounts > 2 * words || (amounts > words && over_figures()))
}

/// The centres of columns of figures the body prints that the header's centres would set in
/// a column of words (a right-aligned figure goes to the last centre left of its end): the
/// name over them OCR lost or set on another line (`EEC` a line above, where 合计 is
/// printed), so the figures would run into the labels beside them (`社会保障和就业支出120.17`).
/// A column of words is one whose centre lies left of the figures' start and inside the
/// words of three lines at least, and of a third of the lines printing figures (a wide
/// figure column's name, centred, also lies left of its right-aligned figures, but over no
/// words; labels whose own column's name no line set are no column's words).
pub(super) fn figures_among_words(centres: &[f32], body: &[&Line], figures: &[(f32, f32)]) -> Vec<f32> {
    let lines = body.iter().filter(|l| l.cells.iter().any(|c| is_amount(c))).count();
    let words_over = |c: f32| {
        body.iter()
            .flat_map(|l| l.cells.iter().zip(&l.spans))
            .filter(|(t, s)| !is_amount(t) && t.chars().any(crate::label::is_ideograph) && s.0 <= c && c <= s.1)
            .count()
    };
    figures
        .iter()
        .filter(|f| {
            let k = centres.iter().filter(|&&c| c < f.1).count().checked_sub(1);
            k.is_some_and(|k| {
                centres[k] < f.0 && {
                    let words = words_over(centres[k]);
                    words >= 3 && 3 * words >= lines
                }
            })
        })
        .map(|f| centre(*f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(number: u32, cells: &[(&str, f32, f32)]) -> Line {
        Line {
            number,
            page: 1,
            cells: cells.iter().map(|c| c.0.to_string()).collect(),
            spans: cells.iter().map(|c| (c.1, c.2)).collect(),
            boxes: vec![None; cells.len()],
            continues_row: false,
        }
    }

    #[test]
    fn figures_whose_name_was_read_elsewhere_are_not_set_among_the_labels() {
        // 科目编码 | 科目名称 | (合计, its name read a line above) | 一般公共预算拨款收入
        let centres = [100.0, 205.0, 365.0];
        let rows =
            [("208", "社会保障和就业支出", "120.17", "82.51"), ("20805", "行政事业单位养老支出", "120.17", "82.51")];
        let mut body: Vec<Line> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                line(i as u32, &[(r.0, 75.0, 95.0), (r.1, 130.0, 230.0), (r.2, 310.0, 338.0), (r.3, 366.0, 388.0)])
            })
            .collect();
        body.push(line(
            3,
            &[
                ("2101101", 75.0, 105.0),
                ("机关事业单位医疗支出", 130.0, 215.0),
                ("27.32", 316.0, 338.0),
                ("27.32", 366.0, 388.0),
            ],
        ));
        let body: Vec<&Line> = body.iter().collect();
        let figures = text_columns::figure_columns(&body);
        assert_eq!(figures.len(), 2);
        assert_eq!(figures_among_words(&centres, &body, &figures), vec![centre(figures[0])]);
        // Named where it is printed, the column has its centre: nothing to add.
        assert!(figures_among_words(&[100.0, 205.0, 324.0, 377.0], &body, &figures).is_empty());
    }

    #[test]
    fn a_wide_figure_columns_name_left_of_its_figures_is_no_column_of_words() {
        // 项目 | 预算数 (centred in a wide column, its figures right-aligned), few words near it.
        let body: Vec<Line> =
            (0..6).map(|i| line(i, &[("一般公共预算拨款收入", 90.0, 200.0), ("1468.70", 258.0, 288.0)])).collect();
        let body: Vec<&Line> = body.iter().collect();
        let figures = text_columns::figure_columns(&body);
        assert!(figures_among_words(&[150.0, 250.0], &body, &figures).is_empty());
    }

    #[test]
    fn a_first_named_column_over_figures_ocr_garbled_in_places_is_one_of_figures() {
        // A scan's 合计 column (centre 204), some figures read as characters (`宝`, `二站`),
        // under a header whose code and label names OCR set apart: codes and labels left of it.
        let figures = [
            "16827",
            "6",
            "宝",
            "903.85",
            "458.00",
            "16.56",
            "178.42",
            "178.42",
            "讼全本人人",
            "105.80",
            "32.65",
            "性人)",
            "32.65",
            "93.27",
            "93.27",
            "227",
            "二站",
        ];
        let body: Vec<Line> = figures
            .iter()
            .enumerate()
            .map(|(i, f)| line(i as u32, &[("2014001", 5.0, 29.0), ("行政运行", 60.0, 88.0), (f, 193.0, 214.0)]))
            .collect();
        let body: Vec<&Line> = body.iter().collect();
        let centres = [204.0, 241.0, 276.0];
        assert!(first_over_figures(&centres, &body, false));
        // Labels of the next column begin within its reach: centred further right, no words of it.
        let mut two: Vec<Line> = (0..4)
            .map(|i| {
                line(
                    i,
                    &[("一般公共预算资金", 75.0, 180.0), ("82.51", 258.0, 288.0), ("社会保障和就业支出", 318.0, 400.0)],
                )
            })
            .collect();
        two.push(line(4, &[("合计", 75.0, 100.0), ("13252.62", 250.0, 288.0), ("支出合计", 318.0, 350.0)]));
        let two: Vec<&Line> = two.iter().collect();
        assert!(first_over_figures(&[269.0, 386.0, 489.0], &two, false));
        // Mostly words there: a column of words.
        let words: Vec<Line> = (0..5).map(|i| line(i, &[("行政运行", 190.0, 220.0), ("1.00", 260.0, 280.0)])).collect();
        let words: Vec<&Line> = words.iter().collect();
        assert!(!first_over_figures(&[204.0, 270.0], &words, false));
    }
}
