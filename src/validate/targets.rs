//! Checks of the performance targets (findings with `table: "performance_targets"`): a
//! target table printed twice under one title, targets and plans of another year than the
//! document's, indicators without a target value, a cost indicator above the target's
//! money, and the money against the project's line in a project expense table. Each finding is per target table, naming
//! the indicators, so one careless table is one finding, not twenty.

use std::collections::BTreeMap;

use crate::pattern::Guarded;
use rust_decimal::Decimal;

use crate::knowledge::templates::{title_core, title_key};
use crate::label::{label_key, nfkc};
use crate::model::{Finding, FindingKind, Kind, Metadata, OtherTable, Place, Severity, Target};

/// The table every finding of this module names.
pub const TABLE: &str = "performance_targets";

/// A year as printed in a value or a basis (`2022 年`, `2022年度`).
static YEAR: Guarded = Guarded::new(r"(20[0-9]{2})\s*年", &["年"]);

pub fn check(targets: &[Target], others: &[OtherTable], metadata: &Metadata) -> Vec<Finding> {
    let mut findings = Vec::new();
    let place = |t: &Target| Place { table: Some(TABLE.to_string()), page: Some(t.page), ..Place::default() };
    // The same title twice, for the same project of the same unit (a table listing several
    // projects gives each the table's title).
    // (title core, project, responsible unit) → the targets printed under it.
    type Key = (String, Option<String>, Option<String>);
    let mut by_title: BTreeMap<Key, Vec<&Target>> = BTreeMap::new();
    for t in targets {
        // The title reduced as titles are recognised: no number (`2、`), year or department.
        let key = title_key(&t.title);
        let core = title_core(&key).map_or(key, |(core, qualifier)| core + &qualifier);
        let project = t.project.as_deref().map(title_key);
        by_title.entry((core, project, t.responsible.clone())).or_default().push(t);
    }
    for ((title, _, _), same) in by_title.iter().filter(|(_, same)| same.len() > 1) {
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
    // Indicators without a value; tables without an indicator read (but those that print
    // none: a list of projects with their goals and money).
    let prints_indicators = |t: &Target| {
        // An indicator header word (一级指标, 三级指标, 指标名称, 指标值) anywhere in the table.
        let header = |t: &str| t.contains("级指标") || t.contains("指标名称") || t.contains("指标值");
        others.iter().find(|o| o.table_index == t.table_index).is_none_or(|o| {
            o.columns.iter().any(|c| header(c)) || o.rows.iter().flat_map(|r| &r.cells).any(|c| header(&c.text))
        })
    };
    for t in targets.iter().filter(|t| t.indicators.is_empty() && prints_indicators(t)) {
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
    findings.extend(targets.iter().flat_map(|t| cost_over_money(t, place(t))));
    // Each project's label key once, and the lines the project expense tables print for it.
    let keys: Vec<Option<String>> = targets.iter().map(|t| t.project.as_deref().map(label_key)).collect();
    let lines = project_lines(others);
    for (t, key) in targets.iter().zip(&keys) {
        // A project printed in several target tables (repeated, said above) agrees when one
        // of them does.
        let Some(key) = key else { continue };
        let siblings: Vec<&Target> =
            targets.iter().zip(&keys).filter(|(_, k)| k.as_ref() == Some(key)).map(|(u, _)| u).collect();
        let totals = lines.get(key).map_or(&[][..], Vec::as_slice);
        findings.extend(money_against_projects(t, &siblings, totals, place(t)));
    }
    findings
}

/// The lines of the document's project expense tables (项目支出表) by the label key of each
/// text printed on them: the table's title and the line's total (合计, or its first figure).
fn project_lines(others: &[OtherTable]) -> BTreeMap<String, Vec<(String, Decimal)>> {
    let mut lines: BTreeMap<String, Vec<(String, Decimal)>> = BTreeMap::new();
    for table in others.iter().filter(|t| is_project_table(&t.title)) {
        let total = table.columns.iter().position(|c| label_key(c.rsplit('/').next().unwrap_or(c)) == "合计");
        for row in &table.rows {
            let figure = match total {
                Some(p) => row.cells.iter().find(|c| c.column as usize == p).and_then(|c| c.value),
                None => row.cells.iter().find_map(|c| c.value),
            };
            let Some(figure) = figure else { continue };
            let mut texts: Vec<String> =
                row.cells.iter().filter(|c| c.value.is_none()).map(|c| label_key(&c.text)).collect();
            texts.sort();
            texts.dedup();
            for key in texts {
                lines.entry(key).or_default().push((table.title.clone(), figure));
            }
        }
    }
    lines
}

/// The target's money (its first figure: 年度资金总额, 项目总额) against its project's line in
/// the document's project expense tables (项目支出表, by the project's name, `totals`): a
/// warning when the project is printed there and none of its lines' totals (合计) is that
/// figure (nor the figure of another target table of the same project).
fn money_against_projects(
    target: &Target,
    siblings: &[&Target],
    totals: &[(String, Decimal)],
    place: Place,
) -> Option<Finding> {
    let money = target.money.first()?;
    let (title, printed) = totals.first()?.clone();
    let agrees = |t: &&Target| t.money.first().is_some_and(|m| totals.iter().any(|(_, f)| *f == m.value));
    if agrees(&target) || siblings.iter().any(agrees) {
        return None;
    }
    Some(Finding::located(
        Severity::Warning,
        FindingKind::TargetMoneyMismatch,
        place,
        format!(
            "target «{}» ({}): {} {} 万元, but the project's line in «{title}» prints {printed}",
            target.title,
            target.project.as_deref().unwrap_or_default(),
            money.label,
            money.value
        ),
    ))
}

/// A project expense table (项目支出表, 项目支出预算情况表), not a target table.
fn is_project_table(title: &str) -> bool {
    let key = label_key(title);
    key.contains("项目支出") && !key.contains("绩效")
}

/// A 成本指标 in 万元 (or 元) above the target's money: the largest figure printed with it
/// (年度资金总额, 项目总额), in the table's 万元.
fn cost_over_money(target: &Target, place: Place) -> Option<Finding> {
    let money = target.money.iter().map(|m| m.value).max()?;
    let over: Vec<String> = target
        .indicators
        .iter()
        .filter(|i| i.level1.contains("成本") || i.level2.contains("成本"))
        .filter_map(|i| {
            let v = i.parsed.as_ref()?;
            let wan = match v.unit.as_str() {
                "万元" => v.number,
                "元" => v.number / Decimal::from(10_000),
                _ => return None,
            };
            (wan > money).then(|| format!("«{}» {}", i.level3, i.value))
        })
        .collect();
    let first = over.first()?;
    Some(Finding::located(
        Severity::Warning,
        FindingKind::TargetCostOverMoney,
        place,
        format!(
            "target «{}»{}: {} cost indicators state more than its money {money} 万元 (first: {first})",
            target.title,
            target.project.as_deref().map(|p| format!(" ({p})")).unwrap_or_default(),
            over.len()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::model::{Indicator, OtherCell, OtherRow, TargetMoney, TargetScope, TargetValue};

    fn target(project: &str, money: &str, cost: Option<(&str, &str)>) -> Target {
        let indicators = cost
            .map(|(number, unit)| Indicator {
                level1: "成本指标".into(),
                level1_inferred: false,
                level2: "经济成本指标".into(),
                level3: "项目总成本".into(),
                description: String::new(),
                value: format!("≤{number}{unit}"),
                parsed: Some(TargetValue {
                    comparator: "<=".into(),
                    number: Decimal::from_str(number).unwrap(),
                    unit: unit.into(),
                }),
                basis: String::new(),
                direction: None,
                unit: None,
                score: None,
                page: 3,
                line: 1,
            })
            .into_iter()
            .collect();
        Target {
            target_index: 0,
            table_index: 1,
            title: "项目支出绩效目标表".into(),
            scope: TargetScope::Project,
            project: Some(project.into()),
            responsible: None,
            goals: None,
            money: vec![TargetMoney { label: "年度资金总额".into(), value: Decimal::from_str(money).unwrap() }],
            page: 3,
            indicators,
        }
    }

    fn project_table(name: &str, total: &str) -> OtherTable {
        let cell =
            |column: u32, text: &str| OtherCell { column, text: text.into(), value: Decimal::from_str(text).ok() };
        OtherTable {
            table_index: 0,
            title: "项目支出预算情况表".into(),
            page: 2,
            columns: vec!["项目名称".into(), "合计".into()],
            rows: vec![OtherRow {
                page: 2,
                line: 9,
                cells: vec![cell(0, name), cell(1, total)],
                continues_row: false,
                off_grid: false,
            }],
        }
    }

    /// The kinds found, but `target_unread` (these targets carry no indicator but the cost).
    fn kinds(targets: &[Target], others: &[OtherTable]) -> Vec<FindingKind> {
        let found = check(targets, others, &Metadata::default()).into_iter().map(|f| f.kind);
        found.filter(|k| *k != FindingKind::TargetUnread).collect()
    }

    #[test]
    fn money_differing_from_the_projects_line_is_said_unless_a_table_of_the_project_agrees() {
        let others = [project_table("接访大厅运行经费", "145.00")];
        assert!(kinds(&[target("接访大厅运行经费", "145.00", None)], &others).is_empty());
        let wrong = kinds(&[target("接访大厅运行经费", "154.00", None)], &others);
        assert_eq!(wrong, [FindingKind::TargetMoneyMismatch]);
        // Printed twice, once with the project table's figure: the repeat is the finding.
        let twice = [target("接访大厅运行经费", "154.00", None), target("接访大厅运行经费", "145.00", None)];
        assert_eq!(kinds(&twice, &others), [FindingKind::TargetRepeated]);
        // A project the project tables do not print is not compared.
        assert!(kinds(&[target("信访业务工作经费", "75.00", None)], &others).is_empty());
    }

    #[test]
    fn a_cost_above_the_targets_money_is_said_in_the_same_unit() {
        assert!(kinds(&[target("公车统管", "15.00", Some(("15", "万元")))], &[]).is_empty());
        let over = kinds(&[target("公车统管", "15.00", Some(("16", "万元")))], &[]);
        assert_eq!(over, [FindingKind::TargetCostOverMoney]);
        // 元 are ten-thousandths of 万元; a cost per item (元/家) is not the project's.
        assert!(kinds(&[target("公车统管", "15.00", Some(("140000", "元")))], &[]).is_empty());
        assert_eq!(
            kinds(&[target("公车统管", "15.00", Some(("160000", "元")))], &[]),
            [FindingKind::TargetCostOverMoney]
        );
        assert!(kinds(&[target("公车统管", "15.00", Some(("300", "元/家")))], &[]).is_empty());
    }
}
