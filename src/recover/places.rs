//! OCR'd figures shown with the decimal places their table prints (`decimal-places`): a
//! table of two places read `0`, `0.0`, `6816.0` or `0.000` is given `0.00`, `6816.00`,
//! `0.00`. The number is unchanged; only how many places it shows, which OCR loses with a
//! dropped or doubled zero. Only where the table prints one number of places (most of its
//! figures other than zero) and the figure has the same value at it; never on a text layer,
//! whose figures stay as printed, and never on an inferred figure. It runs after the
//! identities have mended misreads: `736.8` for `736.81` is a lost digit, not `736.80`.
//! A figure one place short whose text ends in a bracket or bar (`7,552.8]`) lost its last
//! `1` to that glyph (`one-as-bracket`): 7,552.81, not 7,552.80 (the validation checks it).

use std::collections::BTreeMap;

use crate::model::{
    CellStatus, Finding, FindingKind, Location, Place, Repair, Row, Severity, Source, Table, TextSource,
};

/// Figures other than zero a table needs for its places to be known.
const MIN_FIGURES: usize = 5;

/// Share of those that must show the same number of places.
const MIN_SHARE: f64 = 0.8;

/// Gives OCR'd figures their table's places, with a repair record each.
pub fn align(tables: &mut [Table], source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    each_ocr_row(tables, source, |table_id, places, row| {
        let (mut shown_at, mut ones) = (Vec::new(), Vec::new());
        for cell in &mut row.cells {
            let Some(read) = cell.value else { continue };
            // An inferred figure is the identity's, not a reading.
            if cell.status == CellStatus::Inferred || read.scale() == places || read.round_dp(places) != read {
                continue;
            }
            if let Some(one) = last_one_as_bracket(&cell.raw, read, places) {
                ones.push((cell.column.clone(), cell.raw.clone(), one));
                cell.value = Some(one);
                cell.status = CellStatus::Repaired;
                continue;
            }
            let mut shown = read;
            shown.rescale(places);
            cell.value = Some(shown);
            if cell.status == CellStatus::Read {
                cell.status = CellStatus::Repaired;
            }
            shown_at.push((cell.column.clone(), read, shown));
        }
        repairs.extend(ones.into_iter().map(|(column, raw, one)| Repair {
            location: Location::in_row(table_id, row, Some(&column)),
            rule: "one-as-bracket".to_string(),
            raw,
            repaired: one.to_string(),
        }));
        repairs.extend(shown_at.into_iter().map(|(column, read, shown)| Repair {
            location: Location::in_row(table_id, row, Some(&column)),
            rule: "decimal-places".to_string(),
            raw: read.to_string(),
            repaired: shown.to_string(),
        }));
    });
    repairs
}

/// Calls `visit` with each table's id and places and each of its rows read by OCR, in the
/// tables whose places are known (a text layer's figures are as printed).
fn each_ocr_row(tables: &mut [Table], source: &Source, mut visit: impl FnMut(&str, u32, &mut Row)) {
    if source.text_source == TextSource::TextLayer {
        return; // no page read by OCR
    }
    let places = all_places(tables);
    for (table, places) in tables.iter_mut().zip(places) {
        let Some(places) = places else { continue };
        for row in &mut table.rows {
            if source.page_source(row.page) != TextSource::TextLayer {
                visit(&table.id, places, row);
            }
        }
    }
}

/// Glyphs a last `1` of a figure is read as at a cell's right edge, beside its ruling.
const ONE_AS: [char; 6] = [']', '|', '丨', 'l', 'I', '!'];

/// The figure `read` with the last digit its raw text shows as a bracket (`7,552.8]` for
/// 7,552.81): where it is one place short of the table's `places` and the text ends in one
/// of [`ONE_AS`] right after its last digit. (A ruling glued to a whole figure, `509.01|`,
/// has its places; a figure one place short otherwise is a dropped zero or a lost digit.)
fn last_one_as_bracket(raw: &str, read: rust_decimal::Decimal, places: u32) -> Option<rust_decimal::Decimal> {
    let mut chars = raw.trim().chars().rev();
    let (last, before) = (chars.next()?, chars.next()?);
    if read.scale() == 0 || read.scale() + 1 != places || !ONE_AS.contains(&last) || !before.is_ascii_digit() {
        return None;
    }
    let step = rust_decimal::Decimal::new(1, places);
    Some(if read.is_sign_negative() { read - step } else { read + step })
}

/// Whether a figure's text ends in one of [`ONE_AS`] right after a digit.
fn ends_in_one_as(raw: &str) -> bool {
    let mut chars = raw.trim().chars().rev();
    matches!((chars.next(), chars.next()), (Some(last), Some(before)) if ONE_AS.contains(&last) && before.is_ascii_digit())
}

/// Whether a figure's text ends in a glyph that may be its last digit misread: one of
/// [`ONE_AS`], or an opening bracket (`38.00000(` for 38.000000; no figure is printed with one
/// after it).
fn ends_in_glyph_for_digit(raw: &str) -> bool {
    let mut chars = raw.trim().chars().rev();
    ends_in_one_as(raw)
        || matches!((chars.next(), chars.next()), (Some('(' | '（' | '[' | '{'), Some(before)) if before.is_ascii_digit())
}

/// Takes as unread each OCR'd figure that shows more places than its table prints, digits
/// other than zero among them (`78.4131` in a table of two: the two lines of `1378.4 / 1`,
/// wrapped in a narrow cell, run together out of order): no table prints it so, and a
/// number that is no figure of the table must not stand for one. Left for the second
/// engine and the identities, with an `unreadable_cell` error on it.
///
/// And the converse: a cell read as no number that is a figure of the table's places and one
/// letter a ruling makes (`50.00l`, `9.10I`: a `1` there would give a place no figure of the
/// table shows) is that figure (`ruling-as-letter`), a repair record each.
pub fn beyond(tables: &mut [Table], source: &Source, findings: &mut Vec<Finding>) -> Vec<Repair> {
    let mut repairs = Vec::new();
    each_ocr_row(tables, source, |table_id, places, row| {
        for k in 0..row.cells.len() {
            let cell = &mut row.cells[k];
            if cell.status == CellStatus::Unreadable
                && let Some(figure) = before_ruling(&cell.raw, places)
            {
                cell.value = Some(figure);
                cell.status = CellStatus::Repaired;
                let (column, raw) = (cell.column.clone(), cell.raw.clone());
                repairs.push(Repair {
                    location: Location::in_row(table_id, row, Some(&column)),
                    rule: "ruling-as-letter".to_string(),
                    raw,
                    repaired: figure.to_string(),
                });
                continue;
            }
            let Some(read) = cell.value.filter(|v| v.scale() > places && v.round_dp(places) != *v) else {
                continue;
            };
            if cell.status == CellStatus::Inferred {
                continue;
            }
            cell.value = None;
            cell.status = CellStatus::Unreadable;
            let cell = &row.cells[k];
            let place = Place::cell(table_id, row, &cell.column);
            findings.push(Finding::located(
                    Severity::Error,
                    FindingKind::UnreadableCell,
                    place,
                    format!(
                        "{}: {:?} in column {} shows {} decimal places where the table prints {places}: OCR misread it (the lines of a figure wrapped in its cell run together, or a speck read as a digit), so it is no figure",
                        table_id,
                        cell.raw,
                        cell.column,
                        read.scale()
                    ),
                ));
        }
    });
    repairs
}

/// The figure of `raw` (`50.00l`) where it is one of `places` places followed by one letter
/// a ruling beside it is read as (`l`, `I`).
fn before_ruling(raw: &str, places: u32) -> Option<rust_decimal::Decimal> {
    let figure = raw.trim().strip_suffix(['l', 'I'])?.replace(',', "");
    let (int, frac) = figure.trim_start_matches('-').split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(int) && digits(frac) && frac.len() == places as usize).then(|| figure.parse().ok()).flatten()
}

/// Each table's places: the number most of its figures other than zero show, when clearly
/// one; a table where too many figures lost a digit for its
/// own to show (a column whose last digits a ruling took) has the document's, where the
/// places most of its own figures show are those.
pub(super) fn all_places(tables: &[Table]) -> Vec<Option<u32>> {
    let document = share(&counts(tables));
    tables
        .iter()
        .map(|t| {
            let own = counts(std::slice::from_ref(t));
            share(&own).or_else(|| {
                let most = own.iter().max_by_key(|(_, n)| **n).map(|(p, _)| *p);
                document.filter(|d| most == Some(*d))
            })
        })
        .collect()
}

/// The places the figures other than zero of `tables` show, and how many show each.
fn counts(tables: &[Table]) -> BTreeMap<u32, usize> {
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    // A figure whose text ends in a bracket or bar may have lost its last digit to it: its
    // places tell nothing (two `736.8]` for 736.81 in a small table would outvote the rest).
    let figures = tables
        .iter()
        .flat_map(|t| &t.rows)
        .flat_map(|r| &r.cells)
        .filter(|c| !ends_in_glyph_for_digit(&c.raw))
        .filter_map(|c| c.value)
        .filter(|v| !v.is_zero());
    for value in figures {
        *counts.entry(value.scale()).or_default() += 1;
    }
    counts
}

/// The places at least [`MIN_SHARE`] of at least [`MIN_FIGURES`] figures show.
fn share(counts: &BTreeMap<u32, usize>) -> Option<u32> {
    let total: usize = counts.values().sum();
    let (&places, &most) = counts.iter().max_by_key(|(_, n)| **n)?;
    (total >= MIN_FIGURES && most as f64 >= total as f64 * MIN_SHARE).then_some(places)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;
    use crate::testing::source;

    fn cell(v: &str) -> Cell {
        crate::testing::cell("合计", v)
    }

    fn table(values: &[&str]) -> Table {
        let keys: Vec<String> = (0..values.len()).map(|i| format!("r{i}")).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        crate::testing::table("summary", &keys, |i| vec![cell(values[i])])
    }

    #[test]
    fn zeros_and_short_figures_take_the_tables_places() {
        let read = ["1.25", "3.50", "10.00", "7.75", "2.05", "8.10", "9.99", "11.11", "0", "0.0", "6816.0", "0.000"];
        let mut tables = vec![table(&read)];
        let repairs = align(&mut tables, &source(TextSource::Ocr));
        let shown: Vec<String> = tables[0].rows.iter().map(|r| r.cells[0].value.unwrap().to_string()).collect();
        assert_eq!(shown[8..], ["0.00", "0.00", "6816.00", "0.00"]);
        assert_eq!(shown[..8], read[..8]);
        assert_eq!(repairs.len(), 4);
        assert_eq!(
            (repairs[0].raw.as_str(), repairs[0].repaired.as_str(), repairs[0].rule.as_str()),
            ("0", "0.00", "decimal-places")
        );
        assert_eq!(tables[0].rows[8].cells[0].status, CellStatus::Repaired);
    }

    #[test]
    fn a_table_where_many_figures_lost_a_digit_has_the_documents_places() {
        let short = table(&["7131.66", "259.6", "488.3", "244.1", "927.35", "3003.28", "1273.95", "12.5"]);
        let clean =
            table(&["1.25", "3.50", "10.00", "7.75", "2.05", "8.10", "9.99", "11.11", "4.40", "3.30", "2.20", "1.10"]);
        assert_eq!(all_places(std::slice::from_ref(&short)), [None], "4 of 8 alone: no places");
        assert_eq!(all_places(&[short, clean.clone()]), [Some(2), Some(2)]);
        // Not where most of its own figures show other places.
        let whole = table(&["7131", "259", "488", "244.1", "927", "3003.28", "1273", "12"]);
        assert_eq!(all_places(&[whole, clean]), [None, Some(2)]);
    }

    #[test]
    fn a_last_one_read_as_a_bracket_is_the_digit() {
        let mut tables = vec![table(&["1.25", "3.50", "10.00", "7.75", "2.05", "7552.8"])];
        tables[0].rows[5].cells[0].raw = "7,552.8]".into();
        let repairs = align(&mut tables, &source(TextSource::Ocr));
        assert_eq!(tables[0].rows[5].cells[0].value.unwrap().to_string(), "7552.81");
        assert_eq!((repairs[0].raw.as_str(), repairs[0].rule.as_str()), ("7,552.8]", "one-as-bracket"));
        // A figure one place short without the bracket is a dropped zero.
        let mut tables = vec![table(&["1.25", "3.50", "10.00", "7.75", "2.05", "7552.8"])];
        align(&mut tables, &source(TextSource::Ocr));
        assert_eq!(tables[0].rows[5].cells[0].value.unwrap().to_string(), "7552.80");
        // Figures so read do not vote on the table's places (two of them among eight would
        // have outvoted the rest).
        let mut tables = vec![table(&["7552.92", "736.8", "6816.00", "0.11", "7552.92", "736.8", "6816.0", "0.11"])];
        for r in [1, 5] {
            tables[0].rows[r].cells[0].raw = "736.8]".into();
        }
        align(&mut tables, &source(TextSource::Ocr));
        let shown: Vec<String> = tables[0].rows.iter().map(|r| r.cells[0].value.unwrap().to_string()).collect();
        assert_eq!(shown, ["7552.92", "736.81", "6816.00", "0.11", "7552.92", "736.81", "6816.00", "0.11"]);
    }

    #[test]
    fn a_figure_ending_in_an_opening_bracket_does_not_vote() {
        // Six places in the table; two figures whose last 0 was read `(` (38.00000( and
        // 1,110.46890() would make it a table of mixed places.
        let read = ["9616.338314", "7045.905745", "38.00000", "962.588688", "469.814256", "1110.46890", "10.439275"];
        let mut tables = vec![table(&read)];
        for r in [2, 5] {
            let raw = format!("{}(", tables[0].rows[r].cells[0].raw);
            tables[0].rows[r].cells[0].raw = raw;
        }
        align(&mut tables, &source(TextSource::Ocr));
        let shown: Vec<String> = tables[0].rows.iter().map(|r| r.cells[0].value.unwrap().to_string()).collect();
        assert_eq!((shown[2].as_str(), shown[5].as_str()), ("38.000000", "1110.468900"));
        // A bracketed negative closes its bracket and votes as printed.
        assert!(!ends_in_glyph_for_digit("(1.00)"));
    }

    #[test]
    fn a_figure_with_more_places_than_zeros_or_a_text_layer_is_left() {
        let mut tables = vec![table(&["1.25", "3.50", "10.00", "7.75", "2.05", "4.125"])];
        assert!(align(&mut tables, &source(TextSource::Ocr)).is_empty(), "4.125 is not 4.13");
        let mut tables = vec![table(&["1.25", "3.50", "10.00", "7.75", "2.05", "0"])];
        assert!(align(&mut tables, &source(TextSource::TextLayer)).is_empty());
    }

    #[test]
    fn a_figure_with_more_places_than_its_table_is_unread() {
        let mut tables = vec![table(&["1.20", "3.40", "5.60", "7.80", "9.10", "78.4131", "0.000"])];
        let mut findings = Vec::new();
        beyond(&mut tables, &source(TextSource::Ocr), &mut findings);
        let cells: Vec<&Cell> = tables[0].rows.iter().flat_map(|r| &r.cells).collect();
        assert_eq!(cells[5].value, None, "two lines of a wrapped figure run together");
        assert_eq!(cells[5].status, CellStatus::Unreadable);
        assert!(cells[6].value.is_some(), "a zero with a doubled place is a zero");
        assert_eq!(findings.len(), 1);
        // A text layer's figures are as printed.
        let mut tables = vec![table(&["1.20", "3.40", "5.60", "7.80", "9.10", "78.4131"])];
        beyond(&mut tables, &source(TextSource::TextLayer), &mut findings);
        assert!(tables[0].rows[5].cells[0].value.is_some());
    }

    #[test]
    fn a_ruling_read_as_a_letter_after_a_whole_figure_is_left_out() {
        let mut tables = vec![table(&["1.20", "3.40", "5.60", "7.80", "9.10", "0.00"])];
        let unread = |raw: &str| Cell { raw: raw.into(), value: None, status: CellStatus::Unreadable, ..cell("0") };
        tables[0].rows[5].cells = vec![unread("50.00l")];
        tables[0].rows[0].cells.push(unread("0.0l"));
        let repairs = beyond(&mut tables, &source(TextSource::Ocr), &mut Vec::new());
        assert_eq!(tables[0].rows[5].cells[0].value, Some("50.00".parse().unwrap()));
        assert_eq!(tables[0].rows[0].cells[1].value, None, "one place short: the l may be its 1");
        assert_eq!(repairs.len(), 1);
        assert_eq!(repairs[0].rule, "ruling-as-letter");
    }

    #[test]
    fn a_table_of_mixed_places_is_left() {
        let mut tables = vec![table(&["1.25", "3.5", "10", "7.75", "2.050", "0"])];
        assert!(align(&mut tables, &source(TextSource::Ocr)).is_empty());
    }
}
