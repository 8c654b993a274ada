//! What repair hands on: grids of repaired cells under leaf columns, and the log every
//! repair rule writes to.

use crate::knowledge::templates::TableTemplate;
use crate::model::{Column, Finding, Location, Repair, Unit};

/// Rules that normalise how a figure is printed (not an OCR error): they are recorded like
/// every repair but do not make a document `repaired`.
pub const NORMALISATIONS: [&str; 4] = ["thousands-separator", "full-width", "dash-blank", "code-spaces"];

/// A table's cells aligned to its leaf columns, after repair.
#[derive(Debug, Clone)]
pub struct Grid {
    pub template: &'static TableTemplate,
    pub title: String,
    pub pages: Vec<u32>,
    pub columns: Vec<Column>,
    pub rows: Vec<GridRow>,
    pub notes: Vec<String>,
    pub unit: Option<Unit>,
}

/// One printed body line, one cell per leaf column.
#[derive(Debug, Clone)]
pub struct GridRow {
    pub line: u32,
    pub page: u32,
    pub seq: Option<u32>,
    pub cells: Vec<GridCell>,
    /// Figures the line prints beyond the table's columns (a header name lost, the columns
    /// a column off the figures): `tables` reports them on the row.
    pub beyond: Vec<String>,
}

/// A cell's text as printed and after repair.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GridCell {
    pub raw: String,
    pub text: String,
    pub repaired: bool,
    /// Where it sits and how sure OCR was (PDF input).
    pub bbox: Option<crate::page::CellBox>,
}

/// The output of a stage that cannot fail: its value plus what it noticed.
#[derive(Debug, Clone)]
pub struct Repaired {
    pub grids: Vec<Grid>,
    pub repairs: Vec<Repair>,
    pub findings: Vec<Finding>,
}

/// The repair log a rule writes to.
#[derive(Debug, Default)]
pub struct Log {
    pub repairs: Vec<Repair>,
    pub findings: Vec<Finding>,
}

impl Log {
    /// Records one repair.
    pub fn record(&mut self, location: Location, rule: &str, raw: &str, repaired: &str) {
        self.repairs.push(Repair {
            location,
            rule: rule.to_string(),
            raw: raw.to_string(),
            repaired: repaired.to_string(),
        });
    }
}
