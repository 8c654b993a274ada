//! Planted defects in copies of the real sample: each must be found, located and explained.

use std::path::Path;

use serde_json::Value;

use crate::common::{convert, root};

/// Converts a copy of the 青龙 sample with `edit` applied to its lines (1-based).
fn planted(edit: impl Fn(&mut Vec<String>)) -> Value {
    let text = std::fs::read_to_string(root().join("samples/ocr-text/qinglong-2023-budget.txt")).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    edit(&mut lines);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("planted.txt");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let run = convert(&[Path::new(&path)]);
    assert_eq!(run.status, 0, "a flagged document is still a document: {}", run.stderr);
    run.json("planted.json")
}

fn findings<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == kind).collect()
}

#[test]
fn a_removed_table_is_a_missing_table_error() {
    // Lines 304–321: the 三公 table, title to last row.
    let doc = planted(|l| {
        l.drain(303..321);
    });
    assert_eq!(doc["status"], "flagged");
    let missing = findings(&doc, "missing_table");
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(missing[0]["table"], "three_public");
    assert_eq!(missing[0]["severity"], "error");
}

#[test]
fn a_misread_figure_breaks_its_identities_with_every_cell_named() {
    // 30201 办公费 19.00 → 19.60 in both columns (line 252).
    let doc = planted(|l| l[251] = l[251].replace("19.00", "19.60"));
    assert_eq!(doc["status"], "flagged");
    let violations = findings(&doc, "identity_violation");
    let hierarchy: Vec<_> = violations.iter().filter(|f| f["rule"] == "gpb_basic_expense.hierarchy").collect();
    assert!(!hierarchy.is_empty(), "{violations:#?}");
    let f = hierarchy[0];
    assert_eq!(f["row"], "302");
    assert_eq!(f["actual"], "68.69");
    assert_eq!(f["expected"], "69.29");
    assert_eq!(f["difference"], "-0.60");
    assert!(f["cells"].as_array().unwrap().iter().any(|c| c == "gpb_basic_expense/30201/合计"), "{f}");
}

#[test]
fn a_blanked_total_is_inferred_and_marked() {
    // The expense table's 合计 row loses its 合计 figure (line 128).
    let doc = planted(|l| l[127] = "1\t\t合计\t\t528. 41\t209. 65\t\t\t".into());
    assert_eq!(doc["status"], "repaired", "{:#?}", findings(&doc, "identity_violation"));
    let inferred = findings(&doc, "value_inferred");
    let f = inferred.iter().find(|f| f["table"] == "expense").expect("expense 合计 inferred");
    assert_eq!(f["row"], "合计");
    assert_eq!(f["column"], "合计");
    // 528.41 + 209.65 = 738.06; printed was 738.05, within the rounding of both identities.
    assert_eq!(f["expected"], "738.06");
}
