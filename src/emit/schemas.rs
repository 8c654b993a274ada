//! JSON Schemas of the output contract, generated from the Rust types.

use std::path::Path;

use schemars::schema_for;

use super::batch::Timing;
use crate::model::{Document, DocumentRow, Fact, FindingRow, OtherCellRow, Report, TargetRow};

/// The schema files: (file name, pretty JSON).
pub fn all() -> Vec<(&'static str, String)> {
    let pretty = |v: schemars::Schema| serde_json::to_string_pretty(&v).expect("schema serialises") + "\n";
    vec![
        ("document.schema.json", pretty(schema_for!(Document))),
        ("fact.schema.json", pretty(schema_for!(Fact))),
        ("report.schema.json", pretty(schema_for!(Report))),
        ("timing.schema.json", pretty(schema_for!(Timing))),
        ("finding-row.schema.json", pretty(schema_for!(FindingRow))),
        ("document-row.schema.json", pretty(schema_for!(DocumentRow))),
        ("other-cell-row.schema.json", pretty(schema_for!(OtherCellRow))),
        ("target-row.schema.json", pretty(schema_for!(TargetRow))),
    ]
}

/// Writes every schema into `dir`.
pub fn write(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in all() {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}
