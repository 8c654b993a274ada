//! An OCR'd row of a function-classified table printed with no code (OCR lost it) whose name
//! is a 项 the classification prints at one place under every 款 that has it (行政运行 `01`,
//! 事业运行 `50`: `common_item` in `data/codes/function-classes.toml`) is given the code of
//! that 项 under the 款 it is printed under (`code-by-name`): where the coded rows around it
//! place it there in code order, no row has that code, and the 款's figure is the sum of its
//! 项 with the row's (the 款 = Σ项 identity holds with it, as it did not without).

use std::sync::LazyLock;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::names::rekey;
use crate::knowledge::templates::{Classification, variants};
use crate::label::{label_key, within_one_edit};
use crate::model::{Kind, Repair, Row, Source, Table, TextSource};

/// A 项 at one place under every 款 that has it.
#[derive(Deserialize)]
struct CommonItem {
    /// The 项's two digits after its 款's five.
    suffix: String,
    names: Vec<String>,
}

static COMMON: LazyLock<Vec<CommonItem>> = LazyLock::new(|| {
    #[derive(Deserialize)]
    struct File {
        common_item: Vec<CommonItem>,
    }
    let file: File = serde_json::from_str(crate::knowledge::data!("codes/function-classes"))
        .expect("function classes parse (tested)");
    file.common_item
});

/// Digits of a 款's code.
const SECTION: usize = 5;

/// Gives such rows their code; a repair record each.
pub fn by_place(tables: &mut [Table], kind: Kind, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    for table in tables.iter_mut() {
        if variants(kind, &table.id).iter().find_map(|t| t.classification) != Some(Classification::Function) {
            continue;
        }
        for at in 0..table.rows.len() {
            let Some(code) = placed(table, at, source) else { continue };
            table.rows[at].code = Some(code.clone());
            repairs.push(rekey(table, at, code, "code-by-name"));
        }
    }
    repairs
}

/// The code row `at` takes, if it is such a row and every condition holds.
fn placed(table: &Table, at: usize, source: &Source) -> Option<String> {
    let row = &table.rows[at];
    if row.code.is_some() || source.page_source(row.page) == TextSource::TextLayer {
        return None;
    }
    let name = label_key(&row.label);
    let item = COMMON.iter().find(|c| {
        c.names
            .iter()
            .map(|n| label_key(n))
            .any(|n| n == name || (n.chars().count() >= 4 && within_one_edit(&n, &name)))
    })?;
    let coded = |r: &Row| r.code.clone().filter(|c| c.len() >= SECTION);
    let before = table.rows[..at].iter().rev().find_map(coded)?;
    let section = &before[..SECTION];
    let code = format!("{section}{}", item.suffix);
    // In code order: after the 款 or a 项 of it before this one, before the next 项 of it.
    if before.len() > SECTION && before.as_str() >= code.as_str() {
        return None;
    }
    if let Some(after) = table.rows[at + 1..].iter().find_map(coded)
        && after.starts_with(section)
        && after.as_str() <= code.as_str()
    {
        return None;
    }
    if table.rows.iter().any(|r| r.code.as_deref() == Some(code.as_str())) {
        return None;
    }
    sums_with(table, section, at).then_some(code)
}

/// Whether the 款 `section`'s figure is the sum of its 项 with row `at`'s, and not without,
/// in a column every one of them prints.
fn sums_with(table: &Table, section: &str, at: usize) -> bool {
    let Some(parent) = table.rows.iter().find(|r| r.code.as_deref() == Some(section)) else { return false };
    let items: Vec<&Row> = table
        .rows
        .iter()
        .filter(|r| r.code.as_ref().is_some_and(|c| c.len() > SECTION && c.starts_with(section)))
        .collect();
    let value = |r: &Row, column: &str| r.cells.iter().find(|c| c.column == column).and_then(|c| c.value);
    parent.cells.iter().any(|cell| {
        let Some(total) = cell.value.filter(|v| !v.is_zero()) else { return false };
        let Some(own) = value(&table.rows[at], &cell.column) else { return false };
        let Some(others) = items.iter().map(|r| value(r, &cell.column)).sum::<Option<Decimal>>() else { return false };
        // Rounding: half a cent per figure summed.
        let tolerance = Decimal::new(5, 3) * Decimal::from(items.len() + 1);
        (others + own - total).abs() <= tolerance && (others - total).abs() > tolerance
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{cell, source};

    fn table(rows: &[(&str, Option<&str>, &str)]) -> Table {
        let keys: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let mut t = crate::testing::table("gpb_expense", &keys, |i| vec![cell("合计", rows[i].2)]);
        for (row, (key, code, _)) in t.rows.iter_mut().zip(rows) {
            row.code = code.map(str::to_string);
            row.label = key.to_string();
        }
        t
    }

    #[test]
    fn an_uncoded_common_item_takes_its_place_under_its_section() {
        let rows = [
            ("201", Some("201"), "8295.28"),
            ("20105", Some("20105"), "8295.28"),
            ("行政运行", None, "6453.03"),
            ("2010505", Some("2010505"), "1031.05"),
            ("2010550", Some("2010550"), "811.20"),
        ];
        let mut tables = vec![table(&rows)];
        let repairs = by_place(&mut tables, Kind::Budget, &source(TextSource::Ocr));
        assert_eq!(tables[0].rows[2].code.as_deref(), Some("2010501"));
        assert_eq!(tables[0].rows[2].key, "2010501");
        assert_eq!(repairs.len(), 1);
        // Where the 款's figure does not take it, it keeps its name.
        let mut wrong = rows;
        wrong[2].2 = "6000.00";
        let mut tables = vec![table(&wrong)];
        assert!(by_place(&mut tables, Kind::Budget, &source(TextSource::Ocr)).is_empty());
        // Nor on a text layer.
        let mut tables = vec![table(&rows)];
        assert!(by_place(&mut tables, Kind::Budget, &source(TextSource::TextLayer)).is_empty());
    }
}
