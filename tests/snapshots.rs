//! Snapshots a reviewer can read: every rebuilt table of every good sample (OCR text and
//! text PDFs) as a text grid, and its repairs list (`tests/snapshots/*.snap`).

use std::sync::LazyLock;

use gongkai::model::Document;

use crate::common::root;

/// Every good sample, converted once: (stem, document).
static CONVERTED: LazyLock<Vec<(String, Document)>> = LazyLock::new(|| {
    let mut paths: Vec<_> = ["samples/ocr-text", "samples/pdf"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root().join(dir)).expect("samples folder"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "pdf"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let doc = gongkai::convert(p, &stem);
            (stem, doc)
        })
        .collect()
});

#[test]
fn tables_as_text_grids() {
    for (stem, doc) in CONVERTED.iter() {
        let grids: Vec<String> = doc.tables.iter().map(gongkai::tables::render::grid).collect();
        insta::assert_snapshot!(format!("tables-{stem}"), grids.join("\n"));
    }
}

#[test]
fn repairs_list() {
    for (stem, doc) in CONVERTED.iter() {
        let lines: Vec<String> = doc
            .repairs
            .iter()
            .map(|r| {
                let l = &r.location;
                let at = [l.table.as_deref(), l.row.as_deref(), l.column.as_deref()]
                    .iter()
                    .flatten()
                    .copied()
                    .collect::<Vec<_>>()
                    .join("/");
                format!("p{} l{} {at} [{}] {:?} → {:?}", l.page, l.line, r.rule, r.raw, r.repaired)
            })
            .collect();
        insta::assert_snapshot!(format!("repairs-{stem}"), lines.join("\n"));
    }
}
