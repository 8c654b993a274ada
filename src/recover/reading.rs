//! A second OCR engine's reading of a cell, as a figure, and which reading a cell's value
//! follows once a recovery rule changed it (`engines` takes the second engine's, `misread`
//! a third).

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::{Cell, OcrEngine};

/// A reading as a figure: its digits, point and sign, thousands separators dropped; `None`
/// when that is not a number.
pub(super) fn figure(text: &str) -> Option<Decimal> {
    // PP-OCR's dictionary holds full-width digits too (`２` for a lone 2).
    let kept: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' | '．' | '－' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-'))
        .collect();
    if !kept.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Decimal::from_str(&kept).ok()
}

/// Marks which reading a cell's value now follows after a recovery rule set it to `value`:
/// the second engine's, when it is that figure; never the first's, which the rule replaced.
pub(super) fn changed(cell: &mut Cell, value: Decimal) {
    for reading in &mut cell.readings {
        reading.chosen = reading.engine == OcrEngine::PpOcr && figure(&reading.text) == Some(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_is_a_figure_without_its_separators_and_debris() {
        assert_eq!(figure("1,234.50"), Some(Decimal::from_str("1234.50").unwrap()));
        assert_eq!(figure("|198.30"), Some(Decimal::from_str("198.30").unwrap()));
        assert_eq!(figure("２"), Some(Decimal::from(2)));
        assert_eq!(figure("合计"), None);
        assert_eq!(figure("1.2.3"), None);
    }
}
