//! Checks of the performance targets (findings with `table: "performance_targets"`): a
//! target table printed twice under one title, targets and plans of another year than the
//! document's, indicators without a target value. Each finding is per target table, naming
//! the indicators, so one careless table is one finding, not twenty.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::knowledge::templates::{title_core, title_key};
use crate::label::nfkc;
use crate::model::{Finding, FindingKind, Kind, Metadata, Place, Severity, Target};

/// The table every finding of this module names.
pub const TABLE: &str = "performance_targets";

/// A year as printed in a value or a basis (`2022 年`, `2022年度`).
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(20[0-9]{2})\s*年").expect("year pattern"));

pub fn check(targets: &[Target], metadata: &Metadata) -> Vec<Finding> {
    let mut findings = Vec::new();
    let place = |t: &Target| Place { table: Some(TABLE.to_string()), page: Some(t.page), ..Place::default() };
    // The same title twice.
    let mut by_title: BTreeMap<String, Vec<&Target>> = BTreeMap::new();
    for t in targets {
        // The title reduced as titles are recognised: no number (`2、`), year or department.
        let key = title_key(&t.title);
        let core = title_core(&key).map_or(key, |(core, qualifier)| core + &qualifier);
        by_title.entry(core).or_default().push(t);
    }
    for (title, same) in by_title.iter().filter(|(_, same)| same.len() > 1) {
        let which: Vec<String> = same.iter().map(|t| format!("«{}» (page {})", t.title, t.page)).collect();
        findings.push(Finding::located(
            Severity::Warning,
            FindingKind::TargetRepeated,
            place(same[1]),
            format!("the target table {title} is printed {} times: {}", same.len(), which.join(", ")),
        ));
    }
    // Values and bases of another year than a budget's.
    if metadata.kind == Some(Kind::Budget)
        && let Some(year) = metadata.year
    {
        for t in targets {
            let other: Vec<String> = t
                .indicators
                .iter()
                .flat_map(|i| [&i.value, &i.basis])
                .filter_map(|text| {
                    let text = nfkc(text);
                    let y = YEAR.captures(&text)?.get(1)?.as_str().parse::<i32>().ok()?;
                    (y != year).then(|| text.clone())
                })
                .collect();
            if let Some(first) = other.first() {
                findings.push(Finding::located(
                    Severity::Warning,
                    FindingKind::TargetOtherYear,
                    place(t),
                    format!(
                        "target table «{}»: {} indicator values or bases name another year than the budget's {year} (first: «{first}»)",
                        t.title,
                        other.len()
                    ),
                ));
            }
        }
    }
    // Indicators without a value; tables without an indicator read.
    for t in targets.iter().filter(|t| t.indicators.is_empty()) {
        findings.push(Finding::located(
            Severity::Warning,
            FindingKind::TargetUnread,
            place(t),
            format!(
                "target table «{}»: no indicator could be read (its text is kept in other_tables[{}])",
                t.title, t.table_index
            ),
        ));
    }
    for t in targets {
        let missing: Vec<&str> =
            t.indicators.iter().filter(|i| i.value.trim().is_empty()).map(|i| i.level3.as_str()).collect();
        if !missing.is_empty() {
            findings.push(Finding::located(
                Severity::Warning,
                FindingKind::TargetWithoutValue,
                place(t),
                format!(
                    "target table «{}»: {} indicators without a target value ({})",
                    t.title,
                    missing.len(),
                    missing.join(", ")
                ),
            ));
        }
    }
    findings
}
