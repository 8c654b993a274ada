//! The standard table templates, read from `data/templates/*.toml`.
//!
//! Templates are data: titles and their variants, leaf columns with their header paths and
//! aliases, two-sided layouts and sub-row groups. Adding a province's variant or the final
//! accounts set is adding data here, not code.

use std::sync::LazyLock;

use crate::pattern::Regex;
use serde::Deserialize;

use crate::label;
use crate::model::{ColumnRole, Kind, Side};

/// All template sets gongkai knows, one per disclosure kind.
pub static TEMPLATES: LazyLock<Vec<TemplateSet>> = LazyLock::new(|| {
    [
        crate::knowledge::data!("templates/budget"),
        crate::knowledge::data!("templates/budget-shanghai"),
        crate::knowledge::data!("templates/final-accounts"),
    ]
    .iter()
    .map(|text| {
        let mut set: TemplateSet = serde_json::from_str(text).expect("data/templates/*.toml parse (tested)");
        for table in &mut set.tables {
            table.layout = set.layout.clone();
            table.prepare();
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

/// A classification of 政府收支分类科目 (`data/codes/classifications.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// 支出功能分类: `2010301` 行政运行.
    Function,
    /// 部门预算支出经济分类: `30101` 基本工资.
    Economic,
    /// 政府预算支出经济分类: `50101` 工资奖金津补贴.
    GovernmentEconomic,
}

impl Classification {
    /// Whether `code` (digits) is one of this classification's, by its first digit.
    pub fn holds(self, code: &str) -> bool {
        #[derive(Deserialize)]
        struct Entry {
            id: Classification,
            first_digits: Vec<String>,
        }
        #[derive(Deserialize)]
        struct File {
            classification: Vec<Entry>,
        }
        static FIRST: LazyLock<Vec<Entry>> = LazyLock::new(|| {
            let file: File = serde_json::from_str(crate::knowledge::data!("codes/classifications"))
                .expect("data/codes/classifications.toml parses (tested)");
            file.classification
        });
        FIRST.iter().filter(|e| e.id == self).any(|e| e.first_digits.iter().any(|d| code.starts_with(d.as_str())))
    }
}

/// A wider table that holds a standard table's figures (一般公共预算支出表（按经济分类） with a
/// 基本支出 column holds the 一般公共预算基本支出表).
#[derive(Debug, Clone, Deserialize)]
pub struct Within {
    /// Words its title holds, all of them.
    pub title: Vec<String>,
    /// The header word over the column that holds the table's figures.
    pub header: String,
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
    /// Wider tables some sets print instead, holding this table's figures as one of their
    /// columns: where one is printed, the table's absence is not a defect (info, not error).
    #[serde(default)]
    pub within: Vec<Within>,
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
    /// The classification its rows' codes belong to, where it is keyed by code.
    #[serde(default)]
    pub classification: Option<Classification>,
    /// The layout family of the set this template belongs to (filled in on load).
    #[serde(skip)]
    pub layout: String,
    /// See [`TableTemplate::group_keys`] (filled in on load).
    #[serde(skip)]
    group_keys: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A heading whose following ordinal rows are its sub-rows.
#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub side: Side,
    pub heading: String,
    /// Other printed names of the heading (`上年结转结余` for 年初财政拨款结转和结余).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The label keys of the heading and its aliases (filled in on load).
    #[serde(skip)]
    keys: Vec<String>,
}

/// Whether `key` (a label_key) is a name some template prints in a table's header: a
/// column's label or alias, a merged header over columns, a group heading.
pub fn is_header_name(key: &str) -> bool {
    TEMPLATES.iter().flat_map(|set| &set.tables).any(|t| {
        t.columns.iter().any(|c| c.names(key))
            || t.group_keys().iter().any(|k| k == key)
            || t.groups.iter().any(|g| g.names(key))
    })
}

/// Joins a header name a text spaced out letter by letter (`预   算   数`, `总 计`, `科 目 |
/// 名称`): pieces of one or two characters whose run is a name some template prints in a
/// header, the longest first, or pieces and the word after them no header prints alone
/// (`事业   单位经营支出`). Each piece alone names no column; left apart they would make a
/// column each. (Read by layout for every table, and by the source of OCR layout text before it
/// sets a header line's names over their columns.)
pub fn join_spaced_names(line: &mut crate::page::Line) {
    let piece = |c: &str| {
        let n = c.chars().count();
        (1..=2).contains(&n) && c.chars().all(|ch| !ch.is_ascii_alphanumeric())
    };
    let name = |cells: &[String]| crate::label::label_key(&cells.concat());
    let known = |cells: &[String]| is_header_name(&name(cells));
    let mut i = 0;
    while i < line.cells.len() {
        let run = line.cells[i..].iter().take_while(|c| piece(c)).count().min(6);
        // Pieces and then a longer word no header prints alone (`事业 | 单位经营支出`: the
        // layer's words spaced apart), where together they are a name.
        let then_word = (run >= 1 && i + run < line.cells.len())
            .then_some(run + 1)
            .filter(|&n| known(&line.cells[i..i + n]) && !known(&line.cells[i + run..i + n]));
        let joined = then_word.or_else(|| (2..=run).rev().find(|&n| known(&line.cells[i..i + n])));
        if let Some(n) = joined {
            let text = line.cells[i..i + n].concat();
            let span = (line.spans[i].0, line.spans[i + n - 1].1);
            line.cells.splice(i..i + n, [text]);
            line.spans.splice(i..i + n, [span]);
            if !line.boxes.is_empty() {
                let b = line.boxes[i..i + n].iter().copied().fold(None, crate::page::CellBox::union);
                line.boxes.splice(i..i + n, [b]);
            }
        }
        i += 1;
    }
}

/// Whether `key` (a label_key) is some template's leaf column: its label or an alias.
pub fn is_column_name(key: &str) -> bool {
    TEMPLATES.iter().flat_map(|set| &set.tables).any(|t| t.columns.iter().any(|c| c.names(key)))
}

impl Group {
    /// True when a row keyed `key` is this heading as printed.
    pub fn names(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }
}

/// A column name this long (`上缴上级支出`) is told from the others two characters off.
pub const LONG_NAME: usize = 6;

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
    /// The label keys of the label and its aliases (filled in on load: every header word of
    /// every document is looked up in them).
    #[serde(skip)]
    keys: Vec<String>,
}

impl ColumnTemplate {
    /// The output column this template column is, with its 栏次 number where printed.
    pub fn column(&self, number: Option<u32>) -> crate::model::Column {
        crate::model::Column {
            key: self.key(),
            label: self.label.clone(),
            path: self.path.clone(),
            number,
            role: self.role,
            side: self.side,
            block: self.block,
            group: None,
            figure: None,
            under: None,
            by_place: false,
        }
    }

    /// The label key of the column's own label.
    pub fn key(&self) -> String {
        self.keys.first().cloned().unwrap_or_else(|| label::label_key(&self.label))
    }

    /// True when `key` (a label_key) names this column.
    pub fn names(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// True when `key` is one character off a name of this column of four characters or
    /// more (OCR misread, dropped or added one: `项目支册总数`, `公用经`): a shorter name
    /// is too near others to tell.
    pub fn nearly_names(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k.chars().count() >= 4 && label::within_one_edit(k, key))
    }

    /// How many characters `key` (`length` characters long) is off the nearest name of
    /// this column of [`LONG_NAME`] characters or more within a character of its length
    /// (`None` without such a name).
    pub fn long_name_distance(&self, key: &str, length: usize) -> Option<usize> {
        self.keys
            .iter()
            .filter(|k| k.chars().count() >= LONG_NAME && k.chars().count().abs_diff(length) <= 1)
            .map(|k| label::edit_distance(k, key))
            .min()
    }
}

impl ColumnTemplate {
    /// Whether `key` begins as a name of this column of [`LONG_NAME`] characters or more
    /// does, five characters at least, and is about as long (three characters either way):
    /// a name whose end OCR garbled (`国有资本经便衣也人散` for 国有资本经营预算拨款收入).
    pub fn starts_as(&self, key: &str) -> bool {
        let length = key.chars().count();
        self.keys.iter().filter(|k| k.chars().count() >= LONG_NAME).any(|k| {
            let common = k.chars().zip(key.chars()).take_while(|(a, b)| a == b).count();
            common >= 5 && k.chars().count().abs_diff(length) <= 3
        })
    }
}

impl TableTemplate {
    /// The cell position of the first template column: 1 after a 序号 column, else 0.
    pub fn first_column(&self) -> usize {
        usize::from(self.seq_column)
    }

    /// Every merged-header name of this table (paths and aliases), as label keys, sorted.
    pub fn group_keys(&self) -> &[String] {
        &self.group_keys
    }

    /// Fills in the label keys the matching reads, once, on load.
    fn prepare(&mut self) {
        for column in &mut self.columns {
            column.keys = std::iter::once(&column.label).chain(&column.aliases).map(|s| label::label_key(s)).collect();
        }
        for group in &mut self.groups {
            group.keys = std::iter::once(&group.heading).chain(&group.aliases).map(|s| label::label_key(s)).collect();
        }
        let mut keys: Vec<String> = self
            .columns
            .iter()
            .flat_map(|c| c.path.iter())
            .chain(self.group_aliases.iter())
            .map(|s| label::label_key(s))
            .collect();
        keys.sort();
        keys.dedup();
        self.group_keys = keys;
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
            .filter(|k| !k.is_empty() && (groups.binary_search(k).is_ok() || self.columns.iter().any(|c| c.names(k))))
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
/// known OCR confusions of `data/ocr/confusions.toml`), then the role its words name
/// (`data/templates/roles.toml`, [`classify`]), then one edit away from a variant of at
/// least six characters (an OCR-dropped or -swapped character). More edits would take the
/// 决算 set's other tables, whose titles differ from the standard ones by two or three
/// characters, for standard ones.
pub fn match_title(text: &str) -> Option<TitleMatch> {
    match recognise(text)? {
        Recognised::Standard(m) => Some(m),
        Recognised::Other => None,
    }
}

/// What a line that looks like a table title is.
#[derive(Debug, Clone)]
pub enum Recognised {
    /// A standard table's title.
    Standard(TitleMatch),
    /// The title of a table that is not one of the standard roles (项目支出表, 绩效目标表).
    Other,
}

/// Recognises a line as a table title, standard or not.
pub fn recognise(text: &str) -> Option<Recognised> {
    // Every title, exact, near or by role, holds ideographs (a list number's dash read as 一
    // is not enough): a figure or a mark is ruled out before it is normalised.
    if !label::may_contain(text, label::is_ideograph) {
        return None;
    }
    let key = title_key(text);
    let key = crate::knowledge::confusions::unconfuse(&key).unwrap_or(key);
    let len = key.chars().count();
    if !(4..=60).contains(&len) {
        return None;
    }
    if let Some(e) = TITLES.iter().find(|e| e.key == key) {
        return Some(Recognised::Standard(TitleMatch { kind: e.kind, table: e.table, fuzzy: None }));
    }
    let fuzzy = TITLES
        .iter()
        .filter(|e| len <= 40 && e.len >= 6 && e.len.abs_diff(len) <= 1)
        .find(|e| label::within_one_edit(&e.key, &key))
        .map(|e| Recognised::Standard(TitleMatch { kind: e.kind, table: e.table, fuzzy: Some(e.title.to_string()) }));
    fuzzy.or_else(|| classify(&key))
}

/// The role rules of `data/templates/roles.toml`.
#[derive(Debug, Deserialize)]
struct Roles {
    /// Words that make a line a reference to a table, not its title (`详见表1`).
    reject: Vec<String>,
    #[serde(rename = "rule")]
    rules: Vec<RoleRule>,
}

/// One role rule: every `all` entry (alternatives split by `|`) occurs, no `none` word does.
#[derive(Debug, Deserialize)]
struct RoleRule {
    /// The table id, or empty for a table that is not a standard one.
    role: String,
    all: Vec<String>,
    #[serde(default)]
    none: Vec<String>,
}

impl RoleRule {
    fn matches(&self, text: &str) -> bool {
        self.all.iter().all(|alts| alts.split('|').any(|w| text.contains(w)))
            && !self.none.iter().any(|w| text.contains(w.as_str()))
    }
}

static ROLES: LazyLock<Roles> = LazyLock::new(|| {
    serde_json::from_str(crate::knowledge::data!("templates/roles")).expect("data/templates/roles.toml parses (tested)")
});

/// A leading table number: `预算01表`, `单位预算表10`, `公开02表`, `表1.`, `表1:`, `(一)`, `一、`, `1.`.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"^(?:(?:(?:单位|部门)?(?:预算|决算|公开)?(?:表[0-9]{1,2}|[0-9]{1,2}表)[.:、]?)|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|[0-9]{1,2}[.、])",
    )
    .expect("number pattern")
});

/// A year, with whatever precedes it (the department's name): `北京市统计局2026年度`.
static YEAR: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"^.*?[0-9]{4}年度?").expect("year pattern"));

/// A title reduced to what says its role, and the parenthesised qualifier after it
/// (`按功能分类科目`, `预算表1`); `None` when the line cannot be a title (a contents entry
/// with leader dots, a sentence, a reference to a table, no 表 at the end).
/// A line that is only a table's number (`公开表3`, `预算01表`, `附表2-1`), printed over a
/// title or at the top of a continued page: furniture, not a heading.
pub fn is_table_number(text: &str) -> bool {
    static BARE: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::compile(r"^附?(?:单位|部门)?(?:预算|决算|公开)?附?(?:表(?:[0-9]{1,2}(?:-[0-9]{1,2})?|[一二三四五六七八九十]{1,3})|[0-9]{1,2}表)$")
            .expect("table number pattern")
    });
    BARE.is_match(&label::label_key(text))
}

pub fn title_core(key: &str) -> Option<(String, String)> {
    if key.contains("..") || key.contains('…') || key.contains(['。', ',', ';', '，', '；']) {
        return None;
    }
    let mut core = key.to_string();
    let mut qualifier = String::new();
    while core.ends_with(')') {
        let Some(open) = core.rfind('(') else { break };
        qualifier = format!("{}{qualifier}", &core[open + 1..core.len() - 1]);
        core.truncate(open);
    }
    // Only a number and a year before the words are taken off below: a line that does not end
    // in 表 now never will (and most lines do not: the patterns are not run on them).
    if !core.ends_with('表') {
        return None;
    }
    let core = NUMBER.replace(&core, "");
    let core = if core.contains('年') { YEAR.replace(&core, "") } else { core };
    let core = core.strip_prefix("年度").or_else(|| core.strip_prefix('年')).unwrap_or(&core);
    let len = core.chars().count();
    if !core.ends_with('表') || !(4..=30).contains(&len) {
        return None;
    }
    if ROLES.reject.iter().any(|w| core.contains(w.as_str())) {
        return None;
    }
    Some((core.to_string(), qualifier))
}

/// The role a title names by its words (see `data/templates/roles.toml`).
pub fn classify(key: &str) -> Option<Recognised> {
    let (core, qualifier) = title_core(key)?;
    let text = format!("{core}{qualifier}");
    let rule = ROLES.rules.iter().find(|r| r.matches(&text))?;
    if rule.role.is_empty() {
        return Some(Recognised::Other);
    }
    let kind = if text.contains("决算") { Kind::FinalAccounts } else { Kind::Budget };
    // A role the kind's set has no template for (机关运行经费 printed as a table of its own)
    // is a table all the same: it ends the table before it.
    Some(match variants(kind, &rule.role).into_iter().next() {
        Some(table) => Recognised::Standard(TitleMatch { kind, table, fuzzy: None }),
        None => Recognised::Other,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bare_table_number_is_told_from_a_title() {
        for number in ["公开表3", "预算01表", "附表2-1", "表 5", "表十二"] {
            assert!(super::is_table_number(number), "{number}");
        }
        for title in ["公开表3 支出总体情况表", "一般公共预算支出表", "2026"] {
            assert!(!super::is_table_number(title), "{title}");
        }
    }

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

    #[test]
    fn titles_are_recognised_by_what_they_say() {
        let id = |s: &str| match recognise(s) {
            Some(Recognised::Standard(m)) => Some(m.table.id.clone()),
            Some(Recognised::Other) => Some("other".to_string()),
            None => None,
        };
        let cases = [
            ("预算01表收支总表", "summary"),
            ("一、收支总体情况表", "summary"),
            ("表1:2026年市级部门收支预算总表", "summary"),
            ("2026年预算单位财务收支预算总表", "summary"),
            ("(二)收入总表", "income"),
            ("三、本年支出总体情况表", "expense"),
            ("四、财政拨款收支总体情况表", "fiscal_summary"),
            ("2026年财政拨夭收支总体情况表", "fiscal_summary"), // 款 misread by OCR
            ("一般公共预算支出情况表(按功能分类科目)", "gpb_expense"),
            ("本年一般公共预算基本支出表(预算表6)", "gpb_basic_expense"),
            ("九、政府性基金预算支出情况表", "gov_fund_expense"),
            ("十一、国有资本经营预算支出预算表", "soe_expense"),
            ("八、财政拨款安排的行政经费及“三公”经费预算表", "three_public"),
            ("一般公共预算机关运行经费支出预算表", "other"), // no template of its own yet
            ("十三、政府采购支出表", "other"),
            ("某某局2026年项目支出绩效目标表", "other"),
            ("(四)基本支出总表", "other"),
            ("一般公共预算项目支出情况表(按经济分类科目)", "other"),
            ("收入支出决算总表", "summary"),
            ("国有资本经营预算财政拨款支出决算表", "soe_expense"),
        ];
        for (title, want) in cases {
            assert_eq!(id(title).as_deref(), Some(want), "{title}");
        }
        // Contents entries, narrative headings and references are not titles.
        for text in [
            "一、收支预算总表.............5",
            "一、收支总表情况说明",
            "(一)收支预算情况的总体说明(详见表1-3)",
            "2026年度部门预算表",
        ] {
            assert!(!matches!(recognise(text), Some(Recognised::Standard(_))), "{text}");
        }
        assert_eq!(
            classify("收入支出决算总表").map(|r| matches!(r, Recognised::Standard(m) if m.kind == Kind::FinalAccounts)),
            Some(true)
        );
    }
}
