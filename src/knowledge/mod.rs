//! What gongkai knows of the disclosures, read from `data/`: the standard tables' templates
//! and title variants, the header and item vocabularies, the identities between figures and
//! the OCR confusions. Every stage may read it; it reads none of them, only the page and
//! output models. Adding 部门决算 or a province's variant is adding data here.

pub mod confusions;
pub mod identities;
pub mod targets;
pub mod templates;
pub mod vocabulary;
