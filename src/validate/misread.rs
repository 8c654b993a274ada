//! OCR misreads repaired by the identities. A figure read by OCR that breaks two or more
//! identities is tried with every OCR-plausible change of its text — a confusable digit
//! (3/8, 1/7, 0/6/9, 5/6), a lost or moved decimal point, a dropped digit. When exactly one
//! change makes every identity it takes part in hold, the figure is repaired and the
//! identities are recorded as the evidence; when none or several do, it is left as read
//! and its violations stand. Never applied to a text layer: there a broken identity is the
//! publication's error, not a misread.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::rules::{At, Instance};
use super::{measure, path};
use crate::model::{CellStatus, Finding, Location, Repair, Severity, Table};

/// Digits OCR confuses with each other.
const CONFUSABLE: [&[char]; 4] = [&['3', '8'], &['1', '7'], &['0', '6', '9'], &['5', '6']];

/// Every OCR-plausible reading of a figure's text other than itself.
pub fn candidates(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if s != text && Decimal::from_str(&s).is_ok() && !out.contains(&s) {
            out.push(s);
        }
    };
    // A confusable digit.
    for (i, c) in chars.iter().enumerate() {
        for group in CONFUSABLE.iter().filter(|g| g.contains(c)) {
            for other in group.iter().filter(|o| *o != c) {
                let mut t = chars.clone();
                t[i] = *other;
                push(t.into_iter().collect());
            }
        }
    }
    let digits: String = chars.iter().filter(|c| **c != '.').collect();
    // A lost or moved decimal point: every placement with one or two decimals.
    for decimals in [1usize, 2] {
        if digits.len() > decimals {
            let (int, frac) = digits.split_at(digits.len() - decimals);
            push(format!("{int}.{frac}"));
        }
    }
    // A dropped digit: any digit at any position.
    for i in 0..=chars.len() {
        for d in '0'..='9' {
            let mut t = chars.clone();
            t.insert(i, d);
            push(t.into_iter().collect());
        }
    }
    out
}

/// Repairs misread figures in place; returns the repair records.
pub fn repair(
    tables: &mut [Table],
    instances: &[Instance],
    unit: Option<&str>,
    findings: &mut Vec<Finding>,
) -> Vec<Repair> {
    // Cells in two or more broken identities.
    let mut broken: BTreeMap<At, Vec<usize>> = BTreeMap::new();
    for (i, instance) in instances.iter().enumerate() {
        if measure(tables, instance, unit).is_some_and(|m| !m.holds(instance.rule.relation)) {
            for at in instance.lhs.iter().chain(&instance.rhs).filter(|a| a.row.is_some()) {
                broken.entry(at.clone()).or_default().push(i);
            }
        }
    }
    let mut repairs = Vec::new();
    for (at, failing) in broken.into_iter().filter(|(_, f)| f.len() >= 2) {
        let Some(r) = at.row else { continue };
        let Some(cell) = tables[at.table].rows[r].cells.iter().find(|c| c.column == at.column) else { continue };
        if cell.status != CellStatus::Read && cell.status != CellStatus::Repaired {
            continue;
        }
        let Some(read) = cell.value else { continue };
        let involved: Vec<&Instance> =
            instances.iter().filter(|i| i.lhs.contains(&at) || i.rhs.contains(&at)).collect();
        let fits: Vec<Decimal> = candidates(&read.to_string())
            .iter()
            .filter_map(|t| Decimal::from_str(t).ok())
            .filter(|v| {
                set(tables, &at, *v);
                let ok = involved.iter().all(|i| measure(tables, i, unit).is_none_or(|m| m.holds(i.rule.relation)));
                set(tables, &at, read);
                ok
            })
            .collect();
        let where_ = path(tables, &at);
        let evidence: Vec<String> = failing.iter().map(|&i| instances[i].rule.id.clone()).collect();
        let [fixed] = fits[..] else {
            if fits.len() > 1 {
                let mut f = Finding::new(
                    Severity::Warning,
                    "misread_ambiguous",
                    format!(
                        "{where_} = {read} breaks {}; {} different OCR-plausible readings would fit, so it is left as read",
                        evidence.join(", "),
                        fits.len()
                    ),
                );
                f.table = Some(tables[at.table].id.clone());
                findings.push(f);
            }
            continue;
        };
        set(tables, &at, fixed);
        let row = &mut tables[at.table].rows[r];
        let cell = row.cells.iter_mut().find(|c| c.column == at.column).expect("the cell exists");
        cell.status = CellStatus::Repaired;
        let (page, line, key, side) = (row.page, row.line, row.key.clone(), row.side);
        let mut f = Finding::new(
            Severity::Warning,
            "value_repaired",
            format!(
                "{where_} was read as {read}, which breaks {}; the one OCR-plausible reading that makes all of them hold is {fixed}",
                evidence.join(", ")
            ),
        );
        (f.table, f.row, f.side, f.column, f.expected, f.actual, f.page) = (
            Some(tables[at.table].id.clone()),
            Some(key.clone()),
            side,
            Some(at.column.clone()),
            Some(fixed),
            Some(read),
            Some(page),
        );
        findings.push(f);
        repairs.push(Repair {
            location: Location {
                page,
                line,
                table: Some(tables[at.table].id.clone()),
                row: Some(key),
                column: Some(at.column.clone()),
            },
            rule: "identity-misread".to_string(),
            raw: read.to_string(),
            repaired: fixed.to_string(),
        });
    }
    repairs
}

fn set(tables: &mut [Table], at: &At, value: Decimal) {
    let Some(r) = at.row else { return };
    if let Some(cell) = tables[at.table].rows[r].cells.iter_mut().find(|c| c.column == at.column) {
        cell.value = Some(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_cover_confusions_points_and_dropped_digits() {
        let c = candidates("193.30");
        assert!(c.contains(&"198.30".to_string()), "3 → 8");
        assert!(c.contains(&"193.80".to_string()));
        assert!(!c.contains(&"193.30".to_string()), "not itself");
        assert!(candidates("5227").contains(&"52.27".to_string()), "a lost decimal point");
        assert!(candidates("52.7").contains(&"52.27".to_string()), "a dropped digit");
        assert!(candidates("1.20").contains(&"7.20".to_string()), "1 → 7");
    }
}
