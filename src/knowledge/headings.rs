//! The headings a figure is printed under where a leaf name is printed twice: what tells
//! its figures apart (the contract's `under`), for facts and for the cells findings name.

use crate::label::label_key;
use crate::model::{Column, ColumnRole, Row, Side, Table};

/// The headings a figure column is printed under (`上年结转结余`, `上年结转结余/基本支出`)
/// where its side prints a leaf name over two figure columns (`当年预算 | 上年结转结余`,
/// each over `小计 | 基本支出 | …`): what tells the two apart (the contract's `under`).
pub fn heading(table: &Table, side: Option<Side>, key: &str) -> Option<String> {
    let column = table.columns.iter().find(|c| c.key == key && (c.side == side || c.side.is_none()))?;
    if column.path.is_empty() || column.role != ColumnRole::Value {
        return None;
    }
    let printed = |c: &Column| label_key(&c.label);
    let values: Vec<&Column> = table
        .columns
        .iter()
        .filter(|c| c.role == ColumnRole::Value && c.side == column.side && c.block == column.block)
        .collect();
    let twice = values.iter().enumerate().any(|(i, c)| values[..i].iter().any(|o| printed(o) == printed(c)));
    twice.then(|| column.path.join("/"))
}

/// A figure's `under`: the item its row is printed under, then the headings its column
/// is printed under (`杭州市交通运输局/上年结转结余`), each where it tells two figures apart.
pub fn under(table: &Table, row: &Row, key: &str) -> Option<String> {
    match (&row.under, heading(table, row.side, key)) {
        (Some(item), Some(heading)) => Some(format!("{item}/{heading}")),
        (item, heading) => item.clone().or(heading),
    }
}
