//! The printed header of a table the template reads transposed (items as column headers
//! over one line of figures), in whatever order it is printed: items over figure kinds
//! (`合计 / 预算数 | 决算数`, the template's order) or figure kinds over items (`预算数 /
//! 合计 | 因公出国(境)费 | …`). Each figure column is the template column of its item and
//! its figure kind; a name printed over several columns covers them up to the next name
//! printed on its line or above.

use crate::knowledge::templates::TableTemplate;
use crate::label::label_key;
use crate::layout::Block;

use super::printed::{Printed, TOTALS, as_printed, body_profile, header_lines, width};

/// The template's columns at their printed positions, or `None` unless every template
/// column is printed exactly once under its item and figure kind.
pub fn columns(block: &Block) -> Option<Vec<Printed>> {
    let template = block.template;
    let figures: Vec<String> = template.columns.iter().filter_map(|c| c.figure.as_deref().map(label_key)).collect();
    if figures.is_empty() {
        return None; // one figure kind: the positional and printed readings serve
    }
    let lines: Vec<Vec<(usize, String)>> = header_lines(block)
        .into_iter()
        .map(|l| {
            l.into_iter().filter(|(_, w)| !crate::knowledge::templates::is_table_number(w) && w != "公开").collect()
        })
        .collect();
    // Every position between the first and the last figure (an item left blank is printed).
    let with_figures: Vec<usize> = (0..width(block)).filter(|&p| body_profile(block, p).0 > 0).collect();
    let positions = *with_figures.first()?..=*with_figures.last()?;
    let mut out: Vec<Option<Printed>> = vec![None; template.columns.len()];
    for p in positions {
        let stack = stack_at(&lines, p);
        let figure = stack.iter().map(|w| label_key(w)).find(|w| figures.contains(w))?;
        let words: Vec<&String> = stack.iter().filter(|w| label_key(w) != figure).collect();
        let item = item_of(template, &words)?;
        let i = template.columns.iter().position(|c| {
            c.item.as_deref().is_some_and(|it| same_item(template, it, &item))
                && c.figure.as_deref().map(label_key).as_ref() == Some(&figure)
        })?;
        if out[i].is_some() {
            return None;
        }
        out[i] = Some(Printed {
            position: p,
            column: as_printed(template.columns[i].column(None), &template.columns[i].label),
            template: Some(i),
        });
    }
    out.into_iter().collect()
}

/// The words over a position, top to bottom: each line's word at or left of it, unless a
/// word on that line or a line above starts between the two.
fn stack_at(lines: &[Vec<(usize, String)>], p: usize) -> Vec<String> {
    let mut stack = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((q, word)) = line.iter().filter(|(q, _)| *q <= p).max_by_key(|(q, _)| *q) else { continue };
        let cut = lines[..=i].iter().flatten().any(|(r, _)| r > q && *r <= p);
        if !cut {
            stack.push(word.clone());
        }
    }
    stack
}

/// The item a stack of header words names (the lowest words that name one, wrapped words
/// joined; a 小计 names the item above it).
fn item_of(template: &TableTemplate, words: &[&String]) -> Option<String> {
    let names =
        |key: &str| template.columns.iter().filter_map(|c| c.item.as_deref()).any(|it| same_item(template, it, key));
    for k in 0..words.len() {
        let joined = label_key(&words[k..].iter().map(|w| w.as_str()).collect::<String>());
        if TOTALS.contains(&joined.as_str()) && k > 0 {
            return item_of(template, &words[..k]);
        }
        if names(&joined) {
            return Some(joined);
        }
    }
    None
}

/// True when a printed name is the template's item (by the items vocabulary, which knows
/// `公务用车购置及运行维护费` for `公务用车购置及运行费`).
fn same_item(template: &TableTemplate, item: &str, printed: &str) -> bool {
    let (item, printed) = (label_key(item), label_key(printed));
    if item == printed {
        return true;
    }
    let of = |k: &str| crate::knowledge::vocabulary::item(None, &template.id, k);
    of(&item).is_some_and(|a| Some(a) == of(&printed))
}
