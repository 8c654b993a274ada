//! OCR misreads repaired by the identities. A figure read by OCR that breaks two or more
//! identities is tried with every OCR-plausible change of its text — a confusable digit
//! (3/8, 1/7, 0/6/9, 5/6, 3/5), a lost, moved or digit-read decimal point, a dropped digit. When exactly one
//! change makes every identity it takes part in hold, the figure is repaired and the
//! identities are recorded as the evidence; when none or several do, it is left as read
//! and its violations stand. Never applied to a text layer: there a broken identity is the
//! publication's error, not a misread.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::knowledge::identities::figures::path;
use crate::knowledge::identities::{At, Figures, Instance, measure};
use crate::model::{
    CellStatus, Finding, FindingKind, Location, Place, Repair, Severity, Source, Table, TextSource, Unit,
};

/// Digits OCR confuses with each other.
const CONFUSABLE: [&[char]; 5] = [&['3', '8'], &['1', '7'], &['0', '6', '9'], &['5', '6'], &['3', '5']];

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
    // A decimal point read as a digit (a speck on a scan): `52527` for `52.27`.
    if !chars.contains(&'.') {
        for i in 1..chars.len().saturating_sub(1) {
            let mut t = chars.clone();
            t[i] = '.';
            push(t.into_iter().collect());
        }
    }
    // Split by characters, not bytes: the text may hold a character that is not ASCII.
    let digits: Vec<char> = chars.iter().copied().filter(|c| *c != '.').collect();
    // A lost or moved decimal point: every placement with one or two decimals.
    for decimals in [1usize, 2] {
        if digits.len() > decimals {
            let (int, frac) = digits.split_at(digits.len() - decimals);
            push(format!("{}.{}", int.iter().collect::<String>(), frac.iter().collect::<String>()));
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

/// OCR confidence (0–100) below which a figure is a suspect on its own: measured on the
/// scans in `samples/scan`, correctly read figures score 80–97, misread ones 40–50.
pub const LOW_CONFIDENCE: f32 = 70.0;

/// Repairs misread figures in place; returns the repair records. Two rules, both needing
/// exactly one OCR-plausible reading to fit:
/// - a figure in two or more broken identities is changed when one reading makes all of
///   them hold (the identities locate it);
/// - a figure OCR read with low confidence ([`LOW_CONFIDENCE`]) in a broken identity is
///   changed when, of all the identity's figures, it alone has a reading that makes the
///   identity hold without breaking one that holds (the confidence locates it). Repeated,
///   so a second misread in the same sum is found once the first is repaired.
pub fn repair(
    tables: &mut [Table],
    instances: &[Instance],
    unit: Option<Unit>,
    source: &Source,
    findings: &mut Vec<Finding>,
) -> Vec<Repair> {
    let ocr = |tables: &[Table], at: &At| {
        at.row.is_some_and(|r| source.page_source(tables[at.table].rows[r].page) != TextSource::TextLayer)
    };
    let mut repairs = Vec::new();
    // Again while a round repairs one: a figure whose identities a second misread broke too
    // (`168276` beside `1208.0`, both in 合计 = 基本支出 + 项目支出) fits once that is repaired.
    // (A repair makes every identity it is in hold, so rounds end; bounded all the same.)
    for _ in 0..8 {
        let before = repairs.len();
        repairs.extend(one_round(tables, instances, unit, &ocr, findings));
        if repairs.len() == before {
            break;
        }
    }
    repairs
}

/// One pass of both rules of [`repair`].
fn one_round(
    tables: &mut [Table],
    instances: &[Instance],
    unit: Option<Unit>,
    ocr: &impl Fn(&[Table], &At) -> bool,
    findings: &mut Vec<Finding>,
) -> Vec<Repair> {
    let holds = |figures: &Figures, i: &Instance| holds(figures, i, unit);
    let mut repairs = Vec::new();
    // Cells in two or more broken identities.
    let mut broken: BTreeMap<At, Vec<usize>> = BTreeMap::new();
    for (i, instance) in instances.iter().enumerate() {
        if !holds(&Figures::of(tables), instance) {
            for at in instance.lhs.iter().chain(&instance.rhs).filter(|a| ocr(tables, a)) {
                broken.entry(at.clone()).or_default().push(i);
            }
        }
    }
    for (at, failing) in broken.into_iter().filter(|(_, f)| f.len() >= 2) {
        let Some(read) = readable(tables, &at) else { continue };
        let involved: Vec<&Instance> =
            instances.iter().filter(|i| i.lhs.contains(&at) || i.rhs.contains(&at)).collect();
        let fits: Vec<Decimal> =
            readings(read).filter(|v| with(tables, &at, *v, |f| involved.iter().all(|i| holds(f, i)))).collect();
        let evidence: Vec<String> = failing.iter().map(|&i| instances[i].rule.id.clone()).collect();
        let [fixed] = fits[..] else {
            if fits.len() > 1 {
                let mut f = Finding::new(
                    Severity::Warning,
                    FindingKind::MisreadAmbiguous,
                    format!(
                        "{} = {read} breaks {}; {} different OCR-plausible readings would fit, so it is left as read",
                        path(tables, &at),
                        evidence.join(", "),
                        fits.len()
                    ),
                );
                f.table = Some(tables[at.table].id.clone());
                // (Found again by a later round: reported once.)
                if !findings.iter().any(|g| g.message == f.message) {
                    findings.push(f);
                }
            }
            continue;
        };
        let why = format!("breaks {}; the one OCR-plausible reading that makes all of them hold", evidence.join(", "));
        repairs.push(apply(tables, &at, read, fixed, MISREAD, &why, findings));
    }
    // Low-confidence figures, each located by one broken identity.
    loop {
        let mut found = None;
        let failing: Vec<&Instance> = instances.iter().filter(|i| !holds(&Figures::of(tables), i)).collect();
        for instance in failing {
            let mut fits: Vec<(At, Decimal, Decimal)> = Vec::new();
            let cells: Vec<&At> = instance.lhs.iter().chain(&instance.rhs).filter(|a| ocr(tables, a)).collect();
            for at in cells {
                let Some(read) = readable(tables, at) else { continue };
                let held: Vec<&Instance> = instances
                    .iter()
                    .filter(|i| (i.lhs.contains(at) || i.rhs.contains(at)) && holds(&Figures::of(tables), i))
                    .collect();
                for v in readings(read) {
                    if with(tables, at, v, |f| holds(f, instance) && held.iter().all(|i| holds(f, i))) {
                        fits.push((at.clone(), read, v));
                    }
                }
            }
            if let [(at, read, fixed)] = &fits[..]
                && confidence(tables, at).is_some_and(|c| c < LOW_CONFIDENCE)
            {
                found = Some((at.clone(), *read, *fixed, instance.rule.id.clone()));
                break;
            }
        }
        let Some((at, read, fixed, rule)) = found else { break };
        let c = confidence(tables, &at).unwrap_or_default();
        let why = format!(
            "was read with OCR confidence {c:.0} and breaks {rule}; of that identity's figures it alone has an OCR-plausible reading that makes it hold without breaking another"
        );
        repairs.push(apply(tables, &at, read, fixed, MISREAD, &why, findings));
    }
    repairs
}

/// The rule of the repairs made here.
const MISREAD: &str = "identity-misread";

/// Whether an identity holds over `figures` (or cannot be measured: a figure it needs is
/// missing).
pub(super) fn holds(figures: &Figures, instance: &Instance, unit: Option<Unit>) -> bool {
    measure(figures, instance, unit).is_none_or(|m| m.holds(instance.rule.relation))
}

/// A read (or already repaired) figure's value.
pub(super) fn readable(tables: &[Table], at: &At) -> Option<Decimal> {
    let cell = tables[at.table].rows[at.row?].cells.iter().find(|c| c.column == at.column)?;
    matches!(cell.status, CellStatus::Read | CellStatus::Repaired).then_some(cell.value).flatten()
}

fn confidence(tables: &[Table], at: &At) -> Option<f32> {
    tables[at.table].rows[at.row?].cells.iter().find(|c| c.column == at.column)?.confidence
}

/// The OCR-plausible readings of a figure, as values. A whole figure is also tried as the
/// integer OCR read (`168276`, given its table's places as `168276.00`): its point may be
/// the one lost (`1682.76`).
fn readings(read: Decimal) -> impl Iterator<Item = Decimal> {
    let mut texts = candidates(&read.to_string());
    if read.fract().is_zero() && read.scale() > 0 {
        let whole = read.trunc().normalize().to_string();
        texts.extend(candidates(&whole));
    }
    let mut values: Vec<Decimal> = Vec::new();
    for v in texts.into_iter().filter_map(|t| Decimal::from_str(&t).ok()) {
        if v != read && !values.contains(&v) {
            values.push(v);
        }
    }
    values.into_iter()
}

/// Whether `test` passes with the readable figure at `at` read as `value`: tried against an
/// overlay of the figures, the tables unchanged.
pub(super) fn with(tables: &[Table], at: &At, value: Decimal, test: impl Fn(&Figures) -> bool) -> bool {
    readable(tables, at).is_some() && test(&Figures::of(tables).with(at, value))
}

/// Sets the repaired figure, records the finding and returns the repair, under `rule`.
pub(super) fn apply(
    tables: &mut [Table],
    at: &At,
    read: Decimal,
    fixed: Decimal,
    rule: &str,
    why: &str,
    findings: &mut Vec<Finding>,
) -> Repair {
    let where_ = path(tables, at);
    let r = at.row.expect("a cell in a row");
    let place = Place::cell(&tables[at.table].id, &tables[at.table].rows[r], &at.column);
    set(tables, at, fixed);
    let row = &mut tables[at.table].rows[r];
    let cell = row.cells.iter_mut().find(|c| c.column == at.column).expect("the cell exists");
    cell.status = CellStatus::Repaired;
    super::reading::changed(cell, fixed);
    let location = Location::in_row(&tables[at.table].id, &tables[at.table].rows[r], Some(&at.column));
    let mut f = Finding::located(
        Severity::Warning,
        FindingKind::ValueRepaired,
        place,
        format!("{where_} was read as {read}, which {why}: {fixed}"),
    );
    (f.expected, f.actual) = (Some(fixed), Some(read));
    findings.push(f);
    Repair { location, rule: rule.to_string(), raw: read.to_string(), repaired: fixed.to_string() }
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
    fn text_that_is_not_ascii_is_split_between_characters() {
        // By bytes, `52万` would be cut inside 万 when a decimal point is placed.
        for text in ["52万", "5２.7", "１９３。３０"] {
            assert!(candidates(text).iter().all(|c| Decimal::from_str(c).is_ok()), "{text}");
        }
    }

    #[test]
    fn candidates_cover_confusions_points_and_dropped_digits() {
        let c = candidates("193.30");
        assert!(c.contains(&"198.30".to_string()), "3 → 8");
        assert!(c.contains(&"193.80".to_string()));
        assert!(!c.contains(&"193.30".to_string()), "not itself");
        assert!(candidates("5227").contains(&"52.27".to_string()), "a lost decimal point");
        assert!(candidates("52.7").contains(&"52.27".to_string()), "a dropped digit");
        assert!(candidates("1.20").contains(&"7.20".to_string()), "1 → 7");
        assert!(candidates("52527").contains(&"52.27".to_string()), "a point read as a digit");
    }

    #[test]
    fn a_whole_figure_given_its_places_is_tried_without_them() {
        let read = Decimal::from_str("168276.00").unwrap();
        assert!(readings(read).any(|v| v == Decimal::from_str("1682.76").unwrap()), "its point lost");
        assert!(readings(read).all(|v| v != read), "not itself");
    }
}
