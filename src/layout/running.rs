//! Running heads and feet: a line of words printed at the top or the bottom of many pages
//! (`某某局（本级）2026年度单位预算公开`), which is page furniture, not a heading that ends
//! the table it interrupts.

use std::collections::{BTreeMap, BTreeSet};

use crate::label::label_key;
use crate::page::Line;

/// Pages a line must open or close to be a running head or foot.
const MIN_PAGES: usize = 3;

/// The label keys of the running lines: one cell of words without figures, first or last
/// on at least [`MIN_PAGES`] pages.
pub fn find(lines: &[Line]) -> BTreeSet<String> {
    let mut by_page: BTreeMap<u32, Vec<&Line>> = BTreeMap::new();
    for line in lines.iter().filter(|l| !l.is_blank() && !super::lines::is_page_number(l)) {
        by_page.entry(line.page).or_default().push(line);
    }
    let mut seen: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for (page, page_lines) in &by_page {
        let ends = page_lines.first().into_iter().chain(page_lines.last());
        for line in ends.filter(|l| l.filled().count() == 1 && !super::lines::has_figure(l)) {
            seen.entry(label_key(&line.text())).or_default().insert(*page);
        }
    }
    seen.into_iter().filter(|(key, pages)| !key.is_empty() && pages.len() >= MIN_PAGES).map(|(k, _)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(page: u32, number: u32, cells: &[&str]) -> Line {
        Line {
            page,
            number,
            cells: cells.iter().map(std::string::ToString::to_string).collect(),
            spans: Vec::new(),
            boxes: Vec::new(),
            continues_row: false,
        }
    }

    #[test]
    fn a_head_on_three_pages_is_running_and_a_title_on_one_is_not() {
        let mut lines = Vec::new();
        for page in 1..=3 {
            lines.push(line(page, page * 10, &["某局（本级）2026年度单位预算公开"]));
            lines.push(line(page, page * 10 + 1, &["2010101", "行政运行", "12.00"]));
        }
        lines.push(line(4, 40, &["一般公共预算支出表"]));
        let running = find(&lines);
        assert!(running.contains(&label_key("某局（本级）2026年度单位预算公开")));
        assert!(!running.contains(&label_key("一般公共预算支出表")));
    }
}
