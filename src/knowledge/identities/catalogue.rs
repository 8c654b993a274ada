//! The identity catalogue (`data/identities/*.toml`): which figures of which tables must
//! add up, as data; and the function-class dictionary (`data/codes/function-classes.toml`)
//! that pairs a summary's class rows with coded rows.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::label::label_key;
use crate::model::{Kind, Side};

/// Every identity catalogue, one per disclosure kind.
pub static CATALOGUES: LazyLock<Vec<Catalogue>> = LazyLock::new(|| {
    [
        include_str!("../../../data/identities/budget.toml"),
        include_str!("../../../data/identities/budget-cross-table.toml"),
        include_str!("../../../data/identities/final-accounts.toml"),
    ]
    .iter()
    .map(|t| toml::from_str(t).expect("data/identities/*.toml parse (tested)"))
    .collect()
});

/// The identities of one disclosure kind.
#[derive(Debug, Clone, Deserialize)]
pub struct Catalogue {
    pub kind: Kind,
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

/// One identity rule.
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub id: String,
    pub table: String,
    pub kind: RuleKind,
    /// Chinese description.
    pub zh: String,
    /// English description.
    pub en: String,
    #[serde(default)]
    pub side: Option<Side>,
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub total: Option<String>,
    #[serde(default)]
    pub addends: Vec<String>,
    /// `columns`: more columns on the total's side (年末结转和结余 + 本年支出 = 年初 + 本年收入).
    #[serde(default)]
    pub also: Vec<String>,
    #[serde(default)]
    pub addends_from: Option<AddendsFrom>,
    #[serde(default)]
    pub row: Option<String>,
    /// The layout families (`national`, `shanghai`) the rule applies to; all when empty.
    #[serde(default)]
    pub layouts: Vec<String>,
    /// `=` (default) or `>=` (the left side at least the right: the 三公 table covers
    /// project spending too, the basic-expense lines only basic).
    #[serde(default)]
    pub relation: Relation,
    /// Severity of a violation: `error` (default) or `warning` for soft checks that hold
    /// only for some departments.
    #[serde(default = "error")]
    pub severity: crate::model::Severity,
    /// `classes` / `matching_rows`: the two sides compared row by row.
    #[serde(default)]
    pub left: Option<CellSpec>,
    #[serde(default)]
    pub right: Option<CellSpec>,
    #[serde(default)]
    pub lhs: Vec<CellSpec>,
    #[serde(default)]
    pub rhs: Vec<CellSpec>,
}

fn error() -> crate::model::Severity {
    crate::model::Severity::Error
}

/// How the two sides of an identity compare.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub enum Relation {
    #[default]
    #[serde(rename = "=")]
    Equal,
    #[serde(rename = ">=")]
    AtLeast,
}

/// How a rule expands.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Columns,
    Hierarchy,
    TotalRow,
    Rows,
    Cells,
    /// The two-sided summary's class rows (by name) vs a coded table's class rows.
    Classes,
    /// Rows with the same code in two tables.
    MatchingRows,
}

/// Where the addends of a `rows` rule come from.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AddendsFrom {
    /// The top-level rows printed before the total.
    Preceding,
    /// The rows printed under the total's heading.
    Children,
    /// Every other top-level row (one line per unit or year under a 合计 line).
    Others,
}

/// An explicit cell of a `cells` rule.
#[derive(Debug, Clone, Deserialize)]
pub struct CellSpec {
    /// Defaults to the rule's table.
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub side: Option<Side>,
    #[serde(default)]
    pub row: String,
    #[serde(default)]
    pub under: Option<String>,
    pub column: String,
}

/// Function-class names → codes (`data/codes/function-classes.toml`).
static CLASSES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    #[derive(Deserialize)]
    struct File {
        class: Vec<Class>,
    }
    #[derive(Deserialize)]
    struct Class {
        code: String,
        names: Vec<String>,
    }
    let file: File = toml::from_str(include_str!("../../../data/codes/function-classes.toml"))
        .expect("function classes parse (tested)");
    file.class.into_iter().flat_map(|c| c.names.into_iter().map(move |n| (label_key(&n), c.code.clone()))).collect()
});

/// The 类 code a summary row's label names.
pub fn class_code(label_key: &str) -> Option<&'static str> {
    CLASSES.iter().find(|(name, _)| name == label_key).map(|(_, code)| code.as_str())
}
