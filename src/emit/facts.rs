//! The contract's facts: one per figure of a document's tables, keyed by canonical
//! `measure` and `item` where the vocabularies name them.

use std::collections::{BTreeMap, BTreeSet};

use crate::knowledge::vocabulary;
use crate::model::{CellStatus, ColumnRole, Document, Fact, Kind, Side, Table};

/// The facts of a document: one per non-empty numeric cell of its tables, in order.
pub fn facts(doc: &Document) -> Vec<Fact> {
    let mut out = Vec::new();
    for table in &doc.tables {
        let measures = measures(table, doc.metadata.kind, doc.metadata.year);
        for row in &table.rows {
            // A coded row's code is canonical already.
            let item = if row.code.is_some() { None } else { vocabulary::item(doc.metadata.kind, &table.id, &row.key) };
            for cell in &row.cells {
                let Some(value) = cell.value else { continue };
                let measure =
                    measures.get(&(row.side, cell.column.as_str())).or_else(|| measures.get(&(None, &cell.column)));
                out.push(Fact {
                    doc: doc.doc.clone(),
                    table: table.id.clone(),
                    row: row.key.clone(),
                    item: item.map(str::to_string),
                    column: printed_key(table, row.side, &cell.column),
                    measure: measure.map(std::string::ToString::to_string),
                    value,
                    side: row.side,
                    under: crate::knowledge::headings::under(table, row, &cell.column),
                    unit: table.unit,
                    page: row.page,
                    line: row.line,
                    source: doc.source.page_source(row.page),
                    bbox: cell.bbox,
                    confidence: cell.confidence,
                    repaired: cell.status == CellStatus::Repaired,
                    inferred: cell.status == CellStatus::Inferred,
                });
            }
        }
    }
    out
}

/// A cell's column as the contract keys it: label_key of the leaf header as printed (the
/// table's column `key` is the template's name for it, which the identities use).
fn printed_key(table: &Table, side: Option<Side>, key: &str) -> String {
    table
        .columns
        .iter()
        .find(|c| c.key == key && (c.side == side || c.side.is_none()))
        .map_or_else(|| key.to_string(), |c| crate::label::label_key(&c.label))
}

/// The measure of each value column of a table, by side and key. A measure names one column
/// per side and side-by-side block: where two columns would get the same measure (a
/// province's extra 合计 beside 支出总计, one name printed under two groups), neither gets
/// it, so (table, side, row, measure) stays one figure.
fn measures(table: &Table, kind: Option<Kind>, year: Option<i32>) -> BTreeMap<(Option<Side>, &str), &'static str> {
    let named: Vec<_> = table
        .columns
        .iter()
        .filter(|c| c.role == ColumnRole::Value)
        .filter_map(|c| Some((c, vocabulary::measure(kind, &table.id, &vocabulary::relative_year(&c.key, year))?)))
        .collect();
    let mut out = BTreeMap::new();
    let mut clashing = BTreeSet::new();
    for (i, (column, measure)) in named.iter().enumerate() {
        let at = (column.side, column.key.as_str());
        let clash = named
            .iter()
            .enumerate()
            .any(|(j, (other, m))| j != i && m == measure && other.side == column.side && other.block == column.block);
        if clash {
            clashing.insert(at);
        } else {
            out.insert(at, *measure);
        }
    }
    out.retain(|at, _| !clashing.contains(at));
    out
}
