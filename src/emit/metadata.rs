//! Document metadata from the layout: kind (which template set's titles matched), year
//! (预算年度 on the banner, else the document title), department (the page banner) and
//! unit (the explicit unit lines, else the narrative's amounts).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::label::nfkc;
use crate::layout::Layout;
use crate::model::Metadata;

static TITLE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{4})\s*年度?\s*\p{Han}{0,8}?(?:预算|决算)").expect("title year"));
static COMPILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:编制部门|预算主管部门|编制单位|部门名称|单位名称)\s*:\s*(\p{Han}[\p{Han}()]{2,40})")
        .expect("compiler")
});
/// A document heading naming the department: `上海市普陀区财政局2024年度部门决算`.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:第[一二三四]部分)?(\p{Han}{4,30}?)[0-9]{4}年度?部门(?:预算|决算)(?:表|公开)?$").expect("heading")
});
static NARRATIVE_WAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9]\s*万元").expect("wan yuan"));

/// Reads the metadata the layout found.
pub fn metadata(layout: &Layout) -> Metadata {
    let year = layout.banner.as_ref().and_then(|b| b.year).or_else(|| {
        layout.lines.iter().find_map(|l| {
            let text = nfkc(&l.text());
            TITLE_YEAR.captures(&text).and_then(|c| c[1].parse().ok())
        })
    });
    Metadata {
        kind: layout.kind,
        year,
        department_code: layout.banner.as_ref().map(|b| b.code.clone()),
        department: layout.banner.as_ref().map(|b| b.name.clone()).or_else(|| compiler(layout)),
        unit: unit(layout),
    }
}

/// The most frequent explicit unit; else 万元 when the narrative states amounts in 万元.
fn unit(layout: &Layout) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, u) in &layout.units {
        *counts.entry(u.as_str()).or_default() += 1;
    }
    if let Some((u, _)) = counts.into_iter().max_by_key(|(u, n)| (*n, *u == "万元")) {
        return Some(u.to_string());
    }
    let wan = layout.lines.iter().filter(|l| NARRATIVE_WAN.is_match(&l.text())).count();
    (wan >= 3).then(|| "万元".to_string())
}

/// The department named as the tables' compiler (`编制部门：…`) or in the document's
/// heading, where no banner is printed.
fn compiler(layout: &Layout) -> Option<String> {
    let named = |re: &Regex| {
        layout.lines.iter().find_map(|l| {
            let text: String = nfkc(&l.text()).chars().filter(|c| !c.is_whitespace()).collect();
            re.captures(&text).map(|c| c[1].to_string())
        })
    };
    named(&COMPILER).or_else(|| named(&HEADING))
}
