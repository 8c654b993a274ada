//! Stage 4, `repair`: laid-out table blocks → [`Grid`]s: leaf columns mapped onto the
//! printed positions (header words repaired from the template vocabulary) and body cells
//! repaired by named rules, every change recorded as a [`Repair`].
//!
//! Rules (each has a test next to it): header (`header-vocabulary`, `header-garbled`,
//! `header-fragment`, `header-garbage`, `header-debris`, `header-stray-number`,
//! `column-numbers`, `unit-garbled`, `title-vocabulary`) in [`header`], `header-block-total`
//! (a block's 小计 OCR garbled under its heading) in `headings`; cells
//! (`split-decimal`, `ocr-debris`, `thousands-separator`, `point-for-comma`, `full-width`, `dash-blank`, `label-dewrap`,
//! `label-stray-number`, `code-name-split`, `ocr-confusion`) in [`cell`]; rows
//! (`label-continuation`, `garbage-line`, `split-figures`) in [`rows`]; `block-mirror` and
//! `header-template-name` (a transposed table's blocks lending each other their names) in
//! `mirrored`; `side-by-name` (a
//! two-sided table's expense item read in its income columns) in `sides`. It never invents a figure: a cell that no rule makes
//! readable stays as read, and `tables` reports it.

pub mod blocked;
pub mod cell;
mod grid;
pub mod header;
mod headings;
mod mirrored;
pub mod printed;
pub mod rows;
mod sides;
mod skewed;
pub mod transposed;
mod twins;

use crate::layout::{Block, Layout};
use crate::model::{Column, ColumnRole, FindingKind, Severity};

pub use grid::{Grid, GridCell, GridRow, Log, NORMALISATIONS, Repaired};

/// Repairs every table block of the layout.
pub fn apply(layout: &Layout) -> Repaired {
    let mut log = Log::default();
    let grids = layout.blocks.iter().map(|b| grid(b, &mut log)).collect();
    Repaired { grids, repairs: log.repairs, findings: log.findings }
}

fn grid(block: &Block, log: &mut Log) -> Grid {
    let regrouped = twins::regrouped(block, log);
    let block = regrouped.as_ref().unwrap_or(block);
    let title = header::title(block, log);
    figures_in_header(block, log);
    // The template's columns where they are printed in its order (OCR-garbled headers are
    // repaired against it); else the columns the printed header names.
    let mut header_log = Log::default();
    let positional = header::columns(block, &mut header_log);
    let first = block.template.first_column();
    let read =
        if block.template.transposed { transposed::columns(block).or_else(|| blocked::columns(block)) } else { None };
    let (mut columns, mut at) = if let Some(printed) = read.or_else(|| printed::columns(block, first)) {
        let used: Vec<usize> = printed.iter().map(|p| p.position).collect();
        let seq = (!used.contains(&0)).then_some(0);
        let line_numbers = printed::line_number_positions(block);
        (printed.into_iter().map(|p| p.column).collect::<Vec<_>>(), rows::Positions { cells: used, seq, line_numbers })
    } else {
        log.repairs.append(&mut header_log.repairs);
        log.findings.append(&mut header_log.findings);
        // Template columns beyond the last printed position are not in this table.
        let width = printed::width(block);
        let texts = printed::header_texts(block);
        let kept: Vec<Column> = positional
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i + first < width)
            .map(|(i, mut c)| {
                c.group = printed::group_over_total(block.template, &texts, i + first, i);
                c
            })
            .collect();
        let cells = (0..kept.len()).map(|i| i + first).collect();
        (kept, rows::Positions { cells, seq: (first == 1).then_some(0), line_numbers: vec![] })
    };
    printed::continue_blocks(block, &mut columns, &mut at.cells);
    by_place(block, &mut columns, &at.cells);
    mirrored::names_across_blocks(block, &mut columns, log);
    headings::under_headings(block, &mut columns, &at.cells, log);
    let segments = if block.template.two_sided {
        sides::own_sides(&block.template.id, &block.segments, &columns, &at, log)
    } else {
        block.segments.clone()
    };
    let mut rows = Vec::new();
    for segment in &segments {
        rows::read(block.template, segment, &columns, &at, &mut rows, log);
    }
    let mut pages: Vec<u32> = std::iter::once(block.title.page)
        .chain(block.segments.iter().filter(|s| s.numbers.is_some() || !s.body.is_empty()).map(|s| s.page))
        .collect();
    pages.dedup();
    let notes = block.notes.iter().map(|l| crate::label::nfkc(&l.text())).collect();
    if block.template.two_sided {
        side_unread(block, &columns, &rows, log);
    } else {
        figures_outside_columns(block, &columns, &rows, log);
    }
    if columns.is_empty() {
        nothing_read(block, log);
    } else if let Some(first) = block.segments.first()
        && first.header.is_empty()
        && first.numbers.is_none()
        && let Some(row) = first.body.first()
    {
        header_unread(block, row, log);
    }
    Grid { template: block.template, title, pages, columns, rows, notes, unit: block.unit }
}

/// Marks the figure columns no header word was read over (`Column::by_place`): named by
/// the template at their place, or as the next of its columns, not as printed.
fn by_place(block: &Block, columns: &mut [Column], positions: &[usize]) {
    let texts = printed::header_texts(block);
    for (column, position) in columns.iter_mut().zip(positions) {
        let words = texts.get(*position).into_iter().flatten();
        column.by_place =
            column.role == ColumnRole::Value && !words.flat_map(|w| w.chars()).any(crate::label::is_ideograph);
    }
}

/// A standard table of which no column was read is reported: whatever is printed under its
/// title is in none of its cells, and an empty table must not pass for one printed empty.
fn nothing_read(block: &Block, log: &mut Log) {
    let id = &block.template.id;
    let lines: usize = block.segments.iter().map(|s| s.header.len() + s.body.len()).sum();
    let message = format!(
        "{id}: its title was found on page {}, but no column of the table was read ({lines} lines under it): the table is empty here, not as printed",
        block.title.page
    );
    table_finding(block, block.title.page, Severity::Error, FindingKind::TableUnread, message, log);
}

/// A two-sided table (收入 | 支出) of which one side's figure columns hold no figure while the
/// other's do is reported: both sides print their totals (收入合计 = 支出合计), so that side
/// was lost (its figures run into its names, as OCR text sets them under a header it could
/// not read), not printed empty.
fn side_unread(block: &Block, columns: &[Column], rows: &[GridRow], log: &mut Log) {
    use crate::model::Side;
    let figures_on = |side: Side| {
        rows.iter()
            .flat_map(|r| r.cells.iter().zip(columns))
            .filter(|(_, c)| c.role == ColumnRole::Value && c.side == Some(side))
            .filter(|(cell, _)| crate::layout::is_figure(cell.text.trim()))
            .count()
    };
    let (income, expense) = (figures_on(Side::Income), figures_on(Side::Expense));
    let lost = match (income, expense) {
        (0, n) if n > 0 => ("收入", "income"),
        (n, 0) if n > 0 => ("支出", "expense"),
        _ => return,
    };
    let id = &block.template.id;
    let message = format!(
        "{id}: no figure was read on its {} ({}) side while the other side prints {}: that side's figures are lost here (run into its names or its columns not told apart), not printed empty",
        lost.0,
        lost.1,
        income.max(expense)
    );
    table_finding(block, block.title.page, Severity::Error, FindingKind::FiguresUnread, message, log);
}

/// A one-sided table whose figure columns hold no figure while its rows print figures in
/// its other columns (a code or name column: OCR text whose figures sit anywhere along their
/// lines, so no column of figures was told) is reported: its figures are lost here, not
/// printed empty.
fn figures_outside_columns(block: &Block, columns: &[Column], rows: &[GridRow], log: &mut Log) {
    let cells = || rows.iter().flat_map(|r| r.cells.iter().zip(columns));
    let has_figure = |text: &str| text.split_whitespace().any(|w| crate::layout::is_figure(w.trim_matches('|')));
    let inside =
        cells().filter(|(_, c)| c.role == ColumnRole::Value).filter(|(cell, _)| has_figure(&cell.text)).count();
    let outside =
        cells().filter(|(_, c)| c.role != ColumnRole::Value).filter(|(cell, _)| has_figure(&cell.text)).count();
    if inside > 0 || outside < 2 {
        return;
    }
    let id = &block.template.id;
    let message = format!(
        "{id}: no figure was read in its figure columns while its other columns hold {outside} figures: the table's figures are lost here (their column not told apart), not printed empty"
    );
    table_finding(block, block.title.page, Severity::Error, FindingKind::FiguresUnread, message, log);
}

/// A table whose first row sits right under its title, no header line read above it, is
/// reported: its columns are taken by position from the template, not read.
fn header_unread(block: &Block, row: &crate::page::Line, log: &mut Log) {
    let id = &block.template.id;
    let message = format!(
        "{id}: no header line was read above its first row (line {}): its columns are the template's ({}), by position",
        row.number,
        block.template.columns.iter().map(|c| c.label.as_str()).collect::<Vec<_>>().join(" | ")
    );
    table_finding(block, row.page, Severity::Warning, FindingKind::HeaderUnread, message, log);
}

/// A table with figures in lines taken for its header is reported: those figures are not
/// read, a table with no body line must not pass for one printed empty, and one whose
/// header OCR lost (its first row taken for it) has columns named after figures, so the
/// figures read under them are not in their columns.
fn figures_in_header(block: &Block, log: &mut Log) {
    let header = block.segments.iter().flat_map(|s| &s.header);
    let lines: Vec<&crate::page::Line> = header.filter(|l| crate::layout::has_figure(l)).collect();
    // Two figures at least: one is as likely OCR debris in a header (`13.2`). A figure OCR
    // broke (`866,29`) counts: digits and separators only, three digits or more.
    let broken = |c: &str| {
        c.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '，'))
            && c.chars().filter(char::is_ascii_digit).count() >= 3
    };
    let figure = |c: &str| crate::layout::is_figure(c) || broken(c.trim());
    let figures: usize = lines.iter().map(|l| l.filled().filter(|(_, c)| figure(c)).count()).sum();
    if figures < 2 {
        return;
    }
    let lines: Vec<u32> = lines.iter().map(|l| l.number).collect();
    let id = &block.template.id;
    let what = if block.segments.iter().any(|s| !s.body.is_empty()) {
        "those figures are not read, and the columns are named after them: the figures below are not known to be in their columns"
    } else {
        "its figures are not read"
    };
    let message = format!("{id}: lines {lines:?} print figures but were read as the table's header: {what}");
    table_finding(block, block.title.page, Severity::Error, FindingKind::FiguresUnread, message, log);
}

/// A finding on a whole table (its id and the page given), as the checks above report.
fn table_finding(block: &Block, page: u32, severity: Severity, kind: FindingKind, message: String, log: &mut Log) {
    let mut f = crate::model::Finding::new(severity, kind, message);
    f.table = Some(block.template.id.clone());
    f.page = Some(page);
    log.findings.push(f);
}

#[cfg(test)]
mod tests {
    #[test]
    fn figures_taken_for_a_header_are_reported_not_an_empty_table() {
        // Whatever rule took them for it (上海's 元 integers once did), figures in the header
        // and no body line: reported.
        let text = "部门收支总表\n单位：万元\n项目\t预算数\t项目\t预算数\n一、财政拨款收入\t100.00\t一、一般公共服务支出\t100.00\n";
        let mut layout = crate::testing::layout(text);
        let segment = &mut layout.blocks[0].segments[0];
        let body: Vec<_> = segment.body.drain(..).collect();
        segment.header.extend(body);
        let repaired = super::apply(&layout);
        let kinds: Vec<_> = repaired.findings.iter().map(|f| f.kind).collect();
        assert!(kinds.contains(&crate::model::FindingKind::FiguresUnread), "{kinds:?}");
    }

    #[test]
    fn a_side_of_a_two_sided_table_with_no_figure_is_reported_not_printed_empty() {
        let unread = |text: &str| {
            let repaired = super::apply(&crate::testing::layout(text));
            repaired.findings.iter().filter(|f| f.kind == crate::model::FindingKind::FiguresUnread).count()
        };
        let head = "财政拨款收支总表\n单位：万元\n项目\t预算数\t项目\t合计\n";
        assert_eq!(unread(&format!("{head}一、一般公共预算资金\t100.00\t一、一般公共服务支出\t100.00\n")), 0);
        // The 收入 side's figures run into its names (OCR text under a header it garbled).
        let lost = format!("{head}一、一般公共预算资金100.00\t\t一、一般公共服务支出\t100.00\n");
        assert_eq!(unread(&lost), 1, "{lost}");
    }

    #[test]
    fn figures_read_outside_the_figure_columns_are_reported_not_an_empty_table() {
        // OCR text whose figures sit anywhere along their lines: no column of figures was
        // told, and they fell in the code column.
        let layout = crate::testing::layout(
            "一般公共预算基本支出表\n单位：万元\n科目编码\t科目名称\t合计\n301\t工资福利支出\t100.00\n",
        );
        let block = &layout.blocks[0];
        let columns: Vec<_> = block.template.columns.iter().map(|c| c.column(None)).collect();
        let row = |cells: &[&str]| super::GridRow {
            line: 4,
            page: 1,
            seq: None,
            cells: cells
                .iter()
                .map(|t| super::GridCell { raw: t.to_string(), text: t.to_string(), ..Default::default() })
                .collect(),
            beyond: Vec::new(),
        };
        let unread = |columns: &[crate::model::Column], rows: &[super::GridRow]| {
            let mut log = super::Log::default();
            super::figures_outside_columns(block, columns, rows, &mut log);
            log.findings.iter().filter(|f| f.kind == crate::model::FindingKind::FiguresUnread).count()
        };
        let lost = [row(&["8, 401. 67"]), row(&["7,131.66"])];
        assert_eq!(unread(&columns[..1], &lost), 1);
        let read = [row(&["301", "工资福利支出", "7,131.66"]), row(&["30101", "基本工资", "927.35"])];
        assert_eq!(unread(&columns, &read), 0);
    }

    #[test]
    fn a_table_of_which_no_column_was_read_is_reported_not_an_empty_table() {
        // OCR lost everything under the title (a shaded header band, its rulings gone): the
        // table has no column, so it holds nothing, and says so.
        let text = "财政拨款收支总表\n单位：万元\n收入\t\t支出\n项目\t预算数\t项目\t合计\n一、一般公共预算资金\t100.00\t一、一般公共服务支出\t100.00\n";
        let mut layout = crate::testing::layout(text);
        let read = super::apply(&layout);
        assert!(!read.grids[0].columns.is_empty());
        assert!(!read.findings.iter().any(|f| f.kind == crate::model::FindingKind::TableUnread));
        for segment in &mut layout.blocks[0].segments {
            segment.header.clear();
            segment.body.clear();
        }
        let lost = super::apply(&layout);
        assert!(lost.grids[0].columns.is_empty());
        let unread = lost.findings.iter().find(|f| f.kind == crate::model::FindingKind::TableUnread);
        assert!(unread.is_some_and(|f| f.table.as_deref() == Some("fiscal_summary")), "{:?}", lost.findings);
    }

    #[test]
    fn a_first_row_taken_for_a_lost_header_is_reported() {
        // OCR lost the header; the first row, one figure broken (`866,29`), was taken for it.
        let text = "部门收支总表\n单位：万元\n项目\t预算数\t项目\t预算数\n一、财政拨款收入\t866,29\t一、一般公共服务支出\t40,340\n\
                    二、事业收入\t\t二、外交支出\t10.00\n";
        let mut layout = crate::testing::layout(text);
        let segment = &mut layout.blocks[0].segments[0];
        let first = segment.body.remove(0);
        segment.header.push(first);
        let repaired = super::apply(&layout);
        let unread = repaired.findings.iter().find(|f| f.kind == crate::model::FindingKind::FiguresUnread);
        assert!(unread.is_some_and(|f| f.message.contains("not known to be in their columns")), "{unread:?}");
    }

    #[test]
    fn a_sides_total_ocr_read_as_one_character_keeps_the_columns_beside_it() {
        // The 支出 side of a summary printing 合计 | 基本支出 (人员经费, 公用经费) | 项目支出
        // under 预算数, its 合计 read as `二` by OCR: the side's figure column, and the columns
        // beside it kept, as when 合计 is read.
        let header = |total: &str| {
            format!(
                "2026年预算单位财务收支预算总表\n单位:元\n本年收入\t\t本年支出\n\t\t\t预算数\n                 项目\t预算数\t项目\t\t基本支出\n\t\t\t{total}\t\t\t项目支出\n\t\t\t\t人员经费\t公用经费\n                 一、财政拨款收入\t866,296\t一、社会保障和就业支出\t40,340\t39,540\t800\t\n                 1、一般公共预算\t866,296\t二、农林水支出\t825,956\t172,800\t587,090\t66,066\n                 收入总计\t866,296\t支出总计\t866,296\t212,340\t587,890\t66,066\n"
            )
        };
        let columns = |total: &str| -> Vec<String> {
            let repaired = super::apply(&crate::testing::layout(&header(total)));
            repaired.grids[0].columns.iter().map(|c| c.key.clone()).collect()
        };
        assert_eq!(columns("合计").len(), 7, "{:?}", columns("合计"));
        assert_eq!(columns("二"), columns("合计"));
    }
}
