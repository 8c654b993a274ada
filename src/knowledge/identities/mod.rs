//! The identities between a disclosure's figures: the catalogue (data), its expansion into
//! instances over one document's tables, and their measurement with exact decimals. Read by
//! `recover` (which figures a lost or misread cell must have) and `validate` (which hold).

pub mod catalogue;
pub mod figures;
pub mod instances;
mod nesting;

pub use catalogue::{CATALOGUES, Catalogue, CellSpec, Relation, Rule, Shape};
pub use figures::{At, Figures};
pub use instances::{Instance, Measure, find_row, instances, measure};
