//! OCR'd classification codes that lost digits, put back by their place in the table's
//! order (`code-in-sequence`): coded tables list their rows in code order, so a code read
//! `20505` between `2080501` and `2080506` is the one code of their length and parent
//! (`20805··`) that lies between them and holds the digits read in order: `2080505`; and
//! `30U1` between `30110` and `30112` is `30111` (a letter for one or two digits). Only a
//! code shorter than both neighbours' or with a letter in it, where they share a parent;
//! never on a text layer, and never where more than one code fits. A code none of the table's
//! classification one digit off the parent of the row after it is that parent
//! (`code-parent`), and one a digit short the classification's with its first digit
//! (`code-class-digit`). A code cut short, or lost, is the one of the subject the row's name
//! is, where the classification's subjects are data (`code-by-name`). The identities over
//! the code hierarchy, and the cross-table ones, then check the row's figures under its code.

use super::names::rekey;
use crate::knowledge::subjects::ECONOMIC;
use crate::knowledge::templates::{Classification, variants};
use crate::label::{label_key, within_one_edit};
use crate::model::{Kind, Location, Repair, Source, Table, TextSource};

/// Digits of the part of a code below its parent (项 under 款, 款 under 类).
const CHILD_DIGITS: usize = 2;

/// Gives OCR'd rows whose code lost digits the code their neighbours place them at.
pub fn in_sequence(tables: &mut [Table], source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    for table in tables.iter_mut() {
        let coded: Vec<usize> = (0..table.rows.len()).filter(|&r| table.rows[r].code.is_some()).collect();
        for w in coded.windows(3) {
            let (before, at, after) = (w[0], w[1], w[2]);
            if source.page_source(table.rows[at].page) == TextSource::TextLayer {
                continue;
            }
            let code = |r: usize| table.rows[r].code.clone().unwrap_or_default();
            let Some(fits) = between(&code(before), &code(at), &code(after)) else { continue };
            repairs.push(recode(table, at, fits, "code-in-sequence"));
        }
    }
    repairs
}

/// Gives OCR'd rows whose code is one digit short and none of its table's classification
/// (`0201` in the 一般公共预算基本支出表, whose codes are 部门预算支出经济分类 `3…`) the one first
/// digit that makes it the classification's (`30201`, `code-class-digit`): OCR lost the
/// code's first digit. Never on a text layer, nor where the table has that code already.
pub fn class_digit(tables: &mut [Table], kind: Kind, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    for table in tables.iter_mut() {
        let Some(class) = variants(kind, &table.id).iter().find_map(|t| t.classification) else { continue };
        for r in 0..table.rows.len() {
            let row = &table.rows[r];
            let Some(code) = row.code.as_deref() else { continue };
            if source.page_source(row.page) == TextSource::TextLayer
                || !matches!(code.len(), 4 | 6)
                || class.holds(code)
                || !code.bytes().all(|b| b.is_ascii_digit())
            {
                continue;
            }
            let mut fitting = ('0'..='9').map(|d| format!("{d}{code}")).filter(|c| class.holds(c));
            let (Some(fits), None) = (fitting.next(), fitting.next()) else { continue };
            if has_code(table, &fits) {
                continue;
            }
            repairs.push(recode(table, r, fits, "code-class-digit"));
        }
    }
    repairs
}

/// Gives OCR'd rows whose code is none of its table's classification and one digit off the
/// parent of the row after it (`101` over `30101` in the 一般公共预算基本支出表, whose codes are
/// 部门预算支出经济分类 `3…`: the `3` read as a `1`) that parent (`301`, `code-parent`): coded
/// tables print a parent right above its first child. Never on a text layer, nor where the
/// table has that code already.
pub fn parent(tables: &mut [Table], kind: Kind, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    for table in tables.iter_mut() {
        let Some(class) = variants(kind, &table.id).iter().find_map(|t| t.classification) else { continue };
        let coded: Vec<usize> = (0..table.rows.len()).filter(|&r| table.rows[r].code.is_some()).collect();
        for w in coded.windows(2) {
            let (at, next) = (w[0], w[1]);
            let code = table.rows[at].code.clone().unwrap_or_default();
            let child = table.rows[next].code.clone().unwrap_or_default();
            if source.page_source(table.rows[at].page) == TextSource::TextLayer
                || !matches!(code.len(), 3 | 5)
                || !code.bytes().all(|b| b.is_ascii_digit())
                || class.holds(&code)
                || child.len() != code.len() + CHILD_DIGITS
                || !class.holds(&child)
            {
                continue;
            }
            let fits = child[..code.len()].to_string();
            let off = code.bytes().zip(fits.bytes()).filter(|(a, b)| a != b).count();
            if off != 1 || has_code(table, &fits) {
                continue;
            }
            repairs.push(recode(table, at, fits, "code-parent"));
        }
    }
    repairs
}

/// Gives OCR'd rows of a table keyed by 部门预算支出经济分类 whose code is no subject's
/// (`3020`, `213`, `0`: digits lost or misread) the code of the subject their name is
/// (`data/codes/economic-subjects.toml`: 物业管理费 `30209`; a name of four characters or
/// more one character off, 公务接传费 for 公务接待费), where that code holds the digits read in
/// order and lies between the codes of the rows printed before and after it (`code-by-name`).
/// Never on a text layer, nor where the table has that code already. A row printed with no
/// code: see [`uncoded_by_name`] (not where the table prints no code of that length: some
/// layouts print their 类 rows by name only, 杭州's 支出总表).
pub fn by_name(tables: &mut [Table], kind: Kind, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    let known = |code: &str| ECONOMIC.iter().any(|s| s.code == code);
    for table in tables.iter_mut() {
        let class = variants(kind, &table.id).iter().find_map(|t| t.classification);
        if class == Some(Classification::Function) {
            repairs.extend(uncoded_class_by_name(table, source));
        }
        if class != Some(Classification::Economic) {
            continue;
        }
        let coded: Vec<usize> = (0..table.rows.len()).filter(|&r| table.rows[r].code.is_some()).collect();
        for (i, &at) in coded.iter().enumerate() {
            let row = &table.rows[at];
            let read = row.code.clone().unwrap_or_default();
            if source.page_source(row.page) == TextSource::TextLayer || known(&read) {
                continue;
            }
            let code_of = |r: &usize| table.rows[*r].code.clone().filter(|c| known(c));
            let before = coded[..i].iter().rev().find_map(code_of);
            let after = coded[i + 1..].iter().find_map(code_of);
            let name = label_key(&row.label);
            let named = |n: &String| *n == name || (n.chars().count() >= MIN_NAME_OFF && within_one_edit(n, &name));
            let digits: String = read.chars().filter(char::is_ascii_digit).collect();
            let found = subject_between(named, &digits, before.as_deref(), after.as_deref(), |_| true);
            let Some(fits) = found.filter(|f| !has_code(table, f)) else { continue };
            repairs.push(recode(table, at, fits, "code-by-name"));
        }
        repairs.extend(uncoded_by_name(table, source));
    }
    repairs
}

/// Gives OCR'd rows of an economic table printed with no code (OCR lost it, or read it as no
/// code: `[3010H]基本工资`) the code of the subject their name is — exact, one character off
/// (four or more), or with its first one or two characters lost (`和服务支出` of 商品和服务支出)
/// — where that code holds the digits a bracket before the name kept, lies between the codes
/// of the rows printed before and after it, and the table prints codes of its length on other
/// rows (a layout that prints a level by name only keeps its names).
fn uncoded_by_name(table: &mut Table, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    let known = |code: &str| ECONOMIC.iter().any(|s| s.code == code);
    for at in 0..table.rows.len() {
        let row = &table.rows[at];
        if !uncoded_read(row, source) {
            continue;
        }
        let (digits, name) = bracketed_digits(&label_key(&row.label));
        if name.chars().count() < MIN_NAME_LOST {
            continue;
        }
        let code_of = |r: &crate::model::Row| r.code.clone().filter(|c| known(c));
        let before = table.rows[..at].iter().rev().find_map(code_of);
        let after = table.rows[at + 1..].iter().find_map(code_of);
        let named = |n: &String| printed_as(n, &name);
        let level_printed =
            |code: &str| table.rows.iter().any(|o| o.code.as_ref().is_some_and(|c| c.len() == code.len()));
        let found = subject_between(named, &digits, before.as_deref(), after.as_deref(), level_printed);
        let Some(fits) = found.filter(|f| !has_code(table, f)) else { continue };
        table.rows[at].code = Some(fits.clone());
        repairs.push(rekey(table, at, fits, "code-by-name"));
    }
    repairs
}

/// Gives OCR'd rows of a table keyed by 支出功能分类 printed with no code (OCR lost it with
/// the start of the name at the table's left ruling: `公共服务支出`) the code of the function
/// class their name is (`data/codes/function-classes.toml`) — exact, one character off (four
/// or more), or with its first one or two characters lost — where that code lies after the
/// class of the coded row printed before it and is the class of the row after it or before
/// it, and the table prints codes of a class's length on other rows (`code-by-name`). Only
/// classes: the dictionary holds no 款 or 项 names.
fn uncoded_class_by_name(table: &mut Table, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    const CLASS_DIGITS: usize = 3;
    if !table.rows.iter().any(|r| r.code.as_ref().is_some_and(|c| c.len() == CLASS_DIGITS)) {
        return repairs;
    }
    for at in 0..table.rows.len() {
        let row = &table.rows[at];
        if !uncoded_read(row, source) {
            continue;
        }
        let name = label_key(&row.label);
        if name.chars().count() < MIN_NAME_LOST {
            continue;
        }
        let class_of = |r: &crate::model::Row| {
            r.code.as_ref().filter(|c| c.len() >= CLASS_DIGITS).map(|c| c[..CLASS_DIGITS].to_string())
        };
        let before = table.rows[..at].iter().rev().find_map(class_of);
        let after = table.rows[at + 1..].iter().find_map(class_of);
        let mut fitting: Vec<&str> = crate::knowledge::identities::catalogue::classes()
            .filter(|(n, code)| {
                printed_as(n, &name)
                    && before.as_deref().is_none_or(|b| b < *code)
                    && after.as_deref().is_none_or(|a| *code <= a)
            })
            .map(|(_, code)| code)
            .collect();
        fitting.dedup();
        let [fits] = fitting[..] else { continue };
        if has_code(table, fits) {
            continue;
        }
        let fits = fits.to_string();
        table.rows[at].code = Some(fits.clone());
        repairs.push(rekey(table, at, fits, "code-by-name"));
    }
    repairs
}

/// The code of the one economic subject `named` takes, that holds `digits` in order, lies
/// between the codes `before` and `after`, and is `also`.
fn subject_between(
    named: impl Fn(&String) -> bool,
    digits: &str,
    before: Option<&str>,
    after: Option<&str>,
    also: impl Fn(&str) -> bool,
) -> Option<String> {
    let mut fitting = ECONOMIC.iter().filter(|s| {
        s.names.iter().any(&named)
            && holds(&s.code, digits)
            && also(&s.code)
            && before.is_none_or(|b| b < s.code.as_str())
            && after.is_none_or(|a| s.code.as_str() < a)
    });
    let (Some(fits), None) = (fitting.next(), fitting.next()) else { return None };
    Some(fits.code.clone())
}

/// The digits of a bracket before a name (`[3010H]基本工资`: a code OCR misread) and the name.
fn bracketed_digits(key: &str) -> (String, String) {
    if let Some(rest) = key.strip_prefix('[')
        && let Some((inside, name)) = rest.split_once(']')
        && inside.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return (inside.chars().filter(char::is_ascii_digit).collect(), name.to_string());
    }
    (String::new(), key.to_string())
}

/// Shortest printed name taken for a subject's name with its start lost, or at all for a row
/// printed with no code.
const MIN_NAME_LOST: usize = 3;

/// Shortest subject name a printed name one character off is taken for (水费 and 电费 are one
/// character apart).
const MIN_NAME_OFF: usize = 4;

/// An OCR'd row printed with figures and no code (OCR lost it, or read it as no code).
fn uncoded_read(row: &crate::model::Row, source: &Source) -> bool {
    row.code.is_none()
        && source.page_source(row.page) != TextSource::TextLayer
        && row.cells.iter().any(|c| c.value.is_some())
}

/// Whether a subject's name `subject` is what OCR read as `printed` (a row with no code):
/// the name, one character off (four or more), or with its first one or two characters lost.
fn printed_as(subject: &str, printed: &str) -> bool {
    let (n, p) = (subject.chars().count(), printed.chars().count());
    subject == printed
        || (n >= MIN_NAME_OFF && within_one_edit(subject, printed))
        || (subject.ends_with(printed) && n - p <= 2)
}

/// Whether a row of the table has the code already (a code put back must be no row's).
fn has_code(table: &Table, code: &str) -> bool {
    table.rows.iter().any(|o| o.code.as_deref() == Some(code))
}

/// Gives row `r` of `table` the code `fits` (and the key, where it was keyed by its code as
/// read), with the repair record of `rule`.
fn recode(table: &mut Table, r: usize, fits: String, rule: &str) -> Repair {
    let row = &mut table.rows[r];
    let raw = row.code.replace(fits.clone()).unwrap_or_default();
    if row.key == raw {
        row.key = fits.clone();
    }
    Repair { location: Location::in_row(&table.id, row, None), rule: rule.to_string(), raw, repaired: fits }
}

/// The one code of `before`'s and `after`'s length and parent, between them (either bound
/// included: rows may repeat a code), that holds the digits of the shorter `read` in order,
/// or — `read` with letters in it (`30U1`) — that `read` spells, each letter one or two
/// digits the engine made a glyph of.
fn between(before: &str, read: &str, after: &str) -> Option<String> {
    let length = before.len();
    let digits = read.bytes().all(|b| b.is_ascii_digit());
    if after.len() != length || read.len() > length || (digits && read.len() == length) || length <= CHILD_DIGITS {
        return None;
    }
    let parent = &before[..length - CHILD_DIGITS];
    if !after.starts_with(parent) || !read.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (low, high): (u32, u32) =
        (before[length - CHILD_DIGITS..].parse().ok()?, after[length - CHILD_DIGITS..].parse().ok()?);
    let fits = |c: &String| if digits { holds(c, read) } else { spells(c.as_bytes(), read.as_bytes()) };
    let mut fitting = (low..=high).map(|child| format!("{parent}{child:0width$}", width = CHILD_DIGITS)).filter(fits);
    match (fitting.next(), fitting.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// True where `read` spells `code`: its digits as they stand, each letter one or two digits.
fn spells(code: &[u8], read: &[u8]) -> bool {
    match read.split_first() {
        None => code.is_empty(),
        Some((d, rest)) if d.is_ascii_digit() => code.first() == Some(d) && spells(&code[1..], rest),
        Some((_, rest)) => (1..=2.min(code.len())).any(|n| spells(&code[n..], rest)),
    }
}

/// True where the digits of `part` occur in `whole` in order.
fn holds(whole: &str, part: &str) -> bool {
    let mut digits = whole.chars();
    part.chars().all(|d| digits.any(|w| w == d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_that_lost_digits_is_the_one_its_neighbours_place() {
        assert_eq!(between("2080501", "20505", "2080506").as_deref(), Some("2080505"));
        assert_eq!(between("2080501", "20501", "2080501").as_deref(), Some("2080501"), "rows repeat a code");
        // A letter for digits: `30U1` between 30110 and 30112 spells 30111 alone.
        assert_eq!(between("30110", "30U1", "30112").as_deref(), Some("30111"));
        assert_eq!(between("30110", "301U", "30119"), None, "more than one code fits");
        assert_eq!(between("30110", "U01", "30112"), None, "a code's first digit is read");
    }

    #[test]
    fn a_code_that_lost_its_first_digit_gets_its_classifications() {
        // The 一般公共预算基本支出表 is keyed by 部门预算支出经济分类 codes (3…).
        let coded = |codes: &[&str]| {
            let mut table = crate::testing::table("gpb_basic_expense", codes, |_| Vec::new());
            table.rows.iter_mut().for_each(|r| r.code = Some(r.key.clone()));
            vec![table]
        };
        let ocr = crate::testing::source(TextSource::Ocr);
        let mut tables = coded(&["30199", "0201", "30202"]);
        let repairs = class_digit(&mut tables, Kind::Budget, &ocr);
        assert_eq!((tables[0].rows[1].key.as_str(), tables[0].rows[1].code.as_deref()), ("30201", Some("30201")));
        assert_eq!((repairs[0].raw.as_str(), repairs[0].rule.as_str()), ("0201", "code-class-digit"));
        // A code of the classification, one the table has already, and a text layer: left.
        for (codes, source) in [
            (&["30199", "3020", "30202"][..], TextSource::Ocr),
            (&["30201", "0201"], TextSource::Ocr),
            (&["30199", "0201"], TextSource::TextLayer),
        ] {
            let mut tables = coded(codes);
            assert!(class_digit(&mut tables, Kind::Budget, &crate::testing::source(source)).is_empty(), "{codes:?}");
        }
    }

    #[test]
    fn a_code_one_digit_off_the_parent_of_the_row_after_it_is_that_parent() {
        let coded = |codes: &[&str]| {
            let mut table = crate::testing::table("gpb_basic_expense", codes, |_| Vec::new());
            table.rows.iter_mut().for_each(|r| r.code = Some(r.key.clone()));
            vec![table]
        };
        let ocr = crate::testing::source(TextSource::Ocr);
        let mut tables = coded(&["101", "30101", "30102"]);
        let repairs = parent(&mut tables, Kind::Budget, &ocr);
        assert_eq!(tables[0].rows[0].code.as_deref(), Some("301"));
        assert_eq!((repairs[0].raw.as_str(), repairs[0].rule.as_str()), ("101", "code-parent"));
        // Two digits off, the classification's own code, a parent printed already, a text
        // layer: left.
        for (codes, source) in [
            (&["213", "30302"][..], TextSource::Ocr),
            (&["302", "30101"], TextSource::Ocr),
            (&["301", "101", "30101"], TextSource::Ocr),
            (&["101", "30101"], TextSource::TextLayer),
        ] {
            let mut tables = coded(codes);
            assert!(parent(&mut tables, Kind::Budget, &crate::testing::source(source)).is_empty(), "{codes:?}");
        }
    }

    #[test]
    fn a_code_cut_short_is_the_code_of_its_subjects_name() {
        let rows = |printed: &[(&str, &str)]| {
            let codes: Vec<&str> = printed.iter().map(|(c, _)| *c).collect();
            let mut table = crate::testing::table("gpb_basic_expense", &codes, |_| Vec::new());
            for (row, (code, name)) in table.rows.iter_mut().zip(printed) {
                (row.code, row.label) = (Some(code.to_string()), name.to_string());
            }
            vec![table]
        };
        let ocr = crate::testing::source(TextSource::Ocr);
        // 长春 2026 at 150 dpi: digits lost, one ideograph misread.
        let mut tables = rows(&[
            ("30208", "取暖费"),
            ("3020", "物业管理费"),
            ("30211", "差旅费"),
            ("213", "维护(护)费"),
            ("0", "培训费"),
            ("3021", "公务接传费"),
            ("3", "工会经费"),
            ("30229", "福利费"),
        ]);
        let repairs = by_name(&mut tables, Kind::Budget, &ocr);
        let codes: Vec<&str> = tables[0].rows.iter().map(|r| r.code.as_deref().unwrap_or_default()).collect();
        assert_eq!(codes, ["30208", "30209", "30211", "30213", "30216", "30217", "30228", "30229"]);
        assert_eq!(repairs[0].rule, "code-by-name");
        // Out of order with its neighbours, digits the code does not hold, a text layer: left.
        for (printed, source) in [
            (&[("30211", "差旅费"), ("3020", "物业管理费")][..], TextSource::Ocr),
            (&[("30208", "取暖费"), ("3021", "物业管理费")], TextSource::Ocr),
            (&[("3020", "物业管理费")], TextSource::TextLayer),
        ] {
            let mut tables = rows(printed);
            assert!(by_name(&mut tables, Kind::Budget, &crate::testing::source(source)).is_empty(), "{printed:?}");
        }
    }

    #[test]
    fn a_row_printed_with_no_code_is_the_code_of_its_subjects_name_where_codes_of_its_level_are_printed() {
        // 广州 2026 at 150 dpi: codes OCR lost or read with a letter, a name that lost its start.
        let printed = [
            ("", "[3010H]基本工资"),
            ("30102", "津贴补贴"),
            ("301", "工资福利支出"),
            ("", "和服务支出"),
            ("30229", "福利费"),
            ("", "公务用车运行维护费"),
            ("30239", "其他交通费用"),
            ("303", "对个人和家庭的补助"),
            ("", "离休费"),
        ];
        let names: Vec<&str> = printed.iter().map(|(_, n)| *n).collect();
        let mut table =
            crate::testing::table("gpb_basic_expense", &names, |_| vec![crate::testing::cell("合计", "1.00")]);
        for (row, (code, _)) in table.rows.iter_mut().zip(&printed) {
            if !code.is_empty() {
                (row.code, row.key) = (Some(code.to_string()), code.to_string());
            }
        }
        let mut tables = vec![table];
        let repairs = by_name(&mut tables, Kind::Budget, &crate::testing::source(TextSource::Ocr));
        let keys: Vec<&str> = tables[0].rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["30101", "30102", "301", "302", "30229", "30231", "30239", "303", "30301"]);
        assert_eq!((repairs[0].raw.as_str(), repairs[0].rule.as_str()), ("[3010H]基本工资", "code-by-name"));
        // A table that prints no code of a level keeps that level's names (杭州's 类 rows).
        let mut table = crate::testing::table("gpb_basic_expense", &["工资福利支出", "30101"], |_| {
            vec![crate::testing::cell("合计", "1.00")]
        });
        table.rows[1].code = Some("30101".into());
        let mut tables = vec![table];
        assert!(by_name(&mut tables, Kind::Budget, &crate::testing::source(TextSource::Ocr)).is_empty());
    }

    #[test]
    fn a_class_row_printed_with_no_code_is_the_code_of_the_class_its_name_is() {
        // 广州 2026 at 300 dpi: the 类 row's code and its name's start cut at the left ruling.
        let printed = [
            ("", "合计"),
            ("", "公共服务支出"),
            ("20105", "统计信息事务"),
            ("2010501", "行政运行"),
            ("208", "社会保障和就业支出"),
        ];
        let coded = |codes: &[(&str, &str)]| {
            let names: Vec<&str> = codes.iter().map(|(_, n)| *n).collect();
            let mut table =
                crate::testing::table("gpb_expense", &names, |_| vec![crate::testing::cell("合计", "1.00")]);
            for (row, (code, _)) in table.rows.iter_mut().zip(codes) {
                if !code.is_empty() {
                    (row.code, row.key) = (Some(code.to_string()), code.to_string());
                }
            }
            vec![table]
        };
        let mut tables = coded(&printed);
        let repairs = by_name(&mut tables, Kind::Budget, &crate::testing::source(TextSource::Ocr));
        let keys: Vec<&str> = tables[0].rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["合计", "201", "20105", "2010501", "208"]);
        assert_eq!((repairs[0].raw.as_str(), repairs[0].rule.as_str()), ("公共服务支出", "code-by-name"));
        // A class that does not lie where the row is printed (after 208's rows) is not taken.
        let mut tables =
            coded(&[("208", "社会保障和就业支出"), ("", "公共服务支出"), ("20805", "行政事业单位养老支出")]);
        assert!(by_name(&mut tables, Kind::Budget, &crate::testing::source(TextSource::Ocr)).is_empty());
    }

    #[test]
    fn a_code_of_its_neighbours_length_or_one_of_several_is_left() {
        assert_eq!(between("2080501", "2080503", "2080506"), None, "a code of its own");
        assert_eq!(between("2080501", "20805", "2080599"), None, "every 20805·· holds it");
        assert_eq!(between("2080501", "20505", "2080806"), None, "no common parent");
        assert_eq!(between("2080501", "211", "2080506"), None, "digits no code between holds");
    }
}
