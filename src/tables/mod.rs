//! Stage 5, `tables`: repaired [`Grid`]s → the standard [`Table`]s of the output: rows
//! keyed by classification code or label, two-sided lines split into an income and an
//! expense row, sub-rows placed `under` their heading, figures parsed as exact decimals.
//!
//! A cell that is printed but not a number is kept with its raw text, marked unreadable
//! and reported; it never becomes a zero. Blank cells give no cell at all.

mod other;
pub mod render;
mod targets;

pub(crate) use other::figure;
pub use other::others;
pub use targets::targets;

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::label::{cjk_count, label_key, nfkc};
use crate::model::{
    Cell, CellStatus, Column, ColumnRole, Finding, FindingKind, Place, Row, Severity, Side, Table, Unit,
};
use crate::repair::{Grid, GridCell, GridRow};

/// Tables plus what was noticed while building them.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub tables: Vec<Table>,
    pub findings: Vec<Finding>,
}

/// A classification code at the start of a label: 3, 5 or 7 digits, bracketed or set off (by
/// a space, dash, colon or an enumeration comma OCR read for a ruling: `21011、行政事业`).
/// OCR reads a closing square bracket after digits as a `j` at times (`[2080506j机关…`,
/// `[21007j]计划生育事务`): after an opening one, that is the bracket.
static LABEL_CODE: std::sync::LazyLock<crate::pattern::Regex> = std::sync::LazyLock::new(|| {
    crate::pattern::compile(
        r"^(?:\[([0-9]{3}(?:[0-9]{2}){0,2})[jJ]?\]?|[\[【(]?([0-9]{3}(?:[0-9]{2}){0,2})[\]】)]?)[\s\-—:、]*(\p{Han}.*)$",
    )
    .expect("label code")
});

/// The code and the name of a label [`LABEL_CODE`] matched.
fn label_code(found: &crate::pattern::Captures) -> (String, String) {
    let code = found.get(1).or_else(|| found.get(2)).map_or("", |m| m.as_str());
    (code.to_string(), found[3].to_string())
}

/// A code misread, then a dash and its name: one digit short of a classification code's
/// length (`0201-办公费`), or two digits then a letter among its digits (`30U1-公务员医疗补助缴费`,
/// the engine's glyph for `111`) — a digit only where it was read as one.
static SHORT_CODE: std::sync::LazyLock<crate::pattern::Regex> = std::sync::LazyLock::new(|| {
    crate::pattern::compile(r"^([0-9]{4}|[0-9]{6}|[0-9]{2}[0-9A-Za-z]{1,5})[\-—]+(\p{Han}.*)$").expect("short code")
});

/// True where `code` as [`SHORT_CODE`] takes it is a misread code: all digits, of a length
/// no classification's codes have, or with a letter in it.
fn misread_code(code: &str) -> bool {
    if code.bytes().all(|b| b.is_ascii_digit()) {
        matches!(code.len(), 4 | 6)
    } else {
        code.bytes().any(|b| b.is_ascii_alphabetic())
    }
}

/// Words in a note that declare the table empty on purpose.
const EMPTY_WORDS: [&str; 5] = ["空表", "无数据", "无此项", "本表无数据", "无此类"];

/// Builds the output tables; `unit` is the document's unit.
pub fn rebuild(grids: &[Grid], unit: Option<Unit>) -> Rebuilt {
    let mut findings = Vec::new();
    let tables = grids.iter().map(|g| table(g, unit, &mut findings)).collect();
    Rebuilt { tables, findings }
}

fn table(grid: &Grid, unit: Option<Unit>, findings: &mut Vec<Finding>) -> Table {
    let id = &grid.template.id;
    // Each side of a two-sided table, or each side-by-side block, makes its own rows.
    let mut sides: Vec<(Option<Side>, Option<u8>)> = grid.columns.iter().map(|c| (c.side, c.block)).collect();
    sides.dedup();
    if grid.template.transposed && !keyed_by_label(grid) {
        return transposed(grid, unit, findings);
    }
    let mut rows = Vec::new();
    let mut headings: Vec<Option<(String, Ordinal)>> = vec![None; sides.len()];
    let mut code_parts: Vec<Vec<String>> = vec![Vec::new(); sides.len()];
    for printed in &grid.rows {
        let mut of_line = Vec::new();
        for (s, side) in sides.iter().enumerate() {
            if let Some(row) = row(grid, printed, *side, (&mut headings[s], &mut code_parts[s]), findings) {
                of_line.push(row);
            }
        }
        rows.extend(total_across_blocks(of_line));
    }
    if grid.template.two_sided {
        // A template group heading (年初财政拨款结转和结余) on either side, or an income item
        // numbered `一、`, over unnumbered items.
        let group = |r: &Row| grid.template.groups.iter().any(|g| Some(g.side) == r.side && g.names(&r.key));
        let heads = |r: &Row| group(r) || (r.side == Some(Side::Income) && ordinal(&r.label) == Ordinal::Chinese);
        nest_unnumbered(id, &mut rows, Some(Side::Income), &heads, Sums::Exact);
        nest_unnumbered(id, &mut rows, Some(Side::Expense), &heads, Sums::Exact);
    } else if keyed_by_unit(grid) {
        // A department's row over its units' rows, printed indented: the units' figures
        // (each rounded on its own) add up to the department's in every column; never under
        // the table's total.
        let heads = |r: &Row| r.code.is_none() && !r.key.contains("合计") && !r.key.contains("总计");
        nest_unnumbered(id, &mut rows, None, &heads, Sums::Rounded);
    }
    repeated_lines(id, &rows, findings);
    let has_figures = rows.iter().any(|r| !r.cells.is_empty());
    if !has_figures {
        rows.clear(); // printed empty: a 合计 row with no figure is no row
    }
    declared_empty(id, grid, &rows, findings);
    Table {
        id: id.clone(),
        layout: grid.template.layout.clone(),
        title: grid.title.clone(),
        pages: grid.pages.clone(),
        unit: grid.unit.filter(|u| Some(*u) != unit),
        empty: !has_figures,
        notes: grid.notes.clone(),
        columns: grid.columns.clone(),
        rows,
    }
}

/// Reports a table a note declares empty (本表无数据, 空表) that prints a figure other than 0:
/// the publication contradicts itself, and which is right cannot be told from it. Zeros under
/// such a note say the same as the note.
fn declared_empty(id: &str, grid: &Grid, rows: &[Row], findings: &mut Vec<Finding>) {
    let declared = grid.notes.iter().any(|n| EMPTY_WORDS.iter().any(|w| n.contains(w)));
    let figures = || rows.iter().flat_map(|r| &r.cells).any(|c| c.value.is_some_and(|v| !v.is_zero()));
    if declared && figures() {
        let mut f = Finding::new(
            Severity::Error,
            FindingKind::EmptyNoteWithFigures,
            format!("{id}: a note declares the table empty, but it prints figures"),
        );
        f.table = Some(id.to_string());
        findings.push(f);
    }
}

/// Reports a coded line printed twice in a row with the same figures (counted once).
fn repeated_lines(id: &str, rows: &[Row], findings: &mut Vec<Finding>) {
    for row in (0..rows.len()).filter(|&i| crate::model::repeats_previous(rows, i)).map(|i| &rows[i]) {
        findings.push(Finding::located(
            Severity::Warning,
            FindingKind::RepeatedLine,
            Place::row(id, row),
            format!(
                "{id}: line {} repeats the line before it ({} {}, the same figures): printed twice, counted once",
                row.line,
                row.code.as_deref().unwrap_or_default(),
                row.label
            ),
        ));
    }
}

/// A total printed across side-by-side blocks (`公用经费合计` in one block, its figure in the
/// last): the figure of a block with no label or code is the labelled row's on its line.
fn total_across_blocks(mut rows: Vec<Row>) -> Vec<Row> {
    let unnamed = |r: &Row| r.label.is_empty() && r.code.is_none() && !r.cells.is_empty();
    if let Some(i) = rows.iter().position(|r| !r.label.is_empty() && r.cells.is_empty())
        && let Some(j) = rows.iter().skip(i + 1).position(unnamed).map(|k| k + i + 1)
        && rows[j].side == rows[i].side
        && rows.iter().skip(i + 1).take(j - i - 1).all(|r| r.label.is_empty() && r.cells.is_empty())
    {
        let figure = rows.remove(j);
        rows[i].cells = figure.cells;
    }
    rows
}

/// True when the lines of figures of a table the template reads transposed are keyed by a
/// label (one line per unit, per year: `杭州市公安局 | 887.56 | …`): then it is read as
/// printed, a row per line and a column per item.
fn keyed_by_label(grid: &Grid) -> bool {
    let labels: Vec<usize> =
        grid.columns.iter().enumerate().filter(|(_, c)| c.role == ColumnRole::Label).map(|(i, _)| i).collect();
    let keyed = grid.rows.iter().filter(|r| labels.iter().any(|&i| cjk_count(&r.cells[i].text) > 0)).count();
    keyed >= 2
}

/// A table whose items are column headers over a line of figures (the Shanghai “三公”
/// table): each value column is an item's row, and the figure's kind is the one column.
fn transposed(grid: &Grid, unit: Option<Unit>, findings: &mut Vec<Finding>) -> Table {
    let template = grid.template;
    let figure = template.figure.clone().unwrap_or_else(|| "金额".to_string());
    let figure_key = label_key(&figure);
    // The template column each printed one is (columns read from the printed header come in
    // the printed order, not the template's).
    let templates: Vec<Option<&crate::knowledge::templates::ColumnTemplate>> = grid
        .columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            template
                .columns
                .get(i)
                .filter(|c| label_key(&c.label) == column.key)
                .or_else(|| template.columns.iter().find(|c| label_key(&c.label) == column.key))
        })
        .collect();
    // Each column's item: as printed where the table names it otherwise than the template
    // (`公务用车运行费` for `运行费`, `三公经费合计` for `合计`), rows being keyed as printed;
    // the template's where the printed word is its own (or one line prints several figure
    // kinds, whose leaf is the kind).
    let single = template.columns.iter().all(|c| c.figure.is_none());
    let items: Vec<String> = grid
        .columns
        .iter()
        .zip(&templates)
        .map(|(column, of)| {
            let template_item = of.and_then(|c| c.item.clone()).unwrap_or_else(|| column.label.clone());
            // A group's 小计 is keyed by the group as printed over it.
            let printed = column.group.as_ref().unwrap_or(&column.label);
            let renamed = single && of.is_some() && !printed.trim().is_empty() && label_key(printed) != column.key;
            if renamed { printed.clone() } else { template_item }
        })
        .collect();
    // A column printed only `小计` is its template item's as another column prints it (the
    // `三公经费合计` of a table printing `“三公”经费合计 | 当年预算 / 小计 | …`).
    let bare = |i: usize| {
        grid.columns[i].group.is_none()
            && crate::repair::printed::TOTALS.contains(&label_key(&grid.columns[i].label).as_str())
    };
    let items: Vec<String> = (0..items.len())
        .map(|i| {
            let Some(of) = templates[i].filter(|_| bare(i)) else { return items[i].clone() };
            let same = |j: usize| j != i && templates[j].is_some_and(|t| std::ptr::eq(t, of));
            let named = (0..items.len()).find(|&j| !bare(j) && same(j));
            // Every column of the item printed bare (`合计 | 当年预算 / 小计`, the name OCR
            // lost): the template's item keys them all as one row.
            let fallback = || match &of.item {
                Some(item) if (0..items.len()).any(same) => item.clone(),
                _ => items[i].clone(),
            };
            named.map_or_else(fallback, |j| items[j].clone())
        })
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    for printed in &grid.rows {
        for (i, column) in grid.columns.iter().enumerate() {
            let cell = &printed.cells[i];
            let of_template = templates[i];
            let item = items[i].clone();
            // A sub-item's group as printed over it: the item of the column that is the group.
            let under = of_template
                .and_then(|c| c.under.clone())
                .map(|u| {
                    let group = of_template_item(&templates, &u);
                    group.map_or(u, |g| items[g].clone())
                })
                .or_else(|| column.under.clone());
            if column.role != ColumnRole::Value {
                continue;
            }
            // Every item printed as a header is a row, its figure a cell when printed (in the
            // column of the year printed over it, where the items are printed once per year).
            let figure_key = column.figure.as_deref().map(label_key).unwrap_or_else(|| {
                of_template.and_then(|c| c.figure.as_deref()).map_or_else(|| figure_key.clone(), label_key)
            });
            let at = At { table: &template.id, row: &label_key(&item), column: &figure_key, side: None };
            let cells = if cell.text.is_empty() { vec![] } else { vec![read(cell, &at, printed, findings)] };
            let under = under.map(|u| label_key(&u));
            let same = |r: &&mut Row| r.key == label_key(&item) && r.under == under && r.line == printed.line;
            if column.figure.is_some()
                && let Some(row) = rows.iter_mut().find(same)
            {
                row.cells.extend(cells);
                continue;
            }
            rows.push(Row {
                key: label_key(&item),
                label: item,
                code: None,
                side: None,
                under,
                seq: None,
                page: printed.page,
                line: printed.line,
                cells,
            });
        }
    }
    if rows.iter().all(|r| r.cells.is_empty()) {
        rows.clear(); // printed empty: its items name no figure
    }
    declared_empty(&template.id, grid, &rows, findings);
    // The figure kinds, in printed order: the table's columns once read transposed.
    let mut figures: Vec<String> = Vec::new();
    let years: Vec<String> = grid.columns.iter().filter_map(|c| c.figure.clone()).collect();
    let kinds = template.columns.iter().map(|c| c.figure.clone().unwrap_or_else(|| figure.clone()));
    for f in if years.is_empty() { kinds.collect::<Vec<_>>() } else { years } {
        if !figures.contains(&f) {
            figures.push(f);
        }
    }
    Table {
        id: template.id.clone(),
        layout: template.layout.clone(),
        title: grid.title.clone(),
        pages: grid.pages.clone(),
        unit: grid.unit.filter(|u| Some(*u) != unit),
        empty: rows.iter().all(|r| r.cells.is_empty()),
        notes: grid.notes.clone(),
        columns: figures
            .into_iter()
            .map(|label| Column::own(label_key(&label), &label, ColumnRole::Value, None))
            .collect(),
        rows,
    }
}

/// The column whose template item is `item`.
fn of_template_item(of_template: &[Option<&crate::knowledge::templates::ColumnTemplate>], item: &str) -> Option<usize> {
    of_template
        .iter()
        .position(|c| c.and_then(|c| c.item.as_deref()).is_some_and(|it| label_key(it) == label_key(item)))
}

/// One side of one printed line, or `None` when that side is blank.
fn row(
    grid: &Grid,
    printed: &GridRow,
    (side, block): (Option<Side>, Option<u8>),
    (heading, code_parts): (&mut Option<(String, Ordinal)>, &mut Vec<String>),
    findings: &mut Vec<Finding>,
) -> Option<Row> {
    let id = &grid.template.id;
    let on_side = |i: usize| grid.columns[i].side == side && grid.columns[i].block == block;
    // Of several label columns (`预算单位 | 科目名称`, `单位编码 | 单位名称`), the name printed
    // on this line.
    let texts_of = |role: ColumnRole| -> Vec<String> {
        grid.columns
            .iter()
            .enumerate()
            .filter(|(i, c)| on_side(*i) && c.role == role)
            .map(|(i, _)| printed.cells[i].text.clone())
            .collect()
    };
    let labels: Vec<String> = texts_of(ColumnRole::Label).into_iter().filter(|t| !t.is_empty()).collect();
    let mut label = labels.iter().find(|t| cjk_count(t) > 0).or(labels.first()).cloned().unwrap_or_default();
    // Codes printed in split 类 | 款 | 项 columns are joined (`201 03 01` → `2010301`).
    let parts = texts_of(ColumnRole::Code);
    let code: String = split_code(&parts, code_parts).concat();
    // A label printed across the merged code cells (the 合计 row) is the row's label.
    if label.is_empty() && cjk_count(&code) > 0 {
        label = code.clone();
    }
    // A classification code has 3, 5 or 7 digits (类, 款, 项); a unit's code (`105001`) is not
    // one, and such a row is keyed by its name.
    let mut code = Some(code).filter(|c| {
        !c.is_empty()
            && c.chars().all(|ch| ch.is_ascii_digit())
            && !(c.len() == 6 && crate::label::is_unit_label(&label))
    });
    // A code printed inside the label cell (`[201]一般公共服务支出`, `2010501-行政运行`).
    if code.is_none()
        && let Some(found) = LABEL_CODE.captures(&nfkc(&label))
    {
        let (found, name) = label_code(&found);
        code = Some(found);
        label = name;
    }
    // Or a code whole before a digit or two OCR read a speck as (`22102 0`): joined they
    // would be no code's length, so the code is the row's and the speck its label as read.
    if code.is_none()
        && let Some((found, speck)) = crate::repair::cell::code_and_speck(&nfkc(&label))
    {
        code = Some(found);
        label = speck;
    }
    // A line printing codes of several classifications side by side (the function, the
    // government economic and the department economic code of one figure) is keyed by the
    // code of its table's classification, in whichever code or label cell it stands.
    if let Some(class) = grid.template.classification
        && !code.as_deref().is_some_and(|c| class.holds(c))
        && let Some((found, name)) = parts.iter().chain(&labels).find_map(|t| {
            let text = nfkc(t);
            let (found, name) = label_code(&LABEL_CODE.captures(&text)?);
            class.holds(&found).then_some((found, name))
        })
    {
        code = Some(found);
        label = name;
    }
    // Or, none of its codes the classification's, by one misread: a digit short (`0201-办公费`
    // read for `30201-办公费`) or with a letter for digits (`30U1-…` for `30111-…`), never by
    // another classification's code in silence. Reported below as no classification code,
    // and mended by `recover::codes` where one code alone fits what was read.
    if let Some(class) = grid.template.classification
        && !code.as_deref().is_some_and(|c| class.holds(c))
        && let Some((found, name)) = parts.iter().chain(&labels).find_map(|t| {
            let text = nfkc(t);
            let found = SHORT_CODE.captures(&text).filter(|f| misread_code(&f[1]))?;
            Some((found[1].to_string(), found[2].to_string()))
        })
    {
        code = Some(found);
        label = name;
    }
    let key = code.clone().unwrap_or_else(|| row_key(grid, &label));
    // A code of another length (`0`, `2130`) or with a letter (`30U1`) is a misread one: its
    // row is not placed in the hierarchy its figures belong to, so it is reported, never
    // keyed in silence. (A unit's six-digit code was set aside above.)
    let misread = |c: &&str| ![3, 5, 7].contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_digit());
    if let Some(c) = code.as_deref().filter(misread) {
        let place =
            Place { table: Some(id.to_string()), row: Some(key.clone()), side, column: None, page: Some(printed.page) };
        findings.push(Finding::located(
            Severity::Error,
            FindingKind::UnreadableCell,
            place,
            format!(
                "{id} line {}: the code {c:?} is not a classification code (3, 5 or 7 digits): its row is not placed in the hierarchy",
                printed.line
            ),
        ));
    }
    let mut cells = Vec::new();
    for (i, column) in grid.columns.iter().enumerate() {
        let cell = &printed.cells[i];
        if !on_side(i) || column.role != ColumnRole::Value || cell.text.is_empty() {
            continue;
        }
        let at = At { table: id, row: &key, column: &column.key, side };
        cells.push(read(cell, &at, printed, findings));
    }
    if label.is_empty() && code.is_none() && cells.is_empty() {
        return None;
    }
    // Figures printed beyond the columns (on the line's last side): its figures may be a
    // column off theirs.
    let last_side = grid.columns.last().is_some_and(|c| c.side == side && c.block == block);
    for figure in printed.beyond.iter().filter(|_| last_side) {
        let place =
            Place { table: Some(id.to_string()), row: Some(key.clone()), side, column: None, page: Some(printed.page) };
        findings.push(Finding::located(
            Severity::Warning,
            FindingKind::ExtraCell,
            place,
            format!(
                "line {} has a figure beyond the table's {} columns: {figure:?}: the row's figures may be a column off",
                printed.line,
                grid.columns.len()
            ),
        ));
    }
    let under = place_under(grid, side, &label, &key, heading);
    Some(Row { key, label, code, side, under, seq: printed.seq, page: printed.page, line: printed.line, cells })
}

/// The key of a row without a code: label_key of its label, less a trailing colon
/// (`总计：`); the total row of a coded table is `合计` however it is printed (`总计`), as
/// the contract says.
fn row_key(grid: &Grid, label: &str) -> String {
    let key = label_key(label);
    let key = key.trim_end_matches(':');
    let coded = grid.template.columns.iter().any(|c| c.role == ColumnRole::Code);
    if coded && key == "总计" { "合计".to_string() } else { key.to_string() }
}

/// The parts of a code printed in split 类 | 款 | 项 columns. A 款 or 项 printed alone
/// (`| 05 |`, the 类 left to the row above, as many templates print the hierarchy) takes
/// the higher parts from the coded row above it; `previous` keeps them.
fn split_code(parts: &[String], previous: &mut Vec<String>) -> Vec<String> {
    let all_digits = parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    let first = parts.iter().position(|p| !p.is_empty());
    let last = parts.iter().rposition(|p| !p.is_empty());
    let (Some(first), Some(last), true, true) = (first, last, parts.len() >= 2, all_digits) else {
        return parts.to_vec();
    };
    let contiguous = parts[first..=last].iter().all(|p| !p.is_empty());
    let mut joined = parts[first..=last].to_vec();
    if first > 0 && contiguous && previous.len() >= first {
        joined = previous[..first].iter().cloned().chain(joined).collect();
    }
    if contiguous && (first == 0 || previous.len() >= first) {
        *previous = joined.clone();
    }
    joined
}

/// Where a cell is, for findings.
struct At<'a> {
    table: &'a str,
    row: &'a str,
    column: &'a str,
    side: Option<Side>,
}

/// A printed figure as an exact decimal; printed text that is not a number is kept raw,
/// marked unreadable and reported (never a zero).
fn read(cell: &GridCell, at: &At, printed: &GridRow, findings: &mut Vec<Finding>) -> Cell {
    let confidence = cell.bbox.and_then(|b| b.confidence);
    let value = Decimal::from_str(&cell.text)
        .ok()
        .filter(|_| !lone_digit_unsure(&cell.text, confidence) && !no_integer_part(&cell.text, confidence));
    let status = match (value, cell.repaired) {
        (None, _) => CellStatus::Unreadable,
        (Some(_), true) => CellStatus::Repaired,
        (Some(_), false) => CellStatus::Read,
    };
    if value.is_none() {
        let place = Place {
            table: Some(at.table.to_string()),
            row: Some(at.row.to_string()),
            side: at.side,
            column: Some(at.column.to_string()),
            page: Some(printed.page),
        };
        findings.push(Finding::located(
            Severity::Error,
            FindingKind::UnreadableCell,
            place,
            if no_integer_part(&cell.text, confidence) {
                format!(
                    "{} line {}: {:?} in column {} is a figure without its integer part (OCR lost it): no figure",
                    at.table, printed.line, cell.raw, at.column
                )
            } else if lone_digit_unsure(&cell.text, confidence) {
                format!(
                    "{} line {}: {:?} in column {} is one digit read with confidence {:.0}: no figure",
                    at.table,
                    printed.line,
                    cell.raw,
                    at.column,
                    confidence.unwrap_or(0.0)
                )
            } else {
                format!("{} line {}: {:?} in column {} is not a number", at.table, printed.line, cell.raw, at.column)
            },
        ));
    }
    // Provenance rounded to a tenth: finer is noise, and the output stays byte-stable.
    let tenth = |x: f32| (x * 10.0).round() / 10.0;
    Cell {
        column: at.column.to_string(),
        raw: cell.raw.clone(),
        value,
        status,
        inferred_by: None,
        bbox: cell.bbox.map(|b| [b.x0, b.top, b.x1, b.bottom].map(tenth)),
        confidence: confidence.map(tenth),
        readings: Vec::new(),
    }
}

/// Whether an OCR'd cell reads a figure without its integer part (`.9`, `.30`): no table
/// prints one so (zero is printed `0.90`); OCR lost what stood before the point (the first
/// line of `0.0 / 0` wrapped in a narrow cell, a faded digit). It is left for the
/// identities and the second engine, never read as 0.9.
fn no_integer_part(text: &str, confidence: Option<f32>) -> bool {
    confidence.is_some() && text.trim_start_matches('-').starts_with('.')
}

/// OCR confidence (0–100) under which a lone digit is no reading.
const LONE_DIGIT_SURE: f32 = 10.0;

/// Whether an OCR'd cell reads one digit other than zero with almost no confidence (`9`
/// at 0): in a table of figures that is a speck, or one line of a figure wrapped in a
/// narrow cell (`0.0 / 0`, `1378.4 / 1`), never the figure; it is left for the identities
/// and the second engine. (A lone `0` stands for none, as printed.)
fn lone_digit_unsure(text: &str, confidence: Option<f32>) -> bool {
    let digit = matches!(text.as_bytes(), [b'1'..=b'9']);
    digit && confidence.is_some_and(|c| c < LONE_DIGIT_SURE)
}

/// How a label is numbered: sub-rows are numbered in another style than their heading
/// (年初结转和结余 → 一、二、; 一、财政拨款收入 → 1. 2.).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ordinal {
    None,
    Chinese,
    Arabic,
    Parenthesised,
}

fn ordinal(label: &str) -> Ordinal {
    let t: String = nfkc(label).chars().filter(|c| !c.is_whitespace()).collect();
    let first = t.chars().next().unwrap_or(' ');
    if first == '(' {
        Ordinal::Parenthesised
    } else if first.is_ascii_digit() && t.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(['.', '、']) {
        Ordinal::Arabic
    } else if "一二三四五六七八九十".contains(first) && t.contains('、') && label_key(label) != t {
        Ordinal::Chinese
    } else {
        Ordinal::None
    }
}

/// A heading (an item numbered `一、`, a template group) followed by unnumbered items whose
/// figures add up to its own in every column (`一、财政拨款` over `一般公共预算`,
/// `政府性基金预算`, …) heads them: they are its sub-items. Without that evidence (a total
/// row, items of their own) nothing moves.
/// How a heading's figure must add up from its sub-items' figures.
#[derive(Clone, Copy, PartialEq)]
enum Sums {
    /// Exactly.
    Exact,
    /// Within half a unit of the last printed digit per sub-item (each rounded on its own,
    /// as the identities allow), and over at least two sub-items (one row equal to the row
    /// above it is no evidence).
    Rounded,
}

fn nest_unnumbered(table: &str, rows: &mut [Row], side: Option<Side>, heads: &dyn Fn(&Row) -> bool, sums: Sums) {
    let on_side: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].side == side).collect();
    for (k, &h) in on_side.iter().enumerate() {
        if !heads(&rows[h]) {
            continue;
        }
        let run: Vec<usize> = on_side[k + 1..]
            .iter()
            .copied()
            .take_while(|&r| {
                let key = &rows[r].key;
                ordinal(&rows[r].label) == Ordinal::None && !key.contains("合计") && !key.contains("总计")
            })
            .collect();
        let fewest = if sums == Sums::Exact { 1 } else { 2 };
        if run.len() < fewest || run.iter().any(|&r| rows[r].under.is_some()) {
            continue;
        }
        // A heading of zeros adds up to anything of zeros: no evidence, unless the rows are
        // the parts the templates print under it (单位资金收入 over 事业收入 …).
        let zeros = rows[h].cells.iter().all(|c| c.value.is_none_or(|v| v.is_zero()));
        if zeros && !run.iter().all(|&r| crate::knowledge::vocabulary::is_part(table, &rows[h].key, &rows[r].key)) {
            continue;
        }
        let adds_up = rows[h].cells.iter().all(|cell| {
            let Some(total) = cell.value else { return true };
            let sum: Option<Decimal> = run.iter().try_fold(Decimal::ZERO, |acc, &r| {
                match rows[r].cells.iter().find(|c| c.column == cell.column) {
                    None => Some(acc),
                    Some(c) => c.value.map(|v| acc + v),
                }
            });
            match (sum, sums) {
                (Some(sum), Sums::Rounded) => {
                    let half = Decimal::new(5, total.scale() + 1);
                    (sum - total).abs() <= half * Decimal::from(run.len())
                }
                (sum, _) => sum == Some(total),
            }
        });
        if adds_up {
            let heading = rows[h].key.clone();
            for &r in &run {
                rows[r].under = Some(heading.clone());
            }
        }
    }
}

/// True for a table whose rows are keyed by unit (its label column printed `单位名称`,
/// `预算单位`), not by subject.
fn keyed_by_unit(grid: &Grid) -> bool {
    let mut labels = grid.columns.iter().filter(|c| c.role == ColumnRole::Label).peekable();
    labels.peek().is_some() && labels.all(|c| label_key(&c.label).contains("单位"))
}

/// Tracks the template's group headings: the rows after a heading numbered in another
/// style than it are its sub-rows.
fn place_under(
    grid: &Grid,
    side: Option<Side>,
    label: &str,
    key: &str,
    heading: &mut Option<(String, Ordinal)>,
) -> Option<String> {
    let groups = &grid.template.groups;
    if groups.iter().any(|g| Some(g.side) == side && g.names(key)) {
        // `under` is the heading as printed; the identities accept its other names.
        *heading = Some((key.to_string(), ordinal(label)));
        return None;
    }
    let style = ordinal(label);
    // On the income side of a two-sided table, an item numbered `一、` heads the items numbered
    // otherwise below it (`一、本年收入` over `(一)一般公共预算资金`, `二、上年结转` over its
    // funds), as a template's group does; expenditure items are classes and stay top-level.
    match heading {
        Some((name, outer)) if style != Ordinal::None && style != *outer => Some(name.clone()),
        _ if grid.template.two_sided && side == Some(Side::Income) && style == Ordinal::Chinese => {
            *heading = Some((key.to_string(), style));
            None
        }
        _ => {
            *heading = None;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_figure_beyond_the_columns_is_reported_on_the_row_it_keys() {
        // The header lost its 合计: three figures under two names, the code in the label.
        let text = "一般公共预算支出表\n单位：万元\n科目名称\t基本支出\t项目支出\n\
                    [201]一般公共服务支出\t8295.28\t7263.23\t1032.05\n";
        let repaired = crate::repair::apply(&crate::testing::layout(text));
        let rebuilt = super::rebuild(&repaired.grids, None);
        let extra: Vec<_> =
            rebuilt.findings.iter().filter(|f| f.kind == crate::model::FindingKind::ExtraCell).collect();
        assert_eq!(extra.len(), 1, "{:?}", rebuilt.findings);
        assert_eq!((extra[0].table.as_deref(), extra[0].row.as_deref()), (Some("gpb_expense"), Some("201")));
        assert!(extra[0].message.contains("1032.05"));
    }

    #[test]
    fn a_code_before_a_speck_read_as_a_digit_is_the_rows() {
        let pair = |c: &str, n: &str| Some((c.to_string(), n.to_string()));
        assert_eq!(crate::repair::cell::code_and_speck("22102 0"), pair("22102", "0"));
        assert_eq!(crate::repair::cell::code_and_speck("201 01"), None, "a code printed in groups");
        assert_eq!(crate::repair::cell::code_and_speck("2210201 住房"), None);
        let split = |label: &str| super::LABEL_CODE.captures(label).map(|c| super::label_code(&c));
        assert_eq!(
            split("21011、行政事业单位医疗"),
            pair("21011", "行政事业单位医疗"),
            "an enumeration comma after it"
        );
    }

    #[test]
    fn a_code_in_its_label_is_the_rows_even_with_its_bracket_read_as_a_letter() {
        let split = |label: &str| super::LABEL_CODE.captures(label).map(|c| super::label_code(&c));
        let pair = |c: &str, n: &str| Some((c.to_string(), n.to_string()));
        assert_eq!(split("[201]一般公共服务支出"), pair("201", "一般公共服务支出"));
        assert_eq!(split("2010501-行政运行"), pair("2010501", "行政运行"));
        assert_eq!(split("[2080506j机关事业单位职业年金缴费支出"), pair("2080506", "机关事业单位职业年金缴费支出"));
        assert_eq!(split("[21007j]计划生育事务"), pair("21007", "计划生育事务"));
        assert_eq!(split("2080506j机关事业单位"), None, "no opening bracket: a letter is no bracket");
    }

    #[test]
    fn a_lone_digit_read_unsure_is_no_figure() {
        assert!(super::lone_digit_unsure("9", Some(0.0)), "a wrapped `0.0 / 0` read as 9");
        assert!(!super::lone_digit_unsure("9", Some(91.0)), "read surely");
        assert!(!super::lone_digit_unsure("0", Some(0.0)), "none, as printed");
        assert!(!super::lone_digit_unsure("9", None), "a text layer prints it");
        assert!(!super::lone_digit_unsure("19", Some(0.0)));
    }

    #[test]
    fn an_ocr_figure_without_its_integer_part_is_no_figure() {
        assert!(super::no_integer_part(".9", Some(88.0)), "the first line of a wrapped `0.0 / 0` lost");
        assert!(super::no_integer_part("-.30", Some(88.0)));
        assert!(!super::no_integer_part("0.90", Some(88.0)));
        assert!(!super::no_integer_part(".9", None), "a text layer prints it so");
    }

    #[test]
    fn a_code_that_lost_a_digit_keys_its_row_as_read_not_by_another_classifications() {
        // The department economic code read a digit short beside a government economic one
        // (`50201-办公经费 | 0201-办公费`): the row is keyed `0201` and reported, for
        // `recover::codes` to mend, not keyed 50201 in silence.
        let text = "一般公共预算基本支出表\n单位：万元\n政府支出经济分类科目\t部门支出经济分类科目\t合计\t人员经费\t公用经费\n\
                    50199-其他工资福利支出\t30199-其他工资福利支出\t1.00\t1.00\t\n50201-办公经费\t0201-办公费\t76.00\t\t76.00\n\
                    50102-社会保障缴费\t30U1-公务员医疗补助缴费\t2.00\t2.00\t\n";
        let layout = crate::testing::layout(text);
        let rebuilt = super::rebuild(&crate::repair::apply(&layout).grids, None);
        let keys: Vec<&str> = rebuilt.tables[0].rows.iter().map(|r| r.key.as_str()).collect();
        // `30U1`, a letter read for digits, is no more the row's key than 50102 is.
        assert_eq!(keys, ["30199", "0201", "30U1"]);
        assert_eq!(rebuilt.tables[0].rows[1].label, "办公费");
        assert_eq!(rebuilt.tables[0].rows[2].label, "公务员医疗补助缴费");
        for code in ["0201", "30U1"] {
            let message = format!("{code:?} is not a classification code");
            assert!(rebuilt.findings.iter().any(|f| f.message.contains(&message)), "{code}");
        }
    }
}
