//! The identity catalogue expanded into instances over the tables of one document, and an
//! instance measured: both sides, their difference and the rounding tolerance.

use rust_decimal::Decimal;

use super::catalogue::{
    AddendsFrom, Catalogue, CellSpec, ColumnSum, Relation, RowPair, RowSum, Rule, Shape, class_code,
};
use super::figures::{At, Figures, factor, tolerance};
use super::nesting;
use crate::label::label_key;
use crate::model::{ColumnRole, Side, Table, Unit};

/// One identity over concrete cells: Σ lhs = Σ rhs.
#[derive(Debug, Clone)]
pub struct Instance<'r> {
    pub rule: &'r Rule,
    pub lhs: Vec<At>,
    pub rhs: Vec<At>,
}

/// Expands every rule of the catalogue over the tables.
pub fn instances<'r>(catalogue: &'r Catalogue, tables: &[Table]) -> Vec<Instance<'r>> {
    let mut out = Vec::new();
    for rule in &catalogue.rules {
        let Some(t) = tables.iter().position(|x| x.id == rule.table) else { continue };
        if !rule.layouts.is_empty() && !rule.layouts.contains(&tables[t].layout) {
            continue;
        }
        match &rule.shape {
            Shape::Columns(sum) => columns(rule, sum, t, &tables[t], &mut out),
            Shape::Hierarchy => hierarchy(rule, t, &tables[t], &mut out),
            Shape::TotalRow { row } => total_row(rule, row.as_deref(), t, &tables[t], &mut out),
            Shape::Rows(sum) => rows(rule, sum, t, &tables[t], &mut out),
            Shape::Cells { lhs, rhs } => cells(rule, lhs, rhs, t, tables, &mut out),
            Shape::Classes(pair) => row_pairs(rule, pair, true, t, tables, &mut out),
            Shape::MatchingRows(pair) => row_pairs(rule, pair, false, t, tables, &mut out),
        }
    }
    // A table read transposed in blocks of figure kinds prints the kind 合计 (the total over
    // the blocks) for the items printed before them only (`“三公”经费合计 | 当年预算 / … |
    // 上年结转结余 / …`): another item has no 合计 figure, blank or not, to check.
    let unprinted = |at: &At| {
        let Some(r) = at.row else { return false };
        let row = &tables[at.table].rows[r];
        at.column == "合计"
            && read_transposed(&tables[at.table])
            && tables[at.table].columns.len() > 1
            && !row.cells.iter().any(|c| c.column == at.column)
    };
    out.retain(|i| !i.lhs.iter().chain(&i.rhs).any(unprinted));
    out
}

fn value_columns(table: &Table, side: Option<Side>, only: Option<&str>) -> Vec<String> {
    table
        .columns
        .iter()
        .filter(|c| c.role == ColumnRole::Value && (side.is_none() || c.side == side))
        .filter(|c| only.is_none_or(|o| c.key == label_key(o)))
        .map(|c| c.key.clone())
        .fold(Vec::new(), |mut keys, k| {
            // Side-by-side blocks repeat a column (决算数 | 决算数): one key.
            if !keys.contains(&k) {
                keys.push(k);
            }
            keys
        })
}

fn columns<'r>(rule: &'r Rule, sum: &ColumnSum, t: usize, table: &Table, out: &mut Vec<Instance<'r>>) {
    // A table printed in column blocks (`合计/一般公共预算`, `合计/政府性基金预算` …) holds the
    // identity once per sub-column: each block's sub-column is checked apart.
    let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
    for key in value_columns(table, sum.side, None) {
        let (item, sub) = key.split_once('/').map_or((key.as_str(), ""), |(i, s)| (i, s));
        match blocks.iter_mut().find(|(s, _)| s == sub) {
            Some((_, items)) => items.push(item.to_string()),
            None => blocks.push((sub.to_string(), vec![item.to_string()])),
        }
    }
    for (sub, present) in blocks {
        let full = |item: &str| if sub.is_empty() { item.to_string() } else { format!("{item}/{sub}") };
        columns_of(rule, sum, t, table, &present, &full, out);
    }
}

fn columns_of<'r>(
    rule: &'r Rule,
    sum: &ColumnSum,
    t: usize,
    table: &Table,
    present: &[String],
    full: &dyn Fn(&str) -> String,
    out: &mut Vec<Instance<'r>>,
) {
    let total = label_key(&sum.total);
    if !present.contains(&total) {
        return;
    }
    let mut addends: Vec<String> = sum.addends.iter().map(|a| label_key(a)).filter(|a| present.contains(a)).collect();
    let also: Vec<String> = sum.also.iter().map(|a| label_key(a)).collect();
    // Printed columns no template of the role knows (another province's set): the rule's
    // sum is incomplete. Where the total is the first figure column and no 小计 splits the
    // rest into groups, the total is the sum of every other column (the national templates'
    // shape); otherwise the rule cannot be read off this table and is not applied.
    let unknown =
        present.iter().any(|c| *c != total && !addends.contains(c) && !also.contains(c) && !known(&table.id, c));
    let complete = addends.len() == sum.addends.len();
    if unknown && !complete {
        let subtotal = present.iter().any(|c| c == "小计");
        if present.first() != Some(&total) || subtotal {
            return;
        }
        addends = present.iter().filter(|c| **c != total && !also.contains(c)).cloned().collect();
    }
    if addends.is_empty() {
        return; // none of the addends is printed: nothing to check the total against
    }
    for (r, row) in table.rows.iter().enumerate() {
        if sum.side.is_some() && row.side != sum.side {
            continue;
        }
        let also = sum.also.iter().map(|a| label_key(a)).filter(|a| present.contains(a));
        out.push(Instance {
            rule,
            lhs: std::iter::once(total.clone())
                .chain(also)
                .map(|c| At { table: t, row: Some(r), column: full(&c) })
                .collect(),
            rhs: addends.iter().map(|a| At { table: t, row: Some(r), column: full(a) }).collect(),
        });
    }
}

/// True when the table was read transposed (items as rows, figure kinds as columns: no
/// label column), not as printed lines per unit or year.
fn read_transposed(table: &Table) -> bool {
    table.columns.iter().all(|c| c.role == ColumnRole::Value)
        && crate::knowledge::templates::TEMPLATES
            .iter()
            .filter(|set| set.layout == table.layout)
            .flat_map(|set| set.tables.iter())
            .any(|t| t.id == table.id && t.transposed)
}

/// True when a template of the role `table` names the column `key`.
fn known(table: &str, key: &str) -> bool {
    crate::knowledge::templates::TEMPLATES
        .iter()
        .flat_map(|set| set.tables.iter())
        .filter(|t| t.id == table)
        .any(|t| t.columns.iter().any(|c| c.names(key)))
}

fn hierarchy<'r>(rule: &'r Rule, t: usize, table: &Table, out: &mut Vec<Instance<'r>>) {
    let coded: Vec<(usize, &str)> =
        table.rows.iter().enumerate().filter_map(|(i, r)| r.code.as_deref().map(|c| (i, c))).collect();
    let child_of = |c: &str, parent: &str| c.len() == parent.len() + 2 && c.starts_with(parent);
    for (k, &(p, parent)) in coded.iter().enumerate() {
        // The children printed right after the parent, up to the next row outside it: a
        // table listing several units repeats its codes, each unit's under its own parent.
        let mut children: Vec<usize> = coded[k + 1..]
            .iter()
            .take_while(|(_, c)| c.len() > parent.len() && c.starts_with(parent))
            .filter(|(_, c)| child_of(c, parent))
            .map(|(i, _)| *i)
            .filter(|&i| !crate::model::repeats_previous(&table.rows, i))
            .collect();
        // Children printed elsewhere (a table sorted by level) belong to a parent printed once.
        if children.is_empty() && coded.iter().filter(|(_, c)| *c == parent).count() == 1 {
            children = coded.iter().filter(|(_, c)| child_of(c, parent)).map(|(i, _)| *i).collect();
        }
        if children.is_empty() {
            continue;
        }
        for column in value_columns(table, None, None) {
            out.push(Instance {
                rule,
                lhs: vec![At { table: t, row: Some(p), column: column.clone() }],
                rhs: children.iter().map(|&c| At { table: t, row: Some(c), column: column.clone() }).collect(),
            });
        }
    }
}

fn total_row<'r>(rule: &'r Rule, row: Option<&str>, t: usize, table: &Table, out: &mut Vec<Instance<'r>>) {
    let key = label_key(row.unwrap_or("合计"));
    let Some(total) = table.rows.iter().position(|r| r.code.is_none() && r.key == key) else {
        return;
    };
    let classes: Vec<usize> =
        (0..table.rows.len()).filter(|&i| table.rows[i].code.as_deref().is_some_and(|c| c.len() == 3)).collect();
    if classes.is_empty() {
        return; // rows printed by name only: no class rows to add up
    }
    for column in value_columns(table, None, None) {
        out.push(Instance {
            rule,
            lhs: vec![At { table: t, row: Some(total), column: column.clone() }],
            rhs: classes.iter().map(|&c| At { table: t, row: Some(c), column: column.clone() }).collect(),
        });
    }
}

/// The first row of `side` (and `under`) whose key is one of the `|`-separated names; a
/// name given without `under` also finds a sub-row when no top-level row has it.
pub fn find_row(table: &Table, side: Option<Side>, names: &str, under: Option<&str>) -> Option<usize> {
    // A heading is printed under one of several names (`年初财政拨款结转和结余|上年结转`).
    let headings: Option<Vec<String>> = under.map(|u| u.split('|').map(row_name).collect());
    let wanted = |r: &crate::model::Row| match (&headings, &r.under) {
        (None, None) => true,
        (Some(names), Some(u)) => names.contains(&row_name(u)),
        _ => false,
    };
    // The names in order of preference: `本年收入合计|本年收入` takes the total row where one
    // is printed, the group's heading row only where it is not.
    // A name without a heading also finds a sub-row, but only when no name finds a top-level
    // row (`一般公共预算拨款|一般公共预算资金` takes the year's 资金 row, not the carried-over 拨款).
    let keys: Vec<String> = names.split('|').map(row_name).collect();
    let named = |r: &crate::model::Row, key: &String| (side.is_none() || r.side == side) && row_name(&r.key) == *key;
    keys.iter().find_map(|key| table.rows.iter().position(|r| named(r, key) && wanted(r))).or_else(|| {
        if headings.is_some() {
            return None;
        }
        keys.iter().find_map(|key| table.rows.iter().position(|r| named(r, key)))
    })
}

/// A row name as the rules compare it: `上年结余、结转` is `上年结转结余`.
fn row_name(name: &str) -> String {
    label_key(name).replace('、', "").replace("结余结转", "结转结余")
}

fn rows<'r>(rule: &'r Rule, sum: &RowSum, t: usize, table: &Table, out: &mut Vec<Instance<'r>>) {
    let Some(total) = find_row(table, sum.side, &sum.total, None) else {
        return;
    };
    let addends: Vec<Option<usize>> = match sum.addends_from {
        Some(AddendsFrom::Preceding) => {
            let rows: Vec<usize> =
                (0..total).filter(|&i| table.rows[i].side == sum.side && table.rows[i].under.is_none()).collect();
            // Classes printed with their 款 and 项 under them and no code (hierarchy by
            // indentation): the classes, known by their names, are the addends.
            let uncoded = table.rows.iter().all(|r| r.code.is_none());
            let class = |i: &usize| class_code(&table.rows[*i].key).is_some();
            if uncoded && rows.iter().any(class) && !rows.iter().all(class) {
                rows.into_iter().filter(class).map(Some).collect()
            } else {
                rows.into_iter().map(Some).collect()
            }
        }
        Some(AddendsFrom::Children) => {
            let heading = &table.rows[total].key;
            (total + 1..table.rows.len())
                .filter(|&i| table.rows[i].side == sum.side && table.rows[i].under.as_deref() == Some(heading.as_str()))
                .map(Some)
                .collect()
        }
        Some(AddendsFrom::After) => {
            let Some(first) = sum.addends.first().and_then(|a| find_row(table, sum.side, a, None)) else { return };
            (first..total)
                .filter(|&i| table.rows[i].side == sum.side && table.rows[i].under.is_none())
                .map(Some)
                .collect()
        }
        Some(AddendsFrom::Others) => (0..table.rows.len())
            .filter(|&i| i != total && table.rows[i].side == sum.side && table.rows[i].under.is_none())
            .map(Some)
            .collect(),
        None => sum.addends.iter().map(|a| find_row(table, sum.side, a, None)).collect(),
    };
    if addends.iter().all(Option::is_none) {
        return; // none of the parts is printed in this layout: nothing to check against
    }
    for column in value_columns(table, sum.side, sum.column.as_deref()) {
        // Items printed with their sub-items under them (财政拨款 then 一般公共预算 …; a class
        // then its 款 and 项): where the flat sum fails and the nesting the figures show holds,
        // the sum runs over the outermost items.
        let nested = match sum.addends_from {
            Some(AddendsFrom::Preceding | AddendsFrom::After) => {
                let rows: Vec<usize> = addends.iter().flatten().copied().collect();
                nesting::outermost(table, total, &rows, &column)
            }
            _ => None,
        };
        let rhs = match nested {
            Some(rows) => rows.into_iter().map(|r| At { table: t, row: Some(r), column: column.clone() }).collect(),
            None => addends.iter().map(|&r| At { table: t, row: r, column: column.clone() }).collect(),
        };
        out.push(Instance { rule, lhs: vec![At { table: t, row: Some(total), column: column.clone() }], rhs });
    }
}

fn cells<'r>(
    rule: &'r Rule,
    lhs: &[CellSpec],
    rhs: &[CellSpec],
    t: usize,
    tables: &[Table],
    out: &mut Vec<Instance<'r>>,
) {
    let resolve = |spec: &CellSpec| -> Option<At> {
        let ti = match &spec.table {
            Some(id) => tables.iter().position(|x| &x.id == id)?,
            None => t,
        };
        let row = find_row(&tables[ti], spec.side, &spec.row, spec.under.as_deref());
        Some(At { table: ti, row, column: label_key(&spec.column) })
    };
    let lhs: Option<Vec<At>> = lhs.iter().map(resolve).collect();
    let rhs: Option<Vec<At>> = rhs.iter().map(resolve).collect();
    // A side none of whose rows is printed cannot be checked (another layout's rows), nor
    // a cell of a column the table does not print (a total-only 支出 side has no
    // 一般公共预算 column to compare). A table printed empty (空表) prints every cell as
    // nothing: its side is zero, so a figure another table states for it is checked by
    // every identity that always holds (not by a warning's, which holds only for some
    // departments) — the figures of a table lost (a scan read as an empty table) never
    // pass in silence.
    let zero = |t: usize| tables[t].empty && rule.severity == crate::model::Severity::Error;
    let printed = |ats: &[At]| ats.iter().any(|a| a.row.is_some() || zero(a.table));
    let has_column = |a: &At| {
        let table = &tables[a.table];
        zero(a.table)
            || table.columns.iter().any(|c| c.key == a.column)
            || table.rows.iter().flat_map(|r| &r.cells).any(|c| c.column == a.column)
    };
    if let (Some(lhs), Some(rhs)) = (lhs, rhs)
        && printed(&lhs)
        && printed(&rhs)
        && lhs.iter().chain(&rhs).all(has_column)
    {
        out.push(Instance { rule, lhs, rhs });
    }
}

/// Row-by-row comparisons of two tables: `classes` pairs a summary's class rows (named)
/// with a coded table's rows by the class dictionary; `matching_rows` pairs rows by code.
fn row_pairs<'r>(
    rule: &'r Rule,
    pair: &RowPair,
    classes: bool,
    t: usize,
    tables: &[Table],
    out: &mut Vec<Instance<'r>>,
) {
    let RowPair { left, right } = pair;
    let l = left.table.as_ref().and_then(|id| tables.iter().position(|x| &x.id == id)).unwrap_or(t);
    let Some(r) = right.table.as_ref().and_then(|id| tables.iter().position(|x| &x.id == id)) else { return };
    // A table printed without codes, or without the column compared, cannot be paired.
    let has_column = |t: usize, column: &str| tables[t].columns.iter().any(|c| c.key == label_key(column));
    if !tables[r].rows.iter().any(|x| x.code.is_some()) || !has_column(l, &left.column) || !has_column(r, &right.column)
    {
        return;
    }
    for (i, row) in tables[l].rows.iter().enumerate() {
        if left.side.is_some() && row.side != left.side {
            continue;
        }
        let code = if classes { class_code(&row.key).map(str::to_string) } else { row.code.clone() };
        let Some(code) = code else { continue };
        let column = label_key(&right.column);
        let rhs: Vec<At> = match tables[r].rows.iter().position(|x| x.code.as_deref() == Some(code.as_str())) {
            Some(other) => vec![At { table: r, row: Some(other), column }],
            // A class the coded table prints only through its 款 or 项 rows (a table of
            // 项 alone): the class is the sum of its highest printed rows.
            None if classes => {
                let parts = highest_under(&tables[r], &code);
                if parts.is_empty() {
                    vec![At { table: r, row: None, column }]
                } else {
                    parts.into_iter().map(|p| At { table: r, row: Some(p), column: column.clone() }).collect()
                }
            }
            // A row one table prints and the other does not (another set of codes, such as
            // unit codes keying a 收入总表 by unit): nothing to compare.
            None => continue,
        };
        out.push(Instance { rule, lhs: vec![At { table: l, row: Some(i), column: label_key(&left.column) }], rhs });
    }
}

/// The rows under the class `code` that no other printed row under it contains.
fn highest_under(table: &Table, code: &str) -> Vec<usize> {
    let under: Vec<(usize, &str)> = table
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.code.as_deref().filter(|c| c.len() > code.len() && c.starts_with(code)).map(|c| (i, c)))
        .collect();
    under
        .iter()
        .filter(|(_, c)| !under.iter().any(|(_, other)| other.len() < c.len() && c.starts_with(other)))
        .map(|&(i, _)| i)
        .collect()
}

/// An identity instance measured: both sides, their difference and the tolerance.
pub struct Measure {
    pub actual: Decimal,
    pub expected: Decimal,
    pub difference: Decimal,
    pub tolerance: Decimal,
    /// Figures of different units were compared in 元.
    pub mixed: bool,
}

impl Measure {
    /// Exactly as printed (or, for `>=`, not below).
    pub fn exact(&self, relation: Relation) -> bool {
        match relation {
            Relation::Equal => self.difference.is_zero(),
            Relation::AtLeast => self.difference >= Decimal::ZERO,
        }
    }

    /// Within rounding.
    pub fn holds(&self, relation: Relation) -> bool {
        self.exact(relation) || self.difference.abs() <= self.tolerance
    }
}

/// Measures an instance; `None` when a cell is unreadable or every cell is blank.
pub fn measure(figures: &Figures, instance: &Instance, unit: Option<Unit>) -> Option<Measure> {
    let tables = figures.tables;
    let read = |ats: &[At]| -> Option<Vec<(Option<Decimal>, Decimal)>> {
        ats.iter().map(|a| figures.value(a).ok().map(|v| (v, factor(tables, a, unit)))).collect()
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
        tolerance(&figures, figures.len().saturating_sub(1))
    };
    let sum = |side: &[(Option<Decimal>, Decimal)]| -> Decimal {
        side.iter().map(|(v, f)| v.unwrap_or_default() * if mixed { *f } else { Decimal::ONE }).sum()
    };
    let (actual, expected) = (sum(&lhs), sum(&rhs));
    Some(Measure { actual, expected, difference: actual - expected, tolerance, mixed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::identities::CATALOGUES;
    use crate::knowledge::templates::{TEMPLATES, TableTemplate};

    #[test]
    fn catalogues_load_and_name_template_tables_and_columns() {
        for cat in CATALOGUES.iter() {
            for rule in &cat.rules {
                // The templates the rule can meet: its layouts', or every layout's.
                let tables: Vec<_> = TEMPLATES
                    .iter()
                    .filter(|s| s.kind == cat.kind && (rule.layouts.is_empty() || rule.layouts.contains(&s.layout)))
                    .flat_map(|s| s.tables.iter())
                    .filter(|t| t.id == rule.table)
                    .collect();
                assert!(!tables.is_empty(), "{}: unknown table {} for its layouts", rule.id, rule.table);
                // A transposed table's facts have one column: the figure's kind.
                let names = |t: &TableTemplate, c: &str| {
                    t.columns.iter().any(|col| col.names(&label_key(c)))
                        || (t.transposed && t.figure.as_deref().map(label_key) == Some(label_key(c)))
                };
                let known = |c: &str| tables.iter().any(|t| names(t, c));
                // A column printed beyond the template keeps its printed label: a rule may name
                // one the measure vocabulary knows (人员经费 beside a template's 基本支出).
                let measured = |table: &str, c: &str| {
                    crate::knowledge::vocabulary::measure(Some(cat.kind), table, &label_key(c)).is_some()
                };
                // Cells of other tables are checked against those tables' templates.
                let known_in = |spec: &CellSpec| match &spec.table {
                    None => known(&spec.column) || measured(&rule.table, &spec.column),
                    Some(other) => {
                        measured(other, &spec.column)
                            || TEMPLATES.iter().filter(|s| s.kind == cat.kind).flat_map(|s| s.tables.iter()).any(|t| {
                                &t.id == other
                                    && (rule.layouts.is_empty() || rule.layouts.contains(&t.layout))
                                    && names(t, &spec.column)
                            })
                    }
                };
                if let Shape::Columns(sum) = &rule.shape {
                    for c in std::iter::once(&sum.total).chain(&sum.addends) {
                        assert!(
                            known(c) || measured(&rule.table, c),
                            "{}: column {c} not in any {} template nor a measure",
                            rule.id,
                            rule.table
                        );
                    }
                }
                let specs: Vec<&CellSpec> = match &rule.shape {
                    Shape::Cells { lhs, rhs } => lhs.iter().chain(rhs).collect(),
                    Shape::Classes(p) | Shape::MatchingRows(p) => vec![&p.left, &p.right],
                    _ => vec![],
                };
                for spec in specs {
                    assert!(
                        known_in(spec),
                        "{}: column {} not in its table's template nor a measure",
                        rule.id,
                        spec.column
                    );
                }
                assert!(!rule.zh.is_empty() && !rule.en.is_empty(), "{} is described", rule.id);
            }
        }
    }
}
