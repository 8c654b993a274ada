//! Header rules: map the printed header onto the template's leaf columns and repair the
//! header words from the template vocabulary (the known column and group names of the
//! table's role), never by ad hoc string replacement.
//!
//! The 栏次 line is the most reliable header element: its numbers give the positions of
//! the leaf columns. When the count agrees with the template, position p is the template's
//! p-th column and the printed words only confirm it (or are repaired to it); otherwise the
//! words are matched to columns in order.

use std::sync::LazyLock;

use crate::pattern::Regex;

use super::grid::Log;
use crate::knowledge::templates::{ColumnTemplate, TableTemplate};
use crate::label::{cjk_count, dewrap, label_key, nfkc, similarity};
use crate::layout::{Block, Segment};
use crate::model::{Column, Location};
use crate::page::Line;

static STRAY_NUMBERS: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^(\p{Han}.*?\p{Han})\s+[0-9.\s]+$").expect("stray numbers"));

fn location(line: &Line, table: &str, column: Option<&str>) -> Location {
    Location {
        page: line.page,
        line: line.number,
        table: Some(table.to_string()),
        row: None,
        column: column.map(str::to_string),
    }
}

/// The title as printed, repaired to its template variant when it matched fuzzily.
pub fn title(block: &Block, log: &mut Log) -> String {
    let printed = nfkc(&block.title.text());
    let cleaned: String = printed.chars().filter(|c| !matches!(c, '[' | ']' | '【' | '】')).collect();
    if cleaned != printed {
        log.record(location(&block.title, &block.template.id, None), "stray-bracket", &printed, &cleaned);
    }
    match &block.title_variant {
        Some(variant) => {
            log.record(location(&block.title, &block.template.id, None), "title-vocabulary", &cleaned, variant);
            variant.clone()
        }
        None => dewrap(&cleaned),
    }
}

/// The 栏次 numbers of a segment, by position; repaired when they are not 1..k in order.
fn numbers(template: &TableTemplate, segment: &Segment, log: &mut Log) -> usize {
    let m = template.columns.len();
    let Some(line) = &segment.numbers else {
        return m;
    };
    let printed: Vec<String> = line.cells.iter().skip(template.first_column()).map(|c| c.trim().to_string()).collect();
    let last = printed.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    let in_order = printed[..last].iter().enumerate().all(|(i, c)| c.parse::<usize>() == Ok(i + 1));
    if in_order && last == m {
        return m;
    }
    // Split, shifted or merged numbers (`1\t1 2 3\t\t4\t5`): the template's count stands.
    let repaired: Vec<String> = (1..=m).map(|n| n.to_string()).collect();
    log.record(location(line, &template.id, None), "column-numbers", &printed[..last].join("\t"), &repaired.join("\t"));
    if in_order { last } else { m }
}

/// What one header cell is.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    /// A merged header above several columns (功能分类科目, 本年收入, 收入 …).
    Group,
    /// Words that may name the leaf column at this position.
    Leaf(String),
    /// Not a word: symbols, LaTeX, Latin debris or numbers.
    Garbage,
}

/// Classifies the cells of one header line; joins fragments of a merged group header.
fn pieces(line: &Line, template: &TableTemplate, log: &mut Log) -> Vec<(usize, String, Piece)> {
    let groups = template.group_keys();
    let filled: Vec<(usize, String)> = line.filled().map(|(i, c)| (i, c.to_string())).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < filled.len() {
        let (pos, raw) = &filled[i];
        let text = dewrap(&nfkc(raw));
        let key = label_key(&text);
        if *pos < template.first_column() {
            out.push((*pos, raw.clone(), Piece::Leaf(text)));
            i += 1;
            continue;
        }
        if cjk_count(&text) == 0 {
            out.push((*pos, raw.clone(), Piece::Garbage));
            i += 1;
            continue;
        }
        if template.columns.iter().any(|c| c.names(&key)) {
            out.push((*pos, raw.clone(), Piece::Leaf(text)));
            i += 1;
            continue;
        }
        if groups.contains(&key) {
            out.push((*pos, raw.clone(), Piece::Group));
            i += 1;
            continue;
        }
        // A merged header read as fragments in neighbouring cells (`功能\t 定分类科目`).
        let mut joined = key.clone();
        let mut taken = 1;
        let mut group: Option<(String, usize)> =
            groups.iter().find(|g| key.chars().count() >= 3 && similarity(&key, g) >= 0.6).map(|g| (g.clone(), 1));
        while group.is_none() && taken < 3 && i + taken < filled.len() {
            joined.push_str(&label_key(&filled[i + taken].1));
            taken += 1;
            if let Some(g) = groups.iter().find(|g| **g == joined || similarity(&joined, g) >= 0.75) {
                group = Some((g.clone(), taken));
            }
        }
        if let Some((g, n)) = group {
            let raw_all: Vec<&str> = filled[i..i + n].iter().map(|(_, r)| r.trim()).collect();
            let printed: String = raw_all.iter().map(|r| label_key(r)).collect();
            if printed != g {
                log.record(location(line, &template.id, None), "header-vocabulary", &raw_all.join("\t"), &g);
            }
            for (p, r) in &filled[i..i + n] {
                out.push((*p, r.clone(), Piece::Group));
            }
            i += n;
            continue;
        }
        out.push((*pos, raw.clone(), Piece::Leaf(text)));
        i += 1;
    }
    out
}

/// How well printed words name a template column.
fn names(column: &ColumnTemplate, key: &str) -> Option<bool> {
    if column.names(key) {
        return Some(true); // exact
    }
    let label = column.key();
    let fragment = key.chars().count() >= 2 && label.contains(key);
    (fragment || similarity(key, &label) >= 0.5).then_some(false)
}

/// Maps a block's leaf columns to positions and repairs every header cell.
pub fn columns(block: &Block, log: &mut Log) -> Vec<Column> {
    let template = block.template;
    let mut count = template.columns.len();
    for segment in &block.segments {
        count = count.min(numbers(template, segment, log));
        for line in &segment.header {
            header_line(template, line, log);
        }
    }
    let numbered = block.segments.iter().any(|s| s.numbers.is_some());
    template
        .columns
        .iter()
        .take(count)
        .enumerate()
        .map(|(i, c)| c.column(numbered.then(|| u32::try_from(i + 1).unwrap_or(u32::MAX))))
        .collect()
}

/// Repairs the cells of one header line against the template column at each position.
fn header_line(template: &TableTemplate, line: &Line, log: &mut Log) {
    let id = &template.id;
    let text = nfkc(&line.text());
    if text.trim_start().starts_with("单位") {
        log.record(location(line, id, None), "unit-garbled", &line.raw(), "");
        return;
    }
    let cells = pieces(line, template, log);
    let leaf_matches = cells
        .iter()
        .filter(|(p, _, piece)| match piece {
            Piece::Leaf(t) => column_at(template, *p).is_some_and(|c| names(c, &label_key(t)).is_some()),
            _ => false,
        })
        .count();
    for (pos, raw, piece) in cells {
        let raw = raw.trim();
        if pos < template.first_column() {
            let key = label_key(raw);
            if key != "序号" && piece != Piece::Group {
                log.record(location(line, id, Some("序号")), "header-debris", raw, "");
            }
            continue;
        }
        let column = column_at(template, pos);
        match piece {
            Piece::Group => {}
            Piece::Garbage => {
                log.record(location(line, id, column.map(|c| c.label.as_str())), "header-garbage", raw, "");
            }
            Piece::Leaf(text) => {
                let Some(column) = column else {
                    log.record(location(line, id, None), "header-fragment", raw, "");
                    continue;
                };
                let at = location(line, id, Some(&column.label));
                let (words, stripped) = match STRAY_NUMBERS.captures(&text) {
                    Some(c) => (c[1].to_string(), true),
                    None => (text.clone(), false),
                };
                let key = label_key(&words);
                match names(column, &key) {
                    Some(true) if stripped => log.record(at, "header-stray-number", raw, &words),
                    Some(true) => {}
                    _ if vertical_part(column, &key) => {}
                    Some(false) => log.record(at, "header-vocabulary", raw, &column.label),
                    None if is_fragment_of_other(template, pos, &key) => log.record(at, "header-fragment", raw, ""),
                    None if leaf_matches > 0 => log.record(at, "header-garbled", raw, &column.label),
                    None => log.record(at, "header-garbage", raw, ""),
                }
            }
        }
    }
}

/// True when `key` is the first or second half of the column's name wrapped over two
/// header lines (`上解上级` / `支出` of 上解上级支出).
fn vertical_part(column: &ColumnTemplate, key: &str) -> bool {
    let label = column.key();
    !key.is_empty() && (label.starts_with(key) || label.ends_with(key))
}

/// True when the words are a piece of another column's name (a merged cell read into the
/// wrong position, `国有资` on a 项目 column).
fn is_fragment_of_other(template: &TableTemplate, pos: usize, key: &str) -> bool {
    key.chars().count() >= 2
        && template
            .columns
            .iter()
            .enumerate()
            .any(|(i, c)| i + template.first_column() != pos && label_key(&c.label).contains(key))
}

/// The template column printed at a cell position (after the 序号 column, if any).
fn column_at(template: &TableTemplate, pos: usize) -> Option<&ColumnTemplate> {
    pos.checked_sub(template.first_column()).and_then(|i| template.columns.get(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::templates::TEMPLATES;

    fn table(id: &str) -> &'static TableTemplate {
        TEMPLATES[0].tables.iter().find(|t| t.id == id).expect("template")
    }

    fn line(text: &str) -> Line {
        Line {
            number: 1,
            page: 1,
            cells: text.split('\t').map(str::to_string).collect(),
            spans: vec![],
            boxes: vec![],
            continues_row: false,
        }
    }

    fn rules(id: &str, text: &str) -> Vec<(String, String, String)> {
        let mut log = Log::default();
        header_line(table(id), &line(text), &mut log);
        log.repairs.into_iter().map(|r| (r.rule, r.raw, r.repaired)).collect()
    }

    #[test]
    fn garbled_second_header_line_takes_the_template_name() {
        let got = rules("gpb_expense", "\\ \\\\\\\\\t科目编码\t科目名称\tTH H\t本 平义山\t项目又 面");
        let want = [
            ("header-debris", "\\ \\\\\\\\", ""),
            ("header-garbage", "TH H", ""),
            ("header-garbled", "本 平义山", "基本支出"),
            ("header-vocabulary", "项目又 面", "项目支出"),
        ];
        let want: Vec<_> = want.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn group_fragments_are_joined_from_the_vocabulary() {
        let got = rules("income", "\t功能\t尼分类科目\t\t\t\t\t本年\t收入\t\t\t\t上年结转 12 30.74");
        assert!(got.contains(&("header-vocabulary".into(), "功能\t尼分类科目".into(), "功能分类科目".into())));
        assert!(got.contains(&("header-stray-number".into(), "上年结转 12 30.74".into(), "上年结转".into())));
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn clean_header_needs_no_repair() {
        let text = "序号\t科目编码\t科目名称\t合计\t小计\t财政拨款 收入\t财政专户 收入\t事业收入\t经营收入\t上级补助 收入\t附属单位 上缴收入\t其他收入\t上年结转";
        assert_eq!(rules("income", text), vec![]);
        assert_eq!(rules("expense", "\t\t功能分类科目\t\t\t\t\t上解上级\t对附属单位"), vec![]);
    }

    #[test]
    fn column_numbers_are_repaired_to_the_template_count() {
        let template = table("gov_fund_expense");
        let segment = Segment { numbers: Some(line("栏次\t1\t1 2 3\t\t4\t5\t")), ..Segment::default() };
        let mut log = Log::default();
        assert_eq!(numbers(template, &segment, &mut log), 5);
        assert_eq!(log.repairs[0].rule, "column-numbers");
        assert_eq!(log.repairs[0].repaired, "1\t2\t3\t4\t5");
    }

    #[test]
    fn fragments_of_another_column_are_dropped() {
        let got = rules("fiscal_summary", "基金\t国有资\t本经");
        assert_eq!(got[1], ("header-fragment".into(), "国有资".into(), String::new()));
        assert_eq!(got[2], ("header-fragment".into(), "本经".into(), String::new()));
    }

    #[test]
    fn a_garbled_unit_line_is_recorded() {
        let got = rules("gpb_basic_expense", "单位:\t$H\\pi$");
        assert_eq!(got, vec![("unit-garbled".into(), "单位:\t$H\\pi$".into(), String::new())]);
    }
}
