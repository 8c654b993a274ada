//! The subjects of a classification by name (`data/codes/economic-subjects.toml`): the
//! code each 类 and 款 of 部门预算支出经济分类 has and the names it is printed by.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::label::label_key;

/// One subject: its code and its names, `label_key`'d.
#[derive(Debug, Clone)]
pub struct Subject {
    pub code: String,
    pub names: Vec<String>,
}

/// The subjects of 部门预算支出经济分类 (codes 3…).
pub static ECONOMIC: LazyLock<Vec<Subject>> = LazyLock::new(|| {
    #[derive(Deserialize)]
    struct Entry {
        code: String,
        name: String,
        #[serde(default)]
        aliases: Vec<String>,
    }
    #[derive(Deserialize)]
    struct File {
        subject: Vec<Entry>,
    }
    let file: File = serde_json::from_str(crate::knowledge::data!("codes/economic-subjects"))
        .expect("data/codes/economic-subjects.toml parses (tested)");
    file.subject
        .into_iter()
        .map(|e| Subject {
            code: e.code,
            names: std::iter::once(e.name).chain(e.aliases).map(|n| label_key(&n)).collect(),
        })
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::templates::Classification;

    #[test]
    fn every_subject_is_an_economic_code_of_a_class_or_its_child() {
        assert!(ECONOMIC.len() > 50);
        for s in ECONOMIC.iter() {
            assert!(Classification::Economic.holds(&s.code) && matches!(s.code.len(), 3 | 5), "{}", s.code);
            assert!(s.code.len() == 3 || ECONOMIC.iter().any(|p| p.code == s.code[..3]), "{} has its class", s.code);
        }
    }
}
