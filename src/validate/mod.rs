//! Stage 6, `validate`: tables → findings. Checks every identity of the catalogue
//! (`data/identities/*.toml`) with exact decimals, infers a lost cell where the identities
//! pin it down (marked `inferred`, never passed off as read), and reports standard tables
//! missing from the document.
//!
//! Rounding (output contract): an identity over n addends holds when |difference| ≤ n ×
//! half a unit in the last printed place, with n = non-blank printed cells − 1. Within
//! that it is an `info` finding; beyond it an `error` with expected, actual, difference and
//! every cell involved. A blank cell is zero; an unreadable one is unknown.

mod infer;
pub mod rules;

use rust_decimal::Decimal;

use crate::model::{Checks, Finding, Kind, Severity, Table};
use crate::tables::template::TEMPLATES;
use rules::{At, Instance};

/// Findings plus the counts of what was checked.
#[derive(Debug, Clone, Default)]
pub struct Validated {
    pub findings: Vec<Finding>,
    pub checks: Checks,
    /// Inferred cells, for the repair log: (table, row, column, value, rule).
    pub inferred: Vec<infer::Inferred>,
}

pub use infer::Inferred;

/// Runs every check; fills inferred cells into `tables`.
pub fn check(tables: &mut [Table], kind: Kind) -> Validated {
    let mut out = Validated::default();
    missing_tables(tables, kind, &mut out.findings);
    let Some(catalogue) = rules::CATALOGUES.iter().find(|c| c.kind == kind) else {
        return out;
    };
    let instances = rules::instances(catalogue, tables);
    out.inferred = infer::fill(tables, &instances, &mut out.findings);
    out.checks.inferred = u32::try_from(out.inferred.len()).unwrap_or(u32::MAX);
    for instance in &instances {
        evaluate(tables, instance, &mut out);
    }
    out
}

/// A cell's figure: `None` when blank or not printed; `Err` when unreadable.
pub(crate) fn value(tables: &[Table], at: &At) -> Result<Option<Decimal>, ()> {
    let Some(row) = at.row else { return Ok(None) };
    match tables[at.table].rows[row].cells.iter().find(|c| c.column == at.column) {
        None => Ok(None),
        Some(cell) => cell.value.map(Some).ok_or(()),
    }
}

/// Half a unit in the last printed place of the figures, times n.
pub(crate) fn tolerance(figures: &[Decimal], n: usize) -> Decimal {
    let scale = figures.iter().map(Decimal::scale).max().unwrap_or(0);
    let half = Decimal::new(5, scale + 1);
    half * Decimal::from(n.max(1))
}

/// A cell's path for messages: `table/side/row/column`.
pub(crate) fn path(tables: &[Table], at: &At) -> String {
    let table = &tables[at.table];
    match at.row {
        Some(r) => {
            let row = &table.rows[r];
            let side = row.side.map(|s| format!("{s:?}/").to_lowercase()).unwrap_or_default();
            let under = row.under.as_ref().map(|u| format!("{u}>")).unwrap_or_default();
            format!("{}/{side}{under}{}/{}", table.id, row.key, at.column)
        }
        None => format!("{}/(not printed)/{}", table.id, at.column),
    }
}

fn evaluate(tables: &[Table], instance: &Instance, out: &mut Validated) {
    let read = |ats: &[At]| -> Option<Vec<Option<Decimal>>> { ats.iter().map(|a| value(tables, a).ok()).collect() };
    let (Some(lhs), Some(rhs)) = (read(&instance.lhs), read(&instance.rhs)) else {
        return; // an unreadable cell: reported by `tables`, not checkable
    };
    let figures: Vec<Decimal> = lhs.iter().chain(&rhs).flatten().copied().collect();
    if figures.is_empty() {
        return; // every cell blank: nothing printed to check
    }
    let actual: Decimal = lhs.iter().flatten().sum();
    let expected: Decimal = rhs.iter().flatten().sum();
    let difference = actual - expected;
    let tol = tolerance(&figures, figures.len().saturating_sub(1));
    out.checks.identities += 1;
    let severity = if difference.is_zero() {
        out.checks.exact += 1;
        return;
    } else if difference.abs() <= tol {
        out.checks.rounding += 1;
        Severity::Info
    } else {
        out.checks.violated += 1;
        Severity::Error
    };
    let first = &instance.lhs[0];
    let row = first.row.map(|r| &tables[first.table].rows[r]);
    let cells: Vec<String> = instance.lhs.iter().chain(&instance.rhs).map(|a| path(tables, a)).collect();
    let rule = instance.rule;
    let kind = if severity == Severity::Info { "identity_rounding" } else { "identity_violation" };
    let verdict = if severity == Severity::Info { "holds within rounding" } else { "fails" };
    let mut f = Finding::new(
        severity,
        kind,
        format!(
            "{} ({}) {verdict}: {} printed {actual}, the sum is {expected} (difference {difference}, tolerance {tol})",
            rule.id, rule.zh, cells[0]
        ),
    );
    f.table = Some(tables[first.table].id.clone());
    f.row = row.map(|r| r.key.clone());
    f.side = row.and_then(|r| r.side);
    f.column = Some(first.column.clone());
    f.rule = Some(rule.id.clone());
    f.expected = Some(expected);
    f.actual = Some(actual);
    f.difference = Some(difference);
    f.tolerance = Some(tol);
    f.cells = cells;
    f.page = row.map(|r| r.page);
    out.findings.push(f);
}

/// A standard table the kind requires that the document does not have at all. A document
/// with no standard table is not a disclosure (reported by `emit`), not nine missing tables.
fn missing_tables(tables: &[Table], kind: Kind, findings: &mut Vec<Finding>) {
    if tables.is_empty() {
        return;
    }
    let Some(set) = TEMPLATES.iter().find(|s| s.kind == kind) else {
        return;
    };
    for template in set.tables.iter().filter(|t| t.required) {
        if !tables.iter().any(|t| t.id == template.id) {
            let mut f = Finding::new(
                Severity::Error,
                "missing_table",
                format!("the standard table {} ({}) is not in the document", template.id, template.titles[0]),
            );
            f.table = Some(template.id.clone());
            findings.push(f);
        }
    }
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
