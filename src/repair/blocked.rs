//! Column blocks: a table whose items are printed as merged headers, each over the same
//! cycle of sub-columns (`总计 | 因公出国(境)费 | …`, each over `一般公共预算 | 政府性基金预算 |
//! 国有资本经营预算`), with lines of figures keyed by label (`2025年`, `2026年`, `增减变化金额`).
//!
//! The sub-column names repeat with a period; the merged names above them are snapped to
//! those blocks of columns (a merged cell's text may sit anywhere over its block), and a
//! name spans the blocks to its right until the next name printed on its line or above.
//! Each figure column is then `item/sub-column`, its template column the item's (so the
//! item keeps its template name), keyed apart by the sub-column.

use crate::label::{dewrap, label_key, nfkc};
use crate::layout::Block;
use crate::model::ColumnRole;

use super::printed::{Printed, body_profile, header_lines, leaf, ocr_header};

/// The columns of a table printed in column blocks, or `None` when its header is not
/// one (no sub-column names repeating over the figure columns).
pub fn columns(block: &Block) -> Option<Vec<Printed>> {
    let template = block.template;
    let lines = header_lines(block);
    let width = super::printed::width(block);
    let profiles: Vec<_> = (0..width).map(|p| body_profile(block, p)).collect();
    let figures: Vec<usize> = (0..width).filter(|&p| profiles[p].0 > 0 && profiles[p].0 >= profiles[p].3).collect();
    let first = *figures.first()?;
    if figures.len() < 4 || figures.iter().zip(figures.iter().skip(1)).any(|(a, b)| b - a != 1) {
        return None;
    }
    // Lines of figures keyed by label (a year, a unit): one line of figures is the
    // transposed reading's.
    let body_lines = block.segments.iter().map(|s| s.body.len()).sum::<usize>();
    if body_lines < 2 || !(0..first).any(|p| profiles[p].3 > 0) {
        return None;
    }
    // The leaf band: the bottom header lines with a word over every figure column.
    let full = |line: &Vec<(usize, String)>| figures.iter().all(|p| line.iter().any(|(q, _)| q == p));
    let band = lines.iter().rev().take_while(|l| full(l)).count();
    if band == 0 || band == lines.len() {
        return None;
    }
    let (upper, leaf_lines) = lines.split_at(lines.len() - band);
    let subs: Vec<String> = figures
        .iter()
        .map(|p| {
            let pieces: String =
                leaf_lines.iter().filter_map(|l| l.iter().find(|(q, _)| q == p).map(|(_, t)| t.as_str())).collect();
            dewrap(&pieces)
        })
        .collect();
    let n = figures.len();
    let period =
        (2..n).find(|&k| n.is_multiple_of(k) && (0..n - k).all(|i| label_key(&subs[i]) == label_key(&subs[i + k])))?;
    let blocks = n / period;
    // Each upper line's names by block; a block without a name on a line takes the one to
    // its left unless a line at or above starts a name at this block.
    let mut starts = vec![false; blocks];
    let mut stacks: Vec<Vec<String>> = vec![Vec::new(); blocks];
    for line in upper {
        let mut by_block: Vec<Option<String>> = vec![None; blocks];
        for (p, text) in line {
            if *p >= first && *p < first + n {
                let b = (p - first) / period;
                by_block[b].get_or_insert_with(String::new).push_str(text);
            }
        }
        let mut current: Option<String> = None;
        for b in 0..blocks {
            match &by_block[b] {
                Some(text) => {
                    starts[b] = true;
                    current = Some(dewrap(text));
                }
                None if starts[b] => current = None,
                None => {}
            }
            if let Some(text) = &current {
                stacks[b].push(text.clone());
            }
        }
    }
    let mut out: Vec<Printed> = Vec::new();
    // Label columns before the figures: only those whose words tell the lines apart (a
    // unit's name printed once on the first line does not).
    let labels: Vec<usize> = (0..first).filter(|&p| profiles[p].3 > 0).collect();
    let varying: Vec<usize> = labels.iter().copied().filter(|&p| distinct_words(block, p) > 1).collect();
    let label_positions = if varying.is_empty() { labels } else { varying };
    let label_template = template.columns.iter().position(|c| c.role == ColumnRole::Label);
    for p in label_positions {
        let name =
            lines.iter().flat_map(|l| l.iter()).find(|(q, _)| *q == p).map(|(_, t)| t.clone()).unwrap_or_default();
        let column = match label_template {
            Some(i) => template.columns[i].column(None),
            None => crate::model::Column::own(label_key(&name), &name, ColumnRole::Label, None),
        };
        out.push(Printed { position: p, column: super::printed::as_printed(column, &name), template: label_template });
    }
    for (i, &p) in figures.iter().enumerate() {
        let stack = &stacks[i / period];
        let (named, printed_item) = leaf(template, stack, ocr_header(block));
        let item = if printed_item.is_empty() { stack.concat() } else { printed_item };
        // A 小计 is keyed by the item it totals (`公务用车购置及运行维护费 / 小计`).
        let item = match &stack[..] {
            [.., parent, last] if *last == item && super::printed::TOTALS.contains(&label_key(last).as_str()) => {
                parent.clone()
            }
            _ => item,
        };
        let sub = &subs[i];
        let (mut column, index) = match named.first() {
            Some(&t) => (template.columns[t].column(None), Some(t)),
            None => (crate::model::Column::own(label_key(&item), &item, ColumnRole::Value, None), None),
        };
        column.key = format!("{}/{}", column.key, label_key(sub));
        column.label = format!("{item}/{sub}");
        column.path = stack.clone();
        out.push(Printed { position: p, column, template: index });
    }
    tracing::debug!(table = %template.id, period, blocks, ?stacks, "columns in blocks");
    Some(out)
}

/// How many different words the body prints at a position.
fn distinct_words(block: &Block, position: usize) -> usize {
    let mut seen: Vec<String> = Vec::new();
    for line in block.segments.iter().flat_map(|s| s.body.iter()) {
        let text = line.cells.get(position).map(|c| nfkc(c.trim())).unwrap_or_default();
        if !text.is_empty() && !seen.contains(&text) {
            seen.push(text);
        }
    }
    seen.len()
}
