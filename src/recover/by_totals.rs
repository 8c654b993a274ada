//! A figure column OCR left without a name it knows, named by the figure its total row
//! prints (`header-cross-table`). The items a summary prints on its income side are the
//! columns of the income table at its 合计 row (`data/vocabulary/items.toml`: an item that is
//! also a measure has the measure's id: 一般公共预算拨款收入 on the summary is the income
//! table's column of that name at 合计). Where OCR kept only the end of a column's name (`收入`,
//! `款收入`: the wrapped header's upper lines lost), the one income item of a two-sided table
//! whose figure the column's total row prints (not zero: many print zero), and that is a
//! measure of this table no other column has, names it. The name is that measure's first
//! name that ends as the column's read name does (`收入` → 一般公共预算拨款收入), else its first.
//! So is a column no header word was read over, which the template named by its place
//! (`Column::by_place`: 小计 | 财政拨款收入 | … where the document prints 一般公共预算拨款收入 |
//! 政府性基金预算拨款收入 | …), by the measure's `unread` name there; never the table's total.
//! Never on a text layer.

use rust_decimal::Decimal;

use crate::knowledge::vocabulary::{ITEMS, MEASURES, item};
use crate::model::{
    ColumnRole, Finding, FindingKind, Kind, Location, Place, Repair, Severity, Side, Source, Table, TextSource,
};

/// Names the columns no vocabulary knows by the item whose figure their total row prints,
/// each with a `column_named_by_total` warning.
pub fn name(tables: &mut [Table], kind: Option<Kind>, source: &Source) -> (Vec<Repair>, Vec<Finding>) {
    let (mut repairs, mut findings) = (Vec::new(), Vec::new());
    if source.text_source == TextSource::TextLayer {
        return (repairs, findings);
    }
    // (item id, figure) of every income item of a two-sided table.
    let items: Vec<(String, Decimal)> = tables
        .iter()
        .flat_map(|t| t.rows.iter().filter(|r| r.side == Some(Side::Income)).map(move |r| (t, r)))
        .filter_map(|(t, r)| Some((item(kind, &t.id, &r.key)?.to_string(), r)))
        .flat_map(|(id, r)| r.cells.iter().filter_map(move |c| Some((id.clone(), c.value?))))
        .collect();
    for table in tables.iter_mut() {
        if table.pages.iter().all(|&p| source.page_source(p) == TextSource::TextLayer) {
            continue;
        }
        let Some(total) = total_row(table, kind) else { continue };
        // The measures the table's names mean (once: the vocabulary's names per table).
        let measures: std::collections::BTreeSet<&str> =
            MEASURES.names(kind, &table.id).into_iter().filter_map(|n| MEASURES.lookup(kind, &table.id, n)).collect();
        // Each column's (column, item id, its total's figure): a name no vocabulary knows, or
        // the template's at its place where no header word was read over it.
        let placed: Vec<Vec<Option<usize>>> = table.rows.iter().map(|r| placed(&table.columns, r)).collect();
        let mut found: Vec<(usize, &str, Decimal)> = Vec::new();
        for c in 0..table.columns.len() {
            let column = &table.columns[c];
            let measure = MEASURES.lookup(kind, &table.id, &column.key);
            let known = measure.is_some() || ITEMS.knows(&column.key);
            // (The table's total by its place is its total, whatever item it equals.)
            let by_place = column.by_place && measure != Some("total");
            if column.role != ColumnRole::Value || (known && !by_place) || column.side.is_some() {
                continue;
            }
            // A name read over two columns (`收入` | … | `收入`): a row's cell of it is the
            // column its place among the row's cells allows, or none; where one row's could be
            // either, neither is named (a figure must not pass into the other's name).
            let undecided =
                table.rows.iter().zip(&placed).any(|(row, at)| {
                    row.cells.iter().zip(at).any(|(cell, at)| cell.column == column.key && at.is_none())
                });
            if undecided {
                continue;
            }
            let of_total = placed[total].iter().position(|&at| at == Some(c));
            let cell = of_total.map(|i| &table.rows[total].cells[i]);
            let Some(figure) = cell.and_then(|cell| cell.value).filter(|v| !v.is_zero()) else { continue };
            let mut ids: Vec<&str> = items
                .iter()
                .filter(|(id, v)| *v == figure && measures.contains(id.as_str()))
                .map(|(id, _)| id.as_str())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let [id] = ids.as_slice() else { continue };
            if measure != Some(*id) {
                found.push((c, id, figure));
            }
        }
        // An item names one column, and none that keeps its name has it already.
        let named_by: Vec<(usize, &str, Decimal)> = found
            .iter()
            .filter(|(c, id, _)| {
                let once = found.iter().filter(|f| f.1 == *id).count() == 1;
                let renamed = |o: usize| found.iter().any(|f| f.0 == o);
                let taken =
                    table.columns.iter().enumerate().any(|(o, col)| {
                        o != *c && !renamed(o) && MEASURES.lookup(kind, &table.id, &col.key) == Some(*id)
                    });
                once && !taken
            })
            .copied()
            .collect();
        for (c, id, figure) in named_by {
            let column = &table.columns[c];
            let read = if column.by_place { "" } else { column.key.as_str() };
            let Some(name) = name_of(kind, &table.id, id, read) else { continue };
            let raw = std::mem::replace(&mut table.columns[c].key, name.clone());
            table.columns[c].label.clone_from(&name);
            for (row, at) in table.rows.iter_mut().zip(&placed) {
                for (cell, _) in row.cells.iter_mut().zip(at).filter(|(_, at)| **at == Some(c)) {
                    cell.column.clone_from(&name);
                }
            }
            let location = Location::in_row(&table.id, &table.rows[total], Some(&name));
            let place = Place {
                table: Some(table.id.clone()),
                column: Some(name.clone()),
                page: Some(table.rows[total].page),
                ..Place::default()
            };
            findings.push(Finding::located(
                Severity::Warning,
                FindingKind::ColumnNamedByTotal,
                place,
                format!(
                    "{}: column {raw:?} (OCR lost its name) is named {name} by its total row's figure {figure}, an income item's of a summary: its other figures are where the rows' figures fell, under no printed name",
                    table.id
                ),
            ));
            repairs.push(Repair { location, rule: "header-cross-table".to_string(), raw, repaired: name });
        }
    }
    (repairs, findings)
}

/// The column of each of a row's cells (kept in column order, blanks left out): the one its
/// key and place among the others allow, `None` where two columns of its key could hold it.
pub(super) fn placed(columns: &[crate::model::Column], row: &crate::model::Row) -> Vec<Option<usize>> {
    let n = row.cells.len();
    let (mut earliest, mut latest) = (vec![None; n], vec![None; n]);
    let mut next = 0;
    for (i, cell) in row.cells.iter().enumerate() {
        earliest[i] = (next..columns.len()).find(|&k| columns[k].key == cell.column);
        next = earliest[i].map_or(next, |k| k + 1);
    }
    let mut before = columns.len();
    for (i, cell) in row.cells.iter().enumerate().rev() {
        latest[i] = (0..before).rev().find(|&k| columns[k].key == cell.column);
        before = latest[i].unwrap_or(before);
    }
    earliest.into_iter().zip(latest).map(|(a, b)| if a == b { a } else { None }).collect()
}

/// The table's total row: the row its vocabulary reads as the total (合计), else its first
/// row where it has no code and the rows after it mostly have theirs (a 合计 OCR garbled,
/// `会一计`, over the coded rows).
fn total_row(table: &Table, kind: Option<Kind>) -> Option<usize> {
    let named = table.rows.iter().position(|r| item(kind, &table.id, &r.key) == Some("total"));
    let coded = table.rows.iter().skip(1).filter(|r| r.code.is_some()).count();
    let first = table.rows.first().filter(|r| r.code.is_none() && coded * 2 > table.rows.len()).map(|_| 0);
    named.or(first)
}

/// The measure `id`'s first name in `table` that ends as `read` does, else (nothing read)
/// the name the vocabulary gives its column there where the printed one is unread, else its
/// first.
fn name_of(kind: Option<Kind>, table: &str, id: &str, read: &str) -> Option<String> {
    let entry = MEASURES.entries.iter().find(|e| e.id == id)?;
    if let Some(name) = entry.unread.get(table).filter(|_| read.is_empty()) {
        return Some(crate::label::label_key(name));
    }
    let names: Vec<&String> = entry
        .in_tables
        .get(table)
        .into_iter()
        .flatten()
        .chain(&entry.names)
        .filter(|n| MEASURES.lookup(kind, table, &crate::label::label_key(n)) == Some(id))
        .collect();
    names.iter().find(|n| !read.is_empty() && n.ends_with(read)).or(names.first()).map(|n| crate::label::label_key(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{cell, source, table};

    fn value_column(key: &str) -> crate::model::Column {
        crate::model::Column::own(key.into(), key, ColumnRole::Value, None)
    }

    #[test]
    fn a_column_whose_name_ocr_lost_is_the_item_its_total_prints() {
        // 重庆's income table as tesseract read it: only the wrapped names' last line, `收入`
        // twice among them.
        let items = ["一、一般公共预算资金", "五、事业收入资金", "二、政府性基金预算资金", "九、其他收入资金"];
        let mut summary =
            table("summary", &items, |i| vec![cell("预算数", ["12672.73", "388.00", "0.00", "1130.00"][i])]);
        for row in &mut summary.rows {
            row.side = Some(Side::Income);
            row.key = crate::label::label_key(&row.label);
        }
        let income_of = |second: Vec<crate::model::Cell>| {
            let mut income = table("income", &["合计", "208"], |i| {
                if i == 0 {
                    let figures = [
                        ("合计", "14190.73"),
                        ("收入", "12672.73"),
                        ("款收入", "0.00"),
                        ("EEC收入", "388.00"),
                        ("收入", "1130.00"),
                    ];
                    figures.iter().map(|(c, v)| cell(c, v)).collect()
                } else {
                    second.clone()
                }
            });
            income.rows[1].code = Some("208".into());
            income.columns = ["合计", "收入", "款收入", "EEC收入", "收入"].into_iter().map(value_column).collect();
            income
        };
        // Row 208 prints its `收入` before its `EEC收入`: the first 收入's.
        let decided = vec![cell("合计", "120.17"), cell("收入", "82.51"), cell("EEC收入", "37.66")];
        let mut tables = vec![summary.clone(), income_of(decided)];
        let (repairs, findings) = name(&mut tables, Some(Kind::Budget), &source(TextSource::Ocr));
        let keys: Vec<&str> = tables[1].columns.iter().map(|c| c.key.as_str()).collect();
        // A zero names nothing (many columns print it).
        assert_eq!(keys, ["合计", "一般公共预算拨款收入", "款收入", "事业收入", "其他收入"]);
        assert!(repairs.iter().all(|r| r.rule == "header-cross-table"));
        assert_eq!(findings.len(), repairs.len());
        assert!(findings.iter().all(|f| f.kind == FindingKind::ColumnNamedByTotal));
        assert_eq!(tables[1].rows[1].cells[1].column, "一般公共预算拨款收入");
        // A row whose one `收入` could be either's: neither is named by the total.
        let either = vec![cell("合计", "82.51"), cell("收入", "82.51")];
        let mut tables = vec![summary.clone(), income_of(either)];
        name(&mut tables, Some(Kind::Budget), &source(TextSource::Ocr));
        let keys: Vec<&str> = tables[1].columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["合计", "收入", "款收入", "事业收入", "收入"]);
        // On a text layer, what is printed stands.
        let mut tables = vec![summary, income_of(Vec::new())];
        assert!(name(&mut tables, Some(Kind::Budget), &source(TextSource::TextLayer)).0.is_empty());
    }

    #[test]
    fn columns_named_by_their_place_under_a_lost_header_are_the_items_their_totals_print() {
        // 重庆's income table as tesseract's TSV read it: no header word over a figure column,
        // so the template's names at their places (小计 | 财政拨款收入 | 财政专户收入 | 事业收入)
        // — the summary's items say what each column is.
        let items = [
            "一、一般公共预算资金",
            "二、政府性基金预算资金",
            "四、财政专户管理资金",
            "五、事业收入资金",
            "九、其他收入资金",
        ];
        let figures = ["12672.73", "579.89", "0.00", "388.00", "1130.00"];
        let mut summary = table("summary", &items, |i| vec![cell("预算数", figures[i])]);
        for row in &mut summary.rows {
            row.side = Some(Side::Income);
            row.key = crate::label::label_key(&row.label);
        }
        let keys = ["合计", "小计", "财政拨款收入", "财政专户收入", "事业收入"];
        let totals = ["14770.62", "12672.73", "579.89", "388.00", "1130.00"];
        let mut income = table("income", &["合计"], |_| keys.iter().zip(totals).map(|(k, v)| cell(k, v)).collect());
        income.columns = keys.into_iter().map(value_column).collect();
        for column in &mut income.columns {
            column.by_place = true;
        }
        let mut tables = vec![summary.clone(), income.clone()];
        let (repairs, _) = name(&mut tables, Some(Kind::Budget), &source(TextSource::Ocr));
        let keys: Vec<&str> = tables[1].columns.iter().map(|c| c.key.as_str()).collect();
        // The table's total stays its total; 事业收入 passes to the next column as 其他收入 takes it.
        assert_eq!(keys, ["合计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "其他收入"]);
        assert_eq!(repairs.len(), 4);
        // Printed over them, the names stand.
        let mut printed = income;
        printed.columns.iter_mut().for_each(|c| c.by_place = false);
        let mut tables = vec![summary, printed];
        assert!(name(&mut tables, Some(Kind::Budget), &source(TextSource::Ocr)).0.is_empty());
    }
}
