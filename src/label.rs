//! Label normalisation shared by every stage: the contract's `label_key`, CJK de-wrapping,
//! and the similarity used to match garbled OCR words against template vocabulary.
//!
//! Everything here is pure string work on already-extracted text; nothing reads input.

use std::sync::LazyLock;

use crate::pattern::Regex;
use unicode_normalization::UnicodeNormalization;

/// Unicode NFKC, plus the CJK Radicals Supplement look-alikes NFKC leaves alone (broken
/// ToUnicode maps point at them).
pub fn nfkc(s: &str) -> String {
    // Most text is ASCII, CJK ideographs and full-width forms: mapped here char by char
    // (what NFKC does to them), since every label of every page passes through; text that
    // NFKC leaves as it is (most of it) is copied whole.
    if s.chars().all(|c| simple_nfkc(c) == Some(c)) {
        return s.to_owned();
    }
    if let Some(simple) = s.chars().map(simple_nfkc).collect::<Option<String>>() {
        return simple;
    }
    s.nfkc()
        .map(|c| match c {
            '⺠' => '民',
            '⻓' => '长',
            '⻔' => '门',
            '⻋' => '车',
            '⻅' => '见',
            '⻆' => '角',
            '⻛' => '风',
            _ => c,
        })
        .collect()
}

/// NFKC of a character that neither composes nor decomposes with its neighbours and maps to
/// one character; `None` for the others (they take the full algorithm).
fn simple_nfkc(c: char) -> Option<char> {
    match c {
        '\0'..='\u{7f}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{3001}'..='\u{3002}'
        | '\u{3008}'..='\u{3011}'
        | '\u{2018}'..='\u{2019}'
        | '\u{201c}'..='\u{201d}'
        | '\u{2014}'
        | '\u{2264}'..='\u{2267}'
        | '\u{3014}'..='\u{3015}'
        | '\u{b7}'
        | '\u{d7}' => Some(c),
        // Full-width ASCII (`（`, `：`, `１`) is ASCII under NFKC.
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// Whether the NFKC of `s` may hold an ASCII digit (a cheap test before the full work).
pub fn may_hold_digit(s: &str) -> bool {
    may_contain(s, |c| c.is_ascii_digit())
}

/// Whether the NFKC of `s` may hold a character `wanted` accepts: false only when every
/// character is one [`simple_nfkc`] knows and none becomes such a character.
pub fn may_contain(s: &str, wanted: impl Fn(char) -> bool) -> bool {
    s.chars().any(|c| simple_nfkc(c).is_none_or(&wanted))
}

/// Whether every character of `s` whose NFKC [`simple_nfkc`] knows becomes white space or
/// a character `keep` accepts (the others cannot be judged cheaply, so they pass).
pub fn simple_chars_all(s: &str, keep: impl Fn(char) -> bool) -> bool {
    s.chars().all(|c| simple_nfkc(c).is_none_or(|m| m.is_whitespace() || keep(m)))
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」')
}

/// The numerals of a CJK ordinal (`十二、`, `(三)`).
const CJK_NUMERALS: &str = "一二三四五六七八九十百";

static CJK_ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(&format!(r"^(?:[{CJK_NUMERALS}]+、|\([{CJK_NUMERALS}]+\)|\([0-9]{{1,2}}\))"))
        .expect("ordinal pattern")
});

/// Drops one leading ordinal: `一、`, `(三)`, `3、`, or `3.` not followed by a digit.
fn strip_ordinal(s: &str) -> &str {
    // Every label of every line comes through here: the pattern is tried only where an
    // ordinal can begin.
    let may_begin = s.starts_with(|c: char| c == '(' || CJK_NUMERALS.contains(c));
    if may_begin && let Some(m) = CJK_ORDINAL.find(s) {
        return &s[m.end()..];
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &s[digits..];
        if let Some(r) = rest.strip_prefix('、') {
            return r;
        }
        if let Some(r) = rest.strip_prefix('.')
            && !r.is_empty()
            && !r.starts_with(|c: char| c.is_ascii_digit())
        {
            return r;
        }
    }
    s
}

/// True when the label starts with an ordinal (`一、`, `(三)`, `3、`, `3.`): the start of an
/// item, never the wrapped end of another.
pub fn has_ordinal(s: &str) -> bool {
    let t = nfkc(s.trim());
    strip_ordinal(&t).len() < t.len()
}

/// The contract's `label_key`: NFKC; drop white space and quotation marks; drop one
/// leading ordinal (`一、`, `(三)`, `十二、`, `3、`, `3.`); drop a leading `其中:`.
pub fn label_key(s: &str) -> String {
    let mut compact = nfkc(s);
    compact.retain(|c| !c.is_whitespace() && !is_quote(c));
    let rest = strip_ordinal(&compact);
    // `其中:(一)因公出国(境)费`: the ordinal after 其中 goes too.
    match rest.strip_prefix("其中:") {
        Some(after) => strip_ordinal(after).to_string(),
        None => rest.to_string(),
    }
}

/// True for a CJK ideograph or a parenthesis that belongs to a CJK label.
fn joins_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '(' | ')' | '（' | '）' | '、')
}

/// Removes white space between two CJK characters (wrapped cell text: `一般公共服务 支出`),
/// keeping spaces next to digits and Latin letters.
pub fn dewrap(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            let join = matches!((before, after), (Some(b), Some(a)) if joins_cjk(b) && joins_cjk(a));
            if !join {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// An entity's name (单位名称) as printed, made comparable: NFKC, no white space, and
/// without what follows a name but is not part of it: `（本级）` / `（汇总）` (the figures'
/// consolidation) and `单位` (run on from `单位：万元` beside it, or from `…中心单位预算`).
pub fn entity_name(s: &str) -> String {
    let mut name: String = nfkc(s).chars().filter(|c| !c.is_whitespace()).collect();
    while let Some(rest) = ["(本级)", "(汇总)", "单位"].iter().find_map(|suffix| name.strip_suffix(suffix)) {
        name.truncate(rest.len());
    }
    name
}

/// The first `n` characters of `s` (all of it when shorter). Patterns read a name as an
/// unbounded run and cut it here: `[\p{Han}()]{2,40}` costs the regex engine forty copies of
/// the ideograph class to compile, several milliseconds of every worker's start.
pub fn first_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(at, _)| &s[..at])
}

/// True for a CJK ideograph.
pub fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Number of CJK ideographs in `s`.
pub fn cjk_count(s: &str) -> usize {
    s.chars().filter(|&c| is_cjk(c)).count()
}

/// A CJK unified ideograph (the basic block printed text uses).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}')
}

/// The longest start of `s` that is at most `max` bytes and ends between two characters, so
/// a window measured in bytes never cuts a CJK character in half.
pub fn prefix_within(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Length of the longest common subsequence of two strings, in characters.
fn lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    for &x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Characters two strings have in common, in order (their longest common subsequence).
pub fn common_chars(a: &str, b: &str) -> usize {
    lcs(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>())
}

/// Similarity of two labels in [0, 1]: the longest common subsequence over the longer
/// length. `尼分类科目` vs `功能分类科目` → 4/6; `项目又面` vs `项目支出` → 2/4.
pub fn similarity(a: &str, b: &str) -> f32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 0.0;
    }
    // A ratio of small integers, used only to rank label matches; never a figure.
    lcs(&a, &b) as f32 / longer as f32
}

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(x != y);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether `a` and `b` are at most one edit apart ([`edit_distance`] ≤ 1), in one pass:
/// what is left between their common start and common end is at most a character each.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let suffix = a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count();
    let suffix = suffix.min(la.min(lb) - prefix);
    la - prefix - suffix <= 1 && lb - prefix - suffix <= 1
}

/// The places a department's name begins with (`上海市普陀区…` → 上海市, 普陀区), three
/// characters each at least.
pub fn places(department: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut place = String::new();
    for c in department.chars().take(16) {
        place.push(c);
        if matches!(c, '省' | '市' | '县' | '区' | '旗') {
            if place.chars().count() >= 3 {
                out.push(std::mem::take(&mut place));
            } else {
                break;
            }
        }
    }
    out
}

/// A printed label that is a unit's name, a trailing qualifier in brackets aside (`某局（本级）`,
/// `杭州市气象服务中心(杭州市预警信息发布中心)`).
pub fn is_unit_label(label: &str) -> bool {
    let name = nfkc(label);
    let name = name.trim_end();
    is_unit_name(name.strip_suffix(')').and_then(|n| n.rsplit_once('(')).map_or(name, |(n, _)| n))
}

/// A name that ends like a department or unit (局, 委员会, 中心 …), not a subject row
/// (`205 教育支出`, `20502 普通教育`).
pub fn is_unit_name(name: &str) -> bool {
    const ENDINGS: [&str; 24] = [
        "局",
        "委",
        "委员会",
        "办",
        "办公室",
        "院",
        "所",
        "站",
        "队",
        "处",
        "室",
        "部",
        "厅",
        "会",
        "馆",
        "校",
        "中心",
        "公司",
        "政府",
        "署",
        "台",
        "园",
        "场",
        "社",
    ];
    ENDINGS.iter().any(|e| name.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart_agrees_with_the_edit_distance() {
        let words = ["", "a", "ab", "ba", "abc", "acb", "收支总表", "收入总表", "收支总表1", "部门收支总表", "收支总"];
        for a in words {
            for b in words {
                assert_eq!(within_one_edit(a, b), edit_distance(a, b) <= 1, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_quick_nfkc_agrees_with_the_full_algorithm() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            if let Some(quick) = simple_nfkc(c) {
                let full: String = c.to_string().nfkc().collect();
                assert_eq!(quick.to_string(), full, "U+{:04X}", u32::from(c));
            }
        }
    }

    #[test]
    fn label_key_follows_the_contract() {
        assert_eq!(label_key("一、一般公共预算拨款收入"), "一般公共预算拨款收入");
        assert_eq!(label_key("“三公”经费"), "三公经费");
        assert_eq!(label_key("\"三公\"经费"), "三公经费");
        assert_eq!(label_key("(三)机关运行经费"), "机关运行经费");
        assert_eq!(label_key("（三）机关运行经费"), "机关运行经费");
        assert_eq!(label_key("十二、城乡社区支出"), "城乡社区支出");
        assert_eq!(label_key("3、差旅费"), "差旅费");
        assert_eq!(label_key("3.差旅费"), "差旅费");
        assert_eq!(label_key("其中:公务用车购置费"), "公务用车购置费");
        assert_eq!(label_key("其中：公务用车购置费"), "公务用车购置费");
        assert_eq!(label_key("其中：（一）因公出国（境）支出"), "因公出国(境)支出");
        assert_eq!(label_key("(1)公务用车购置费"), "公务用车购置费");
        assert_eq!(label_key("财政拨款 收入"), "财政拨款收入");
        assert_eq!(label_key("2010306"), "2010306");
    }

    #[test]
    fn dewrap_joins_cjk_only() {
        assert_eq!(dewrap("一般公共服务 支出"), "一般公共服务支出");
        assert_eq!(dewrap("政府办公厅 (室)及相关 机构事务"), "政府办公厅(室)及相关机构事务");
        assert_eq!(dewrap("31 本年支出合计"), "31 本年支出合计");
        assert_eq!(dewrap("≥ 5 台"), "≥ 5 台");
    }

    #[test]
    fn an_entity_name_never_ends_in_its_scope_or_consolidation() {
        assert_eq!(entity_name("上海市自然资源确权登记事务中心单位"), "上海市自然资源确权登记事务中心");
        assert_eq!(entity_name("深圳市司法局（本级）"), "深圳市司法局");
        assert_eq!(entity_name("泉州市公安局(本级)单位"), "泉州市公安局");
        assert_eq!(entity_name("某某 研究院（某某数据管理中心）"), "某某研究院(某某数据管理中心)");
        assert_eq!(entity_name("青龙满族自治县行政审批局"), "青龙满族自治县行政审批局");
    }

    #[test]
    fn a_byte_window_never_cuts_a_character() {
        // 24 bytes end inside 年 (bytes 22..25): the window stops before it.
        assert_eq!(prefix_within("。主要原因是2023年度项目减少", 24), "。主要原因是2023");
        assert_eq!(prefix_within("决算数小于预算数", 24), "决算数小于预算数");
        assert_eq!(prefix_within("决算数小于预算数", 4), "决");
        assert_eq!(prefix_within("abc", 24), "abc");
        assert_eq!(prefix_within("", 24), "");
    }

    #[test]
    fn similarity_ranks_garbled_headers() {
        assert!(similarity("尼分类科目", "功能分类科目") > 0.6);
        assert!(similarity("项目又面", "项目支出") >= 0.5);
        assert!(similarity("本平义山", "基本支出") < 0.5);
        assert_eq!(edit_distance("政府基金预算", "政府性基金预算"), 1);
    }
}
