//! The page banner every table page repeats: `436 青龙满族自治县行政审批局` and
//! `预算年度: 2023` (or `截止时间: 2022-12-31` on asset tables).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::pattern::Regex;

use crate::label::nfkc;
use crate::page::Line;

static CODE_NAME: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^([0-9]{2,12})\s*([\p{Han}()]{4,})$").expect("banner pattern"));
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^(?:预算年度|年度|决算年度)\s*:\s*([0-9]{4})").expect("year pattern"));
static AS_OF: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"^截[止至]时间\s*:").expect("as-of pattern"));

/// The code and name of a banner line (`code name`, the name of 4 to 40 ideographs: the upper
/// bound is checked after the match, a bounded repetition of the class being dear to compile).
fn code_name(text: &str) -> Option<crate::pattern::Captures<'_>> {
    CODE_NAME.captures(text).filter(|c| c[2].chars().count() <= 40)
}

/// The department's banner as repeated on the table pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    /// 单位编码.
    pub code: String,
    /// 单位名称.
    pub name: String,
    /// 预算年度, when printed with the banner.
    pub year: Option<i32>,
}

impl Banner {
    /// True for the `code name` line.
    pub fn is_banner(&self, line: &Line) -> bool {
        let text = nfkc(&line.text());
        code_name(text.trim()).is_some_and(|c| c[1] == self.code && c[2] == self.name)
    }

    /// True for the banner's companion lines (预算年度, 截止时间).
    pub fn is_furniture(&self, line: &Line) -> bool {
        let text = nfkc(&line.text());
        YEAR.is_match(text.trim()) || AS_OF.is_match(text.trim())
    }
}

/// The most repeated `code name` line (at least twice, or once right under a table
/// title), with the fiscal year.
pub fn find(lines: &[Line], is_title: impl Fn(&Line) -> bool) -> Option<Banner> {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let raw = line.text();
        // A banner begins with its code: most lines are ruled out before NFKC and the pattern.
        if !crate::label::may_hold_digit(raw.trim_start().get(..4).unwrap_or(raw.trim_start())) {
            continue;
        }
        let text = nfkc(&raw);
        if let Some(c) = code_name(text.trim())
            && crate::label::is_unit_name(&c[2])
        {
            // Printed once, it is a banner only right under a table title (a one-page table).
            let under_title = lines[i.saturating_sub(3)..i].iter().any(&is_title);
            *seen.entry((c[1].to_string(), c[2].to_string())).or_default() += if under_title { 2 } else { 1 };
        }
    }
    let ((code, name), count) = seen.into_iter().max_by_key(|(k, n)| (*n, std::cmp::Reverse(k.clone())))?;
    if count < 2 {
        return None;
    }
    let year = lines.iter().find_map(|l| {
        let text = nfkc(&l.text());
        YEAR.captures(text.trim()).and_then(|c| c[1].parse().ok())
    });
    Some(Banner { code, name, year })
}
