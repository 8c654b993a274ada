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
        crate::knowledge::data!("identities/budget"),
        crate::knowledge::data!("identities/budget-cross-table"),
        crate::knowledge::data!("identities/final-accounts"),
    ]
    .iter()
    .map(|t| serde_json::from_str(t).expect("data/identities/*.toml parse (tested)"))
    .collect()
});

/// The identities of one disclosure kind.
#[derive(Debug, Clone, Deserialize)]
pub struct Catalogue {
    pub kind: Kind,
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

/// One identity rule: what it is, where it applies, and its shape.
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub id: String,
    pub table: String,
    /// Chinese description.
    pub zh: String,
    /// English description.
    pub en: String,
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
    /// Which figures it relates, by its `kind`.
    #[serde(flatten)]
    pub shape: Shape,
}

/// The shapes of identity a rule can have (its `kind` in the catalogue), each with the
/// fields it needs and no other.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// In every row: a total column = Σ addend columns.
    Columns(ColumnSum),
    /// In every value column: a 类 or 款 row = Σ the codes under it.
    Hierarchy,
    /// In every value column: the 合计 row (or `row`) = Σ the 类 rows.
    TotalRow {
        #[serde(default)]
        row: Option<String>,
    },
    /// In every value column (or `column`): a total row = Σ addend rows.
    Rows(RowSum),
    /// Named cells, in one table or across tables: Σ lhs = Σ rhs.
    Cells { lhs: Vec<CellSpec>, rhs: Vec<CellSpec> },
    /// The two-sided summary's class rows (by name) = a coded table's class rows.
    Classes(RowPair),
    /// Rows with the same code in two tables are equal.
    MatchingRows(RowPair),
}

/// A `columns` rule.
#[derive(Debug, Clone, Deserialize)]
pub struct ColumnSum {
    #[serde(default)]
    pub side: Option<Side>,
    pub total: String,
    pub addends: Vec<String>,
    /// More columns on the total's side (年末结转和结余 + 本年支出 = 年初 + 本年收入).
    #[serde(default)]
    pub also: Vec<String>,
}

/// A `rows` rule: the addends named, or found by `addends_from`.
#[derive(Debug, Clone, Deserialize)]
pub struct RowSum {
    #[serde(default)]
    pub side: Option<Side>,
    pub total: String,
    #[serde(default)]
    pub addends: Vec<String>,
    #[serde(default)]
    pub addends_from: Option<AddendsFrom>,
    /// Only this column.
    #[serde(default)]
    pub column: Option<String>,
}

/// A `classes` or `matching_rows` rule: the two sides compared row by row.
#[derive(Debug, Clone, Deserialize)]
pub struct RowPair {
    pub left: CellSpec,
    pub right: CellSpec,
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
    /// The row the first addend names and every top-level row printed after it up to the
    /// total (收入总计 = 本年收入合计 + 上年结转 … whichever rows a layout prints between them:
    /// 烟台 prints 上级补助收入 there).
    After,
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
    let file: File = serde_json::from_str(crate::knowledge::data!("codes/function-classes"))
        .expect("function classes parse (tested)");
    file.class.into_iter().flat_map(|c| c.names.into_iter().map(move |n| (label_key(&n), c.code.clone()))).collect()
});

/// Every function class's names (label_keys) with its code.
pub fn classes() -> impl Iterator<Item = (&'static str, &'static str)> {
    CLASSES.iter().map(|(name, code)| (name.as_str(), code.as_str()))
}

/// The 类 code a summary row's label names.
pub fn class_code(label_key: &str) -> Option<&'static str> {
    CLASSES.iter().find(|(name, _)| name == label_key).map(|(_, code)| code.as_str())
}
