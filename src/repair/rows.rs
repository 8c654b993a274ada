//! Body rules: each printed body line becomes a [`GridRow`] with one repaired cell per leaf
//! column; a line holding only the wrapped end of the previous row's label is joined to it
//! (`label-continuation`), and a line with no words and no figures is debris
//! (`garbage-line`).

use super::cell::{self, Fixed};
use super::grid::{GridCell, GridRow, Log};
use crate::knowledge::templates::TableTemplate;
use crate::label::{cjk_count, has_ordinal, label_key};
use crate::layout::Segment;
use crate::model::{Column, ColumnRole, Finding, FindingKind, Location, Severity};
use crate::page::Line;

/// Where each column's cell sits in a printed line, and the 序号 cell if there is one.
#[derive(Debug, Clone)]
pub struct Positions {
    /// The cell position of each column, in column order.
    pub cells: Vec<usize>,
    pub seq: Option<usize>,
    /// Cells that number the printed lines (a 行次 column per side): not figures.
    pub line_numbers: Vec<usize>,
}

impl Positions {
    /// The column printed at a cell position.
    fn column_at(&self, position: usize) -> Option<usize> {
        self.cells.iter().position(|&p| p == position)
    }
}

/// Reads the body lines of one segment into `rows`.
pub fn read(
    template: &TableTemplate,
    segment: &Segment,
    columns: &[Column],
    at_cells: &Positions,
    rows: &mut Vec<GridRow>,
    log: &mut Log,
) {
    let id = &template.id;
    let seq_of = |line: &Line| at_cells.seq.and_then(|p| line.cells.get(p)).and_then(|c| c.trim().parse::<u32>().ok());
    let position = |role: ColumnRole| columns.iter().position(|c| c.role == role).map(|i| at_cells.cells[i]);
    // A coded row a skewed scan's text set over several lines is one line.
    let body = match position(ColumnRole::Code) {
        Some(code) => {
            let values = columns.iter().zip(&at_cells.cells).filter(|(c, _)| c.role == ColumnRole::Value);
            let printed = super::skewed::Printed {
                code,
                label: position(ColumnRole::Label),
                values: values.map(|(_, &p)| p).collect(),
            };
            super::skewed::join(&segment.body, &printed, id, log)
        }
        None => std::borrow::Cow::Borrowed(&segment.body[..]),
    };
    let body = &body[..];
    let fragment = |line: &Line| seq_of(line).is_none() && label_part(line, columns, at_cells).is_some();
    // Labels wrapped centred on their figures: a numbered row with a blank label between two
    // parts of one. There, a row whose label goes on below also began above.
    let centred = (1..body.len().saturating_sub(1)).any(|k| {
        seq_of(&body[k]).is_some()
            && fragment(&body[k - 1])
            && fragment(&body[k + 1])
            && label_part(&body[k - 1], columns, at_cells)
                .is_some_and(|(pos, _, _)| body[k].cells.get(pos).is_none_or(|c| c.trim().is_empty()))
    });
    // The start of a label wrapped above its row's figures, held for that row.
    let mut held: Option<(usize, String)> = None;
    for (k, line) in body.iter().enumerate() {
        let seq = seq_of(line);
        if seq.is_none() {
            let next = body.get(k + 1).filter(|n| seq_of(n).is_some());
            // A blank line before the start and none after: the text sets rows apart.
            let joined_below = next.is_some_and(|n| n.number == line.number + 1);
            // (The first line of a page's body begins a row: a row is not split over pages.)
            let set_apart = joined_below && (k == 0 || body[k - 1].number + 1 < line.number);
            let goes_on = centred && joined_below && body.get(k + 2).is_some_and(fragment);
            if let Some(start) = next.and_then(|n| opens_label(line, n, set_apart || goes_on, columns, at_cells)) {
                held = Some(start);
                continue;
            }
            if at_cells.seq.is_some() && continues_label(line, columns, at_cells, rows, log, id) {
                continue;
            }
            if line
                .filled()
                .all(|(_, c)| cjk_count(c) == 0 && cell::value(c).text.parse::<rust_decimal::Decimal>().is_err())
                || specks_under_figures(line, columns, at_cells)
            {
                log.record(at(line, id, None, None), "garbage-line", &line.raw(), "");
                continue;
            }
        }
        let mut cells: Vec<GridCell> = Vec::with_capacity(columns.len());
        let mut fired: Vec<(usize, &'static str, String)> = Vec::new();
        for (i, column) in columns.iter().enumerate() {
            let position = at_cells.cells[i];
            let raw = line.cells.get(position).map(|c| c.trim()).unwrap_or("");
            let Fixed { text, rules } = match column.role {
                ColumnRole::Value => cell::value(raw),
                ColumnRole::Label => cell::label(raw),
                ColumnRole::Code => cell::code(raw),
            };
            for rule in &rules {
                fired.push((i, rule, raw.to_string()));
            }
            cells.push(GridCell {
                raw: raw.to_string(),
                repaired: rules.iter().any(|r| !super::grid::NORMALISATIONS.contains(r)),
                text,
                bbox: line.boxes.get(position).copied().flatten(),
            });
        }
        split_code_names(columns, &mut cells, &mut fired);
        split_run_figures(columns, &mut cells, &mut fired);
        let start = held.take();
        if let Some((index, text)) = &start {
            cells[*index].text = format!("{text}{}", cells[*index].text);
            cells[*index].repaired = true;
        }
        let key = row_key(columns, &cells);
        if let Some((index, text)) = start {
            log.record(
                at(line, id, Some(&key), Some(&columns[index].key)),
                "label-continuation",
                &text,
                &cells[index].text,
            );
        }
        for (i, rule, raw) in fired {
            let repaired = if rule == "code-name-split" || rule == "split-figures" {
                format!("{}\t{}", cells[i].text, cells.get(i + 1).map_or("", |c| c.text.as_str()))
            } else {
                cells[i].text.clone()
            };
            log.record(at(line, id, Some(&key), Some(&columns[i].key)), rule, &raw, &repaired);
        }
        let beyond = |p: usize| {
            at_cells.column_at(p).is_none() && Some(p) != at_cells.seq && !at_cells.line_numbers.contains(&p)
        };
        // A figure no column holds is the row's (`tables` reports it on the row it makes,
        // whose figures it puts in doubt); other text the line's.
        let mut figures = Vec::new();
        for (pos, text) in line.filled().filter(|(p, _)| beyond(*p)) {
            if crate::layout::is_figure(text) {
                figures.push(text.to_string());
                continue;
            }
            let mut f = Finding::new(
                Severity::Warning,
                FindingKind::ExtraCell,
                format!(
                    "line {} has text beyond the table's {} columns at field {pos}: {text:?}",
                    line.number,
                    columns.len()
                ),
            );
            f.table = Some(id.clone());
            f.page = Some(line.page);
            log.findings.push(f);
        }
        rows.push(GridRow { line: line.number, page: line.page, seq, cells, beyond: figures });
    }
}

/// True when every text on a line is a speck under a figure column: one or two characters,
/// no digit, nothing under a label or code column (`\、 | 二 | > | 、`, what OCR makes of a
/// ruling or the noise under a table's last line). No name is on the line for it to be a
/// row's, and no figure for it to hold.
fn specks_under_figures(line: &Line, columns: &[Column], at_cells: &Positions) -> bool {
    let mut filled = line.filled().peekable();
    filled.peek().is_some()
        && filled.all(|(p, c)| {
            let under_figures = at_cells.column_at(p).is_some_and(|i| columns[i].role == ColumnRole::Value);
            under_figures
                && c.chars().count() <= 2
                && !c.chars().any(|ch| ch.is_ascii_digit() || ch.is_alphabetic() && !crate::label::is_cjk(ch))
        })
}

fn at(line: &Line, table: &str, row: Option<&str>, column: Option<&str>) -> Location {
    Location {
        page: line.page,
        line: line.number,
        table: Some(table.to_string()),
        row: row.map(str::to_string),
        column: column.map(str::to_string),
    }
}

/// The row's key for locating repairs: its code, else its first label.
fn row_key(columns: &[Column], cells: &[GridCell]) -> String {
    let find = |role| {
        columns
            .iter()
            .zip(cells)
            .find(|(c, cell)| c.role == role && !cell.text.is_empty())
            .map(|(_, cell)| cell.text.clone())
    };
    find(ColumnRole::Code).or_else(|| find(ColumnRole::Label).map(|l| label_key(&l))).unwrap_or_default()
}

/// A code glued to its name in the code cell moves its name into the empty name cell.
fn split_code_names(columns: &[Column], cells: &mut [GridCell], fired: &mut Vec<(usize, &'static str, String)>) {
    for i in 0..columns.len() {
        if columns[i].role != ColumnRole::Code || cells[i].text.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let name_free = columns.get(i + 1).is_some_and(|c| c.role == ColumnRole::Label) && cells[i + 1].text.is_empty();
        if let (Some((code, name)), true) = (cell::split_code_name(&cells[i].raw), name_free) {
            fired.retain(|(j, _, _)| *j != i);
            fired.push((i, "code-name-split", cells[i].raw.clone()));
            cells[i].text = code;
            cells[i].repaired = true;
            cells[i + 1].text = name;
            cells[i + 1].repaired = true;
        }
    }
}

/// Figures OCR read as one word across two columns (`13,252.6212,672.73`,
/// `12,672.73”579.89`): the figure cell that is none splits into two figures of the same
/// decimal places, one way only, and the neighbour of its side that is empty (the one
/// after, or else the one before, not both) takes the other.
fn split_run_figures(columns: &[Column], cells: &mut [GridCell], fired: &mut Vec<(usize, &'static str, String)>) {
    for i in 0..columns.len() {
        if columns[i].role != ColumnRole::Value || cells[i].text.parse::<rust_decimal::Decimal>().is_ok() {
            continue;
        }
        let Some((first, second)) = run_figures(&cells[i].text) else { continue };
        let empty = |j: Option<usize>| {
            j.filter(|&j| {
                columns.get(j).is_some_and(|c| c.role == ColumnRole::Value && c.side == columns[i].side)
                    && cells[j].raw.trim().is_empty()
            })
        };
        let (after, before) = (empty(Some(i + 1)), empty(i.checked_sub(1)));
        let (left, right) = match (after, before) {
            (Some(j), None) => (i, j),
            (None, Some(j)) => (j, i),
            _ => continue,
        };
        let raw = cells[i].raw.clone();
        fired.retain(|(j, _, _)| *j != i);
        fired.push((left, "split-figures", raw));
        cells[left].text = first;
        cells[right].text = second;
        cells[left].repaired = true;
        cells[right].repaired = true;
    }
}

/// Two figures run together, each with the same decimal places (two to six), as one text
/// splits them in exactly one way; thousands separators dropped.
fn run_figures(text: &str) -> Option<(String, String)> {
    let figure = |t: &str, places: usize| {
        let plain = t.replace(',', "");
        let grouped = !t.contains(',') || super::cell::THOUSANDS.is_match(t);
        plain.split_once('.').is_some_and(|(whole, decimals)| {
            !whole.is_empty()
                && whole.chars().all(|c| c.is_ascii_digit())
                && decimals.len() == places
                && decimals.chars().all(|c| c.is_ascii_digit())
        }) && grouped
    };
    let text = text.trim();
    let mut found = (2..=6).filter_map(|places| {
        let point = text.find('.')?;
        let end = point + 1 + places;
        let (first, rest) = (text.get(..end)?, text.get(end..)?);
        // (A quote or ruling OCR read between the two is neither's.)
        let second = rest.trim_start_matches(|c: char| "”“\"'|".contains(c));
        (figure(first, places) && figure(second, places)).then(|| (first.replace(',', ""), second.replace(',', "")))
    });
    let one = found.next()?;
    found.next().is_none().then_some(one)
}

/// A line that holds only the start of a label wrapped above its row: the next line is a
/// numbered row whose label cell is blank (the label printed over three lines, its middle
/// empty, centred on the figures), or the line is set apart from the row before by a blank
/// line and not from the next (its middle printed beside the figures). Gives the label
/// column and the text.
fn opens_label(
    line: &Line,
    next: &Line,
    set_apart: bool,
    columns: &[Column],
    at_cells: &Positions,
) -> Option<(usize, String)> {
    let (pos, index, text) = label_part(line, columns, at_cells)?;
    let blank_below = next.cells.get(pos).is_none_or(|c| c.trim().is_empty());
    (blank_below || set_apart).then(|| (index, cell::label(text).text))
}

/// A line that holds only part of a label, in a label column: its position, column and text.
/// A label that starts with an ordinal is an item of its own whose number was lost, not a part.
fn label_part<'a>(line: &'a Line, columns: &[Column], at_cells: &Positions) -> Option<(usize, usize, &'a str)> {
    let filled: Vec<(usize, &str)> = line.filled().collect();
    let [(pos, text)] = filled[..] else { return None };
    let index = at_cells.column_at(pos)?;
    let label = columns[index].role == ColumnRole::Label && cjk_count(text) > 0 && !has_ordinal(text);
    label.then_some((pos, index, text))
}

/// Joins a line that holds only a wrapped label end to the previous row's label.
fn continues_label(
    line: &Line,
    columns: &[Column],
    at_cells: &Positions,
    rows: &mut [GridRow],
    log: &mut Log,
    id: &str,
) -> bool {
    let (Some((_, index, text)), Some(previous)) = (label_part(line, columns, at_cells), rows.last_mut()) else {
        return false;
    };
    let cell = &mut previous.cells[index];
    let joined = format!("{}{}", cell.text, cell::label(text).text);
    log.record(at(line, id, None, Some(&columns[index].key)), "label-continuation", text, &joined);
    cell.text = joined;
    cell.repaired = true;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::templates::TEMPLATES;
    use crate::testing::line;

    fn read_body(id: &str, body: &[&str]) -> (Vec<GridRow>, Log) {
        let template = TEMPLATES[0].tables.iter().find(|t| t.id == id).expect("template");
        let mut log = Log::default();
        let columns = super::super::header::columns(
            &crate::layout::Block {
                template,
                title: line(1, "title"),
                title_variant: None,
                segments: vec![],
                notes: vec![],
                unit: None,
                aligned: false,
            },
            &mut log,
        );
        let segment = Segment {
            body: body.iter().enumerate().map(|(i, t)| line(i as u32 + 2, t)).collect(),
            ..Segment::default()
        };
        let mut rows = Vec::new();
        let first = template.first_column();
        let at = Positions {
            cells: (0..columns.len()).map(|i| i + first).collect(),
            seq: (first == 1).then_some(0),
            line_numbers: vec![],
        };
        read(template, &segment, &columns, &at, &mut rows, &mut log);
        (rows, log)
    }

    #[test]
    fn label_continuation_joins_the_wrapped_end() {
        let (rows, log) = read_body("income", &["13\t21208\t国有土地使用权出让收入安排的\t209.65", "\t\t支出\t"]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].cells[1].text, "国有土地使用权出让收入安排的支出");
        assert_eq!(log.repairs[0].rule, "label-continuation");
    }

    #[test]
    fn figures_read_as_one_word_are_split_into_the_empty_column_beside() {
        assert_eq!(run_figures("13,252.6212,672.73"), Some(("13252.62".into(), "12672.73".into())));
        assert_eq!(run_figures("12,672.73”579.89"), Some(("12672.73".into(), "579.89".into())));
        assert_eq!(run_figures("82.51825182.518251"), Some(("82.518251".into(), "82.518251".into())));
        assert_eq!(run_figures("198.30"), None);
        assert_eq!(run_figures("1.2.3"), None);
        // (A 序号 cell first: the template's columns are 科目编码, 科目名称, 合计, 基本支出, …)
        let (rows, log) = read_body("expense", &["1\t201\t一般公共服务支出\t82.5182.51\t\t"]);
        let texts: Vec<&str> = rows[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(&texts[2..4], ["82.51", "82.51"], "{texts:?}");
        assert!(log.repairs.iter().any(|r| r.rule == "split-figures" && r.raw == "82.5182.51"));
        // Both neighbours empty: which column took which, nothing tells.
        let (rows, _) = read_body("expense", &["1\t201\t一般公共服务支出\t\t82.5182.51\t"]);
        assert_eq!(rows[0].cells[3].text, "82.5182.51");
    }

    #[test]
    fn garbage_line_is_dropped_and_recorded() {
        let (rows, log) = read_body("expense", &["\\ \\\\\\\t_\t→", "1\t\t合计\t738.05"]);
        assert_eq!(rows.len(), 1);
        assert_eq!(log.repairs[0].rule, "garbage-line");
    }

    #[test]
    fn specks_under_the_figures_are_a_garbage_line() {
        // The noise under a table's last line, one or two characters under figure columns.
        let (rows, log) = read_body("expense", &["1\t\t合计\t738.05", "\t\t\t二\t、"]);
        assert_eq!(rows.len(), 1);
        assert!(log.repairs.iter().any(|r| r.rule == "garbage-line"));
        // A word under the label column is a row's (or a wrapped name's), not debris.
        let (rows, _) = read_body("expense", &["1\t\t合计\t738.05", "\t\t费\t二"]);
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn text_beyond_the_columns_is_reported_not_lost() {
        // A figure is the row's to report (`tables` keys it), other text the line's.
        let (rows, log) = read_body("gpb_expense", &["1\t\t合计\t528.41\t528.41\t\t\t99.99"]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].beyond, ["99.99"]);
        assert!(log.findings.is_empty());
        let (_, log) = read_body("gpb_expense", &["1\t\t合计\t528.41\t528.41\t\t\t见说明"]);
        assert_eq!(log.findings[0].kind, FindingKind::ExtraCell);
        assert!(log.findings[0].message.contains("见说明"));
    }
}
