//! What a space-aligned text's columns need beyond a PDF's (`geometry::Placement::Characters`):
//! its cells sit at character columns an OCR engine or `pdftotext` counted, header and body
//! each in the measure of their own line, so the header's words say less about where the
//! columns are than the body's right-aligned figures do. Here: a header name spaced out
//! letter by letter is joined, the body's columns of figures overrule a header that splits
//! or merges them, each page's figures are set on the fullest page's, and rows that print
//! every figure are read by rank.

use super::{centre, is_amount};
use crate::page::Line;

/// How far two figures' right edges may lie apart and be one column's, on one page (an
/// OCR'd text's characters stray by one or so).
const ALIGNED: f32 = 7.5;

/// How far two pages' header words may lie apart after the fit and be one column's: a
/// text's CJK words take fewer character columns than the width they are printed over, so
/// where a word's characters fall depends on the words before it on its line (six
/// characters or so, less than a third of a column's width).
const WORDS_ALIGNED: f32 = 4.0 * ALIGNED;

/// The middle of the values.
pub(super) fn median(mut v: Vec<f32>) -> f32 {
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// The columns of figures the body prints: its amounts' spans grouped by their right edge
/// (figures are right-aligned), each (left, right) the group's median, left to right. A
/// group needs three amounts, or two where the largest has ten at most.
pub(super) fn figure_columns(body: &[&Line]) -> Vec<(f32, f32)> {
    const JITTER: f32 = 12.5; // an OCR'd text's right edges stray by two characters or so
    let mut spans: Vec<(f32, f32)> = body
        .iter()
        .flat_map(|l| l.cells.iter().zip(&l.spans))
        .filter(|(text, _)| is_amount(text))
        .map(|(_, span)| *span)
        .collect();
    spans.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut groups: Vec<Vec<(f32, f32)>> = Vec::new();
    for span in spans {
        match groups.last_mut() {
            Some(g) if span.1 - g.last().map_or(f32::MIN, |s| s.1) <= JITTER => g.push(span),
            _ => groups.push(vec![span]),
        }
    }
    let largest = groups.iter().map(Vec::len).max().unwrap_or(0);
    groups
        .into_iter()
        .filter(|g| g.len() >= 3 || (g.len() == 2 && largest <= 10))
        .map(|g| (median(g.iter().map(|s| s.0).collect()), median(g.iter().map(|s| s.1).collect())))
        .collect()
}

/// The columns of figures of a text whose rows mostly print every column's figure (`0.00`
/// where there is none): as many as most rows print, when two rows in three with figures
/// print that many; each column's (left, right) the median of its rank's
/// spans. Tesseract's layout text sets each line's spaces in its own measure, so a column's
/// figures do not line up, but a full row's k-th figure is the k-th column's. Three figures
/// a row at least, in two rows of three.
pub(super) fn full_rows(body: &[&Line]) -> Option<Vec<(f32, f32)>> {
    let amounts = |l: &Line| -> Vec<(f32, f32)> {
        l.cells.iter().zip(&l.spans).filter(|(t, _)| is_amount(t)).map(|(_, s)| *s).collect()
    };
    let rows: Vec<Vec<(f32, f32)>> = body.iter().map(|l| amounts(l)).filter(|a| !a.is_empty()).collect();
    // The count most rows print (a row OCR split a figure of prints one more).
    let count = |n: usize| rows.iter().filter(|r| r.len() == n).count();
    let most = rows.iter().map(Vec::len).max_by_key(|&n| (count(n), n))?;
    let full: Vec<&Vec<(f32, f32)>> = rows.iter().filter(|r| r.len() == most).collect();
    // (Two figures a row are as often a total and one of its parts as two columns full.)
    if most < 3 || full.len() * 3 < rows.len() * 2 || full.len() < 2 {
        return None;
    }
    Some(
        (0..most)
            .map(|k| (median(full.iter().map(|r| r[k].0).collect()), median(full.iter().map(|r| r[k].1).collect())))
            .collect(),
    )
}

/// A header's centres where they place the body's figures as printed, else the header's
/// columns set on the columns of figures the body prints, with the column each takes (its
/// right edge and index). A header OCR text spaces out (`预   算   数`, `总 计`) or garbles
/// gives too many columns, and one whose words ran together too few: a column's figures
/// then land in two columns, or two columns' figures in one (and read as one figure).
/// Right-aligned figures say where the columns are whatever the header reads: each column
/// of figures takes the header's centre nearest it, in order (a header centre left over is
/// a column printed empty), or one of its own where the header has none near; a header
/// piece over a column's figures is that column's.
pub(super) fn figures_as_printed(
    centres: &[f32],
    body: &[&Line],
    figures: Vec<(f32, f32)>,
    always: bool,
) -> Option<Overruled> {
    figures.first()?;
    let column_of = |right: f32| centres.iter().filter(|&&c| c < right).count();
    let mut placed: Vec<usize> = Vec::new();
    let mut split = false;
    for &(_, right) in &figures {
        let members: std::collections::BTreeSet<usize> = body
            .iter()
            .flat_map(|l| l.cells.iter().zip(&l.spans))
            .filter(|(text, span)| is_amount(text) && (span.1 - right).abs() <= ALIGNED)
            .map(|(_, span)| column_of(span.1))
            .collect();
        split |= members.len() > 1;
        placed.extend(members);
    }
    let merged = placed.windows(2).any(|w| w[0] >= w[1]);
    if !(split || merged || always) {
        return None;
    }
    // A text's rows read by rank: where its header's words, in the measure of their own
    // line too, sit near few of the columns of figures, those take the header's last
    // centres, one each, leaving one for the labels at least.
    let mut matched = match_in_order(centres, &figures, false);
    let forced = always && centres.len() > figures.len() && matched.iter().flatten().count() * 2 < figures.len();
    if forced {
        matched = match_in_order(centres, &figures, true);
    }
    // Forced, a header word is moved onto its column's figures (header lines keep no common
    // measure with the body); the header's pieces between those words are left out.
    let first = matched.iter().flatten().min().copied().unwrap_or(0);
    let mut moves: Vec<(f32, (f32, f32))> = Vec::new();
    // The header's centres, less the pieces over a column's figures that column did not take.
    let taken: Vec<usize> = matched.iter().flatten().copied().collect();
    let over = |c: f32| figures.iter().any(|&(l, r)| c >= l && c <= r);
    let mut out: Vec<(f32, Option<usize>)> = centres
        .iter()
        .enumerate()
        .filter(|&(j, &c)| taken.contains(&j) || !(over(c) || (forced && j > first)))
        .map(|(j, &c)| {
            let k = matched.iter().position(|m| *m == Some(j));
            match k.filter(|_| forced) {
                Some(k) => {
                    moves.push((c, figures[k]));
                    (centre(figures[k]), Some(k))
                }
                None => (c, k),
            }
        })
        .collect();
    for (k, m) in matched.iter().enumerate() {
        if m.is_none() {
            out.push((centre(figures[k]), Some(k)));
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut columns = vec![(0.0, 0); figures.len()];
    for (i, (_, k)) in out.iter().enumerate() {
        if let Some(k) = *k {
            columns[k] = (figures[k].1, i);
        }
    }
    Some(Overruled { centres: out.into_iter().map(|(c, _)| c).collect(), columns, moves })
}

/// A header overruled by the body's columns of figures.
pub(super) struct Overruled {
    /// The table's column centres.
    pub centres: Vec<f32>,
    /// Each column of figures' right edge and the index of its column.
    pub columns: Vec<(f32, usize)>,
    /// Header words moved onto their column's figures: (centre as read, span moved to).
    pub moves: Vec<(f32, (f32, f32))>,
}

/// The header centre each column of figures takes, in order (`None`: none near it), at the
/// least total distance; a column of figures left without one costs its width and a half or
/// three quarters of its pitch (or, `every` one taking a centre, more than any distance).
fn match_in_order(centres: &[f32], figures: &[(f32, f32)], every: bool) -> Vec<Option<usize>> {
    let (n, m) = (figures.len(), centres.len());
    // A header centred over its column sits up to half the column's pitch left of its
    // right-aligned figures.
    let pitch = |k: usize| match (k.checked_sub(1).map(|p| figures[p]), figures.get(k + 1)) {
        (Some(p), _) => figures[k].1 - p.1,
        (None, Some(n)) => n.1 - figures[k].1,
        (None, None) => 0.0,
    };
    let skip =
        |k: usize| if every { 1.0e6 } else { (1.5 * (figures[k].1 - figures[k].0)).max(0.75 * pitch(k)).max(20.0) };
    // cost[k][j]: the first k columns of figures set on the first j centres.
    let mut cost = vec![vec![f32::MAX; m + 1]; n + 1];
    cost[0] = vec![0.0; m + 1];
    for k in 1..=n {
        for j in 0..=m {
            let mut best = cost[k - 1][j] + skip(k - 1);
            if j > 0 {
                best = best.min(cost[k][j - 1]);
                best = best.min(cost[k - 1][j - 1] + (centres[j - 1] - centre(figures[k - 1])).abs());
            }
            cost[k][j] = best;
        }
    }
    let mut out = vec![None; n];
    let (mut k, mut j) = (n, m);
    while k > 0 {
        if j > 0 && cost[k][j] == cost[k][j - 1] {
            j -= 1;
        } else if j > 0 && cost[k][j] == cost[k - 1][j - 1] + (centres[j - 1] - centre(figures[k - 1])).abs() {
            out[k - 1] = Some(j - 1);
            k -= 1;
            j -= 1;
        } else {
            k -= 1;
        }
    }
    out
}

/// Sets each page that prints the table's header again in the measure of the first page's
/// header: `pdftotext` counts each page's character columns in its own width, so a later
/// page's columns lie further apart, not only further along. The header words both pages
/// print (the k-th `项目` with the k-th) give the scale and shift, fitted by least squares,
/// where three words at least agree after the fit (within [`WORDS_ALIGNED`]).
pub(super) fn measure_pages(segments: &mut [crate::layout::Segment]) {
    let words = |s: &crate::layout::Segment| -> Vec<(String, f32)> {
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for line in &s.header {
            for (text, span) in line.cells.iter().zip(&line.spans) {
                let key = crate::label::label_key(text);
                if key.chars().count() < 2 {
                    continue; // a speck or a piece of a word: no landmark
                }
                let n = seen.entry(key.clone()).or_insert(0);
                out.push((format!("{key}#{n}"), centre(*span)));
                *n += 1;
            }
        }
        out
    };
    let Some(first) = segments.iter().position(|s| !s.header.is_empty()) else { return };
    let reference = words(&segments[first]);
    for segment in segments.iter_mut().skip(first + 1) {
        let mut pairs: Vec<(f32, f32)> = words(segment)
            .into_iter()
            .filter_map(|(key, x)| reference.iter().find(|(k, _)| *k == key).map(|(_, r)| (x, *r)))
            .collect();
        // A word one page sets apart from its column (a name column's name centred on one
        // page, begun at its left on the other) is left out of the fit, one at a time, while
        // three agree.
        let fitted = loop {
            let Some((scale, shift)) = fit(&pairs) else { break None };
            let off = |&(x, r): &(f32, f32)| (x * scale + shift - r).abs();
            let worst = (0..pairs.len()).max_by(|&a, &b| off(&pairs[a]).total_cmp(&off(&pairs[b])));
            match worst.filter(|&w| off(&pairs[w]) > WORDS_ALIGNED) {
                None => break Some((scale, shift)),
                Some(w) if pairs.len() > 3 => {
                    pairs.remove(w);
                }
                Some(_) => break None,
            }
        };
        let Some((scale, shift)) = fitted else { continue };
        let moved = |x: f32| x * scale + shift;
        if pairs.len() < 3 {
            continue;
        }
        if pairs.iter().all(|&(x, r)| (x - r).abs() <= WORDS_ALIGNED) {
            continue; // already in the first page's measure
        }
        let lines = segment.header.iter_mut().chain(segment.numbers.iter_mut()).chain(segment.body.iter_mut());
        for span in lines.flat_map(|l| l.spans.iter_mut()) {
            *span = (moved(span.0), moved(span.1));
        }
    }
}

/// The scale and shift that set `x` on `r` best (least squares), a scale of a half to two.
fn fit(pairs: &[(f32, f32)]) -> Option<(f32, f32)> {
    let n = pairs.len() as f32;
    let (mx, mr) = (pairs.iter().map(|p| p.0).sum::<f32>() / n, pairs.iter().map(|p| p.1).sum::<f32>() / n);
    let sxx: f32 = pairs.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxr: f32 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - mr)).sum();
    let scale = (sxx > 0.0).then(|| sxr / sxx).filter(|s| (0.5..=2.0).contains(s))?;
    Some((scale, mr - scale * mx))
}

/// Moves a page's cells by the shift that sets its columns of figures on the table's (a
/// text's pages each sit where their producer put them: OCR'd pages lie a few characters
/// apart), when every column of figures of the page then lies on one of the table's.
pub(super) fn shift_to(segment: &mut crate::layout::Segment, rights: &[f32]) {
    let body: Vec<&Line> = segment.body.iter().collect();
    let own: Vec<f32> = figure_columns(&body).iter().map(|f| f.1).collect();
    if own.len() < 3 {
        return; // one or two columns of figures fit many places
    }
    let off =
        |shift: f32| own.iter().map(move |o| rights.iter().map(|r| (o + shift - r).abs()).fold(f32::MAX, f32::min));
    let best = own
        .iter()
        .flat_map(|o| rights.iter().map(move |r| r - o))
        .filter(|&shift| off(shift).all(|d| d <= ALIGNED))
        .min_by(|a, b| off(*a).sum::<f32>().total_cmp(&off(*b).sum::<f32>()).then(a.abs().total_cmp(&b.abs())));
    let Some(shift) = best.filter(|s| s.abs() > ALIGNED) else { return };
    let lines = segment.header.iter_mut().chain(segment.numbers.iter_mut()).chain(segment.body.iter_mut());
    for line in lines {
        for span in &mut line.spans {
            *span = (span.0 + shift, span.1 + shift);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::page::Line;

    #[test]
    fn a_header_name_spaced_letter_by_letter_is_one_word() {
        // As an OCR engine's words give a letter-spaced header: one character each.
        let mut line = Line {
            number: 1,
            page: 1,
            cells: ["项", "目", "预", "算", "数", "项", "目"].map(String::from).to_vec(),
            spans: vec![
                (0.0, 10.0),
                (40.0, 50.0),
                (100.0, 110.0),
                (130.0, 140.0),
                (160.0, 170.0),
                (200.0, 210.0),
                (240.0, 250.0),
            ],
            boxes: vec![],
            continues_row: false,
        };
        crate::knowledge::templates::join_spaced_names(&mut line);
        assert_eq!(line.cells, ["项目", "预算数", "项目"]);
        assert_eq!(line.spans, [(0.0, 50.0), (100.0, 170.0), (200.0, 250.0)]);
        // A hidden layer's words spaced apart: a piece and the word after it no header prints
        // alone.
        let mut line = Line {
            number: 1,
            page: 1,
            cells: ["事业", "单位经营支出", "上缴上级支出"].map(String::from).to_vec(),
            spans: vec![(0.0, 20.0), (35.0, 95.0), (110.0, 170.0)],
            boxes: vec![],
            continues_row: false,
        };
        crate::knowledge::templates::join_spaced_names(&mut line);
        assert_eq!(line.cells, ["事业单位经营支出", "上缴上级支出"]);
        assert_eq!(line.spans, [(0.0, 95.0), (110.0, 170.0)]);
    }

    /// A space-aligned text's table as one segment: its first `headers` lines the header.
    fn text_table(text: &str, headers: usize) -> Vec<crate::layout::Segment> {
        use crate::source::aligned_text::{Columns, lines};
        let mut header = lines(text, Columns::One);
        let body = header.split_off(headers);
        let mut segments = vec![crate::layout::Segment { page: 1, header, numbers: None, body }];
        super::super::align(&mut segments, super::super::Placement::Characters);
        segments
    }

    #[test]
    fn a_header_a_text_spaced_out_names_the_columns_its_figures_are_in() {
        let text = "项   目                     预   算   数\n\
                    一、一般公共预算拨款                 12.00\n\
                    二、事业收入                          3.50\n\
                    合计                                 15.50\n";
        let seg = &text_table(text, 1)[0];
        assert_eq!(seg.header[0].cells, ["项目", "预算数"]);
        assert_eq!(seg.body[0].cells, ["一、一般公共预算拨款", "12.00"]);
        assert_eq!(seg.body[2].cells, ["合计", "15.50"]);
    }

    #[test]
    fn each_page_of_a_text_is_read_in_its_own_measure() {
        use crate::source::aligned_text::{Columns, lines};
        // pdftotext sets each page in its own character measure: the second page's columns
        // lie further right, its header with them.
        let page = |text: &str, page: u32| {
            let mut header = lines(text, Columns::One);
            let body = header.split_off(1);
            let mut segment = crate::layout::Segment { page, header, numbers: None, body };
            segment.body.iter_mut().chain(&mut segment.header).for_each(|l| l.page = page);
            segment
        };
        let mut segments = vec![
            page(
                "  项目          预算          项目                预算\n\
                 一、财政拨款      9.00      一、一般公共服务支出          8.00\n\
                 二、事业收入      1.00      二、教育支出              2.00\n",
                1,
            ),
            page(
                "      项目                      预算                项目                          预算\n\
                 本年收入合计                     10.00            本年支出合计                       10.00\n",
                2,
            ),
        ];
        super::super::align(&mut segments, super::super::Placement::Characters);
        assert_eq!(segments[0].body[0].cells, ["一、财政拨款", "9.00", "一、一般公共服务支出", "8.00"]);
        assert_eq!(segments[1].body[0].cells, ["本年收入合计", "10.00", "本年支出合计", "10.00"]);
    }

    #[test]
    fn words_left_of_a_header_that_names_figures_only_are_a_column() {
        // The header line names the figure columns; the codes' and names' header OCR set on
        // a line of its own, so the body's words have no column but their own: the codes
        // one, the names after them another (not the first column of figures').
        let text = "                        合计        基本支出        项目支出\n\
                    201 一般公共服务支出         30.00       20.00       10.00\n\
                    20101 人大事务           30.00       20.00       10.00\n\
                    2010101 行政运行         25.00       20.00        5.00\n\
                    2010102 一般行政管理事务      5.00        0.00        5.00\n";
        let seg = &text_table(text, 1)[0];
        assert_eq!(seg.body[0].cells[..], ["201", "一般公共服务支出", "30.00", "20.00", "10.00"]);
        assert_eq!(seg.body[3].cells[..], ["2010102", "一般行政管理事务", "5.00", "0.00", "5.00"]);
        assert_eq!(seg.header[0].cells[2..], ["合计", "基本支出", "项目支出"]);
    }

    #[test]
    fn a_page_whose_header_sets_one_word_apart_is_still_read_in_the_first_pages_measure() {
        use crate::source::aligned_text::{Columns, lines};
        // pdftotext: the second page's columns lie half again further apart (its own
        // measure), and its 科目名称 is begun at the name column's left edge, not centred as
        // on the first page: the other four words still give the scale.
        let at = |cells: &[(usize, &str)]| {
            let mut line = String::new();
            for (column, text) in cells {
                let width = line.chars().count();
                line.push_str(&" ".repeat(if width == 0 { *column } else { column.saturating_sub(width).max(2) }));
                line.push_str(text);
            }
            line + "\n"
        };
        let page = |scale: f32, name: usize, rows: &[(&str, &str, [&str; 3])], page: u32| {
            let x = |c: f32| (c * scale).round() as usize;
            let figure = |right: f32, f: &'static str| (x(right) - f.len(), f);
            // The second page's header on two lines (its code and name columns' names above).
            let names = [(x(37.0) - 1, "合计"), (x(49.0) - 2, "基本支出"), (x(61.0) - 2, "项目支出")];
            let mut text = match page {
                1 => at(&[[(0, "科目编码"), (name, "科目名称")].as_slice(), &names].concat()),
                _ => at(&[(0, "科目编码"), (name, "科目名称")]) + &at(&names),
            };
            for (code, label, figures) in rows {
                let mut cells = vec![(0, *code), (x(10.0), *label)];
                for (right, f) in [40.0, 52.0, 64.0].into_iter().zip(figures) {
                    if !f.is_empty() {
                        let f: &'static str = Box::leak(f.to_string().into_boxed_str());
                        cells.push(figure(right, f));
                    }
                }
                text += &at(&cells);
            }
            let mut header = lines(&text, Columns::One);
            let body = header.split_off(page as usize);
            let mut segment = crate::layout::Segment { page, header, numbers: None, body };
            segment.body.iter_mut().chain(&mut segment.header).for_each(|l| l.page = page);
            segment
        };
        let first = [
            ("201", "一般公共服务支出", ["30.00", "20.00", "10.00"]),
            ("20101", "人大事务", ["30.00", "20.00", "10.00"]),
        ];
        // (Its rows print two figures of three: not read by rank.)
        let second = [
            ("2010101", "行政运行", ["25.00", "", "25.00"]),
            ("2010102", "一般行政管理事务", ["5.00", "", "5.00"]),
            ("2010103", "机关服务", ["8.00", "", "8.00"]),
        ];
        let mut segments = vec![page(1.0, 18, &first, 1), page(1.5, 6, &second, 2)];
        super::super::align(&mut segments, super::super::Placement::Characters);
        assert_eq!(segments[0].body[0].cells[..], ["201", "一般公共服务支出", "30.00", "20.00", "10.00"]);
        assert_eq!(segments[1].body[0].cells[..], ["2010101", "行政运行", "25.00", "", "25.00"]);
        assert_eq!(segments[1].body[1].cells[..], ["2010102", "一般行政管理事务", "5.00", "", "5.00"]);
    }

    #[test]
    fn a_text_whose_rows_print_every_figure_is_read_by_rank() {
        // Tesseract's layout text: each line spaced in its own measure, the header's words
        // close together left of the figures.
        let text = "科目编码  科目名称  合计  基本支出  项目支出\n\
                    201   一般公共服务支出   30.00    20.00    10.00\n\
                    20101      人大事务                30.00        20.00        10.00\n\
                    2010101  行政运行   25.00   20.00   5.00\n\
                    2010102  一般行政管理事务          5.00          0.00          5.00\n";
        let seg = &text_table(text, 1)[0];
        let figures = |l: &Line| l.cells.iter().rev().take(3).rev().cloned().collect::<Vec<_>>();
        assert_eq!(figures(&seg.header[0]), ["合计", "基本支出", "项目支出"]);
        assert_eq!(figures(&seg.body[1]), ["30.00", "20.00", "10.00"]);
        assert_eq!(figures(&seg.body[2]), ["25.00", "20.00", "5.00"]);
        assert_eq!(figures(&seg.body[3]), ["5.00", "0.00", "5.00"]);
    }
}
