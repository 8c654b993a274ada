//! Canonical names for facts (`data/vocabulary/`): a column's `measure` and a label row's
//! `item`, whatever a province prints (财政拨款收入 / 一般公共预算拨款收入 / 一般公共预算资金 …).
//!
//! Input: the document's kind, a table id and a label_key'd column or row name. Output: the
//! canonical id, or `None` when the vocabulary does not list the name in that table.
//! Lookups are exact: no fuzzy matching, no prefixes, no guesses; the only rewriting is the
//! document's year made relative (`relative_year`). Which of a table's columns get their
//! measure (not two the same) is the caller's (`emit::facts`). The data is embedded at build
//! time and parsed once.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Deserialize;

use crate::label::label_key;
use crate::model::Kind;

/// One vocabulary file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(alias = "measure", alias = "item")]
    entries: Vec<Entry>,
    /// Table id → names that mean nothing in that table.
    #[serde(default)]
    ambiguous: BTreeMap<String, Vec<String>>,
    /// Tables whose rows name function classes by their names.
    #[serde(default)]
    classes_in: Vec<String>,
    #[serde(default)]
    series: Vec<Series>,
}

/// Names printed side by side in this order as the start of sibling columns' names
/// (`一般公共预算` | `政府性基金预算` | `国有资本经营预算`, each followed by the same rest:
/// `拨款收入`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub starts: Vec<String>,
}

/// One canonical name and the printed names that mean it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The canonical id (`fiscal_appropriation`, `class:201`).
    pub id: String,
    /// The national templates' Chinese name.
    pub zh: String,
    /// Printed names meaning this in any table.
    #[serde(default)]
    pub names: Vec<String>,
    /// Table id → printed names meaning this in that table only.
    #[serde(default)]
    pub in_tables: BTreeMap<String, Vec<String>>,
    /// Disclosure kind (`budget`, `final_accounts`) → printed names meaning this in every
    /// table of that kind's documents.
    #[serde(default)]
    pub in_kinds: BTreeMap<String, Vec<String>>,
    /// Table id → the name a column of this measure there is given where the document's own
    /// name is unread (OCR lost the header; the figures name the column): the national
    /// template's header there (measures only).
    #[serde(default)]
    pub unread: BTreeMap<String, String>,
    /// The ids of the items a row of this item is made of where the national templates
    /// print them under it (单位资金 = 事业收入 + 事业单位经营收入 + …): evidence of nesting
    /// where the figures give none (a heading of zeros).
    #[serde(default)]
    pub parts: Vec<String>,
    /// The side of a two-sided table this item is printed on, where only one (items only).
    #[serde(default)]
    pub side: Option<crate::model::Side>,
}

/// A vocabulary, indexed by label_key'd name.
#[derive(Debug)]
pub struct Vocabulary {
    pub entries: Vec<Entry>,
    /// Name → entry, in any table.
    any: BTreeMap<String, usize>,
    /// Table → name → entry, in that table only.
    scoped: BTreeMap<String, BTreeMap<String, usize>>,
    /// Kind → name → entry, in that kind's documents only.
    by_kind: BTreeMap<String, BTreeMap<String, usize>>,
    /// Table → names that mean nothing there.
    ambiguous: BTreeMap<String, BTreeSet<String>>,
    /// Names given two meanings at one level (any table, or one table): a data error the
    /// tests report; the first meaning is kept.
    pub conflicts: Vec<String>,
    /// Sibling names printed side by side in a fixed order (measures only).
    pub series: Vec<Series>,
    /// Tables whose rows name function classes, and so subjects of every level, by their
    /// names (items only): names no vocabulary lists are their rows' own there.
    pub classes_in: Vec<String>,
}

impl Vocabulary {
    fn new(file: File) -> Self {
        let mut vocabulary = Vocabulary {
            entries: Vec::new(),
            any: BTreeMap::new(),
            scoped: BTreeMap::new(),
            by_kind: BTreeMap::new(),
            ambiguous: file
                .ambiguous
                .into_iter()
                .map(|(table, names)| (table, names.iter().map(|n| label_key(n)).collect()))
                .collect(),
            conflicts: Vec::new(),
            series: file.series,
            classes_in: file.classes_in,
        };
        let Vocabulary { entries, any, scoped, by_kind, conflicts, .. } = &mut vocabulary;
        for entry in file.entries {
            let index = entries.len();
            entries.push(entry);
            let entry = &entries[index];
            let mut add = |map: &mut BTreeMap<String, usize>, name: &str, scope: &str| {
                let key = label_key(name);
                match map.get(&key) {
                    // Two spellings of one name under one meaning (`(1)公务用车购置费`).
                    Some(&other) if other == index => {}
                    Some(&other) => conflicts.push(format!("{key}{scope}: {} and {}", entries[other].id, entry.id)),
                    None => {
                        map.insert(key, index);
                    }
                }
            };
            for name in &entry.names {
                add(any, name, "");
            }
            for (index_of, scopes) in [(&mut *scoped, &entry.in_tables), (&mut *by_kind, &entry.in_kinds)] {
                for (scope, names) in scopes {
                    let in_scope = index_of.entry(scope.clone()).or_default();
                    for name in names {
                        add(in_scope, name, &format!(" in {scope}"));
                    }
                }
            }
        }
        vocabulary
    }

    /// The canonical id `name` has in `table` of a document of `kind`: a name scoped to the
    /// table first, then to the kind, then one for every table, unless the name is
    /// ambiguous in the table.
    pub fn lookup(&self, kind: Option<Kind>, table: &str, name: &str) -> Option<&str> {
        if self.ambiguous.get(table).is_some_and(|names| names.contains(name)) {
            return None;
        }
        let in_kind = || self.by_kind.get(kind.map(kind_id)?)?.get(name);
        let index =
            self.scoped.get(table).and_then(|names| names.get(name)).or_else(in_kind).or_else(|| self.any.get(name))?;
        Some(&self.entries[*index].id)
    }

    /// Whether some names mean something in `table` only (its rows are items: 三公 …).
    pub fn scopes(&self, table: &str) -> bool {
        self.scoped.contains_key(table)
    }

    /// Whether `name` (a label_key) means something in some table of some kind.
    pub fn knows(&self, name: &str) -> bool {
        self.any.contains_key(name)
            || self.scoped.values().any(|names| names.contains_key(name))
            || self.by_kind.values().any(|names| names.contains_key(name))
    }

    /// Every name (label_key'd) that means something in `table` of a document of `kind`.
    pub fn names(&self, kind: Option<Kind>, table: &str) -> BTreeSet<&str> {
        let scoped = self.scoped.get(table).into_iter().flat_map(|n| n.keys());
        let in_kind = kind.and_then(|k| self.by_kind.get(kind_id(k))).into_iter().flat_map(|n| n.keys());
        let ambiguous = self.ambiguous.get(table);
        scoped
            .chain(in_kind)
            .chain(self.any.keys())
            .filter(|n| !ambiguous.is_some_and(|a| a.contains(*n)))
            .map(String::as_str)
            .collect()
    }
}

/// A kind as the vocabulary files name it (its serde name).
fn kind_id(kind: Kind) -> &'static str {
    match kind {
        Kind::Budget => "budget",
        Kind::FinalAccounts => "final_accounts",
    }
}

/// Function classes as `data/codes/function-classes.toml` lists them.
#[derive(Deserialize)]
struct Classes {
    class: Vec<Class>,
}

#[derive(Deserialize)]
struct Class {
    code: String,
    names: Vec<String>,
}

/// `data/vocabulary/measures.toml`.
pub static MEASURES: LazyLock<Vocabulary> = LazyLock::new(|| {
    Vocabulary::new(
        serde_json::from_str(crate::knowledge::data!("vocabulary/measures")).expect("measures parse (tested)"),
    )
});

/// `data/vocabulary/items.toml`, plus one item per function class (`class:201`) in the
/// tables that name classes by their names.
pub static ITEMS: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut file: File =
        serde_json::from_str(crate::knowledge::data!("vocabulary/items")).expect("items parse (tested)");
    let classes: Classes = serde_json::from_str(crate::knowledge::data!("codes/function-classes"))
        .expect("function classes parse (tested)");
    for class in classes.class {
        let tables = file.classes_in.iter().map(|t| (t.clone(), class.names.clone())).collect();
        file.entries.push(Entry {
            id: format!("class:{}", class.code),
            zh: class.names[0].clone(),
            names: Vec::new(),
            in_tables: tables,
            in_kinds: BTreeMap::new(),
            unread: BTreeMap::new(),
            parts: Vec::new(),
            side: Some(crate::model::Side::Expense),
        });
    }
    Vocabulary::new(file)
});

/// Whether the printed `text` is a name gongkai knows: a standard table's title, a template's
/// header word, a measure, an item or a function class (OCR is asked whether a reading of a
/// header word or a label is one).
pub fn is_known(text: &str) -> bool {
    let text = crate::label::nfkc(text);
    let text = super::confusions::unconfuse_words(&text).unwrap_or(text);
    let key = label_key(&text);
    !key.is_empty()
        && (super::templates::is_header_name(&key)
            || MEASURES.knows(&key)
            || ITEMS.knows(&key)
            || super::templates::match_title(&text).is_some())
}

/// The measure of the column `column` (a label_key) in the table `table` of a document of
/// `kind`.
pub fn measure(kind: Option<Kind>, table: &str, column: &str) -> Option<&'static str> {
    MEASURES.lookup(kind, table, column)
}

/// The item of the label row `row` (a label_key) in the table `table` of a document of
/// `kind`.
pub fn item(kind: Option<Kind>, table: &str, row: &str) -> Option<&'static str> {
    ITEMS.lookup(kind, table, row)
}

/// The side of the two-sided table `table` the label row `row` (a label_key) is printed on,
/// where its name says: an item's side as the vocabulary gives it (a function class's is the
/// expense side), else a name ending in 支出 is an expense (no income item's name does).
pub fn side_of(table: &str, row: &str) -> Option<crate::model::Side> {
    let id = item(None, table, row);
    let side = id.and_then(|id| ITEMS.entries.iter().find(|e| e.id == id)).and_then(|e| e.side);
    side.or_else(|| row.ends_with("支出").then_some(crate::model::Side::Expense))
}

/// True where the label row `part` is one of the items the national templates print under
/// the label row `heading` in `table` (both label_keys).
pub fn is_part(table: &str, heading: &str, part: &str) -> bool {
    let (Some(heading), Some(part)) = (item(None, table, heading), item(None, table, part)) else { return false };
    ITEMS.entries.iter().any(|e| e.id == heading && e.parts.iter().any(|p| p == part))
}

/// A name with the document's year made relative: `2026年预算数` in a 2026 document is
/// `预算数` (the year's own figures), `2025年预算数` is `上年预算数`. Other years are kept.
pub fn relative_year(name: &str, year: Option<i32>) -> Cow<'_, str> {
    let Some(year) = year else { return Cow::Borrowed(name) };
    let after = |y: i32| {
        let rest = name.strip_prefix(y.to_string().as_str())?.strip_prefix('年')?;
        Some(rest.strip_prefix('度').unwrap_or(rest))
    };
    if let Some(rest) = after(year) {
        Cow::Borrowed(rest)
    } else if let Some(rest) = after(year - 1) {
        Cow::Owned(format!("上年{rest}"))
    } else {
        Cow::Borrowed(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::templates::TEMPLATES;
    use crate::model::ColumnRole;

    const B: Option<Kind> = Some(Kind::Budget);

    #[test]
    fn known_names_are_titles_header_words_measures_items_and_classes() {
        let known = [
            "小计",
            "上解上级支出",
            "基本支出",
            "日常公用支出",
            "一般公共服务支出",
            "财政拨款收支总表",
            "项目",
            "合 计",
        ];
        for name in known {
            assert!(is_known(name), "{name}");
        }
        for garbled in ["让计小诗", "圭缴上级一支出", "立皇位各各宁玉", "3", "", "中华人民共和国"]
        {
            assert!(!is_known(garbled), "{garbled}");
        }
    }

    #[test]
    fn parts_are_the_items_the_templates_print_under_a_heading() {
        assert!(is_part("summary", "单位资金收入", "事业单位经营收入"));
        assert!(is_part("summary", "财政拨款收入", "一般公共预算拨款收入"));
        assert!(!is_part("summary", "财政拨款收入", "事业收入"));
        assert!(!is_part("summary", "事业收入", "单位资金收入"));
    }

    #[test]
    fn vocabularies_load_without_conflicts() {
        for (file, vocabulary) in [("measures", &*MEASURES), ("items", &*ITEMS)] {
            assert!(vocabulary.conflicts.is_empty(), "{file}: names with two meanings: {:#?}", vocabulary.conflicts);
            let mut ids = BTreeSet::new();
            for entry in &vocabulary.entries {
                assert!(ids.insert(entry.id.as_str()), "{file}: {} twice", entry.id);
                assert!(!entry.zh.is_empty(), "{file}: {} has a Chinese name", entry.id);
                assert!(!entry.names.is_empty() || !entry.in_tables.is_empty(), "{file}: {} has names", entry.id);
                let snake = entry.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                assert!(snake || entry.id.starts_with("class:"), "{file}: {} is snake_case", entry.id);
            }
        }
        // Every part an item lists is an item.
        for item in &ITEMS.entries {
            for part in &item.parts {
                assert!(
                    ITEMS.entries.iter().any(|e| &e.id == part),
                    "items: {} lists the unknown part {part}",
                    item.id
                );
            }
        }
        // An item that is also a measure is the same money: one Chinese name for both.
        for item in &ITEMS.entries {
            if let Some(m) = MEASURES.entries.iter().find(|m| m.id == item.id) {
                assert_eq!(m.zh, item.zh, "{}: one name in both files", item.id);
            }
        }
    }

    /// Every table id the templates use.
    fn table_ids() -> BTreeSet<&'static str> {
        TEMPLATES.iter().flat_map(|s| s.tables.iter()).map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn scoped_names_name_real_tables() {
        let ids = table_ids();
        for (file, vocabulary) in [("measures", &*MEASURES), ("items", &*ITEMS)] {
            for table in vocabulary.scoped.keys().chain(vocabulary.ambiguous.keys()) {
                assert!(ids.contains(table.as_str()), "{file}: no table {table}");
            }
            for kind in vocabulary.by_kind.keys() {
                assert!(
                    [Kind::Budget, Kind::FinalAccounts].map(kind_id).contains(&kind.as_str()),
                    "{file}: no kind {kind}"
                );
            }
        }
    }

    /// A template name as the vocabulary sees it: label_key'd, a leading year dropped (the
    /// procurement table's `2023年预留中小微企业份额`, relative to its own year).
    fn key(name: &str) -> String {
        let key = label_key(name);
        let year = key.get(..4).and_then(|y| y.parse().ok());
        relative_year(&key, year).into_owned()
    }

    #[test]
    fn every_template_value_column_has_a_measure() {
        for set in TEMPLATES.iter() {
            for table in &set.tables {
                if table.transposed {
                    // Items printed as columns: the figure is the measure, the column the item.
                    let figures = table.figure.iter().chain(table.columns.iter().filter_map(|c| c.figure.as_ref()));
                    for figure in figures {
                        assert!(
                            measure(Some(set.kind), &table.id, &key(figure)).is_some(),
                            "{}: figure {figure}",
                            table.id
                        );
                    }
                    let names = table.columns.iter().flat_map(|c| c.item.iter().chain(&c.under).chain(&c.aliases));
                    for name in names {
                        assert!(
                            item(Some(set.kind), &table.id, &key(name)).is_some(),
                            "{} ({}): item {name}",
                            table.id,
                            set.layout
                        );
                    }
                    continue;
                }
                let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
                for column in table.columns.iter().filter(|c| c.role == ColumnRole::Value) {
                    let m = measure(Some(set.kind), &table.id, &key(&column.label));
                    let m =
                        m.unwrap_or_else(|| panic!("{} ({}): no measure for {}", table.id, set.layout, column.label));
                    for alias in &column.aliases {
                        assert_eq!(
                            measure(Some(set.kind), &table.id, &key(alias)),
                            Some(m),
                            "{}: alias {alias} of {}",
                            table.id,
                            column.label
                        );
                    }
                    // Two columns of one template never share a measure (the same label on two
                    // sides or in two blocks is one column printed twice).
                    if let Some(other) = seen.insert(m, &column.label) {
                        assert_eq!(
                            other, column.label,
                            "{} ({}): {other} and {} are both {m}",
                            table.id, set.layout, column.label
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_summaries_headings_and_groups_have_items() {
        for set in TEMPLATES.iter() {
            for table in &set.tables {
                for group in &table.groups {
                    assert!(
                        item(Some(set.kind), &table.id, &key(&group.heading)).is_some(),
                        "{}: {}",
                        table.id,
                        group.heading
                    );
                }
            }
        }
    }

    #[test]
    fn the_same_money_has_one_name_across_layouts() {
        // The contract's example: the fund type is one measure wherever it is printed.
        for (table, column) in [
            ("income", "一般公共预算拨款收入"),
            ("income", "一般公共预算"),
            ("fiscal_summary", "一般公共预算财政拨款"),
            ("fiscal_summary", "一般公共预算"),
            ("three_public", "一般公共预算拨款"),
            ("procurement", "一般公共预算拨款"),
        ] {
            assert_eq!(measure(B, table, column), Some("general_public_budget"), "{table}.{column}");
        }
        // 财政拨款 is the sum of the fund types, not one of them.
        assert_eq!(measure(B, "income", "财政拨款收入"), Some("fiscal_appropriation"));
        assert_eq!(measure(B, "income", "财政拨款"), Some("fiscal_appropriation"));
        // 金额 is the figure of the document's kind.
        assert_eq!(measure(B, "fiscal_summary", "金额"), Some("budget_amount"));
        assert_eq!(measure(Some(Kind::FinalAccounts), "summary", "金额"), Some("final_amount"));
        assert_eq!(measure(Some(Kind::FinalAccounts), "three_public", "预算数"), Some("budget_amount"));
        // 小计 is the income table's 本年收入, another table's total.
        assert_eq!(measure(B, "income", "小计"), Some("current_income"));
        assert_eq!(measure(B, "income", "本年收入合计"), Some("current_income"));
        assert_eq!(measure(B, "gov_fund_expense", "小计"), Some("total"));
        assert_eq!(measure(B, "expense", "本年支出合计"), Some("total"));
        // A wrapped header's fragment means nothing.
        assert_eq!(measure(B, "income", "预算"), None);
        assert_eq!(measure(B, "summary", "预算"), Some("budget_amount"));
        assert_eq!(measure(B, "income", "一般公共预算3"), None);
        // Rows: a summary's names, function classes by name where classes are listed by name.
        assert_eq!(item(B, "summary", "一般公共预算拨款收入"), Some("general_public_budget"));
        assert_eq!(item(B, "fiscal_summary", "一般公共预算拨款"), Some("general_public_budget"));
        assert_eq!(item(B, "summary", "收入总计"), Some("grand_total"));
        assert_eq!(item(B, "fiscal_summary", "总计"), Some("grand_total"));
        assert_eq!(item(B, "income", "总计"), Some("total"));
        assert_eq!(item(B, "summary", "合计"), None);
        assert_eq!(item(B, "summary", "一般公共服务支出"), Some("class:201"));
        assert_eq!(item(B, "summary", "医疗卫生与计划生育支出"), Some("class:210"));
        assert_eq!(item(B, "expense", "其他支出"), None, "a coded table's 项 may share a class's name");
        assert_eq!(item(B, "three_public", "三公经费"), Some("three_public"));
        for printed in ["(一)因公出国(境)支出", "其中:(一)因公出国(境)支出"] {
            assert_eq!(item(B, "three_public", &label_key(printed)), Some("overseas_travel"), "{printed}");
        }
    }

    #[test]
    fn the_documents_year_is_made_relative() {
        assert_eq!(relative_year("2026年预算数", Some(2026)), "预算数");
        assert_eq!(relative_year("2026年度预算数", Some(2026)), "预算数");
        assert_eq!(relative_year("2025年预算数", Some(2026)), "上年预算数");
        assert_eq!(relative_year("2024年预算数", Some(2026)), "2024年预算数");
        assert_eq!(relative_year("2026年预算数", None), "2026年预算数");
        assert_eq!(measure(B, "summary", &relative_year("2026年预算数", Some(2026))), Some("budget_amount"));
        assert_eq!(measure(B, "gpb_expense", &relative_year("2025年预算数", Some(2026))), Some("previous_year"));
    }
}
