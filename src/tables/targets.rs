//! Performance targets (绩效目标表) read from the other tables: per table its scope, project,
//! responsible unit and goals, and one [`Indicator`] per indicator row, its columns found by
//! their header words (`knowledge::targets`), wherever the header is printed (over the
//! table, or as a row under the goals). A 一级指标 printed once over several rows (a merged
//! cell) is given to the rows it covers and marked inferred. Nothing is checked here.

use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::knowledge::targets::VOCABULARY;
use crate::label::{label_key, nfkc};
use crate::model::{Indicator, OtherRow, OtherTable, Target, TargetScope, TargetValue};

/// The indicator columns, in the order a header word is tried against them (`指标值确定依据`
/// is the basis before it is a value; `绩效指标描述` a description before a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Basis,
    Description,
    Direction,
    Score,
    Value,
    Level1,
    Level2,
    Level3,
    Unit,
}

const FIELDS: [Field; 9] = [
    Field::Basis,
    Field::Description,
    Field::Direction,
    Field::Score,
    Field::Value,
    Field::Level1,
    Field::Level2,
    Field::Level3,
    Field::Unit,
];

impl Field {
    fn words(self) -> &'static [String] {
        let c = &VOCABULARY.columns;
        match self {
            Field::Basis => &c.basis,
            Field::Description => &c.description,
            Field::Direction => &c.direction,
            Field::Score => &c.score,
            Field::Value => &c.value,
            Field::Level1 => &c.level1,
            Field::Level2 => &c.level2,
            Field::Level3 => &c.level3,
            Field::Unit => &c.unit,
        }
    }

    /// The field a header text names, if any.
    fn of(text: &str) -> Option<Field> {
        let key = label_key(text);
        FIELDS.into_iter().find(|f| f.words().iter().any(|w| key.contains(&label_key(w))))
    }
}

/// The target tables among the other tables, in order.
pub fn targets(others: &[OtherTable]) -> Vec<Target> {
    others
        .iter()
        .filter(|t| is_target_title(&t.title))
        .filter_map(read)
        .enumerate()
        .map(|(i, mut t)| {
            t.target_index = u32::try_from(i).unwrap_or(u32::MAX);
            t
        })
        .collect()
}

fn is_target_title(title: &str) -> bool {
    let key = label_key(title);
    VOCABULARY.titles.iter().any(|w| key.contains(w.as_str()))
}

/// Column positions of the indicator fields.
type Map = Vec<(usize, Field)>;

/// The fields a line of header texts names, by position; `None` unless it names the
/// indicator's name (三级指标 or 二级指标) and its value.
fn header_map(texts: &[(usize, String)]) -> Option<Map> {
    let mut map: Map = Vec::new();
    for (position, text) in texts {
        if let Some(field) = Field::of(text)
            && !map.iter().any(|(_, f)| *f == field)
        {
            map.push((*position, field));
        }
    }
    let has = |f: Field| map.iter().any(|(_, g)| *g == f);
    ((has(Field::Level3) || has(Field::Level2)) && has(Field::Value)).then_some(map)
}

fn texts(row: &OtherRow) -> Vec<(usize, String)> {
    row.cells.iter().map(|c| (c.column as usize, c.text.clone())).collect()
}

fn read(table: &OtherTable) -> Option<Target> {
    let title_key = label_key(&table.title);
    let scope = if VOCABULARY.department_words.iter().any(|w| title_key.contains(w.as_str())) {
        TargetScope::Department
    } else {
        TargetScope::Project
    };
    let mut target = Target {
        target_index: 0,
        table_index: table.table_index,
        title: table.title.clone(),
        scope,
        project: None,
        responsible: None,
        goals: None,
        page: table.page,
        indicators: Vec::new(),
    };
    // The header over the table, or a row naming the indicator columns.
    let over: Vec<(usize, String)> =
        table.columns.iter().enumerate().filter(|(_, c)| !c.is_empty()).map(|(i, c)| (i, c.clone())).collect();
    let mut map = header_map(&over);
    let mut goals: Vec<String> = Vec::new();
    for row in &table.rows {
        let texts = texts(row);
        if let Some(again) = header_map(&texts) {
            map = Some(again); // the header, or the header printed again on a new page
            continue;
        }
        match &map {
            None => fields(&texts, &mut target, &mut goals),
            Some(map) => {
                if let Some(indicator) = indicator(map, &texts, row) {
                    target.indicators.push(indicator);
                }
            }
        }
    }
    if !goals.is_empty() {
        target.goals = Some(goals.join("\n"));
    }
    fill_levels(&mut target.indicators);
    Some(target)
}

/// A row before the indicators: 项目名称, 主管部门, 绩效目标 and their text.
fn fields(texts: &[(usize, String)], target: &mut Target, goals: &mut Vec<String>) {
    let Some((_, label)) = texts.first() else { return };
    let key = label_key(label);
    let rest = || texts[1..].iter().map(|(_, t)| t.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ");
    let is = |words: &[String]| words.iter().any(|w| key.starts_with(w.as_str()));
    let f = &VOCABULARY.fields;
    if is(&f.project) && target.project.is_none() {
        target.project = Some(rest()).filter(|s| !s.is_empty());
    } else if is(&f.responsible) && target.responsible.is_none() {
        target.responsible = Some(rest()).filter(|s| !s.is_empty());
    } else if is(&f.goals) {
        // `绩效目标 | 1. …` or the label after the text, as OCR may read it.
        let text = rest();
        goals.push(if text.is_empty() { label.clone() } else { text });
    } else if !goals.is_empty() || texts.len() == 1 {
        // The goals go on (`2. …`), or a line of text before any label.
        goals.push(texts.iter().map(|(_, t)| t.trim()).collect::<Vec<_>>().join(" "));
    }
}

fn indicator(map: &Map, texts: &[(usize, String)], row: &OtherRow) -> Option<Indicator> {
    let get = |field: Field| -> String {
        map.iter()
            .find(|(_, f)| *f == field)
            .and_then(|(p, _)| texts.iter().find(|(q, _)| q == p))
            .map(|(_, t)| t.trim().to_string())
            .unwrap_or_default()
    };
    let filled = map.iter().filter(|(p, _)| texts.iter().any(|(q, t)| q == p && !t.trim().is_empty())).count();
    let (level3, value) = (get(Field::Level3), get(Field::Value));
    if filled < 2 || (level3.is_empty() && value.is_empty() && get(Field::Level2).is_empty()) {
        return None; // a line of a wrapped cell, or a note
    }
    let optional = |field: Field| Some(get(field)).filter(|s| !s.is_empty());
    Some(Indicator {
        level1: get(Field::Level1),
        level1_inferred: false,
        level2: get(Field::Level2),
        level3,
        description: get(Field::Description),
        parsed: parse_value(&value),
        value,
        basis: get(Field::Basis),
        direction: optional(Field::Direction),
        unit: optional(Field::Unit),
        score: optional(Field::Score),
        page: row.page,
        line: row.line,
    })
}

/// Gives each indicator its 二级 and 一级指标 where a merged cell printed them once: the 二级
/// from the row above; the 一级 the framework's parent of the 二级 where the table prints that
/// parent, else the nearest printed above (or below, for the rows over a centred label).
fn fill_levels(indicators: &mut [Indicator]) {
    for i in 1..indicators.len() {
        if indicators[i].level2.is_empty() {
            indicators[i].level2 = indicators[i - 1].level2.clone();
        }
    }
    let printed: Vec<Option<String>> =
        indicators.iter().map(|x| Some(x.level1.clone()).filter(|l| !l.is_empty())).collect();
    for i in 0..indicators.len() {
        if printed[i].is_some() {
            continue;
        }
        let parent = VOCABULARY
            .level1_of
            .get(&label_key(&indicators[i].level2))
            .filter(|p| printed.iter().flatten().any(|l| label_key(l) == **p))
            .cloned();
        let above = printed[..i].iter().rev().flatten().next().cloned();
        let below = printed[i..].iter().flatten().next().cloned();
        // Rows over a centred label belong to it when the framework says so.
        let guess = parent.or_else(|| {
            below.clone().filter(|b| VOCABULARY.level1_of.get(&label_key(&indicators[i].level2)) == Some(b))
        });
        if let Some(level1) = guess.or(above).or(below) {
            indicators[i].level1 = level1;
            indicators[i].level1_inferred = true;
        }
    }
}

/// A comparator, a number and what follows it.
static VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(>=|<=|≥|≤|≧|≦|>|<|=|不低于|不少于|不高于|不超过|大于|小于|等于|达到)?([0-9]+(?:\.[0-9]+)?)(.*)$")
        .expect("value pattern")
});

/// `≥150件` → (`>=`, 150, `件`); `None` for a date (`2023年底前`), words or a range.
fn parse_value(value: &str) -> Option<TargetValue> {
    let plain: String = nfkc(value).chars().filter(|c| !c.is_whitespace()).collect();
    let found = VALUE.captures(&plain)?;
    let unit = found[3].to_string();
    if unit.chars().any(|c| c.is_ascii_digit()) || unit.starts_with('年') || unit.starts_with('-') {
        return None;
    }
    let comparator = match found.get(1).map_or("", |m| m.as_str()) {
        ">=" | "≥" | "≧" | "不低于" | "不少于" | "达到" => ">=",
        "<=" | "≤" | "≦" | "不高于" | "不超过" => "<=",
        ">" | "大于" => ">",
        "<" | "小于" => "<",
        _ => "=",
    };
    Some(TargetValue { comparator: comparator.to_string(), number: Decimal::from_str(&found[2]).ok()?, unit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_as_comparisons_where_they_are_one() {
        let v = parse_value("≥ 150 件").unwrap();
        assert_eq!((v.comparator.as_str(), v.number.to_string().as_str(), v.unit.as_str()), (">=", "150", "件"));
        let v = parse_value("≤0.97万元").unwrap();
        assert_eq!((v.comparator.as_str(), v.number.to_string().as_str(), v.unit.as_str()), ("<=", "0.97", "万元"));
        assert_eq!(parse_value("100%").unwrap().comparator, "=");
        for words in ["2023 年底前", "好", "1-3个", ""] {
            assert!(parse_value(words).is_none(), "{words}");
        }
    }
}
