//! A second OCR engine's reading of a cell, as a figure, and which reading a cell's value
//! follows once a recovery rule changed it (`engines` takes the second engine's, `misread`
//! a third).

use rust_decimal::Decimal;

use crate::label::nfkc;
use crate::model::{Cell, OcrEngine};

/// A reading as a figure (`tables::figure`: NFKC, so full-width digits too, and
/// thousands separators dropped), once what is not part of a figure is left out: the crop's
/// edge read as a mark (`|198.30`, `736.81—、`).
pub(super) fn figure(text: &str) -> Option<Decimal> {
    let kept: String = nfkc(text).chars().filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-')).collect();
    crate::tables::figure(&kept)
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
    use std::str::FromStr;

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
