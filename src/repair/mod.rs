//! Stage 4, `repair`: laid-out table blocks → [`Grid`]s: leaf columns mapped onto the
//! printed positions (header words repaired from the template vocabulary) and body cells
//! repaired by named rules, every change recorded as a [`Repair`].
//!
//! Rules (each has a test next to it): header (`header-vocabulary`, `header-garbled`,
//! `header-fragment`, `header-garbage`, `header-debris`, `header-stray-number`,
//! `column-numbers`, `unit-garbled`, `title-vocabulary`) in [`header`]; cells
//! (`split-decimal`, `ocr-debris`, `thousands-separator`, `full-width`, `dash-blank`, `label-dewrap`,
//! `label-stray-number`, `code-name-split`) in [`cell`]; rows (`label-continuation`,
//! `garbage-line`) in [`rows`]. It never invents a figure: a cell that no rule makes
//! readable stays as read, and `tables` reports it.

pub mod blocked;
pub mod cell;
mod grid;
pub mod header;
pub mod printed;
pub mod rows;
pub mod transposed;

use crate::layout::{Block, Layout};
use crate::model::Column;

pub use grid::{Grid, GridCell, GridRow, Log, NORMALISATIONS, Repaired};

/// Repairs every table block of the layout.
pub fn apply(layout: &Layout) -> Repaired {
    let mut log = Log::default();
    let grids = layout.blocks.iter().map(|b| grid(b, &mut log)).collect();
    Repaired { grids, repairs: log.repairs, findings: log.findings }
}

fn grid(block: &Block, log: &mut Log) -> Grid {
    let title = header::title(block, log);
    // The template's columns where they are printed in its order (OCR-garbled headers are
    // repaired against it); else the columns the printed header names.
    let mut header_log = Log::default();
    let positional = header::columns(block, &mut header_log);
    let first = block.template.first_column();
    let read =
        if block.template.transposed { transposed::columns(block).or_else(|| blocked::columns(block)) } else { None };
    let (mut columns, mut at) = if let Some(printed) = read.or_else(|| printed::columns(block, first)) {
        let used: Vec<usize> = printed.iter().map(|p| p.position).collect();
        let seq = (!used.contains(&0)).then_some(0);
        let line_numbers = printed::line_number_positions(block);
        (printed.into_iter().map(|p| p.column).collect::<Vec<_>>(), rows::Positions { cells: used, seq, line_numbers })
    } else {
        log.repairs.append(&mut header_log.repairs);
        log.findings.append(&mut header_log.findings);
        // Template columns beyond the last printed position are not in this table.
        let width = printed::width(block);
        let texts = printed::header_texts(block);
        let kept: Vec<Column> = positional
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i + first < width)
            .map(|(i, mut c)| {
                c.group = printed::group_over_total(block.template, &texts, i + first, i);
                c
            })
            .collect();
        let cells = (0..kept.len()).map(|i| i + first).collect();
        (kept, rows::Positions { cells, seq: (first == 1).then_some(0), line_numbers: vec![] })
    };
    printed::continue_blocks(block, &mut columns, &mut at.cells);
    let mut rows = Vec::new();
    for segment in &block.segments {
        rows::read(block.template, segment, &columns, &at, &mut rows, log);
    }
    let mut pages: Vec<u32> = std::iter::once(block.title.page)
        .chain(block.segments.iter().filter(|s| s.numbers.is_some() || !s.body.is_empty()).map(|s| s.page))
        .collect();
    pages.dedup();
    let notes = block.notes.iter().map(|l| crate::label::nfkc(&l.text())).collect();
    Grid { template: block.template, title, pages, columns, rows, notes, unit: block.unit }
}
