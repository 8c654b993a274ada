//! Stage 6, `recover`: tables → tables with what the identities recover. A lost or
//! unreadable figure that the identities pin down is inferred (marked `inferred`, never
//! passed off as read); an OCR misread that exactly one plausible reading explains is
//! repaired (`misread`; never on a text layer). Every change comes with the identity that
//! gives it. Candidate readings are tried against an overlay of the figures
//! ([`Figures::with`](crate::knowledge::identities::Figures::with)); only a chosen one
//! changes the tables this stage returns. Before, an OCR'd row whose name OCR garbled is
//! keyed by the template name it holds, a column by the measure name it ends (`names`) or by
//! the summary's item whose figure its total row prints (`by_totals`), and
//! a code that lost digits is given the one its neighbours place it at (`codes`); after,
//! OCR'd figures are shown with the decimal places their table prints (`places`).

mod between;
mod by_totals;
mod codes;
mod common_items;
mod engines;
mod infer;
pub mod misread;
mod names;
mod places;
mod reading;
mod together;
mod units;

use crate::knowledge::identities::{self, Instance};
use crate::model::{Finding, Kind, Metadata, OtherTable, Repair, Source, Table};

pub use engines::Crops;
pub use infer::Inferred;

/// The tables with recovered figures, and the evidence for each.
#[derive(Debug, Clone, Default)]
pub struct Recovered {
    pub tables: Vec<Table>,
    /// Inferred cells, for the repair log.
    pub inferred: Vec<Inferred>,
    /// OCR'd figures given their table's places, and OCR misreads repaired by the
    /// identities, as repair records.
    pub corrected: Vec<Repair>,
    pub findings: Vec<Finding>,
    /// The identities over these tables, expanded once (expanding them is the costly part of
    /// checking a long document), for `validate`.
    pub instances: Vec<Instance<'static>>,
}

/// Infers lost figures, then takes the second OCR engine's figure where it mends what the
/// first broke (it reads the figures of OCR'd pages cut out in [`Crops`]), then repairs
/// misreads, over the identities of the document's kind.
pub fn recover(
    mut tables: Vec<Table>,
    others: &[OtherTable],
    metadata: &Metadata,
    source: &Source,
    crops: &Crops,
) -> Recovered {
    let kind = metadata.kind.unwrap_or(Kind::Budget);
    // Names first: the identities find a row by its key.
    let mut corrected = names::key(&mut tables, metadata.kind, source);
    corrected.extend(names::elsewhere(&mut tables, source));
    corrected.extend(units::by_name(&mut tables, others, metadata.department.as_deref(), source));
    corrected.extend(units::by_place(&mut tables, metadata.department.as_deref(), source));
    corrected.extend(names::columns(&mut tables, metadata.kind, source));
    let (named, named_by_total) = by_totals::name(&mut tables, metadata.kind, source);
    corrected.extend(named);
    corrected.extend(codes::in_sequence(&mut tables, source));
    corrected.extend(codes::class_digit(&mut tables, kind, source));
    corrected.extend(codes::parent(&mut tables, kind, source));
    corrected.extend(codes::by_name(&mut tables, kind, source));
    // A summary's class row garbled past its name, by its place among the classes (the 支出总表's
    // codes read first: its 类 totals tell two candidates apart).
    corrected.extend(between::key(&mut tables, source));
    corrected.extend(common_items::by_place(&mut tables, kind, source));
    let instances: Vec<Instance<'static>> = identities::CATALOGUES
        .iter()
        .filter(|c| c.kind == kind)
        .flat_map(|c| identities::instances(c, &tables))
        .collect();
    // What no rule could name is said so: its facts carry the name as OCR read it.
    let mut findings = names::unknown(&tables, metadata.kind, source);
    findings.extend(named_by_total);
    // A figure of more places than its table prints is no figure OCR read right.
    corrected.extend(places::beyond(&mut tables, source, &mut findings));
    // A figure tesseract read as no number, read by the second engine: read before inferred.
    corrected.extend(engines::reread_unreadable(&mut tables, &instances, metadata.unit, crops, &mut findings));
    let inferred = infer::fill(&mut tables, &instances, source, &mut findings);
    // A second engine's reading before the guesses of the misread rules: it was read.
    corrected.extend(engines::decide(&mut tables, &instances, metadata.unit, crops, &mut findings));
    corrected.extend(together::decide(&mut tables, &instances, metadata.unit, &mut findings));
    corrected.extend(misread::repair(&mut tables, &instances, metadata.unit, source, &mut findings));
    // Places last: a figure that lost its last digit (`736.8` for `736.81`) is a misread the
    // identities mend, not a `736.80`.
    corrected.extend(places::align(&mut tables, source));
    Recovered { tables, inferred, corrected, findings, instances }
}
