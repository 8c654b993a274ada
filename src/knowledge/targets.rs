//! How performance target tables (绩效目标表) are read: their title words, the header words
//! of each indicator column, the labels of the rows before the indicators, and the
//! framework's 二级 → 一级指标 hierarchy (`data/targets/vocabulary.toml`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// The vocabulary, as the data file gives it.
#[derive(Debug, Deserialize)]
pub struct Vocabulary {
    /// Words of a target table's title.
    pub titles: Vec<String>,
    /// Words of a title that make the table the department's (scope `department`).
    pub department_words: Vec<String>,
    /// Words of a money label (row label or column leaf), as label keys.
    pub money: Vec<String>,
    pub columns: Columns,
    pub fields: Fields,
    /// 二级指标 → its 一级指标.
    pub level1_of: BTreeMap<String, String>,
}

/// Header words of each indicator column, as label keys.
#[derive(Debug, Deserialize)]
pub struct Columns {
    pub level1: Vec<String>,
    pub level2: Vec<String>,
    pub level3: Vec<String>,
    /// The name column's header where no level3 word is printed.
    pub level3_alone: Vec<String>,
    pub description: Vec<String>,
    pub value: Vec<String>,
    pub basis: Vec<String>,
    pub direction: Vec<String>,
    pub unit: Vec<String>,
    pub score: Vec<String>,
    /// 项目名称 as a column: the table lists several projects.
    pub project: Vec<String>,
    /// 绩效目标 as a column.
    pub goals: Vec<String>,
    /// 单位名称 as a column.
    pub responsible: Vec<String>,
}

/// Labels of the rows before the indicators.
#[derive(Debug, Deserialize)]
pub struct Fields {
    pub project: Vec<String>,
    pub responsible: Vec<String>,
    pub goals: Vec<String>,
}

/// The vocabulary, its header words as label keys (computed once: every row of every target
/// table is tried as a header).
pub static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut v: Vocabulary = serde_json::from_str(crate::knowledge::data!("targets/vocabulary"))
        .expect("data/targets/vocabulary.toml parses (tested)");
    let c = &mut v.columns;
    for words in [
        &mut c.level1,
        &mut c.level2,
        &mut c.level3,
        &mut c.level3_alone,
        &mut c.description,
        &mut c.value,
        &mut c.basis,
        &mut c.direction,
        &mut c.unit,
        &mut c.score,
        &mut c.project,
        &mut c.goals,
        &mut c.responsible,
        &mut v.money,
    ] {
        for w in words.iter_mut() {
            *w = crate::label::label_key(w);
        }
    }
    v
});

#[cfg(test)]
mod tests {
    #[test]
    fn the_vocabulary_parses() {
        assert!(!super::VOCABULARY.columns.value.is_empty());
        assert_eq!(super::VOCABULARY.level1_of["数量指标"], "产出指标");
    }
}
