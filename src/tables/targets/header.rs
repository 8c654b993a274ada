//! The columns of a target table, named by their header words (`data/targets/vocabulary.toml`):
//! the indicator fields, and the record fields of tables that list several projects (项目名称,
//! 绩效目标 and the money columns).

use crate::knowledge::targets::VOCABULARY;
use crate::label::label_key;

/// A column's field, in the order a header word is tried against them (`指标值确定依据` is the
/// basis before it is a value; `绩效指标描述` a description before a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Basis,
    Description,
    Direction,
    Score,
    Value,
    Level1,
    Level2,
    Level3,
    Unit,
    /// 项目名称 in a column: a table listing several projects.
    Project,
    /// 绩效目标 / 年度目标 in a column.
    Goals,
    /// 单位名称 / 实施单位 in a column.
    Responsible,
}

const FIELDS: [Field; 12] = [
    Field::Basis,
    Field::Description,
    Field::Direction,
    Field::Score,
    Field::Value,
    Field::Level1,
    Field::Level2,
    Field::Level3,
    Field::Unit,
    Field::Project,
    Field::Goals,
    Field::Responsible,
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
            Field::Project => &c.project,
            Field::Goals => &c.goals,
            Field::Responsible => &c.responsible,
        }
    }
}

/// Column positions of the fields, and of the money columns with their labels.
#[derive(Debug, Clone, Default)]
pub struct Map {
    pub fields: Vec<(usize, Field)>,
    pub money: Vec<(usize, String)>,
}

impl Map {
    pub fn position(&self, field: Field) -> Option<usize> {
        self.fields.iter().find(|(_, f)| *f == field).map(|(p, _)| *p)
    }
}

/// The fields a line of header texts names, by position; `None` unless it names the
/// indicator's name (三级指标 or 二级指标) and its value. A cell naming several fields (`二级指标
/// 三级指标`, merged by OCR) gives the next ones to the positions after it with no header.
/// A header path (`其中：/财政资金`) names a money column by its leaf.
pub fn header_map(texts: &[(usize, String)]) -> Option<Map> {
    let map = fields_map(texts);
    let has = |f: Field| map.position(f).is_some();
    ((has(Field::Level3) || has(Field::Level2)) && has(Field::Value)).then_some(map)
}

/// The header of a table that lists projects with their goals and prints no indicator
/// (单位名称 | 项目名称 | 金额 | 绩效目标): each row is a target of its own. Every word over
/// the columns is a header word (a 项目名称 with the project's name beside it is a label).
pub fn record_map(texts: &[(usize, String)]) -> Option<Map> {
    let map = fields_map(texts);
    let has = |f: Field| map.position(f).is_some();
    let named = |p: &usize| map.fields.iter().any(|(q, _)| q == p) || map.money.iter().any(|(q, _)| q == p);
    let all_named = texts.iter().filter(|(_, t)| !t.trim().is_empty()).all(|(p, _)| named(p));
    (has(Field::Project) && has(Field::Goals) && all_named).then_some(map)
}

/// The fields and money columns a line of header texts names, by position.
fn fields_map(texts: &[(usize, String)]) -> Map {
    let mut map = Map::default();
    for (position, text) in texts {
        // Every header word holds ideographs: a figure or a mark names no field and no money
        // (each row of a target table is tried as a header printed again).
        if !crate::label::may_contain(text, crate::label::is_ideograph) {
            continue;
        }
        let named = fields_named(text);
        if named.is_empty()
            && let Some(label) = money_column(text)
        {
            map.money.push((*position, label));
        }
        for (k, field) in named.into_iter().enumerate() {
            let at = position + k;
            let taken = k > 0 && texts.iter().any(|(q, t)| *q == at && !t.trim().is_empty());
            if !taken && map.position(field).is_none() {
                map.fields.push((at, field));
            }
        }
    }
    if map.position(Field::Level3).is_none() && map.position(Field::Level2).is_none() {
        let alone = texts.iter().find(|(_, t)| VOCABULARY.columns.level3_alone.contains(&label_key(t)));
        if let Some((position, _)) = alone {
            map.fields.push((*position, Field::Level3));
        }
    }
    map
}

/// Longer than any header cell of a row (`一级指标 二级指标 三级指标 指标值` merged by OCR is
/// 20): an indicator's description or a goal, not put through the header vocabulary when
/// every row is checked for a header printed again. (A header path over a column, joined
/// with `/`, can be longer.)
pub(super) fn is_long(text: &str) -> bool {
    text.chars().count() > 48
}

/// The money label of a column's header path: its leaf (`其中：/财政资金` → `财政资金`), or the
/// whole path where the leaf is the end of a wrapped word (`当年财政拨/款预算金额`).
fn money_column(path: &str) -> Option<String> {
    let leaf = path.rsplit('/').next().unwrap_or(path);
    let key = label_key(leaf);
    if VOCABULARY.money.iter().any(|w| key.starts_with(w.as_str())) {
        return money_label(leaf);
    }
    money_label(&path.replace('/', ""))
}

/// The label key of a money label (`其中：财政拨款` → `财政拨款`, `年度预算资金总额：`), or
/// `None` when the text names no money.
pub fn money_label(text: &str) -> Option<String> {
    let key = label_key(text);
    let key = key.trim_end_matches([':', '*']).to_string();
    VOCABULARY.money.iter().any(|w| key.contains(w.as_str())).then_some(key)
}

/// The fields a header text names, in the order they are printed: the longest header word
/// at each place, so `指标值确定依据` is the basis and not also the value.
pub fn fields_named(text: &str) -> Vec<Field> {
    // A header cell wrapped over two lines is one word (`本年绩效指/标值`).
    let key = label_key(&text.replace('/', ""));
    // Every row of a target table is tried as a header printed again: all the words are
    // looked for in one pass, not word by word. Each word counts where it is first found.
    let mut found: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, word)
    for hit in FIELD_WORDS.searcher.find_overlapping_iter(key.as_str()) {
        let word = hit.pattern().as_usize();
        if !found.iter().any(|&(_, _, w)| w == word) {
            found.push((hit.start(), hit.end(), word));
        }
    }
    // Words in FIELDS order break ties, as the order the fields are tried in says.
    found.sort_by_key(|&(start, end, word)| (start, std::cmp::Reverse(end), word));
    let mut out: Vec<Field> = Vec::new();
    let mut covered = 0;
    for (start, end, word) in found {
        if start >= covered {
            let field = FIELD_WORDS.fields[word];
            if !out.contains(&field) {
                out.push(field);
            }
            covered = end;
        }
    }
    out
}

/// Every field's header words in one automaton, numbered in FIELDS order.
struct FieldWords {
    searcher: aho_corasick::AhoCorasick,
    /// The field of each word, by its number.
    fields: Vec<Field>,
}

static FIELD_WORDS: std::sync::LazyLock<FieldWords> = std::sync::LazyLock::new(|| {
    let words: Vec<(Field, &str)> =
        FIELDS.iter().flat_map(|&field| field.words().iter().map(move |w| (field, w.as_str()))).collect();
    let searcher =
        aho_corasick::AhoCorasick::new(words.iter().map(|(_, w)| w)).expect("header words make an automaton");
    FieldWords { searcher, fields: words.iter().map(|(f, _)| *f).collect() }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_cells_name_their_fields_and_merged_ones_several() {
        assert_eq!(fields_named("指标值确定依据"), [Field::Basis]);
        assert_eq!(fields_named("标 二级指标 三级指标"), [Field::Level2, Field::Level3]);
        assert_eq!(fields_named("绩效指标描述"), [Field::Description]);
        assert_eq!(fields_named("绩效指标性质"), [Field::Direction]);
        assert_eq!(fields_named("本年绩效指标值"), [Field::Value]);
        assert_eq!(fields_named("本年绩效指/标值"), [Field::Value]);
    }

    #[test]
    fn money_columns_are_named_by_their_leaf() {
        let texts: Vec<(usize, String)> = ["项目名称", "项目总额", "其中：/财政资金", "其他资金", "三级指标", "指标值"]
            .iter()
            .enumerate()
            .map(|(i, t)| (i, t.to_string()))
            .collect();
        let map = header_map(&texts).unwrap();
        assert_eq!(map.position(Field::Project), Some(0));
        let money: Vec<&str> = map.money.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(money, ["项目总额", "财政资金", "其他资金"]);
        assert_eq!(money_label("年度预算资金总额："), Some("年度预算资金总额".into()));
        assert_eq!(money_label("其中：财政拨款"), Some("财政拨款".into()));
        assert_eq!(money_column("当年财政拨/款预算金额"), Some("当年财政拨款预算金额".into()));
    }
}
