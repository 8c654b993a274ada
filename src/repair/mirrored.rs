//! A transposed table printed in blocks of one figure kind each (`当年预算 / 小计 |
//! 因公出国(境)费 | … | 上年结转结余 / 小计 | 因公出国(境)费 | …`) prints one list of items in
//! every block. A name OCR garbled in one block (`国会国出(境)费`) is the name printed at its
//! place in another (`block-mirror`), where the blocks print as many items and name alike
//! every place both name.

use crate::knowledge::templates::TableTemplate;
use crate::label::label_key;
use crate::layout::Block;
use crate::model::{Column, ColumnRole, Location};

use super::grid::Log;
use super::printed::TOTALS;

/// Renames each figure column whose name neither the template nor the vocabulary knows
/// after the column at its place in another block, keeping its own figure kind.
pub fn names_across_blocks(block: &Block, columns: &mut [Column], log: &mut Log) {
    let template = block.template;
    if !template.transposed {
        return;
    }
    let mut blocks: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        let Some(figure) = column.figure.clone().filter(|_| column.role == ColumnRole::Value) else { continue };
        match blocks.iter_mut().find(|(f, _)| *f == figure) {
            Some((_, members)) => members.push(i),
            None => blocks.push((figure, vec![i])),
        }
    }
    let line = block.segments.iter().find_map(|s| s.header.last()).unwrap_or(&block.title);
    let at = |column: &Column| Location {
        page: line.page,
        line: line.number,
        table: Some(template.id.clone()),
        row: Some(label_key(&column.label)),
        column: column.figure.as_deref().map(label_key),
    };
    // A name OCR read one character off the template's (`公务接待旨`, `公务接待`): keyed by
    // the template's column, it would key its row as printed; it is the template's name.
    if super::printed::ocr_header(block) {
        for column in columns.iter_mut().filter(|c| c.role == ColumnRole::Value && !knows(template, c)) {
            if let Some(named) = template.columns.iter().find(|c| c.names(&column.key)) {
                let raw = std::mem::replace(&mut column.label, named.label.clone());
                log.record(at(column), "header-template-name", &raw, &column.label);
            }
        }
    }
    let known: Vec<bool> = columns.iter().map(|c| knows(template, c)).collect();
    let mut renamed: Vec<(usize, usize)> = Vec::new();
    for (a, (_, one)) in blocks.iter().enumerate() {
        for (_, other) in blocks.iter().skip(a + 1) {
            if one.len() != other.len() || one.len() < 2 {
                continue;
            }
            let pairs: Vec<(usize, usize)> = one.iter().copied().zip(other.iter().copied()).collect();
            let both: Vec<&(usize, usize)> = pairs.iter().filter(|&&(i, j)| known[i] && known[j]).collect();
            let alike = both.iter().all(|&&(i, j)| same_name(&columns[i], &columns[j]));
            if !alike || both.len() < 2 {
                continue;
            }
            for &(i, j) in &pairs {
                let free = |k: usize| !renamed.iter().any(|&(to, _)| to == k);
                let (a, b) = (label_key(&columns[i].label), label_key(&columns[j].label));
                match (known[i], known[j]) {
                    (true, false) if free(j) => renamed.push((j, i)),
                    (false, true) if free(i) => renamed.push((i, j)),
                    // Both names of the item, printed otherwise (`公务用车运行费 | 运行费`):
                    // OCR lost the upper lines of one wrapped name; the longer is printed.
                    (true, true) if a != b && columns[i].key == columns[j].key => {
                        let (to, from) = if a.chars().count() < b.chars().count() { (i, j) } else { (j, i) };
                        if free(to) && a.chars().count() != b.chars().count() {
                            renamed.push((to, from));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for (to, from) in renamed {
        let raw = columns[to].label.clone();
        let figure = columns[to].figure.clone();
        columns[to] = Column { figure, ..columns[from].clone() };
        log.record(at(&columns[to]), "block-mirror", &raw, &columns[to].label);
    }
}

/// True when a column's printed name is the template's, the vocabulary's or a total's (not
/// only near one: `公务接待旨` keys the template's column, yet would key its row as printed).
fn knows(template: &TableTemplate, column: &Column) -> bool {
    let key = label_key(&column.label);
    TOTALS.contains(&key.as_str())
        || template.columns.iter().any(|c| c.names(&key))
        || crate::knowledge::vocabulary::item(None, &template.id, &key).is_some()
}

/// True when two columns are one item's (a 小计 by the group printed over it).
fn same_name(a: &Column, b: &Column) -> bool {
    let group = |c: &Column| c.group.as_deref().map(label_key);
    a.key == b.key && group(a) == group(b) && a.under == b.under
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::templates::TEMPLATES;
    use crate::testing::line;

    /// A figure column under `figure` printed `label` (the template's key where it names one).
    fn column(template: &TableTemplate, label: &str, figure: &str, under: Option<&str>) -> Column {
        let mut c = match template.columns.iter().find(|c| c.names(&label_key(label))) {
            Some(t) => super::super::printed::as_printed(t.column(None), label),
            None => Column::own(label_key(label), label, ColumnRole::Value, None),
        };
        c.figure = Some(figure.to_string());
        c.under = under.map(str::to_string);
        c
    }

    #[test]
    fn a_name_garbled_in_one_block_is_the_one_at_its_place_in_the_other() {
        let template = TEMPLATES[1].tables.iter().find(|t| t.id == "three_public" && t.transposed).expect("template");
        let block = Block {
            template,
            title: line(1, "title"),
            title_variant: None,
            segments: vec![],
            notes: vec![],
            unit: None,
            aligned: false,
        };
        let vehicles = Some("公务用车购置及运行费");
        let mut columns = vec![
            column(template, "因公出国(境)费", "当年预算", None),
            column(template, "购置费", "当年预算", vehicles),
            column(template, "公务用车运行费", "当年预算", vehicles),
            column(template, "公务拉竺要", "当年预算", vehicles),
            column(template, "国会国出(境)费", "上年结转结余", None),
            column(template, "购置费", "上年结转结余", vehicles),
            column(template, "运行费", "上年结转结余", vehicles),
            column(template, "公务接待费", "上年结转结余", None),
        ];
        let mut log = Log::default();
        names_across_blocks(&block, &mut columns, &mut log);
        let labels: Vec<&str> = columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "因公出国(境)费",
                "购置费",
                "公务用车运行费",
                "公务接待费",
                "因公出国(境)费",
                "购置费",
                "公务用车运行费",
                "公务接待费"
            ]
        );
        // Each keeps its own figure kind, and takes the other's place in the items.
        assert_eq!(columns[4].figure.as_deref(), Some("上年结转结余"));
        assert_eq!(columns[3].under, None);
        assert_eq!(log.repairs.iter().filter(|r| r.rule == "block-mirror").count(), 3);
        // Blocks that do not repeat one list (a place both name, named otherwise) are left.
        let mut columns = vec![
            column(template, "因公出国(境)费", "当年预算", None),
            column(template, "购置费", "当年预算", vehicles),
            column(template, "公务拉竺要", "当年预算", None),
            column(template, "公务接待费", "上年结转结余", None),
            column(template, "购置费", "上年结转结余", vehicles),
            column(template, "国会国出(境)费", "上年结转结余", None),
        ];
        let mut log = Log::default();
        names_across_blocks(&block, &mut columns, &mut log);
        assert!(log.repairs.is_empty());
    }
}
