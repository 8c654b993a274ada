//! Tables as text grids a reviewer can read (snapshot tests, `--debug` output).
//!
//! One line per row: `key | label | value …` in leaf-column order. Markers after a value:
//! `~` repaired, `?` inferred from an identity, `!` unreadable (raw text shown).

use crate::model::{CellStatus, ColumnRole, Side, Table};

/// Renders one table.
pub fn grid(table: &Table) -> String {
    let mut out = format!("== {} | {} | pages {:?}", table.id, table.title, table.pages);
    if let Some(unit) = &table.unit {
        out.push_str(&format!(" | unit {unit}"));
    }
    if table.empty {
        out.push_str(" | empty");
    }
    out.push('\n');
    let sides: Vec<Option<Side>> = if table.columns.iter().any(|c| c.side.is_some()) {
        vec![Some(Side::Income), Some(Side::Expense)]
    } else {
        vec![None]
    };
    for side in sides {
        let values: Vec<_> = table.columns.iter().filter(|c| c.side == side && c.role == ColumnRole::Value).collect();
        let head: Vec<String> = values
            .iter()
            .map(|c| if c.path.is_empty() { c.key.clone() } else { format!("{}/{}", c.path.join("/"), c.key) })
            .collect();
        let side_name = side.map(|s| format!("{s:?} ").to_lowercase()).unwrap_or_default();
        out.push_str(&format!("{side_name}key | label | {}\n", head.join(" | ")));
        for row in table.rows.iter().filter(|r| r.side == side) {
            let cells: Vec<String> = values
                .iter()
                .map(|c| match row.cells.iter().find(|cell| cell.column == c.key) {
                    None => String::from("."),
                    Some(cell) => match (cell.status, &cell.value) {
                        (CellStatus::Unreadable, _) => format!("{}!", cell.raw),
                        (CellStatus::Inferred, Some(v)) => format!("{v}?"),
                        (CellStatus::Repaired, Some(v)) => format!("{v}~"),
                        (_, Some(v)) => v.to_string(),
                        (_, None) => format!("{}!", cell.raw),
                    },
                })
                .collect();
            let under = row.under.as_ref().map(|u| format!(" <{u}>")).unwrap_or_default();
            out.push_str(&format!("{}{} | {} | {}\n", row.key, under, row.label, cells.join(" | ")));
        }
    }
    for note in &table.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}
