//! Cells as the identities address them, and the arithmetic of the output contract's
//! rounding rule: an identity over n addends holds when |difference| ≤ n × half a unit in
//! the last printed place.

use rust_decimal::Decimal;

use crate::model::{Table, Unit};

/// A cell position: table index, row index (None: the row is not printed), column key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct At {
    pub table: usize,
    pub row: Option<usize>,
    pub column: String,
}

/// A cell printed but not readable as a figure: its value is unknown, not zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

/// The figures of a document's tables, as read or with a cell or two (or a set of cells)
/// read differently: a candidate reading is tried against this overlay, never by changing
/// the tables.
#[derive(Debug, Clone, Copy)]
pub struct Figures<'a> {
    pub tables: &'a [Table],
    overlay: [Option<(&'a At, Decimal)>; 2],
    /// Cells read together differently, under the two of `overlay`.
    together: &'a [(At, Decimal)],
}

impl<'a> Figures<'a> {
    /// The figures as the tables hold them.
    pub fn of(tables: &'a [Table]) -> Figures<'a> {
        Figures { tables, overlay: [None, None], together: &[] }
    }

    /// The same figures with the cell at `at` reading `value` (over the cell read differently
    /// already, if any: two at most, the later replacing the second).
    pub fn with(self, at: &'a At, value: Decimal) -> Figures<'a> {
        let overlay = match self.overlay {
            [None, _] => [Some((at, value)), None],
            [first, _] => [first, Some((at, value))],
        };
        Figures { overlay, ..self }
    }

    /// The same figures with each cell of `cells` reading its value (readings tried
    /// together: several figures of a row misread at once).
    pub fn with_each(self, cells: &'a [(At, Decimal)]) -> Figures<'a> {
        Figures { together: cells, ..self }
    }

    /// A cell's figure: `None` when blank or not printed; `Err` when unreadable.
    pub fn value(&self, at: &At) -> Result<Option<Decimal>, Unreadable> {
        if let Some((_, value)) = self.overlay.iter().rev().flatten().find(|(over, _)| *over == at) {
            return Ok(Some(*value));
        }
        if let Some((_, value)) = self.together.iter().find(|(over, _)| over == at) {
            return Ok(Some(*value));
        }
        value(self.tables, at)
    }
}

/// A cell's figure: `None` when blank or not printed; `Err` when unreadable.
pub fn value(tables: &[Table], at: &At) -> Result<Option<Decimal>, Unreadable> {
    let Some(row) = at.row else { return Ok(None) };
    match tables[at.table].rows[row].cells.iter().find(|c| c.column == at.column) {
        None => Ok(None),
        Some(cell) => cell.value.map(Some).ok_or(Unreadable),
    }
}

/// Half a unit in the last printed place of the figures, times n.
pub fn tolerance(figures: &[Decimal], n: usize) -> Decimal {
    let scale = figures.iter().map(Decimal::scale).max().unwrap_or(0);
    let half = Decimal::new(5, scale + 1);
    half * Decimal::from(n.max(1))
}

/// A cell's path for messages: `table/side/row/column`.
pub fn path(tables: &[Table], at: &At) -> String {
    let table = &tables[at.table];
    match at.row {
        Some(r) => {
            let row = &table.rows[r];
            let side = row.side.map(|s| format!("{s:?}/").to_lowercase()).unwrap_or_default();
            // A figure told from another of its name by the heading it is printed under is
            // named by both (`expense/上年结转结余>201/小计`), as its fact is.
            let heading = crate::knowledge::headings::heading(table, row.side, &at.column);
            let column = heading
                .as_ref()
                .and_then(|h| at.column.strip_prefix(h.as_str())?.strip_prefix('/'))
                .unwrap_or(&at.column);
            let under =
                crate::knowledge::headings::under(table, row, &at.column).map(|u| format!("{u}>")).unwrap_or_default();
            format!("{}/{side}{under}{}/{column}", table.id, row.key)
        }
        None if table.empty => format!("{}/(printed empty)/{}", table.id, at.column),
        None => format!("{}/(not printed)/{}", table.id, at.column),
    }
}

/// Yuan per unit (万元 or 元).
pub fn yuan_per(unit: Option<Unit>) -> Decimal {
    unit.map_or(Decimal::ONE, Unit::yuan)
}

/// Yuan per unit of a table's figures (its own unit, else the document's).
pub fn factor(tables: &[Table], at: &At, unit: Option<Unit>) -> Decimal {
    yuan_per(tables[at.table].unit.or(unit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn tolerance_is_n_half_units_in_the_last_place() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(tolerance(&[d("738.05"), d("19.4")], 2), d("0.010"));
        assert_eq!(tolerance(&[d("91016775.35")], 8), d("0.040"));
        assert_eq!(tolerance(&[d("12")], 1), d("0.5"));
    }
}
