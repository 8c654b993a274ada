//! OCR text whose columns are aligned with spaces, not separated by tabs: `pdftotext -layout`
//! of a PDF or of an OCR'd one, a fixed-width export. Each line's cells are its runs of
//! characters set apart by two spaces or more, each with the span of columns it sits in (one
//! page per form feed), the same shape the geometry gives an unruled PDF page: layout then
//! aligns an unruled table's columns from where its cells sit, so a blank cell stays blank.
//! Tesseract's own layout text (`--psm 4/6` with `preserve_interword_spaces=1`) sits on no
//! common grid (each line's spaces are counted in its own space width): a page of it is
//! set on one by [`super::line_measure`], each line in its own measure.
//!
//! What a column is differs between producers: `pdftotext -layout` gives every character
//! one column, a fixed-width layout made for a terminal gives a CJK character two. The
//! reading that lines the figures of the text up best is the one taken, and said.
//!
//! One space is a cell's own where words are spaced (`198. 30`, `部门 预算`, an OCR layer's
//! `一 、 一 般`), and an edge between two cells where the text's words are not: `pdftotext
//! -layout` leaves one space between two columns' headers set close together.

use super::line_measure::{COLUMN, is_gap, is_wide};
use crate::page::Line;

/// How many columns a character takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// Every character one column (`pdftotext -layout`, tesseract).
    One,
    /// A CJK (East Asian wide) character two columns, others one (a fixed-width font).
    WideTwo,
}

impl Columns {
    fn width(self, c: char) -> usize {
        match self {
            Columns::One => 1,
            Columns::WideTwo => {
                if is_wide(c) {
                    2
                } else {
                    1
                }
            }
        }
    }

    /// How the reading is described in a finding.
    pub fn describe(self) -> &'static str {
        match self {
            Columns::One => "one column per character",
            Columns::WideTwo => "two columns per CJK character",
        }
    }
}

/// Whether OCR text lays its columns out with spaces: no tab anywhere, and a fifth of its
/// lines (three at least) hold two runs three spaces apart or more.
pub fn is_aligned(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let gapped = lines.iter().filter(|l| l.contains("   ")).count();
    !text.contains('\t') && gapped >= 3 && gapped * 5 >= lines.len()
}

/// A run of characters between spaces: its text, first column and width in columns.
struct Run<'a> {
    text: &'a str,
    column: usize,
    width: usize,
}

fn runs(line: &str, columns: Columns) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut column = 0;
    let mut start: Option<(usize, usize)> = None;
    for (i, c) in line.char_indices() {
        if is_gap(c) {
            if let Some((at, col)) = start.take() {
                out.push(Run { text: &line[at..i], column: col, width: column - col });
            }
        } else if start.is_none() {
            start = Some((i, column));
        }
        column += if is_gap(c) { 1 } else { columns.width(c) };
    }
    if let Some((at, col)) = start {
        out.push(Run { text: &line[at..], column: col, width: column - col });
    }
    out
}

/// The pages of the text (form feeds between them; a trailing empty page dropped).
fn page_texts(text: &str) -> Vec<&str> {
    let mut pages: Vec<&str> = text.split('\u{c}').collect();
    while pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// How well the figures line up under a reading: the figures whose right edge is that of
/// a figure on one of the three lines before. Right-aligned columns of figures are what
/// every table prints; a wrong reading scatters them by the width of the labels beside.
fn alignment(text: &str, columns: Columns) -> usize {
    let mut score = 0;
    let mut recent: std::collections::VecDeque<Vec<usize>> = std::collections::VecDeque::new();
    for line in text.lines() {
        let ends: Vec<usize> =
            runs(line, columns).iter().filter(|r| is_figure(r.text)).map(|r| r.column + r.width).collect();
        if ends.is_empty() {
            continue;
        }
        score += ends.iter().filter(|e| recent.iter().flatten().any(|o| o == *e)).count();
        recent.push_back(ends);
        if recent.len() > 3 {
            recent.pop_front();
        }
    }
    score
}

/// A run that reads as an amount: digits with a decimal point or thousands separators.
fn is_figure(text: &str) -> bool {
    let t = text.trim_end_matches('|');
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        && (t.contains('.') || t.contains(','))
}

/// The reading of columns that lines the text's figures up best (one per character when
/// they are equal: what OCR engines and `pdftotext` write).
pub fn columns_of(text: &str) -> Columns {
    if alignment(text, Columns::WideTwo) > alignment(text, Columns::One) { Columns::WideTwo } else { Columns::One }
}

/// Whether the text spaces the words of a cell: a fifth of its runs with a CJK character
/// at least are one character alone (`一 、 一 般 公 共`, as an OCR layer is written).
fn spaces_words(text: &str) -> bool {
    let (mut cjk, mut single) = (0usize, 0usize);
    for line in text.lines() {
        for run in runs(line, Columns::One) {
            if run.text.chars().any(is_wide) {
                cjk += 1;
                single += usize::from(run.text.chars().count() == 1);
            }
        }
    }
    single * 5 >= cjk && cjk > 0
}

/// A run of a figure or of its pieces (`198.`, `30`, and `9,` of `9, 483. 72`, an OCR
/// layer's thousands separator spaced off the digits after it).
fn is_digit_run(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '.')
        && text.chars().last().is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | '%' | ','))
}

/// A list number before an item's words (`1.`, `2、`, `(3)`): one or two digits and a mark.
fn is_list_number(text: &str) -> bool {
    let digits = text.trim_start_matches('(').trim_end_matches(['.', '、', ')']);
    digits.len() < text.len() && (1..=2).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

/// A figure with its decimals, spaces aside (`1378. 41`, `1,130.00`): complete.
fn whole_decimal(cell: &str) -> bool {
    let t: String = cell.chars().filter(|c| *c != ' ').collect();
    let Some((whole, decimals)) = t.split_once('.') else { return false };
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit() || c == ',')
        && whole.starts_with(|c: char| c.is_ascii_digit())
        && (1..=2).contains(&decimals.len())
        && decimals.chars().all(|c| c.is_ascii_digit())
}

/// Whether two runs one space apart are one cell.
fn one_cell(left: &str, right: &str, spaced: bool) -> bool {
    // `1. 公务用车购置费`: a list number is its item's, not a figure.
    if is_list_number(left) && right.chars().next().is_some_and(is_wide) {
        return true;
    }
    match (is_digit_run(left), is_digit_run(right)) {
        (true, true) => true,     // `198. 30`
        (false, false) => spaced, // `部门 预算` where words are spaced
        _ => false,               // a label beside a figure
    }
}

/// The text's lines of cells with their spans, numbered as in the text (blank lines
/// skipped), pages from form feeds. A page whose lines share no grid (tesseract's layout
/// text) is set on one by [`super::line_measure`].
pub fn lines(text: &str, columns: Columns) -> Vec<Line> {
    let spaced = spaces_words(text);
    let mut out = Vec::new();
    let mut number = 0u32;
    for (i, page) in page_texts(text).into_iter().enumerate() {
        let page_number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let start = number;
        let (mut one, texts) = page_lines(page, Columns::One, spaced, &mut number, page_number);
        if super::line_measure::regrid(&mut one, &texts) || columns == Columns::One {
            out.extend(one);
        } else {
            out.extend(page_lines(page, columns, spaced, &mut { start }, page_number).0);
        }
    }
    out
}

/// One page's lines of cells (`number` counting the text's lines on), with each line's text.
fn page_lines<'a>(
    page: &'a str,
    columns: Columns,
    spaced: bool,
    number: &mut u32,
    page_number: u32,
) -> (Vec<Line>, Vec<&'a str>) {
    let (mut out, mut texts) = (Vec::new(), Vec::new());
    for line in page.lines() {
        *number += 1;
        let mut cells: Vec<String> = Vec::new();
        let mut spans: Vec<(f32, f32)> = Vec::new();
        let mut last: Option<(usize, &str)> = None; // end column and text of the last run
        for run in runs(line, columns) {
            let end = run.column + run.width;
            // A figure whole with its decimals (`1378. 41`) ends its cell: the digits after
            // one space are the next figure's (tesseract's layout text spaces a line's
            // figures one apart where they sit close).
            let whole =
                cells.last().is_some_and(|c| whole_decimal(c)) && run.text.starts_with(|c: char| c.is_ascii_digit());
            let joins = !whole && last.is_some_and(|(e, t)| run.column == e + 1 && one_cell(t, run.text, spaced));
            if let (true, Some(cell), Some(span)) = (joins, cells.last_mut(), spans.last_mut()) {
                // Between CJK characters a space is the engine's, not the text's (as
                // glyphs placed apart are joined); elsewhere it is kept as printed
                // (`198. 30`, for the repair that mends it to say so).
                let cjk = cell.chars().last().is_some_and(is_wide) && run.text.chars().next().is_some_and(is_wide);
                if !cjk {
                    cell.push(' ');
                }
                cell.push_str(run.text);
                span.1 = end as f32 * COLUMN;
            } else {
                cells.push(run.text.to_string());
                spans.push((run.column as f32 * COLUMN, end as f32 * COLUMN));
            }
            last = Some((end, run.text));
        }
        if cells.is_empty() {
            continue; // as on a PDF page, white space is no line
        }
        out.push(Line { number: *number, page: page_number, cells, spans, boxes: Vec::new(), continues_row: false });
        texts.push(line);
    }
    (out, texts)
}

#[cfg(test)]
mod tests {
    use super::super::line_measure::{EM, ink};
    use super::*;

    #[test]
    fn space_aligned_text_is_told_from_tab_separated_text() {
        let spaced = "收入总计        100.00\n本年收入合计    90.00\n上年结转        10.00\n";
        assert!(is_aligned(spaced));
        assert!(!is_aligned(&spaced.replace("        ", "\t").replace("    ", "\t")));
        // Prose with a wide gap or two is not a layout of columns.
        let prose = "一、部门职责\n本部门负责全县审批工作。\n二、机构设置   \n三、收支情况\n四、其他\n";
        assert!(!is_aligned(prose));
    }

    #[test]
    fn the_reading_that_lines_figures_up_is_taken() {
        let text = |rows: &[(&str, usize, &str)]| -> String {
            rows.iter().map(|(label, gap, figure)| format!("{label}{}{figure}\n", " ".repeat(*gap))).collect()
        };
        // pdftotext: every character one column, so the figures' right edges agree by
        // character count (2 + 10 + 6 = 4 + 9 + 5 = 6 + 7 + 5), not by display width.
        let one = text(&[("合计", 10, "100.00"), ("基本支出", 9, "90.00"), ("项目支出费用", 7, "10.00")]);
        assert_eq!(columns_of(&one), Columns::One);
        // A fixed-width layout: labels padded by display width (4 + 14 + 6 = 8 + 11 + 5 = 12 + 7 + 5).
        let wide = text(&[("合计", 14, "100.00"), ("基本支出", 11, "90.00"), ("项目支出费用", 7, "10.00")]);
        assert_eq!(columns_of(&wide), Columns::WideTwo);
    }

    #[test]
    fn cells_sit_at_their_columns_one_page_per_form_feed() {
        let read = lines("项目   预算数\n合计   198. 30|  7.00\n\u{c}第二页\n\u{c}", Columns::One);
        assert_eq!(read.len(), 3, "the empty page after the last form feed is dropped");
        assert_eq!(read[0].cells, ["项目", "预算数"]);
        assert_eq!(read[1].cells, ["合计", "198. 30", "7.00"], "one space inside a figure, `|` a cell's edge");
        let spaced = lines("合计     9, 483. 72|   8, 401. 67|\n", Columns::One);
        assert_eq!(spaced[0].cells, ["合计", "9, 483. 72", "8, 401. 67"], "a thousands separator spaced off");
        assert_eq!(read[1].spans, [(0.0, 10.0), (25.0, 60.0), (75.0, 95.0)]);
        assert_eq!((read[2].page, read[2].number), (2, 3));
        // One space between two headers is an edge where words are not spaced ...
        assert_eq!(lines("一般公共预算 政府性基金预算", Columns::One)[0].cells, ["一般公共预算", "政府性基金预算"]);
        // ... and not in an OCR layer's text, which spaces them.
        let spaced = lines("一 、 一 般 公 共 预算 拨款 收入   509.01", Columns::One);
        assert_eq!(spaced[0].cells, ["一、一般公共预算拨款收入", "509.01"]);
        let listed = lines("1. 公务用车购置费      0.00   0.00", Columns::One);
        assert_eq!(listed[0].cells, ["1. 公务用车购置费", "0.00", "0.00"], "a list number is its item's");
        // Figures one space apart (tesseract's layout text where they sit close): a cell each.
        let close = lines("201 一般公共服务支出 1378. 41 1378. 41 0. 00", Columns::One);
        assert_eq!(close[0].cells, ["201", "一般公共服务支出", "1378. 41", "1378. 41", "0. 00"]);
    }

    /// A line as tesseract's layout text writes it: cells at `(start, text)` in ems, each gap
    /// as many spaces as it holds of the line's space width `space` (one at least).
    fn written(cells: &[(f32, &str)], space: f32) -> String {
        let mut out = String::new();
        let mut end = 0.0;
        for (i, (start, text)) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str(&" ".repeat(((start - end) / space).round().max(1.0) as usize));
            }
            out.push_str(text);
            end = start + text.chars().map(ink).sum::<f32>();
        }
        out
    }

    /// A coded row: code at 0, name at 8 ems, each figure right-aligned at its column.
    fn row(code: &str, name: &str, figures: &[(usize, &str)], space: f32) -> String {
        const RIGHTS: [f32; 3] = [30.0, 40.0, 50.0];
        let mut cells = vec![(0.0, code), (8.0, name)];
        for (column, figure) in figures {
            cells.push((RIGHTS[*column] - figure.chars().map(ink).sum::<f32>(), *figure));
        }
        written(&cells, space)
    }

    #[test]
    fn each_line_is_read_in_its_own_space_width_onto_one_grid() {
        // Rows written in space widths from 0.4 to 1.2 ems: counted in characters their
        // figures are columns apart; a row printing two of three figures (the middle one
        // blank) is where the full rows put those two columns.
        let text = [
            row("201", "一般公共服务支出", &[(0, "1378.41"), (1, "903.85"), (2, "474.56")], 0.4),
            row("20140", "信访事务", &[(0, "1378.41"), (1, "903.85"), (2, "474.56")], 0.9),
            row("2014001", "行政运行", &[(0, "903.85"), (1, "903.85"), (2, "0.00")], 0.6),
            row("2014002", "一般行政管理事务", &[(0, "458.00"), (2, "458.00")], 0.5),
            row("2014099", "其他信访事务支出", &[(0, "16.56"), (2, "16.56")], 1.2),
        ]
        .join("\n");
        let read = lines(&text, Columns::One);
        let ends = |line: &Line| -> Vec<f32> { line.spans[2..].iter().map(|s| s.1 / EM).collect() };
        let columns = ends(&read[0]);
        for (i, line) in read.iter().enumerate().skip(1) {
            let want: Vec<f32> = if i < 3 { columns.clone() } else { vec![columns[0], columns[2]] };
            let got = ends(line);
            assert_eq!(got.len(), want.len(), "{:?}", line.cells);
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 1.5, "line {}: figures end at {got:?} ems, the columns at {columns:?}", i + 1);
            }
        }
    }

    #[test]
    fn rows_printing_some_of_the_columns_named_each_take_the_ones_that_fit_them() {
        // A continued page of 基本支出: a 301 row prints 合计 and 人员经费, a 302 row 合计 and
        // 公用经费, none all three; the header names the three (its first garbled).
        let header =
            written(&[(0.0, "科目编码"), (8.0, "科目名称"), (26.0, "2"), (35.0, "人员经费"), (45.0, "公用经费")], 0.7);
        let rows = [
            row("30114", "医疗费", &[(0, "3.36"), (1, "3.36")], 0.5),
            row("30199", "其他工资福利支出", &[(0, "3.40"), (1, "3.40")], 0.9),
            row("302", "商品和服务支出", &[(0, "137.34"), (2, "137.34")], 0.6),
            row("30201", "办公费", &[(0, "33.14"), (2, "33.14")], 1.1),
            row("30207", "邮电费", &[(0, "7.35"), (2, "7.35")], 0.4),
            row("303", "对个人和家庭的补助", &[(0, "14.30"), (1, "14.30")], 0.8),
        ];
        let text = std::iter::once(&header).chain(&rows).cloned().collect::<Vec<_>>().join("\n");
        let read = lines(&text, Columns::One);
        let end = |i: usize, k: usize| read[i].spans[2 + k].1 / EM;
        let (staff, office) = ([1, 2, 6], [3, 4, 5]);
        for (a, b) in [(1, 2), (1, 6), (3, 4), (3, 5)] {
            assert!(
                (end(a, 0) - end(b, 0)).abs() < 1.5,
                "the totals end together: {:?} {:?}",
                read[a].spans,
                read[b].spans
            );
            assert!((end(a, 1) - end(b, 1)).abs() < 1.5, "rows {a} and {b} print the same columns");
        }
        let pitch = end(staff[0], 1) - end(staff[0], 0);
        assert!(end(office[0], 1) - end(staff[0], 1) > pitch / 2.0, "公用经费 is right of 人员经费: {read:?}");
    }

    #[test]
    fn rows_printing_one_figure_each_are_one_column() {
        // A table of one figure column under a header that names none, each line in its own
        // space width: the figures end together.
        let one = |name: &str, figure: &str, space: f32| {
            written(&[(0.0, name), (40.0 - figure.chars().map(ink).sum::<f32>(), figure)], space)
        };
        let text = [
            one("部门预算支出经济科目", "", 0.5),
            one("[301]工资福利支出", "7,131.66", 0.5),
            one("[30101]基本工资", "927.35", 1.2),
            one("[30108]机关事业单位基本养老保险缴费", "488.39", 0.3),
            one("[30201]办公费", "31.78", 0.8),
        ]
        .join("\n");
        let read = lines(&text, Columns::One);
        let ends: Vec<f32> = read[1..].iter().map(|l| l.spans[1].1).collect();
        assert!(ends.iter().all(|e| *e == ends[0]), "{ends:?}");
        assert!(read[1..].iter().all(|l| l.spans[0].1 < l.spans[1].0), "the names before the figures");
    }

    #[test]
    fn a_header_lines_names_of_figure_columns_are_set_over_those_columns() {
        // Tesseract's layout text begins every line at its first character: `基本支出  项目支出`
        // under `其中` (printed over the last two columns) is written as if it began at the
        // table's left edge, and `合计` after the code and name columns' names sits over
        // the first column of figures, not where its line's spaces alone would set it.
        let header = [
            written(&[(0.0, "科目编码"), (8.0, "科目名称"), (26.0, "合计")], 0.9),
            written(&[(35.0, "基本支出"), (45.0, "项目支出")], 0.5),
        ];
        let rows = [
            row("201", "一般公共服务支出", &[(0, "1378.41"), (1, "903.85"), (2, "474.56")], 0.4),
            row("20140", "信访事务", &[(0, "1378.41"), (1, "903.85"), (2, "474.56")], 0.9),
            row("2014001", "行政运行", &[(0, "903.85"), (1, "903.85"), (2, "0.00")], 0.6),
        ];
        let text = header.iter().chain(&rows).cloned().collect::<Vec<_>>().join("\n");
        let read = lines(&text, Columns::One);
        let rights: Vec<f32> = read[2].spans[2..].iter().map(|s| s.1).collect();
        let middle = |line: &Line, i: usize| (line.spans[i].0 + line.spans[i].1) / 2.0;
        assert_eq!(read[1].cells, ["基本支出", "项目支出"]);
        for (i, column) in [(0, 1), (1, 2)] {
            let at = middle(&read[1], i);
            assert!(
                rights[column - 1] < at && at < rights[column],
                "{} at {at}, the columns end at {rights:?}",
                read[1].cells[i]
            );
        }
        let total = middle(&read[0], 2);
        assert!(read[2].spans[1].1 < total && total < rights[0], "合计 at {total}, the columns end at {rights:?}");
    }

    #[test]
    fn a_two_sided_tables_second_names_and_figures_are_set_on_one_grid() {
        // 收入 | 预算数 | 支出 | 预算数, each line in its own space width: the expense items
        // begin at one left edge and the figures end at one right edge, whatever the width of
        // the income item and figure before them.
        let two = |income: &str, left: &str, expense: &str, right: &str, space: f32| {
            let ink = |t: &str| t.chars().map(ink).sum::<f32>();
            written(&[(0.0, income), (18.0 - ink(left), left), (20.0, expense), (38.0 - ink(right), right)], space)
        };
        let text = [
            two("一、一般公共预算拨款收入", "1468.70", "一、一般公共服务支出", "1216.89", 0.45),
            two("二、政府性基金预算拨款收入", "0.00", "二、外交支出", "0.00", 0.6),
            two("三、事业收入", "50.00", "三、国防支出", "113.11", 0.5),
            two("四、其他收入", "0.00", "四、文化旅游体育与传媒支出", "28.50", 0.8),
        ]
        .join("\n");
        let read = lines(&text, Columns::One);
        for line in &read {
            assert_eq!(line.cells.len(), 4, "{:?}", line.cells);
            assert_eq!(line.spans[1].1, read[0].spans[1].1, "{:?}", line.cells);
            assert_eq!(line.spans[2].0, read[0].spans[2].0, "{:?}", line.cells);
            assert_eq!(line.spans[3].1, read[0].spans[3].1, "{:?}", line.cells);
        }
        assert!(read[0].spans[1].1 < read[0].spans[2].0, "the income figures end before the expense items begin");
    }
}
