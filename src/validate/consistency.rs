//! Metadata consistency: the year every table title, page banner and document heading
//! states against the document's year (预算年度), the department named on every page against the document's,
//! and placeholders left from a template (`XX局`, `××单位`) — each a finding at the page
//! where it is printed.

use crate::label::{entity_name, first_chars, nfkc};
use crate::layout::Layout;
use crate::model::{Finding, FindingKind, Metadata, Severity};
use crate::pattern::Guarded;

static YEAR_IN_TITLE: Guarded = Guarded::new(r"([0-9]{4})\s*年度?", &["年"]);
static BANNER_YEAR: Guarded = Guarded::new(r"^(?:预算年度|决算年度|年度)\s*:\s*([0-9]{4})", &["年度"]);
/// A document heading: `2023 年部门预算信息公开目录`, `…2023 年部门预算信息公开情况说明`.
static HEADING_YEAR: Guarded =
    Guarded::new(r"([0-9]{4})\s*年度?\s*(?:部门|单位|区级部门)?(?:预算|决算)(?:信息)?公开", &["公开"]);
/// A compiler line's department: the name is its first 41 characters ([`first_chars`]).
static DEPARTMENT: Guarded = Guarded::new(
    r"(?:编制部门|预算主管部门|编制单位)\s*:\s*(\p{Han}[\p{Han}()]{2,})",
    &["编制部门", "预算主管部门", "编制单位"],
);
static PLACEHOLDER: Guarded =
    Guarded::new(r"(?:XX|xx|××|ＸＸ)\s?\p{Han}|\p{Han}\s?(?:XX|xx|××)", &["XX", "xx", "××", "ＸＸ"]);

/// Checks the metadata against every page.
pub fn check(layout: &Layout, metadata: &Metadata) -> Vec<Finding> {
    let mut out = Vec::new();
    let finding = |kind: FindingKind, page: u32, message: String, table: Option<&str>| {
        let mut f = Finding::new(Severity::Error, kind, message);
        f.page = Some(page);
        f.table = table.map(str::to_string);
        f
    };
    // Each line's text in NFKC, once for the checks below.
    let texts: Vec<String> = layout.lines.iter().map(|l| nfkc(&l.text())).collect();
    if let Some(year) = metadata.year {
        for block in &layout.blocks {
            let title = nfkc(&block.title.text());
            if let Some(c) = YEAR_IN_TITLE.captures(&title)
                && c[1].parse::<i32>().ok() != Some(year)
            {
                out.push(finding(
                    FindingKind::YearMismatch,
                    block.title.page,
                    format!("the title «{title}» states {}, the document's year is {year}", &c[1]),
                    Some(&block.template.id),
                ));
            }
        }
        for (line, text) in layout.lines.iter().zip(&texts) {
            if let Some(c) = HEADING_YEAR.captures(text)
                && c[1].parse::<i32>().ok() != Some(year)
            {
                out.push(finding(
                    FindingKind::YearMismatch,
                    line.page,
                    format!(
                        "line {}: the heading «{}» states {}, the document's year is {year}",
                        line.number,
                        text.trim(),
                        &c[1]
                    ),
                    None,
                ));
            }
            if let Some(c) = BANNER_YEAR.captures(text.trim())
                && c[1].parse::<i32>().ok() != Some(year)
            {
                out.push(finding(
                    FindingKind::YearMismatch,
                    line.page,
                    format!("line {}: «{}» states {}, the document's year is {year}", line.number, text.trim(), &c[1]),
                    None,
                ));
            }
        }
    }
    if let Some(department) = &metadata.department {
        for (line, text) in layout.lines.iter().zip(&texts) {
            // Compared as names: `…中心` and `…中心单位`, `…局` and `…局（本级）` are one entity.
            if let Some(c) = DEPARTMENT.captures(text)
                && let named = first_chars(&c[1], 41)
                && entity_name(named) != entity_name(department)
            {
                out.push(finding(
                    FindingKind::DepartmentMismatch,
                    line.page,
                    format!("line {}: names the department {named}, the document's is {department}", line.number),
                    None,
                ));
            }
        }
    }
    // Placeholders: one finding for the document, with where they are.
    let placeholders: Vec<(u32, String)> = layout
        .lines
        .iter()
        .zip(&texts)
        .filter_map(|(l, text)| PLACEHOLDER.find(text).map(|m| (l.page, m.as_str().to_string())))
        .collect();
    if let Some((page, example)) = placeholders.first() {
        let mut pages: Vec<u32> = placeholders.iter().map(|(p, _)| *p).collect();
        pages.dedup();
        out.push(finding(
            FindingKind::Placeholder,
            *page,
            format!(
                "{} lines on pages {pages:?} hold template placeholders (e.g. «{example}»): a template, not a department's disclosure",
                placeholders.len()
            ),
            None,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_run_on_into_the_unit_is_the_same_department() {
        let layout =
            crate::testing::layout("编制单位：上海市某某事务中心\t单位：元\n编制单位：上海市某某研究院\t单位：元\n");
        let metadata = Metadata { department: Some("上海市某某事务中心".into()), ..Metadata::default() };
        let findings = check(&layout, &metadata);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].kind, FindingKind::DepartmentMismatch);
        assert!(findings[0].message.contains("上海市某某研究院"), "{}", findings[0].message);
    }

    #[test]
    fn placeholders_are_recognised() {
        assert!(PLACEHOLDER.is_match("XX局2024年度部门决算"));
        assert!(PLACEHOLDER.is_match("××单位"));
        assert!(!PLACEHOLDER.is_match("青龙满族自治县行政审批局"));
        assert!(!PLACEHOLDER.is_match("单价在 20 万元以上的设备"));
    }
}
