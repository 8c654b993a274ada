//! Columns printed again under a second heading (`当年预算 | 上年结转结余`, each over
//! `小计 | 基本支出 | 项目支出`; `本年收入 | 上年结转`, each over `一般公共预算资金`): the same
//! leaf names two figures of a row. Each block's columns carry the heading they are printed
//! under as their `path` (facts then carry it as `under`), and a name printed again is keyed
//! `heading/name`, so that every figure of a row keeps a key of its own and the identities,
//! written against the template's names, read the first block only (as printed, not a
//! guess at which of two the name means).

use super::grid::Log;
use super::printed::{TOTALS, header_lines};
use crate::knowledge::vocabulary;
use crate::label::{label_key, within_one_edit};
use crate::layout::Block;
use crate::model::{Column, ColumnRole, Finding, FindingKind, Location, Severity};

/// Gives the columns of a table printing names again under headings their heading paths
/// and the repeats keys of their own. `positions[i]` is where `columns[i]` is printed. A
/// name printed twice under no heading read is reported: its figures are keyed alike.
pub fn under_headings(block: &Block, columns: &mut [Column], positions: &[usize], log: &mut Log) {
    if block.template.transposed || positions.len() != columns.len() {
        return;
    }
    let twice = repeats(columns, printed);
    if twice.is_empty() || headed(block, columns, positions, log) {
        return;
    }
    // One finding per name, on its column: each of them keys two figures of a row alike.
    let id = &block.template.id;
    for (_, again) in twice {
        let mut f = Finding::new(
            Severity::Warning,
            FindingKind::ColumnRepeated,
            format!(
                "{id}: {} printed over two columns of figures, and no heading read over them tells them apart: the figures of each are keyed alike",
                columns[again].label
            ),
        );
        f.table = Some(id.clone());
        f.column = Some(columns[again].key.clone());
        f.page = Some(block.title.page);
        log.findings.push(f);
    }
}

/// Whether headings tell the names printed twice apart: then each block's columns are
/// given them.
fn headed(block: &Block, columns: &mut [Column], positions: &[usize], log: &mut Log) -> bool {
    let words = words_by_position(block);
    let above = |columns: &[Column], i: usize| {
        above_leaf(words.get(positions[i]).map_or(&[][..], Vec::as_slice), &columns[i].label)
    };
    // A block begins where a heading is printed over its total (`上年结转结余 / 小计`), on the
    // header's topmost line of such headings; two at least, each its own.
    // (Or where OCR garbled the total under a heading the vocabulary knows, `当年预算 / 人`.)
    let table = &block.template.id;
    let starts: Vec<(usize, usize, String)> = (0..columns.len())
        .filter(|&i| columns[i].role == ColumnRole::Value)
        .filter_map(|i| {
            let pieces = words.get(positions[i]).map_or(&[][..], Vec::as_slice);
            let over_total = above(columns, i).filter(|_| total(&columns[i]));
            let known = || {
                let [(line, first), _, ..] = pieces else { return None };
                // (Not a name wrapped over two lines that is a measure whole: `上年结转 / 结余`.)
                if vocabulary::measure(None, table, &label_key(&columns[i].label)).is_some() {
                    return None;
                }
                let key = label_key(first);
                vocabulary::measure(None, table, &key).is_some().then_some((*line, key))
            };
            over_total.or_else(known).map(|(line, heading)| (i, line, named(table, heading)))
        })
        .collect();
    let starts = if starts.len() >= 2 { starts } else { twin_starts(table, columns, positions, &words) };
    let Some(top) = starts.iter().map(|(_, line, _)| *line).min() else { return false };
    let starts: Vec<(usize, String)> =
        starts.into_iter().filter(|(_, line, _)| *line == top).map(|(i, _, heading)| (i, heading)).collect();
    let distinct = starts.iter().enumerate().all(|(k, (_, h))| starts[..k].iter().all(|(_, g)| g != h));
    if starts.len() < 2 || !distinct {
        return false;
    }
    // A block's first column under a word no name is (`计`, `人`: its 小计 garbled) where
    // another block's prints a total: that total.
    if let Some(printed_total) = starts.iter().map(|&(i, _)| &columns[i]).find(|c| total(c)).map(|c| c.label.clone()) {
        for &(i, _) in &starts {
            let column = &columns[i];
            if total(column)
                || crate::knowledge::templates::is_column_name(&column.key)
                || vocabulary::is_known(&column.key)
            {
                continue;
            }
            let raw = std::mem::replace(&mut columns[i].label, printed_total.clone());
            columns[i].key = label_key(&printed_total);
            let at = Location {
                page: block.title.page,
                line: block.title.number,
                table: Some(table.clone()),
                row: None,
                column: Some(printed_total.clone()),
            };
            log.record(at, "header-block-total", &raw, &printed_total);
        }
    }
    // Every name keyed twice must be printed in a later block than its first: else the
    // headings found are not what tells the repeats apart.
    let block_of = |i: usize| starts.iter().rposition(|(s, _)| *s <= i);
    let repeated = repeats(columns, |c| c.key.clone());
    if repeated.iter().any(|&(first, again)| block_of(again).is_none() || block_of(again) == block_of(first)) {
        return false;
    }
    // The printed headings are the path of every figure column (one before the first block,
    // the table's 合计, is under none, whatever the template's path).
    let paths: Vec<Option<Vec<String>>> = (0..columns.len())
        .map(|i| {
            (columns[i].role == ColumnRole::Value).then(|| {
                block_of(i).map_or_else(Vec::new, |b| {
                    let (start, heading) = starts[b].clone();
                    // A name of its own over a total inside the block (`基本支出 / 小计`): under both.
                    let inner = above(columns, i).map(|(_, h)| h).filter(|_| i != start && total(&columns[i]));
                    std::iter::once(heading).chain(inner).collect()
                })
            })
        })
        .collect();
    for (i, path) in paths.into_iter().enumerate() {
        if let Some(path) = path {
            columns[i].path = path;
        }
    }
    // A name printed again keys its figures with its headings (the identities, written
    // against the template's names, read the first).
    for (_, again) in repeated {
        let column = &mut columns[again];
        column.key = format!("{}/{}", column.path.join("/"), label_key(&column.label));
    }
    true
}

/// Where no heading is read over a block's total (OCR text gives a heading's box, centred
/// over its block: `当年预算` over 基本支出, not over 小计): the blocks begin at the first
/// name printed twice and where it is printed again, and each is under the one heading the
/// measures know that its columns' positions print, no name of its own columns. As
/// [`headed`]'s starts: (column, header line, heading); none unless both blocks have theirs.
fn twin_starts(
    table: &str,
    columns: &[Column],
    positions: &[usize],
    words: &[Vec<(usize, String)>],
) -> Vec<(usize, usize, String)> {
    let repeated = repeats(columns, printed);
    let (Some(first), Some(again)) = (repeated.iter().map(|p| p.0).min(), repeated.iter().map(|p| p.1).min()) else {
        return Vec::new();
    };
    let heading_of = |from: usize, to: usize| {
        let own: Vec<String> = columns[from..to].iter().map(printed).collect();
        let mut found: Vec<(usize, String)> = (from..to)
            .filter(|&i| columns[i].role == ColumnRole::Value)
            .flat_map(|i| words.get(positions[i]).map_or(&[][..], Vec::as_slice))
            .map(|(line, word)| (*line, label_key(word)))
            .filter(|(_, key)| vocabulary::measure(None, table, key).is_some() && !own.contains(key))
            .collect();
        found.dedup();
        match &found[..] {
            [(line, key)] => Some((from, *line, named(table, key.clone()))),
            _ => None,
        }
    };
    match (heading_of(first, again), heading_of(again, columns.len())) {
        (Some(a), Some(b)) => vec![a, b],
        _ => Vec::new(),
    }
}

/// A heading as the measure vocabulary names it where OCR read it short of its last
/// character (`上年结转结`) or a character off: the one name it nearly is; else as read.
fn named(table: &str, heading: String) -> String {
    if vocabulary::measure(None, table, &heading).is_some() || heading.chars().count() < 4 {
        return heading;
    }
    let length = heading.chars().count();
    let names = vocabulary::MEASURES.names(None, table);
    // Its end lost (every character read kept) before a character misread or read extra.
    let short: Vec<&str> =
        names.iter().copied().filter(|n| n.starts_with(&heading) && n.chars().count() == length + 1).collect();
    let near: Vec<&str> =
        names.iter().copied().filter(|n| n.chars().count() >= 4 && within_one_edit(&heading, n)).collect();
    match (&short[..], &near[..]) {
        ([one], _) | ([], [one]) => (*one).to_string(),
        _ => heading,
    }
}

/// Whether a column is printed under a total's name (`小计`).
fn total(column: &Column) -> bool {
    TOTALS.contains(&label_key(&column.label).as_str())
}

/// A column's name as printed (its leaf).
fn printed(column: &Column) -> String {
    label_key(&column.label)
}

/// Pairs (first, again) of value columns whose name (per side) is printed again: `again`
/// the later one.
fn repeats(columns: &[Column], key: impl Fn(&Column) -> String) -> Vec<(usize, usize)> {
    // (Side-by-side blocks of a template, `人员经费 | 公用经费` each with its 决算数, are
    // told apart by their block.)
    let name = |c: &Column| (c.side, c.block, key(c));
    (0..columns.len())
        .filter(|&i| columns[i].role == ColumnRole::Value)
        .filter_map(|i| {
            let first =
                (0..i).find(|&j| columns[j].role == ColumnRole::Value && name(&columns[j]) == name(&columns[i]))?;
            Some((first, i))
        })
        .collect()
}

/// The header words at each position, top to bottom, with the header line each is on.
fn words_by_position(block: &Block) -> Vec<Vec<(usize, String)>> {
    let mut out: Vec<Vec<(usize, String)>> = Vec::new();
    for (line, words) in header_lines(block).into_iter().enumerate() {
        for (p, text) in words {
            if out.len() <= p {
                out.resize(p + 1, Vec::new());
            }
            out[p].push((line, text));
        }
    }
    out
}

/// The words printed over a leaf at its position (the leaf's own lines taken off the
/// bottom), as one heading, with the line its first word is on.
fn above_leaf(words: &[(usize, String)], leaf: &str) -> Option<(usize, String)> {
    let leaf = label_key(leaf);
    let k = (1..words.len()).rev().find(|&k| {
        let below: String = words[k..].iter().map(|(_, w)| w.as_str()).collect();
        label_key(&below) == leaf
    })?;
    let heading = label_key(&words[..k].iter().map(|(_, w)| w.as_str()).collect::<String>());
    (!heading.is_empty()).then(|| (words[0].0, heading))
}

#[cfg(test)]
mod tests {
    use crate::knowledge::templates::TEMPLATES;
    use crate::layout::{Block, Segment};
    use crate::model::FindingKind;
    use crate::testing::line;

    /// The columns (key, path) of a 支出总表 printed with the header lines given, and the
    /// kinds of the findings.
    fn columns(header: &[&str]) -> (Vec<(String, String)>, Vec<FindingKind>) {
        let template = TEMPLATES[0].tables.iter().find(|t| t.id == "expense").expect("template");
        let body = "201\t一般公共服务支出\t1378.41\t1378.41\t903.85\t474.56\t0.00\t0.00\t0.00\t0.00\t0.00";
        let block = Block {
            template,
            title: line(1, "支出总表"),
            title_variant: None,
            segments: vec![Segment {
                page: 1,
                header: header.iter().enumerate().map(|(i, h)| line(i as u32 + 2, h)).collect(),
                numbers: None,
                body: vec![line(9, body)],
            }],
            notes: vec![],
            unit: None,
            aligned: false,
        };
        let mut log = super::Log::default();
        let grid = super::super::grid(&block, &mut log);
        let columns = grid.columns.iter().skip(2).map(|c| (c.key.clone(), c.path.join("/"))).collect();
        (columns, log.findings.iter().map(|f| f.kind).collect())
    }

    #[test]
    fn names_printed_again_under_a_second_heading_are_keyed_by_it() {
        let (got, findings) = columns(&[
            "\t\t\t当年预算\t\t\t\t上年结转结余",
            "科目编码\t科目名称\t合计\t小计\t基本支出\t项目支出\t经营支出\t小计\t基本支出\t项目支出\t经营支出",
        ]);
        let want = [
            ("合计", ""),
            ("小计", "当年预算"),
            ("基本支出", "当年预算"),
            ("项目支出", "当年预算"),
            ("经营支出", "当年预算"),
            ("上年结转结余/小计", "上年结转结余"),
            ("上年结转结余/基本支出", "上年结转结余"),
            ("上年结转结余/项目支出", "上年结转结余"),
            ("上年结转结余/经营支出", "上年结转结余"),
        ];
        let want: Vec<(String, String)> = want.iter().map(|(k, p)| (k.to_string(), p.to_string())).collect();
        assert_eq!(got, want);
        assert!(!findings.contains(&FindingKind::ColumnRepeated), "{findings:?}");
    }

    #[test]
    fn headings_centred_over_their_blocks_key_the_names_printed_again() {
        // OCR text: each heading's box over the middle of its block, not over its 小计.
        let (got, findings) = columns(&[
            "\t\t\t\t当年预算\t\t\t\t\t上年结转结余",
            "科目编码\t科目名称\t合计\t小计\t基本支出\t项目支出\t经营支出\t小计\t基本支出\t项目支出\t经营支出",
        ]);
        let keys: Vec<(&str, &str)> = got.iter().map(|(k, p)| (k.as_str(), p.as_str())).collect();
        assert_eq!(keys[..2], [("合计", ""), ("小计", "当年预算")], "{got:?}");
        assert_eq!(keys[6], ("上年结转结余/基本支出", "上年结转结余"), "{got:?}");
        assert!(!findings.contains(&FindingKind::ColumnRepeated), "{findings:?}");
    }

    #[test]
    fn a_blocks_total_ocr_garbled_under_its_heading_is_the_total_its_twin_prints() {
        let (got, _) = columns(&[
            "\t\t\t当年预算\t\t\t\t上年结转结余",
            "科目编码\t科目名称\t合计\t人\t基本支出\t项目支出\t经营支出\t小计\t基本支出\t项目支出\t经营支出",
        ]);
        let keys: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(&keys[..2], ["合计", "小计"], "{got:?}");
        assert_eq!(keys[5], "上年结转结余/小计", "{got:?}");
    }

    #[test]
    fn names_printed_twice_under_no_heading_are_left_as_printed_and_reported() {
        let (got, findings) = columns(&[
            "科目编码\t科目名称\t合计\t小计\t基本支出\t项目支出\t经营支出\t小计\t基本支出\t项目支出\t经营支出",
        ]);
        assert!(got.iter().all(|(key, _)| !key.contains('/')), "{got:?}");
        assert_eq!(got.iter().filter(|(key, _)| key == "小计").count(), 2, "{got:?}");
        assert!(findings.contains(&FindingKind::ColumnRepeated), "{findings:?}");
    }
}
