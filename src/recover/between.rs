//! An OCR'd function-class row of a summary garbled beyond the vocabulary's reach (`社人会`
//! for 社会保障和就业支出, `下和区` for 城乡社区支出) keyed by its place (`label-between`). The
//! summaries list the classes by name in code order (`data/codes/function-classes.toml`), so
//! a row between two classes the table prints is one of the classes whose codes lie between
//! theirs and that the table does not print: the one the garbled name begins as (its first
//! [`MIN_START`] characters at least, the longest start that begins one), else the only one, where it is the only garbled row
//! there, else the one whose 类 row in the 支出总表 totals the row's figure (the summary's class
//! figure is that total: `x.summary-classes.expense`). Never on a text layer, a coded row, a
//! known name, or where two candidates remain.

use rust_decimal::Decimal;

use super::names::{garbled, rekey};
use crate::knowledge::identities::catalogue::{class_code, classes};
use crate::model::{Repair, Source, Table, TextSource};
use crate::repair::printed::TOTALS;

/// Characters of a garbled name that must begin a class's name for it to be that class.
const MIN_START: usize = 3;

/// Rows naming classes a table needs for its rows to be taken for a list of classes.
const MIN_CLASSES: usize = 3;

/// Keys garbled class rows by their place among the classes, with a repair record each.
pub fn key(tables: &mut [Table], source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    // The 支出总表's 类 totals, by code.
    let totals: Vec<(String, Decimal)> = tables
        .iter()
        .filter(|t| t.id == "expense")
        .flat_map(|t| &t.rows)
        .filter_map(|r| {
            let code = r.code.as_ref().filter(|c| c.len() == 3)?;
            let total = r.cells.iter().find(|c| c.column == TOTALS[1])?.value?;
            Some((code.clone(), total))
        })
        .collect();
    for table in tables.iter_mut() {
        if table.rows.iter().filter(|r| class_code(&r.key).is_some()).count() < MIN_CLASSES {
            continue;
        }
        for r in 0..table.rows.len() {
            let row = &table.rows[r];
            if !garbled(row) || source.page_source(row.page) == TextSource::TextLayer {
                continue;
            }
            let Some(name) = between(table, r, &totals) else { continue };
            repairs.push(rekey(table, r, name, "label-between"));
        }
    }
    repairs
}

/// The class row `r` of `table` is, by the classes printed before and after it on its side.
fn between(table: &Table, r: usize, totals: &[(String, Decimal)]) -> Option<String> {
    let row = &table.rows[r];
    let side: Vec<usize> = (0..table.rows.len()).filter(|&i| table.rows[i].side == row.side).collect();
    let at = side.iter().position(|&i| i == r)?;
    let code_of = |i: usize| class_code(&table.rows[i].key);
    let before = side[..at].iter().rev().find_map(|&i| code_of(i).map(|c| (i, c)))?;
    let after = side[at + 1..].iter().find_map(|&i| code_of(i).map(|c| (i, c)))?;
    let printed: Vec<&str> = side.iter().filter_map(|&i| code_of(i)).collect();
    // The classes between, each with its first name (the one the templates print).
    let mut candidates: Vec<(&str, &str)> = Vec::new();
    for (name, code) in classes() {
        if code > before.1 && code < after.1 && !printed.contains(&code) && !candidates.iter().any(|(c, _)| *c == code)
        {
            candidates.push((code, name));
        }
    }
    // The longest start of the name that begins a candidate's, where it begins one only
    // (`灾害防治及` of `灾害防治及二`).
    let start: Vec<char> = row.key.chars().take_while(|&c| crate::label::is_ideograph(c)).collect();
    for n in (MIN_START..=start.len()).rev() {
        let start: String = start[..n].iter().collect();
        match candidates.iter().filter(|(_, name)| name.starts_with(&start)).collect::<Vec<_>>()[..] {
            [(_, name)] => return Some((*name).to_string()),
            [] => continue,
            _ => break,
        }
    }
    let garbled_between = side.iter().filter(|&&i| i > before.0 && i < after.0 && garbled(&table.rows[i])).count();
    if let ([(_, name)], 1) = (&candidates[..], garbled_between) {
        return Some((*name).to_string());
    }
    let figure = row.cells.iter().find_map(|c| c.value)?;
    let matching: Vec<&(&str, &str)> =
        candidates.iter().filter(|(code, _)| totals.iter().any(|(c, total)| c == code && *total == figure)).collect();
    match matching[..] {
        [(_, name)] => Some((*name).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A summary's expense side: each class with its figure.
    fn summary(rows: &[(&str, &str)]) -> Table {
        let mut table = crate::testing::table("summary", &rows.iter().map(|r| r.0).collect::<Vec<_>>(), |i| {
            vec![crate::testing::cell("预算数", rows[i].1)]
        });
        table.rows.iter_mut().for_each(|r| r.side = Some(crate::model::Side::Expense));
        table
    }

    /// A 支出总表 of 类 rows, each with its 合计.
    fn expense(rows: &[(&str, &str)]) -> Table {
        let mut table = crate::testing::table("expense", &rows.iter().map(|r| r.0).collect::<Vec<_>>(), |i| {
            vec![crate::testing::cell("合计", rows[i].1)]
        });
        table.rows.iter_mut().for_each(|r| r.code = Some(r.key.clone()));
        table
    }

    fn keys(table: &Table) -> Vec<&str> {
        table.rows.iter().map(|r| r.key.as_str()).collect()
    }

    #[test]
    fn a_garbled_class_row_is_the_class_its_place_and_figure_leave() {
        let ocr = crate::testing::source(TextSource::Ocr);
        let printed = [
            ("文化旅游体育与传媒支出", "0.00"),
            ("社人会", "370.17"), // 208 or 209 by place; 208's total by figure
            ("卫生健康支出", "4.15"),
            ("节能环保支出", "0.00"),
            ("下和区", "0.00"), // 212 alone between 211 and 213
            ("农林水支出", "0.00"),
            ("自然资源海洋气象等支出", "0.00"),
            ("粮油物资储备支出", "0.00"),
            ("灾害防治及二", "0.00"), // the one class between 222 and 229 it begins as
            ("其他支出", "50.00"),
        ];
        let mut tables = vec![summary(&printed), expense(&[("208", "370.17"), ("221", "764.12")])];
        let repairs = key(&mut tables, &ocr);
        assert_eq!(repairs.len(), 3, "{repairs:?}");
        assert!(repairs.iter().all(|r| r.rule == "label-between"));
        let got = keys(&tables[0]);
        assert_eq!((got[1], got[4], got[8]), ("社会保障和就业支出", "城乡社区支出", "灾害防治及应急管理支出"));
        // Two candidates and no figure to tell them: the row stays as read (and is reported
        // unknown); a text layer's names are as printed.
        let mut tables = vec![summary(&printed), expense(&[])];
        key(&mut tables, &ocr);
        assert_eq!(keys(&tables[0])[1], "社人会");
        let mut tables = vec![summary(&printed), expense(&[("208", "370.17")])];
        assert!(key(&mut tables, &crate::testing::source(TextSource::TextLayer)).is_empty());
    }
}
