//! Columns read from the printed header, for tables whose columns are not the template's in
//! the template's order (another province's set: no 序号 column, columns left out, added or
//! in another order).
//!
//! Each printed column position gets its leaf header: the header words at that position,
//! bottom up, joined where a name wraps over two lines (`政府性基金预` / `算资金`), merged
//! group names (功能分类科目, 本年收入) set aside. A leaf that names a template column (its
//! label or an alias, exactly) is that column; a position with figures under a leaf no
//! template column names is kept as a column of its own, keyed by its printed name, so no
//! printed figure is lost; a position without header words is told by its body (序号,
//! 科目编码). The template's positional reading (`header::columns`) stays the reading where
//! it fits at least as well: it carries the OCR repairs of garbled headers.

use crate::knowledge::templates::TableTemplate;
use crate::label::{cjk_count, dewrap, is_cjk, label_key, nfkc, within_one_edit};
use crate::layout::Block;
use crate::model::{Column, ColumnRole};
use crate::page::Line;

/// Header words of a column that numbers the printed lines (行次), not a figure column.
const LINE_NUMBERS: [&str; 2] = ["行次", "栏次"];

/// The positions of 行次 columns (the national final-accounts summaries print one per side).
pub fn line_number_positions(block: &Block) -> Vec<usize> {
    header_texts(block)
        .iter()
        .enumerate()
        .filter(|(_, t)| LINE_NUMBERS.contains(&label_key(&t.concat()).as_str()))
        .map(|(p, _)| p)
        .collect()
}

/// Words that name a total column.
pub const TOTALS: [&str; 3] = ["小计", "合计", "总计"];

/// A name ending so (`“三公”经费财政拨款预算总额`) names the sum of what follows it: over the
/// first figure column, the table's total, however the rest of the name runs.
const GRAND_TOTAL: &str = "总额";

/// One printed column: where it is and what it is.
#[derive(Debug, Clone)]
pub struct Printed {
    /// The cell position in a line.
    pub position: usize,
    pub column: Column,
    /// The template column it is, if any.
    pub template: Option<usize>,
}

/// Header words per line, top to bottom, with their positions (unit lines skipped).
pub(super) fn header_lines(block: &Block) -> Vec<Vec<(usize, String)>> {
    let header: &[Line] = block.segments.iter().map(|s| s.header.as_slice()).find(|h| !h.is_empty()).unwrap_or(&[]);
    let mut lines = Vec::new();
    for line in header {
        // `单位：万元`, `单位名称：…`, `编制单位：…` are not header words; `单位名称` alone is
        // (the label column of a table keyed by unit).
        if unit_line(line) {
            continue;
        }
        let first = line.filled().next().map(|(_, c)| nfkc(c)).unwrap_or_default();
        let of_which = of_which_first(&first);
        let first_position = line.filled().next().map(|(p, _)| p);
        let ocr = line.boxes.iter().flatten().any(|b| b.confidence.is_some());
        let words = line
            .filled()
            .filter_map(|(p, c)| {
                let c = match &of_which {
                    Some(after) if Some(p) == first_position => after.as_str(),
                    _ => c,
                };
                // No header word holds a full stop: one there is OCR reading a speck or the
                // end of a ruling (`项目支出。`).
                let text = dewrap(&nfkc(c).replace('。', ""));
                // On an OCR'd page, nor begins with a comma or an enumeration mark, or a quote
                // it does not close (`、,小计`, `”收入`, `“财政专户管理`): specks beside the
                // word. (A text layer's wrapped name may: `上年结余` / `、结转`, `“三公` / `”经费`.)
                let text = if ocr { without_specks(&text) } else { text };
                if text.is_empty() {
                    return None;
                }
                let text = crate::knowledge::confusions::unconfuse_words(&text).unwrap_or(text);
                let text = of_which_name(&text).unwrap_or(text);
                // A footnote number after a header's words (`人员经费3`) is not part of its name.
                let text = match text.trim_end_matches(|c: char| c.is_ascii_digit()) {
                    t if t.len() < text.len() && t.ends_with(is_cjk) => t.to_string(),
                    _ => text,
                };
                Some((p, text))
            })
            .flat_map(|(p, text)| split_total(ocr, p, text))
            .collect();
        lines.push(words);
    }
    lines
}

/// Whether a header line is the unit's or the compiler's (`单位：万元`, `编制单位：…`), no
/// header words; `单位名称` alone is one (the label column of a table keyed by unit).
pub(super) fn unit_line(line: &Line) -> bool {
    let first = line.filled().next().map(|(_, c)| nfkc(c)).unwrap_or_default();
    (first.contains(':') && of_which_first(&first).is_none()) || crate::layout::unit_of(line).is_some()
}

/// The column's name a line's first cell prints after `其中:` (of which): a header word, read
/// without its `其中:` (`其中:基本支出`).
fn of_which_first(first: &str) -> Option<String> {
    first
        .split_once(':')
        .filter(|(before, after)| {
            label_key(before) == "其中" && crate::knowledge::templates::is_column_name(&label_key(after))
        })
        .map(|(_, after)| after.trim().to_string())
}

/// A column's name after `其中` (of which) where its colon is read as another mark or not
/// at all (`其中。基本支出`, the `。` then dropped: `其中基本支出`): the name. (With its colon,
/// `label_key` reads the name already, and the printed leaf stays as printed.)
fn of_which_name(text: &str) -> Option<String> {
    let after = text.strip_prefix("其中").filter(|a| !a.starts_with([':', '：']))?;
    let rest = after.trim_start_matches(['.', ',', '，', '、', ';']);
    crate::knowledge::templates::is_column_name(&label_key(rest)).then(|| rest.to_string())
}

/// On an OCR'd page, a name and the 小计 printed under it in the same cell read as one word
/// (`公务用车购置及运行维护费小计`: tesseract joins a merged group's name and the leaf below
/// it when no ruling separates them) are two words, top to bottom, as a text layer gives them.
fn split_total(ocr: bool, position: usize, text: String) -> Vec<(usize, String)> {
    match text.strip_suffix(TOTALS[0]) {
        Some(name) if ocr && name.chars().filter(|&c| is_cjk(c)).count() >= 2 => {
            vec![(position, name.to_string()), (position, TOTALS[0].to_string())]
        }
        _ => vec![(position, text)],
    }
}

/// A header word without the specks OCR reads before it as punctuation: commas and
/// enumeration marks, a closing quote, an opening quote it does not close (`“三公”经费`
/// keeps its quotes).
fn without_specks(text: &str) -> String {
    const SPECKS: [char; 7] = [',', '、', ';', ':', '.', '”', '"'];
    let mut word = text;
    loop {
        let rest = word.trim_start_matches(|c: char| SPECKS.contains(&c));
        let rest = match rest.strip_prefix('“') {
            Some(after) if !after.contains('”') => after,
            _ => rest,
        };
        if rest.len() == word.len() {
            return word.to_string();
        }
        word = rest;
    }
}

/// Whether the block's header was read by OCR (its words have a confidence).
pub(super) fn ocr_header(block: &Block) -> bool {
    let header = block.segments.iter().flat_map(|s| s.header.iter());
    header.flat_map(|l| l.boxes.iter().flatten()).any(|b| b.confidence.is_some())
}

/// Header words per position, top to bottom.
pub(super) fn header_texts(block: &Block) -> Vec<Vec<String>> {
    let mut texts: Vec<Vec<String>> = Vec::new();
    for (p, text) in header_lines(block).into_iter().flatten() {
        if texts.len() <= p {
            texts.resize(p + 1, Vec::new());
        }
        texts[p].push(text);
    }
    texts
}

/// The year groups printed over a transposed table's items (`2025年预算数`, `2026年预算数`,
/// `上年预算数`), left to right.
fn year_groups(block: &Block) -> Vec<String> {
    static YEAR_GROUP: std::sync::LazyLock<crate::pattern::Regex> = std::sync::LazyLock::new(|| {
        crate::pattern::compile(r"^(?:20[0-9]{2}年度?|本年度?|上年度?)(?:预算数|预算|决算数|决算|执行数)?$")
            .expect("year group")
    });
    let mut groups: Vec<(usize, String)> =
        header_lines(block).into_iter().flatten().filter(|(_, w)| YEAR_GROUP.is_match(&label_key(w))).collect();
    groups.sort_by_key(|(p, _)| *p);
    // Years of one figure kind (`2025年预算数 | 2026年预算数`), not two kinds of one year
    // (`2024年预算数 | 2024年决算数`, a final account's figures per item).
    let keys: Vec<String> = groups.iter().map(|(_, w)| label_key(w)).collect();
    let kind = |k: &String| k.trim_start_matches(|c: char| c.is_ascii_digit() || "年度本上".contains(c)).to_string();
    let one_kind = keys.iter().all(|k| kind(k) == kind(&keys[0]));
    let distinct = keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k));
    if one_kind && distinct { groups.into_iter().map(|(_, w)| w).collect() } else { Vec::new() }
}

/// The figure kinds printed over a transposed table's blocks of items (`当年预算 |
/// 上年结转结余`, each over its own 小计 and items), with the position each starts at: words
/// the measure vocabulary names and no column of the template, printed over other words, at
/// least two distinct.
fn figure_groups(block: &Block) -> Vec<(usize, String)> {
    let table = &block.template.id;
    let mut groups: Vec<(usize, String)> = header_texts(block)
        .iter()
        .enumerate()
        .filter_map(|(p, pieces)| {
            let (_, above) = pieces.split_last()?;
            let word = above.iter().find(|w| {
                let key = label_key(w);
                crate::knowledge::vocabulary::measure(None, table, &key).is_some()
                    && !block.template.columns.iter().any(|c| c.names(&key))
            })?;
            Some((p, word.clone()))
        })
        .collect();
    groups.sort_by_key(|(p, _)| *p);
    let keys: Vec<String> = groups.iter().map(|(_, w)| label_key(w)).collect();
    let distinct = keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k));
    if groups.len() > 1 && distinct { groups } else { Vec::new() }
}

/// The group printed over the 小计 (合计, 总计) leaf at `position` (template column `i`), as
/// printed, where it names that column's item (`公务用车购置及运行维护费 / 小计` for
/// 公务用车购置及运行费, by the item vocabulary): over its own position, or a merged group
/// centred over the columns next to it.
pub(super) fn group_over_total(
    template: &TableTemplate,
    texts: &[Vec<String>],
    position: usize,
    i: usize,
) -> Option<String> {
    let (leaf, _) = texts.get(position)?.split_last()?;
    if !TOTALS.contains(&label_key(leaf).as_str()) {
        return None;
    }
    let column = &template.columns[i];
    let item = column.item.as_deref().map(label_key)?;
    let canonical = |key: &str| crate::knowledge::vocabulary::item(None, &template.id, key);
    let names_item = |w: &String| {
        let key = label_key(w);
        key == item || column.names(&key) || canonical(&key).is_some_and(|c| Some(c) == canonical(&item))
    };
    let near = [position, position + 1, position.saturating_sub(1), position + 2];
    near.iter().filter_map(|&q| texts.get(q)).find_map(|pieces| {
        let above = &pieces[..pieces.len().saturating_sub(1)];
        above.iter().rev().find(|w| names_item(w)).cloned()
    })
}

/// The template columns the words at one position could name, and the leaf as printed.
pub(super) fn leaf(template: &TableTemplate, pieces: &[String], ocr: bool) -> (Vec<usize>, String) {
    let groups = template.group_keys();
    let mut words: Vec<String> = pieces.iter().filter(|p| !groups.contains(&label_key(p))).cloned().collect();
    // A 小计 printed one character a line in a narrow column (`小` / `计`) is one word.
    if let Some(k) = (0..words.len().saturating_sub(1)).find(|&k| {
        words[k..].iter().all(|w| w.chars().count() == 1) && TOTALS.contains(&label_key(&words[k..].concat()).as_str())
    }) {
        let joined = words.split_off(k).concat();
        words.push(joined);
    }
    let words: Vec<&String> = words.iter().collect();
    let names = |key: &str| -> Vec<usize> {
        template.columns.iter().enumerate().filter(|(_, c)| c.names(key)).map(|(i, _)| i).collect()
    };
    // A 小计 (合计, 总计) under a name: the total of what the name says (`财政拨款收入 / 小计`
    // is 财政拨款收入), or the table's total when the name is not a column of its own
    // (`基本支出预算 / 小计` in a basic-expense table).
    if let [upper @ .., last] = &words[..]
        && !upper.is_empty()
        && TOTALS.contains(&label_key(last).as_str())
    {
        if let Some(named) = upper.iter().rev().map(|w| names(&label_key(w))).find(|n| !n.is_empty()) {
            return (named, (*last).clone());
        }
        let total = template.columns.iter().position(|c| c.role == ColumnRole::Value);
        if let (true, Some(i)) = (names(&label_key(last)).is_empty(), total) {
            return (vec![i], (*last).clone());
        }
    }
    for k in 0..words.len() {
        let joined: String = words[k..].iter().map(|w| w.as_str()).collect();
        let named = names(&label_key(&joined));
        if !named.is_empty() {
            return (named, joined);
        }
    }
    // A single piece may name it where the pieces above are a group the template lacks.
    // A named piece above unnamed ones is a merged group over this column and its
    // neighbours (`财政拨款收入` over `一般公共预算`, `政府性基金预算`): the leaf is below it.
    for (k, w) in words.iter().enumerate().rev() {
        let named = names(&label_key(w));
        if !named.is_empty() {
            if k + 1 < words.len() {
                let below: String = words[k + 1..].iter().map(|w| w.as_str()).collect();
                // `项目支出 / 项目支出总数`: the group's own total printed under it (read
                // with a character off, `项目支册总数`, by OCR).
                let (below_key, group) = (label_key(&below), label_key(w));
                let head: String = below_key.chars().take(group.chars().count()).collect();
                if below_key.starts_with(&group) || (group.chars().count() >= 4 && within_one_edit(&head, &group)) {
                    return (named, below);
                }
                return (Vec::new(), below);
            }
            return (named, (*w).clone());
        }
    }
    // A leaf OCR read a character off (`公用经贵`), or whose characters a word box read
    // twice doubled (`基本支出支出`, `事业业单位单位经营营支出支出`): the one template name it
    // nearly is.
    for k in 0..words.len() {
        let joined: String = words[k..].iter().map(|w| w.as_str()).collect();
        let key = label_key(&joined);
        let single = undoubled(&key);
        if single != key {
            let named = names(&single);
            if !named.is_empty() {
                return (named, joined);
            }
        }
        let key = single;
        let near: Vec<usize> =
            template.columns.iter().enumerate().filter(|(_, c)| c.nearly_names(&key)).map(|(i, _)| i).collect();
        if one_name(template, &near) {
            return (near, joined);
        }
    }
    // On an OCR'd page, a long leaf read two characters off (`圭缴上级一支出`: a character
    // misread, a speck read as `一`): the one template name it nearly is, every other one
    // further by two characters more. (A printed name two characters off a template's is
    // another column: `事业单位经营收入` is no misread of 事业单位经营支出.)
    if ocr && let Some(near) = two_off(template, &label_key(&words.iter().map(|w| w.as_str()).collect::<String>())) {
        return (near, words.iter().map(|w| w.as_str()).collect());
    }
    // On an OCR'd page, a long leaf whose start is one template name's and whose end OCR
    // garbled, that no vocabulary knows as printed (a province's own name is printed
    // whole): that column.
    let all: String = words.iter().map(|w| w.as_str()).collect();
    let all_key = label_key(&all);
    if ocr && crate::knowledge::vocabulary::measure(None, &template.id, &all_key).is_none() {
        let starts: Vec<usize> =
            template.columns.iter().enumerate().filter(|(_, c)| c.starts_as(&all_key)).map(|(i, _)| i).collect();
        if one_name(template, &starts) {
            return (starts, all);
        }
    }
    // Over a leaf the measure vocabulary names (`人员经费`), a word that is not part of its
    // name is a merged group over it and its neighbours (`基本支出` over 人员经费 | 公用经费).
    let joined: String = words.iter().map(|w| w.as_str()).collect();
    let measure = |w: &str| crate::knowledge::vocabulary::measure(None, &template.id, &label_key(w));
    if let [_, .., last] = &words[..]
        && measure(last).is_some()
        && measure(&joined).is_none()
    {
        return (Vec::new(), (*last).clone());
    }
    // A character atop the words that ends a group's name (`出` of 支出 over `编制预算`,
    // the rest of the group lost to OCR) is that group, not part of the leaf.
    if let [top, rest @ ..] = &words[..]
        && !rest.is_empty()
        && label_key(top).chars().count() == 1
        && groups.iter().any(|g| g.chars().count() >= 2 && g.ends_with(&label_key(top)))
    {
        return (Vec::new(), rest.iter().map(|w| w.as_str()).collect());
    }
    // On an OCR'd page, a piece of a total's name under words that name no column (`预算数`
    // over `计`, 合 lost): the piece is the leaf, for the first column of figures to be the
    // total by.
    if ocr
        && let [upper @ .., last] = &words[..]
        && !upper.is_empty()
        && total_piece(last)
        && upper.iter().all(|w| names(&label_key(w)).is_empty())
    {
        return (Vec::new(), (*last).clone());
    }
    (Vec::new(), joined)
}

/// Whether template columns `named` are some columns and all one name (a name a template
/// prints twice, on two sides or in two blocks, is one name).
fn one_name(template: &TableTemplate, named: &[usize]) -> bool {
    named.first().is_some_and(|&f| named.iter().all(|&i| template.columns[i].key() == template.columns[f].key()))
}

/// The template columns of the one long name `key` is at most two characters off, when
/// every other name is two characters further. A key the measure vocabulary knows is a
/// name (`政府性基金预算` is 政府性基金预算拨款 without its last word, not a misread), as is
/// one two characters shorter or longer: a misread keeps a name's length, or nearly.
fn two_off(template: &TableTemplate, key: &str) -> Option<Vec<usize>> {
    if crate::knowledge::vocabulary::measure(None, &template.id, key).is_some() {
        return None;
    }
    let length = key.chars().count();
    let distances: Vec<(usize, usize)> = template
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.long_name_distance(key, length).map(|d| (i, d)))
        .collect();
    let best = distances.iter().map(|&(_, d)| d).min().filter(|&d| d <= 2)?;
    let named: Vec<usize> = distances.iter().filter(|&&(_, d)| d == best).map(|&(i, _)| i).collect();
    let clear = distances.iter().all(|&(i, d)| named.contains(&i) || d >= best + 2);
    (one_name(template, &named) && clear).then_some(named)
}

/// `key` with every run printed twice in a row once (`合计计` → `合计`, `上上缴上上级级支出支出`
/// → `上缴上级支出`), the longest runs first.
fn undoubled(key: &str) -> String {
    let mut chars: Vec<char> = key.chars().collect();
    for n in (1..=4).rev() {
        let mut i = 0;
        while i + 2 * n <= chars.len() {
            if chars[i..i + n] == chars[i + n..i + 2 * n] {
                chars.drain(i + n..i + 2 * n);
            } else {
                i += 1;
            }
        }
    }
    chars.into_iter().collect()
}

/// What the body holds at a position: (figures, codes, small integers, words).
pub(super) fn body_profile(block: &Block, position: usize) -> (usize, usize, usize, usize) {
    let mut profile = (0, 0, 0, 0);
    for line in block.segments.iter().flat_map(|s| s.body.iter()) {
        let Some(cell) = line.cells.get(position).map(|c| nfkc(c.trim())) else { continue };
        // A speck OCR read at a cell's edge (`。”9,616.338314`) does not hide what it holds.
        let cell = cell.trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '-' | '.'));
        if cell.is_empty() {
            continue;
        }
        let digits = cell.chars().all(|c| c.is_ascii_digit());
        if digits && cell.len() <= 3 {
            profile.2 += 1;
        }
        if digits && (3..=7).contains(&cell.len()) {
            profile.1 += 1;
        } else if cjk_count(cell) > 0 {
            profile.3 += 1;
        } else if cell.replace([',', '-', '.'], "").chars().all(|c| c.is_ascii_digit()) {
            profile.0 += 1;
        }
    }
    profile
}

/// The columns as printed, or `None` when the header names fewer template columns than
/// the template's positional reading confirms (then that reading stands).
pub fn columns(block: &Block, positional_first: usize) -> Option<Vec<Printed>> {
    let template = block.template;
    let texts = header_texts(block);
    if texts.is_empty() {
        return None;
    }
    let ocr = ocr_header(block);
    let leaves: Vec<(Vec<usize>, String)> = texts.iter().map(|t| leaf(template, t, ocr)).collect();
    // How many template columns sit where the template says and are named there.
    let positional = (0..template.columns.len())
        .filter(|i| leaves.get(i + positional_first).is_some_and(|(named, _)| named.contains(i)))
        .count();
    let width = width(block);
    let mut taken = vec![false; template.columns.len()];
    // Code and label columns the header names somewhere are not free for a column told by
    // its body (`预算单位` before `科目编码 | 科目名称`).
    let reserved: Vec<usize> = leaves
        .iter()
        .filter_map(|(named, _)| match named[..] {
            [i] if template.columns[i].role != ColumnRole::Value => Some(i),
            _ => None,
        })
        .collect();
    let total = template.columns.iter().position(|c| c.role == ColumnRole::Value);
    let mut out: Vec<Printed> = Vec::new();
    let mut named = 0;
    let line_numbers = line_number_positions(block);
    // A transposed table printing its items once per year under a year's figure kind
    // (`2025年预算数 | 2026年预算数`): each repeat of the items is the next year's.
    let years = if template.transposed { year_groups(block) } else { Vec::new() };
    let mut year = 0;
    // Or blocks of items under figure kinds (`当年预算 | 上年结转结余`), each from the position
    // its kind is printed at; a total printed before the first block totals them all (合计).
    let kinds = if template.transposed && years.is_empty() { figure_groups(block) } else { Vec::new() };
    let mut kind: Option<usize> = None;
    let figure_at = |year: usize, kind: Option<usize>| -> Option<String> {
        if years.len() > 1 {
            Some(years[year].clone())
        } else if kinds.is_empty() {
            None
        } else {
            Some(kind.map_or_else(|| TOTALS[1].to_string(), |k| kinds[k].1.clone()))
        }
    };
    let group_words: Vec<&String> = years.iter().chain(kinds.iter().map(|(_, w)| w)).collect();
    for position in 0..width {
        if line_numbers.contains(&position) {
            continue;
        }
        let (mut candidates, mut printed) = leaves.get(position).cloned().unwrap_or_default();
        // The 序号 column numbers the lines: never a figure column (the rows read it).
        if candidates.is_empty() && label_key(&printed) == "序号" {
            continue;
        }
        if years.len() > 1 && year + 1 < years.len() && !candidates.is_empty() && candidates.iter().all(|&i| taken[i]) {
            year += 1;
            taken.iter_mut().for_each(|t| *t = false);
        }
        let starts = kinds.iter().position(|(q, _)| *q == position);
        if starts.is_some() {
            kind = starts;
            taken.iter_mut().for_each(|t| *t = false);
            // The block's own 小计 is the total of its kind (`当年预算 / 小计`), also where OCR
            // garbled it into no name (`当年预算人`): a block's first column is its total
            // unless it names an item.
            if TOTALS.contains(&label_key(&printed).as_str()) || (ocr && candidates.is_empty()) {
                if !TOTALS.contains(&label_key(&printed).as_str()) {
                    printed.clear(); // no name: the template's
                }
                candidates = total.into_iter().collect();
            }
        }
        // The table's total is its first figure column: a 小计 further right is a group's
        // (`政府采购项目 / 小计`), not the table's.
        if !template.two_sided && starts.is_none() && out.iter().any(|p| p.column.role == ColumnRole::Value) {
            let whole: String =
                texts.get(position).into_iter().flatten().filter(|w| !group_words.contains(w)).cloned().collect();
            candidates.retain(|&i| Some(i) != total || TOTALS.contains(&label_key(&whole).as_str()));
        }
        // A name printed on both sides of a two-sided table (预算数 | 预算数) whose template
        // names the second side's figure otherwise (合计): the side's free figure column.
        let side = out.last().and_then(|p| p.column.side);
        let other_side =
            (template.two_sided && !candidates.is_empty() && candidates.iter().all(|&i| taken[i]))
                .then(|| {
                    template.columns.iter().enumerate().position(|(i, c)| {
                        !taken[i] && c.role == ColumnRole::Value && c.side.is_some() && c.side == side
                    })
                })
                .flatten();
        if let Some(&i) = candidates.iter().find(|&&i| !taken[i]).or(other_side.as_ref()) {
            taken[i] = true;
            named += 1;
            let mut column = as_printed(template.columns[i].column(None), &printed);
            column.group = group_over_total(template, &texts, position, i);
            column.figure = figure_at(year, kind);
            out.push(Printed { position, column, template: Some(i) });
            continue;
        }
        let (figures, codes, small, words) = body_profile(block, position);
        // The table's first column of figures under a header OCR lost (a speck, `。`, where
        // 合计 is printed) or left a piece of (`计`, the rest read as a speck or a column
        // apart): the total, which every one-sided template prints first.
        let lost = ocr && label_key(&printed).chars().all(|c| !crate::label::is_ideograph(c));
        // Before the first block of a table in figure-kind blocks (`合计 | 当年预算 / … |
        // 上年结转结余 / …`): the total of them all, whatever OCR made of its name.
        let before_blocks = ocr && kinds.first().is_some_and(|(q, _)| position < *q);
        if let Some(t) = total
            && (lost || before_blocks || total_piece(&printed))
            && !template.two_sided
            && !taken[t]
            && figures > codes + small + words
            && !out.iter().any(|p| p.column.role == ColumnRole::Value)
        {
            taken[t] = true;
            let mut column = as_printed(template.columns[t].column(None), "");
            column.figure = figure_at(year, kind);
            out.push(Printed { position, column, template: Some(t) });
            continue;
        }
        // Figures under no header word right of every named column (the last columns' names
        // OCR lost): the template's next value column, in its order, where one is free.
        if label_key(&printed).is_empty()
            && figures >= 3
            && figures > codes + small + words
            && let Some(last) =
                out.iter().filter(|p| p.column.role == ColumnRole::Value).filter_map(|p| p.template).max()
            && out.last().is_some_and(|p| p.template == Some(last))
            && let Some(i) = (last + 1..template.columns.len()).find(|&i| {
                !taken[i] && template.columns[i].role == ColumnRole::Value && template.columns[i].block.is_none()
            })
        {
            taken[i] = true;
            named += 1;
            out.push(Printed { position, column: as_printed(template.columns[i].column(None), ""), template: Some(i) });
            continue;
        }
        // Codes or labels under no template name (功能分类, 科目): the template's code or
        // label column where it is still free.
        let free = |role: ColumnRole, taken: &[bool]| {
            template.columns.iter().enumerate().position(|(i, c)| c.role == role && !taken[i] && !reserved.contains(&i))
        };
        // Words OCR read for figures (`三它王`, `全己己`: `0.00` in a narrow cell) under a
        // name OCR garbled, right of the table's first figures where its template prints no
        // name or code: a figure column whose cells are unreadable (reported, for the
        // identities to infer), not a label column of its own that keys nothing.
        let figures_as_words = ocr
            && !printed.is_empty()
            && !template.two_sided
            && out.iter().any(|p| p.column.role == ColumnRole::Value)
            && !crate::knowledge::vocabulary::is_known(&printed)
            && template.columns.iter().skip_while(|c| c.role != ColumnRole::Value).all(|c| c.role == ColumnRole::Value);
        let role = if codes > 0 && codes >= figures + words && small < codes {
            ColumnRole::Code
        } else if words > figures && figures_as_words {
            ColumnRole::Value
        } else if words > figures {
            ColumnRole::Label
        } else if figures > 0
            && !printed.is_empty()
            && candidates
                .iter()
                .all(|&i| template.columns[i].role == ColumnRole::Value && template.columns[i].block.is_none())
        {
            // Figures under a name no template column is (`上年结转结余 / 人员经费` once
            // `当年预算 / 人员经费` has the template's): a column of its own, never dropped.
            ColumnRole::Value
        } else {
            continue; // a 序号 column, an empty one, or figures under no name: reported by rows
        };
        if role != ColumnRole::Value {
            if let Some(i) = free(role, &taken) {
                taken[i] = true;
                out.push(Printed {
                    position,
                    column: as_printed(template.columns[i].column(None), &printed),
                    template: Some(i),
                });
            } else if role == ColumnRole::Label && !printed.is_empty() {
                // Words under a name of their own beside the template's label (`预算单位`
                // beside `科目名称`): a label of its own, naming the rows it heads.
                out.push(Printed {
                    position,
                    column: Column::own(label_key(&printed), &printed, role, side),
                    template: None,
                });
            }
            continue;
        }
        let mut column = Column::own(label_key(&printed), &printed, role, side);
        column.figure = figure_at(year, kind);
        if template.transposed {
            column.under = under_group(template, &out);
        }
        out.push(Printed { position, column, template: None });
    }
    // The total printed as 小计 or 总计 where the template says 合计 (a table of one group),
    // or a table's only figure column under a name of its own (`预算`): the total.
    let only = out.iter().filter(|p| p.column.role == ColumnRole::Value).count() == 1 && !template.two_sided;
    if let Some(i) = total.filter(|&i| !taken[i])
        && let Some(first) = out.iter_mut().find(|p| p.column.role == ColumnRole::Value)
        && first.template.is_none()
        && (only || TOTALS.iter().chain([&GRAND_TOTAL]).any(|t| first.column.key.ends_with(t)))
    {
        taken[i] = true;
        named += 1;
        let printed = std::mem::take(&mut first.column.label);
        first.column = as_printed(template.columns[i].column(None), &printed);
        first.template = Some(i);
    }
    // A figure column of its own (figures below it) under a word too short to be a name (one
    // or two characters, or punctuation among them: `和、站`) is what OCR left of a header
    // word; one that no template name holds (`计` is what is left of 合计) and no vocabulary
    // knows is OCR debris over a template column, not a column: the template's reading stands.
    let fragment = |p: &Printed| {
        let key = label_key(&p.column.label);
        let short = key.chars().count() <= 2 || !key.chars().all(crate::label::is_ideograph);
        let over_figures = || {
            let (figures, codes, small, words) = body_profile(block, p.position);
            figures > codes + small + words
        };
        p.template.is_none()
            && p.column.role == ColumnRole::Value
            && key.chars().count() <= 3
            && short
            && over_figures()
    };
    // A side of a two-sided table whose figure column is printed under a total's name (or
    // what OCR left of it: `二` for 合计) and has more columns beside it (`项目 | 合计 | 基本支出 |
    // 项目支出` on the 支出 side): the side's figure column.
    if template.two_sided {
        for (i, c) in template.columns.iter().enumerate() {
            if c.role != ColumnRole::Value || taken[i] {
                continue;
            }
            if let Some(first) = out.iter_mut().find(|p| p.column.role == ColumnRole::Value && p.column.side == c.side)
                && first.template.is_none()
                && (TOTALS.contains(&first.column.key.as_str()) || fragment(first))
            {
                taken[i] = true;
                named += 1;
                let printed = std::mem::take(&mut first.column.label);
                first.column = as_printed(c.column(None), &printed);
                first.template = Some(i);
            }
        }
    }
    let values = out.iter().filter(|p| p.column.role == ColumnRole::Value).count();
    // Figure columns under words (not OCR debris such as `1 12.2` over the 序号 column).
    let worded = out.iter().filter(|p| p.column.role == ColumnRole::Value && cjk_count(&p.column.label) > 0).count();
    let chosen: Vec<(usize, &str)> = out.iter().map(|p| (p.position, p.column.key.as_str())).collect();
    tracing::debug!(table = %template.id, named, positional, ?leaves, ?chosen, "columns from the printed header");
    // As many template columns named as the positional reading, and printed figure columns
    // it would drop (it keeps the template's only): the printed reading loses nothing.
    // (Side-by-side blocks printed more often than the template has them are the
    // positional reading's, continued by `continue_blocks`.)
    let template_values = template.columns.iter().filter(|c| c.role == ColumnRole::Value).count();
    let blocks = template.columns.iter().any(|c| c.block.is_some());
    // Or the body prints words or codes before where the positional reading begins (a
    // classification printed in more columns than the template's code and name): the
    // positional reading would drop them.
    // (A 序号 column a speck made a word of is not such a column: mostly small numbers.)
    let before = (0..positional_first).any(|p| {
        let (_, codes, small, words) = body_profile(block, p);
        codes + words >= 3 && codes + words > small
    });
    let keeps_more = named >= positional && (worded > template_values || before) && !blocks;
    let known = |p: &Printed| {
        let key = label_key(&p.column.label);
        template
            .columns
            .iter()
            .map(crate::knowledge::templates::ColumnTemplate::key)
            .chain(TOTALS.iter().map(ToString::to_string))
            .any(|n| n.contains(&key))
            || crate::knowledge::vocabulary::measure(None, &template.id, &key).is_some()
            || crate::knowledge::vocabulary::item(None, &template.id, &key).is_some()
    };
    let debris = out.iter().any(|p| fragment(p) && !known(p));
    // Unless the printed reading names clearly more of the template than the positional one
    // (two columns or more): then a fragment is the template column left free between its
    // named neighbours (`四` between 基本支出 and 上缴上级支出 is 项目支出), or, none free, a
    // column of its own (`后` of a wrapped `扣除基建项目后预算数`); the positional reading
    // would misplace every column.
    let clearly = named >= positional + 2;
    if debris && clearly {
        for j in 0..out.len() {
            if !fragment(&out[j]) {
                continue;
            }
            let before = out[..j].iter().filter_map(|p| p.template).max();
            let after = out[j + 1..].iter().filter_map(|p| p.template).min().unwrap_or(template.columns.len());
            let free = (before.map_or(0, |b| b + 1)..after)
                .find(|&i| !taken[i] && template.columns[i].role == ColumnRole::Value);
            if let Some(i) = free {
                taken[i] = true;
                let printed = std::mem::take(&mut out[j].column.label);
                out[j].column = as_printed(template.columns[i].column(None), &printed);
                out[j].template = Some(i);
            }
        }
    }
    ((named > positional || keeps_more) && values > 0 && (!debris || clearly)).then_some(out)
}

/// What OCR left of a total's name: one of its characters, or two in order (`计`, `合`),
/// no other word's (a whole name, `小计`, is the name).
fn total_piece(printed: &str) -> bool {
    let key = label_key(printed);
    let n = key.chars().count();
    (1..=2).contains(&n)
        && !TOTALS.contains(&key.as_str())
        && TOTALS.iter().any(|t| {
            let mut rest = t.chars();
            key.chars().all(|c| rest.any(|r| r == c))
        })
}

/// The item a transposed table's column of its own is printed under: the item of the
/// nearest 小计 to its left (`因公出国(境)费 / 小计`), where only that item's sub-columns and
/// other columns of its own stand between them.
fn under_group(template: &TableTemplate, out: &[Printed]) -> Option<String> {
    for p in out.iter().rev() {
        let Some(i) = p.template else { continue };
        let column = &template.columns[i];
        if column.under.is_some() {
            continue;
        }
        let is_total = TOTALS.contains(&label_key(&p.column.label).as_str());
        let whole = template.columns.iter().position(|c| c.role == ColumnRole::Value) == Some(i);
        return (is_total && !whole).then(|| p.column.group.clone().or_else(|| column.item.clone())).flatten();
    }
    None
}

/// Side-by-side blocks printed more often than the template has them (公用经费 continued in
/// a third block, `科目代码 | 科目名称 | 决算数` once more): each repeat of the last block's
/// header words is a block of its own with the last block's columns.
pub fn continue_blocks(block: &Block, columns: &mut Vec<Column>, cells: &mut Vec<usize>) {
    let Some(last) = columns.iter().filter_map(|c| c.block).max() else { return };
    let of_last: Vec<usize> = (0..columns.len()).filter(|&i| columns[i].block == Some(last)).collect();
    let positions: Vec<usize> = of_last.iter().map(|&i| cells[i]).collect();
    let (Some(&first), Some(&end)) = (positions.first(), positions.last()) else { return };
    if positions.windows(2).any(|w| w[1] <= w[0]) {
        return;
    }
    let texts = header_texts(block);
    let words = |p: usize| texts.get(p).map(|t| label_key(&t.concat())).unwrap_or_default();
    let stride = end - first + 1;
    for n in 1..=u8::MAX as usize {
        let repeat: Vec<usize> = positions.iter().map(|p| p + stride * n).collect();
        // The repeat prints the leaf words again (the group over the first block need not be).
        let same = positions.iter().zip(&repeat).all(|(&p, &q)| !words(q).is_empty() && words(p).ends_with(&words(q)));
        let Some(next) = u8::try_from(usize::from(last) + n).ok().filter(|_| same) else { return };
        for (&i, &q) in of_last.iter().zip(&repeat) {
            let mut column = columns[i].clone();
            column.block = Some(next);
            columns.push(column);
            cells.push(q);
        }
    }
}

/// A template column under the name printed over it: `key` stays the template's (the
/// identities are written against it), `label` is the leaf as printed (what facts key on).
pub(super) fn as_printed(mut column: Column, printed: &str) -> Column {
    if !printed.trim().is_empty() {
        column.label = printed.to_string();
    }
    column
}

/// One past the last cell position with text in the table's header, 栏次 line or body.
pub fn width(block: &Block) -> usize {
    block
        .segments
        .iter()
        .flat_map(|s| s.body.iter().chain(s.header.iter()).chain(s.numbers.iter()))
        .map(|l| l.cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specks_read_as_punctuation_beside_a_header_word_are_not_its() {
        assert_eq!(without_specks("、,小计"), "小计");
        assert_eq!(without_specks("”收入"), "收入");
        assert_eq!(without_specks("“财政专户管理"), "财政专户管理");
        assert_eq!(without_specks("“三公”经费"), "“三公”经费");
        assert_eq!(without_specks("、"), "");
    }

    #[test]
    fn a_name_after_of_which_is_the_name_however_its_colon_was_read() {
        assert_eq!(of_which_name("其中基本支出").as_deref(), Some("基本支出"));
        assert_eq!(of_which_name("其中、基本支出").as_deref(), Some("基本支出"));
        assert_eq!(of_which_name("其中"), None);
        assert_eq!(of_which_name("其中:基本支出"), None, "label_key reads it");
        assert_eq!(of_which_name("其中甲乙"), None, "no column's name");
        assert_eq!(of_which_name("基本支出"), None);
    }

    #[test]
    fn a_header_word_read_twice_is_read_once() {
        assert_eq!(undoubled("基本支出支出"), "基本支出");
        assert_eq!(undoubled("事业业单位单位经营营支出支出"), "事业单位经营支出");
        assert_eq!(undoubled("上上缴上上级级支出支出"), "上缴上级支出");
        assert_eq!(undoubled("合计计"), "合计");
        assert_eq!(undoubled("人员经费"), "人员经费");
    }

    #[test]
    fn a_column_name_after_of_which_is_a_header_word() {
        let text = "一般公共预算支出表\n单位:万元\n科目编码\t科目名称\t小计\t\t\n\
                    \t\t\t其中:基本支出\t项目支出\n201\t一般公共服务支出\t10.00\t6.00\t4.00\n";
        let layout = crate::testing::layout(text);
        let texts = super::header_texts(&layout.blocks[0]);
        assert_eq!(texts.get(3).map(Vec::as_slice), Some(&["基本支出".to_string()][..]));
        // A label line (`单位名称:…`) is still no header line.
        let text = text.replace("单位:万元\n", "单位名称:某局\n");
        let layout = crate::testing::layout(&text);
        assert!(super::header_texts(&layout.blocks[0]).iter().flatten().all(|w| !w.contains("某局")));
    }

    #[test]
    fn a_piece_of_a_total_name_is_told_from_other_words() {
        assert!(super::total_piece("计") && super::total_piece("“ 计") && super::total_piece("合"));
        assert!(!super::total_piece("计合") && !super::total_piece("预算") && !super::total_piece("合计"));
        // Under a figure kind's word (`预算数` over `计`), the piece is the leaf.
        let fund = national("gov_fund_expense");
        assert_eq!(leaf(fund, &["预算数".into(), "计".into()], true), (Vec::new(), "计".to_string()));
    }

    #[test]
    fn a_name_and_the_subtotal_under_it_read_as_one_word_are_two() {
        let split = split_total(true, 3, "公务用车购置及运行维护费小计".to_string());
        assert_eq!(split, [(3, "公务用车购置及运行维护费".to_string()), (3, "小计".to_string())]);
        assert_eq!(split_total(true, 0, "小计".to_string()), [(0, "小计".to_string())]);
        assert_eq!(
            split_total(false, 0, "项目小计".to_string()),
            [(0, "项目小计".to_string())],
            "a text layer's as printed"
        );
    }

    fn national(id: &str) -> &'static TableTemplate {
        let all = crate::knowledge::templates::variants(crate::model::Kind::Budget, id);
        all.into_iter().find(|t| t.layout == "national").unwrap()
    }

    #[test]
    fn a_long_header_name_ocr_read_two_characters_off_is_the_one_it_nearly_is() {
        let expense = national("expense");
        let near = two_off(expense, "圭缴上级一支出").expect("上缴上级支出 with a character misread and a speck");
        assert!(near.iter().all(|&i| expense.columns[i].names("上缴上级支出")), "{near:?}");
        // A name the measure vocabulary knows, or shorter by two characters, is printed so.
        let three_public = national("three_public");
        assert_eq!(two_off(three_public, "政府性基金预算"), None);
        assert_eq!(two_off(expense, "基本"), None);
    }

    #[test]
    fn a_long_name_whose_end_ocr_garbled_is_the_name_it_starts_as() {
        let expense = national("expense");
        let words = |w: &[&str]| w.iter().map(ToString::to_string).collect::<Vec<_>>();
        let (named, _) = super::leaf(expense, &words(&["对附属单位亥日六了"]), true);
        assert!(!named.is_empty() && named.iter().all(|&i| expense.columns[i].names("对附属单位补助支出")));
        // Too short a start is no such name; nor is a text layer's name, printed as it is.
        assert!(super::leaf(expense, &words(&["对附属"]), true).0.is_empty());
        assert!(super::leaf(expense, &words(&["对附属单位亥日六了"]), false).0.is_empty());
    }

    #[test]
    fn the_last_character_of_a_group_over_a_leaf_is_the_group() {
        let summary = national("summary");
        let words = |w: &[&str]| w.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(super::leaf(summary, &words(&["出", "编制预算"]), false).1, "编制预算");
        // A wrapped name's last character is the name's.
        assert_eq!(super::leaf(national("expense"), &words(&["基本支", "出"]), false).1, "基本支出");
    }
}
