//! Items printed with their sub-items as rows of one list (`财政拨款` then `一般公共预算`,
//! `政府性基金预算`; a class, then its 款 and 项), told apart by the figures: an item whose
//! figure the rows right after it add up to is their parent. Used only where the flat sum of
//! the list fails its total and this reading makes it hold, so the identity decides.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::model::Table;

/// The outermost rows of `rows` (in order) when reading them as nested makes their sum the
/// total's figure and the flat sum does not; `None` otherwise (or when a figure is unreadable).
pub fn outermost(table: &Table, total: usize, rows: &[usize], column: &str) -> Option<Vec<usize>> {
    let figure = |r: usize| -> Result<Decimal, ()> {
        match table.rows[r].cells.iter().find(|c| c.column == column) {
            None => Ok(Decimal::ZERO), // blank
            Some(cell) => cell.value.ok_or(()),
        }
    };
    let target = figure(total).ok()?;
    let values: Vec<Decimal> = rows.iter().map(|&r| figure(r)).collect::<Result<_, _>>().ok()?;
    let tolerance = super::figures::tolerance(&values, 3);
    let flat: Decimal = values.iter().sum();
    if (flat - target).abs() <= tolerance || values.iter().any(rust_decimal::Decimal::is_sign_negative) {
        return None;
    }
    let (top, end) = Levels::new(&values, tolerance).level(0, None)?;
    let sum: Decimal = top.iter().map(|&i| values[i]).sum();
    (end == values.len() && (sum - target).abs() <= tolerance && top.len() < values.len())
        .then(|| top.into_iter().map(|i| rows[i]).collect())
}

/// The items of one level and where the next level resumes.
type Level = (Vec<usize>, usize);

/// The nested reading of one list of figures. A level is a pure function of where it starts
/// and the figure it must reach, so each is read once: without the memo, a long list of
/// non-zero rows (a 150-row expense table) costs time exponential in its length.
struct Levels<'a> {
    values: &'a [Decimal],
    tolerance: Decimal,
    memo: HashMap<(usize, Option<Decimal>), Option<Level>>,
}

impl<'a> Levels<'a> {
    fn new(values: &'a [Decimal], tolerance: Decimal) -> Self {
        Levels { values, tolerance, memo: HashMap::new() }
    }

    /// Reads items from `at` on; with a `target`, until they add up to it (the children of an
    /// item of that figure). Returns the items of this level and where the next level resumes.
    fn level(&mut self, at: usize, target: Option<Decimal>) -> Option<Level> {
        if let Some(known) = self.memo.get(&(at, target)) {
            return known.clone();
        }
        let read = self.read(at, target);
        self.memo.insert((at, target), read.clone());
        read
    }

    fn read(&mut self, at: usize, target: Option<Decimal>) -> Option<Level> {
        let (values, tolerance) = (self.values, self.tolerance);
        let mut items = Vec::new();
        let mut sum = Decimal::ZERO;
        let mut next = at;
        while next < values.len() {
            if let Some(t) = target
                && !items.is_empty()
                && (sum - t).abs() <= tolerance
            {
                break;
            }
            let item = next;
            items.push(item);
            sum += values[item];
            next += 1;
            if !values[item].is_zero()
                && let Some((_, after)) = self.level(next, Some(values[item]))
            {
                next = after;
            }
            if target.is_some_and(|t| sum > t + tolerance) {
                return None;
            }
        }
        match target {
            Some(t) if items.is_empty() || (sum - t).abs() > tolerance => None,
            _ => Some((items, next)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_class_with_its_kuan_and_xiang_is_one_item() {
        // 201 | 20140 | 2014001 | 2014050 | 205 | 20508 | 2050803
        let values = ["854.84", "854.84", "507.97", "346.87", "1.00", "1.00", "1.00"].map(d);
        let (top, end) = Levels::new(&values, d("0.015")).level(0, None).unwrap();
        assert_eq!(top, vec![0, 4]);
        assert_eq!(end, values.len());
    }

    #[test]
    fn siblings_that_do_not_add_up_stay_siblings() {
        let values = ["10.00", "3.00", "4.00"].map(d);
        let (top, _) = Levels::new(&values, d("0.015")).level(0, None).unwrap();
        assert_eq!(top, vec![0, 1, 2]);
    }
}
