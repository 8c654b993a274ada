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
/// indicator's name (三级指标 or 二级指标) and its value. A cell naming several fields (`二级指标
/// 三级指标`, merged by OCR) gives the next ones to the positions after it with no header.
fn header_map(texts: &[(usize, String)]) -> Option<Map> {
    let mut map: Map = Vec::new();
    for (position, text) in texts {
        for (k, field) in fields_named(text).into_iter().enumerate() {
            let at = position + k;
            let taken = k > 0 && texts.iter().any(|(q, t)| *q == at && !t.trim().is_empty());
            if !taken && !map.iter().any(|(_, f)| *f == field) {
                map.push((at, field));
            }
        }
    }
    let has = |f: Field| map.iter().any(|(_, g)| *g == f);
    ((has(Field::Level3) || has(Field::Level2)) && has(Field::Value)).then_some(map)
}

/// The fields a header text names, in the order they are printed: the longest header word
/// at each place, so `指标值确定依据` is the basis and not also the value.
fn fields_named(text: &str) -> Vec<Field> {
    let key = label_key(text);
    let mut found: Vec<(usize, usize, Field)> = Vec::new(); // (start, end, field)
    for field in FIELDS {
        for word in field.words() {
            if let Some(start) = key.find(word.as_str()) {
                found.push((start, start + word.len(), field));
            }
        }
    }
    found.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    let mut out: Vec<Field> = Vec::new();
    let mut covered = 0;
    for (start, end, field) in found {
        if start >= covered {
            if !out.contains(&field) {
                out.push(field);
            }
            covered = end;
        }
    }
    out
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
    // 一级/二级指标 printed on a line of their own, over the indicators they head.
    let mut labels = (String::new(), String::new());
    // An indicator whose cells wrapped onto several lines, being put together.
    let mut partial: Option<Indicator> = None;
    for row in &table.rows {
        let texts = texts(row);
        if let Some(again) = header_map(&texts) {
            map = Some(again); // the header, or the header printed again on a new page
            continue;
        }
        let Some(map) = &map else {
            fields(&texts, &mut target, &mut goals);
            continue;
        };
        let Some(read) = indicator(map, &texts, row) else { continue };
        let complete = !read.level3.is_empty() && !read.value.is_empty();
        let label_only = [&read.level3, &read.description, &read.value, &read.basis].iter().all(|t| t.is_empty());
        if complete || label_only {
            target.indicators.extend(partial.take().map(|p| headed(p, &labels)));
        }
        if label_only {
            if !read.level1.is_empty() {
                labels = (read.level1, String::new());
            }
            if !read.level2.is_empty() {
                labels.1 = read.level2;
            }
        } else if complete {
            target.indicators.push(headed(read, &labels));
        } else {
            match partial.as_mut() {
                Some(p) => join(p, read),
                None if !read.level3.is_empty() => partial = Some(read),
                None => {} // a stray value or basis with no indicator to belong to
            }
        }
    }
    target.indicators.extend(partial.take().map(|p| headed(p, &labels)));
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

/// An indicator given the 一级/二级指标 printed over it where its own cells are blank.
fn headed(mut indicator: Indicator, labels: &(String, String)) -> Indicator {
    if indicator.level1.is_empty() && !labels.0.is_empty() {
        indicator.level1.clone_from(&labels.0);
        indicator.level1_inferred = true;
    }
    if indicator.level2.is_empty() {
        indicator.level2.clone_from(&labels.1);
    }
    indicator
}

/// The next line of an indicator whose cells wrapped: each text goes after its field's.
fn join(into: &mut Indicator, next: Indicator) {
    for (field, more) in [
        (&mut into.level1, next.level1),
        (&mut into.level2, next.level2),
        (&mut into.level3, next.level3),
        (&mut into.description, next.description),
        (&mut into.basis, next.basis),
    ] {
        field.push_str(&more);
    }
    if !next.value.is_empty() {
        into.value.push_str(&next.value);
        into.parsed = parse_value(&into.value);
    }
}

/// The fields of one indicator line (`None` for a line with nothing under the columns).
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
    if filled == 0 {
        return None;
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
    fn header_cells_name_their_fields_and_merged_ones_several() {
        assert_eq!(fields_named("指标值确定依据"), [Field::Basis]);
        assert_eq!(fields_named("标 二级指标 三级指标"), [Field::Level2, Field::Level3]);
        assert_eq!(fields_named("绩效指标描述"), [Field::Description]);
    }

    fn row(line: u32, cells: &[(u32, &str)]) -> OtherRow {
        let cells = cells
            .iter()
            .map(|&(column, text)| crate::model::OtherCell { column, text: text.to_string(), value: None })
            .collect();
        OtherRow { page: 1, line, cells }
    }

    #[test]
    fn wrapped_indicators_are_put_together_under_the_labels_over_them() {
        let table = OtherTable {
            table_index: 0,
            title: "项目支出绩效目标表".into(),
            page: 1,
            columns: vec![String::new(); 5],
            rows: vec![
                row(1, &[(1, "一级指标"), (2, "二级指标"), (3, "三级指标"), (4, "指标值")]),
                row(2, &[(0, "绩效指标"), (1, "产出指标"), (2, "数量指标")]),
                row(3, &[(3, "城区建筑节能采集")]),
                row(4, &[(4, "≥158栋楼")]),
                row(5, &[(3, "样本数量")]),
                row(6, &[(3, "完工及时率"), (4, "=100%")]),
            ],
        };
        let target = read(&table).unwrap();
        let got: Vec<(&str, &str, &str, &str)> = target
            .indicators
            .iter()
            .map(|i| (i.level1.as_str(), i.level2.as_str(), i.level3.as_str(), i.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("产出指标", "数量指标", "城区建筑节能采集样本数量", "≥158栋楼"),
                ("产出指标", "数量指标", "完工及时率", "=100%")
            ]
        );
    }

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
