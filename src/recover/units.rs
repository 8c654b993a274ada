//! An OCR'd unit's name garbled beyond one character, keyed by the unit's name as the
//! document prints it elsewhere (`label-unit`). A department's units are rows of its income
//! table (and of the tables of the units' basic and project spending, which the standard
//! templates do not know): OCR garbles a long name in one and not in another
//! (`一州市钴>二II人仆一改市综计民站《)州市统计发展` for
//! `广州市统计监测中心(广州市统计发展中心)`), and its figures are keyed by no name a user could
//! join. In a table whose other rows are units, a row whose name no vocabulary knows, no
//! other table prints and that does not end as a unit's does (局, 中心 …) is the one unit
//! printed elsewhere and not in its table it has most in common with, in order, past the
//! start the document's units share (`广州市统计`): [`MIN_COMMON`] characters and a third of
//! the shorter name's at least, and more than with any other. One that ends as a unit's, of
//! [`LONG_NAME`] characters or more, is the one such unit it is with its first character or two
//! lost, or one character off (`州市市场监管综合监测与技术保障中心`). Never on a text layer, a
//! row with a code, or a total.

use super::names::{garbled, rekey};
use crate::label::{is_unit_label, label_key};
use crate::model::{OtherTable, Repair, Source, Table, TextSource};

/// Fewest characters a garbled name and the unit's name have in common past the units'
/// shared start: fewer are held by any two names.
const MIN_COMMON: usize = 4;

/// Characters a name read as a unit's needs to be taken for one a character off another:
/// shorter unit names (`某某局`) differ from each other by one.
const LONG_NAME: usize = 8;

/// Keys OCR'd rows of unit tables by the unit name printed elsewhere they are, with a repair
/// record each.
pub fn by_name(tables: &mut [Table], others: &[OtherTable], department: Option<&str>, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    // Every unit name the document prints as a row, by table (the tables kept as printed
    // last, as one).
    let mut printed: Vec<Vec<String>> = tables
        .iter()
        .map(|t| t.rows.iter().filter(|r| r.code.is_none() && is_unit_label(&r.label)).map(|r| r.key.clone()).collect())
        .collect();
    printed.push(
        others
            .iter()
            .flat_map(|t| &t.rows)
            .flat_map(|r| r.cells.iter().find(|c| c.value.is_none() && !c.text.trim().is_empty()))
            // As printed: an OCR'd page's `〈` was a `(` (data/ocr/confusions.toml).
            .map(|c| crate::knowledge::confusions::unconfuse(&c.text).unwrap_or_else(|| c.text.clone()))
            .filter(|text| is_unit_label(text))
            .map(|text| label_key(&text))
            // The department's own name, as its heading prints it (a unit's budget: the
            // unit's name).
            .chain(department.filter(|d| is_unit_label(d)).map(label_key))
            .collect(),
    );
    // The start the document's units share (`广州市统计` of 广州市统计局, 广州市统计普查中心 …):
    // a name holding it says nothing of which unit it is.
    let mut all: Vec<&String> = printed.iter().flatten().collect();
    all.sort();
    all.dedup();
    let shared = shared_start(&all);
    for t in 0..tables.len() {
        let mut units = printed[t].clone();
        if units.is_empty() {
            continue; // the table's rows are no units
        }
        for r in 0..tables[t].rows.len() {
            let row = &tables[t].rows[r];
            let elsewhere =
                |key: &str| printed.iter().enumerate().any(|(o, names)| o != t && names.iter().any(|n| n == key));
            if !garbled(row) || source.page_source(row.page) == TextSource::TextLayer || elsewhere(&row.key) {
                continue;
            }
            // The names printed elsewhere and not in this table.
            let candidates: Vec<&String> = printed
                .iter()
                .enumerate()
                .filter(|(o, _)| *o != t)
                .flat_map(|(_, names)| names)
                .filter(|n| !units.contains(n))
                .collect();
            let found = if is_unit_label(&row.label) {
                near_unit(&row.key, &candidates)
            } else {
                most_in_common(&row.key, &shared, &candidates)
            };
            let Some(name) = found else { continue };
            units.push(name.clone());
            printed[t].push(name.clone());
            repairs.push(rekey(&mut tables[t], r, name, "label-unit"));
        }
    }
    repairs
}

/// Keys OCR'd rows naming a unit by the place the department's name begins with where OCR
/// read that place one character off inside the unit's name (`广州市统计监测中心(广败市统计发展
/// 中心)` in 广州市统计局's document): a run of the name as long as the place, beginning and
/// ending as it does (`广…市`), one character off it, is that place (`label-place`). A unit's
/// name holds its city's or county's name; a unit named after another place beginning and
/// ending alike (`广元市…` among 广州市's units) would be taken for it, which no corpus
/// document prints. Never on a text layer or a row with a code.
pub fn by_place(tables: &mut [Table], department: Option<&str>, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    let places = department.map(crate::label::places).unwrap_or_default();
    for table in tables.iter_mut() {
        for r in 0..table.rows.len() {
            let row = &table.rows[r];
            if row.code.is_some() || source.page_source(row.page) == TextSource::TextLayer || !is_unit_label(&row.key) {
                continue;
            }
            let mended = places.iter().fold(row.key.clone(), |key, place| with_place(&key, place));
            if mended == row.key {
                continue;
            }
            repairs.push(rekey(table, r, mended, "label-place"));
        }
    }
    repairs
}

/// `key` with each run one character off `place` that begins and ends as it does read as
/// `place`.
fn with_place(key: &str, place: &str) -> String {
    let (chars, target): (Vec<char>, Vec<char>) = (key.chars().collect(), place.chars().collect());
    let n = target.len();
    let mut out = chars.clone();
    for i in 0..chars.len().saturating_sub(n - 1) {
        let run = &chars[i..i + n];
        let off = run.iter().zip(&target).filter(|(a, b)| a != b).count();
        if off == 1 && run[0] == target[0] && run[n - 1] == target[n - 1] {
            out[i..i + n].copy_from_slice(&target);
        }
    }
    out.into_iter().collect()
}

/// The one unit a name read as a unit's is with its first character or two lost, or one
/// character off, where it is long enough to tell ([`LONG_NAME`]).
fn near_unit(key: &str, candidates: &[&String]) -> Option<String> {
    let near = |n: &&&String| {
        let lost = n.chars().count().saturating_sub(key.chars().count());
        key.chars().count() >= LONG_NAME
            && ((n.ends_with(key) && (1..=2).contains(&lost)) || crate::label::within_one_edit(n, key))
    };
    let mut found: Vec<&String> = candidates.iter().filter(near).copied().collect();
    found.sort();
    found.dedup();
    match found[..] {
        [name] => Some(name.clone()),
        _ => None,
    }
}

/// The unit a garbled name has most characters in common with, in order, past the units'
/// shared start: [`MIN_COMMON`] and a third of the shorter name at least, more than any other.
fn most_in_common(key: &str, shared: &str, candidates: &[&String]) -> Option<String> {
    let garbled_rest = key.strip_prefix(shared).unwrap_or(key);
    let mut best: Vec<(usize, &String)> = candidates
        .iter()
        .map(|n| (*n, n.strip_prefix(shared).unwrap_or(n)))
        .map(|(n, rest)| {
            (crate::label::common_chars(rest, garbled_rest), rest.chars().count().min(garbled_rest.chars().count()), n)
        })
        .filter(|&(c, shortest, _)| c >= MIN_COMMON && c * 3 >= shortest)
        .map(|(c, _, n)| (c, n))
        .collect();
    best.sort();
    best.dedup();
    let &(most, name) = best.last()?;
    // Two units alike: which one, nothing tells.
    (best.iter().filter(|(c, _)| *c == most).count() == 1).then(|| name.clone())
}

/// The start every unit name shares (`广州市统计` of 广州市统计局, 广州市统计普查中心), or none
/// where there is one.
fn shared_start(units: &[&String]) -> String {
    let Some((first, rest)) = units.split_first() else { return String::new() };
    if rest.is_empty() {
        return String::new();
    }
    let n = rest.iter().map(|u| first.chars().zip(u.chars()).take_while(|(a, b)| a == b).count()).min().unwrap_or(0);
    first.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;

    fn cell(v: &str) -> Cell {
        crate::testing::cell("合计", v)
    }

    fn units(id: &str, names: &[&str]) -> Table {
        crate::testing::table(id, names, |_| vec![cell("1361.71")])
    }

    const UNIT: &str = "广州市统计监测中心(广州市统计发展中心)";
    const INCOME: [&str; 3] = ["广州市统计局", "广州市统计普查中心", "一州市钴>二II人仆一改市综计民站《)州市统计发展"];

    #[test]
    fn a_garbled_unit_name_is_the_unit_the_document_prints_elsewhere() {
        let ocr = crate::testing::source(TextSource::Ocr);
        let elsewhere = ["广州市统计局", "广州市统计普查中心", UNIT];
        let mut tables = vec![units("income", &INCOME), units("basic_by_unit", &elsewhere)];
        let repairs = by_name(&mut tables, &[], None, &ocr);
        assert_eq!(tables[0].rows[2].key, UNIT);
        assert_eq!((repairs.len(), repairs[0].rule.as_str()), (1, "label-unit"));
        let mut tables =
            vec![units("income", &["广州市统计局", "站《广州市统计发展"]), units("basic_by_unit", &elsewhere)];
        assert_eq!(by_name(&mut tables, &[], None, &ocr).len(), 1, "150 dpi: 站《广州市统计发展");
        assert_eq!(tables[0].rows[1].key, UNIT);
        // Nothing in common past the units' shared start: another row.
        let mut tables =
            vec![units("income", &["广州市统计局", "广州市统计事务补助"]), units("basic_by_unit", &elsewhere)];
        assert!(by_name(&mut tables, &[], None, &ocr).is_empty());
        // Two units alike: neither.
        let twins = ["广州市统计局", "广州市统计发展监测中心", "广州市统计发展调查中心"];
        let mut tables = vec![units("income", &["广州市统计局", "站《广州市统计发展"]), units("basic_by_unit", &twins)];
        assert!(by_name(&mut tables, &[], None, &ocr).is_empty());
        // A text layer prints its names.
        let mut tables = vec![units("income", &INCOME), units("basic_by_unit", &elsewhere)];
        assert!(by_name(&mut tables, &[], None, &crate::testing::source(TextSource::TextLayer)).is_empty());
    }

    #[test]
    fn a_place_read_one_character_off_inside_a_units_name_is_the_departments_place() {
        assert_eq!(crate::label::places("广州市统计局"), ["广州市"]);
        assert_eq!(crate::label::places("上海市普陀区人民政府办公室"), ["上海市", "普陀区"]);
        assert_eq!(crate::label::places("青龙满族自治县行政审批局"), ["青龙满族自治县"]);
        assert!(crate::label::places("统计局").is_empty());
        let ocr = crate::testing::source(TextSource::Ocr);
        let mut tables = vec![units("income", &["广州市统计局", "广州市统计监测中心(广败市统计发展中心)"])];
        let repairs = by_place(&mut tables, Some("广州市统计局"), &ocr);
        assert_eq!(tables[0].rows[1].key, UNIT);
        assert_eq!((repairs.len(), repairs[0].rule.as_str()), (1, "label-place"));
        // Two characters off, or not beginning and ending as the place: left as read.
        assert_eq!(with_place("广败县统计中心", "广州市"), "广败县统计中心");
        assert_eq!(with_place("白州市统计中心", "广州市"), "白州市统计中心");
        // A text layer prints its names.
        let mut tables = vec![units("income", &["广州市统计监测中心(广败市统计发展中心)"])];
        assert!(by_place(&mut tables, Some("广州市统计局"), &crate::testing::source(TextSource::TextLayer)).is_empty());
    }

    #[test]
    fn a_unit_name_short_of_its_first_characters_is_the_unit_printed_elsewhere() {
        let ocr = crate::testing::source(TextSource::Ocr);
        let whole = "泉州市市场监管综合监测与技术保障中心";
        let mut tables =
            vec![units("income", &["州市市场监管综合监测与技术保障中心"]), units("basic_by_unit", &[whole])];
        let repairs = by_name(&mut tables, &[], None, &ocr);
        assert_eq!((tables[0].rows[0].key.as_str(), repairs[0].rule.as_str()), (whole, "label-unit"));
        // A short unit name a character off another is another unit.
        let mut tables = vec![units("income", &["市统计局"]), units("basic_by_unit", &["广州市统计局"])];
        assert!(by_name(&mut tables, &[], None, &ocr).is_empty());
        // Printed elsewhere itself: a unit of its own.
        let part = "州市市场监管综合监测与技术保障中心";
        let mut tables = vec![units("income", &[part]), units("basic_by_unit", &[whole, part])];
        assert!(by_name(&mut tables, &[], None, &ocr).is_empty());
        // A unit's own budget: its name printed nowhere else but as the department's.
        let mut tables = vec![units("income", &["市市场监管综合监测与技术保障中心"])];
        let repairs = by_name(&mut tables, &[], Some(whole), &ocr);
        assert_eq!((tables[0].rows[0].key.as_str(), repairs[0].rule.as_str()), (whole, "label-unit"));
    }
}
