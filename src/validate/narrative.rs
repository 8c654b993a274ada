//! The narrative against the tables: every figure the explanation states
//! (`data/narrative/*.toml`) is found in the running text and compared with the table cell
//! that prints the same quantity, converting 元 ↔ 万元 and rounding the table's figure to
//! the statement's decimals (`198.3万元` ≡ 198.30). A statement whose cell is absent from
//! the document is skipped; a blank cell counts as 0. The comparisons the text makes (决算数
//! with 预算数, this year with last) are `comparisons`'.

use std::str::FromStr;
use std::sync::LazyLock;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

use crate::knowledge::identities::catalogue::class_code;
use crate::knowledge::identities::figures::yuan_per;
use crate::knowledge::identities::{CellSpec, find_row};
use crate::label::label_key;
use crate::layout::Narrative;
use crate::model::{Finding, FindingKind, Kind, Severity, Table, Unit};
use crate::pattern::{Captures, Reach, Sentences};

/// The statement catalogues' text, one per disclosure kind.
const CATALOGUES: [&str; 2] =
    [crate::knowledge::data!("narrative/budget"), crate::knowledge::data!("narrative/final-accounts")];

/// Every statement catalogue, one per disclosure kind.
pub static STATEMENTS: LazyLock<Vec<Statements>> = LazyLock::new(|| {
    CATALOGUES.iter().map(|t| serde_json::from_str(t).expect("data/narrative/*.toml parse (tested)")).collect()
});

/// Every statement's pattern by id, compiled on first use: most documents state only some
/// of the figures, and compiling every pattern up front dominated a one-page conversion.
static SEARCHED: LazyLock<std::collections::HashMap<&'static str, std::sync::OnceLock<Option<Sentences>>>> =
    LazyLock::new(|| {
        STATEMENTS.iter().flat_map(|s| &s.statements).map(|st| (st.id.as_str(), Default::default())).collect()
    });

impl Statement {
    /// The compiled pattern, when the text can hold a match.
    fn searched(&self, text: &str) -> Option<&'static Sentences> {
        if self.kind == StatementKind::Amount && !self.keywords().iter().any(|k| text.contains(k.as_str())) {
            return None;
        }
        SEARCHED.get(self.id.as_str())?.get_or_init(|| self.pattern()).as_ref()
    }

    /// Words of the label one of which must occur in the text for it to match at all: the
    /// longest run of ideographs of each alternative (`预算收入|收入预算`).
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
}

/// The statements of one disclosure kind.
#[derive(Debug, Clone, Deserialize)]
pub struct Statements {
    pub kind: Kind,
    #[serde(rename = "statement")]
    pub statements: Vec<Statement>,
    /// Words that name another subject when printed before a statement's label in its
    /// clause (`上年结转结余的一般公共预算收入`, `财政拨款基本支出预算`), or in the sentence a
    /// `其中：` clause goes on from, and not in the statement's own description (`zh`): such
    /// a figure is reported as unresolved, not compared with the label's cell.
    #[serde(default)]
    pub qualifiers: Vec<String>,
    /// The comparisons the text makes, checked by `comparisons`.
    #[serde(default)]
    pub comparisons: Option<Patterns>,
}

/// The comparison patterns of a statement catalogue (`[comparisons]` in data/narrative/*.toml).
#[derive(Debug, Clone, Deserialize)]
pub struct Patterns {
    /// 决算数 against 预算数: groups `budget`, `actual`, optional `pct`.
    #[serde(default)]
    pub budget_vs_actual: Option<String>,
    /// The direction word after a budget-vs-actual statement: group `dir`.
    #[serde(default)]
    pub direction: Option<String>,
    /// Against last year, in each form printed: groups `current`, optional `previous`,
    /// `change`, `delta`, `trend`, `pct`.
    #[serde(default)]
    pub year_on_year: Vec<String>,
    /// The subject a budget-vs-actual statement is about: groups `class`, `section`, `item`.
    #[serde(default)]
    pub subject: Option<String>,
    /// A change followed by its parts: groups `change`, `delta`, `list`.
    #[serde(default)]
    pub change_parts: Option<String>,
    /// Sets of parts that make up their whole (基本支出 + 项目支出): a list naming exactly
    /// such a set must add up; any other list is checked only for a contradicted word.
    #[serde(default)]
    pub complete_parts: Vec<Vec<String>>,
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

impl Statement {
    /// The statement's pattern.
    fn source(&self) -> String {
        match self.kind {
            StatementKind::Amount => format!("(?:{}){AMOUNT}", self.label),
            StatementKind::Subject => format!(r#"[“"](?P<path>[^”"。]+)[”"]科目{AMOUNT}"#),
            StatementKind::Class => format!(r"(?P<name>\p{{Han}}+)\(类\){AMOUNT}"),
        }
    }

    /// Where the pattern can match: where its label begins or ends (an amount: the label read
    /// alone, [`AMOUNT`] holding no `。`), or where the `(类)` or `科目` every match holds is (a
    /// class, a subject path). Tested against the whole pattern.
    fn reach(&self) -> Option<Reach> {
        let at = |needle: &str| Some(Reach { needles: vec![needle.to_string()], stops: 0, starts: false });
        match self.kind {
            StatementKind::Amount => Reach::of(&self.label),
            StatementKind::Subject => at("科目"),
            StatementKind::Class => at("(类)"),
        }
    }

    fn pattern(&self) -> Option<Sentences> {
        Sentences::new(&self.source(), self.reach()).ok()
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
pub fn compare(tables: &[Table], narrative: &Narrative, kind: Kind, unit: Option<Unit>, year: Option<i32>) -> Compared {
    let mut out = Compared::default();
    let text = &narrative.text;
    let of_kind = STATEMENTS.iter().filter(|s| s.kind == kind);
    for (statement, qualifiers) in of_kind.flat_map(|s| s.statements.iter().map(|st| (st, &s.qualifiers))) {
        let Some(pattern) = statement.searched(text) else { continue };
        for found in pattern.captures_iter(text) {
            let ((start, end), caps) = (found.span(), found.caps);
            let matched = &text[start..end];
            let before = &text[..start];
            if statement.not_after.iter().any(|n| before.ends_with(n.as_str())) {
                continue;
            }
            let context = subject_context(before);
            let other: Vec<&str> = qualifiers
                .iter()
                .map(String::as_str)
                .filter(|q| context.contains(q) && !statement.zh.contains(q) && !matched.contains(q))
                .collect();
            if !other.is_empty() {
                let excerpt = excerpt(text, start, end);
                let mut f = Finding::new(
                    Severity::Info,
                    FindingKind::NarrativeUnresolved,
                    format!(
                        "{} ({}): «{excerpt}» states the figure of another subject ({}): not compared",
                        statement.id,
                        statement.zh,
                        other.join(", ")
                    ),
                );
                f.rule = Some(statement.id.clone());
                f.page = narrative.page_at(start);
                out.findings.push(f);
                continue;
            }
            let Ok(stated) = Decimal::from_str(&caps["v"].replace(',', "")) else { continue };
            let Some(cell) = locate(tables, statement, &caps, year) else {
                // The table the figure is printed in is printed empty (空表), yet the text
                // states an amount: the publication contradicts itself at that table.
                if let Some(table) = printed_empty(tables, statement).filter(|_| !stated.is_zero()) {
                    let context = excerpt(text, start, end);
                    let u = caps.name("u").map_or("", |u| u.as_str());
                    let mut f = Finding::new(
                        statement.severity,
                        FindingKind::NarrativeMismatch,
                        format!(
                            "{} ({}): the text states {stated}{u} («{context}»), the table {} is printed empty",
                            statement.id, statement.zh, table.id
                        ),
                    );
                    f.table = Some(table.id.clone());
                    f.rule = Some(statement.id.clone());
                    f.actual = Some(stated);
                    f.page = narrative.page_at(start);
                    out.checked += 1;
                    out.mismatched += 1;
                    out.found.insert(statement.id.clone());
                    out.findings.push(f);
                }
                continue;
            };
            let Some(u) = caps.name("u") else { continue };
            let (t, row, column) = cell;
            let table = &tables[t];
            let printed = row
                .and_then(|r| table.rows[r].cells.iter().find(|c| c.column == column))
                .and_then(|c| c.value)
                .unwrap_or_default();
            let in_stated_unit = printed * yuan_per(table.unit.or(unit)) / yuan_per(Unit::prefix_of(u.as_str()));
            let expected =
                in_stated_unit.round_dp_with_strategy(stated.scale(), RoundingStrategy::MidpointAwayFromZero);
            out.checked += 1;
            out.found.insert(statement.id.clone());
            if expected == stated {
                continue;
            }
            out.mismatched += 1;
            let context = excerpt(text, start, end);
            let row_key = row.map(|r| table.rows[r].key.clone());
            let mut f = Finding::new(
                statement.severity,
                FindingKind::NarrativeMismatch,
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
            f.page = narrative.page_at(start);
            out.findings.push(f);
        }
    }
    out
}

/// The table an amount statement's figure is printed in, where that table is printed with
/// no figure at all (and no other table the statement names holds one).
fn printed_empty<'t>(tables: &'t [Table], statement: &Statement) -> Option<&'t Table> {
    if statement.kind != StatementKind::Amount {
        return None;
    }
    let named: Vec<&Table> =
        statement.cells.iter().filter_map(|spec| tables.iter().find(|t| Some(&t.id) == spec.table.as_ref())).collect();
    named.iter().all(|t| t.empty).then(|| named.first().copied()).flatten()
}

/// Where a statement's subject is named, before its label: its clause (back to the last
/// `，。；：、` or amount, at most 24 characters), with, in a sentence of parts (`其中`),
/// the sentence before it.
fn subject_context(before: &str) -> String {
    const CLAUSE: &[char] = &[',', '，', '。', ';', '；', ':', '：', '、'];
    // An amount ends the statement before it (`…收入122589万元1.一般公共预算拨款收入`).
    let clause = last_chars(before, |c| !CLAUSE.contains(&c), 24).rsplit(['元', '%']).next().unwrap_or_default();
    // A sentence listing parts (`其中：基本支出…；项目支出…`) goes on from its whole: the last
    // clause before `其中` that states a figure (not `比上年增加…`), in the same sentence or
    // the one before.
    // So does a list of what a figure is used for (`“农林水支出”科目83万元，主要用于人员经费
    // 18万元、公用经费58万元`: the class's 人员经费, not the department's).
    let sentence = last_chars(before, |c| c != '。', 400);
    let uses = sentence.rfind("用于").filter(|&at| !sentence[at..].contains([';', '；']));
    let Some(at) = sentence.rfind("其中").max(uses) else { return clause.to_string() };
    let mut head = sentence[..at].trim_matches(CLAUSE);
    if head.is_empty() {
        let opened = before[..before.len() - sentence.len()].trim_end_matches('。');
        head = last_chars(opened, |c| c != '。', 400);
    }
    let comparison = ["比", "较", "同比", "增", "减", "主要", "与", "占"];
    let whole = clauses(head, CLAUSE)
        .into_iter()
        .rev()
        .map(str::trim)
        .find(|c| !c.is_empty() && !comparison.iter().any(|w| c.starts_with(w)));
    whole.unwrap_or_default().to_string() + clause
}

/// `text` split at the delimiters, a comma between digits (`8,347.73`) being none.
fn clauses<'t>(text: &'t str, delimiters: &[char]) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let in_number = c == ','
            && k > 0
            && chars[k - 1].1.is_ascii_digit()
            && chars.get(k + 1).is_some_and(|(_, d)| d.is_ascii_digit());
        if delimiters.contains(&c) && !in_number {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

/// The end of `text` whose characters `keep` holds for, at most `most` of them.
fn last_chars(text: &str, keep: impl Fn(char) -> bool, most: usize) -> &str {
    let start =
        text.char_indices().rev().take_while(|&(_, c)| keep(c)).take(most).last().map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// The cell a statement restates: (table, row if printed, column key).
fn locate(
    tables: &[Table],
    statement: &Statement,
    caps: &Captures,
    year: Option<i32>,
) -> Option<(usize, Option<usize>, String)> {
    match statement.kind {
        // A cell where the row prints a figure first (a transposed table prints a 合计 for some
        // items only); else the first cell whose column exists (blank = 0).
        StatementKind::Amount => [true, false].into_iter().find_map(|printed_only| {
            statement.cells.iter().find_map(|spec| {
                let t = tables.iter().position(|x| Some(&x.id) == spec.table.as_ref())?;
                let row = find_row(&tables[t], spec.side, &spec.row, spec.under.as_deref())?;
                let column = label_key(&spec.column);
                let cells = &tables[t].rows[row].cells;
                let columns = || {
                    tables[t]
                        .columns
                        .iter()
                        .filter(move |c| !printed_only || cells.iter().any(|cell| cell.column == c.key))
                };
                // As named, printed with the document's year (`2026年预算数`), or (where it
                // prints a figure) under another name of its measure (`当年预算` for 预算数).
                let measure = |key: &str| crate::knowledge::vocabulary::measure(None, &tables[t].id, key);
                let printed = columns()
                    .find(|c| c.key == column)
                    .or_else(|| columns().find(|c| crate::knowledge::vocabulary::relative_year(&c.key, year) == column))
                    .or_else(|| {
                        let same = |c: &&crate::model::Column| {
                            measure(&c.key).is_some() && measure(&c.key) == measure(&column)
                        };
                        columns().filter(|_| printed_only).find(same)
                    })?;
                Some((t, Some(row), printed.key.clone()))
            })
        }),
        StatementKind::Class => {
            let code = class_code(&label_key(&caps["name"]))?;
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
            let reach = s.reach().unwrap_or_else(|| panic!("{}: a label begins or ends with a few words", s.id));
            assert!(crate::pattern::stops(&s.source()).is_some_and(|n| n <= reach.stops), "{}: spans no more 。", s.id);
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
                .filter(|f| !s.not_after.iter().any(|n| text[..f.span().0].ends_with(n.as_str())))
                .map(|f| format!("{}{}", &f.caps["v"], &f.caps["u"]))
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

#[cfg(test)]
mod comparison_tests {
    use super::*;

    #[test]
    fn a_subject_is_read_from_its_clause_or_the_sentence_a_list_of_parts_goes_on_from() {
        // The clause before the label, back to a delimiter or an amount.
        assert_eq!(subject_context("上年结转结余的"), "上年结转结余的");
        assert_eq!(subject_context("收入122589万元1."), "1.");
        assert_eq!(subject_context("2026年度财政拨款基本"), "2026年度财政拨款基本");
        assert_eq!(subject_context("收入预算,"), "");
        // `其中：…；项目支出` goes on from the sentence naming the whole.
        let before =
            "一般公共预算财政拨款支出227,955.11万元,比上年增加8,347.3万元。其中:基本支出113,007.22万元,主要用于保障;";
        let context = subject_context(before);
        assert!(context.contains("一般公共预算财政拨款支出"), "{context}");
        // Each part of a list names its own subject: not the parts before it.
        let before = "部门预算收入738.05万元,其中:一般公共预算收入509.01万元,";
        assert_eq!(subject_context(before), "部门预算收入738.05万元");
        assert!(!subject_context("本年支出合计100万元。项目支出").contains("合计"));
        // What a class's money is used for is that class's (a list of uses, not ended by `;`).
        let before = "2.“农林水支出”科目83万元,主要用于主要用于";
        assert!(subject_context(before).contains("科目83万元"), "{}", subject_context(before));
    }

    /// What `regex` finds over the whole text: every match's span and groups.
    fn whole(pattern: &str, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        regex::Regex::new(pattern)
            .unwrap()
            .captures_iter(text)
            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect()
    }

    /// What the sentence-by-sentence search finds, in the same terms.
    fn by_sentence(s: &Sentences, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        s.captures_iter(text)
            .map(|f| f.caps.iter().map(|m| m.map(|m| (f.at + m.start(), f.at + m.end()))).collect())
            .collect()
    }

    #[test]
    fn every_statement_and_comparison_finds_in_a_real_explanation_what_a_whole_text_search_finds() {
        let seed =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/ocr-text/qinglong-2023-budget.txt"))
                .expect("the seed sample");
        let budget = crate::testing::layout(&seed).narrative.text;
        // A final account's explanation, its figures as printed (a comparison spans a `。`).
        let final_accounts = "2024年度收入支出总计1,234.56万元。与2023年度相比,收入支出总计减少12.3万元,下降0.99%。\
            本年收入合计1,200万元,其中:财政拨款收入1,100万元,其他收入100万元。本年支出合计1,190万元,\
            其中:基本支出900万元,项目支出290万元。1、一般公共服务支出(类)财政事务(款)行政运行(项)。\
            年初预算为100万元,支出决算为98.5万元,完成年初预算的98.5%。决算数小于预算数。\
            “三公”经费财政拨款支出年初预算为20万元。支出决算增加5万元,主要是基本支出增加3万元,项目支出增加2万元。";
        let mut found = 0;
        for text in [budget.as_str(), final_accounts] {
            assert!(text.len() > 200);
            for statement in STATEMENTS.iter().flat_map(|s| &s.statements) {
                let searched = statement.pattern().expect("compiles");
                let expected = whole(&statement.source(), text);
                assert_eq!(by_sentence(&searched, text), expected, "{}", statement.id);
                found += expected.len();
            }
            for p in STATEMENTS.iter().filter_map(|s| s.comparisons.as_ref()) {
                for pattern in p.budget_vs_actual.iter().chain(&p.year_on_year).chain(&p.change_parts) {
                    let searched = Sentences::new(pattern, Reach::of(pattern)).expect("compiles");
                    let expected = whole(pattern, text);
                    assert_eq!(by_sentence(&searched, text), expected, "{pattern}");
                    found += expected.len();
                }
            }
        }
        assert!(found >= 20, "the texts state figures the patterns find ({found})");
    }
}
