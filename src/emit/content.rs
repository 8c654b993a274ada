//! What an input in which no standard table was found is, from generic signals of its text:
//! the explanation half of a disclosure whose tables are published in another file, a
//! disclosure whose printed tables matched no standard title, or not a disclosure at all.
//!
//! A disclosure names itself (部门预算, 单位决算), states a year and amounts in 万元 or 元,
//! and uses the words of its explanation (`data/documents/disclosure.toml`: 收入预算,
//! 财政拨款, 三公 …). Whether it prints tables is told by its lines of figures: a table row
//! has two or more cells that are figures; running text has none. Never reads a file name.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::label::nfkc;
use crate::layout::Layout;
use crate::model::Kind;
use crate::pattern::Regex;

/// What the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Standard tables were found.
    Tables,
    /// The explanation (情况说明) of a disclosure that prints no table: its tables are
    /// published in another file.
    Narrative { kind: Kind },
    /// A disclosure that prints lines of figures, none under a standard table's title.
    UnrecognisedTables { figure_lines: usize },
    /// Not a budget or final-accounts disclosure.
    NotADisclosure,
}

/// Below this many lines of figures a document prints no table (a narrative may quote a
/// row or two); at it or above, it prints tables.
const TABLE_LINES: usize = 10;

/// Amounts a narrative states at the least (`收入预算5,004万元`, `0万元`).
const AMOUNTS: usize = 3;

#[derive(Debug, Deserialize)]
struct Vocabulary {
    words: Vec<String>,
    min_words: usize,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    serde_json::from_str(crate::knowledge::data!("documents/disclosure"))
        .expect("data/documents/disclosure.toml (tested)")
});
/// A cell that is a figure and nothing else: `31,730,000`, `12,672.73`, `0`.
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^-?[0-9][0-9,]*(?:\.[0-9]+)?$").expect("figure"));

/// How a disclosure names itself first: `部门预算`, `单位决算` (the kind it names).
fn self_named(text: &str) -> Option<Kind> {
    ["部门预算", "单位预算", "部门决算", "单位决算"]
        .iter()
        .filter_map(|w| text.find(w).map(|at| (at, w.ends_with("决算"))))
        .min()
        .map(|(_, final_accounts)| if final_accounts { Kind::FinalAccounts } else { Kind::Budget })
}

/// The characters before `at` in `text`, nearest first.
fn before(text: &str, at: usize) -> std::iter::Rev<std::str::Chars<'_>> {
    text[..at].chars().rev()
}

/// Whether `text` states a year: `2026年`.
fn states_year(text: &str) -> bool {
    text.match_indices('年').any(|(at, _)| before(text, at).take(4).filter(char::is_ascii_digit).count() == 4)
}

/// How many amounts `text` states: `5,004万元`, `0元`.
fn amounts(text: &str) -> usize {
    text.match_indices('元')
        .filter(|&(at, _)| {
            let mut chars = before(text, at).peekable();
            chars.next_if_eq(&'万');
            chars.next().is_some_and(|c| c.is_ascii_digit())
        })
        .count()
}

/// Tells what the input is (only the layout's text; no file name).
pub fn content(layout: &Layout) -> Content {
    if !layout.blocks.is_empty() {
        return Content::Tables;
    }
    let text: String = layout
        .lines
        .iter()
        .flat_map(|l| nfkc(&l.text()).chars().filter(|c| !c.is_whitespace()).collect::<Vec<_>>())
        .collect();
    let words = VOCABULARY.words.iter().filter(|w| text.contains(w.as_str())).count();
    if words < VOCABULARY.min_words {
        return Content::NotADisclosure;
    }
    let named = self_named(&text);
    let figure_lines =
        layout.lines.iter().filter(|l| l.filled().filter(|(_, c)| FIGURE.is_match(&nfkc(c))).count() >= 2).count();
    match named {
        Some(kind) if figure_lines < TABLE_LINES && states_year(&text) && amounts(&text) >= AMOUNTS => {
            Content::Narrative { kind }
        }
        _ if figure_lines >= TABLE_LINES => Content::UnrecognisedTables { figure_lines },
        _ => Content::NotADisclosure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::layout;

    #[test]
    fn the_vocabulary_loads() {
        assert!(VOCABULARY.words.len() >= 10);
        assert!(VOCABULARY.min_words >= 2);
    }

    const NARRATIVE: &str = "某某市某某局\n2026年度部门预算信息公开\n\u{c}第一部分\t2026年度部门预算情况说明\n\
        一、收入预算情况说明\n2026年度收入预算\t1,332.98万元，比2025年减少。\n（一）本年财政拨款收入\t1,225万元\n\
        1.一般公共预算拨款收入\t1,162万元。\n二、支出预算情况说明\n基本支出800万元，项目支出532.98万元。\n\
        四、财政拨款“三公”经费预算情况说明\n第二部分\t2026年度部门预算报表\n一、收支总表\n二、收入总表\n";

    #[test]
    fn an_explanation_without_tables_is_a_narrative_part() {
        assert_eq!(content(&layout(NARRATIVE)), Content::Narrative { kind: Kind::Budget });
    }

    #[test]
    fn lines_of_figures_are_tables_that_were_not_recognised() {
        // Lines of figures under no title (placed before the contents, whose last entry,
        // 收入总表, would be read as the title of what follows it).
        let mut figures = String::new();
        for i in 0..12 {
            figures.push_str(&format!("{i}、某某支出\t1,{i:03}.00\t1,{i:03}.00\t\t\n"));
        }
        let text = NARRATIVE.replacen("四、财政拨款", &format!("{figures}四、财政拨款"), 1);
        assert_eq!(content(&layout(&text)), Content::UnrecognisedTables { figure_lines: 12 });
    }

    #[test]
    fn a_notice_or_a_form_is_not_a_disclosure() {
        let notice =
            "关于召开2023年度全县安全生产工作会议的通知\n各乡镇人民政府：\n经县政府同意，定于2023年3月15日召开会议。\n";
        assert_eq!(content(&layout(notice)), Content::NotADisclosure);
        // A table of project targets: figures and 财政拨款, but not a disclosure's words.
        let mut form =
            "项目支出绩效目标表\n部门名称：某某局\t单位：万元\n项目名称\t总计\t财政拨款\t绩效目标\n".to_string();
        for i in 0..20 {
            form.push_str(&format!("某某项目{i}\t{i}.50\t{i}.50\t完成\n"));
        }
        assert_eq!(content(&layout(&form)), Content::NotADisclosure);
    }
}
