//! The department's name as the document prints it. The cover, the compiler line or a
//! heading name the department once; OCR garbles a large cover's characters (`虞录州市…`,
//! `…与扩林保障中心`), loses one (`…中心` / `位预算`, 单 lost: no scope, so no cover read), or
//! runs the compiler's name on into what follows (`重庆市气象局革位`, `单位` garbled;
//! `广州市统计局其他资金收入`, a header beside it). The narrative and the tables print the
//! name again and again (`2026年，泉州市…中心主要…`), and a garbled reading is printed once:
//! the name the document prints most that is near the reading is the department's; a place
//! it begins with read a character off (`录州市…`) is the place the document prints.

use super::texts::Texts;
use crate::label::{edit_distance, entity_name, is_ideograph, is_unit_label, is_unit_name};

/// Times a name is printed for it to stand as read: the cover or compiler line once, and the
/// narrative or a table once more at least.
const MIN_PRINTED: usize = 2;

/// Edits a garbled reading is from the name printed ([`edit_distance`]): a character or two
/// garbled, lost or run on.
const MAX_EDITS: usize = 2;

/// Characters a name needs for its near readings to tell it from another unit's: short names
/// (`某某局`) are a character apart from each other.
const MIN_CHARS: usize = 6;

/// Characters of a name read from a garbled cover at least: a 局 of a county's (`某县某局`).
const MIN_COVER_CHARS: usize = 4;

/// The department's name as the document prints it, for `name` as read from the cover, the
/// compiler line or a heading, its places as printed ([`places_as_printed`]): the name where it is printed [`MIN_PRINTED`] times; else the
/// start of it that ends as a unit's name and is so printed (`广州市统计局其他资金收入`); else
/// the unit's name printed most, at least [`MIN_PRINTED`] times, [`MAX_EDITS`] or fewer from it.
pub(super) fn as_printed(name: String, texts: &Texts<'_>) -> String {
    let name = places_as_printed(name, texts);
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < MIN_CHARS || printed(&chars, texts) >= MIN_PRINTED {
        return name;
    }
    // The compiler's name run on into the words after it: its longest start a unit's name.
    if !is_unit_name(&name) {
        let start = (MIN_CHARS..chars.len())
            .rev()
            .map(|n| &chars[..n])
            .find(|start| is_unit_name(&start.iter().collect::<String>()) && printed(start, texts) >= MIN_PRINTED);
        if let Some(start) = start {
            return start.iter().collect();
        }
    }
    nearest_printed(&chars, texts).unwrap_or(name)
}

/// The department's name read from a cover whose scope OCR garbled (`…中心` / `位预算`: no
/// `单位预算`, so [`super::COVER`] reads none): the heading between its year and its
/// `预算`/`决算`, as the document prints it ([`as_printed`]) where it prints it.
pub(super) fn from_cover(heading: &str, texts: &Texts<'_>) -> Option<String> {
    let end = heading.rfind("预算").or_else(|| heading.rfind("决算"))?;
    let body = &heading[..end];
    let body = match body.find('年') {
        Some(at) if body[..at].chars().all(|c| c.is_ascii_digit()) => {
            body[at + '年'.len_utf8()..].trim_start_matches('度')
        }
        _ => body,
    };
    let name: String = body.chars().take_while(|&c| is_ideograph(c) || c == '(' || c == ')').collect();
    let name = entity_name(&name);
    let printed_name = as_printed(name.clone(), texts);
    // Only a unit's name the document prints: the heading alone is no evidence of one.
    let evidence = printed_name != name || printed(&name.chars().collect::<Vec<_>>(), texts) >= MIN_PRINTED;
    (evidence && is_unit_label(&printed_name) && printed_name.chars().count() >= MIN_COVER_CHARS)
        .then_some(printed_name)
}

/// The department's name with each place it begins with (泉州市) as the document prints that
/// place: where OCR read it a character off in the name (`录州市…`) and the document prints a
/// place of its length ending as it does, a character off it, at least twice and more than
/// twice as often as the name's reading (the narrative and every table name the place), that
/// place is the name's. A text layer prints the name as it is, and it outnumbers the rest.
fn places_as_printed(department: String, texts: &Texts<'_>) -> String {
    let mut out = department.clone();
    for place in crate::label::places(&department) {
        let target: Vec<char> = place.chars().collect();
        let n = target.len();
        let mut seen: std::collections::BTreeMap<Vec<char>, usize> = std::collections::BTreeMap::new();
        for i in 0..texts.lines.len() {
            let chars: Vec<char> = texts.compact(i).chars().collect();
            for run in chars.windows(n) {
                let off = run.iter().zip(&target).filter(|(a, b)| a != b).count();
                if off <= 1 && run[n - 1] == target[n - 1] && run.iter().all(|&c| is_ideograph(c)) {
                    *seen.entry(run.to_vec()).or_default() += 1;
                }
            }
        }
        let own = seen.get(&target).copied().unwrap_or(0);
        let mut others: Vec<(usize, &Vec<char>)> =
            seen.iter().filter(|(run, _)| **run != target).map(|(run, count)| (*count, run)).collect();
        others.sort();
        let unique = others.len() < 2 || others[others.len() - 2].0 < others[others.len() - 1].0;
        if let Some(&(_, run)) = others.last().filter(|(count, _)| unique && *count >= 2 && *count > 2 * own) {
            out = out.replacen(&place, &run.iter().collect::<String>(), 1);
        }
    }
    out
}

/// Times the lines print `name`.
fn printed(name: &[char], texts: &Texts<'_>) -> usize {
    let name: String = name.iter().collect();
    (0..texts.lines.len()).map(|i| texts.compact(i).matches(name.as_str()).count()).sum()
}

/// The unit's name the lines begin a clause with [`MIN_PRINTED`] times at least (at a line's
/// or a cell's start, after punctuation or a year: `2026年，泉州市…`, `2026年泉州市…`),
/// [`MAX_EDITS`] or fewer from `name`: the fewest edits, then the most printed, then the
/// longer. Only where a clause begins: a name with its first character lost (`州市…中心`) is
/// as near a reading whose first characters OCR garbled (`虞录州市…`), and is printed wherever
/// the whole is, after its first character. Never a run begun by the year's 年 or 度.
fn nearest_printed(name: &[char], texts: &Texts<'_>) -> Option<String> {
    let wanted: String = name.iter().collect();
    let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for i in 0..texts.lines.len() {
        let chars: Vec<char> = texts.compact(i).chars().collect();
        for len in name.len().saturating_sub(MAX_EDITS).max(MIN_CHARS)..=name.len() + MAX_EDITS {
            for (at, run) in chars.windows(len).enumerate() {
                let begins = at == 0 || !is_ideograph(chars[at - 1]) || matches!(chars[at - 1], '年' | '度');
                if !begins
                    || matches!(run[0], '年' | '度')
                    || !run.iter().all(|&c| is_ideograph(c) || c == '(' || c == ')')
                {
                    continue;
                }
                let run: String = run.iter().collect();
                if is_unit_name(&run) {
                    *seen.entry(run).or_default() += 1;
                }
            }
        }
    }
    seen.into_iter()
        .filter(|(_, count)| *count >= MIN_PRINTED)
        .map(|(run, count)| (edit_distance(&run, &wanted), count, run))
        .filter(|(edits, ..)| *edits <= MAX_EDITS)
        .max_by_key(|(edits, count, run)| (std::cmp::Reverse(*edits), *count, run.chars().count()))
        .map(|(.., run)| run)
}

#[cfg(test)]
mod tests {
    fn department(text: &str) -> Option<String> {
        super::super::metadata(&crate::testing::layout(text)).department
    }

    const NARRATIVE: &str = "一、单位职责\n泉州市市场监管综合监测与技术保障中心负责检测。\n\
        2026年泉州市市场监管综合监测与技术保障中心收入预算。\n2026年，泉州市市场监管综合监测与技术保障中心支出预算。\n";

    #[test]
    fn a_cover_garbled_is_the_name_the_document_prints_near_it() {
        // Its first characters garbled, one run on before them: not the name without them
        // (`州市…`, printed wherever the whole is), nor the year's 年 before it.
        let cover = "2026年度\n虞录州市市场监管综合监测与技术保障中心\n单位预算\n";
        assert_eq!(department(&format!("{cover}{NARRATIVE}")).as_deref(), Some("泉州市市场监管综合监测与技术保障中心"));
        // Two characters garbled inside it.
        let cover = "2026年度\n泉州市市场监管综合监测与扩林保障中心\n单位预算\n";
        assert_eq!(department(&format!("{cover}{NARRATIVE}")).as_deref(), Some("泉州市市场监管综合监测与技术保障中心"));
    }

    #[test]
    fn a_cover_whose_scope_ocr_lost_names_the_department_the_document_prints() {
        let cover = "2026年度\n泉州市市场监管综合监测与技术保障中心\n位预算\n";
        assert_eq!(department(&format!("{cover}{NARRATIVE}")).as_deref(), Some("泉州市市场监管综合监测与技术保障中心"));
        // A heading the document prints nowhere else names no department.
        assert_eq!(department("2026年度\n泉州市市场监管综合监测与技术保障中心\n位预算\n一、职责\n负责检测。\n"), None);
    }

    #[test]
    fn a_compiler_name_run_on_is_its_start_the_document_prints() {
        let text =
            "编制单位：重庆市气象局革位\t单位：万元\n一、部门职责\n重庆市气象局负责气象。\n重庆市气象局下属单位。\n";
        assert_eq!(department(text).as_deref(), Some("重庆市气象局"));
        // Printed once and nothing near it printed: the name as read.
        let text = "编制单位：重庆市气象局革位\t单位：万元\n一、部门职责\n负责气象。\n";
        assert_eq!(department(text).as_deref(), Some("重庆市气象局革位"));
    }
}
