//! The side of a two-sided table a line's item is printed on, where the text lost it.
//!
//! An engine that writes each line from its first word (tesseract's layout text drops a
//! line's leading spaces) sets a line printing only an expense item (`十、节能环保支出 0.00`,
//! the income side blank beside it) where an income item begins: its cells land in the income
//! columns. Where the label an income column holds names an expense item (a function class,
//! 本年支出合计, 结转下年, a name ending in 支出: `knowledge::vocabulary::side_of`) and nothing
//! is printed on the expense side, the line is the expense side's: its label and figures are
//! moved there, in order (rule `side-by-name`, a repair record per line).

use super::grid::Log;
use super::rows::Positions;
use crate::layout::Segment;
use crate::model::{Column, ColumnRole, Location, Side};

/// `segments` with each line of an expense item read in the income columns moved to the
/// expense columns (two-sided templates only; others are returned as they are).
pub(super) fn own_sides(
    table: &str,
    segments: &[Segment],
    columns: &[Column],
    at: &Positions,
    log: &mut Log,
) -> Vec<Segment> {
    let mut out = segments.to_vec();
    let position = |side: Side, role: ColumnRole| -> Vec<usize> {
        columns.iter().zip(&at.cells).filter(|(c, _)| c.side == Some(side) && c.role == role).map(|(_, &p)| p).collect()
    };
    let (income_label, expense_label) =
        (position(Side::Income, ColumnRole::Label), position(Side::Expense, ColumnRole::Label));
    let (income_values, expense_values) =
        (position(Side::Income, ColumnRole::Value), position(Side::Expense, ColumnRole::Value));
    let (&[income_label], &[expense_label]) = (income_label.as_slice(), expense_label.as_slice()) else { return out };
    if expense_values.is_empty() || income_values.iter().any(|&p| p > expense_label) {
        return out;
    }
    for segment in &mut out {
        for line in &mut segment.body {
            let cell = |p: usize| line.cells.get(p).map_or("", |c| c.trim());
            let label = cell(income_label);
            if label.is_empty() || !cell(expense_label).is_empty() {
                continue;
            }
            let key = crate::label::label_key(&crate::label::nfkc(label));
            if crate::knowledge::vocabulary::side_of(table, &key) != Some(Side::Expense) {
                continue;
            }
            // Every other filled cell is a figure column's: those of the income side are the
            // expense side's first empty ones, before any already there.
            let filled: Vec<usize> =
                (0..line.cells.len()).filter(|&p| p != income_label && !cell(p).is_empty()).collect();
            if filled.iter().any(|p| !income_values.contains(p) && !expense_values.contains(p)) {
                continue;
            }
            let moved: Vec<usize> = filled.iter().copied().filter(|p| income_values.contains(p)).collect();
            let first_kept = filled.iter().copied().find(|p| expense_values.contains(p));
            let free: Vec<usize> = expense_values.iter().copied().take_while(|&p| Some(p) != first_kept).collect();
            if moved.len() > free.len() {
                continue;
            }
            let raw = line.cells.join(" | ");
            let width = line.cells.len().max(expense_values.iter().max().map_or(0, |m| m + 1)).max(expense_label + 1);
            line.cells.resize(width, String::new());
            line.cells.swap(income_label, expense_label);
            for (&from, &to) in moved.iter().zip(&free) {
                line.cells.swap(from, to);
            }
            if !line.spans.is_empty() {
                line.spans.resize(width, (0.0, 0.0));
            }
            if !line.boxes.is_empty() {
                line.boxes.resize(width, None);
                line.boxes.swap(income_label, expense_label);
                for (&from, &to) in moved.iter().zip(&free) {
                    line.boxes.swap(from, to);
                }
            }
            let location = Location {
                page: line.page,
                line: line.number,
                table: Some(table.to_string()),
                row: Some(key),
                column: None,
            };
            log.record(location, "side-by-name", &raw, &line.cells.join(" | "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_expense_item_read_where_income_items_begin_is_moved_to_the_expense_side() {
        // The income side ends at 九、其他收入; the engine wrote the lines after from their
        // first word, so 十、节能环保支出 reads where the income items begin.
        let text = "部门收支总表\n单位：万元\n项目\t预算数\t项目\t预算数\n\
            一、一般公共预算拨款收入\t100.00\t一、一般公共服务支出\t90.00\n\
            十、节能环保支出\t10.00\n\
            本年收入合计\t100.00\t本年支出合计\t100.00\n";
        let layout = crate::testing::layout(text);
        let repaired = super::super::apply(&layout);
        let grid = &repaired.grids[0];
        let moved =
            grid.rows.iter().find(|r| r.cells.iter().any(|c| c.text == "节能环保支出" || c.text == "十、节能环保支出"));
        let moved = moved.expect("the row is read");
        let label_column = moved.cells.iter().position(|c| c.text.contains("节能环保支出")).unwrap();
        assert_eq!(grid.columns[label_column].side, Some(crate::model::Side::Expense), "{:?}", grid.columns);
        assert!(repaired.repairs.iter().any(|r| r.rule == "side-by-name" && r.raw.contains("十、节能环保支出")));
        // An income item where it belongs stays.
        assert!(!repaired.repairs.iter().any(|r| r.raw.contains("一般公共预算拨款收入")));
    }
}
