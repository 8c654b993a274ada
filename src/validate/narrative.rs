//! The narrative against the tables: every figure the explanation states
//! (`data/narrative/*.toml`) is found in the running text and compared with the table cell
//! that prints the same quantity, converting 元 ↔ 万元 and rounding the table's figure to
//! the statement's decimals (`198.3万元` ≡ 198.30). A statement whose cell is absent from
//! the document is skipped; a blank cell counts as 0.

use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

use super::rules::{CellSpec, find_row};
use super::yuan_per;
use crate::label::label_key;
use crate::layout::Narrative;
use crate::model::{Finding, Kind, Severity, Table};

/// Every statement catalogue, one per disclosure kind.
pub static STATEMENTS: LazyLock<Vec<Statements>> = LazyLock::new(|| {
    [include_str!("../../data/narrative/budget.toml"), include_str!("../../data/narrative/final-accounts.toml")]
        .iter()
        .map(|t| toml::from_str(t).expect("data/narrative/*.toml parse (tested)"))
        .collect()
});

/// Every statement's pattern, compiled once (every document runs them all).
/// Compiled on first use: most documents state only some of the figures, and compiling
/// every pattern up front dominated a one-page conversion.
static COMPILED: LazyLock<std::collections::HashMap<String, std::sync::OnceLock<Option<Regex>>>> =
    LazyLock::new(|| {
        STATEMENTS.iter().flat_map(|s| &s.statements).map(|st| (st.id.clone(), std::sync::OnceLock::new())).collect()
    });

impl Statement {
    /// Words of the label that must occur in the text for it to match at all: the longest
    /// run of ideographs of each alternative (`[“"]?三公[”"]?经费` → 经费).
    fn keywords(&self) -> Vec<String> {
        self.label
            .split('|')
            .filter_map(|alt| {
                alt.split(|c: char| !crate::label::is_ideograph(c))
                    .max_by_key(|w| w.chars().count())
                    .map(str::to_string)
            })
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// The compiled pattern, when the text can contain a match.
    fn pattern_for(&self, text: &str) -> Option<&'static Regex> {
        if self.kind == StatementKind::Amount && !self.keywords().iter().any(|k| text.contains(k.as_str())) {
            return None;
        }
        COMPILED.get(&self.id)?.get_or_init(|| self.pattern()).as_ref()
    }
}

/// The statements of one disclosure kind.
#[derive(Debug, Clone, Deserialize)]
pub struct Statements {
    pub kind: Kind,
    #[serde(rename = "statement")]
    pub statements: Vec<Statement>,
    /// Patterns of the 决算数 vs 预算数 / last-year comparisons (final accounts).
    #[serde(default)]
    pub comparisons: Option<super::comparisons::Patterns>,
}

/// One kind of figure the narrative states.
#[derive(Debug, Clone, Deserialize)]
pub struct Statement {
    pub id: String,
    #[serde(default)]
    pub kind: StatementKind,
    /// The words before the amount (a regular expression).
    #[serde(default)]
    pub label: String,
    /// What may not stand right before the label.
    #[serde(default)]
    pub not_after: Vec<String>,
    /// Where the same figure is printed, in order of preference.
    #[serde(default)]
    pub cells: Vec<CellSpec>,
    /// `subject`: the tables to look the subject up in, and the column compared.
    #[serde(default)]
    pub tables: Vec<String>,
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default = "error")]
    pub severity: Severity,
    pub zh: String,
    pub en: String,
}

fn error() -> Severity {
    Severity::Error
}

/// How a statement is found.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// A label followed by an amount.
    #[default]
    Amount,
    /// `“类-款-项”科目` followed by an amount.
    Subject,
    /// `一般公共服务支出（类）` followed by an amount.
    Class,
}

const AMOUNT: &str =
    r"(?:预算数|预算)?(?:为|共计安排|安排|是|共计|合计)?(?P<v>[0-9][[0-9],]*(?:\.[0-9]+)?)(?P<u>万元|元)";

static SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r#"[“"](?P<path>[^”"]+)[”"]科目{AMOUNT}"#)).expect("subject pattern"));

impl Statement {
    fn pattern(&self) -> Option<Regex> {
        match self.kind {
            StatementKind::Amount => Regex::new(&format!("(?:{}){AMOUNT}", self.label)).ok(),
            StatementKind::Subject => Some(SUBJECT.clone()),
            StatementKind::Class => Regex::new(&format!(r"(?P<name>\p{{Han}}+)\(类\){AMOUNT}")).ok(),
        }
    }
}

/// How many statements were compared, and the findings.
#[derive(Debug, Default)]
pub struct Compared {
    /// Ids of the statements found in the text.
    pub found: std::collections::BTreeSet<String>,
    pub checked: u32,
    pub mismatched: u32,
    pub findings: Vec<Finding>,
}

/// Compares every statement found in the narrative with its table cell.
pub fn compare(tables: &[Table], narrative: &Narrative, kind: Kind, unit: Option<&str>) -> Compared {
    let mut out = Compared::default();
    let text = &narrative.text;
    for (_, patterns) in super::comparisons::COMPILED.iter().filter(|(k, _)| *k == kind) {
        super::comparisons::check(patterns, tables, narrative, &mut out);
    }
    for statement in STATEMENTS.iter().filter(|s| s.kind == kind).flat_map(|s| &s.statements) {
        let Some(pattern) = statement.pattern_for(text) else { continue };
        for caps in pattern.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            let before = &text[..whole.start()];
            if statement.not_after.iter().any(|n| before.ends_with(n.as_str())) {
                continue;
            }
            let Some(cell) = locate(tables, statement, &caps) else { continue };
            let (Ok(stated), Some(u)) = (Decimal::from_str(&caps["v"].replace(',', "")), caps.name("u")) else {
                continue;
            };
            let (t, row, column) = cell;
            let table = &tables[t];
            let printed = row
                .and_then(|r| table.rows[r].cells.iter().find(|c| c.column == column))
                .and_then(|c| c.value)
                .unwrap_or_default();
            let in_stated_unit = printed * yuan_per(table.unit.as_deref().or(unit)) / yuan_per(Some(u.as_str()));
            let expected =
                in_stated_unit.round_dp_with_strategy(stated.scale(), RoundingStrategy::MidpointAwayFromZero);
            out.checked += 1;
            out.found.insert(statement.id.clone());
            if expected == stated {
                continue;
            }
            out.mismatched += 1;
            let context = excerpt(text, whole.start(), whole.end());
            let row_key = row.map(|r| table.rows[r].key.clone());
            let mut f = Finding::new(
                statement.severity,
                "narrative_mismatch",
                format!(
                    "{} ({}): the text states {stated}{} («{context}»), the table {}/{}/{} prints {printed} ({expected} {})",
                    statement.id,
                    statement.zh,
                    u.as_str(),
                    table.id,
                    row_key.as_deref().unwrap_or("(not printed)"),
                    column,
                    u.as_str()
                ),
            );
            f.table = Some(table.id.clone());
            f.row = row_key;
            f.side = row.and_then(|r| table.rows[r].side);
            f.column = Some(column.clone());
            f.rule = Some(statement.id.clone());
            f.expected = Some(expected);
            f.actual = Some(stated);
            f.difference = Some(stated - expected);
            f.page = narrative.page_at(whole.start());
            out.findings.push(f);
        }
    }
    out
}

/// The cell a statement restates: (table, row if printed, column key).
fn locate(tables: &[Table], statement: &Statement, caps: &regex::Captures) -> Option<(usize, Option<usize>, String)> {
    match statement.kind {
        StatementKind::Amount => statement.cells.iter().find_map(|spec| {
            let t = tables.iter().position(|x| Some(&x.id) == spec.table.as_ref())?;
            let row = find_row(&tables[t], spec.side, &spec.row, spec.under.as_deref())?;
            let column = label_key(&spec.column);
            tables[t].columns.iter().any(|c| c.key == column).then_some((t, Some(row), column))
        }),
        StatementKind::Class => {
            let code = super::rules::class_code(&label_key(&caps["name"]))?;
            let column = label_key(statement.column.as_deref().unwrap_or("合计"));
            statement.tables.iter().find_map(|id| {
                let t = tables.iter().position(|x| &x.id == id)?;
                let row = tables[t].rows.iter().position(|r| r.code.as_deref() == Some(code))?;
                Some((t, Some(row), column.clone()))
            })
        }
        StatementKind::Subject => {
            let names: Vec<String> = caps["path"].split(['-', '—', '－']).map(label_key).collect();
            let column = label_key(statement.column.as_deref().unwrap_or("合计"));
            statement.tables.iter().find_map(|id| {
                let t = tables.iter().position(|x| &x.id == id)?;
                let row = subject_row(&tables[t], &names)?;
                Some((t, Some(row), column.clone()))
            })
        }
    }
}

/// The coded row named by a `类-款-项` path: its label is the last name and each ancestor's
/// label (by code prefix) the name before.
pub(crate) fn subject_row(table: &Table, names: &[String]) -> Option<usize> {
    let last = names.last()?;
    table.rows.iter().position(|r| {
        let Some(code) = r.code.as_deref() else { return false };
        &label_key(&r.label) == last
            && names.iter().rev().skip(1).zip([5usize, 3].iter().filter(|&&n| n < code.len())).all(|(name, &n)| {
                let parent = code.get(..n); // `None` (no parent) rather than a cut inside a character
                table
                    .rows
                    .iter()
                    .any(|p| parent.is_some() && p.code.as_deref() == parent && &label_key(&p.label) == name)
            })
    })
}

/// A few characters around a match, for the message.
pub(crate) fn excerpt(text: &str, start: usize, end: usize) -> String {
    let from = text[..start].char_indices().rev().nth(11).map_or(0, |(i, _)| i);
    let to = text[end..].char_indices().nth(4).map_or(text.len(), |(i, _)| end + i);
    text[from..to].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_load_and_compile() {
        for s in STATEMENTS.iter().flat_map(|s| &s.statements) {
            assert!(s.pattern().is_some(), "{} compiles", s.id);
            assert!(!s.zh.is_empty() && !s.en.is_empty());
            assert!(s.kind != StatementKind::Amount || !s.cells.is_empty(), "{} names its cells", s.id);
        }
    }

    #[test]
    fn amounts_are_found_after_their_label_and_not_after_a_longer_word() {
        let find = |id: &str, text: &str| -> Vec<String> {
            let s = STATEMENTS[0].statements.iter().find(|s| s.id == id).expect("statement");
            let p = s.pattern().expect("pattern");
            p.captures_iter(text)
                .filter(|c| !s.not_after.iter().any(|n| text[..c.get(0).unwrap().start()].ends_with(n.as_str())))
                .map(|c| format!("{}{}", &c["v"], &c["u"]))
                .collect()
        };
        assert_eq!(find("n.income.total", "2023年预算收入738.05万元,其中:一般公共预算收入509.01万元"), ["738.05万元"]);
        assert_eq!(find("n.expense.total", "支出预算9,101.68万元,其中:财政拨款支出预算9,101.68万元"), ["9,101.68万元"]);
        assert_eq!(find("n.three-public.total", "我部门财政拨款\"三公\"经费预算共计安排4.4万元"), ["4.4万元"]);
        assert_eq!(
            find("n.admin-operating", "共计安排75.04万元,其中:2023年本年预算安排机关运行经费55.64万元"),
            Vec::<String>::new()
        );
        assert_eq!(find("n.expense.basic", "其中:基本支出增加56.21万元"), Vec::<String>::new());
    }
}
