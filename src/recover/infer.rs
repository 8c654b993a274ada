//! Recovery: a cell the OCR lost (a blank total whose parts are not zero; OCR input only)
//! or could not read is inferred when every identity it takes part in, with all its other cells known,
//! agrees on one value within rounding. The tightest identity gives the value; the others
//! must contain it; a value below zero from figures none of which is, is not one (those
//! figures do not add up). Nothing else is ever filled in.

use std::collections::BTreeSet;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::knowledge::identities::figures::{path, tolerance, value};
use crate::knowledge::identities::{At, Instance, Relation};
use crate::model::{Cell, CellStatus, Finding, FindingKind, Place, Severity, Side, Source, Table, TextSource};

/// A filled cell, for the repair log.
#[derive(Debug, Clone, PartialEq)]
pub struct Inferred {
    pub table: String,
    pub row: String,
    pub side: Option<Side>,
    pub column: String,
    pub value: Decimal,
    pub rule: String,
    pub page: u32,
    pub line: u32,
}

/// One identity's answer for the unknown cell.
struct Candidate {
    value: Decimal,
    tolerance: Decimal,
    rule: String,
    /// Below zero from figures none of which is: those figures do not add up (one read
    /// under the wrong column), so there is no lost cell to fill.
    below_zero: bool,
}

/// Finds and fills inferable cells; returns what it filled.
pub fn fill(
    tables: &mut [Table],
    instances: &[Instance],
    source: &Source,
    findings: &mut Vec<Finding>,
) -> Vec<Inferred> {
    let mut suspects = suspects(tables, instances, source);
    let mut filled = Vec::new();
    // The cell the identities pin down most tightly goes first; once filled it is evidence
    // for the next (a lost summary total, then a blank that total restates).
    loop {
        let ranked = suspects.iter().filter_map(|at| {
            let candidates: Vec<Candidate> =
                instances.iter().filter_map(|i| candidate(tables, i, at, &suspects)).collect();
            let tightest = candidates.iter().map(|c| c.tolerance).min()?;
            Some((tightest, at.clone(), candidates))
        });
        let Some((_, at, candidates)) = ranked.min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1))) else {
            break;
        };
        suspects.remove(&at);
        let at = &at;
        let Some(best) = candidates.iter().min_by_key(|c| c.tolerance) else {
            continue;
        };
        let lo = candidates.iter().map(|c| c.value - c.tolerance).max().unwrap_or(best.value);
        let hi = candidates.iter().map(|c| c.value + c.tolerance).min().unwrap_or(best.value);
        let where_ = path(tables, at);
        if best.value < lo || best.value > hi {
            let mut f = Finding::new(
                Severity::Warning,
                FindingKind::InferenceConflict,
                format!(
                    "{where_} is missing and the identities disagree on its value ({} candidates)",
                    candidates.len()
                ),
            );
            f.table = Some(tables[at.table].id.clone());
            findings.push(f);
            continue;
        }
        if best.below_zero {
            continue; // the identity reports the figures that do not add up
        }
        let others: Vec<String> = candidates
            .iter()
            .filter(|c| c.rule != best.rule)
            .map(|c| format!("{} gives {} ± {}", c.rule, c.value, c.tolerance))
            .collect();
        let Some(r) = at.row else { continue };
        let table = &mut tables[at.table];
        let row = &mut table.rows[r];
        let was_unreadable = row.cells.iter().any(|c| c.column == at.column);
        let cell = Cell {
            column: at.column.clone(),
            raw: row.cells.iter().find(|c| c.column == at.column).map(|c| c.raw.clone()).unwrap_or_default(),
            value: Some(best.value),
            status: CellStatus::Inferred,
            inferred_by: Some(best.rule.clone()),
            bbox: None,
            confidence: None,
            readings: Vec::new(),
        };
        row.cells.retain(|c| c.column != at.column);
        row.cells.push(cell);
        let order = |key: &str| table.columns.iter().position(|c| c.key == key);
        row.cells.sort_by_key(|c| order(&c.column));
        let what = if was_unreadable { "could not be read" } else { "was not printed (lost)" };
        let mut f = Finding::located(
            Severity::Warning,
            FindingKind::ValueInferred,
            Place::cell(&table.id, row, &at.column),
            format!(
                "{where_} {what}; inferred {} from {}{}",
                best.value,
                best.rule,
                if others.is_empty() { String::new() } else { format!(" (also consistent: {})", others.join("; ")) }
            ),
        );
        (f.rule, f.expected) = (Some(best.rule.clone()), Some(best.value));
        findings.push(f);
        filled.push(Inferred {
            table: table.id.clone(),
            row: row.key.clone(),
            side: row.side,
            column: at.column.clone(),
            value: best.value,
            rule: best.rule.clone(),
            page: row.page,
            line: row.line,
        });
    }
    filled
}

/// Blank totals whose printed parts are not zero, and unreadable cells.
/// Blank totals count only on OCR'd pages: a text layer that leaves a total blank is the
/// publication's omission, reported by the identity, not filled in.
fn suspects(tables: &[Table], instances: &[Instance], source: &Source) -> BTreeSet<At> {
    let mut out = BTreeSet::new();
    for i in instances {
        for at in i.lhs.iter().chain(&i.rhs) {
            if at.row.is_some() && value(tables, at).is_err() {
                out.insert(at.clone());
            }
        }
        let [total] = &i.lhs[..] else { continue };
        let Some(row) = total.row else { continue };
        if source.page_source(tables[total.table].rows[row].page) == TextSource::TextLayer {
            continue;
        }
        if value(tables, total) != Ok(None) {
            continue;
        }
        let parts: Result<Vec<Option<Decimal>>, _> = i.rhs.iter().map(|a| value(tables, a)).collect();
        if parts.is_ok_and(|p| !p.iter().flatten().sum::<Decimal>().is_zero()) {
            out.insert(total.clone());
        }
    }
    out
}

/// What `instance` says the unknown cell `at` must be, when all its other cells are known.
fn candidate(tables: &[Table], instance: &Instance, at: &At, suspects: &BTreeSet<At>) -> Option<Candidate> {
    let one_table_unit =
        instance.lhs.iter().chain(&instance.rhs).all(|a| tables[a.table].unit == tables[at.table].unit);
    if instance.rule.relation != Relation::Equal || !one_table_unit {
        return None; // an inequality or a comparison across units pins nothing down
    }
    let in_lhs = instance.lhs.contains(at);
    if !in_lhs && !instance.rhs.contains(at) {
        return None;
    }
    let mut lhs = Decimal::ZERO;
    let mut rhs = Decimal::ZERO;
    let mut figures = Vec::new();
    for (side, ats) in [(true, &instance.lhs), (false, &instance.rhs)] {
        for other in ats.iter().filter(|o| *o != at) {
            if suspects.contains(other) {
                return None;
            }
            let v = value(tables, other).ok()?;
            if let Some(v) = v {
                figures.push(v);
                if side { lhs += v } else { rhs += v }
            }
        }
    }
    if figures.is_empty() {
        return None;
    }
    let raw = if in_lhs { rhs - lhs } else { lhs - rhs };
    let scale = figures.iter().map(Decimal::scale).max().unwrap_or(0);
    let value = raw.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
    let below_zero = value.is_sign_negative() && !value.is_zero() && figures.iter().all(|f| !f.is_sign_negative());
    // n = printed cells (the others plus the inferred one) − 1.
    let tolerance = tolerance(&figures, figures.len());
    Some(Candidate { value, tolerance, rule: instance.rule.id.clone(), below_zero })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, ColumnRole, Kind, TextSource};
    use crate::testing::{cell, source, table};

    /// The expense table's 合计 row, 基本支出 unreadable, 项目支出 as given; its identities.
    fn inferred(project: &str) -> Vec<Inferred> {
        let unreadable = Cell { value: None, status: CellStatus::Unreadable, ..cell("基本支出", "0") };
        let mut t = table("expense", &["合计"], |_| {
            vec![cell("合计", "738.05"), unreadable.clone(), cell("项目支出", project)]
        });
        t.columns = ["合计", "基本支出", "项目支出"]
            .iter()
            .map(|k| Column::own(k.to_string(), k, ColumnRole::Value, None))
            .collect();
        let mut tables = vec![t];
        let catalogue = crate::knowledge::identities::CATALOGUES.iter().find(|c| c.kind == Kind::Budget).unwrap();
        let instances = crate::knowledge::identities::instances(catalogue, &tables);
        fill(&mut tables, &instances, &source(TextSource::Ocr), &mut Vec::new())
    }

    #[test]
    fn a_lost_part_is_inferred_but_never_below_zero_from_figures_that_do_not_add_up() {
        let filled = inferred("209.65");
        assert_eq!(filled.iter().map(|i| i.value.to_string()).collect::<Vec<_>>(), ["528.40"]);
        // 项目支出 misread larger than the total: 738.05 − 909.65 is no budget figure.
        assert!(inferred("909.65").is_empty());
    }
}
