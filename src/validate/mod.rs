//! Stage 6, `validate`: tables → findings. Checks every identity of the catalogue
//! (`data/identities/*.toml`: within tables and across them) with exact decimals, infers a
//! lost cell where the identities pin it down (marked `inferred`, never passed off as
//! read), repairs an OCR misread that exactly one plausible reading explains (`misread`;
//! never on a text layer), compares the figures the narrative states with the tables (`narrative`), and
//! reports standard tables missing from the document.
//!
//! Rounding (output contract): an identity over n addends holds when |difference| ≤ n ×
//! half a unit in the last printed place, with n = non-blank printed cells − 1. Within
//! that it is an `info` finding; beyond it an `error` with expected, actual, difference and
//! every cell involved. A blank cell is zero; an unreadable one is unknown.

mod comparisons;
pub mod consistency;
mod infer;
pub mod misread;
pub mod narrative;
mod nesting;
pub mod rules;

use rust_decimal::Decimal;

use crate::layout::Layout;
use crate::model::{Checks, Finding, Kind, Metadata, Severity, Source, Table};
use crate::knowledge::templates::TEMPLATES;
use rules::{At, Instance};

/// Findings plus the counts of what was checked.
#[derive(Debug, Clone, Default)]
pub struct Validated {
    pub findings: Vec<Finding>,
    pub checks: Checks,
    /// Inferred cells, for the repair log: (table, row, column, value, rule).
    pub inferred: Vec<infer::Inferred>,
    /// OCR misreads repaired by the identities, as repair records.
    pub corrected: Vec<crate::model::Repair>,
}

pub use infer::Inferred;

/// Runs every check; fills inferred cells into `tables`.
pub fn check(tables: &mut [Table], layout: &Layout, metadata: &Metadata, source: &Source) -> Validated {
    let kind = metadata.kind.unwrap_or(Kind::Budget);
    let unit = metadata.unit.as_deref();
    let mut out = Validated::default();
    out.findings.extend(consistency::check(layout, metadata));
    missing_tables(tables, kind, &mut out.findings);
    let instances: Vec<Instance> =
        rules::CATALOGUES.iter().filter(|c| c.kind == kind).flat_map(|c| rules::instances(c, tables)).collect();
    out.inferred = infer::fill(tables, &instances, source, &mut out.findings);
    out.checks.inferred = u32::try_from(out.inferred.len()).unwrap_or(u32::MAX);
    out.corrected = misread::repair(tables, &instances, unit, source, &mut out.findings);
    for instance in &instances {
        evaluate(tables, instance, unit, &mut out);
    }
    let compared = narrative::compare(tables, &layout.narrative, kind, unit);
    out.checks.narrative = compared.checked;
    out.checks.narrative_mismatched = compared.mismatched;
    out.findings.extend(compared.findings);
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

/// Yuan per unit (万元 or 元).
pub(crate) fn yuan_per(unit: Option<&str>) -> Decimal {
    if unit == Some("万元") { Decimal::from(10_000) } else { Decimal::ONE }
}

/// Yuan per unit of a table's figures (its own unit, else the document's).
fn factor(tables: &[Table], at: &At, unit: Option<&str>) -> Decimal {
    yuan_per(tables[at.table].unit.as_deref().or(unit))
}

/// An identity instance measured: both sides, their difference and the tolerance.
pub(crate) struct Measure {
    pub actual: Decimal,
    pub expected: Decimal,
    pub difference: Decimal,
    pub tolerance: Decimal,
    /// Figures of different units were compared in 元.
    pub mixed: bool,
}

impl Measure {
    /// Exactly as printed (or, for `>=`, not below).
    pub fn exact(&self, relation: rules::Relation) -> bool {
        match relation {
            rules::Relation::Equal => self.difference.is_zero(),
            rules::Relation::AtLeast => self.difference >= Decimal::ZERO,
        }
    }

    /// Within rounding.
    pub fn holds(&self, relation: rules::Relation) -> bool {
        self.exact(relation) || self.difference.abs() <= self.tolerance
    }
}

/// Measures an instance; `None` when a cell is unreadable or every cell is blank.
pub(crate) fn measure(tables: &[Table], instance: &Instance, unit: Option<&str>) -> Option<Measure> {
    let read = |ats: &[At]| -> Option<Vec<(Option<Decimal>, Decimal)>> {
        ats.iter().map(|a| value(tables, a).ok().map(|v| (v, factor(tables, a, unit)))).collect()
    };
    let (lhs, rhs) = (read(&instance.lhs)?, read(&instance.rhs)?);
    let printed: Vec<(Decimal, Decimal)> = lhs.iter().chain(&rhs).filter_map(|(v, f)| v.map(|v| (v, *f))).collect();
    if printed.is_empty() {
        return None;
    }
    let mixed = printed.iter().any(|(_, f)| *f != printed[0].1);
    // Figures printed in different units are compared in yuan, within one unit of the
    // coarser printed place; otherwise in their own unit, within n half-units.
    let tolerance = if mixed {
        printed.iter().map(|(v, f)| Decimal::new(1, v.scale()) * f).max().unwrap_or(Decimal::ONE)
    } else {
        let figures: Vec<Decimal> = printed.iter().map(|(v, _)| *v).collect();
        self::tolerance(&figures, figures.len().saturating_sub(1))
    };
    let sum = |side: &[(Option<Decimal>, Decimal)]| -> Decimal {
        side.iter().map(|(v, f)| v.unwrap_or_default() * if mixed { *f } else { Decimal::ONE }).sum()
    };
    let (actual, expected) = (sum(&lhs), sum(&rhs));
    Some(Measure { actual, expected, difference: actual - expected, tolerance, mixed })
}

fn evaluate(tables: &[Table], instance: &Instance, unit: Option<&str>, out: &mut Validated) {
    // Unreadable (reported by `tables`) or all blank (nothing printed): nothing to check.
    let Some(measured) = measure(tables, instance, unit) else {
        return;
    };
    out.checks.identities += 1;
    let rule = instance.rule;
    let Measure { actual, expected, difference, tolerance: tol, mixed } = measured;
    let severity = if measured.exact(rule.relation) {
        out.checks.exact += 1;
        return;
    } else if difference.abs() <= tol {
        out.checks.rounding += 1;
        Severity::Info
    } else {
        match rule.severity {
            Severity::Error => out.checks.violated += 1,
            _ => out.checks.soft_violated += 1,
        }
        rule.severity
    };
    let first = &instance.lhs[0];
    let row = first.row.map(|r| &tables[first.table].rows[r]);
    let cells: Vec<String> = instance.lhs.iter().chain(&instance.rhs).map(|a| path(tables, a)).collect();
    let kind = match severity {
        Severity::Info => "identity_rounding",
        Severity::Warning => "identity_soft_violation",
        Severity::Error => "identity_violation",
    };
    let verdict = if severity == Severity::Info { "holds within rounding" } else { "fails" };
    let relation = if rule.relation == rules::Relation::AtLeast { "at least " } else { "" };
    let in_yuan = if mixed { " (in 元, the tables' units differ)" } else { "" };
    let mut f = Finding::new(
        severity,
        kind,
        format!(
            "{} ({}) {verdict}: {} printed {actual}, {relation}{expected} expected from {} (difference {difference}, tolerance {tol}){in_yuan}",
            rule.id,
            rule.zh,
            cells[0],
            cells[instance.lhs.len()..].join(" + ")
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
