//! The standard table templates, read from `data/templates/*.toml`.
//!
//! Templates are data: titles and their variants, leaf columns with their header paths and
//! aliases, two-sided layouts and sub-row groups. Adding a province's variant or the final
//! accounts set is adding data here, not code.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::label;
use crate::model::{ColumnRole, Kind, Side};

/// All template sets gongkai knows, one per disclosure kind.
pub static TEMPLATES: LazyLock<Vec<TemplateSet>> = LazyLock::new(|| {
    [
        include_str!("../../data/templates/budget.toml"),
        include_str!("../../data/templates/budget-shanghai.toml"),
        include_str!("../../data/templates/final-accounts.toml"),
    ]
    .iter()
    .map(|text| {
        let mut set: TemplateSet = toml::from_str(text).expect("data/templates/*.toml parse (tested)");
        for table in &mut set.tables {
            table.layout = set.layout.clone();
        }
        set
    })
    .collect()
});

/// The templates of one disclosure kind.
#[derive(Debug, Clone, Deserialize)]
pub struct TemplateSet {
    pub kind: Kind,
    /// The layout family (`national`, `shanghai`, …): which identity rules apply.
    pub layout: String,
    #[serde(rename = "table")]
    pub tables: Vec<TableTemplate>,
}

/// One standard table.
#[derive(Debug, Clone, Deserialize)]
pub struct TableTemplate {
    /// The role, which is the table id in the output.
    pub id: String,
    /// Required by the standard set: absent means a `missing_table` error.
    pub required: bool,
    /// Printed title variants.
    pub titles: Vec<String>,
    #[serde(default)]
    pub two_sided: bool,
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Leaf columns after 序号, in printed order.
    pub columns: Vec<ColumnTemplate>,
    /// Other printed names of the merged header cells.
    #[serde(default)]
    pub group_aliases: Vec<String>,
    /// Whether the first printed column is 序号 (row numbers); most tables have one.
    #[serde(default = "yes")]
    pub seq_column: bool,
    /// Items printed as column headers over one line of figures: read transposed, each
    /// value column an item (`ColumnTemplate::item`) and the figure's kind `figure`.
    #[serde(default)]
    pub transposed: bool,
    /// The figure's kind of a transposed table (`预算数`, `决算数`).
    #[serde(default)]
    pub figure: Option<String>,
    /// The layout family of the set this template belongs to (filled in on load).
    #[serde(skip)]
    pub layout: String,
}

fn yes() -> bool {
    true
}

/// A heading whose following ordinal rows are its sub-rows.
#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub side: Side,
    pub heading: String,
}

/// One leaf column.
#[derive(Debug, Clone, Deserialize)]
pub struct ColumnTemplate {
    pub label: String,
    pub role: ColumnRole,
    #[serde(default)]
    pub side: Option<Side>,
    #[serde(default)]
    pub path: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// In a transposed table: the row (item) this column's figure belongs to.
    #[serde(default)]
    pub item: Option<String>,
    /// In a transposed table: the item's parent, for sub-items (购置费 under 公务用车…).
    #[serde(default)]
    pub under: Option<String>,
    /// In a transposed table: this column's figure kind (`预算数`, `决算数`), when the
    /// table prints more than one.
    #[serde(default)]
    pub figure: Option<String>,
    /// Side-by-side blocks of one table (the final accounts' basic-expense table prints
    /// 人员经费 and 公用经费 classes next to each other): each block's columns make rows.
    #[serde(default)]
    pub block: Option<u8>,
}

impl ColumnTemplate {
    /// True when `key` (a label_key) names this column.
    pub fn names(&self, key: &str) -> bool {
        label::label_key(&self.label) == key || self.aliases.iter().any(|a| label::label_key(a) == key)
    }
}

impl TableTemplate {
    /// The cell position of the first template column: 1 after a 序号 column, else 0.
    pub fn first_column(&self) -> usize {
        usize::from(self.seq_column)
    }

    /// Every merged-header name of this table (paths and aliases), as label keys.
    pub fn group_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .columns
            .iter()
            .flat_map(|c| c.path.iter())
            .chain(self.group_aliases.iter())
            .map(|s| label::label_key(s))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }
}

/// The key a title is matched on: NFKC, no white space, quotes or brackets, no year prefix.
pub fn title_key(s: &str) -> String {
    let key: String = label::nfkc(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”' | '\'' | '[' | ']' | '【' | '】'))
        .collect();
    let digits = key.chars().take_while(char::is_ascii_digit).count();
    let rest = &key[digits..];
    if digits == 4 {
        let rest = rest.strip_prefix('年').unwrap_or(rest);
        return rest.strip_prefix('度').unwrap_or(rest).to_string();
    }
    key
}

/// Every template of the role `id` for `kind`, across layout families.
pub fn variants(kind: Kind, id: &str) -> Vec<&'static TableTemplate> {
    TEMPLATES.iter().filter(|s| s.kind == kind).flat_map(|s| s.tables.iter()).filter(|t| t.id == id).collect()
}

impl TableTemplate {
    /// How many of the header words name this template's columns or groups.
    pub fn vocabulary_score<'w>(&self, words: impl Iterator<Item = &'w str>) -> usize {
        let groups = self.group_keys();
        words
            .map(label::label_key)
            .filter(|k| !k.is_empty() && (groups.contains(k) || self.columns.iter().any(|c| c.names(k))))
            .count()
    }
}

/// A recognised title.
#[derive(Debug, Clone)]
pub struct TitleMatch {
    pub kind: Kind,
    pub table: &'static TableTemplate,
    /// The variant matched, when the printed title differs from it (a fuzzy match).
    pub fuzzy: Option<String>,
}

/// A title variant, prepared for matching.
struct TitleEntry {
    key: String,
    /// `key`'s length in characters.
    len: usize,
    kind: Kind,
    table: &'static TableTemplate,
    title: &'static str,
}

/// Every title variant's key, built once, since every line of every document is checked.
static TITLES: LazyLock<Vec<TitleEntry>> = LazyLock::new(|| {
    TEMPLATES
        .iter()
        .flat_map(|set| set.tables.iter().map(move |t| (set.kind, t)))
        .flat_map(|(kind, table)| {
            table.titles.iter().map(move |title| {
                let key = title_key(title);
                TitleEntry { len: key.chars().count(), key, kind, table, title: title.as_str() }
            })
        })
        .collect()
});

/// Recognises a line as a standard table's title: an exact variant (after undoing the
/// known OCR confusions of `data/ocr/confusions.toml`), or one edit away from a variant of
/// at least six characters (an OCR-dropped or -swapped character). More edits would take
/// the 决算 set's other tables, whose titles differ from the standard ones by two or three
/// characters, for standard ones.
pub fn match_title(text: &str) -> Option<TitleMatch> {
    let key = title_key(text);
    let key = crate::repair::cell::unconfuse(&key).unwrap_or(key);
    let len = key.chars().count();
    if !(4..=40).contains(&len) {
        return None;
    }
    if let Some(e) = TITLES.iter().find(|e| e.key == key) {
        return Some(TitleMatch { kind: e.kind, table: e.table, fuzzy: None });
    }
    TITLES
        .iter()
        .filter(|e| e.len >= 6 && e.len.abs_diff(len) <= 1)
        .find(|e| label::edit_distance(&e.key, &key) <= 1)
        .map(|e| TitleMatch { kind: e.kind, table: e.table, fuzzy: Some(e.title.to_string()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_load_and_are_consistent() {
        for set in TEMPLATES.iter() {
            assert!(set.tables.iter().filter(|t| t.required).count() >= 9);
            for t in &set.tables {
                assert!(!t.titles.is_empty(), "{} has titles", t.id);
                assert!(t.columns.iter().any(|c| c.role == ColumnRole::Value), "{} has values", t.id);
                if t.two_sided {
                    assert!(t.columns.iter().all(|c| c.side.is_some()), "{} sides", t.id);
                }
            }
        }
    }

    #[test]
    fn titles_match_by_role_across_variants() {
        let id = |s: &str| match_title(s).map(|m| m.table.id.clone());
        assert_eq!(id("部门预算收支总表").as_deref(), Some("summary"));
        assert_eq!(id("2025年部门财务收支预算总表").as_deref(), Some("summary"));
        assert_eq!(id("部门预算政府基金预算财政拨款支出表").as_deref(), Some("gov_fund_expense"));
        assert_eq!(id("部门预算财政拨款\"三公\"经费支出表").as_deref(), Some("three_public"));
        assert_eq!(id("部门“三公”经费和机关运行经费预算表").as_deref(), Some("three_public"));
        assert_eq!(id("部门一般公共预算支出功能分类预算表").as_deref(), Some("gpb_expense"));
        // One OCR-dropped character still matches, and is reported as fuzzy.
        let m = match_title("部门预算一般公共预算财政拨款基本支表").expect("fuzzy");
        assert_eq!(m.table.id, "gpb_basic_expense");
        assert!(m.fuzzy.is_some());
        assert_eq!(id("部门预算信息公开情况说明"), None);
    }
}
