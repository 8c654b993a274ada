//! Several figures of one row misread at once, which the second engine read right. At a
//! low resolution tesseract may misread a row's zeros alike (`0. 00` as `400` or `4.00`)
//! and a total beside them: no one of PP-OCR's readings then mends the row's identity
//! alone (`engines` takes a reading one cell at a time), though together they do. For each
//! row with a broken identity, the cells whose second reading (recorded by `engines`, not
//! taken) differs from the figure as read are tried together: the fewest of them whose
//! second readings make every identity of the row they take part in hold, break none
//! that held, and mend one that broke, are taken — when exactly one set is that small
//! (`second-engine`, each cell a repair with the identities as evidence). Run after
//! `engines::decide`, before the misread rules guess.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::misread::{apply, holds, readable};
use super::reading::figure;
use crate::knowledge::identities::figures::path;
use crate::knowledge::identities::{At, Figures, Instance};
use crate::model::{Finding, OcrEngine, Repair, Table, Unit};

/// Most cells of a row whose second readings are tried together: 2^8 sets at most.
const MAX_TOGETHER: usize = 8;

/// Takes the second readings of a row's cells together where they mend it together;
/// returns the repairs.
pub fn decide(
    tables: &mut [Table],
    instances: &[Instance],
    unit: Option<Unit>,
    findings: &mut Vec<Finding>,
) -> Vec<Repair> {
    let mut repairs = Vec::new();
    for (t, r) in rows_broken(tables, instances, unit) {
        let candidates = second_readings(tables, t, r);
        if candidates.len() < 2 || candidates.len() > MAX_TOGETHER {
            continue;
        }
        let Some(taken) = fewest(tables, instances, unit, &candidates) else { continue };
        let cells: Vec<String> = taken.iter().map(|&i| path(tables, &candidates[i].0)).collect();
        for &i in &taken {
            let (at, read, value) = &candidates[i];
            let others: Vec<&str> =
                taken.iter().zip(&cells).filter(|(j, _)| **j != i).map(|(_, c)| c.as_str()).collect();
            let why = format!(
                "breaks an identity of its row with {}, misread too; PP-OCR read {value} here and the figures there, \
                 with which every identity they take part in that held still holds and those of their row hold",
                others.join(", ")
            );
            repairs.push(apply(tables, at, *read, *value, "second-engine", &why, findings));
        }
    }
    repairs
}

/// The rows (table, row) a broken identity takes in, in order.
fn rows_broken(tables: &[Table], instances: &[Instance], unit: Option<Unit>) -> BTreeSet<(usize, usize)> {
    let figures = Figures::of(tables);
    instances
        .iter()
        .filter(|i| !holds(&figures, i, unit))
        .flat_map(|i| i.lhs.iter().chain(&i.rhs))
        .filter_map(|at| Some((at.table, at.row?)))
        .collect()
}

/// The cells of a row read as a figure whose second reading, not taken, is another figure:
/// the cell, its figure as read, the second reading's.
fn second_readings(tables: &[Table], t: usize, r: usize) -> Vec<(At, Decimal, Decimal)> {
    tables[t].rows[r]
        .cells
        .iter()
        .filter_map(|cell| {
            let at = At { table: t, row: Some(r), column: cell.column.clone() };
            let read = readable(tables, &at)?;
            let other = cell.readings.iter().find(|x| x.engine == OcrEngine::PpOcr && !x.chosen)?;
            let value = figure(&other.text).filter(|v| *v != read)?;
            Some((at, read, value))
        })
        .collect()
}

/// The one smallest set (two cells or more) of `candidates` whose second readings, taken
/// together, make every identity lying in their row that takes one in hold, break no
/// identity that held as read, and mend one that broke; `None` when there is none, or two
/// sets are that small.
fn fewest(
    tables: &[Table],
    instances: &[Instance],
    unit: Option<Unit>,
    candidates: &[(At, Decimal, Decimal)],
) -> Option<Vec<usize>> {
    let takes_in = |i: &Instance, at: &At| i.lhs.contains(at) || i.rhs.contains(at);
    let (table, row) = (candidates[0].0.table, candidates[0].0.row);
    let in_row = |i: &Instance| i.lhs.iter().chain(&i.rhs).all(|at| at.table == table && at.row == row);
    let as_read: Vec<bool> = instances.iter().map(|i| holds(&Figures::of(tables), i, unit)).collect();
    let n = candidates.len();
    for size in 2..=n {
        let mut found: Vec<Vec<usize>> = Vec::new();
        for mask in (0u32..(1 << n)).filter(|m| m.count_ones() as usize == size) {
            let chosen: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
            let readings: Vec<(At, Decimal)> =
                chosen.iter().map(|&i| (candidates[i].0.clone(), candidates[i].2)).collect();
            let figures = Figures::of(tables).with_each(&readings);
            let mut mends = false;
            let fits = instances.iter().zip(&as_read).all(|(i, held)| {
                if !readings.iter().any(|(at, _)| takes_in(i, at)) {
                    return true;
                }
                let now = holds(&figures, i, unit);
                mends |= now && !held;
                // One that broke as read and reaches other rows may still break: their
                // figures are mended, or not, on their own.
                now || (!held && !in_row(i))
            });
            if fits && mends {
                found.push(chosen);
            }
        }
        match found.len() {
            0 => continue,
            1 => return found.pop(),
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::identities::{CATALOGUES, instances};
    use crate::model::{Column, ColumnRole, EngineReading, Kind};
    use crate::testing::{cell, table};

    /// A row of 一般公共预算支出表 as tesseract read it, each figure with PP-OCR's reading.
    fn row(read: [&str; 5], second: [&str; 5]) -> Vec<Table> {
        let columns = ["合计", "基本支出", "人员经费", "公用经费", "项目支出"];
        let cells = |_| {
            columns
                .iter()
                .zip(read.iter().zip(second))
                .map(|(column, (read, second))| {
                    let mut c = cell(column, read);
                    c.readings = vec![
                        EngineReading {
                            engine: OcrEngine::Tesseract,
                            text: read.to_string(),
                            confidence: Some(52.0),
                            chosen: true,
                        },
                        EngineReading {
                            engine: OcrEngine::PpOcr,
                            text: second.to_string(),
                            confidence: Some(98.0),
                            chosen: false,
                        },
                    ];
                    c
                })
                .collect()
        };
        let mut table = table("gpb_expense", &["行政运行"], cells);
        table.columns = columns.iter().map(|c| Column::own(c.to_string(), c, ColumnRole::Value, None)).collect();
        vec![table]
    }

    fn decided(mut tables: Vec<Table>) -> (Vec<String>, Vec<Repair>) {
        let catalogue = CATALOGUES.iter().find(|c| c.kind == Kind::Budget).expect("the budget identities");
        let instances = instances(catalogue, &tables);
        let repairs = decide(&mut tables, &instances, None, &mut Vec::new());
        let values = tables[0].rows[0].cells.iter().map(|c| c.value.expect("a figure").to_string()).collect();
        (values, repairs)
    }

    #[test]
    fn figures_misread_together_take_their_second_readings_together() {
        // 基本支出 1.50 read 150 and 人员经费 0.00 read 400: neither second reading mends
        // 基本支出 = 人员经费 + 公用经费 alone; together they mend it and 合计 = 基本 + 项目.
        let tables = row(["1.50", "150", "400", "1.50", "0.00"], ["1.50", "1.50", "0.00", "1.50", "0.00"]);
        let (values, repairs) = decided(tables);
        assert_eq!(values, ["1.50", "1.50", "0.00", "1.50", "0.00"]);
        assert_eq!(repairs.len(), 2);
        assert!(repairs.iter().all(|r| r.rule == "second-engine"));
    }

    #[test]
    fn second_readings_that_do_not_mend_the_row_together_are_not_taken() {
        // PP-OCR misreads 人员经费 too (`0.50`): the row still does not add up, nothing taken.
        let read = ["1.50", "150", "400", "1.50", "0.00"];
        let (values, repairs) = decided(row(read, ["1.50", "1.50", "0.50", "1.50", "0.00"]));
        assert_eq!(values, ["1.50", "150", "400", "1.50", "0.00"]);
        assert!(repairs.is_empty());
    }
}
