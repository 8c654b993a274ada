//! What gongkai knows of the disclosures, read from `data/`: the standard tables' templates
//! and title variants, the header and item vocabularies, the identities between figures and
//! the OCR confusions. Every stage may read it; it reads none of them, only the page and
//! output models. Adding 部门决算 or a province's variant is adding data here.

pub mod confusions;
pub mod headings;
pub mod identities;
pub mod subjects;
pub mod targets;
pub mod templates;
pub mod vocabulary;

/// The text of `data/<path>.toml` as JSON, written by `build.rs` (a worker parses JSON a few
/// times faster than TOML, and every worker parses the knowledge it uses once).
macro_rules! data {
    ($path:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/data/", $path, ".json"))
    };
}
pub(crate) use data;
