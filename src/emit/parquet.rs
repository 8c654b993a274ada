//! The warehouse tables as Parquet (`--format parquet`): `facts.parquet`, `findings.parquet`,
//! `documents.parquet`, `other_tables.parquet` and `targets.parquet`, written from the
//! finished NDJSON files, one row group per 64 Ki rows, so memory stays flat.
//!
//! Figures (`value`, `expected`, `actual`, …) are UTF-8 strings, not Parquet DECIMAL: a
//! DECIMAL column has one scale, while printed figures carry the scale they were printed
//! with (`0`, `4.4`, `198.30`), which the contract keeps; a string holds that exactly, and
//! `CAST(value AS DECIMAL(38, 2))` makes it a number in any engine. Nested fields (`bbox`,
//! `cells`) are JSON text. Uncompressed (no codec to build); warehouses recompress.

use std::io::{self, BufRead};
use std::path::Path;
use std::sync::Arc;

use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use serde_json::Value;

/// A column's Parquet type.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    Float,
    Bool,
}

use Kind::{Bool, Float, Int, Text};

/// The columns of each table, in order; every column is optional.
const TABLES: [(&str, &[(&str, Kind)]); 5] = [
    (
        "facts",
        &[
            ("doc", Text),
            ("table", Text),
            ("row", Text),
            ("item", Text),
            ("column", Text),
            ("measure", Text),
            ("value", Text),
            ("side", Text),
            ("under", Text),
            ("unit", Text),
            ("page", Int),
            ("line", Int),
            ("source", Text),
            ("bbox", Text),
            ("confidence", Float),
            ("repaired", Bool),
            ("inferred", Bool),
        ],
    ),
    (
        "findings",
        &[
            ("doc", Text),
            ("severity", Text),
            ("kind", Text),
            ("table", Text),
            ("row", Text),
            ("column", Text),
            ("side", Text),
            ("rule", Text),
            ("expected", Text),
            ("actual", Text),
            ("difference", Text),
            ("tolerance", Text),
            ("cells", Text),
            ("page", Int),
            ("message", Text),
        ],
    ),
    (
        "documents",
        &[
            ("doc", Text),
            ("path", Text),
            ("sha256", Text),
            ("pages", Int),
            ("text_source", Text),
            ("status", Text),
            ("kind", Text),
            ("year", Int),
            ("department_code", Text),
            ("department", Text),
            ("unit", Text),
            ("scope", Text),
            ("consolidation", Text),
            ("part", Text),
            ("tables", Int),
            ("facts", Int),
            ("repairs", Int),
            ("errors", Int),
            ("warnings", Int),
            ("infos", Int),
        ],
    ),
    (
        "other_tables",
        &[
            ("doc", Text),
            ("table_index", Int),
            ("title", Text),
            ("row", Text),
            ("row_index", Int),
            ("column", Text),
            ("column_index", Int),
            ("text", Text),
            ("value", Text),
            ("page", Int),
            ("line", Int),
        ],
    ),
    (
        "targets",
        &[
            ("doc", Text),
            ("target_index", Int),
            ("target", Text),
            ("scope", Text),
            ("project", Text),
            ("level1", Text),
            ("level2", Text),
            ("level3", Text),
            ("description", Text),
            ("value", Text),
            ("comparator", Text),
            ("number", Text),
            ("value_unit", Text),
            ("basis", Text),
            ("direction", Text),
            ("unit", Text),
            ("score", Text),
            ("page", Int),
        ],
    ),
];

/// Rows per row group.
const GROUP: usize = 1 << 16;

/// Writes `<table>.parquet` from `<table>.ndjson` in `out` for every warehouse table.
pub fn write_all(out: &Path, temporary: impl Fn(&Path) -> std::path::PathBuf) -> io::Result<()> {
    for (table, columns) in TABLES {
        let target = out.join(format!("{table}.parquet"));
        let tmp = temporary(&target);
        convert(&out.join(format!("{table}.ndjson")), &tmp, table, columns)?;
        std::fs::rename(&tmp, &target)?;
    }
    Ok(())
}

fn convert(ndjson: &Path, parquet: &Path, table: &str, columns: &[(&str, Kind)]) -> io::Result<()> {
    let fields: Vec<String> = columns
        .iter()
        .map(|(name, kind)| match kind {
            Text => format!("OPTIONAL BYTE_ARRAY {name} (UTF8);"),
            Int => format!("OPTIONAL INT64 {name};"),
            Float => format!("OPTIONAL DOUBLE {name};"),
            Bool => format!("OPTIONAL BOOLEAN {name};"),
        })
        .collect();
    let schema =
        parse_message_type(&format!("message {table} {{ {} }}", fields.join(" "))).map_err(io::Error::other)?;
    let props = Arc::new(WriterProperties::builder().build());
    let file = std::fs::File::create(parquet)?;
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema), props).map_err(io::Error::other)?;
    let mut rows: Vec<Value> = Vec::with_capacity(GROUP);
    let reader = io::BufReader::new(std::fs::File::open(ndjson)?);
    for line in reader.lines() {
        rows.push(serde_json::from_str(&line?).map_err(io::Error::other)?);
        if rows.len() == GROUP {
            group(&mut writer, columns, &rows)?;
            rows.clear();
        }
    }
    if !rows.is_empty() {
        group(&mut writer, columns, &rows)?;
    }
    writer.close().map_err(io::Error::other)?;
    Ok(())
}

/// Writes one row group.
fn group(writer: &mut SerializedFileWriter<std::fs::File>, columns: &[(&str, Kind)], rows: &[Value]) -> io::Result<()> {
    let mut group = writer.next_row_group().map_err(io::Error::other)?;
    for (name, kind) in columns {
        let cells: Vec<Option<&Value>> = rows.iter().map(|r| r.get(*name).filter(|v| !v.is_null())).collect();
        let levels: Vec<i16> = cells.iter().map(|c| i16::from(c.is_some())).collect();
        let mut column = group.next_column().map_err(io::Error::other)?.ok_or_else(|| io::Error::other("column"))?;
        let result = match kind {
            Text => {
                let values: Vec<ByteArray> = cells
                    .iter()
                    .flatten()
                    .map(|v| match v {
                        Value::String(s) => ByteArray::from(s.as_str()),
                        other => ByteArray::from(other.to_string().as_str()),
                    })
                    .collect();
                column.typed::<ByteArrayType>().write_batch(&values, Some(&levels), None)
            }
            Int => {
                let values: Vec<i64> = cells.iter().flatten().map(|v| v.as_i64().unwrap_or_default()).collect();
                column.typed::<Int64Type>().write_batch(&values, Some(&levels), None)
            }
            Float => {
                let values: Vec<f64> = cells.iter().flatten().map(|v| v.as_f64().unwrap_or_default()).collect();
                column.typed::<DoubleType>().write_batch(&values, Some(&levels), None)
            }
            Bool => {
                let values: Vec<bool> = cells.iter().flatten().map(|v| v.as_bool().unwrap_or_default()).collect();
                column.typed::<BoolType>().write_batch(&values, Some(&levels), None)
            }
        };
        result.map_err(io::Error::other)?;
        column.close().map_err(io::Error::other)?;
    }
    group.close().map_err(io::Error::other)?;
    Ok(())
}
