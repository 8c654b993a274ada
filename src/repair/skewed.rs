//! A coded row a skewed scan's text set over several lines (`skew-joined`). Where a page
//! was scanned at a slant, a text that sorts words into lines by their height
//! (`pdftotext -layout` of an OCR'd PDF) sets one printed row's code, the pieces of its name
//! and its figures on lines of their own, a line or two apart: the code on one line, its
//! figures on the one above or below, in columns the code's line leaves empty. Such a line
//! (figures, no code, no row name a template knows) is joined to the coded line it belongs
//! to: the same way on the whole table (the slant tilts every row alike), the way that
//! joins more of its lines, and only where no figure column is printed on both. Only in OCR
//! text (cells with no boxes): a PDF's text layer, or a page gongkai read, sets each row on
//! its line.

use super::grid::Log;
use crate::model::Location;
use crate::page::Line;
use std::borrow::Cow;

fn cell(line: &Line, position: usize) -> &str {
    line.cells.get(position).map_or("", |c| c.trim())
}

/// Where a coded table's columns are printed in its lines: the code's cell, the name's (none
/// where the table prints its names in the code's column) and the figure columns'.
pub struct Printed {
    pub code: usize,
    pub label: Option<usize>,
    pub values: Vec<usize>,
}

/// The body with each skew-split row's lines joined to its coded line.
pub fn join<'a>(body: &'a [Line], printed: &Printed, table: &str, log: &mut Log) -> Cow<'a, [Line]> {
    let Printed { code, label, values } = printed;
    let (code, label) = (*code, *label);
    if body.iter().flat_map(|l| &l.boxes).any(Option::is_some) {
        return Cow::Borrowed(body);
    }
    // Each line read once: coded, the figure columns it prints, a piece (figures, no code,
    // and not the table's total row: 合计, 总计 are a row of their own).
    // (A code's cell may hold the start of its name too, where OCR set no gap between.)
    let coded: Vec<bool> = body
        .iter()
        .map(|l| {
            let digits = cell(l, code).chars().take_while(char::is_ascii_digit).count();
            (3..=9).contains(&digits) && !cell(l, code)[digits..].starts_with(['.', ','])
        })
        .collect();
    // (As the cell rules read a figure: OCR text splits `120. 17`.)
    let figure =
        |text: &str| !text.is_empty() && super::cell::value(text).text.parse::<rust_decimal::Decimal>().is_ok();
    let figures: Vec<Vec<usize>> =
        body.iter().map(|l| values.iter().copied().filter(|&p| figure(cell(l, p))).collect()).collect();
    let piece: Vec<bool> = (0..body.len())
        .map(|k| {
            !coded[k]
                && !figures[k].is_empty()
                && label.is_none_or(|p| {
                    let name = crate::label::label_key(cell(&body[k], p));
                    let item = crate::knowledge::vocabulary::item(None, table, &name);
                    !item.is_some_and(|i| i.ends_with("total"))
                })
        })
        .collect();
    // The coded line a piece joins going `up` (the nearest coded line above it, only pieces
    // between) or down, where their figures share no column.
    let target = |k: usize, up: bool| -> Option<usize> {
        let mut j = k;
        loop {
            j = if up { j.checked_sub(1)? } else { Some(j + 1).filter(|&j| j < body.len())? };
            if coded[j] {
                let clash = figures[k].iter().any(|p| !cell(&body[j], *p).is_empty());
                return (!clash).then_some(j);
            }
            // Past pieces and lines of words alone (a name's pieces), not past a row.
            if !piece[j] && !figures[j].is_empty() {
                return None;
            }
        }
    };
    let pieces: Vec<usize> = (0..body.len()).filter(|&k| piece[k]).collect();
    // Two coded lines with some figure column empty at least: rows printed whole are no skew.
    let open = (0..body.len()).filter(|&k| coded[k] && figures[k].len() < values.len()).count();
    if pieces.len() < 2 || open < 2 {
        return Cow::Borrowed(body);
    }
    let up = pieces.iter().filter(|&&k| target(k, true).is_some()).count();
    let down = pieces.iter().filter(|&&k| target(k, false).is_some()).count();
    if up.max(down) < 2 {
        return Cow::Borrowed(body);
    }
    let up = up > down;
    // Joined in order away from the coded line, each where it still leaves the columns apart.
    let mut joined: Vec<Line> = body.to_vec();
    let mut gone = vec![false; body.len()];
    // (Nearest the coded line first.)
    let order: Vec<usize> = if up { pieces } else { pieces.iter().rev().copied().collect() };
    for k in order {
        let Some(j) = target(k, up) else { continue };
        let clash = figures[k].iter().any(|p| !cell(&joined[j], *p).is_empty());
        if clash {
            continue;
        }
        let raw = body[k].raw();
        let line = &mut joined[j];
        for (p, text) in body[k].filled() {
            if line.cells.len() <= p {
                line.cells.resize(p + 1, String::new());
            }
            // A name's piece goes after the words on the coded line, whichever way the page
            // slants: the slant lifts or lowers a row's right-hand part, the end of its name
            // with its figures (the names' column is the code's where OCR set no gap).
            let own = line.cells[p].trim().to_string();
            let names = Some(p) == label || (label.is_none() && p == code);
            line.cells[p] = match (own.is_empty(), names) {
                (true, _) => text.to_string(),
                (false, true) => format!("{own}{text}"),
                (false, false) => continue,
            };
        }
        gone[k] = true;
        let location = Location {
            page: body[k].page,
            line: body[k].number,
            table: Some(table.to_string()),
            row: Some(cell(line, code).to_string()),
            column: None,
        };
        log.record(location, "skew-joined", &raw, &line.raw());
    }
    Cow::Owned(joined.into_iter().zip(gone).filter(|(_, g)| !g).map(|(l, _)| l).collect())
}

#[cfg(test)]
mod tests {
    /// The rows of the first table read from `text`: each row's cells as repaired.
    fn rows(text: &str) -> (Vec<Vec<String>>, Vec<String>) {
        let repaired = super::super::apply(&crate::testing::layout(text));
        let grid = &repaired.grids[0];
        let rows = grid.rows.iter().map(|r| r.cells.iter().map(|c| c.text.clone()).collect()).collect();
        let rules = repaired.repairs.iter().map(|r| r.rule.clone()).collect();
        (rows, rules)
    }

    #[test]
    fn a_row_a_skewed_scan_set_over_two_lines_is_joined_to_its_code() {
        // The page slants down to the right: each row's figures (and its name's end) a line
        // below its code, in the columns the code's line leaves empty.
        let head = "一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n\t合计\t30.00\t20.00\t10.00\n201\t一般公共服务支出\t30.00\t20.00\t10.00\n";
        let skewed = format!(
            "{head}20101\t人大事务\t\t\t\n\t\t30.00\t20.00\t10.00\n2010101\t行政运行\t25.00\t\t\n\t\t\t20.00\t5.00\n2010102\t一般行政\t\t\t\n\t管理事务\t5.00\t0.00\t5.00\n"
        );
        let (read, rules) = rows(&skewed);
        assert_eq!(read.len(), 5, "{read:?}");
        assert_eq!(read[2], ["20101", "人大事务", "30.00", "20.00", "10.00"]);
        assert_eq!(read[3], ["2010101", "行政运行", "25.00", "20.00", "5.00"]);
        assert_eq!(read[4], ["2010102", "一般行政管理事务", "5.00", "0.00", "5.00"]);
        assert_eq!(rules.iter().filter(|r| *r == "skew-joined").count(), 3);
        // Rows each on their line, some figures blank: nothing joined.
        let whole = format!(
            "{head}20101\t人大事务\t30.00\t20.00\t10.00\n2010101\t行政运行\t25.00\t\t25.00\n2010102\t一般行政管理事务\t5.00\t\t5.00\n"
        );
        let (read, rules) = rows(&whole);
        assert_eq!(read.len(), 5, "{read:?}");
        assert!(!rules.iter().any(|r| r == "skew-joined"));
    }
}
