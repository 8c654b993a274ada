//! Stage 7, `validate`: tables → findings; it reads the tables and changes nothing. Checks
//! every identity of the catalogue (`data/identities/*.toml`: within tables and across
//! them) with exact decimals, compares the figures the narrative states with the tables
//! (`narrative`), checks the page metadata (`consistency`), and reports standard tables
//! missing from the document.
//!
//! Rounding (output contract): an identity over n addends holds when |difference| ≤ n ×
//! half a unit in the last printed place, with n = non-blank printed cells − 1. Within
//! that it is an `info` finding; beyond it an `error` with expected, actual, difference and
//! every cell involved. A blank cell is zero; an unreadable one is unknown.

pub mod comparisons;
pub mod consistency;
pub mod narrative;
pub mod targets;

use crate::knowledge::identities::figures::path;
use crate::knowledge::identities::{Figures, Instance, Measure, Relation, measure};
use crate::knowledge::templates::TEMPLATES;
use crate::knowledge::templates::TableTemplate;
use crate::layout::{Layout, OtherBlock};
use crate::model::{Checks, Finding, FindingKind, Kind, Metadata, Place, Severity, Table, Unit};

/// Findings plus the counts of what was checked.
#[derive(Debug, Clone, Default)]
pub struct Validated {
    /// Findings on the document as a whole: its page metadata, the standard tables it lacks.
    pub document: Vec<Finding>,
    /// Findings on its figures: identities and the narrative's figures.
    pub findings: Vec<Finding>,
    pub checks: Checks,
}

/// Runs every check over the tables as recovered, with the identities `recover` expanded over
/// them; changes nothing.
pub fn check(tables: &[Table], instances: &[Instance], layout: &Layout, metadata: &Metadata) -> Validated {
    let kind = metadata.kind.unwrap_or(Kind::Budget);
    let unit = metadata.unit;
    let mut out = Validated::default();
    out.document.extend(consistency::check(layout, metadata));
    missing_tables(tables, &layout.others, kind, &mut out.document);
    out.document.extend(figures_outside_tables(&layout.stray_rows));
    out.findings.extend(tables.iter().flat_map(keyed_alike));
    for instance in instances {
        evaluate(tables, instance, unit, &mut out);
    }
    let mut compared = narrative::Compared::default();
    comparisons::check(kind, tables, &layout.narrative, &mut compared);
    let statements = narrative::compare(tables, &layout.narrative, kind, unit, metadata.year);
    out.checks.narrative = compared.checked + statements.checked;
    out.checks.narrative_mismatched = compared.mismatched + statements.mismatched;
    out.findings.extend(compared.findings.into_iter().chain(statements.findings));
    out
}

/// A table whose rows hold two figures under one key (OCR garbled a header so that two
/// rules named two columns alike): a reader takes one for the other. Reported on that key,
/// once a table.
fn keyed_alike(table: &Table) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for row in &table.rows {
        for (i, cell) in row.cells.iter().enumerate() {
            let again = row.cells[..i].iter().any(|c| c.column == cell.column);
            if again && !out.iter().any(|f| f.column.as_ref() == Some(&cell.column)) {
                let mut f = Finding::new(
                    Severity::Warning,
                    FindingKind::ColumnRepeated,
                    format!(
                        "{}: two figures of a row are keyed {:?} (row {}): two columns came out with one key, so either may be taken for the other",
                        table.id, cell.column, row.key
                    ),
                );
                f.table = Some(table.id.clone());
                f.column = Some(cell.column.clone());
                f.page = Some(row.page);
                out.push(f);
            }
        }
    }
    out
}

fn evaluate(tables: &[Table], instance: &Instance, unit: Option<Unit>, out: &mut Validated) {
    // Unreadable (reported by `tables`) or all blank (nothing printed): nothing to check.
    let Some(measured) = measure(&Figures::of(tables), instance, unit) else {
        return;
    };
    out.checks.identities += 1;
    let rule = instance.rule;
    let Measure { actual, expected, difference, tolerance: tol, mixed } = measured;
    let severity = if measured.exact(rule.relation) {
        out.checks.exact += 1;
        return;
    } else if difference.abs() <= tol {
        out.checks.rounding += 1;
        Severity::Info
    } else {
        match rule.severity {
            Severity::Error => out.checks.violated += 1,
            _ => out.checks.soft_violated += 1,
        }
        rule.severity
    };
    let first = &instance.lhs[0];
    let row = first.row.map(|r| &tables[first.table].rows[r]);
    let cells: Vec<String> = instance.lhs.iter().chain(&instance.rhs).map(|a| path(tables, a)).collect();
    let kind = match severity {
        Severity::Info => FindingKind::IdentityRounding,
        Severity::Warning => FindingKind::IdentitySoftViolation,
        Severity::Error => FindingKind::IdentityViolation,
    };
    let verdict = if severity == Severity::Info { "holds within rounding" } else { "fails" };
    let relation = if rule.relation == Relation::AtLeast { "at least " } else { "" };
    let in_yuan = if mixed { " (in 元, the tables' units differ)" } else { "" };
    let place = match row {
        Some(row) => Place::cell(&tables[first.table].id, row, &first.column),
        None => Place {
            table: Some(tables[first.table].id.clone()),
            column: Some(first.column.clone()),
            ..Place::default()
        },
    };
    let mut f = Finding::located(
        severity,
        kind,
        place,
        format!(
            "{} ({}) {verdict}: {} printed {actual}, {relation}{expected} expected from {} (difference {difference}, tolerance {tol}){in_yuan}",
            rule.id,
            rule.zh,
            cells[0],
            cells[instance.lhs.len()..].join(" + ")
        ),
    );
    f.rule = Some(rule.id.clone());
    f.expected = Some(expected);
    f.actual = Some(actual);
    f.difference = Some(difference);
    f.tolerance = Some(tol);
    f.cells = cells;
    out.findings.push(f);
}

/// Lines that print a table's rows outside every table read, one warning per page: their
/// figures are in no table, which is said, not left to the running text.
fn figures_outside_tables(stray: &[crate::page::Line]) -> Vec<Finding> {
    let mut pages: Vec<u32> = stray.iter().map(|l| l.page).collect();
    pages.dedup();
    pages
        .into_iter()
        .map(|page| {
            let on_page: Vec<&crate::page::Line> = stray.iter().filter(|l| l.page == page).collect();
            let first = on_page[0];
            let mut f = Finding::new(
                Severity::Warning,
                FindingKind::FiguresOutsideTables,
                format!(
                    "{} line(s) on page {page} print figures as a table's rows but belong to no table read (line {}: «{}»): their figures are in no table",
                    on_page.len(),
                    first.number,
                    first.filled().map(|(_, c)| c.trim()).collect::<Vec<_>>().join(" | ")
                ),
            );
            f.page = Some(page);
            f
        })
        .collect()
}

/// A standard table the kind requires that the document does not have at all. A document
/// with no standard table is not a disclosure (reported by `emit`), not nine missing tables.
fn missing_tables(tables: &[Table], others: &[OtherBlock], kind: Kind, findings: &mut Vec<Finding>) {
    if tables.is_empty() {
        return;
    }
    let Some(set) = TEMPLATES.iter().find(|s| s.kind == kind) else {
        return;
    };
    for template in set.tables.iter().filter(|t| t.required) {
        if !tables.iter().any(|t| t.id == template.id) {
            let message = format!("the standard table {} ({}) is not in the document", template.id, template.titles[0]);
            let mut f = match printed_within(template, others) {
                Some((title, column)) => Finding::new(
                    Severity::Info,
                    FindingKind::MissingTable,
                    format!("{message}: its figures are printed within «{title}», in its {column} column"),
                ),
                None => Finding::new(Severity::Error, FindingKind::MissingTable, message),
            };
            f.table = Some(template.id.clone());
            findings.push(f);
        }
    }
}

/// The title of a wider table printed instead of `template`, and the header word of the column
/// holding its figures (`template.within`).
fn printed_within(template: &TableTemplate, others: &[OtherBlock]) -> Option<(String, String)> {
    others.iter().find_map(|other| {
        let title = crate::label::nfkc(&other.title.text());
        let header = |word: &str| {
            other.segments.iter().flat_map(|s| &s.header).any(|l| crate::label::nfkc(&l.text()).contains(word))
        };
        template
            .within
            .iter()
            .find(|w| w.title.iter().all(|t| title.contains(t.as_str())) && header(&w.header))
            .map(|w| (title.trim().to_string(), w.header.clone()))
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::{cell, table};

    #[test]
    fn two_figures_of_a_row_under_one_key_are_reported_once() {
        let alike = table("gpb_basic_expense", &["30101", "30102"], |i| {
            let f = if i == 0 { "297.50" } else { "179.46" };
            vec![cell("合计", f), cell("人员经费", f), cell("合计", "0.00")]
        });
        let found = super::keyed_alike(&alike);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].column.as_deref(), Some("合计"));
        let apart = table("gpb_basic_expense", &["30101"], |_| vec![cell("合计", "1.00"), cell("小计", "1.00")]);
        assert!(super::keyed_alike(&apart).is_empty());
    }
}
