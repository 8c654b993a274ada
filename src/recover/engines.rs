//! Two OCR engines, the identities deciding. Where gongkai OCR'd a page, every figure
//! tesseract read was cut out of the page image (`extract::second`). A figure in doubt —
//! in an identity that breaks as read, or read with low confidence — is read again by
//! PP-OCR (`extract::ppocr`), as is one shown with fewer places than its table's figures
//! (`736.8` in a table of two places: a digit lost, which no identity may reach); where the
//! two read different figures:
//!
//! - a cell in an identity that breaks as read takes PP-OCR's figure when every identity it
//!   takes part in then holds (`second-engine`, a repair with the identities as evidence);
//! - a figure shown with fewer places than its table's figures takes PP-OCR's figure when
//!   that shows the table's places and every identity then holds (the digit tesseract lost);
//! - otherwise it keeps tesseract's: the identities hold with it and not with the other, or
//!   the other does not mend them; when the identities hold with either reading, or none can
//!   be measured, nothing decides, and the cell is reported (`ocr_engines_disagree`) rather
//!   than trusted silently.
//!
//! Either way the cell records both readings and which one its value follows (neither, when
//! a misread repair later gives a third).

use super::misread::{LOW_CONFIDENCE, apply, holds, readable, with};
use super::reading::figure;
use crate::extract::ppocr::{self, Recognizer};
use crate::extract::second::SECOND_SURE;
use crate::knowledge::identities::figures::path;
use crate::knowledge::identities::{At, Figures, Instance, measure};
use crate::model::{
    Cell, CellStatus, EngineReading, Finding, FindingKind, Location, OcrEngine, Place, Repair, Severity, Table, Unit,
};
use crate::page::FigureCrop;
use rust_decimal::Decimal;

/// The figures cut out of a document's OCR'd pages, with their pages.
pub type Crops<'a> = [(u32, &'a FigureCrop)];

/// Has the second engine read the figures in doubt and lets the identities decide; returns
/// the repairs (cells whose value now follows the second engine).
pub fn decide(
    tables: &mut [Table],
    instances: &[Instance],
    unit: Option<Unit>,
    crops: &Crops,
    findings: &mut Vec<Finding>,
) -> Vec<Repair> {
    if crops.is_empty() {
        return Vec::new();
    }
    // Loaded only for a document with figures in doubt: most OCR'd documents have a few.
    let mut engine: Option<Option<&Recognizer>> = None;
    let holds = |figures: &Figures, i: &Instance| holds(figures, i, unit);
    let mut repairs = Vec::new();
    // Each table's places as read, before any figure here changes.
    let places = super::places::all_places(tables);
    for at in in_doubt(tables, instances, &places, &holds) {
        let Some(read) = readable(tables, &at) else { continue };
        let cut = inside(tables, &at, crops);
        if cut.is_empty() {
            continue;
        }
        let Some(recognizer) = *engine.get_or_insert_with(ppocr::shared) else { return repairs };
        let Some(other) = second_reading(recognizer, &cut) else { continue };
        let Some(value) = figure(&other.0) else { continue };
        if value == read {
            continue;
        }
        let involved: Vec<&Instance> =
            instances.iter().filter(|i| i.lhs.contains(&at) || i.rhs.contains(&at)).collect();
        let figures = Figures::of(tables);
        let broken: Vec<&str> = involved.iter().filter(|i| !holds(&figures, i)).map(|i| i.rule.id.as_str()).collect();
        let decidable = involved.iter().any(|i| measure(&figures, i, unit).is_some());
        // A figure shown with fewer places than its table's lost a digit (`736.8`); PP-OCR's
        // reading with the table's places is that digit, where it breaks no identity.
        let digit_lost = places[at.table].is_some_and(|p| read.scale() < p && value.scale() == p);
        let extends = last_digit_of(read, value, places[at.table]);
        let held: Vec<bool> = involved.iter().map(|i| holds(&figures, i)).collect();
        record(tables, &at, &other);
        let other_holds = with(tables, &at, value, |f| involved.iter().all(|i| holds(f, i)));
        let none_broken = with(tables, &at, value, |f| involved.iter().zip(&held).all(|(i, h)| !h || holds(f, i)));
        if !broken.is_empty() && other_holds {
            let why = format!(
                "breaks {}; PP-OCR read {value}, with which every identity it takes part in holds",
                broken.join(", ")
            );
            repairs.push(apply(tables, &at, read, value, "second-engine", &why, findings));
        } else if broken.is_empty() && other_holds && digit_lost {
            let why = format!(
                "shows fewer places than its table's figures; PP-OCR read {value}, with its table's places, and \
                 every identity it takes part in holds with it"
            );
            repairs.push(apply(tables, &at, read, value, "second-engine", &why, findings));
        } else if extends && none_broken {
            // Other figures of its identities misread too (a column whose last digits the
            // ruling beside them took): each lost digit is mended on its own, and the
            // identities check the whole once all are.
            let why = format!(
                "shows fewer places than its table's figures; PP-OCR read {value}, the same figure with its last digit, \
                 and no identity it takes part in that held breaks with it"
            );
            repairs.push(apply(tables, &at, read, value, "second-engine", &why, findings));
        } else if !broken.is_empty()
            && let Some(pair) = second_cell(tables, instances, (&at, value), &holds, |b| {
                second_reading(recognizer, &inside(tables, b, crops))
            })
        {
            // The other reading mends what breaks but breaks an identity that held as read: a
            // figure misread alike in a second cell of it (a total printed twice, 本年支出合计
            // and 支出总计, both read 9,626.777585), whose own second reading mends it too.
            let (b, read_b, other_b) = pair;
            let value_b = figure(&other_b.0).expect("read as a figure");
            record(tables, &b, &other_b);
            let why = format!(
                "breaks {}; PP-OCR read {value} here and {value_b} at {}, with which every identity either takes part in holds",
                broken.join(", "),
                path(tables, &b)
            );
            repairs.push(apply(tables, &at, read, value, "second-engine", &why, findings));
            let why_b = format!("is read alike at {}; PP-OCR read {value_b}, mending both", path(tables, &at));
            repairs.push(apply(tables, &b, read_b, value_b, "second-engine", &why_b, findings));
        } else if decidable && broken.is_empty() && other_holds && surer(tables, &at, &other, places[at.table], value) {
            // Both readings hold every identity (they differ within rounding): the reading
            // PP-OCR is sure of, of the table's places, over one tesseract doubts.
            let c = tables[at.table].rows[at.row.expect("a row")].cells.iter().find(|c| c.column == at.column);
            let why = format!(
                "holds every identity it takes part in as PP-OCR's {value} does (within rounding); tesseract read it with                  confidence {:.0}, PP-OCR with {:.0}: the surer reading",
                c.and_then(|c| c.confidence).unwrap_or_default(),
                other.1
            );
            repairs.push(apply(tables, &at, read, value, "second-engine", &why, findings));
        } else if !decidable || (broken.is_empty() && other_holds) {
            let (table, row) = (&tables[at.table], &tables[at.table].rows[at.row.expect("a row")]);
            findings.push(Finding::located(
                Severity::Warning,
                FindingKind::OcrEnginesDisagree,
                Place::cell(&table.id, row, &at.column),
                format!(
                    "{} was read as {read} by tesseract and as {} by PP-OCR, and the identities that take it in \
                     hold with either (or none can be measured): tesseract's reading is kept",
                    path(tables, &at),
                    other.0
                ),
            ));
        }
    }
    repairs
}

/// Whether PP-OCR's reading `value` of the cell at `at` is surer than tesseract's: tesseract's
/// confidence under [`LOW_CONFIDENCE`], PP-OCR's [`SECOND_SURE`] or more, and `value` shown
/// with the table's places.
fn surer(tables: &[Table], at: &At, other: &(String, f32), places: Option<u32>, value: Decimal) -> bool {
    let cell = at.row.and_then(|r| tables[at.table].rows[r].cells.iter().find(|c| c.column == at.column));
    let doubted = cell.and_then(|c| c.confidence).is_some_and(|c| c < LOW_CONFIDENCE);
    doubted && other.1 >= SECOND_SURE && places.is_none_or(|p| value.scale() == p)
}

/// Has the second engine read each cell tesseract read as no number (`00odl`, the zeros and
/// the ruling beside them misread) and takes its reading where it is surely a figure
/// (confidence [`SECOND_SURE`] or more, nothing but a figure's characters) with its table's
/// places, no fewer digits than tesseract saw, and breaking no identity that can be measured
/// with it: the cell holds both readings and is reported (`figure_reread`). Run before
/// inference: a figure read is evidence, an inferred one is not.
pub fn reread_unreadable(
    tables: &mut [Table],
    instances: &[Instance],
    unit: Option<Unit>,
    crops: &Crops,
    findings: &mut Vec<Finding>,
) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if crops.is_empty() {
        return repairs;
    }
    let mut engine: Option<Option<&Recognizer>> = None;
    let places = super::places::all_places(tables);
    for t in 0..tables.len() {
        for r in 0..tables[t].rows.len() {
            for c in 0..tables[t].rows[r].cells.len() {
                let cell = &tables[t].rows[r].cells[c];
                if cell.status != CellStatus::Unreadable {
                    continue;
                }
                let at = At { table: t, row: Some(r), column: cell.column.clone() };
                let cut = inside(tables, &at, crops);
                if cut.is_empty() {
                    continue;
                }
                let Some(recognizer) = *engine.get_or_insert_with(ppocr::shared) else { return repairs };
                let Some(other) = second_reading(recognizer, &cut) else { continue };
                let Some(value) = sure_figure(&other, places[t]) else { continue };
                // Fewer digits than tesseract saw (`3.05` for `S,308.05`): a piece of the
                // figure, cut out alone.
                let digits = |t: &str| t.chars().filter(char::is_ascii_digit).count();
                if digits(&other.0) < digits(&tables[t].rows[r].cells[c].raw) {
                    continue;
                }
                // Where an identity that takes the cell in can be measured with it, it holds.
                let figures = Figures::of(tables).with(&at, value);
                let mut involved = instances.iter().filter(|i| i.lhs.contains(&at) || i.rhs.contains(&at));
                if involved.any(|i| measure(&figures, i, unit).is_some() && !holds(&figures, i, unit)) {
                    continue;
                }
                record(tables, &at, &other);
                let id = tables[t].id.clone();
                let cell = &mut tables[t].rows[r].cells[c];
                cell.value = Some(value);
                cell.status = CellStatus::Repaired;
                super::reading::changed(cell, value);
                let raw = cell.raw.clone();
                let row = &tables[t].rows[r];
                let place = Place::cell(&id, row, &at.column);
                findings.push(Finding::located(
                    Severity::Warning,
                    FindingKind::FigureReread,
                    place,
                    format!(
                        "{}/{}/{} was read as {raw:?} by tesseract, no number; PP-OCR read {} (confidence {:.1}), \
                         taken: the identities check it",
                        id, row.key, at.column, other.0, other.1
                    ),
                ));
                let location = Location::in_row(&id, row, Some(&at.column));
                repairs.push(Repair { location, rule: "second-engine".to_string(), raw, repaired: value.to_string() });
            }
        }
    }
    repairs
}

/// The second engine's reading `(text, confidence)` of a cell tesseract read as no number,
/// where it is surely a figure: read with confidence [`SECOND_SURE`] or more, nothing but a
/// figure's characters, showing its table's `places` (some, where the table's are unknown).
fn sure_figure(reading: &(String, f32), places: Option<u32>) -> Option<Decimal> {
    let text = reading.0.trim();
    let clean = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || ".,-".contains(c));
    let value = figure(text).filter(|_| clean && reading.1 >= SECOND_SURE)?;
    places.map_or(value.scale() > 0, |p| value.scale() == p).then_some(value)
}

/// Whether `value` (PP-OCR's) is `read` (tesseract's) with the last digit it lost: `read`
/// shows one place fewer than its table's `places`, and `value` is it with one digit more
/// (`259.6`, `259.66`).
fn last_digit_of(read: Decimal, value: Decimal, places: Option<u32>) -> bool {
    places.is_some_and(|p| read.scale() + 1 == p && value.scale() == p)
        && value.to_string().starts_with(&read.to_string())
}

/// For a cell at `at` whose second reading `value` mends the identities that break but
/// breaks one that held: the one other cell of such an identity whose second reading
/// (`second`), with `value`, makes every identity either takes part in hold — the cell, its
/// figure as read and its second reading.
fn second_cell(
    tables: &[Table],
    instances: &[Instance],
    (at, value): (&At, Decimal),
    holds: &impl Fn(&Figures, &Instance) -> bool,
    second: impl Fn(&At) -> Option<(String, f32)>,
) -> Option<(At, Decimal, (String, f32))> {
    let takes_in = |i: &Instance, at: &At| i.lhs.contains(at) || i.rhs.contains(at);
    let (as_read, changed) = (Figures::of(tables), Figures::of(tables).with(at, value));
    let newly = instances.iter().filter(|i| takes_in(i, at) && holds(&as_read, i) && !holds(&changed, i));
    let mut others: Vec<&At> =
        newly.flat_map(|i| i.lhs.iter().chain(&i.rhs)).filter(|b| *b != at && b.row.is_some()).collect();
    others.sort();
    others.dedup();
    others.into_iter().find_map(|b| {
        let read_b = readable(tables, b)?;
        let other = second(b)?;
        let value_b = figure(&other.0).filter(|v| *v != read_b)?;
        let both = changed.with(b, value_b);
        instances
            .iter()
            .filter(|i| takes_in(i, at) || takes_in(i, b))
            .all(|i| holds(&both, i))
            .then(|| (b.clone(), read_b, other))
    })
}

/// The read figures of OCR'd rows in doubt: in an identity that breaks as read, read with
/// a confidence under [`LOW_CONFIDENCE`], or shown with fewer places than its table's.
fn in_doubt(
    tables: &[Table],
    instances: &[Instance],
    places: &[Option<u32>],
    holds: &impl Fn(&Figures, &Instance) -> bool,
) -> Vec<At> {
    let figures = Figures::of(tables);
    let mut out: Vec<At> = instances
        .iter()
        .filter(|i| !holds(&figures, i))
        .flat_map(|i| i.lhs.iter().chain(&i.rhs))
        .filter(|at| at.row.is_some())
        .cloned()
        .collect();
    for (t, table) in tables.iter().enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            let doubtful = |c: &&Cell| c.confidence.is_some_and(|c| c < LOW_CONFIDENCE) || short(c.value, places[t]);
            for cell in row.cells.iter().filter(doubtful) {
                out.push(At { table: t, row: Some(r), column: cell.column.clone() });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether `value` (not zero) shows fewer places than its table's figures, `places`.
fn short(value: Option<Decimal>, places: Option<u32>) -> bool {
    value.zip(places).is_some_and(|(v, p)| !v.is_zero() && v.scale() < p)
}

/// The crops whose middle lies in the box of the cell at `at`, left to right.
fn inside<'a>(tables: &[Table], at: &At, crops: &Crops<'a>) -> Vec<&'a FigureCrop> {
    let Some(row) = at.row.map(|r| &tables[at.table].rows[r]) else { return Vec::new() };
    let Some([x0, top, x1, bottom]) = row.cells.iter().find(|c| c.column == at.column).and_then(|c| c.bbox) else {
        return Vec::new();
    };
    let mut inside: Vec<&FigureCrop> = crops
        .iter()
        .filter(|(page, c)| {
            let (cx, cy) = (c.left + c.width / 2.0, c.top + c.height / 2.0);
            *page == row.page && cx >= x0 - 1.0 && cx <= x1 + 1.0 && cy >= top - 1.0 && cy <= bottom + 1.0
        })
        .map(|(_, c)| *c)
        .collect();
    inside.sort_by(|a, b| a.left.total_cmp(&b.left));
    inside
}

/// The second engine's reading of a cell's crops: their texts joined, the lowest confidence
/// (0–100, to a tenth).
fn second_reading(recognizer: &Recognizer, crops: &[&FigureCrop]) -> Option<(String, f32)> {
    let mut text = String::new();
    let mut confidence = 1.0f32;
    for c in crops {
        let (t, p) = recognizer.read_line(&c.pixels, c.pixel_width, c.pixel_height).ok()?;
        text.push_str(&t);
        confidence = confidence.min(p);
    }
    Some((text, (confidence * 1000.0).round() / 10.0))
}

/// Records both readings on the cell, the first chosen: the value is tesseract's until a
/// rule changes it ([`changed`]).
fn record(tables: &mut [Table], at: &At, other: &(String, f32)) {
    let Some(r) = at.row else { return };
    let Some(cell) = tables[at.table].rows[r].cells.iter_mut().find(|c| c.column == at.column) else { return };
    cell.readings = vec![
        EngineReading {
            engine: OcrEngine::Tesseract,
            text: cell.raw.clone(),
            confidence: cell.confidence,
            chosen: true,
        },
        EngineReading { engine: OcrEngine::PpOcr, text: other.0.clone(), confidence: Some(other.1), chosen: false },
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::identities::CATALOGUES;
    use crate::model::CellStatus;
    use std::str::FromStr;

    #[test]
    fn the_surer_reading_is_ppocrs_only_where_tesseract_doubts_and_places_agree() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let table = |confidence: f32| {
            let mut cell = crate::testing::cell("金额", "9433.73");
            cell.confidence = Some(confidence);
            crate::testing::table("fiscal_summary", &["一般公共预算"], |_| vec![cell.clone()])
        };
        let at = At { table: 0, row: Some(0), column: "金额".to_string() };
        let sure = ("9, 433. 72".to_string(), 94.0);
        assert!(surer(&[table(62.3)], &at, &sure, Some(2), d("9433.72")));
        assert!(!surer(&[table(91.0)], &at, &sure, Some(2), d("9433.72")), "tesseract sure too");
        assert!(!surer(&[table(62.3)], &at, &("9433.72".into(), 70.0), Some(2), d("9433.72")), "PP-OCR unsure");
        assert!(!surer(&[table(62.3)], &at, &sure, Some(2), d("9433.7")), "short of the places");
    }

    #[test]
    fn a_figure_that_lost_its_last_digit_is_the_other_reading_with_it() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert!(last_digit_of(d("259.6"), d("259.66"), Some(2)));
        assert!(last_digit_of(d("7131.6"), d("7131.66"), Some(2)));
        assert!(!last_digit_of(d("259.6"), d("258.66"), Some(2)), "another figure");
        assert!(!last_digit_of(d("259.6"), d("259.66"), None), "the table's places unknown");
        assert!(!last_digit_of(d("259.66"), d("259.668"), Some(2)), "a digit too many");
        assert!(!last_digit_of(d("25.9"), d("259.66"), Some(2)), "not the same figure");
    }

    #[test]
    fn a_sure_second_reading_of_an_unreadable_figure_is_taken_an_unsure_one_not() {
        let read = |t: &str, c: f32| sure_figure(&(t.to_string(), c), Some(2)).map(|d| d.to_string());
        assert_eq!(read("0.00", 99.9).as_deref(), Some("0.00"));
        assert_eq!(read("1,361.71", 98.0).as_deref(), Some("1361.71"));
        assert_eq!(read("0.00", 60.0), None, "read unsurely");
        assert_eq!(read("5O.00", 99.0), None, "a letter in it");
        assert_eq!(read("0.0", 99.0), None, "fewer places than its table's");
        assert_eq!(sure_figure(&("12".into(), 99.0), None), None, "no places where the table's are unknown");
    }

    #[test]
    fn a_total_misread_alike_in_two_cells_takes_both_second_readings() {
        // 本年支出合计 and 支出总计 both read 9,626.777585; 收入总计 9,626.777589.
        let read = ["9626.777585", "", "9626.777585", "9626.777589"];
        let cell = |i: usize| {
            let value = Decimal::from_str(read[i]).ok();
            value
                .map(|value| Cell {
                    column: "合计".into(),
                    raw: read[i].into(),
                    value: Some(value),
                    status: CellStatus::Read,
                    inferred_by: None,
                    bbox: None,
                    confidence: Some(90.0),
                    readings: Vec::new(),
                })
                .into_iter()
                .collect()
        };
        let keys = ["本年支出合计", "年终结转结余", "支出总计", "收入总计"];
        let tables = vec![crate::testing::table("fiscal_summary", &keys, cell)];
        let at = |row: usize| At { table: 0, row: Some(row), column: "合计".into() };
        let rule = |id: &str| CATALOGUES.iter().flat_map(|c| &c.rules).find(|r| r.id == id).expect("a rule");
        let instances = [
            Instance { rule: rule("fiscal_summary.balance"), lhs: vec![at(3)], rhs: vec![at(2)] },
            Instance { rule: rule("fiscal_summary.expense.total"), lhs: vec![at(2)], rhs: vec![at(0), at(1)] },
        ];
        let holds = |f: &Figures, i: &Instance| super::super::misread::holds(f, i, None);
        let mended = Decimal::from_str("9626.777589").unwrap();
        // 支出总计's second reading mends the balance and breaks 支出总计 = 本年支出合计 + 结转:
        // 本年支出合计's second reading mends that.
        let both = |b: &At| (*b == at(0)).then(|| ("9,626.777589".to_string(), 99.0));
        let found = second_cell(&tables, &instances, (&at(2), mended), &holds, both);
        assert_eq!(found.map(|(b, read, _)| (b, read.to_string())), Some((at(0), "9626.777585".to_string())));
        // Where the second engine reads the other cell as tesseract did, nothing is mended.
        let alike = |_: &At| Some(("9,626.777585".to_string(), 99.0));
        assert!(second_cell(&tables, &instances, (&at(2), mended), &holds, alike).is_none());
    }
}
