//! Document metadata from the layout: kind (which template set's titles matched), year
//! (预算年度 on the banner, else the document's heading, else a title), department (the page
//! banner, else the tables' compiler line, else the heading), unit (the explicit unit lines,
//! else the narrative's amounts), and how the document names itself: scope (部门预算 or
//! 单位预算) and consolidation (`（本级）`, `（汇总）`) where printed.
//!
//! Names are made comparable with [`entity_name`]: a department's name never absorbs the
//! `单位` of `单位：万元` beside it, nor the `（本级）` after it.

use std::collections::BTreeMap;

mod department;
mod texts;

use super::block::Layout;
use crate::label::{entity_name, first_chars, has_ordinal, is_ideograph, nfkc};
use crate::model::{Consolidation, Metadata, Scope, Unit};
use crate::pattern::Guarded;
use texts::Texts;

static TITLE_YEAR: Guarded = Guarded::new(r"([0-9]{4})\s*年度?\s*\p{Han}{0,8}?(?:预算|决算)", &["预算", "决算"]);
/// The compiler's name is its first 41 characters ([`first_chars`]).
static COMPILER: Guarded = Guarded::new(
    r"(?:编制部门|预算主管部门|编制单位|部门名称|单位名称|预算单位)\s*:\s*(\p{Han}[\p{Han}()]{2,})",
    &["编制部门", "预算主管部门", "编制单位", "部门名称", "单位名称", "预算单位"],
);
/// A document heading naming the department: `上海市普陀区财政局2024年度部门决算`, the name
/// of 4 to 30 ideographs (the upper bound checked after the match, in `named_heading`).
static HEADING: Guarded = Guarded::new(
    r"^(?:第[一二三四]部分)?(\p{Han}{4,}?)[0-9]{4}年度?部门(?:预算|决算)(?:表|公开)?$",
    &["部门预算", "部门决算"],
);
/// The cover's title: the entity, its consolidation, the year before or after the name, and
/// the scope (`2026年度泉州市公安局(本级)单位预算`, `无锡市商务局2026年度部门预算公开`).
static COVER: Guarded = Guarded::new(
    r"^(?:[0-9]{4}年度?)?(?P<name>[\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}][\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}()]{3,40}?)(?:\((?P<consolidation>本级|汇总)\))?(?:[0-9]{4}年度?)?(?P<scope>部门|单位)(?:预算|决算)",
    &["预算", "决算"],
);
/// A unit stated anywhere on a line: `单位:元` (never `编制单位:…`, which names no unit), its
/// colon as OCR may read it (`单位,元`).
static UNIT: Guarded = Guarded::new(r"单位[:,;.](万元|元)", &["单位"]);
static NARRATIVE_WAN: Guarded = Guarded::new(r"[0-9]\s*万元", &["万元"]);

// Plain string searches where a pattern is simple: every document runs these, and a
// compiled pattern costs milliseconds in a debug build.

/// How a document names itself: `部门预算`, `单位决算`.
const SELF_NAMES: [(&str, Scope); 4] = [
    ("部门预算", Scope::Department),
    ("部门决算", Scope::Department),
    ("单位预算", Scope::Unit),
    ("单位决算", Scope::Unit),
];

/// The scope of the first self-naming in `text`.
fn self_named(text: &str) -> Option<Scope> {
    SELF_NAMES
        .iter()
        .filter_map(|(w, scope)| text.find(w).map(|at| (at, *scope)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, s)| s)
}

/// The first consolidation printed in `text` (NFKC): `(本级)`, `(汇总)`.
fn consolidation_in(text: &str) -> Option<Consolidation> {
    [("(本级)", Consolidation::Own), ("(汇总)", Consolidation::Consolidated)]
        .iter()
        .filter_map(|(w, c)| text.find(w).map(|at| (at, *c)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, c)| c)
}

/// A section number (`第二部分`): never a name.
fn is_part_number(text: &str) -> bool {
    text.strip_prefix('第')
        .and_then(|rest| rest.split_once("部分"))
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c)))
}

/// A printed figure in the text: `12,672.73`, `0.00`.
fn has_figure(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(3).any(|w| w[0].is_ascii_digit() && matches!(w[1], ',' | '.') && w[2].is_ascii_digit())
}

/// The first year printed as `2026年` (a fiscal year of this century: OCR's `CN20256年`
/// is no year).
fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(5)
        .filter(|w| w[..4].iter().all(char::is_ascii_digit) && w[4] == '年')
        .filter_map(|w| w[..4].iter().collect::<String>().parse().ok())
        .find(|y| plausible_year(*y))
}

/// A fiscal year a disclosure can state.
fn plausible_year(year: i32) -> bool {
    (2000..=2100).contains(&year)
}

/// Reads the metadata the layout found.
pub fn metadata(layout: &Layout) -> Metadata {
    let texts = Texts::new(&layout.lines);
    let heading = heading(layout, &texts);
    let cover = self_named(&heading).and_then(|_| COVER.captures(&heading));
    let year = layout.banner.as_ref().and_then(|b| b.year).or_else(|| heading_year(&heading)).or_else(|| {
        (0..layout.lines.len()).find_map(|i| {
            TITLE_YEAR.captures(texts.nfkc(i)).and_then(|c| c[1].parse().ok()).filter(|y| plausible_year(*y))
        })
    });
    // The name as printed, before it is made comparable: its `（本级）` is the consolidation.
    let printed = layout
        .banner
        .as_ref()
        .map(|b| b.name.clone())
        .or_else(|| compiler(&texts))
        // `北京市某局部门2026年度部门预算`: the scope word printed twice is not the name's.
        .or_else(|| cover.as_ref().map(|c| c["name"].trim_end_matches("部门").to_string()))
        .or_else(|| named_heading(&texts));
    let department = printed
        .as_deref()
        .map(entity_name)
        .filter(|n| n.chars().count() >= 2)
        .map(|d| department::as_printed(d, &texts))
        .or_else(|| department::from_cover(&heading, &texts));
    let scope = cover
        .as_ref()
        .map(|c| if &c["scope"] == "单位" { Scope::Unit } else { Scope::Department })
        .or_else(|| self_named(&heading))
        .or_else(|| self_named(&layout.narrative.text))
        .or_else(|| layout.blocks.iter().find_map(|b| self_named(&nfkc(&b.title.text()))));
    let consolidation = consolidation_in(&heading)
        .or_else(|| printed.as_deref().and_then(|p| consolidation_in(&nfkc(p).replace(char::is_whitespace, ""))));
    Metadata {
        kind: layout.kind,
        year,
        department_code: layout.banner.as_ref().map(|b| b.code.clone()),
        department,
        unit: unit(layout, &texts),
        scope,
        consolidation,
        part: None,
    }
}

/// The document's own heading: the first lines of its first page up to the table of
/// contents, a numbered section, a sentence or a figure (a cover printed over three lines:
/// `2026年度` / `泉州市公安局（本级）` / `单位预算`), NFKC and run together without white space.
fn heading(layout: &Layout, texts: &Texts<'_>) -> String {
    let mut out = String::new();
    let mut page = None;
    for (i, line) in layout.lines.iter().enumerate().filter(|(_, l)| !l.is_blank()).take(8) {
        let text = texts.compact(i);
        if out.is_empty() && !text.chars().any(is_ideograph) {
            continue; // debris above the title (a page number, a dot)
        }
        if *page.get_or_insert(line.page) != line.page
            || text == "目录"
            || text.contains(['。', ',', ';', '，', '；'])
            || has_figure(text)
            || has_ordinal(text)
            || is_part_number(text)
            || out.chars().count() > 80
        {
            break;
        }
        out.push_str(text);
    }
    out
}

/// The year the heading states with the document's name (`2026年度…部门预算`).
fn heading_year(heading: &str) -> Option<i32> {
    if !heading.contains("预算") && !heading.contains("决算") {
        return None;
    }
    year_in(heading)
}

/// The most frequent explicit unit (a unit line, else `单位：元` printed after other words
/// on a line, as in `编制单位：… | 单位：元`); else 万元 when the narrative states amounts in
/// 万元.
fn unit(layout: &Layout, texts: &Texts<'_>) -> Option<Unit> {
    let mut counts: BTreeMap<Unit, usize> = BTreeMap::new();
    for (_, u) in &layout.units {
        *counts.entry(*u).or_default() += 1;
    }
    if counts.is_empty() {
        for i in 0..layout.lines.len() {
            if let Some(u) = UNIT.captures(texts.compact(i)).and_then(|c| Unit::prefix_of(&c[1])) {
                *counts.entry(u).or_default() += 1;
            }
        }
    }
    if let Some((u, _)) = counts.into_iter().max_by_key(|(u, n)| (*n, *u == Unit::WanYuan)) {
        return Some(u);
    }
    let wan = layout.lines.iter().filter(|l| NARRATIVE_WAN.is_match(&l.text())).count();
    (wan >= 3).then_some(Unit::WanYuan)
}

/// The department named as the tables' compiler (`编制部门：…`, `部门名称：…`), as printed
/// (a `单位：万元` beside it may have run on: see [`entity_name`]).
fn compiler(texts: &Texts<'_>) -> Option<String> {
    texts.find_compact(|text| COMPILER.captures(text).map(|c| first_chars(&c[1], 41).to_string()))
}

/// The department named in a heading line of its own (`…财政局2024年度部门决算`), never a
/// section number (`第二部分2026年部门预算表`).
fn named_heading(texts: &Texts<'_>) -> Option<String> {
    texts.find_compact(|text| {
        HEADING
            .captures(text)
            .map(|c| c[1].to_string())
            .filter(|name| name.chars().count() <= 30 && !is_part_number(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::layout;

    #[test]
    fn a_compiler_line_beside_the_unit_names_the_department_without_it() {
        let m = metadata(&layout(
            "上海市2026年市级单位预算\n预算单位：上海市某某事务中心\n\u{c}2026年预算单位财务收支预算总表\n编制单位：上海市某某事务中心\t单位：元\n",
        ));
        assert_eq!(m.department.as_deref(), Some("上海市某某事务中心"));
        assert_eq!(m.scope, Some(Scope::Unit));
        assert_eq!(m.consolidation, None);
        assert_eq!(m.year, Some(2026));
        assert_eq!(m.unit, Some(Unit::Yuan), "the unit printed beside the compiler");
    }

    #[test]
    fn a_cover_over_three_lines_names_entity_consolidation_and_scope() {
        let m = metadata(&layout("2026年度\n某某市公安局（本级）\n单位预算\n\u{c}目\t录\n一、单位主要职责\n"));
        assert_eq!(m.department.as_deref(), Some("某某市公安局"));
        assert_eq!(m.consolidation, Some(Consolidation::Own));
        assert_eq!(m.scope, Some(Scope::Unit));
        assert_eq!(m.year, Some(2026));
    }

    #[test]
    fn a_department_budget_names_itself() {
        for cover in ["某某市统计局\n2026年度部门预算", "某某市统计局部门\t2026年度\n部门预算信息公开"]
        {
            let m = metadata(&layout(&format!("{cover}\n\u{c}目录\n一、部门概况\n")));
            assert_eq!(m.department.as_deref(), Some("某某市统计局"), "{cover}");
            assert_eq!(m.scope, Some(Scope::Department));
            assert_eq!(m.consolidation, None);
            assert_eq!(m.year, Some(2026));
        }
        // A table compiler line with 本级 gives the consolidation where the cover does not.
        let m = metadata(&layout("2026年某某市司法局部门预算\n\u{c}部门名称：某某市司法局（本级）\t单位：万元\n"));
        assert_eq!(m.department.as_deref(), Some("某某市司法局"));
        assert_eq!(m.consolidation, Some(Consolidation::Own));
        assert_eq!(m.scope, Some(Scope::Department));
    }

    #[test]
    fn plain_searches_read_cjk_text() {
        assert_eq!(self_named("上海市2026年市级单位预算预算单位:某某中心"), Some(Scope::Unit));
        assert_eq!(self_named("二、部门预算单位构成"), Some(Scope::Department));
        assert_eq!(self_named("预算单位:某某中心"), None);
        assert_eq!(consolidation_in("某局(汇总)2026年度部门决算"), Some(Consolidation::Consolidated));
        assert!(is_part_number("第二部分2026年部门预算表"));
        assert!(!is_part_number("第一中学"));
        assert!(has_figure("收入12,672.73万元") && has_figure("0.00") && !has_figure("2026年度"));
        assert_eq!(year_in("某某局2026年度部门预算"), Some(2026));
        assert_eq!(year_in("二〇二五年七月"), None);
        assert_eq!(year_in("CN20256年度部门预算 2026年"), Some(2026));
    }

    #[test]
    fn a_section_number_is_never_a_department() {
        let m = metadata(&layout("目录\n第一部分部门概况\n第二部分2026年部门预算表\n"));
        assert_eq!(m.department, None);
        assert_eq!(m.scope, Some(Scope::Department));
    }

    #[test]
    fn a_place_ocr_read_a_character_off_in_the_department_is_the_place_the_document_prints() {
        let text = "2026年度\n录州市市场监管综合监测与技术保障中心\n单位预算\n\
            一、单位职责\n泉州市市场监管综合监测与技术保障中心负责泉州市的检测。\n泉州市市场监督管理局所属。\n";
        let m = super::metadata(&crate::testing::layout(text));
        assert_eq!(m.department.as_deref(), Some("泉州市市场监管综合监测与技术保障中心"));
        // Printed so throughout, the name stands.
        let text =
            "2026年度\n广州市统计局\n部门预算\n一、部门职责\n广州市统计局负责广州市统计，杭州市、杭州市不在内。\n";
        let m = super::metadata(&crate::testing::layout(text));
        assert_eq!(m.department.as_deref(), Some("广州市统计局"));
    }
}
